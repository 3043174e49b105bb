// SPDX-License-Identifier: GPL-2.0
/*
 * flagged-io-loop: RWF_RECOVERY_DATA reads and writes of a file or a
 * block device, over and over, while a job takes the device away under
 * them (ndctl disable-namespace, dmsetup remove --force).
 *
 *   flagged-io-loop PATH SECONDS [BYTES]
 *
 * Each round reads BYTES (default 64 KiB, at least a sector) with the
 * flag and writes the first sector it read back in place with the flag,
 * so the data never changes.  Small rounds spend more of their time in
 * the driver, where the device can vanish between two calls.  PATH
 * must hold at least 4 MiB, so that every read is full while the device
 * is there.  Once a call fails, a hundred more rounds are made.  The
 * device going away must end in a clean error (EIO, ENXIO, ENODEV; for
 * a block device whose size dropped to 0, ENOSPC for writes and empty
 * reads, counted as ENODATA), not a crash, a hang or another errno.
 * Exit status: 0 when the calls ended that way, 1 on another errno, 2
 * when nothing failed in SECONDS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#ifndef RWF_RECOVERY_DATA
#define RWF_RECOVERY_DATA 0x00008000	/* include/uapi/linux/fs.h */
#endif
#define CHUNK		65536		/* the largest round */
#define SECTOR		512
#define SPAN		(64 * CHUNK)	/* offsets cycle through 4 MiB */
#define AFTERMATH	100		/* calls made after the first error */

static bool clean_error(int err)
{
	return err == EIO || err == ENXIO || err == ENODEV || err == ENOSPC ||
	       err == ENODATA;
}

/* One round; 0, or the errno of the first call that failed. */
static int round_trip(int fd, char *buf, size_t len, off_t off)
{
	struct iovec iov = { buf, len };
	ssize_t n;

	n = preadv2(fd, &iov, 1, off, RWF_RECOVERY_DATA);
	if (n < 0)
		return errno;
	if (n < SECTOR)
		return ENODATA;		/* the data is gone */
	iov.iov_len = SECTOR;
	return pwritev2(fd, &iov, 1, off, RWF_RECOVERY_DATA) < 0 ? errno : 0;
}

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	unsigned long calls = 0, after = 0, unclean = 0;
	size_t len = CHUNK;
	int fd, err = 0, first;
	time_t deadline;
	off_t off = 0;

	if (argc == 4)
		len = strtoul(argv[3], NULL, 0);
	if (argc < 3 || argc > 4 || len < SECTOR || len > CHUNK) {
		fprintf(stderr, "usage: %s PATH SECONDS [BYTES]\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	deadline = time(NULL) + atoi(argv[2]);
	while (!err && time(NULL) < deadline) {
		err = round_trip(fd, buf, len, off);
		calls++;
		off = (off + len) % SPAN;
	}
	first = err;
	/* Once gone, the device stays gone: calls fail or see an empty file. */
	while (first && after < AFTERMATH) {
		err = round_trip(fd, buf, len, off);
		after++;
		off = (off + len) % SPAN;
		unclean += err && !clean_error(err);
	}
	printf("%s: %lu rounds before the first error (%s), then %lu more%s\n",
	       argv[1], calls, first ? strerror(first) : "none in time", after,
	       unclean ? ", some failing with another errno" : "");
	close(fd);
	if (!first)
		return 2;
	return clean_error(first) && !unclean ? 0 : 1;
}
