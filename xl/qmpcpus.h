/* qmpcpus.h: the QMP conversation in which libxl learns an HVM guest's
 * vCPUs from its QEMU (the greeting, qmp_capabilities, query-cpus-fast),
 * as a parser fed with the bytes QEMU sends. No I/O and no libxl: the
 * caller moves the bytes (listlong.c). */
#ifndef XL_QMPCPUS_H
#define XL_QMPCPUS_H

#include <stddef.h>

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

#endif
