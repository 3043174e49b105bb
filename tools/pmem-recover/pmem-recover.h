/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmem-recover: find, salvage and repair the poisoned byte ranges of a
 * file on persistent memory (a DAX file) with RWF_RECOVERY_DATA.
 */
#ifndef PMEM_RECOVER_H
#define PMEM_RECOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef RWF_RECOVERY_DATA
#define RWF_RECOVERY_DATA	0x00008000	/* <linux/fs.h> with the series */
#endif
#ifndef RWF_ATOMIC
#define RWF_ATOMIC		0x00000040	/* Linux 6.11 */
#endif

#define SECTOR_SIZE		512	/* the unit of pmem poison */

#if __has_include(<linux/fspoison.h>)
#include <linux/fspoison.h>
#else
/* <linux/fspoison.h> with the series (Linux 7.3): see ioctl_getpoison(2). */
#include <linux/ioctl.h>
#include <linux/types.h>

struct fs_poison_range {
	__u64	offset;
	__u64	length;
	__u32	flags;		/* FS_POISON_* */
	__u32	reserved;
};

#define FS_POISON_PAGEWISE	(1U << 0)

struct fs_poison_query {
	__u64	start;
	__u64	length;
	__u64	next;
	__u32	flags;
	__u32	count;
	__u32	filled;
	__u32	oflags;		/* FS_POISON_QUERY_* */
	__u64	reserved;
	struct fs_poison_range ranges[];
};

#define FS_POISON_QUERY_INCOMPLETE	(1U << 0)

#define FS_IOC_GETPOISON	_IOWR(0x15, 3, struct fs_poison_query)
#endif

/* Exit status: documented in --help and in pmem-recover(1). */
enum {
	EXIT_CLEAN = 0,		/* no poison, nothing lost, all repaired */
	EXIT_POISON = 1,	/* poison found, bytes lost, or not all repaired */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_SYSTEM = 3,	/* I/O or system error other than poison */
	EXIT_UNSUPPORTED = 4,	/* the file or kernel cannot do what was asked */
};

/*
 * One way to read the file: preadv2() or io_uring.  read() returns the
 * number of bytes read or a negative errno, like the kernel does.
 */
struct reader {
	int fd;
	const char *name;	/* "preadv2" or "io_uring", for messages */
	ssize_t (*read)(struct reader *rd, void *buf, size_t len, off_t off,
			int flags);
	void (*close)(struct reader *rd);
	void *priv;
};

/* uring.c: 0, or a negative errno if io_uring is not available. */
int uring_reader_open(struct reader *rd, int fd);

#endif
