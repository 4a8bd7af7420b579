/* Reading hostile, oversized configs: time and peak memory of libxlcfg
 * (and Debian's libxlutil, where configure found it) on the shapes that
 * once made the reader quadratic (issue 15, item 1). Not a test: run by
 * `make bench`.
 *
 * Each shape is generated in memory and parsed in a child process, so the
 * child's peak RSS (wait4) is the reader's alone. A reader linear in time
 * and memory shows the same MiB/s and the same RSS per input byte for the
 * small and the large file of one shape. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libxlcfg.h"
#ifdef BENCH_XLUTIL
#include <libxlutil.h>
#endif

enum shape { EXTRA_LINES, DISK_LIST, LONG_STRINGS };

static const char *const shape_name[] = {
    [EXTRA_LINES] = "extra = \"...\" lines",
    [DISK_LIST] = "one disk = [ ... ] list",
    [LONG_STRINGS] = "4 KiB quoted strings",
};

/* A config of about `bytes` bytes in the given shape, in one buffer
 * allocated once (so the input's share of the RSS is its size); NULL on
 * ENOMEM. */
static char *gen(enum shape s, size_t bytes, size_t *len_r)
{
    size_t cap = bytes + 8192, len = 0;
    char *buf = malloc(cap);
    char pad[4097];

    if (!buf)
        return NULL;
    memset(pad, 'a', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    len += (size_t)snprintf(buf, cap, "%s%s",
                            "name = \"big\"\nkernel = \"/boot/vmlinuz\"\n"
                            "memory = 256\n",
                            s == DISK_LIST ? "disk = [\n" : "");
    for (unsigned long i = 0; len < bytes; i++) {
        char *p = buf + len;
        size_t room = cap - len - 4;

        switch (s) {
        case EXTRA_LINES:
            len += (size_t)snprintf(p, room,
                                    "extra = \"console=hvc0 root=/dev/xvda%lu "
                                    "ro quiet loglevel=3 %.40s\"\n",
                                    i, pad);
            break;
        case DISK_LIST:
            len += (size_t)snprintf(p, room,
                                    "  'format=raw, vdev=xvd%lu, access=rw, "
                                    "target=/dev/vg/guest-disk-%lu',\n",
                                    i % 26, i);
            break;
        case LONG_STRINGS:
            len += (size_t)snprintf(p, room, "cmdline = \"%lu %s\"\n", i, pad);
            break;
        }
    }
    if (s == DISK_LIST) {
        memcpy(buf + len, "]\n", 3);
        len += 2;
    }
    *len_r = len;
    return buf;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_xlcfg(const char *text, size_t len)
{
    xlcfg_cfg *cfg = xlcfg_new();
    int rc;

    if (!cfg)
        return ENOMEM;
    rc = xlcfg_read(cfg, "big.cfg", text, len, NULL);
    xlcfg_free(cfg);
    return rc;
}

#ifdef BENCH_XLUTIL
static int parse_xlutil(const char *text, size_t len)
{
    FILE *devnull = fopen("/dev/null", "w");
    XLU_Config *x = devnull ? xlu_cfg_init(devnull, "big.cfg") : NULL;
    int rc;

    if (!x)
        return ENOMEM;
    rc = xlu_cfg_readdata(x, text, (int)len);
    xlu_cfg_destroy(x);
    fclose(devnull);
    return rc;
}
#endif

struct result {
    double secs;
    double rss_mib; /* the child's peak RSS, input included */
};

/* Generates and parses in a child; the parent reads its time through a
 * pipe and its peak RSS through wait4. The input's own share of the RSS
 * is reported apart (base). */
static int measure(enum shape s, size_t bytes, bool xlutil, struct result *r,
                   double *base_mib_r, size_t *len_r)
{
    int p[2];
    pid_t pid;
    int st;
    struct rusage ru;
    double msg[3];

    if (pipe(p))
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        size_t len = 0;
        char *text = gen(s, bytes, &len);
        struct rusage before;
        double t0;
        int rc;

        close(p[0]);
        if (!text)
            _exit(3);
        getrusage(RUSAGE_SELF, &before);
        t0 = now();
#ifdef BENCH_XLUTIL
        rc = xlutil ? parse_xlutil(text, len) : parse_xlcfg(text, len);
#else
        (void)xlutil;
        rc = parse_xlcfg(text, len);
#endif
        msg[0] = now() - t0;
        msg[1] = (double)before.ru_maxrss / 1024;
        msg[2] = (double)len;
        if (write(p[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
            _exit(4);
        _exit(rc ? 5 : 0);
    }
    close(p[1]);
    if (read(p[0], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
        msg[0] = -1;
    close(p[0]);
    if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) ||
        msg[0] < 0) {
        fprintf(stderr, "bench_bigcfg: %s on %s (%zu bytes) failed (%d)\n",
                xlutil ? "libxlutil" : "libxlcfg", shape_name[s], bytes,
                WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return -1;
    }
    r->secs = msg[0];
    r->rss_mib = (double)ru.ru_maxrss / 1024;
    *base_mib_r = msg[1];
    *len_r = (size_t)msg[2];
    return 0;
}

static int row(enum shape s, size_t bytes)
{
    struct result ours, ref = {0};
    double base, base_ref = 0;
    size_t len, len_ref;
    double mib;

    if (measure(s, bytes, false, &ours, &base, &len))
        return -1;
    mib = (double)len / (1 << 20);
    printf("%-24s %6.1f MiB  libxlcfg %6.2f s %5.1f MiB/s +%6.1f MiB "
           "(%.1fx input)",
           shape_name[s], mib, ours.secs, mib / ours.secs, ours.rss_mib - base,
           (ours.rss_mib - base) / mib);
#ifdef BENCH_XLUTIL
    if (measure(s, bytes, true, &ref, &base_ref, &len_ref))
        return -1;
    printf("  libxlutil %6.2f s +%6.1f MiB  ours/libxlutil: time %.2f, "
           "memory %.2f",
           ref.secs, ref.rss_mib - base_ref, ours.secs / ref.secs,
           (ours.rss_mib - base) / (ref.rss_mib - base_ref));
#else
    (void)len_ref;
    (void)base_ref;
#endif
    printf("\n");
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    size_t big = (argc > 1 ? strtoul(argv[1], NULL, 10) : 100) << 20;

    if (argc > 2 || big == 0) {
        fprintf(stderr, "usage: bench_bigcfg [MIB]\n");
        return 2;
    }
    printf("memory: peak RSS above the generated input; ratios ours / "
           "libxlutil (below 1: ours faster or smaller)\n");
    for (enum shape s = EXTRA_LINES; s <= LONG_STRINGS; s++)
        if (row(s, (size_t)1400 << 10) || row(s, big))
            return 1;
    return 0;
}
