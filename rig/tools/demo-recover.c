// SPDX-License-Identifier: GPL-2.0
/*
 * demo-recover: the demo's window on RWF_RECOVERY_DATA.
 *
 *   demo-recover salvage FILE            read every good byte, name the lost ones
 *   demo-recover repair FILE OFF LEN SRC rewrite FILE[OFF, OFF+LEN) from SRC
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>

#ifndef RWF_RECOVERY_DATA
#define RWF_RECOVERY_DATA 0x00008000	/* include/uapi/linux/fs.h */
#endif
#define SECTOR 512

static int salvage(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t off = 0, lost_from = -1, lost = 0;
	char buf[65536];
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st))
		return perror(path), 1;
	while (off < st.st_size) {
		struct iovec iov = { buf, sizeof(buf) };

		n = preadv2(fd, &iov, 1, off, RWF_RECOVERY_DATA);
		if (n < 0 && errno != EIO)
			return perror("preadv2(RWF_RECOVERY_DATA)"), 1;
		if (n < 0) {
			if (lost_from < 0)
				lost_from = off;
			off = (off / SECTOR + 1) * SECTOR;
			lost += SECTOR;
			continue;
		}
		if (lost_from >= 0)
			printf("  lost bytes %lld-%lld (a bad sector: EIO, skipped)\n",
			       (long long)lost_from, (long long)off - 1);
		lost_from = -1;
		off += n;
	}
	printf("  got back %lld of %lld bytes\n",
	       (long long)(st.st_size - lost), (long long)st.st_size);
	return 0;
}

static int repair(const char *path, off_t off, size_t len, const char *src)
{
	int fd = open(path, O_WRONLY), sfd = open(src, O_RDONLY);
	char *buf = malloc(len);
	struct iovec iov = { buf, len };
	ssize_t n;

	if (fd < 0 || sfd < 0 || !buf || pread(sfd, buf, len, off) != (ssize_t)len)
		return perror("repair"), 1;
	n = pwritev2(fd, &iov, 1, off, RWF_RECOVERY_DATA);
	if (n < 0)
		return printf("  pwritev2(RWF_RECOVERY_DATA): %s\n", strerror(errno)), 1;
	printf("  pwritev2(RWF_RECOVERY_DATA) wrote %zd bytes at %lld\n", n, (long long)off);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "salvage"))
		return salvage(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "repair"))
		return repair(argv[2], atoll(argv[3]), atoll(argv[4]), argv[5]);
	fprintf(stderr, "usage: demo-recover salvage FILE | repair FILE OFF LEN SRC\n");
	return 2;
}
