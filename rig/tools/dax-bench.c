// SPDX-License-Identifier: GPL-2.0
/*
 * dax-bench: what RWF_RECOVERY_DATA buys and what it costs, on a file
 * system mounted with -o dax on a pmem disk whose poison can be injected
 * through /sys/block/NAME/badblocks and always cleared (the legacy rig).
 *
 *   dax-bench [-c CASES] [-r REPS] [-H HOT_REPS] [-S SCAN_REPS] [-L CALL] -d DEV -f FS DIR
 *
 * CASES is a comma-separated subset of salvage,repair,hot,scan,query,calls, run
 * in the order given (default: all of them).  Every measurement prints one line
 *
 *   bench case=CASE fs=FS k=K method=METHOD key=value...
 *
 * for scripts/bench.sh to tabulate.  "syscalls" counts the calls that move
 * data or change the file (reads, writes, fallocate, fdatasync, FIEMAP);
 * open and close are left out.  Times come from CLOCK_MONOTONIC; ms_median,
 * ms_min and ms_max summarise the repetitions, in which the methods compared
 * take turns after a warm-up round.  On a kernel without the flag (the
 * flagged calls fail with EOPNOTSUPP) the flagged methods are skipped.
 * With -L CALL, the calls case makes CALL (one of its methods) over and
 * over instead, and never ends: a debugger follows it into the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#ifndef RWF_RECOVERY_DATA
#define RWF_RECOVERY_DATA 0x00008000	/* include/uapi/linux/fs.h, with the series */
#endif

#if __has_include(<linux/fspoison.h>)
#include <linux/fspoison.h>
#else
/* <linux/fspoison.h> with the series: see ioctl_getpoison(2) */
struct fs_poison_range {
	__u64 offset, length;
	__u32 flags, reserved;
};

struct fs_poison_query {
	__u64 start, length, next;
	__u32 flags, count, filled, oflags;
	__u64 reserved;
	struct fs_poison_range ranges[];
};

#define FS_IOC_GETPOISON	_IOWR(0x15, 3, struct fs_poison_query)
#define FS_POISON_PAGEWISE	(1U << 0)
#endif

#define SECTOR		512
#define PAGE		4096
#define CHUNK		(1 << 20)	/* what a careful reader asks for at once */
#define SALVAGE_SIZE	(64LL << 20)
#define SCAN_SIZE	(1LL << 30)
#define MAX_REPS	64
#define SEED		0x5eedULL

static struct {
	const char *dir, *fs, *dev;
	const char *loop;	/* -L: the call that calls_case() loops on */
	char badblocks[256];
	int raw_fd;		/* the disk, O_DIRECT: raw salvage and poison clearing */
	bool has_flag;
	int reps, hot_reps, scan_reps;
} rig = { .reps = 5, .hot_reps = 7, .scan_reps = 3 };

static unsigned long nr_calls;	/* the "syscalls" of a measurement */

/* A damaged test file: where it lives on the disk and what it should hold. */
struct target {
	char path[512];
	int fd;
	off_t size;
	struct fiemap *map;
};

/* Which sectors of a file are poisoned: one flag per sector, and a list. */
struct damage {
	int k, run;
	unsigned char *bad;
	off_t *off;
};

/*
 * Where salvaged bytes go: file offset off lands at buf + off % wrap.  Its
 * pages are touched before the clock starts, or the first method measured
 * would pay the page faults of all.
 */
struct sink {
	char *buf;
	size_t wrap;		/* 0: the buffer holds the whole file */
	unsigned char *kept;	/* one flag per sector: read back */
};

struct times {
	double ms[MAX_REPS];
	int n;
	unsigned long calls;
};

struct range {
	off_t off;
	size_t len;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static double ms_since(uint64_t t0)
{
	return (now_ns() - t0) / 1e6;
}

/* The measured calls; one signature so that the hot path can take either. */
typedef ssize_t io_fn(int fd, void *buf, size_t len, off_t off, int flags);

static ssize_t do_pread(int fd, void *buf, size_t len, off_t off, int flags)
{
	nr_calls++;
	return pread(fd, buf, len, off);
}

static ssize_t do_pwrite(int fd, void *buf, size_t len, off_t off, int flags)
{
	nr_calls++;
	return pwrite(fd, buf, len, off);
}

static ssize_t do_preadv2(int fd, void *buf, size_t len, off_t off, int flags)
{
	struct iovec iov = { buf, len };

	nr_calls++;
	return preadv2(fd, &iov, 1, off, flags);
}

static ssize_t do_pwritev2(int fd, void *buf, size_t len, off_t off, int flags)
{
	struct iovec iov = { buf, len };

	nr_calls++;
	return pwritev2(fd, &iov, 1, off, flags);
}

static int do_fallocate(int fd, int mode, off_t off, off_t len)
{
	nr_calls++;
	return fallocate(fd, mode, off, len);
}

static int do_fdatasync(int fd)
{
	nr_calls++;
	return fdatasync(fd);
}

/*
 * The test files' contents: every 8-byte word names its own offset, so a
 * byte read back can be checked without keeping a copy of the file.
 */
static uint64_t word_at(off_t off)
{
	return (uint64_t)(off / 8 + 1) * 0x9e3779b97f4a7c15ULL;
}

static void fill(void *buf, off_t off, size_t len)
{
	uint64_t *w = buf;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = word_at(off + 8 * i);
}

static bool intact(const void *buf, off_t off, size_t len)
{
	const uint64_t *w = buf;

	for (size_t i = 0; i < len / 8; i++)
		if (w[i] != word_at(off + 8 * i))
			return false;
	return true;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * K bad sectors of a file of @size bytes, at random places picked from a
 * fixed seed (the same on every kernel and file system), in runs of @run
 * consecutive sectors that neither touch nor overlap: the kernel's
 * bad-block list holds at most 512 ranges.
 */
static int pick_damage(struct damage *d, off_t size, int k, int run)
{
	size_t nsect = size / SECTOR;
	uint64_t state = SEED ^ ((uint64_t)k << 32);
	int runs = k / run, n = 0;

	d->k = k;
	d->run = run;
	d->bad = calloc(nsect, 1);
	d->off = calloc(k ? k : 1, sizeof(*d->off));
	if (!d->bad || !d->off)
		return -1;
	while (runs) {
		size_t s = next_random(&state) % (nsect - run - 1) + 1;

		if (memchr(d->bad + s - 1, 1, run + 2))
			continue;
		memset(d->bad + s, 1, run);
		runs--;
	}
	for (size_t s = 0; s < nsect; s++)
		if (d->bad[s])
			d->off[n++] = (off_t)s * SECTOR;
	return 0;
}

static void free_damage(struct damage *d)
{
	free(d->bad);
	free(d->off);
}

/* The file's extents; FIEMAP_FLAG_SYNC so that delayed allocation is done. */
static struct fiemap *get_extents(int fd)
{
	unsigned int n = 64;

	for (;;) {
		struct fiemap *fm = calloc(1, sizeof(*fm) + n * sizeof(fm->fm_extents[0]));

		if (!fm)
			return NULL;
		fm->fm_length = FIEMAP_MAX_OFFSET;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = n;
		nr_calls++;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			free(fm);
			return NULL;
		}
		if (fm->fm_mapped_extents < n)
			return fm;
		free(fm);
		n *= 4;
	}
}

/* File offset -> byte of the disk, or -1 where nothing is mapped. */
static long long disk_byte(const struct fiemap *fm, off_t off)
{
	for (unsigned int i = 0; i < fm->fm_mapped_extents; i++) {
		const struct fiemap_extent *e = &fm->fm_extents[i];

		if (off >= (off_t)e->fe_logical && off < (off_t)(e->fe_logical + e->fe_length))
			return e->fe_physical + (off - e->fe_logical);
	}
	return -1;
}

/* Byte of the disk -> file offset, or -1 if the file does not own it. */
static off_t file_byte(const struct fiemap *fm, long long disk)
{
	for (unsigned int i = 0; i < fm->fm_mapped_extents; i++) {
		const struct fiemap_extent *e = &fm->fm_extents[i];

		if (disk >= (long long)e->fe_physical &&
		    disk < (long long)(e->fe_physical + e->fe_length))
			return e->fe_logical + (disk - e->fe_physical);
	}
	return -1;
}

/* Poison the damaged sectors of the file, one badblocks record each. */
static int inject(const struct target *t, const struct damage *d)
{
	int fd = open(rig.badblocks, O_WRONLY), ret = 0;

	if (fd < 0)
		return -1;
	for (int i = 0; i < d->k && !ret; i++) {
		long long disk = disk_byte(t->map, d->off[i]);

		if (disk < 0 || dprintf(fd, "%lld 1\n", disk / SECTOR) < 0)
			ret = -1;
	}
	close(fd);
	return ret;
}

/* Sectors listed in the disk's bad-block list, and their count. */
static long read_poison(long long *first, int *len, int max)
{
	FILE *f = fopen(rig.badblocks, "r");
	long long s;
	long total = 0;
	int n = 0, c;

	if (!f)
		return -1;
	while (fscanf(f, "%lld %d", &s, &c) == 2) {
		if (n < max) {
			first[n] = s;
			len[n++] = c;
		}
		total += c;
	}
	fclose(f);
	return max ? n : total;
}

/*
 * Clear every listed bad sector with an O_DIRECT write to the disk, which
 * legacy pmem always honours: the file's own sectors get their contents
 * back, sectors outside @map (free space) get zeros.
 */
static int clear_poison(const struct fiemap *map)
{
	static long long first[1024];
	static int len[1024];
	static char buf[SECTOR] __attribute__((aligned(PAGE)));
	long n = read_poison(first, len, 1024);

	for (long i = 0; i < n; i++) {
		for (long long s = first[i]; s < first[i] + len[i]; s++) {
			off_t off = map ? file_byte(map, s * SECTOR) : -1;

			if (off >= 0)
				fill(buf, off, SECTOR);
			else
				memset(buf, 0, SECTOR);
			if (pwrite(rig.raw_fd, buf, SECTOR, s * SECTOR) != SECTOR)
				return -1;
		}
	}
	return n < 0 || read_poison(NULL, NULL, 0) ? -1 : 0;
}

static void close_target(struct target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->map);
	t->fd = -1;
	t->map = NULL;
}

/* A fresh file of @size bytes of the pattern, on a disk with no poison. */
static int create_target(struct target *t, const char *name, off_t size)
{
	static char buf[CHUNK];
	unsigned long calls = nr_calls;
	off_t off;

	close_target(t);
	snprintf(t->path, sizeof(t->path), "%s/%s", rig.dir, name);
	unlink(t->path);
	if (clear_poison(NULL))
		return -1;
	t->size = size;
	t->fd = open(t->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (off = 0; t->fd >= 0 && off < size; off += CHUNK) {
		fill(buf, off, CHUNK);
		if (pwrite(t->fd, buf, CHUNK, off) != CHUNK)
			break;
	}
	if (off < size || fsync(t->fd))
		return -1;
	t->map = get_extents(t->fd);
	nr_calls = calls;
	return t->map ? 0 : -1;
}

/* Re-read the file's extents (after a repair moved blocks), uncounted. */
static int refresh_map(struct target *t)
{
	unsigned long calls = nr_calls;

	free(t->map);
	t->map = get_extents(t->fd);
	nr_calls = calls;
	return t->map ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const struct times *tm)
{
	double s[MAX_REPS];

	memcpy(s, tm->ms, tm->n * sizeof(s[0]));
	qsort(s, tm->n, sizeof(s[0]), cmp_double);
	return tm->n % 2 ? s[tm->n / 2] : (s[tm->n / 2 - 1] + s[tm->n / 2]) / 2;
}

static void print_times(const struct times *tm)
{
	double lo = tm->ms[0], hi = tm->ms[0];

	for (int i = 1; i < tm->n; i++) {
		lo = tm->ms[i] < lo ? tm->ms[i] : lo;
		hi = tm->ms[i] > hi ? tm->ms[i] : hi;
	}
	printf(" syscalls=%lu ms_median=%.6f ms_min=%.6f ms_max=%.6f reps=%d\n",
	       tm->calls, median(tm), lo, hi, tm->n);
	fflush(stdout);
}

/* ---- salvage: read every good byte of a damaged file ---- */

static int alloc_sink(struct sink *s, size_t bytes, size_t wrap, off_t file_size)
{
	s->buf = malloc(bytes);
	s->wrap = wrap;
	s->kept = malloc(file_size / SECTOR);
	if (!s->buf || !s->kept)
		return -1;
	memset(s->buf, 0, bytes);
	return 0;
}

static void free_sink(struct sink *s)
{
	free(s->buf);
	free(s->kept);
}

/*
 * The end of a case: its sink freed, the disk's poison cleared and its
 * file removed.
 */
static int end_case(struct target *t, struct sink *s)
{
	free_sink(s);
	if (clear_poison(t->map))
		return -1;
	close_target(t);
	return unlink(t->path);
}

static char *at(const struct sink *s, off_t off)
{
	return s->buf + (s->wrap ? (size_t)off % s->wrap : (size_t)off);
}

static void keep(struct sink *s, off_t off, size_t len)
{
	memset(s->kept + off / SECTOR, 1, (len + SECTOR - 1) / SECTOR);
}

typedef int salvage_fn(struct target *t, struct sink *s);

/* Base, any user: page by page; a page holding poison is lost whole. */
static int salvage_pages(struct target *t, struct sink *s)
{
	for (off_t off = 0; off < t->size; off += PAGE) {
		ssize_t n = do_pread(t->fd, at(s, off), PAGE, off, 0);

		if (n > 0)
			keep(s, off, n);
		else if (n < 0 && errno != EIO)
			return -1;
	}
	return 0;
}

/* Read [off, off + len); on EIO split it in two, down to single pages. */
static int read_bisect(struct target *t, struct sink *s, off_t off, size_t len)
{
	ssize_t n = do_pread(t->fd, at(s, off), len, off, 0);
	off_t mid;

	if (n > 0) {
		keep(s, off, n);
		return (size_t)n == len ? 0 : read_bisect(t, s, off + n, len - n);
	}
	if (n == 0 || errno != EIO)
		return n ? -1 : 0;
	if (len <= PAGE)
		return 0;	/* this page is lost */
	mid = (off + len / 2) & ~(off_t)(PAGE - 1);
	if (mid <= off)
		mid = off + PAGE;
	return read_bisect(t, s, off, mid - off) ?: read_bisect(t, s, mid, off + len - mid);
}

/* Base, any user: 1 MiB reads, a failing one bisected down to pages. */
static int salvage_bisect(struct target *t, struct sink *s)
{
	for (off_t off = 0; off < t->size; off += CHUNK) {
		size_t len = t->size - off < CHUNK ? t->size - off : CHUNK;

		if (read_bisect(t, s, off, len))
			return -1;
	}
	return 0;
}

/*
 * Base, root only: bisect through the file system, then read the sectors
 * of the lost pages from the disk itself (FIEMAP, O_DIRECT 512-byte reads),
 * where only the bad sectors fail.  It bypasses the file system, so it
 * needs root and a file that nobody writes meanwhile.
 */
static int salvage_raw(struct target *t, struct sink *s)
{
	static char buf[SECTOR] __attribute__((aligned(PAGE)));
	struct fiemap *fm;
	int ret = 0;

	if (salvage_bisect(t, s) || !(fm = get_extents(t->fd)))
		return -1;
	for (off_t off = 0; off < t->size && !ret; off += SECTOR) {
		long long disk = disk_byte(fm, off);

		if (s->kept[off / SECTOR] || disk < 0)
			continue;
		if (do_pread(rig.raw_fd, buf, SECTOR, disk, 0) == SECTOR) {
			memcpy(at(s, off), buf, SECTOR);
			keep(s, off, SECTOR);
		} else if (errno != EIO) {
			ret = -1;
		}
	}
	free(fm);
	return ret;
}

/* Where a flagged read that failed at @off goes on: where it skips to. */
typedef off_t skip_fn(const struct target *t, off_t off);

/* The next sector: the README's loop, as spec R2 gives it. */
static off_t next_sector(const struct target *t, off_t off)
{
	(void)t;
	return (off / SECTOR + 1) * SECTOR;
}

/*
 * The end of the poison that a flagged read at @off met, as far as
 * FS_IOC_GETPOISON knows it at sector granularity; the next sector where
 * it knows nothing (a page known only page-wise may hold good sectors).
 */
static off_t poison_end(const struct target *t, off_t off)
{
	struct {
		struct fs_poison_query q;
		struct fs_poison_range r;
	} u = { .q = { .start = off, .length = t->size - off, .count = 1 } };
	off_t next = next_sector(t, off);

	nr_calls++;
	if (ioctl(t->fd, FS_IOC_GETPOISON, &u.q) || !u.q.filled ||
	    u.r.offset > (__u64)off || u.r.flags & FS_POISON_PAGEWISE)
		return next;
	return u.r.offset + u.r.length > (__u64)next ? (off_t)(u.r.offset + u.r.length) : next;
}

/* Patched: read with the flag, and where a read fails, go on after @skip. */
static int flagged_loop(struct target *t, struct sink *s, skip_fn *skip)
{
	off_t off = 0;

	while (off < t->size) {
		size_t len = t->size - off < CHUNK ? t->size - off : CHUNK;
		ssize_t n = do_preadv2(t->fd, at(s, off), len, off, RWF_RECOVERY_DATA);

		if (n > 0) {
			keep(s, off, n);
			off += n;
		} else if (n < 0 && errno == EIO) {
			off = skip(t, off);
		} else {
			return -1;	/* early EOF or another error */
		}
	}
	return 0;
}

/* The README's loop: a sector skipped on EIO. */
static int salvage_flagged(struct target *t, struct sink *s)
{
	return flagged_loop(t, s, next_sector);
}

/*
 * pmem-recover's salvage loop: the whole bad range that FS_IOC_GETPOISON
 * reports where a read fails is skipped at once, one failing call per
 * range instead of one per bad sector.
 */
static int salvage_flagged_query(struct target *t, struct sink *s)
{
	return flagged_loop(t, s, poison_end);
}

struct salvage_method {
	const char *name;
	salvage_fn *fn;
	bool flagged;
};

static const struct salvage_method salvage_methods[] = {
	{ "page", salvage_pages, false },
	{ "bisect", salvage_bisect, false },
	{ "bisect+raw", salvage_raw, false },
	{ "flag", salvage_flagged, true },
};
static const struct salvage_method *const by_bisect = &salvage_methods[1];
static const struct salvage_method *const by_flag = &salvage_methods[3];
/* With no poison, bisection is exactly a loop of plain 1 MiB reads. */
static const struct salvage_method plain_read = { "read", salvage_bisect, false };
static const struct salvage_method by_flag_query = { "flag+query", salvage_flagged_query, true };

/*
 * Good bytes that came back intact, and kept bytes that should not have
 * (wrong contents, or a bad sector returned at all).  A wrapping sink
 * cannot be checked: it only counts.
 */
static void score(const struct sink *s, const struct target *t, const struct damage *d,
		  off_t *good, off_t *wrong)
{
	*good = *wrong = 0;
	for (off_t off = 0; off < t->size; off += SECTOR) {
		if (!s->kept[off / SECTOR])
			continue;
		if (!d->bad[off / SECTOR] && (s->wrap || intact(at(s, off), off, SECTOR)))
			*good += SECTOR;
		else
			*wrong += SECTOR;
	}
}

/* What one method did over the repetitions of a measurement. */
struct outcome {
	struct times tm;
	off_t good, wrong;
	int err;		/* the errno that ended the measurement early */
};

/* One run of @m; the last one of a measurement also checks the bytes. */
static void run_salvage(struct target *t, const struct damage *d, const struct salvage_method *m,
			struct sink *s, struct outcome *o, bool timed, bool last)
{
	uint64_t t0;

	if (o->err)
		return;
	memset(s->kept, 0, t->size / SECTOR);
	nr_calls = 0;
	t0 = now_ns();
	if (m->fn(t, s)) {
		o->err = errno;
		return;
	}
	if (timed)
		o->tm.ms[o->tm.n++] = ms_since(t0);
	o->tm.calls = nr_calls;
	if (last)
		score(s, t, d, &o->good, &o->wrong);
}

static void print_salvage(const char *what, const struct target *t, const struct damage *d,
			  int group, const struct salvage_method *m, const struct outcome *o)
{
	off_t present = t->size - (off_t)d->k * SECTOR;

	printf("bench case=%s fs=%s k=%d run_len=%d group=%d method=%s",
	       what, rig.fs, d->k, d->run, group, m->name);
	if (o->err) {
		printf(" error=%s\n", strerror(o->err));
		return;
	}
	printf(" good_pct=%.4f lost_per_bad=%.1f wrong_bytes=%lld mb_s=%.1f",
	       100.0 * o->good / present, d->k ? (double)(present - o->good) / d->k : 0.0,
	       (long long)o->wrong, t->size / 1048576.0 / (median(&o->tm) / 1000));
	print_times(&o->tm);
}

#define NR_SALVAGE_METHODS (sizeof(salvage_methods) / sizeof(salvage_methods[0]))

static bool usable(bool flagged)
{
	return !flagged || rig.has_flag;
}

/*
 * Round -1 of every measurement warms up (TCG translates code the first
 * time it runs), and the methods take turns in every round, so that a slow
 * spell of the host hits them all alike.
 */
static int salvage_case(struct target *t)
{
	static const int ks[] = { 1, 16, 256 };
	struct sink s;

	if (alloc_sink(&s, SALVAGE_SIZE, 0, SALVAGE_SIZE) ||
	    create_target(t, "salvage", SALVAGE_SIZE))
		return -1;
	for (unsigned int i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		struct outcome o[NR_SALVAGE_METHODS] = { 0 };
		struct damage d;

		if (pick_damage(&d, t->size, ks[i], 1) || clear_poison(t->map) || inject(t, &d))
			return -1;
		for (int r = -1; r < rig.reps; r++)
			for (unsigned int m = 0; m < NR_SALVAGE_METHODS; m++)
				if (usable(salvage_methods[m].flagged))
					run_salvage(t, &d, &salvage_methods[m], &s, &o[m],
						    r >= 0, r == rig.reps - 1);
		for (unsigned int m = 0; m < NR_SALVAGE_METHODS; m++)
			if (usable(salvage_methods[m].flagged))
				print_salvage("salvage", t, &d, ks[i], &salvage_methods[m], &o[m]);
		free_damage(&d);
	}
	return end_case(t, &s);
}

/* ---- repair: rewrite the bad sectors from a replica ---- */

/* The bad sectors widened to @gran bytes and merged where they touch. */
static int damage_ranges(const struct damage *d, size_t gran, struct range *r)
{
	int n = 0;

	for (int i = 0; i < d->k; i++) {
		off_t off = d->off[i] / gran * gran;

		if (n && r[n - 1].off + (off_t)r[n - 1].len >= off)
			r[n - 1].len = off + gran - r[n - 1].off;
		else
			r[n++] = (struct range){ off, gran };
	}
	return n;
}

typedef int repair_fn(struct target *t, const char *replica, const struct range *r, int n);

/* Base: whole pages, aligned, which is all an unflagged write repairs. */
static int repair_pages(struct target *t, const char *replica, const struct range *r, int n)
{
	for (int i = 0; i < n; i++)
		if (do_pwrite(t->fd, (char *)replica + r[i].off, r[i].len, r[i].off, 0) !=
		    (ssize_t)r[i].len)
			return -1;
	return do_fdatasync(t->fd);
}

/*
 * Base, the old advice (libpmem2's bad-block clear for fsdax files): punch
 * the blocks out, allocate them again, then write the data back.
 */
static int repair_punch(struct target *t, const char *replica, const struct range *r, int n)
{
	for (int i = 0; i < n; i++) {
		if (do_fallocate(t->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 r[i].off, r[i].len) ||
		    do_fallocate(t->fd, FALLOC_FL_KEEP_SIZE, r[i].off, r[i].len) ||
		    do_pwrite(t->fd, (char *)replica + r[i].off, r[i].len, r[i].off, 0) !=
		    (ssize_t)r[i].len)
			return -1;
	}
	return do_fdatasync(t->fd);
}

/* Patched: one flagged write per run of bad sectors. */
static int repair_flagged(struct target *t, const char *replica, const struct range *r, int n)
{
	for (int i = 0; i < n; i++)
		if (do_pwritev2(t->fd, (char *)replica + r[i].off, r[i].len, r[i].off,
				RWF_RECOVERY_DATA) != (ssize_t)r[i].len)
			return -1;
	return do_fdatasync(t->fd);
}

struct repair_method {
	const char *name;
	size_t gran;
	repair_fn *fn;
	bool flagged;
};

static const struct repair_method repair_methods[] = {
	{ "page-rewrite", PAGE, repair_pages, false },
	{ "punch-write", PAGE, repair_punch, false },
	{ "flag", SECTOR, repair_flagged, true },
};

/* After a repair: an unflagged read of the whole file gives the replica. */
static bool repaired(struct target *t, const char *replica)
{
	static char buf[CHUNK];

	for (off_t off = 0; off < t->size; off += CHUNK)
		if (pread(t->fd, buf, CHUNK, off) != CHUNK || memcmp(buf, replica + off, CHUNK))
			return false;
	return true;
}

struct repair_result {
	unsigned long calls;
	unsigned int extents_before, extents_after;
	long poison_left;
	bool data_ok;
};

/* One repetition: a fresh damaged file, the repair, and what it left. */
static int repair_once(struct target *t, const struct damage *d, const struct repair_method *m,
		       const char *replica, const struct range *r, int n,
		       double *ms, struct repair_result *res)
{
	uint64_t t0;

	if (create_target(t, "repair", SALVAGE_SIZE) || inject(t, d))
		return -1;
	res->extents_before = t->map->fm_mapped_extents;
	/* The file system's own writeback is not the repair's to pay. */
	sync();
	nr_calls = 0;
	t0 = now_ns();
	if (m->fn(t, replica, r, n))
		return -1;
	*ms = ms_since(t0);
	res->calls = nr_calls;
	if (refresh_map(t))
		return -1;
	res->extents_after = t->map->fm_mapped_extents;
	res->poison_left = read_poison(NULL, NULL, 0);
	res->data_ok = repaired(t, replica);
	return 0;
}

struct repair_outcome {
	struct times tm;
	struct repair_result last;
	bool all_ok;
	int err;
};

static void run_repair(struct target *t, const struct damage *d, const struct repair_method *m,
		       const char *replica, struct repair_outcome *o, bool timed)
{
	static struct range r[SALVAGE_SIZE / SECTOR];
	int n = damage_ranges(d, m->gran, r);
	double ms;

	if (o->err)
		return;
	if (repair_once(t, d, m, replica, r, n, &ms, &o->last)) {
		o->err = errno;
		return;
	}
	if (timed)
		o->tm.ms[o->tm.n++] = ms;
	o->tm.calls = o->last.calls;
	o->all_ok &= o->last.data_ok;
}

static void print_repair(const struct damage *d, const struct repair_method *m,
			 const struct repair_outcome *o)
{
	static struct range r[SALVAGE_SIZE / SECTOR];
	int n = damage_ranges(d, m->gran, r);
	long long written = 0;

	for (int i = 0; i < n; i++)
		written += r[i].len;
	printf("bench case=repair fs=%s k=%d method=%s", rig.fs, d->k, m->name);
	if (o->err) {
		printf(" error=%s\n", strerror(o->err));
		return;
	}
	printf(" extents_before=%u extents_after=%u rewritten_good_bytes=%lld poison_left=%ld data_ok=%s",
	       o->last.extents_before, o->last.extents_after, written - (long long)d->k * SECTOR,
	       o->last.poison_left, o->all_ok ? "yes" : "no");
	print_times(&o->tm);
}

#define NR_REPAIR_METHODS (sizeof(repair_methods) / sizeof(repair_methods[0]))

/* Warm-up round and methods taking turns, as for salvage. */
static int repair_case(struct target *t)
{
	static const int ks[] = { 1, 16, 256 };
	char *replica = malloc(SALVAGE_SIZE);

	if (!replica)
		return -1;
	fill(replica, 0, SALVAGE_SIZE);
	for (unsigned int i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		struct repair_outcome o[NR_REPAIR_METHODS];
		struct damage d;

		if (pick_damage(&d, SALVAGE_SIZE, ks[i], 1))
			return -1;
		for (unsigned int m = 0; m < NR_REPAIR_METHODS; m++)
			o[m] = (struct repair_outcome){ .all_ok = true };
		for (int r = -1; r < rig.reps; r++)
			for (unsigned int m = 0; m < NR_REPAIR_METHODS; m++)
				if (usable(repair_methods[m].flagged))
					run_repair(t, &d, &repair_methods[m], replica, &o[m], r >= 0);
		for (unsigned int m = 0; m < NR_REPAIR_METHODS; m++)
			if (usable(repair_methods[m].flagged))
				print_repair(&d, &repair_methods[m], &o[m]);
		free_damage(&d);
	}
	free(replica);
	close_target(t);
	unlink(t->path);
	return clear_poison(NULL);
}

/* ---- hot path: I/O on a clean file, flagged or not ---- */

struct hot_op {
	const char *name;
	io_fn *io;
	int flags;
};

static const struct hot_op hot_ops[] = {
	{ "pread", do_pread, 0 },
	{ "pwrite", do_pwrite, 0 },
	{ "preadv2", do_preadv2, 0 },
	{ "pwritev2", do_pwritev2, 0 },
	{ "preadv2-flag", do_preadv2, RWF_RECOVERY_DATA },
	{ "pwritev2-flag", do_pwritev2, RWF_RECOVERY_DATA },
};
#define NR_HOT_OPS (sizeof(hot_ops) / sizeof(hot_ops[0]))

/* One pass over the whole file in @bs-byte calls; its time in ms. */
static double hot_pass(struct target *t, const struct hot_op *op, char *buf, size_t bs)
{
	uint64_t t0 = now_ns();

	for (off_t off = 0; off < t->size; off += bs)
		if (op->io(t->fd, buf, bs, off, op->flags) != (ssize_t)bs)
			return -1;
	return ms_since(t0);
}

/*
 * The yardstick: user-space copies of as many bytes, in as big pieces, as
 * a pass moves.  The host's speed drifts by tens of percent over minutes
 * (TCG on a shared machine), so each pass is also reported divided by the
 * yardstick timed just before it: kernels booted minutes apart compare on
 * that quotient.
 */
static double yardstick(char *dst, const char *src, size_t bs, off_t bytes)
{
	uint64_t t0 = now_ns();

	for (off_t off = 0; off < bytes; off += bs) {
		memcpy(dst, src + off, bs);
		__asm__ volatile("" : : "r"(dst) : "memory");	/* keep every copy */
	}
	return ms_since(t0);
}

static void print_hot(const struct hot_op *op, size_t bs, const struct times *tm,
		      const struct times *rel)
{
	double lo = rel->ms[0], hi = rel->ms[0];

	for (int i = 1; i < rel->n; i++) {
		lo = rel->ms[i] < lo ? rel->ms[i] : lo;
		hi = rel->ms[i] > hi ? rel->ms[i] : hi;
	}
	printf("bench case=hot fs=%s k=0 method=%s bs=%zu us_per_call=%.3f"
	       " rel_median=%.4f rel_min=%.4f rel_max=%.4f",
	       rig.fs, op->name, bs, median(tm) * 1000 / tm->calls, median(rel), lo, hi);
	print_times(tm);
}

static int hot_case(struct target *t)
{
	static const size_t sizes[] = { PAGE, CHUNK };
	static struct times tm[2][NR_HOT_OPS], rel[2][NR_HOT_OPS];
	static char buf[CHUNK];
	int nops = rig.has_flag ? NR_HOT_OPS : NR_HOT_OPS - 2;
	char *src = malloc(SALVAGE_SIZE);

	if (!src || create_target(t, "hot", SALVAGE_SIZE))
		return -1;
	fill(src, 0, SALVAGE_SIZE);
	fill(buf, 0, CHUNK);
	/* Repetitions outside, operations inside: drift hits all alike. */
	for (int r = -1; r < rig.hot_reps; r++) {
		for (int s = 0; s < 2; s++) {
			for (int o = 0; o < nops; o++) {
				double y = yardstick(buf, src, sizes[s], t->size);
				double ms = hot_pass(t, &hot_ops[o], buf, sizes[s]);

				if (ms < 0)
					return -1;
				if (r < 0)	/* the first round warms up */
					continue;
				tm[s][o].ms[tm[s][o].n++] = ms;
				tm[s][o].calls = t->size / sizes[s];
				rel[s][o].ms[rel[s][o].n++] = ms / y;
			}
		}
	}
	for (int s = 0; s < 2; s++)
		for (int o = 0; o < nops; o++)
			print_hot(&hot_ops[o], sizes[s], &tm[s][o], &rel[s][o]);
	free(src);
	close_target(t);
	unlink(t->path);
	return 0;
}

/* ---- scan: the flagged loop over a big file, against a clean read ---- */

/*
 * Every round reads the file clean (plain reads and the flagged loop: the
 * reference), then poisons it and salvages it (bisection, the flagged
 * loop, and the flagged loop that asks where each bad range ends): the
 * ratios compare runs a second apart.
 */
static int scan_round(struct target *t, const struct damage *none, const struct damage *d,
		      struct sink *s, struct outcome *o, bool timed, bool last)
{
	if (clear_poison(t->map))
		return -1;
	run_salvage(t, none, &plain_read, s, &o[0], timed, last);
	if (rig.has_flag)
		run_salvage(t, none, by_flag, s, &o[1], timed, last);
	if (inject(t, d))
		return -1;
	run_salvage(t, d, by_bisect, s, &o[2], timed, last);
	if (rig.has_flag) {
		run_salvage(t, d, by_flag, s, &o[3], timed, last);
		run_salvage(t, d, &by_flag_query, s, &o[4], timed, last);
	}
	return 0;
}

static int scan_case(struct target *t)
{
	static const int ks[] = { 1, 64, 4096 };
	struct damage none;
	struct sink s;

	if (alloc_sink(&s, 2 * CHUNK, CHUNK, SCAN_SIZE) || pick_damage(&none, SCAN_SIZE, 0, 1) ||
	    create_target(t, "scan", SCAN_SIZE))
		return -1;
	for (unsigned int i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		struct outcome o[5] = { 0 };
		struct damage d;

		/* The bad-block list holds 512 ranges: 4096 sectors come in runs. */
		if (pick_damage(&d, t->size, ks[i], ks[i] > 256 ? 16 : 1))
			return -1;
		for (int r = -1; r < rig.scan_reps; r++)
			if (scan_round(t, &none, &d, &s, o, r >= 0, r == rig.scan_reps - 1))
				return -1;
		print_salvage("scan", t, &none, ks[i], &plain_read, &o[0]);
		if (rig.has_flag)
			print_salvage("scan", t, &none, ks[i], by_flag, &o[1]);
		print_salvage("scan", t, &d, ks[i], by_bisect, &o[2]);
		if (rig.has_flag) {
			print_salvage("scan", t, &d, ks[i], by_flag, &o[3]);
			print_salvage("scan", t, &d, ks[i], &by_flag_query, &o[4]);
		}
		free_damage(&d);
	}
	free_damage(&none);
	free_sink(&s);
	if (clear_poison(t->map))
		return -1;
	close_target(t);
	unlink(t->path);
	return 0;
}

/* ---- calls: what the calls of the flagged read loop cost, one by one ---- */

#define CALLS_SIZE	(8 << 20)
#define CALLS_BAD	((4 << 20) + 3 * SECTOR)	/* a run of 16 bad sectors */
#define CALLS_RUN	16
#define CALLS_REPS	2000

struct call_op {
	const char *name;
	io_fn *io;
	int flags;
	off_t off;
	size_t len;
	ssize_t expect;		/* what every call returns; -1: fails with EIO */
};

/*
 * The calls a flagged read loop makes around a run of bad sectors, each
 * beside its unflagged counterpart: a clean sector, a call that starts in
 * the run (EIO: the loop makes one per bad sector), the call that reads up
 * to the run, and one that starts in the page the run ends in; and a
 * clean page rewritten in place (with the data it holds), flagged or not.
 * All through preadv2() and pwritev2(), so that a debugger can tell them
 * from the calls of other programs.
 */
static const struct call_op call_ops[] = {
	{ "plain-512", do_preadv2, 0, 0, SECTOR, SECTOR },
	{ "flag-512", do_preadv2, RWF_RECOVERY_DATA, 0, SECTOR, SECTOR },
	{ "plain-eio", do_preadv2, 0, CALLS_BAD, CHUNK, -1 },
	{ "flag-eio", do_preadv2, RWF_RECOVERY_DATA, CALLS_BAD, CHUNK, -1 },
	{ "flag-eio-512", do_preadv2, RWF_RECOVERY_DATA, CALLS_BAD, SECTOR, -1 },
	{ "flag-to-run", do_preadv2, RWF_RECOVERY_DATA, CALLS_BAD - 3 * SECTOR, CHUNK,
	  3 * SECTOR },
	{ "flag-after-run", do_preadv2, RWF_RECOVERY_DATA, CALLS_BAD + CALLS_RUN * SECTOR,
	  SECTOR, SECTOR },
	{ "plain-write", do_pwritev2, 0, 0, PAGE, PAGE },
	{ "flag-write", do_pwritev2, RWF_RECOVERY_DATA, 0, PAGE, PAGE },
};
#define NR_CALL_OPS (sizeof(call_ops) / sizeof(call_ops[0]))

/* @CALLS_REPS calls of @op; the time of one, in ns, or -1 if one went wrong. */
static double call_pass(struct target *t, const struct call_op *op, char *buf)
{
	static char page[PAGE];
	uint64_t t0;

	if (op->io == do_pwritev2) {	/* what the file holds there */
		fill(page, op->off, PAGE);
		buf = page;
	}
	t0 = now_ns();

	for (int i = 0; i < CALLS_REPS; i++) {
		ssize_t n = op->io(t->fd, buf, op->len, op->off, op->flags);

		if (n != op->expect || (n < 0 && errno != EIO))
			return -1;
	}
	return (double)(now_ns() - t0) / CALLS_REPS;
}

/*
 * -L METHOD: make one of the calls over and over, never returning, for a
 * debugger to follow through the kernel (scripts/insn-profile.sh).
 */
static int loop_call(struct target *t, const char *name, char *buf)
{
	unsigned int o = 0;

	while (o < NR_CALL_OPS && strcmp(call_ops[o].name, name))
		o++;
	if (o == NR_CALL_OPS || !usable(call_ops[o].flags)) {
		errno = EINVAL;
		return -1;
	}
	printf("bench case=loop method=%s\n", name);
	fflush(stdout);
	while (call_pass(t, &call_ops[o], buf) >= 0)
		;
	return -1;
}

static int calls_case(struct target *t)
{
	static struct times tm[NR_CALL_OPS];
	static char buf[CHUNK];
	struct damage d = { .k = CALLS_RUN, .run = CALLS_RUN };
	off_t off[CALLS_RUN];
	unsigned int o;

	for (int i = 0; i < CALLS_RUN; i++)
		off[i] = CALLS_BAD + (off_t)i * SECTOR;
	d.off = off;
	if (create_target(t, "calls", CALLS_SIZE) || inject(t, &d))
		return -1;
	if (rig.loop)
		return loop_call(t, rig.loop, buf);
	for (int r = -1; r < rig.hot_reps; r++) {
		for (o = 0; o < NR_CALL_OPS; o++) {
			double ns;

			if (!usable(call_ops[o].flags))
				continue;
			ns = call_pass(t, &call_ops[o], buf);
			if (ns < 0)
				break;
			if (r >= 0)	/* the first round warms up */
				tm[o].ms[tm[o].n++] = ns / 1e6;
		}
		if (o < NR_CALL_OPS)
			break;
	}
	for (o = 0; o < NR_CALL_OPS; o++) {
		if (!usable(call_ops[o].flags))
			continue;
		printf("bench case=calls fs=%s k=%d method=%s bytes=%zu returns=%zd",
		       rig.fs, CALLS_RUN, call_ops[o].name, call_ops[o].len,
		       call_ops[o].expect);
		if (tm[o].n < rig.hot_reps) {
			printf(" error=%s\n", strerror(errno));
			continue;
		}
		tm[o].calls = 1;
		print_times(&tm[o]);
	}
	fflush(stdout);
	if (clear_poison(t->map))
		return -1;
	close_target(t);
	return unlink(t->path);
}

/* ---- query: find the poison by asking, or by reading ---- */

#define QUERY_ROOM	64	/* ranges per FS_IOC_GETPOISON: answers are resumed */

typedef int find_fn(struct target *t, struct sink *s, unsigned char *found);

/* Mark [off, off + len) of the file as found poisoned. */
static void mark(unsigned char *found, off_t off, off_t len)
{
	memset(found + off / SECTOR, 1, (len + SECTOR - 1) / SECTOR);
}

/* The flagged read loop: every byte read, a sector stepped over on EIO. */
static int find_by_reading(struct target *t, struct sink *s, unsigned char *found)
{
	off_t off = 0;

	while (off < t->size) {
		size_t len = t->size - off < CHUNK ? t->size - off : CHUNK;
		ssize_t n = do_preadv2(t->fd, at(s, off), len, off, RWF_RECOVERY_DATA);

		if (n > 0) {
			off += n;
		} else if (n < 0 && errno == EIO) {
			mark(found, off, SECTOR);
			off = (off / SECTOR + 1) * SECTOR;
		} else {
			errno = n ? errno : ENODATA;	/* early EOF */
			return -1;
		}
	}
	return 0;
}

/* FS_IOC_GETPOISON over the whole file, resumed where each answer ends. */
static int find_by_query(struct target *t, struct sink *s, unsigned char *found)
{
	static union {
		struct fs_poison_query q;
		char room[sizeof(struct fs_poison_query) +
			  QUERY_ROOM * sizeof(struct fs_poison_range)];
	} u;
	__u64 start = 0;

	(void)s;
	while (start < (__u64)t->size) {
		u.q = (struct fs_poison_query){
			.start = start, .length = t->size - start, .count = QUERY_ROOM,
		};
		nr_calls++;
		if (ioctl(t->fd, FS_IOC_GETPOISON, &u.q))
			return -1;
		if (u.q.next <= start || u.q.next > (__u64)t->size ||
		    u.q.filled > QUERY_ROOM) {
			errno = EPROTO;
			return -1;
		}
		for (__u32 i = 0; i < u.q.filled; i++) {
			const struct fs_poison_range *p = &u.q.ranges[i];

			if (p->offset < start || p->offset >= u.q.next ||
			    p->length > u.q.next - p->offset) {
				errno = EPROTO;
				return -1;
			}
			mark(found, p->offset, p->length);
		}
		start = u.q.next;
	}
	return 0;
}

struct find_method {
	const char *name;
	find_fn *fn;
};

static const struct find_method find_methods[] = {
	{ "flag", find_by_reading },
	{ "query", find_by_query },
};

#define NR_FIND_METHODS (sizeof(find_methods) / sizeof(find_methods[0]))

struct find_outcome {
	struct times tm;
	bool exact;		/* found exactly the injected sectors, every time */
	int err;
};

static void run_find(struct target *t, const struct damage *d, const struct find_method *m,
		     struct sink *s, struct find_outcome *o, bool timed)
{
	size_t nsect = t->size / SECTOR;
	unsigned char *found = calloc(nsect, 1);
	uint64_t t0;

	if (o->err)
		goto out;
	if (!found) {
		o->err = ENOMEM;
		goto out;
	}
	nr_calls = 0;
	t0 = now_ns();
	if (m->fn(t, s, found)) {
		o->err = errno ? errno : EIO;
		goto out;
	}
	if (timed)
		o->tm.ms[o->tm.n++] = ms_since(t0);
	o->tm.calls = nr_calls;
	o->exact &= !memcmp(found, d->bad, nsect);
out:
	free(found);
}

/*
 * A 1 GiB file with 4096 bad sectors in 256 runs of 16: the flagged read
 * loop finds them by reading the whole file, FS_IOC_GETPOISON by asking
 * the kernel, reading nothing.  Both must find exactly those sectors.
 * A kernel without the ioctl gets error= on the query's line.
 */
static int query_case(struct target *t)
{
	struct find_outcome o[NR_FIND_METHODS] = { 0 };
	struct damage d;
	struct sink s;

	if (!rig.has_flag)
		return 0;
	if (alloc_sink(&s, 2 * CHUNK, CHUNK, SCAN_SIZE) ||
	    create_target(t, "query", SCAN_SIZE) ||
	    pick_damage(&d, t->size, 4096, 16) || inject(t, &d))
		return -1;
	for (unsigned int m = 0; m < NR_FIND_METHODS; m++)
		o[m].exact = true;
	for (int r = -1; r < rig.scan_reps; r++)
		for (unsigned int m = 0; m < NR_FIND_METHODS; m++)
			run_find(t, &d, &find_methods[m], &s, &o[m], r >= 0);
	for (unsigned int m = 0; m < NR_FIND_METHODS; m++) {
		printf("bench case=query fs=%s k=%d run_len=%d method=%s", rig.fs, d.k,
		       d.run, find_methods[m].name);
		if (o[m].err) {
			printf(" error=%s\n", strerror(o[m].err));
			continue;
		}
		printf(" exact=%s", o[m].exact ? "yes" : "no");
		print_times(&o[m].tm);
	}
	fflush(stdout);
	free_damage(&d);
	return end_case(t, &s);
}

/* Does this kernel know the flag?  The base kernel says EOPNOTSUPP. */
static int probe_flag(void)
{
	static char buf[PAGE];
	struct iovec iov = { buf, PAGE };
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/probe", rig.dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || pwrite(fd, buf, PAGE, 0) != PAGE)
		return -1;
	n = preadv2(fd, &iov, 1, 0, RWF_RECOVERY_DATA);
	rig.has_flag = n == PAGE;
	close(fd);
	unlink(path);
	return n == PAGE || errno == EOPNOTSUPP ? 0 : -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: dax-bench [-c salvage,repair,hot,scan,query,calls] [-r REPS] [-H HOT_REPS] "
		"[-S SCAN_REPS] [-L CALL] -d DEV -f FS DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct target *t);
	} cases[] = {
		{ "salvage", salvage_case },
		{ "repair", repair_case },
		{ "hot", hot_case },
		{ "scan", scan_case },
		{ "query", query_case },
		{ "calls", calls_case },
	};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))
	const char *wanted = "salvage,repair,hot,scan,query,calls";
	struct target t = { .fd = -1 };
	unsigned int order[16], n = 0;
	char *list, *name;
	struct utsname u;
	int c, ret = 0;

	while ((c = getopt(argc, argv, "c:r:H:S:d:f:L:")) != -1) {
		switch (c) {
		case 'c': wanted = optarg; break;
		case 'r': rig.reps = atoi(optarg); break;
		case 'H': rig.hot_reps = atoi(optarg); break;
		case 'S': rig.scan_reps = atoi(optarg); break;
		case 'd': rig.dev = optarg; break;
		case 'f': rig.fs = optarg; break;
		case 'L': rig.loop = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc - 1 || !rig.dev || !rig.fs || rig.reps < 1 || rig.reps > MAX_REPS ||
	    rig.hot_reps < 1 || rig.hot_reps > MAX_REPS || rig.scan_reps < 1 ||
	    rig.scan_reps > MAX_REPS)
		return usage();
	rig.dir = argv[optind];
	snprintf(rig.badblocks, sizeof(rig.badblocks), "/sys/block/%s/badblocks",
		 strrchr(rig.dev, '/') ? strrchr(rig.dev, '/') + 1 : rig.dev);
	rig.raw_fd = open(rig.dev, O_RDWR | O_DIRECT);
	if (rig.raw_fd < 0 || probe_flag() || uname(&u))
		return perror("dax-bench: setup"), 1;
	printf("bench case=info fs=%s flag=%s release=%s reps=%d hot_reps=%d scan_reps=%d\n",
	       rig.fs, rig.has_flag ? "yes" : "no", u.release, rig.reps, rig.hot_reps,
	       rig.scan_reps);
	fflush(stdout);

	/*
	 * In the order asked: each case leaves the file system as it found
	 * it only roughly, and a figure compared between kernels must come
	 * from the same history on both.
	 */
	for (list = strdup(wanted); list && (name = strsep(&list, ",")) && n < 16;) {
		unsigned int i = 0;

		while (i < NR_CASES && strcmp(name, cases[i].name))
			i++;
		if (i == NR_CASES)
			return usage();	/* before any case ran */
		order[n++] = i;
	}
	for (unsigned int j = 0; j < n; j++) {
		unsigned int i = order[j];

		if (!cases[i].run(&t))
			continue;
		/* Say it where the results go, too: the table must show the gap. */
		printf("bench case=error fs=%s failed=%s error=%s\n", rig.fs, cases[i].name,
		       strerror(errno));
		fflush(stdout);
		ret = 1;
	}
	close_target(&t);
	return ret;
}
