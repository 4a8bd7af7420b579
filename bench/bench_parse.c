/* Parse throughput of libxlcfg against Debian's libxlutil on a generated
 * corpus of realistic configs. Not a test: run by `make bench`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxlcfg.h"
#ifdef BENCH_XLUTIL
#include <libxlutil.h>
#endif

typedef struct corpus {
    char **text;
    size_t *len;
    size_t n;
    size_t bytes;
} corpus;

/* A deterministic generator, so runs are comparable. */
static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

/* One config in the style of the golden corpus: comments, padding, lists
 * over several lines, quoted numbers; only syntax both readers accept. */
static char *gen_config(unsigned i, size_t *len_r)
{
    static const char *const types[] = {"pv", "pvh", "hvm"};
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    unsigned ndisk = 1 + rnd(4), nvif = 1 + rnd(3);
    const char *type = types[rnd(3)];

    if (!f)
        return NULL;
    fprintf(f, "# Generated guest %u, %s\n", i, type);
    fprintf(f, "name        = \"guest-%u\"\n", i);
    fprintf(f, "type        = \"%s\"\n", type);
    {
        const char *q = rnd(2) ? "'" : ""; /* quoted numbers happen */

        fprintf(f, "memory      = %s%u%s\n", q, 256u << rnd(5), q);
    }
    fprintf(f, "maxmem      = %u\n", 8192u);
    fprintf(f, "vcpus       = %u\n", 1 + rnd(8));
    if (strcmp(type, "hvm") != 0) {
        fprintf(f, "kernel      = \"/var/lib/xen/kernels/vmlinuz-%u\"\n", i);
        fprintf(f, "ramdisk     = \"/var/lib/xen/kernels/initrd-%u\"\n", i);
        fprintf(f, "cmdline     = \"root=/dev/xvda1 ro console=hvc0\"\n");
    } else {
        fprintf(f, "boot        = \"dc\"\nvnc = 1\nserial = 'pty'\n");
        fprintf(f, "viridian    = [ \"defaults\" ]\n");
    }
    fprintf(f, "cpus        = \"%u-%u\"\n", rnd(4), 4 + rnd(4));
    fprintf(f, "on_crash    = 'restart' ; on_reboot = 'restart'\n");
    fprintf(f, "disk = [\n");
    for (unsigned k = 0; k < ndisk; k++)
        fprintf(f, "    'phy:/dev/vg%u/guest-%u-disk%u,xvd%c,w',  # disk %u\n",
                rnd(3), i, k, 'a' + k, k);
    fprintf(f, "]\nvif = [ ");
    for (unsigned k = 0; k < nvif; k++)
        fprintf(f, "%s'mac=00:16:3e:%02x:%02x:%02x,bridge=xenbr%u'",
                k ? ",\n        " : "", rnd(256), rnd(256), k, rnd(2));
    fprintf(f, " ]\n");
    fprintf(f, "extra = \"elevator=noop\"\n");
    fclose(f);
    *len_r = size;
    return buf;
}

static int gen_corpus(corpus *c, size_t n)
{
    c->text = calloc(n, sizeof(*c->text));
    c->len = calloc(n, sizeof(*c->len));
    if (!c->text || !c->len)
        return ENOMEM;
    for (size_t i = 0; i < n; i++) {
        c->text[i] = gen_config((unsigned)i, &c->len[i]);
        if (!c->text[i])
            return ENOMEM;
        c->bytes += c->len[i];
        c->n++;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_xlcfg(const corpus *c, bool validate)
{
    for (size_t i = 0; i < c->n; i++) {
        xlcfg_cfg *cfg = xlcfg_new();
        int rc;

        if (!cfg)
            return ENOMEM;
        rc = xlcfg_read(cfg, "bench.cfg", c->text[i], c->len[i], NULL);
        if (!rc && validate)
            rc = xlcfg_validate(cfg, NULL);
        xlcfg_free(cfg);
        if (rc) {
            fprintf(stderr, "bench: libxlcfg rejects config %zu:\n%s", i,
                    c->text[i]);
            return rc;
        }
    }
    return 0;
}

#ifdef BENCH_XLUTIL
static int run_xlutil(const corpus *c, FILE *devnull)
{
    for (size_t i = 0; i < c->n; i++) {
        XLU_Config *x = xlu_cfg_init(devnull, "bench.cfg");
        int rc;

        if (!x)
            return ENOMEM;
        rc = xlu_cfg_readdata(x, c->text[i], (int)c->len[i]);
        xlu_cfg_destroy(x);
        if (rc) {
            fprintf(stderr, "bench: libxlutil rejects config %zu\n", i);
            return rc;
        }
    }
    return 0;
}
#endif

/* Best of `reps` rounds, in seconds per pass over the corpus. */
#define BEST(expr, reps, best_r)                                               \
    do {                                                                       \
        *(best_r) = 1e30;                                                      \
        for (int r_ = 0; r_ < (reps); r_++) {                                  \
            double t0_ = now();                                                \
            if (expr)                                                          \
                return 1;                                                      \
            double t_ = now() - t0_;                                           \
            if (t_ < *(best_r))                                                \
                *(best_r) = t_;                                                \
        }                                                                      \
    } while (0)

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    corpus c = {0};
    double t_parse, t_valid;

    if (n == 0 || reps <= 0 || gen_corpus(&c, n)) {
        fprintf(stderr, "usage: bench_parse [CONFIGS [ROUNDS]]\n");
        return 2;
    }
    printf("corpus: %zu configs, %.1f MiB; best of %d rounds\n", c.n,
           (double)c.bytes / (1 << 20), reps);
    BEST(run_xlcfg(&c, false), reps, &t_parse);
    BEST(run_xlcfg(&c, true), reps, &t_valid);
    printf("libxlcfg parse:            %8.1f ms  %7.1f MiB/s\n", t_parse * 1e3,
           (double)c.bytes / (1 << 20) / t_parse);
    printf("libxlcfg parse+validate:   %8.1f ms  %7.1f MiB/s\n", t_valid * 1e3,
           (double)c.bytes / (1 << 20) / t_valid);
#ifdef BENCH_XLUTIL
    {
        FILE *devnull = fopen("/dev/null", "w");
        double t_xlu;

        if (!devnull)
            return 1;
        BEST(run_xlutil(&c, devnull), reps, &t_xlu);
        fclose(devnull);
        printf("libxlutil xlu_cfg_readdata: %7.1f ms  %7.1f MiB/s\n",
               t_xlu * 1e3, (double)c.bytes / (1 << 20) / t_xlu);
        printf("ratio libxlutil/libxlcfg: parse %.2fx, parse+validate "
               "%.2fx (>1: libxlcfg faster)\n",
               t_xlu / t_parse, t_xlu / t_valid);
    }
#else
    printf("libxlutil not found at configure time: no ratio\n");
#endif
    for (size_t i = 0; i < c.n; i++)
        free(c.text[i]);
    free(c.text);
    free(c.len);
    return 0;
}
