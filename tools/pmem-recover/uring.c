// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring reader of pmem-recover: the same reads as preadv2(), as
 * IORING_OP_READV requests whose sqe->rw_flags carry RWF_RECOVERY_DATA.
 * The kernel checks the flags of an io_uring read where it checks those
 * of preadv2() (kiocb_set_rw_flags()), so both readers see the same
 * results: a short read up to the first bad sector, EIO in one, and
 * EOPNOTSUPP where the flag cannot be used.
 *
 * One request at a time: salvage needs the result of a read to know
 * where the next one starts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <liburing.h>

#include "pmem-recover.h"

static ssize_t uring_read(struct reader *rd, void *buf, size_t len, off_t off,
			  int flags)
{
	struct io_uring *ring = rd->priv;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;	/* cannot happen: one request in flight */
	io_uring_prep_readv(sqe, rd->fd, &iov, 1, off);
	sqe->rw_flags = flags;

	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_peek_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

static void uring_close(struct reader *rd)
{
	io_uring_queue_exit(rd->priv);
	free(rd->priv);
}

int uring_reader_open(struct reader *rd, int fd)
{
	struct io_uring *ring = calloc(1, sizeof(*ring));
	int ret;

	if (!ring)
		return -ENOMEM;
	ret = io_uring_queue_init(2, ring, 0);
	if (ret < 0) {
		free(ring);
		return ret;
	}
	*rd = (struct reader) {
		.fd = fd, .name = "io_uring", .read = uring_read,
		.close = uring_close, .priv = ring,
	};
	return 0;
}
