// SPDX-License-Identifier: GPL-2.0
/*
 * pmem-recover: list, salvage and repair the poisoned byte ranges of a file
 * on persistent memory (ext4 or xfs mounted with -o dax).
 *
 *   pmem-recover scan [--json] [--io-uring] FILE
 *   pmem-recover salvage [--map MAPFILE] [--io-uring] FILE OUT
 *   pmem-recover repair FILE --from REPLICA
 *
 * Everything rests on RWF_RECOVERY_DATA.  A read with the flag returns the
 * good bytes up to the first poisoned 512-byte sector, and fails with EIO
 * when it starts in one; so reading with the flag and stepping over one
 * sector on EIO walks the whole file and finds every lost sector.  A write
 * with the flag clears the poison of the sectors it covers whole and
 * stores the new data in the same blocks.
 *
 * A kernel that has FS_IOC_GETPOISON says where the poison it knows of
 * is without reading anything: scan and repair then read nothing to find
 * it, and salvage reads only around it.  Where the kernel cannot answer,
 * or may know less than there is, the file is read as above.
 *
 * A kernel without the flag refuses it (EOPNOTSUPP).  There, plain reads of
 * a DAX file fail for a whole page that holds a bad sector, and only
 * page-aligned writes of whole pages clear poison: the tool says so and
 * works page by page, unless told not to (--no-fallback).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "pmem-recover.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX	0x00200000	/* Linux 5.8 */
#endif

#define VERSION		"1.0"
#define CHUNK		(1 << 20)	/* bytes per read when all is well */
#define PROGRESS_STEP	((off_t)64 << 20)
#define QUERY_BATCH	256		/* ranges asked for per FS_IOC_GETPOISON */
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum {				/* options that only some commands take */
	OPT_JSON = 1 << 0,
	OPT_MAP = 1 << 1,
	OPT_FROM = 1 << 2,
	OPT_URING = 1 << 3,
};

struct options {
	const char *command;
	const char *file, *out, *map, *replica;
	unsigned int given;		/* OPT_* seen on the command line */
	bool json, io_uring, progress, no_fallback, no_flag, no_query, done;
	int argc;
	char **argv;
};

struct range {
	off_t off, len;
	bool pagewise;		/* known only as a poisoned page */
};

struct ranges {
	struct range *v;
	size_t n, cap;
};

/* A walk over the file: what it found, and how it reads. */
struct scan {
	const char *path;
	int fd;
	off_t size;
	size_t page;
	bool blockdev;
	struct reader rd;
	bool flagged;		/* RWF_RECOVERY_DATA, or plain reads by page */
	bool queried;		/* the kernel said where the poison is */
	struct ranges bad;	/* sorted, merged */
	struct ranges known;	/* salvage: what the kernel said, not read */
	size_t next_known;
	off_t careful_end;	/* plain reads: page by page up to here */
	unsigned char *buf, *buf2;
	/* salvage: where the good bytes go */
	int (*keep)(struct scan *s, const void *buf, size_t len, off_t off);
	int out_fd;
	const char *out_path;
	/* what failed, for the message */
	const char *err_path, *err_op;
	off_t err_off;
	bool progress;
	off_t next_report;
};

/* ---- small helpers ---- */

static int try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_invocation_short_name);
	return EXIT_USAGE;
}

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return try_help();
}

static int ranges_append(struct ranges *r, const struct range *add)
{
	struct range *last = r->n ? &r->v[r->n - 1] : NULL;

	if (last && last->off + last->len == add->off &&
	    last->pagewise == add->pagewise) {
		last->len += add->len;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct range *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *add;
	return 0;
}

static int ranges_add(struct ranges *r, off_t off, off_t len)
{
	return ranges_append(r, &(struct range){ .off = off, .len = len });
}

static void ranges_swap(struct ranges *a, struct ranges *b)
{
	struct ranges t = *a;

	*a = *b;
	*b = t;
}

static off_t ranges_bytes(const struct ranges *r)
{
	off_t sum = 0;

	for (size_t i = 0; i < r->n; i++)
		sum += r->v[i].len;
	return sum;
}

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, (char *)buf + done, len - done, off + done);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;	/* EOF before len */
		done += n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pwrite(fd, (const char *)buf + done, len - done, off + done);
		if (n < 0)
			return -errno;
		done += n;
	}
	return 0;
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* ---- readers ---- */

static ssize_t pv2_read(struct reader *rd, void *buf, size_t len, off_t off,
			int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	ssize_t n = preadv2(rd->fd, &iov, 1, off, flags);

	return n < 0 ? -errno : n;
}

static void pv2_close(struct reader *rd)
{
	(void)rd;
}

/* ---- why the flag was refused ---- */

static bool is_dax_file(int fd)
{
	struct statx stx;

	return !statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) &&
	       (stx.stx_attributes & STATX_ATTR_DAX);
}

/*
 * A kernel with the series refuses RWF_ATOMIC together with the flag
 * (EINVAL) before it looks at the file; a kernel without it refuses the
 * unknown flag (EOPNOTSUPP).  That tells "this kernel" from "this file".
 */
static bool kernel_knows_flag(int fd)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };

	return preadv2(fd, &iov, 1, 0, RWF_RECOVERY_DATA | RWF_ATOMIC) < 0 &&
	       errno == EINVAL;
}

static void explain_page_reads(const struct scan *s)
{
	warnx("%s: reading without the flag, page by page: each %zu-byte page that holds a bad %d-byte sector is lost whole",
	      s->path, s->page, SECTOR_SIZE);
}

/* The flag was refused (EOPNOTSUPP): say why; may we go on without it? */
static bool may_fall_back(const struct scan *s, const struct options *o)
{
	bool knows = kernel_knows_flag(s->fd);

	if (!s->blockdev && !is_dax_file(s->fd)) {
		warnx("%s: not a DAX file: RWF_RECOVERY_DATA works only on files of a file system mounted with -o dax on persistent memory (EOPNOTSUPP)%s",
		      s->path, knows ? "" :
		      "; this kernel does not support the flag either");
		return false;
	}
	if (knows)
		warnx("%s: the device of this file cannot recover with RWF_RECOVERY_DATA (EOPNOTSUPP)",
		      s->path);
	else
		warnx("%s: this kernel does not support RWF_RECOVERY_DATA (EOPNOTSUPP)",
		      s->path);
	if (o->no_fallback)
		return false;
	explain_page_reads(s);
	return true;
}

/* ---- asking the kernel (FS_IOC_GETPOISON) ---- */

/*
 * Append the ranges of one answer to r: in order, not overlapping, and
 * within [start, q->next).  Returns 0, -EPROTO for an answer that breaks those
 * rules, or -ENOMEM.
 */
static int take_answer(struct ranges *r, const struct fs_poison_query *q,
		       __u64 start)
{
	__u64 from = start;
	int ret = 0;

	for (__u32 i = 0; i < q->filled && !ret; i++) {
		const struct fs_poison_range *p = &q->ranges[i];

		if (p->offset < from || !p->length || p->length > q->next ||
		    p->offset > q->next - p->length ||
		    (p->flags & ~FS_POISON_PAGEWISE))
			return -EPROTO;
		from = p->offset + p->length;
		ret = ranges_append(r, &(struct range){
			.off = p->offset,
			.len = p->length,
			.pagewise = p->flags & FS_POISON_PAGEWISE,
		});
	}
	return ret;
}

/*
 * Ask the kernel which ranges of the whole file hold poison, into r;
 * nothing is read.  Returns 0, 1 if the kernel may know less than there
 * is (FS_POISON_QUERY_INCOMPLETE), or a negative errno: ENOTTY from a
 * kernel without the ioctl, EOPNOTSUPP where the file or its device
 * cannot answer.
 */
static int query_poison(struct scan *s, struct ranges *r)
{
	struct fs_poison_query *q = malloc(sizeof(*q) +
					   QUERY_BATCH * sizeof(q->ranges[0]));
	__u64 start = 0;
	__u64 end = (s->size + SECTOR_SIZE - 1) / SECTOR_SIZE * SECTOR_SIZE;
	bool incomplete = false;
	int ret = 0;

	if (!q)
		return -ENOMEM;
	r->n = 0;
	while (start < end && !ret) {
		*q = (struct fs_poison_query){
			.start = start, .length = end - start, .count = QUERY_BATCH,
		};
		if (ioctl(s->fd, FS_IOC_GETPOISON, q)) {
			ret = -errno;
			break;
		}
		if (q->filled > QUERY_BATCH || q->next <= start || q->next > end) {
			ret = -EPROTO;	/* an answer that cannot be right */
			break;
		}
		incomplete |= q->oflags & FS_POISON_QUERY_INCOMPLETE;
		ret = take_answer(r, q, start);
		start = q->next;
	}
	free(q);
	return ret ? ret : incomplete;
}

/*
 * Ask the kernel where the poison of a DAX file is.  Returns true if the
 * answer stands; false, after saying why, if the file must be read.
 */
static bool ask_kernel(struct scan *s, const struct options *o)
{
	int ret;

	if (o->no_flag || o->no_query || s->blockdev || !is_dax_file(s->fd))
		return false;
	ret = query_poison(s, &s->known);
	if (ret == 1)
		warnx("%s: the kernel may know of less poison than there is (FS_POISON_QUERY_INCOMPLETE): reading the whole file",
		      s->path);
	else if (ret < 0)
		warnx("%s: the kernel cannot say where the poison is (FS_IOC_GETPOISON: %s): reading the whole file",
		      s->path, strerror(-ret));
	s->queried = !ret;
	if (!s->queried)
		s->known.n = 0;		/* read all of it, as said */
	return s->queried;
}

/* ---- the walk ---- */

static void progress(struct scan *s, off_t done)
{
	if (!s->progress || done < s->next_report)
		return;
	fprintf(stderr, "%s: %s: %.1f of %.1f MiB (%d%%)\n",
		program_invocation_short_name, s->path, done / 1048576.0,
		s->size / 1048576.0, s->size ? (int)(done * 100 / s->size) : 100);
	if (done >= s->size)
		s->next_report = INT64_MAX;
	else
		s->next_report = MIN((done / PROGRESS_STEP + 1) * PROGRESS_STEP,
				     s->size);
}

static off_t page_end(const struct scan *s, off_t off)
{
	return MIN((off_t)(off / s->page + 1) * (off_t)s->page, s->size);
}

/* The walk moves on by n good bytes at off, kept if salvaging. */
static ssize_t good(struct scan *s, ssize_t n, off_t off)
{
	int ret;

	if (!s->keep)
		return n;
	ret = s->keep(s, s->buf, n, off);
	return ret ? ret : n;
}

/* The walk moves on over [off, end), which could not be read. */
static ssize_t lost(struct scan *s, off_t off, off_t end)
{
	int ret = ranges_add(&s->bad, off, end - off);

	return ret ? ret : end - off;
}

/*
 * The first range the kernel reported that ends after off, if it is known
 * to the sector: a page-wise one is read, for what of it is still good.
 */
static const struct range *next_known(struct scan *s, off_t off)
{
	const struct ranges *k = &s->known;

	while (s->next_known < k->n &&
	       (k->v[s->next_known].off + k->v[s->next_known].len <= off ||
		k->v[s->next_known].pagewise))
		s->next_known++;
	return s->next_known < k->n ? &k->v[s->next_known] : NULL;
}

/*
 * One flagged read at off: the good bytes up to the first poisoned sector,
 * or EIO if off is in one, and then that sector is lost.  Ranges the
 * kernel reported are lost without reading them.
 * Returns how far the walk moves on, 0 at EOF, or a negative errno.
 */
static ssize_t step_flagged(struct scan *s, off_t off)
{
	const struct range *k = next_known(s, off);
	off_t stop = k ? MIN(k->off, s->size) : s->size;
	size_t want;
	ssize_t n;

	if (stop <= off)		/* the kernel said so: not read */
		return lost(s, off, MIN(k->off + k->len, s->size));
	want = MIN(CHUNK, stop - off);
	n = s->rd.read(&s->rd, s->buf, want, off, RWF_RECOVERY_DATA);

	if (n == -EIO)
		return lost(s, off, MIN((off / SECTOR_SIZE + 1) * SECTOR_SIZE,
					s->size));
	return n > 0 ? good(s, n, off) : n;
}

/*
 * One plain read at off.  It fails whole if any page it covers holds
 * poison; then the walk reads that chunk again page by page, and a page
 * that fails is lost whole.
 */
static ssize_t step_pages(struct scan *s, off_t off)
{
	bool careful = off < s->careful_end;
	size_t want = careful ? page_end(s, off) - off : MIN(CHUNK, s->size - off);
	ssize_t n = s->rd.read(&s->rd, s->buf, want, off, 0);

	if (n == -EIO && !careful) {
		s->careful_end = off + want;
		return step_pages(s, off);
	}
	if (n == -EIO)
		return lost(s, off, page_end(s, off));
	return n > 0 ? good(s, n, off) : n;
}

/* Walk the whole file once; returns 0 or a negative errno. */
static int walk(struct scan *s)
{
	off_t off = 0;
	ssize_t n;

	s->bad.n = 0;
	s->next_known = 0;
	s->careful_end = 0;
	s->next_report = MIN(PROGRESS_STEP, s->size);
	while (off < s->size) {
		s->err_path = s->path;
		s->err_op = "reading";
		s->err_off = off;
		n = s->flagged ? step_flagged(s, off) : step_pages(s, off);
		if (n < 0)
			return n;
		if (n == 0) {		/* the file shrank under us */
			s->size = off;
			break;
		}
		off += n;
		progress(s, off);
	}
	return 0;
}

/*
 * Find the poison: ask the kernel where it can say, and read nothing more
 * unless salvaging; else walk the file with the flag, and where the kernel
 * refuses it, say why and walk it again without it, if that is allowed.
 * Returns an exit status.
 */
static int scan_file(struct scan *s, const struct options *o)
{
	int ret;

	s->flagged = !o->no_flag;
	if (o->no_flag) {
		warnx("%s: not using RWF_RECOVERY_DATA (--no-recovery-flag)", s->path);
		explain_page_reads(s);
	}
	if (ask_kernel(s, o) && !s->keep) {
		ranges_swap(&s->bad, &s->known);
		return EXIT_CLEAN;
	}
	ret = walk(s);
	if (ret == -EOPNOTSUPP && s->flagged) {
		if (!may_fall_back(s, o))
			return EXIT_UNSUPPORTED;
		s->flagged = false;
		s->queried = false;	/* pages are read, whatever it said */
		s->known.n = 0;
		ret = walk(s);
	}
	if (ret < 0) {
		warnx("%s: %s at offset %lld (%s): %s", s->err_path, s->err_op,
		      (long long)s->err_off, s->rd.name, strerror(-ret));
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

static int scan_open(struct scan *s, const struct options *o, int flags)
{
	struct stat st;
	int ret;

	*s = (struct scan){ .path = o->file, .out_fd = -1 };
	s->fd = open(o->file, flags | O_CLOEXEC);
	if (s->fd < 0 || fstat(s->fd, &st)) {
		warn("%s", o->file);
		return EXIT_SYSTEM;
	}
	if (S_ISREG(st.st_mode)) {
		s->size = st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		s->size = lseek(s->fd, 0, SEEK_END);
		s->blockdev = true;
	} else {
		warnx("%s: not a regular file or a block device", o->file);
		return EXIT_UNSUPPORTED;
	}
	s->page = sysconf(_SC_PAGESIZE);
	s->buf = aligned_alloc(s->page, CHUNK);
	s->buf2 = aligned_alloc(s->page, CHUNK);
	if (!s->buf || !s->buf2) {
		warnx("out of memory");
		return EXIT_SYSTEM;
	}
	s->progress = o->progress || (isatty(2) && s->size > PROGRESS_STEP);

	s->rd = (struct reader){ .fd = s->fd, .name = "preadv2",
				 .read = pv2_read, .close = pv2_close };
	if (!o->io_uring)
		return EXIT_CLEAN;
	ret = uring_reader_open(&s->rd, s->fd);
	if (ret < 0) {
		warnx("io_uring is not available: %s", strerror(-ret));
		return EXIT_UNSUPPORTED;
	}
	return EXIT_CLEAN;
}

static void scan_close(struct scan *s)
{
	if (s->rd.close)
		s->rd.close(&s->rd);
	if (s->fd >= 0)
		close(s->fd);
	free(s->bad.v);
	free(s->known.v);
	free(s->buf);
	free(s->buf2);
}

static const char *granularity(const struct scan *s)
{
	static char text[64];

	if (s->queried)
		return "512-byte sectors, FS_IOC_GETPOISON";
	if (s->flagged)
		return "512-byte sectors, RWF_RECOVERY_DATA";
	snprintf(text, sizeof(text), "whole %zu-byte pages, without RWF_RECOVERY_DATA",
		 s->page);
	return text;
}

/* ---- scan ---- */

static const char *method(const struct scan *s)
{
	if (s->queried)
		return "FS_IOC_GETPOISON";
	return s->flagged ? "RWF_RECOVERY_DATA" : "pages";
}

static void print_text(const struct scan *s)
{
	if (!s->bad.n) {
		printf("%s: no poison in %lld bytes\n", s->path, (long long)s->size);
		return;
	}
	printf("%s: %zu poisoned range%s, %lld of %lld bytes (%s)\n", s->path,
	       s->bad.n, s->bad.n == 1 ? "" : "s",
	       (long long)ranges_bytes(&s->bad), (long long)s->size,
	       granularity(s));
	for (size_t i = 0; i < s->bad.n; i++)
		printf("  offset %lld, length %lld%s\n", (long long)s->bad.v[i].off,
		       (long long)s->bad.v[i].len, s->bad.v[i].pagewise ?
		       " (page-wise: which of its sectors are bad is not known)" : "");
}

static void print_json_string(const char *str)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)str; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json(const struct scan *s)
{
	printf("{\"file\":");
	print_json_string(s->path);
	printf(",\"size\":%lld,\"method\":\"%s\",\"interface\":\"%s\",\"granularity\":%zu,\"poisoned_bytes\":%lld,\"ranges\":[",
	       (long long)s->size, method(s),
	       s->rd.name, s->flagged ? (size_t)SECTOR_SIZE : s->page,
	       (long long)ranges_bytes(&s->bad));
	for (size_t i = 0; i < s->bad.n; i++)
		printf("%s{\"offset\":%lld,\"length\":%lld%s}", i ? "," : "",
		       (long long)s->bad.v[i].off, (long long)s->bad.v[i].len,
		       s->bad.v[i].pagewise ? ",\"pagewise\":true" : "");
	printf("]}\n");
}

static int cmd_scan(const struct options *o)
{
	struct scan s;
	int status = scan_open(&s, o, O_RDONLY);

	if (status == EXIT_CLEAN)
		status = scan_file(&s, o);
	if (status == EXIT_CLEAN) {
		if (o->json)
			print_json(&s);
		else
			print_text(&s);
		status = s.bad.n ? EXIT_POISON : EXIT_CLEAN;
	}
	scan_close(&s);
	return status;
}

/* ---- salvage ---- */

static int keep_in_out(struct scan *s, const void *buf, size_t len, off_t off)
{
	s->err_path = s->out_path;
	s->err_op = "writing";
	return pwrite_all(s->out_fd, buf, len, off);
}

/* Lost ranges read back as zeros in OUT, whatever OUT held before. */
static int zero_fill(struct scan *s)
{
	memset(s->buf, 0, CHUNK);
	for (size_t i = 0; i < s->bad.n; i++) {
		off_t off = s->bad.v[i].off, end = off + s->bad.v[i].len;

		for (; off < end; off += CHUNK) {
			int ret = pwrite_all(s->out_fd, s->buf, MIN(CHUNK, end - off), off);

			if (ret)
				return ret;
		}
	}
	return 0;
}

static void map_block(FILE *f, off_t pos, off_t size, char status)
{
	fprintf(f, "0x%08llX  0x%08llX  %c\n", (long long)pos, (long long)size,
		status);
}

/*
 * A GNU ddrescue mapfile: comments, the status line (where the rescue
 * stands: finished), then "pos size status" blocks covering the file,
 * "+" for bytes recovered and "-" for bad sectors.
 */
static int write_map(const char *path, const struct scan *s,
		     const struct options *o)
{
	FILE *f = fopen(path, "w");
	off_t pos = 0;
	int ret;

	if (!f)
		return -errno;
	fprintf(f, "# Mapfile. Created by pmem-recover %s\n# Command line:", VERSION);
	for (int i = 0; i < o->argc; i++)
		fprintf(f, " %s", o->argv[i]);
	fprintf(f, "\n# Lost ranges are zero-filled in %s (%s)\n# Finished\n",
		s->out_path, granularity(s));
	fprintf(f, "# current_pos  current_status  current_pass\n");
	fprintf(f, "0x%08llX     +               1\n", (long long)s->size);
	fprintf(f, "#      pos        size  status\n");
	for (size_t i = 0; i < s->bad.n; i++) {
		if (s->bad.v[i].off > pos)
			map_block(f, pos, s->bad.v[i].off - pos, '+');
		map_block(f, s->bad.v[i].off, s->bad.v[i].len, '-');
		pos = s->bad.v[i].off + s->bad.v[i].len;
	}
	if (pos < s->size)
		map_block(f, pos, s->size - pos, '+');
	ret = ferror(f);
	if (fclose(f) || ret)
		return -EIO;
	return 0;
}

/* Open OUT for writing, empty; it must not be FILE. */
static int open_out(struct scan *s, const struct options *o)
{
	struct stat st;

	if (same_file(s->fd, o->out))
		return usage_error("OUT %s is FILE itself", o->out);
	s->out_path = o->out;
	s->out_fd = open(o->out, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (s->out_fd < 0 || fstat(s->out_fd, &st) ||
	    (S_ISREG(st.st_mode) && ftruncate(s->out_fd, 0))) {
		warn("%s", o->out);
		return EXIT_SYSTEM;
	}
	s->keep = keep_in_out;
	return EXIT_CLEAN;
}

/* After the walk: OUT gets its zeros and FILE's size, then the map. */
static int finish_salvage(struct scan *s, const struct options *o,
			  const char *map)
{
	struct stat st;
	int ret = zero_fill(s);

	if (!ret && !fstat(s->out_fd, &st) && S_ISREG(st.st_mode) &&
	    ftruncate(s->out_fd, s->size))
		ret = -errno;
	if (!ret && fsync(s->out_fd) && errno != EINVAL)
		ret = -errno;
	if (ret) {
		warnx("%s: %s", s->out_path, strerror(-ret));
		return EXIT_SYSTEM;
	}
	ret = write_map(map, s, o);
	if (ret) {
		warnx("%s: %s", map, strerror(-ret));
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

static void print_salvage(const struct scan *s, const char *map)
{
	off_t lost = ranges_bytes(&s->bad);

	if (!lost) {
		printf("%s: all %lld bytes salvaged to %s, nothing lost (map: %s)\n",
		       s->path, (long long)s->size, s->out_path, map);
		return;
	}
	printf("%s: %lld of %lld bytes salvaged to %s; %lld bytes lost in %zu range%s, zero-filled (%s; map: %s)\n",
	       s->path, (long long)(s->size - lost), (long long)s->size,
	       s->out_path, (long long)lost, s->bad.n, s->bad.n == 1 ? "" : "s",
	       granularity(s), map);
	for (size_t i = 0; i < s->bad.n; i++)
		printf("  lost offset %lld, length %lld\n", (long long)s->bad.v[i].off,
		       (long long)s->bad.v[i].len);
}

static char *map_path(const struct options *o)
{
	char *map;

	if (o->map)
		return strdup(o->map);
	return asprintf(&map, "%s.map", o->out) < 0 ? NULL : map;
}

static int cmd_salvage(const struct options *o)
{
	char *map = map_path(o);
	struct scan s;
	int status = scan_open(&s, o, O_RDONLY);

	if (status == EXIT_CLEAN)
		status = open_out(&s, o);
	if (status == EXIT_CLEAN && !map) {
		warnx("out of memory");
		status = EXIT_SYSTEM;
	}
	if (status == EXIT_CLEAN && (same_file(s.fd, map) || same_file(s.out_fd, map)))
		status = usage_error("MAPFILE %s is FILE or OUT", map);
	if (status == EXIT_CLEAN)
		status = scan_file(&s, o);
	if (status == EXIT_CLEAN)
		status = finish_salvage(&s, o, map);
	if (status == EXIT_CLEAN) {
		print_salvage(&s, map);
		status = s.bad.n ? EXIT_POISON : EXIT_CLEAN;
	}
	if (s.out_fd >= 0)
		close(s.out_fd);
	free(map);
	scan_close(&s);
	return status;
}

/* ---- repair ---- */

/*
 * Rewrite [off, off + len) of FILE, len <= CHUNK, from the replica.  A
 * flagged write must cover each poisoned sector whole (a plain one, or a
 * range known only page-wise, each page): a range that ends at an EOF
 * inside a sector (page) is written up to its end, and the file is cut
 * back to its size.
 * Returns 0 or a negative errno.
 */
static int rewrite(struct scan *s, int rfd, off_t off, size_t len,
		   bool pagewise)
{
	size_t unit = s->flagged && !pagewise ? SECTOR_SIZE : s->page;
	size_t wlen = (len + unit - 1) / unit * unit;
	struct iovec iov = { .iov_base = s->buf, .iov_len = wlen };
	ssize_t n;
	int ret;

	memset(s->buf + len, 0, wlen - len);
	ret = pread_all(rfd, s->buf, len, off);
	if (ret)
		return ret == -EIO ? -EBADMSG : ret;	/* the replica's own poison */
	n = pwritev2(s->fd, &iov, 1, off, s->flagged ? RWF_RECOVERY_DATA : 0);
	if (n < 0)
		return -errno;
	if ((size_t)n != wlen)
		return -EIO;
	if (wlen != len && ftruncate(s->fd, s->size))
		return -errno;
	return 0;
}

static const char *repair_error(int err)
{
	switch (err) {
	case -EIO:
		return "the poison could not be cleared (EIO)";
	case -EBADMSG:
		return "the replica cannot be read there either (EIO)";
	case -ENODATA:
		return "the replica is shorter";
	default:
		return strerror(-err);
	}
}

/*
 * Repair one poisoned range: in chunks with the flag, page by page
 * without it.  Returns 0, or a negative errno after saying what failed.
 */
static int repair_range(struct scan *s, int rfd, const struct range *r,
			const char *replica)
{
	size_t step = s->flagged ? CHUNK : s->page;
	off_t off, end = r->off + r->len;
	int ret = 0;

	for (off = r->off; off < end && !ret; off += step)
		ret = rewrite(s, rfd, off, MIN((off_t)step, end - off),
			      r->pagewise);
	if (ret)
		warnx("%s: cannot repair offset %lld, length %lld from %s: %s",
		      s->path, (long long)r->off, (long long)r->len, replica,
		      repair_error(ret));
	else
		printf("  repaired offset %lld, length %lld\n", (long long)r->off,
		       (long long)r->len);
	return ret;
}

/* Does FILE hold the replica's bytes over r? */
static bool range_matches(struct scan *s, int rfd, const struct range *r)
{
	int flags = s->flagged ? RWF_RECOVERY_DATA : 0;
	off_t off, end = r->off + r->len;

	for (off = r->off; off < end; off += CHUNK) {
		size_t len = MIN(CHUNK, end - off);

		if (s->rd.read(&s->rd, s->buf, len, off, flags) != (ssize_t)len ||
		    pread_all(rfd, s->buf2, len, off) ||
		    memcmp(s->buf, s->buf2, len))
			return false;
	}
	return true;
}

/*
 * Look for poison in FILE again, as the scan did: none must be left, and
 * the repaired ranges must read back as the replica.
 */
static int verify(struct scan *s, int rfd, const struct ranges *done)
{
	int ret = s->queried ? query_poison(s, &s->bad) : walk(s);
	bool ok = true;

	if (ret == 1)		/* the kernel no longer knows enough: read */
		ret = walk(s);

	if (ret < 0) {
		warnx("%s: verifying: %s", s->path, strerror(-ret));
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < s->bad.n; i++) {
		warnx("%s: still poisoned: offset %lld, length %lld", s->path,
		      (long long)s->bad.v[i].off, (long long)s->bad.v[i].len);
		ok = false;
	}
	for (size_t i = 0; i < done->n; i++) {
		if (range_matches(s, rfd, &done->v[i]))
			continue;
		warnx("%s: offset %lld, length %lld differs from the replica after the repair",
		      s->path, (long long)done->v[i].off, (long long)done->v[i].len);
		ok = false;
	}
	return ok ? EXIT_CLEAN : EXIT_POISON;
}

/* Rewrite every range of todo; the ones that worked go to done. */
static int repair_all(struct scan *s, int rfd, const struct ranges *todo,
		      struct ranges *done, const char *replica)
{
	int status = EXIT_CLEAN;

	for (size_t i = 0; i < todo->n; i++) {
		const struct range *r = &todo->v[i];
		int ret = repair_range(s, rfd, r, replica);

		if (ret == -EIO || ret == -EBADMSG || ret == -ENODATA)
			status = EXIT_POISON;
		else if (ret)
			return EXIT_SYSTEM;
		else if (ranges_add(done, r->off, r->len))
			return EXIT_SYSTEM;
	}
	return status;
}

static int repair_file(struct scan *s, int rfd, const struct options *o)
{
	struct ranges todo = s->bad, done = { 0 };
	int status, verified;

	printf("%s: %zu poisoned range%s, %lld bytes (%s)\n", s->path, todo.n,
	       todo.n == 1 ? "" : "s", (long long)ranges_bytes(&todo),
	       granularity(s));
	if (!s->flagged)
		warnx("%s: repairing without the flag: each poisoned page is rewritten whole from %s, its good sectors included, with page-aligned writes (they clear poison where the platform can)",
		      s->path, o->replica);
	s->bad = (struct ranges){ 0 };
	status = repair_all(s, rfd, &todo, &done, o->replica);
	if (status != EXIT_SYSTEM) {
		verified = verify(s, rfd, &done);
		status = status > verified ? status : verified;
	}
	if (status == EXIT_CLEAN)
		printf("%s: %zu range%s, %lld bytes repaired from %s (%s) and verified: no poison left, same bytes as the replica\n",
		       s->path, done.n, done.n == 1 ? "" : "s",
		       (long long)ranges_bytes(&done), o->replica, granularity(s));
	free(todo.v);
	free(done.v);
	return status;
}

static int cmd_repair(const struct options *o)
{
	struct scan s;
	int rfd = -1;
	int status = scan_open(&s, o, O_RDWR);

	if (status == EXIT_CLEAN && same_file(s.fd, o->replica))
		status = usage_error("REPLICA %s is FILE itself", o->replica);
	if (status == EXIT_CLEAN) {
		rfd = open(o->replica, O_RDONLY | O_CLOEXEC);
		if (rfd < 0) {
			warn("%s", o->replica);
			status = EXIT_SYSTEM;
		}
	}
	if (status == EXIT_CLEAN)
		status = scan_file(&s, o);
	if (status == EXIT_CLEAN && !s.bad.n)
		printf("%s: no poison in %lld bytes, nothing to repair\n", s.path,
		       (long long)s.size);
	else if (status == EXIT_CLEAN)
		status = repair_file(&s, rfd, o);
	if (rfd >= 0)
		close(rfd);
	scan_close(&s);
	return status;
}

/* ---- command line ---- */

static const char help_text[] =
"Usage: pmem-recover scan [--json] [--io-uring] FILE\n"
"       pmem-recover salvage [--map MAPFILE] [--io-uring] FILE OUT\n"
"       pmem-recover repair FILE --from REPLICA\n"
"\n"
"Find, salvage and repair the poisoned (media error) byte ranges of a file\n"
"on persistent memory: ext4 or xfs mounted with -o dax.  Reads and writes\n"
"use the RWF_RECOVERY_DATA flag of preadv2/pwritev2, which works on\n"
"512-byte sectors.  Where the kernel can say where the poison it knows of\n"
"is (FS_IOC_GETPOISON), scan and repair read nothing to find it and\n"
"salvage reads only around it; else the whole file is read.\n"
"\n"
"Commands:\n"
"  scan FILE               list the poisoned byte ranges of FILE\n"
"  salvage FILE OUT        copy every good byte of FILE to OUT, lost ranges\n"
"                          zero-filled, and write a ddrescue mapfile of them\n"
"  repair FILE --from REPLICA\n"
"                          rewrite only the poisoned ranges of FILE, in place,\n"
"                          from REPLICA; then check that no poison is left\n"
"                          and that those ranges equal REPLICA's\n"
"\n"
"Options:\n"
"  -j, --json              scan: print JSON instead of text\n"
"  -m, --map MAPFILE       salvage: where the mapfile goes (default OUT.map)\n"
"  -f, --from REPLICA      repair: the good copy of FILE\n"
"  -u, --io-uring          scan, salvage: read through io_uring\n"
"  -p, --progress          report progress on stderr every 64 MiB (default:\n"
"                          when stderr is a terminal and FILE is larger)\n"
"      --no-fallback       exit 4 instead of working without the flag\n"
"      --no-query          read the whole file to find its poison instead of\n"
"                          asking the kernel: finds poison not known yet\n"
"      --no-recovery-flag  work without the flag, as on a kernel without it\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"A kernel without RWF_RECOVERY_DATA refuses it (EOPNOTSUPP).  On a DAX file\n"
"the tool then says so and falls back to what such a kernel allows: plain\n"
"reads page by page, which lose a whole 4 KiB page for each bad sector,\n"
"and repairs by plain page-aligned writes of whole pages from the replica,\n"
"which clear poison where the platform can.  A file that is not on DAX\n"
"cannot use the flag at all (exit 4).\n"
"\n"
"Exit status:\n"
"  0  no poison found; nothing lost; every poisoned range repaired and verified\n"
"  1  poison found; bytes lost (zero-filled in OUT, listed in the mapfile);\n"
"     or a range could not be repaired or verified\n"
"  2  usage error\n"
"  3  I/O or system error other than poison (cannot open, read, write...)\n"
"  4  unsupported: FILE is not a DAX file (or not a regular file or block\n"
"     device), the flag was refused and --no-fallback was given, or io_uring\n"
"     is not available\n";

static const struct command {
	const char *name;
	int operands;
	unsigned int options;	/* OPT_* it takes */
	int (*run)(const struct options *o);
} commands[] = {
	{ "scan", 1, OPT_JSON | OPT_URING, cmd_scan },
	{ "salvage", 2, OPT_MAP | OPT_URING, cmd_salvage },
	{ "repair", 1, OPT_FROM, cmd_repair },
};

enum { LONG_NO_FALLBACK = 256, LONG_NO_FLAG, LONG_NO_QUERY };

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "map", required_argument, NULL, 'm' },
	{ "from", required_argument, NULL, 'f' },
	{ "io-uring", no_argument, NULL, 'u' },
	{ "progress", no_argument, NULL, 'p' },
	{ "no-fallback", no_argument, NULL, LONG_NO_FALLBACK },
	{ "no-recovery-flag", no_argument, NULL, LONG_NO_FLAG },
	{ "no-query", no_argument, NULL, LONG_NO_QUERY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* One option; returns 0, or EXIT_USAGE. */
static int parse_option(int c, struct options *o)
{
	switch (c) {
	case 'j':
		o->json = true;
		o->given |= OPT_JSON;
		break;
	case 'm':
		o->map = optarg;
		o->given |= OPT_MAP;
		break;
	case 'f':
		o->replica = optarg;
		o->given |= OPT_FROM;
		break;
	case 'u':
		o->io_uring = true;
		o->given |= OPT_URING;
		break;
	case 'p':
		o->progress = true;
		break;
	case LONG_NO_FALLBACK:
		o->no_fallback = true;
		break;
	case LONG_NO_FLAG:
		o->no_flag = true;
		break;
	case LONG_NO_QUERY:
		o->no_query = true;
		break;
	case 'h':
		fputs(help_text, stdout);
		o->done = true;
		break;
	case 'V':
		printf("pmem-recover %s\n", VERSION);
		o->done = true;
		break;
	default:	/* getopt said what is wrong */
		return try_help();
	}
	return 0;
}

/* The name of the lowest OPT_* bit in bits. */
static const char *option_name(unsigned int bits)
{
	static const char *const names[] = {
		"--json", "--map", "--from", "--io-uring",
	};

	return names[__builtin_ctz(bits)];
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Options may come anywhere: getopt moves the operands to the end. */
static int parse(int argc, char **argv, struct options *o,
		 const struct command **cmd)
{
	int c, operands;

	o->argc = argc;
	o->argv = argv;
	while ((c = getopt_long(argc, argv, "jm:f:uphV", long_options, NULL)) != -1) {
		if (parse_option(c, o))
			return EXIT_USAGE;
		if (o->done)
			return EXIT_CLEAN;
	}
	if (optind >= argc)
		return usage_error("no command: scan, salvage or repair");
	*cmd = find_command(argv[optind]);
	if (!*cmd)
		return usage_error("unknown command %s", argv[optind]);
	operands = argc - optind - 1;
	if (operands != (*cmd)->operands)
		return usage_error("%s takes %d file name%s, not %d", (*cmd)->name,
				   (*cmd)->operands, (*cmd)->operands == 1 ? "" : "s",
				   operands);
	if (o->given & ~(*cmd)->options)
		return usage_error("%s does not apply to %s",
				   option_name(o->given & ~(*cmd)->options),
				   (*cmd)->name);
	if ((*cmd)->options & OPT_FROM && !o->replica)
		return usage_error("repair needs --from REPLICA");
	if (o->no_flag && o->no_fallback)
		return usage_error("--no-recovery-flag and --no-fallback exclude each other");
	o->file = argv[optind + 1];
	o->out = operands > 1 ? argv[optind + 2] : NULL;
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	const struct command *cmd = NULL;
	int status = parse(argc, argv, &o, &cmd);

	if (status != EXIT_CLEAN || o.done)
		return status;
	return cmd->run(&o);
}
