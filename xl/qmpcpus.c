/* qmpcpus.c: QEMU's vCPUs over QMP: a parser and a client (qmpcpus.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "libxl_internals.h"
#include "qmpcpus.h"

/* ------------------------------------------------------------- parser */

enum { S_GREETING, S_CAPS, S_QUERY, S_DONE, S_FAILED };

/* The ids libxl's client would give are its own business; QEMU echoes
 * whatever it is sent. */
enum { ID_CAPS = 1, ID_QUERY = 2 };

void xl_qmpc_init(struct xl_qmpc *c, void (*cpu)(void *arg, long long index),
                  void *arg)
{
    memset(c, 0, sizeof(*c));
    c->state = S_GREETING;
    c->cpu = cpu;
    c->arg = arg;
}

void xl_qmpc_dispose(struct xl_qmpc *c)
{
    free(c->rx);
    c->rx = NULL;
    c->rx_len = c->rx_cap = 0;
}

static void command(struct xl_qmpc *c, const char *cmd, int id)
{
    int n = snprintf(c->tx, sizeof(c->tx), "{\"execute\":\"%s\",\"id\":%d}\r\n",
                     cmd, id);

    c->tx_len = n > 0 && (size_t)n < sizeof(c->tx) ? (size_t)n : 0;
    c->tx_off = 0;
}

/* The answer to query-cpus-fast: [{"cpu-index": N, ...}, ...]. */
static bool cpus(struct xl_qmpc *c, yajl_val ret)
{
    const char *key[] = {"cpu-index", NULL};

    if (!YAJL_IS_ARRAY(ret))
        return false;
    for (size_t i = 0; i < ret->u.array.len; i++) {
        yajl_val idx =
            yajl_tree_get(ret->u.array.values[i], key, yajl_t_number);

        if (!idx || !YAJL_IS_INTEGER(idx))
            return false;
    }
    for (size_t i = 0; i < ret->u.array.len; i++)
        c->cpu(c->arg, YAJL_GET_INTEGER(yajl_tree_get(ret->u.array.values[i],
                                                      key, yajl_t_number)));
    return true;
}

/* One whole message. */
static int message(struct xl_qmpc *c, const char *text)
{
    const char *k_qmp[] = {"QMP", NULL}, *k_ret[] = {"return", NULL},
               *k_id[] = {"id", NULL}, *k_event[] = {"event", NULL};
    yajl_val v = yajl_tree_parse(text, NULL, 0), ret, id;
    int next = S_FAILED;

    if (!v || !YAJL_IS_OBJECT(v))
        goto out;
    if (yajl_tree_get(v, k_event, yajl_t_any)) {
        next = c->state; /* asynchronous events are not answers */
        goto out;
    }
    if (c->state == S_GREETING) {
        if (yajl_tree_get(v, k_qmp, yajl_t_object)) {
            command(c, "qmp_capabilities", ID_CAPS);
            next = S_CAPS;
        }
        goto out;
    }
    ret = yajl_tree_get(v, k_ret, yajl_t_any);
    id = yajl_tree_get(v, k_id, yajl_t_number);
    if (!ret || !id || !YAJL_IS_INTEGER(id) ||
        YAJL_GET_INTEGER(id) != (c->state == S_CAPS ? ID_CAPS : ID_QUERY))
        goto out;
    if (c->state == S_CAPS) {
        command(c, "query-cpus-fast", ID_QUERY);
        next = S_QUERY;
    } else if (cpus(c, ret)) {
        next = S_DONE;
    }
out:
    yajl_tree_free(v);
    return next;
}

static enum xl_qmpc_status status(const struct xl_qmpc *c)
{
    return c->state == S_DONE     ? XL_QMPC_DONE
           : c->state == S_FAILED ? XL_QMPC_FAILED
                                  : XL_QMPC_MORE;
}

enum xl_qmpc_status xl_qmpc_feed(struct xl_qmpc *c, const char *data,
                                 size_t len)
{
    size_t from;
    char *eol;

    if (c->state >= S_DONE)
        return status(c);
    if (len > XL_QMPC_MAX_MSG || c->rx_len + len > XL_QMPC_MAX_MSG) {
        c->state = S_FAILED;
        return status(c);
    }
    if (c->rx_len + len + 1 > c->rx_cap) {
        size_t cap = c->rx_cap ? c->rx_cap : 4096;
        char *grown;

        while (cap < c->rx_len + len + 1)
            cap *= 2;
        if (!(grown = realloc(c->rx, cap))) {
            c->state = S_FAILED;
            return status(c);
        }
        c->rx = grown;
        c->rx_cap = cap;
    }
    /* A NUL inside a message would cut it short: not QMP. */
    if (memchr(data, '\0', len)) {
        c->state = S_FAILED;
        return status(c);
    }
    memcpy(c->rx + c->rx_len, data, len);
    /* only the new bytes (and a "\r" before them) can end a message */
    from = c->rx_len ? c->rx_len - 1 : 0;
    c->rx_len += len;
    c->rx[c->rx_len] = '\0';
    eol = strstr(c->rx + from, "\r\n");
    for (; c->state < S_DONE && eol; eol = strstr(c->rx, "\r\n")) {
        size_t used = (size_t)(eol - c->rx) + 2;

        *eol = '\0';
        c->state = message(c, c->rx);
        memmove(c->rx, c->rx + used, c->rx_len - used + 1);
        c->rx_len -= used;
    }
    return status(c);
}

/* ------------------------------------------------------------- client */

static void query_end(struct xl_qmpc_query *q, enum xl_qmpc_status st)
{
    q->st = st;
    if (q->fd >= 0)
        close(q->fd);
    q->fd = -1;
    xl_libxl_unlock(&q->lock, q->lock_path);
}

static void query_start(struct xl_qmpc_query *q)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};

    q->fd = q->lock = -1;
    q->st = XL_QMPC_FAILED;
    xl_qmpc_init(&q->conv, q->cpu, q->arg);
    xl_libxl_lock_path(q->lock_path, sizeof(q->lock_path), q->domid, q->uuid,
                       XL_LIBXL_QMP_LOCK);
    xl_libxl_qmp_path(un.sun_path, sizeof(un.sun_path), q->domid);
    q->lock = xl_libxl_lock(q->lock_path);
    if (q->lock < 0)
        return;
    q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (q->fd < 0 || connect(q->fd, (const struct sockaddr *)&un, sizeof(un)) ||
        fcntl(q->fd, F_SETFL, O_NONBLOCK)) {
        query_end(q, XL_QMPC_FAILED);
        return;
    }
    q->st = XL_QMPC_MORE;
}

static void query_io(struct xl_qmpc_query *q, short revents)
{
    struct xl_qmpc *c = &q->conv;
    char buf[4096];
    ssize_t r;

    if (c->tx_off < c->tx_len && (revents & POLLOUT)) {
        r = send(q->fd, c->tx + c->tx_off, c->tx_len - c->tx_off, MSG_NOSIGNAL);
        if (r < 0 && errno != EAGAIN && errno != EINTR) {
            query_end(q, XL_QMPC_FAILED);
            return;
        }
        if (r > 0)
            c->tx_off += (size_t)r;
    }
    if (!(revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    r = read(q->fd, buf, sizeof(buf));
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (r <= 0) {
        query_end(q, XL_QMPC_FAILED);
        return;
    }
    q->st = xl_qmpc_feed(c, buf, (size_t)r);
    if (q->st != XL_QMPC_MORE)
        query_end(q, q->st);
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void xl_qmpc_ask_all(struct xl_qmpc_query *q, size_t n)
{
    struct pollfd *pf = calloc(n ? n : 1, sizeof(*pf));
    long deadline = now_ms() + XL_LIBXL_QMP_TIMEOUT_MS;

    if (!pf) {
        for (size_t i = 0; i < n; i++)
            q[i].st = XL_QMPC_FAILED;
        return;
    }
    for (size_t i = 0; i < n; i++)
        query_start(&q[i]);
    for (;;) {
        size_t live = 0;
        long left = deadline - now_ms();

        for (size_t i = 0; i < n; i++) {
            pf[i].fd = q[i].st == XL_QMPC_MORE ? q[i].fd : -1;
            pf[i].events = POLLIN;
            if (q[i].conv.tx_off < q[i].conv.tx_len)
                pf[i].events |= POLLOUT;
            pf[i].revents = 0;
            live += pf[i].fd >= 0;
        }
        if (!live || left <= 0)
            break;
        if (poll(pf, n, (int)left) < 0 && errno != EINTR)
            break;
        for (size_t i = 0; i < n; i++)
            if (pf[i].fd >= 0 && pf[i].revents)
                query_io(&q[i], pf[i].revents);
    }
    for (size_t i = 0; i < n; i++) {
        if (q[i].st != XL_QMPC_DONE)
            query_end(&q[i], XL_QMPC_FAILED);
        xl_qmpc_dispose(&q[i].conv);
    }
    free(pf);
}
