/* xenstore_batch.c: pipelined xenstore READ/DIRECTORY requests on one socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#include "xenstore_batch.h"

#define XSB_RUNDIR "/var/run/xenstored"
#define HDR_LEN sizeof(struct xsd_sockmsg)
/* A recv() takes up to this much: many small replies at once, and always
 * room for the rest of a maximal one (partial tails are kept). */
#define RX_CAP (64 * 1024)

struct xsb_req {
    size_t out_end; /* end of this request's message in b->out */
    size_t val_off; /* the reply's payload copy in b->in */
    uint32_t val_len;
    uint32_t ndir; /* DIRECTORY: entry count; offsets follow the copy */
    uint32_t type;
    int err; /* the reply's error, ENODATA while unanswered */
    bool answered;
};

struct xl_xsb {
    int fd;
    int broken; /* a failed run's error: the stream is out of step */
    int timeout_ms;
    char *out; /* queued request messages, wire format */
    size_t out_len, out_cap;
    size_t sent; /* bytes of out written to the socket */
    struct xsb_req *reqs;
    size_t nreq, req_cap;
    size_t nsent;    /* requests whose whole message is written */
    size_t nreplied; /* requests answered */
    char *in;        /* reply payloads (+NUL, +directory entry offsets) */
    size_t in_len, in_cap;
    char *rx; /* received bytes not parsed yet (RX_CAP) */
    size_t rx_len;
};

static int grow_bytes(char **buf, size_t *cap, size_t need)
{
    size_t ncap = *cap ? *cap : 4096;
    char *nb;

    if (need <= *cap)
        return 0;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return ENOMEM;
        ncap *= 2;
    }
    nb = realloc(*buf, ncap);
    if (!nb)
        return ENOMEM;
    *buf = nb;
    *cap = ncap;
    return 0;
}

int xl_xsb_open_fd(int fd, struct xl_xsb **b_r)
{
    struct xl_xsb *b = NULL;
    int fl, rc;

    *b_r = NULL;
    if (fd < 0)
        return EBADF;
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        rc = errno;
        goto out;
    }
    b = calloc(1, sizeof(*b));
    if (!b || !(b->rx = malloc(RX_CAP))) {
        rc = ENOMEM;
        goto out;
    }
    b->fd = fd;
    b->timeout_ms = XL_XSB_TIMEOUT_MS;
    *b_r = b;
    return 0;
out:
    free(b);
    close(fd);
    return rc;
}

int xl_xsb_open_path(const char *path, struct xl_xsb **b_r)
{
    struct sockaddr_un sa;
    size_t len = strlen(path);
    int fd, rc;

    *b_r = NULL;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (len >= sizeof(sa.sun_path))
        return ENAMETOOLONG;
    memcpy(sa.sun_path, path, len + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    /* Blocking connect: a non-blocking one to a unix socket fails with
     * EAGAIN when the listener's backlog is full. */
    if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
        rc = errno;
        close(fd);
        return rc;
    }
    return xl_xsb_open_fd(fd, b_r);
}

int xl_xsb_open(struct xl_xsb **b_r)
{
    const char *path = getenv("XENSTORED_PATH");
    const char *dir = getenv("XENSTORED_RUN_DIR");
    char buf[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
    int n;

    if (path && *path)
        return xl_xsb_open_path(path, b_r);
    n = snprintf(buf, sizeof(buf), "%s/socket", dir && *dir ? dir : XSB_RUNDIR);
    if (n < 0 || (size_t)n >= sizeof(buf)) {
        *b_r = NULL;
        return ENAMETOOLONG;
    }
    return xl_xsb_open_path(buf, b_r);
}

void xl_xsb_set_timeout(struct xl_xsb *b, int timeout_ms)
{
    b->timeout_ms = timeout_ms > 0 ? timeout_ms : XL_XSB_TIMEOUT_MS;
}

static int queue(struct xl_xsb *b, uint32_t type, const char *path)
{
    size_t plen = strlen(path);
    struct xsd_sockmsg h;
    struct xsb_req *r;
    int rc;

    if (plen > XENSTORE_ABS_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (b->nreq >= INT_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    if (b->nreq == b->req_cap) {
        size_t ncap = b->req_cap ? b->req_cap * 2 : 64;
        struct xsb_req *nr = reallocarray(b->reqs, ncap, sizeof(*nr));

        if (!nr) {
            errno = ENOMEM;
            return -1;
        }
        b->reqs = nr;
        b->req_cap = ncap;
    }
    rc = grow_bytes(&b->out, &b->out_cap, b->out_len + HDR_LEN + plen + 1);
    if (rc) {
        errno = rc;
        return -1;
    }
    /* The request's index is its req_id: replies are matched by it. */
    h.type = type;
    h.req_id = (uint32_t)b->nreq;
    h.tx_id = 0;
    h.len = (uint32_t)plen + 1;
    memcpy(b->out + b->out_len, &h, HDR_LEN);
    memcpy(b->out + b->out_len + HDR_LEN, path, plen + 1);
    b->out_len += HDR_LEN + plen + 1;
    r = &b->reqs[b->nreq];
    memset(r, 0, sizeof(*r));
    r->out_end = b->out_len;
    r->type = type;
    r->err = ENODATA;
    return (int)b->nreq++;
}

int xl_xsb_read(struct xl_xsb *b, const char *path)
{
    return queue(b, XS_READ, path);
}

int xl_xsb_directory(struct xl_xsb *b, const char *path)
{
    return queue(b, XS_DIRECTORY, path);
}

int xl_xsb_count(const struct xl_xsb *b)
{
    return (int)b->nreq;
}

/* Where a DIRECTORY reply's uint16_t entry offsets start: after the
 * payload copy and its NUL, at an even offset. */
static size_t dir_offsets_at(const struct xsb_req *r)
{
    return (r->val_off + r->val_len + 2) & ~(size_t)1;
}

static int store_reply(struct xl_xsb *b, struct xsb_req *r, const char *p,
                       uint32_t len)
{
    size_t at = b->in_len, ents, start = 0;
    uint32_t n = 0;
    int rc;

    /* "a\0b\0": every name non-empty and NUL-terminated, or no payload. */
    if (r->type == XS_DIRECTORY && len) {
        if (p[len - 1] != '\0')
            return EPROTO;
        for (uint32_t i = 0; i < len; i++) {
            if (p[i] != '\0')
                continue;
            if (i == start)
                return EPROTO;
            n++;
            start = i + 1;
        }
    }
    r->val_off = at;
    r->val_len = len;
    r->ndir = n;
    ents = dir_offsets_at(r);
    rc = grow_bytes(&b->in, &b->in_cap, ents + (size_t)n * sizeof(uint16_t));
    if (rc)
        return rc;
    if (len)
        memcpy(b->in + at, p, len);
    b->in[at + len] = '\0';
    start = 0;
    /* entry offsets for a listing only: a READ value may hold NULs too */
    for (uint32_t i = 0, k = 0; n && i < len; i++) {
        if (p[i] != '\0')
            continue;
        /* Payloads are at most XENSTORE_PAYLOAD_MAX: offsets fit 16 bits. */
        uint16_t off = (uint16_t)start;

        memcpy(b->in + ents + k++ * sizeof(off), &off, sizeof(off));
        start = i + 1;
    }
    b->in_len = ents + (size_t)n * sizeof(uint16_t);
    return 0;
}

static int map_error(const char *p, uint32_t len)
{
    size_t n = strnlen(p, len);

    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strlen(xsd_errors[i].errstring) == n &&
            memcmp(xsd_errors[i].errstring, p, n) == 0)
            return xsd_errors[i].errnum;
    return EIO;
}

static int take_reply(struct xl_xsb *b, const struct xsd_sockmsg *h,
                      const char *p)
{
    struct xsb_req *r;
    int rc;

    /* Only a request fully sent can be answered, and only once. */
    if (h->req_id >= b->nsent)
        return EPROTO;
    r = &b->reqs[h->req_id];
    if (r->answered)
        return EPROTO;
    if (h->type == XS_ERROR) {
        r->err = map_error(p, h->len);
    } else if (h->type == r->type) {
        rc = store_reply(b, r, p, h->len);
        if (rc)
            return rc;
        r->err = 0;
    } else {
        return EPROTO;
    }
    r->answered = true;
    b->nreplied++;
    return 0;
}

/* Consume every whole message in rx; keep a partial tail for later. */
static int parse_rx(struct xl_xsb *b)
{
    size_t pos = 0;
    int rc = 0;

    while (b->rx_len - pos >= HDR_LEN) {
        struct xsd_sockmsg h;

        memcpy(&h, b->rx + pos, HDR_LEN);
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            rc = EPROTO;
            break;
        }
        if (b->rx_len - pos - HDR_LEN < h.len)
            break;
        rc = take_reply(b, &h, b->rx + pos + HDR_LEN);
        if (rc)
            break;
        pos += HDR_LEN + h.len;
    }
    memmove(b->rx, b->rx + pos, b->rx_len - pos);
    b->rx_len -= pos;
    return rc;
}

static int recv_some(struct xl_xsb *b, bool *progress_r)
{
    ssize_t n =
        recv(b->fd, b->rx + b->rx_len, RX_CAP - b->rx_len, MSG_DONTWAIT);

    if (n == 0)
        return EPIPE;
    if (n < 0)
        return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK
                   ? 0
                   : errno;
    *progress_r = true;
    b->rx_len += (size_t)n;
    return parse_rx(b);
}

/* Bytes of out that may be on the wire: requests 0..nreplied+DEPTH-1, so
 * at most XL_XSB_DEPTH are sent (even partly) and unanswered. */
static size_t send_limit(const struct xl_xsb *b)
{
    size_t last = b->nreplied + XL_XSB_DEPTH;

    return last >= b->nreq ? b->out_len : b->reqs[last - 1].out_end;
}

/* One send() of everything the window allows; *blocked_r when the socket
 * took less (wait for POLLOUT before the next). */
static int send_some(struct xl_xsb *b, bool *blocked_r, bool *progress_r)
{
    size_t limit = send_limit(b);
    ssize_t n;

    if (b->sent >= limit)
        return 0;
    n = send(b->fd, b->out + b->sent, limit - b->sent,
             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            *blocked_r = true;
            return 0;
        }
        return errno == EINTR ? 0 : errno;
    }
    *progress_r = true;
    *blocked_r = b->sent + (size_t)n < limit;
    b->sent += (size_t)n;
    while (b->nsent < b->nreq && b->reqs[b->nsent].out_end <= b->sent)
        b->nsent++;
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int xl_xsb_run(struct xl_xsb *b)
{
    bool blocked = false, progress = false;
    int64_t last = now_ms();
    int rc;

    if (b->broken)
        return b->broken;
    rc = send_some(b, &blocked, &progress);
    while (!rc && b->nreplied < b->nreq) {
        struct pollfd pfd = {.fd = b->fd, .events = POLLIN};
        int64_t left = b->timeout_ms - (now_ms() - last);
        int n;

        if (left <= 0) {
            rc = ETIMEDOUT;
            break;
        }
        if (blocked && b->sent < send_limit(b))
            pfd.events |= POLLOUT;
        n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno != EINTR) {
            rc = errno;
            break;
        }
        if (n <= 0)
            continue;
        if (pfd.revents & POLLNVAL) {
            rc = EBADF;
            break;
        }
        progress = false;
        /* HUP/ERR: recv() reads what is left, then reports EOF or why. */
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            rc = recv_some(b, &progress);
            if (rc)
                break;
        }
        if (pfd.revents & POLLOUT)
            blocked = false;
        /* Replies just taken open the window: refill it at once. */
        if (!blocked)
            rc = send_some(b, &blocked, &progress);
        if (progress)
            last = now_ms();
    }
    /* Bytes past the last reply are the start of a reply nobody asked for. */
    if (!rc && b->rx_len)
        rc = EPROTO;
    if (rc)
        b->broken = rc;
    return rc;
}

static int lookup(const struct xl_xsb *b, int idx, const struct xsb_req **r_r)
{
    const struct xsb_req *r;

    if (!b || idx < 0 || (size_t)idx >= b->nreq)
        return EINVAL;
    r = &b->reqs[idx];
    if (!r->answered)
        return ENODATA;
    *r_r = r;
    return r->err;
}

int xl_xsb_value(const struct xl_xsb *b, int idx, const char **val_r,
                 size_t *len_r)
{
    const struct xsb_req *r = NULL;
    int rc = lookup(b, idx, &r);

    if (rc)
        return rc;
    if (val_r)
        *val_r = b->in + r->val_off;
    if (len_r)
        *len_r = r->val_len;
    return 0;
}

int xl_xsb_dir(const struct xl_xsb *b, int idx, size_t *n_r)
{
    const struct xsb_req *r = NULL;
    int rc = lookup(b, idx, &r);

    if (rc)
        return rc;
    if (r->type != XS_DIRECTORY)
        return EINVAL;
    if (n_r)
        *n_r = r->ndir;
    return 0;
}

const char *xl_xsb_dir_entry(const struct xl_xsb *b, int idx, size_t i)
{
    const struct xsb_req *r = NULL;
    uint16_t off;

    if (lookup(b, idx, &r) || r->type != XS_DIRECTORY || i >= r->ndir)
        return NULL;
    memcpy(&off, b->in + dir_offsets_at(r) + i * sizeof(off), sizeof(off));
    return b->in + r->val_off + off;
}

void xl_xsb_clear(struct xl_xsb *b)
{
    b->out_len = 0;
    b->sent = 0;
    b->nreq = 0;
    b->nsent = 0;
    b->nreplied = 0;
    b->in_len = 0;
}

void xl_xsb_close(struct xl_xsb *b)
{
    if (!b)
        return;
    close(b->fd);
    free(b->out);
    free(b->reqs);
    free(b->in);
    free(b->rx);
    free(b);
}
