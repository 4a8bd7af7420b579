/* qmpcpus.h: the QMP conversation in which libxl learns an HVM guest's
 * vCPUs from its QEMU (the greeting, qmp_capabilities, query-cpus-fast).
 * Two halves: a parser fed with the bytes QEMU sends (pure: no I/O, no
 * libxl; unit tested and fuzzed on its own), and a client that holds the
 * conversations over QEMU's QMP sockets as libxl does (liveconfig.c). */
#ifndef XL_QMPCPUS_H
#define XL_QMPCPUS_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- parser */

enum xl_qmpc_status {
    XL_QMPC_MORE,  /* send what is pending, then feed what comes next */
    XL_QMPC_DONE,  /* every vCPU index has been reported */
    XL_QMPC_FAILED /* not what QEMU says when all is well */
};

/* A message longer than this is refused (libxl too has a limit). */
#define XL_QMPC_MAX_MSG (1u << 20)

struct xl_qmpc {
    int state;
    /* The next command, tx[tx_off..tx_len) still to be sent. */
    char tx[64];
    size_t tx_len, tx_off;
    /* Received bytes not yet a whole message. */
    char *rx;
    size_t rx_len, rx_cap;
    /* Called once per vCPU QEMU lists, with its cpu-index. */
    void (*cpu)(void *arg, long long index);
    void *arg;
};

void xl_qmpc_init(struct xl_qmpc *c, void (*cpu)(void *arg, long long index),
                  void *arg);
/* Feeds len bytes from QEMU (messages end in "\r\n"; events are
 * ignored). Once DONE or FAILED, further input is ignored. */
enum xl_qmpc_status xl_qmpc_feed(struct xl_qmpc *c, const char *data,
                                 size_t len);
void xl_qmpc_dispose(struct xl_qmpc *c);

/* ------------------------------------------------------------- client */

/* One QEMU to ask for its vCPUs: the caller fills the first four fields
 * (and zeroes the rest, as calloc does); the others are the client's. */
struct xl_qmpc_query {
    uint32_t domid;
    const uint8_t *uuid; /* the domain's handle, 16 bytes (its lock) */
    void (*cpu)(void *arg, long long index); /* as for xl_qmpc_init */
    void *arg;
    enum xl_qmpc_status st; /* XL_QMPC_DONE once QEMU listed its vCPUs */
    int fd, lock;
    char lock_path[128];
    struct xl_qmpc conv;
};

/* Asks the n QEMUs at once, as libxl asks one: each under the domain's QMP
 * lock (taken in turn, in order; libxl_internals.h), over its QMP socket,
 * with libxl's timeout for the lot. Each conversation lets its socket and
 * lock go as soon as it ends. On return st is XL_QMPC_DONE for the QEMUs
 * that answered (cpu was called for each vCPU they listed) and
 * XL_QMPC_FAILED for the others; nothing is left open. */
void xl_qmpc_ask_all(struct xl_qmpc_query *q, size_t n);

#endif
