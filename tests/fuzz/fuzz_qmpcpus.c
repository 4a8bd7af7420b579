/* fuzz_qmpcpus.c: libFuzzer target for the QMP vCPU conversation parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "qmpcpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_cpu(void *arg, long long index)
{
    (void)index;
    ++*(size_t *)arg;
}

/* The first byte picks the size of the pieces the rest is fed in, as
 * reads from a socket would cut it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xl_qmpc c;
    size_t step, cpus = 0;
    enum xl_qmpc_status st = XL_QMPC_MORE;

    if (!size)
        return 0;
    step = (size_t)data[0] % 64 + 1;
    data++;
    size--;
    xl_qmpc_init(&c, on_cpu, &cpus);
    for (size_t off = 0; off < size; off += step) {
        size_t n = size - off < step ? size - off : step;
        enum xl_qmpc_status prev = st;

        st = xl_qmpc_feed(&c, (const char *)data + off, n);
        /* once over, it stays over */
        if (prev != XL_QMPC_MORE && st != prev)
            abort();
        if (c.tx_off > c.tx_len || c.tx_len >= sizeof(c.tx))
            abort();
        c.tx_off = c.tx_len;
    }
    /* vCPUs are reported only by a finished conversation */
    if (cpus && st != XL_QMPC_DONE)
        abort();
    xl_qmpc_dispose(&c);
    return 0;
}
