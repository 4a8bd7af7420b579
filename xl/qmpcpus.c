/* qmpcpus.c: QEMU's vCPUs over QMP, as a parser (see qmpcpus.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "qmpcpus.h"

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
