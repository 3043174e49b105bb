// SPDX-License-Identifier: GPL-2.0
/*
 * blk-bench: what RWF_RECOVERY_DATA costs on a clean block device and what
 * it buys on one with bad blocks, against plain O_DIRECT reads and against
 * a user-space ddrescue-style loop (large O_DIRECT reads, then one read
 * per logical block of a large read that failed).
 *
 *   blk-bench fill DEV SIZE            write the pattern to DEV's first SIZE bytes
 *   blk-bench clean DEV SIZE LABEL     plain vs flagged reads, O_DIRECT and buffered
 *                                      (the page cache warm), 4 KiB to 16 MiB
 *   blk-bench salvage DEV SIZE LABEL BLOCK...
 *                                      flagged loop vs ddrescue loop over a disk
 *                                      whose 512-byte blocks BLOCK... cannot be read
 *
 * Every measurement prints one line "bench case=CASE dev=LABEL key=value..."
 * for scripts/bench-blk-report.py.  Times come from CLOCK_MONOTONIC: under
 * QEMU's -icount shift=0 they count executed guest instructions plus the
 * time the guest waited for its (emulated) disk.  "calls" counts reads;
 * "log_lines" the kernel log records that appeared during the run (each
 * salvage run starts after the log's rate limits have let go: 6 s idle);
 * "failed_cmds" the commands a SCSI disk completed with an error (its
 * device/ioerr_cnt), -1 on other disks.  On a kernel without the flag the
 * flagged method prints error=.
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
#include <sys/mman.h>
#include <sys/uio.h>

#ifndef RWF_RECOVERY_DATA
#define RWF_RECOVERY_DATA 0x00008000	/* include/uapi/linux/fs.h, with the series */
#endif

#define BLOCK	512
#define CHUNK	(1 << 20)	/* what both salvage loops ask for at once */
#define REPS	5

static unsigned char *buf;	/* CHUNK bytes, aligned for O_DIRECT */
static unsigned long nr_calls;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t word_at(off_t off)
{
	return (off / 8 + 1) * 0x9e3779b97f4a7c15ull;
}

static void fill(unsigned char *p, off_t off, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = word_at(off + i);

		memcpy(p + i, &w, 8);
	}
}

static bool intact(const unsigned char *p, off_t off, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = word_at(off + i);

		if (memcmp(p + i, &w, 8))
			return false;
	}
	return true;
}

static ssize_t read_at(int fd, size_t len, off_t off, int flags)
{
	struct iovec iov = { buf, len };

	nr_calls++;
	return preadv2(fd, &iov, 1, off, flags);
}

/* The number of records now in the kernel log after @fd's position. */
static long log_records(int fd)
{
	char rec[8192];
	long n = 0;

	while (read(fd, rec, sizeof(rec)) > 0 || errno == EPIPE)
		n++;
	return n;
}

/* A SCSI disk's count of commands completed with an error, or -1. */
static long scsi_errors(const char *dev)
{
	char path[256];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/block/%s/device/ioerr_cnt",
		 strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%li", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

static int fill_case(int fd, off_t size)
{
	for (off_t off = 0; off < size; off += CHUNK) {
		fill(buf, off, CHUNK);
		if (pwrite(fd, buf, CHUNK, off) != CHUNK)
			return -1;
	}
	return fsync(fd);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One pass over the first @size bytes in reads of @len; 0 if all intact. */
static int read_pass(int fd, off_t size, size_t len, int flags)
{
	for (off_t off = 0; off < size; off += len)
		if (read_at(fd, len, off, flags) != (ssize_t)len || !intact(buf, off, len))
			return -1;
	return 0;
}

/*
 * Plain and flagged reads of the same clean range, O_DIRECT and through
 * the page cache (warm after the first pass), take turns after a warm-up
 * pass of each; the median pass of each is printed.
 */
static int clean_case(int fd, const char *dev, off_t size, const char *label)
{
	static const size_t sizes[] = { 4096, CHUNK, 16 * CHUNK };
	static const struct { const char *name; bool direct; int flags; } methods[] = {
		{ "plain", true, 0 }, { "flag", true, RWF_RECOVERY_DATA },
		{ "buffered", false, 0 }, { "buffered-flag", false, RWF_RECOVERY_DATA },
	};
	enum { NR_METHODS = sizeof(methods) / sizeof(methods[0]) };
	int cached = open(dev, O_RDONLY);

	if (cached < 0)
		return -1;
	for (unsigned int s = 0; s < 3; s++) {
		uint64_t ns[NR_METHODS][REPS];
		int err[NR_METHODS] = { 0 };

		for (int r = -1; r < REPS; r++)
			for (int m = 0; m < NR_METHODS; m++) {
				int mfd = methods[m].direct ? fd : cached;
				uint64_t t0 = now_ns();

				nr_calls = 0;
				if (!err[m] && read_pass(mfd, size, sizes[s], methods[m].flags))
					err[m] = errno ? errno : EIO;
				if (r >= 0)
					ns[m][r] = now_ns() - t0;
			}
		for (int m = 0; m < NR_METHODS; m++) {
			printf("bench case=blk-clean dev=%s size=%zu method=%s", label, sizes[s],
			       methods[m].name);
			if (err[m]) {
				printf(" error=%s\n", strerror(err[m]));
				continue;
			}
			qsort(ns[m], REPS, sizeof(ns[m][0]), cmp_u64);
			printf(" calls=%lu ms_median=%.6f ms_min=%.6f ms_max=%.6f\n", nr_calls,
			       ns[m][REPS / 2] / 1e6, ns[m][0] / 1e6, ns[m][REPS - 1] / 1e6);
		}
	}
	close(cached);
	return 0;
}

/*
 * Salvage loops: read all of [0, size), keep what can be read (checked
 * against the pattern) and mark in @bad the blocks that could not be.
 */
typedef int salvage_fn(int fd, off_t size, unsigned char *bad);

/*
 * The flagged loop as readv(2)'s example has it: keep what a call returns,
 * step over a block where a call fails with EIO.  With @skip, a short read
 * is taken at its word, that the block after it cannot be read, and that
 * block is stepped over without asking: the call that would fail is not
 * made.
 */
static int flagged_loop(int fd, off_t size, unsigned char *bad, bool skip)
{
	off_t off = 0;

	while (off < size) {
		size_t len = size - off < CHUNK ? size - off : CHUNK;
		ssize_t n = read_at(fd, len, off, RWF_RECOVERY_DATA);

		if (n > 0) {
			if (!intact(buf, off, n))
				return errno = EILSEQ, -1;
			off += n;
			if (skip && n < (ssize_t)len) {
				bad[off / BLOCK] = 1;
				off += BLOCK;
			}
		} else if (n < 0 && errno == EIO) {
			bad[off / BLOCK] = 1;
			off += BLOCK;
		} else {
			return errno = n ? errno : ENODATA, -1;
		}
	}
	return 0;
}

static int salvage_flagged(int fd, off_t size, unsigned char *bad)
{
	return flagged_loop(fd, size, bad, false);
}

static int salvage_flagged_skip(int fd, off_t size, unsigned char *bad)
{
	return flagged_loop(fd, size, bad, true);
}

static int salvage_ddrescue(int fd, off_t size, unsigned char *bad)
{
	for (off_t off = 0; off < size; off += CHUNK) {
		size_t len = size - off < CHUNK ? size - off : CHUNK;

		if (read_at(fd, len, off, 0) == (ssize_t)len) {
			if (!intact(buf, off, len))
				return errno = EILSEQ, -1;
			continue;
		}
		for (off_t b = off; b < off + (off_t)len; b += BLOCK) {
			if (read_at(fd, BLOCK, b, 0) == BLOCK) {
				if (!intact(buf, b, BLOCK))
					return errno = EILSEQ, -1;
			} else {
				bad[b / BLOCK] = 1;
			}
		}
	}
	return 0;
}

static int salvage_case(int fd, const char *dev, off_t size, const char *label, int nbad,
			char **blocks)
{
	static const struct { const char *name; salvage_fn *fn; } methods[] = {
		{ "flag", salvage_flagged }, { "flag-skip", salvage_flagged_skip },
		{ "ddrescue", salvage_ddrescue },
	};
	size_t nblocks = size / BLOCK;
	unsigned char *want = calloc(nblocks, 1), *bad = calloc(nblocks, 1);
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (!want || !bad || kmsg < 0)
		return -1;
	if (read_at(fd, BLOCK, 0, RWF_RECOVERY_DATA) < 0 && errno == EOPNOTSUPP) {
		printf("bench case=blk-salvage dev=%s k=%d error=%s\n", label, nbad,
		       strerror(errno));
		return 0;	/* the base kernel: nothing to compare */
	}
	for (int i = 0; i < nbad; i++)
		want[strtoul(blocks[i], NULL, 0)] = 1;
	for (unsigned int m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		long lines, failed;
		uint64_t t0;
		int err = 0;

		memset(bad, 0, nblocks);
		sleep(6);	/* printk_ratelimited()'s 5 s */
		lseek(kmsg, 0, SEEK_END);
		failed = scsi_errors(dev);
		nr_calls = 0;
		t0 = now_ns();
		if (methods[m].fn(fd, size, bad))
			err = errno;
		t0 = now_ns() - t0;
		lines = log_records(kmsg);
		if (failed >= 0)
			failed = scsi_errors(dev) - failed;
		printf("bench case=blk-salvage dev=%s k=%d method=%s", label, nbad,
		       methods[m].name);
		if (err)
			printf(" error=%s\n", strerror(err));
		else
			printf(" exact=%s calls=%lu ms=%.6f log_lines=%ld failed_cmds=%ld\n",
			       memcmp(bad, want, nblocks) ? "no" : "yes", nr_calls, t0 / 1e6,
			       lines, failed);
		fflush(stdout);
	}
	close(kmsg);
	free(want);
	free(bad);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: blk-bench fill DEV SIZE | clean DEV SIZE LABEL | "
		"salvage DEV SIZE LABEL BLOCK...\n");
	return 2;
}

int main(int argc, char **argv)
{
	off_t size;
	int fd, ret;

	if (argc < 4)
		return usage();
	size = strtoll(argv[3], NULL, 0) & ~(off_t)(CHUNK - 1);
	fd = open(argv[2], O_RDWR | O_DIRECT);
	buf = aligned_alloc(4096, 16 * CHUNK);
	if (fd < 0 || !buf || size < 16 * CHUNK)
		return perror("blk-bench: setup"), 1;
	/*
	 * Small pages only: whether a huge page backs the buffer decides how
	 * many segments a direct read's bios have, and so its cost, from one
	 * boot to the next.
	 */
	madvise(buf, 16 * CHUNK, MADV_NOHUGEPAGE);
	if (!strcmp(argv[1], "fill"))
		ret = fill_case(fd, size);
	else if (!strcmp(argv[1], "clean") && argc == 5)
		ret = clean_case(fd, argv[2], size, argv[4]);
	else if (!strcmp(argv[1], "salvage") && argc >= 5)
		ret = salvage_case(fd, argv[2], size, argv[4], argc - 5, argv + 5);
	else
		return usage();
	if (ret)
		perror("blk-bench");
	return !!ret;
}
