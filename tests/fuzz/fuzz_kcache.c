/* fuzz_kcache.c: libFuzzer target for the kernel cache's unpacker. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kunpack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any bytes as a kernel: probing and unpacking never crash, a success is a
 * verified ELF within the limit, and every failure says why. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { MAX_OUT = 16 << 20 };
    enum xl_kcache_fmt fmt;
    bool bz;
    size_t off, plen, outlen = 0;
    void *out = NULL;
    char *why = NULL;
    int rc;

    xl_kcache_probe(data, size, &fmt, &bz, &off, &plen);
    if (bz && (off > size || plen > size - off))
        abort();
    (void)xl_kcache_fmt_name(fmt);
    rc = xl_kcache_unpack(data, size, MAX_OUT, &out, &outlen, &why);
    if (rc == 0) {
        char *why2 = NULL;
        if (!out || outlen > MAX_OUT || xl_kcache_elf_check(out, outlen, &why2))
            abort();
        free(why2);
    } else if (out || (rc != ENOMEM && !why)) {
        abort();
    }
    free(out);
    free(why);
    why = NULL;
    (void)xl_kcache_elf_check(data, size, &why);
    free(why);
    return 0;
}
