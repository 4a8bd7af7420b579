/* test_xenstore_batch.c: unit tests of the pipelined xenstore reader against a
 * fake xenstored running in a thread on a unix socket. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <xen/io/xs_wire.h>

#include "xenstore_batch.h"

/* ------------------------------------------------------------ fake server */

typedef struct node {
    char *path;
    char *val; /* "!ENAME": the node answers with that error */
    size_t len;
} node;

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

typedef struct preq {
    uint32_t id, type;
    char *path;
} preq;

typedef struct fake {
    char dir[32];
    char sock[64];
    int lfd;
    pthread_t thr;
    /* Behaviour. quiet_reverse: answer only once the client has stopped
     * sending for a moment, newest request first (so the fake sees as many
     * requests in flight as the client dares, and replies come out of
     * order). The *_at knobs name a req_id, -1 is off. */
    bool quiet_reverse, byte_writes, slow_reads, mute;
    int bad_id_at, oversize_at, wrong_type_at, dup_at, close_after;
    uint32_t rnd;
    node *nodes;
    size_t nnodes, nodes_cap;
    /* What the fake saw; read after fake_stop(). */
    int received, max_inflight;
    char failure[200];
} fake;

static void sb_put(sbuf *s, const void *d, size_t n)
{
    if (s->len + n > s->cap) {
        size_t ncap = s->cap ? s->cap : 1024;

        while (ncap < s->len + n)
            ncap *= 2;
        s->p = realloc(s->p, ncap);
        if (!s->p)
            abort();
        s->cap = ncap;
    }
    if (n)
        memcpy(s->p + s->len, d, n);
    s->len += n;
}

static void sb_msg(sbuf *s, uint32_t type, uint32_t id, const void *d, size_t n)
{
    struct xsd_sockmsg h = {type, id, 0, (uint32_t)n};

    sb_put(s, &h, sizeof(h));
    sb_put(s, d, n);
}

static void fake_fail(fake *f, const char *what)
{
    if (!f->failure[0])
        snprintf(f->failure, sizeof(f->failure), "fake xenstored: %s", what);
}

static const node *find(const fake *f, const char *path)
{
    for (size_t i = 0; i < f->nnodes; i++)
        if (strcmp(f->nodes[i].path, path) == 0)
            return &f->nodes[i];
    return NULL;
}

/* The distinct next components below path, NUL-terminated each. */
static void children(const fake *f, const char *path, sbuf *s)
{
    size_t plen = strlen(path);
    bool root = strcmp(path, "/") == 0;

    for (size_t i = 0; i < f->nnodes; i++) {
        const char *p = f->nodes[i].path, *c, *e;
        size_t clen, at = 0;
        bool seen = false;

        if (root) {
            c = p + 1;
        } else if (strncmp(p, path, plen) == 0 && p[plen] == '/') {
            c = p + plen + 1;
        } else {
            continue;
        }
        e = strchr(c, '/');
        clen = e ? (size_t)(e - c) : strlen(c);
        while (at < s->len) {
            size_t l = strlen(s->p + at);

            if (l == clen && memcmp(s->p + at, c, clen) == 0)
                seen = true;
            at += l + 1;
        }
        if (!seen) {
            sb_put(s, c, clen);
            sb_put(s, "", 1);
        }
    }
}

static void answer(fake *f, sbuf *out, const preq *q)
{
    uint32_t id = q->id, type = q->type;
    const node *n = find(f, q->path);
    sbuf kids = {0};
    int copies = (int)q->id == f->dup_at ? 2 : 1;

    if ((int)q->id == f->bad_id_at)
        id += 100000;
    if ((int)q->id == f->wrong_type_at)
        type = XS_WATCH_EVENT;
    if ((int)q->id == f->oversize_at) {
        char big[XENSTORE_PAYLOAD_MAX + 1];

        memset(big, 'x', sizeof(big));
        sb_msg(out, type, id, big, sizeof(big));
        return;
    }
    children(f, q->path, &kids);
    while (copies--) {
        if (n && n->val[0] == '!')
            sb_msg(out, XS_ERROR, id, n->val + 1, strlen(n->val));
        else if (!n && !kids.len)
            sb_msg(out, XS_ERROR, id, "ENOENT", 7);
        else if (q->type == XS_DIRECTORY)
            sb_msg(out, type, id, kids.p, kids.len);
        else if (n)
            sb_msg(out, type, id, n->val, n->len);
        else
            sb_msg(out, type, id, "", 0);
    }
    free(kids.p);
}

/* Answer the pending requests (newest first in quiet_reverse mode) with
 * one send, or one byte per send. */
static void flush(fake *f, int fd, preq *pend, size_t npend)
{
    sbuf out = {0};

    for (size_t i = 0; i < npend; i++)
        answer(f, &out, &pend[f->quiet_reverse ? npend - 1 - i : i]);
    for (size_t at = 0; at < out.len;) {
        size_t n = f->byte_writes ? 1 : out.len - at;
        ssize_t w = send(fd, out.p + at, n, MSG_NOSIGNAL);

        if (w <= 0)
            break; /* the client gave up: it reports why */
        at += (size_t)w;
    }
    for (size_t i = 0; i < npend; i++)
        free(pend[i].path);
    free(out.p);
}

static void *serve(void *arg)
{
    fake *f = arg;
    sbuf in = {0};
    preq *pend = NULL;
    size_t npend = 0;
    static char chunk[65536]; /* one fake at a time */
    int fd = accept(f->lfd, NULL, NULL);

    pend = calloc(4096, sizeof(*pend));
    if (fd < 0 || !pend) {
        fake_fail(f, "accept");
        goto out;
    }
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, f->quiet_reverse && npend ? 5 : 1000);
        size_t want = sizeof(chunk), pos = 0;
        ssize_t n;

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fake_fail(f, "poll");
            break;
        }
        if (r == 0) {
            if (npend && !f->mute) {
                flush(f, fd, pend, npend);
                npend = 0;
            }
            continue;
        }
        if (f->slow_reads) {
            f->rnd = f->rnd * 1103515245u + 12345u;
            want = 1 + (f->rnd >> 16) % 7;
            usleep(50);
        }
        n = recv(fd, chunk, want, 0);
        if (n <= 0)
            break;
        sb_put(&in, chunk, (size_t)n);
        while (in.len - pos >= sizeof(struct xsd_sockmsg)) {
            struct xsd_sockmsg h;
            const char *pl = in.p + pos + sizeof(h);

            memcpy(&h, in.p + pos, sizeof(h));
            if (h.len > XENSTORE_PAYLOAD_MAX) {
                fake_fail(f, "request payload over the limit");
                goto out;
            }
            if (in.len - pos - sizeof(h) < h.len)
                break;
            if (h.tx_id != 0 || (h.type != XS_READ && h.type != XS_DIRECTORY) ||
                h.len == 0 || strnlen(pl, h.len) != h.len - 1)
                fake_fail(f, "malformed request");
            if (npend == 4096) {
                fake_fail(f, "too many pending requests");
                goto out;
            }
            pend[npend].id = h.req_id;
            pend[npend].type = h.type;
            pend[npend].path = strndup(pl, h.len);
            npend++;
            f->received++;
            if ((int)npend > f->max_inflight)
                f->max_inflight = (int)npend;
            pos += sizeof(h) + h.len;
            if (f->received == f->close_after)
                goto out;
        }
        memmove(in.p, in.p + pos, in.len - pos);
        in.len -= pos;
        if (!f->quiet_reverse && !f->mute && npend) {
            flush(f, fd, pend, npend);
            npend = 0;
        }
    }
out:
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; i < npend; i++)
        free(pend[i].path);
    free(pend);
    free(in.p);
    return NULL;
}

static void fake_init(fake *f)
{
    memset(f, 0, sizeof(*f));
    f->lfd = -1;
    f->bad_id_at = f->oversize_at = f->wrong_type_at = f->dup_at = -1;
    f->close_after = -1;
    f->rnd = 42;
}

static void fake_node_len(fake *f, const char *path, const void *val,
                          size_t len)
{
    node *n;

    if (f->nnodes == f->nodes_cap) {
        f->nodes_cap = f->nodes_cap ? f->nodes_cap * 2 : 16;
        f->nodes = realloc(f->nodes, f->nodes_cap * sizeof(*f->nodes));
        assert_non_null(f->nodes);
    }
    n = &f->nodes[f->nnodes++];
    n->path = strdup(path);
    n->val = malloc(len + 1);
    assert_non_null(n->path);
    assert_non_null(n->val);
    memcpy(n->val, val, len);
    n->val[len] = '\0';
    n->len = len;
}

static void fake_node(fake *f, const char *path, const char *val)
{
    fake_node_len(f, path, val, strlen(val));
}

static void fake_start(fake *f)
{
    struct sockaddr_un sa;

    strcpy(f->dir, "/tmp/xsbXXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->sock, sizeof(f->sock), "%s/socket", f->dir);
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, f->sock);
    f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(f->lfd >= 0);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(f->lfd, 4), 0);
    assert_int_equal(pthread_create(&f->thr, NULL, serve, f), 0);
}

/* Call after xl_xsb_close(): the fake ends at the client's EOF. */
static void fake_stop(fake *f)
{
    pthread_join(f->thr, NULL);
    close(f->lfd);
    unlink(f->sock);
    rmdir(f->dir);
    for (size_t i = 0; i < f->nnodes; i++) {
        free(f->nodes[i].path);
        free(f->nodes[i].val);
    }
    free(f->nodes);
    if (f->failure[0])
        fail_msg("%s", f->failure);
    /* xenstored caps outstanding requests per connection. */
    assert_true(f->max_inflight <= XL_XSB_DEPTH);
}

static struct xl_xsb *connect_to(const fake *f)
{
    struct xl_xsb *b = NULL;

    assert_int_equal(xl_xsb_open_path(f->sock, &b), 0);
    assert_non_null(b);
    return b;
}

static void assert_value(const struct xl_xsb *b, int idx, const char *want)
{
    const char *v = NULL;
    size_t len = 0;

    assert_int_equal(xl_xsb_value(b, idx, &v, &len), 0);
    assert_non_null(v);
    assert_string_equal(v, want);
    assert_int_equal(len, strlen(want));
}

/* A DIRECTORY reply's entries, given as "a b c" ("" for none). */
static void assert_dir(const struct xl_xsb *b, int idx, const char *want)
{
    char buf[256] = "";
    size_t n = 99;

    assert_int_equal(xl_xsb_dir(b, idx, &n), 0);
    for (size_t i = 0; i < n; i++) {
        const char *e = xl_xsb_dir_entry(b, idx, i);

        assert_non_null(e);
        if (i)
            strcat(buf, " ");
        strcat(buf, e);
    }
    assert_null(xl_xsb_dir_entry(b, idx, n));
    assert_string_equal(buf, want);
}

/* A small tree like dom0's. */
static void small_tree(fake *f)
{
    fake_node(f, "/local/domain/0/name", "Domain-0");
    fake_node(f, "/local/domain/0/device", "");
    fake_node(f, "/local/domain/3/name", "guest");
    fake_node(f, "/local/domain/3/memory/target", "262144");
    fake_node(f, "/tool/xenstored", "");
    fake_node(f, "/denied", "!EACCES");
    fake_node(f, "/weird", "!EWHATEVER");
    fake_node(f, "/toobig", "!E2BIG");
}

/* ------------------------------------------------------------ tests */

static void test_many_reads(void **state)
{
    enum { N = 1000 };
    fake f;
    struct xl_xsb *b;
    char path[64], val[32];

    (void)state;
    fake_init(&f);
    f.quiet_reverse = true;
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof(path), "/local/domain/%d/name", i);
        snprintf(val, sizeof(val), "dom-%d", i * 7);
        fake_node(&f, path, val);
    }
    fake_start(&f);
    b = connect_to(&f);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof(path), "/local/domain/%d/name", i);
        assert_int_equal(xl_xsb_read(b, path), i);
    }
    assert_int_equal(xl_xsb_count(b), N);
    assert_int_equal(xl_xsb_run(b), 0);
    for (int i = 0; i < N; i++) {
        snprintf(val, sizeof(val), "dom-%d", i * 7);
        assert_value(b, i, val);
    }
    xl_xsb_close(b);
    fake_stop(&f);
    assert_int_equal(f.received, N);
    /* The window was used, not one request at a time. */
    assert_int_equal(f.max_inflight, XL_XSB_DEPTH);
}

static void test_reordered(void **state)
{
    enum { N = 40 };
    fake f;
    struct xl_xsb *b;

    (void)state;
    fake_init(&f);
    f.quiet_reverse = true;
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    for (int i = 0; i < N; i++) {
        int idx = i % 2 ? xl_xsb_directory(b, i % 4 == 1 ? "/local/domain"
                                                         : "/local/domain/3")
                        : xl_xsb_read(b, i % 4 == 0 ? "/local/domain/0/name"
                                                    : "/local/domain/3/name");
        assert_int_equal(idx, i);
    }
    assert_int_equal(xl_xsb_run(b), 0);
    for (int i = 0; i < N; i++) {
        if (i % 4 == 0)
            assert_value(b, i, "Domain-0");
        else if (i % 4 == 2)
            assert_value(b, i, "guest");
        else if (i % 4 == 1)
            assert_dir(b, i, "0 3");
        else
            assert_dir(b, i, "name memory");
    }
    xl_xsb_close(b);
    fake_stop(&f);
    assert_int_equal(f.received, N);
    assert_int_equal(f.max_inflight, XL_XSB_DEPTH);
}

static void test_slow_server(void **state)
{
    enum { N = 60 };
    fake f;
    struct xl_xsb *b;

    (void)state;
    fake_init(&f);
    f.byte_writes = true;
    f.slow_reads = true;
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    for (int i = 0; i < N; i++) {
        switch (i % 3) {
        case 0:
            xl_xsb_read(b, "/local/domain/3/memory/target");
            break;
        case 1:
            xl_xsb_directory(b, "/");
            break;
        default:
            xl_xsb_read(b, "/nope");
            break;
        }
    }
    assert_int_equal(xl_xsb_run(b), 0);
    for (int i = 0; i < N; i++) {
        if (i % 3 == 0)
            assert_value(b, i, "262144");
        else if (i % 3 == 1)
            assert_dir(b, i, "local tool denied weird toobig");
        else
            assert_int_equal(xl_xsb_value(b, i, NULL, NULL), ENOENT);
    }
    xl_xsb_close(b);
    fake_stop(&f);
    assert_int_equal(f.received, N);
}

static void test_errors(void **state)
{
    fake f;
    struct xl_xsb *b;
    const char *v = "untouched";
    size_t n = 7;

    (void)state;
    fake_init(&f);
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    assert_int_equal(xl_xsb_read(b, "/missing"), 0);
    assert_int_equal(xl_xsb_read(b, "/denied"), 1);
    assert_int_equal(xl_xsb_read(b, "/weird"), 2);
    assert_int_equal(xl_xsb_directory(b, "/toobig"), 3);
    assert_int_equal(xl_xsb_directory(b, "/missing/dir"), 4);
    assert_int_equal(xl_xsb_read(b, "/local/domain"), 5);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_int_equal(xl_xsb_value(b, 0, &v, &n), ENOENT);
    assert_string_equal(v, "untouched");
    assert_int_equal(n, 7);
    assert_int_equal(xl_xsb_value(b, 1, NULL, NULL), EACCES);
    assert_int_equal(xl_xsb_value(b, 2, NULL, NULL), EIO);
    assert_int_equal(xl_xsb_dir(b, 3, &n), E2BIG);
    assert_int_equal(xl_xsb_dir(b, 4, &n), ENOENT);
    assert_null(xl_xsb_dir_entry(b, 4, 0));
    /* An inner node reads as an empty value. */
    assert_value(b, 5, "");
    xl_xsb_close(b);
    fake_stop(&f);
}

static void test_directories(void **state)
{
    fake f;
    struct xl_xsb *b;
    const char *v = NULL;
    size_t len = 9;

    (void)state;
    fake_init(&f);
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    assert_int_equal(xl_xsb_directory(b, "/local/domain/0/device"), 0);
    assert_int_equal(xl_xsb_directory(b, "/local/domain"), 1);
    assert_int_equal(xl_xsb_directory(b, "/local/domain/3"), 2);
    assert_int_equal(xl_xsb_directory(b, "/"), 3);
    assert_int_equal(xl_xsb_read(b, "/local/domain/3/name"), 4);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_dir(b, 0, "");
    assert_int_equal(xl_xsb_value(b, 0, &v, &len), 0);
    assert_int_equal(len, 0);
    assert_dir(b, 1, "0 3");
    assert_int_equal(xl_xsb_value(b, 1, &v, &len), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(v, "0\0003\0", 5);
    assert_dir(b, 2, "name memory");
    assert_dir(b, 3, "local tool denied weird toobig");
    /* Not a directory request. */
    assert_int_equal(xl_xsb_dir(b, 4, &len), EINVAL);
    assert_null(xl_xsb_dir_entry(b, 4, 0));
    assert_null(xl_xsb_dir_entry(b, 1, 2));
    xl_xsb_close(b);
    fake_stop(&f);
}

static void test_big_values(void **state)
{
    enum { N = 100 };
    fake f;
    struct xl_xsb *b;
    char big[XENSTORE_PAYLOAD_MAX], *path;
    const char *v = NULL;
    size_t len = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    big[100] = '\0'; /* values are bytes, not C strings */
    fake_init(&f);
    f.quiet_reverse = true;
    fake_node_len(&f, "/big", big, sizeof(big));
    fake_start(&f);
    b = connect_to(&f);
    /* N maximal replies: many recv()s, partial messages kept across. */
    for (int i = 0; i < N; i++)
        assert_int_equal(xl_xsb_read(b, "/big"), i);
    path = malloc(XENSTORE_ABS_PATH_MAX + 2);
    assert_non_null(path);
    memset(path, 'p', XENSTORE_ABS_PATH_MAX + 1);
    path[0] = '/';
    path[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    errno = 0;
    assert_int_equal(xl_xsb_read(b, path), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(xl_xsb_directory(b, path), -1);
    path[XENSTORE_ABS_PATH_MAX] = '\0';
    assert_int_equal(xl_xsb_read(b, path), N);
    free(path);
    assert_int_equal(xl_xsb_run(b), 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(xl_xsb_value(b, i, &v, &len), 0);
        assert_int_equal(len, sizeof(big));
        assert_memory_equal(v, big, sizeof(big));
        assert_int_equal(v[len], '\0');
    }
    assert_int_equal(xl_xsb_value(b, N, NULL, NULL), ENOENT);
    xl_xsb_close(b);
    fake_stop(&f);
}

/* A run that fails on the server's reply, and stays failed. */
static void run_fails(fake *f, int nreq, int want)
{
    struct xl_xsb *b;
    int rc;

    small_tree(f);
    fake_start(f);
    b = connect_to(f);
    for (int i = 0; i < nreq; i++)
        xl_xsb_read(b, "/local/domain/0/name");
    rc = xl_xsb_run(b);
    if (want == EPIPE && rc == ECONNRESET)
        want = ECONNRESET; /* either says xenstored went away */
    assert_int_equal(rc, want);
    xl_xsb_clear(b);
    assert_int_equal(xl_xsb_read(b, "/local/domain/0/name"), 0);
    assert_int_equal(xl_xsb_run(b), want);
    xl_xsb_close(b);
    fake_stop(f);
}

static void test_unknown_req_id(void **state)
{
    fake f;

    (void)state;
    fake_init(&f);
    f.bad_id_at = 2;
    run_fails(&f, 5, EPROTO);
}

static void test_oversize_reply(void **state)
{
    fake f;

    (void)state;
    fake_init(&f);
    f.oversize_at = 1;
    run_fails(&f, 3, EPROTO);
}

static void test_watch_event_reply(void **state)
{
    fake f;

    (void)state;
    fake_init(&f);
    f.wrong_type_at = 0;
    run_fails(&f, 3, EPROTO);
}

static void test_duplicate_reply(void **state)
{
    fake f;

    (void)state;
    fake_init(&f);
    f.dup_at = 0;
    run_fails(&f, 3, EPROTO);
}

static void test_server_closes(void **state)
{
    fake f;

    (void)state;
    fake_init(&f);
    f.close_after = 20;
    /* Many more requests than the window: sends hit the closed socket
     * (EPIPE without SIGPIPE) or the read sees the end. */
    run_fails(&f, 500, EPIPE);
}

static void test_timeout(void **state)
{
    fake f;
    struct xl_xsb *b;
    struct timespec t0, t1;
    long ms;

    (void)state;
    fake_init(&f);
    f.mute = true;
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    xl_xsb_set_timeout(b, 200);
    for (int i = 0; i < 40; i++)
        xl_xsb_read(b, "/local/domain/0/name");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(xl_xsb_run(b), ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(ms >= 190 && ms < 5000);
    assert_int_equal(xl_xsb_value(b, 0, NULL, NULL), ENODATA);
    xl_xsb_close(b);
    fake_stop(&f);
    assert_int_equal(f.received, XL_XSB_DEPTH);
}

static void test_second_round(void **state)
{
    fake f;
    struct xl_xsb *b;

    (void)state;
    fake_init(&f);
    f.quiet_reverse = true;
    small_tree(&f);
    fake_start(&f);
    b = connect_to(&f);
    assert_int_equal(xl_xsb_value(b, 0, NULL, NULL), EINVAL);
    assert_int_equal(xl_xsb_read(b, "/local/domain/0/name"), 0);
    assert_int_equal(xl_xsb_value(b, 0, NULL, NULL), ENODATA);
    assert_int_equal(xl_xsb_value(b, -1, NULL, NULL), EINVAL);
    assert_int_equal(xl_xsb_directory(b, "/local/domain"), 1);
    assert_int_equal(xl_xsb_read(b, "/local/domain/3/name"), 2);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_value(b, 0, "Domain-0");
    assert_dir(b, 1, "0 3");
    assert_value(b, 2, "guest");
    /* Queueing more without a clear sends only the new request. */
    assert_int_equal(xl_xsb_read(b, "/local/domain/3/memory/target"), 3);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_value(b, 3, "262144");
    assert_value(b, 0, "Domain-0");

    xl_xsb_clear(b);
    assert_int_equal(xl_xsb_count(b), 0);
    assert_int_equal(xl_xsb_value(b, 0, NULL, NULL), EINVAL);
    assert_int_equal(xl_xsb_run(b), 0); /* nothing queued */
    assert_int_equal(xl_xsb_directory(b, "/local/domain/3"), 0);
    assert_int_equal(xl_xsb_read(b, "/local/domain/3/name"), 1);
    assert_int_equal(xl_xsb_read(b, "/missing"), 2);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_dir(b, 0, "name memory");
    assert_value(b, 1, "guest");
    assert_int_equal(xl_xsb_value(b, 2, NULL, NULL), ENOENT);
    assert_int_equal(xl_xsb_value(b, 3, NULL, NULL), EINVAL);
    xl_xsb_close(b);
    fake_stop(&f);
    assert_int_equal(f.received, 7);
}

static void test_open_env(void **state)
{
    fake f;
    struct xl_xsb *b = (struct xl_xsb *)&f; /* must be reset on failure */
    char nowhere[96], longpath[200];

    (void)state;
    fake_init(&f);
    small_tree(&f);
    fake_start(&f);
    snprintf(nowhere, sizeof(nowhere), "%s/nowhere", f.dir);
    assert_int_equal(setenv("XENSTORED_PATH", nowhere, 1), 0);
    assert_int_equal(xl_xsb_open(&b), ENOENT);
    assert_null(b);
    /* $XENSTORED_RUN_DIR/socket when XENSTORED_PATH is not set */
    unsetenv("XENSTORED_PATH");
    assert_int_equal(setenv("XENSTORED_RUN_DIR", f.dir, 1), 0);
    assert_int_equal(xl_xsb_open(&b), 0);
    unsetenv("XENSTORED_RUN_DIR");
    assert_int_equal(xl_xsb_read(b, "/local/domain/3/name"), 0);
    assert_int_equal(xl_xsb_run(b), 0);
    assert_value(b, 0, "guest");
    xl_xsb_close(b);
    fake_stop(&f);

    /* A path that does not fit a sockaddr_un. */
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = '\0';
    b = (struct xl_xsb *)&f;
    assert_int_equal(xl_xsb_open_path(longpath, &b), ENAMETOOLONG);
    assert_null(b);
    xl_xsb_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_reads),
        cmocka_unit_test(test_reordered),
        cmocka_unit_test(test_slow_server),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_big_values),
        cmocka_unit_test(test_unknown_req_id),
        cmocka_unit_test(test_oversize_reply),
        cmocka_unit_test(test_watch_event_reply),
        cmocka_unit_test(test_duplicate_reply),
        cmocka_unit_test(test_server_closes),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_second_round),
        cmocka_unit_test(test_open_env),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
