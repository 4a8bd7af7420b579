/* bench_sha256.c: throughput of the kernel cache's SHA-256 (xl/khash.c)
 * over one buffer the size of a large kernel. Not a test: run by `make
 * bench`, and by bench/bench_hash.sh against an older tree's hash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "khash.h"

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
    int rounds = argc > 2 ? atoi(argv[2]) : 5, i;
    size_t len = mib << 20, off;
    uint8_t *buf, d[32];
    uint32_t x = 12345;
    double *ms;

    if (mib == 0 || rounds <= 0) {
        fputs("usage: bench_sha256 [MIB [ROUNDS]]\n", stderr);
        return 2;
    }
    buf = malloc(len);
    ms = calloc((size_t)rounds, sizeof(*ms));
    if (!buf || !ms) {
        fputs("bench_sha256: out of memory\n", stderr);
        return 1;
    }
    /* Deterministic, incompressible-looking bytes (a xorshift stream). */
    for (off = 0; off < len; off++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[off] = (uint8_t)x;
    }
    for (i = 0; i < rounds; i++) {
        double t0 = now_ms();
        xl_kcache_sha256(buf, len, d);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)rounds, sizeof(*ms), cmp_double);
    printf("sha256 of %zu MiB, %d rounds: best %.1f ms (%.0f MiB/s), "
           "median %.1f ms; digest ",
           mib, rounds, ms[0], mib / (ms[0] / 1e3), ms[rounds / 2]);
    for (i = 0; i < 32; i++)
        printf("%02x", d[i]);
    putchar('\n');
    free(ms);
    free(buf);
    return 0;
}
