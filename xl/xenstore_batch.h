/*
 * xenstore_batch.h: a pipelined xenstore reader (many READ/DIRECTORY requests
 * in flight on one xenstored socket connection).
 *
 * Why: libxenstore is synchronous (one request, wait for its reply, plus
 * two rt_sigaction calls per request), and `xl list -l` needs hundreds of
 * reads. The wire protocol lets a client send many requests without
 * waiting: each carries a req_id that its reply echoes. This client queues
 * requests, then sends them in a few write(2)s while reading the replies
 * in big chunks, keeping at most XL_XSB_DEPTH requests outstanding because
 * xenstored caps the outstanding requests per connection.
 *
 * Model: one struct xl_xsb is one connection plus one batch. Queue with
 * xl_xsb_read()/xl_xsb_directory() (they return the request's index),
 * send and collect with xl_xsb_run(), read the answers by index, then
 * xl_xsb_clear() and queue the next round on the same connection.
 * Strings returned are borrowed from the batch: valid until the next
 * xl_xsb_clear() or xl_xsb_close().
 *
 * Plain POSIX, no libxl and no libxenstore: it speaks the socket protocol
 * of <xen/io/xs_wire.h> only (no /dev/xen/xenbus fallback: with xenstored
 * in a stub domain there is no socket and opening fails with ENOENT, so
 * callers keep a libxenstore path). It never prints and never exits: every
 * function returns 0 or an errno value.
 */
#ifndef XL_XENSTORE_BATCH_H
#define XL_XENSTORE_BATCH_H

#include <stddef.h>

/* Requests in flight at once. Xen 4.17's xenstored allows 20 outstanding
 * requests per connection by default; stay under that. */
#define XL_XSB_DEPTH 16
/* xl_xsb_run() gives up after this long without any byte moving. */
#define XL_XSB_TIMEOUT_MS 30000

struct xl_xsb; /* one connection + one batch */

/* Connects to $XENSTORED_PATH if set, else $XENSTORED_RUN_DIR/socket if
 * that is set, else /var/run/xenstored/socket (libxenstore's order).
 * Returns 0 or errno (ENOENT, ECONNREFUSED, EACCES, ENAMETOOLONG...). */
int xl_xsb_open(struct xl_xsb **b_r);
/* For tests: connect to this socket path. */
int xl_xsb_open_path(const char *path, struct xl_xsb **b_r);
/* For tests and fuzzing: adopt an already connected stream socket (closed
 * by xl_xsb_close(), also when this fails). */
int xl_xsb_open_fd(int fd, struct xl_xsb **b_r);
/* Shorten xl_xsb_run()'s no-progress limit (tests). */
void xl_xsb_set_timeout(struct xl_xsb *b, int timeout_ms);

/* Queue a request; returns its index (0, 1, 2... in queue order) or -1
 * with errno (ENOMEM, ENAMETOOLONG for a path over XENSTORE_ABS_PATH_MAX,
 * EOVERFLOW past INT_MAX requests). */
int xl_xsb_read(struct xl_xsb *b, const char *path);
int xl_xsb_directory(struct xl_xsb *b, const char *path);

/* Send every queued request not sent yet and collect every reply. Keeps at
 * most XL_XSB_DEPTH requests in flight, with poll() and a non-blocking
 * socket, so neither side can block the other. Returns 0 when every
 * request got its reply (each reply may itself be an error), else errno:
 * EPROTO for a malformed or unknown reply (wrong type, payload over
 * XENSTORE_PAYLOAD_MAX, a req_id that matches no request sent or one
 * already answered, a watch event), EPIPE/ECONNRESET when xenstored goes
 * away, ETIMEDOUT after XL_XSB_TIMEOUT_MS without progress. A failed run
 * leaves the connection out of step (late replies would be taken for the
 * next round's), so every later run returns the same error: close and
 * open again. */
int xl_xsb_run(struct xl_xsb *b);

/* After run: 0 and the value (a NUL-terminated copy; *len_r is its length
 * without that NUL, values may hold NULs) or the request's error as an
 * errno mapped from xenstored's error string ("ENOENT" -> ENOENT...; an
 * unknown string -> EIO). For a DIRECTORY request the value is the raw
 * NUL-separated listing. EINVAL for a bad index, ENODATA for a request
 * without a reply (run not called or failed). val_r and len_r may be
 * NULL. */
int xl_xsb_value(const struct xl_xsb *b, int idx, const char **val_r,
                 size_t *len_r);
/* After run, for a DIRECTORY request: 0 and the number of entries (an
 * empty directory has 0), or the error as xl_xsb_value() gives it (EINVAL
 * also for a READ request). A directory whose listing exceeds the payload
 * limit comes back as E2BIG from xenstored. */
int xl_xsb_dir(const struct xl_xsb *b, int idx, size_t *n_r);
/* The i-th entry of a successful DIRECTORY reply, NULL if there is none. */
const char *xl_xsb_dir_entry(const struct xl_xsb *b, int idx, size_t i);

/* Number of requests queued since the last clear. */
int xl_xsb_count(const struct xl_xsb *b);

/* Forget the requests and replies (to queue the next round on the same
 * connection). Keeps the buffers' memory for reuse. */
void xl_xsb_clear(struct xl_xsb *b);
/* Closes the connection and frees everything; NULL is allowed. */
void xl_xsb_close(struct xl_xsb *b);

#endif /* XL_XENSTORE_BATCH_H */
