/* Replay driver: feeds corpus files to a libFuzzer target as a TAP test. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Linked with one tests/fuzz/fuzz_NAME.c into tests/fuzz/replay_NAME.
 * Arguments are corpus files or directories; without any, the corpus is
 * $XLCFG_FUZZ_CORPUS, else $top_srcdir/tests/fuzz/corpus/NAME, NAME coming
 * from the program's own name (so `make check` needs no arguments). Each
 * input is handed over in a buffer of its exact size, so the sanitizers
 * see any overread. A crash or abort fails the test.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct paths {
    char **v;
    size_t n;
} paths;

static int add_path(paths *p, const char *dir, const char *name)
{
    char **nv = realloc(p->v, (p->n + 1) * sizeof(*nv));
    char *s;

    if (!nv)
        return ENOMEM;
    p->v = nv;
    if (dir) {
        if (asprintf(&s, "%s/%s", dir, name) < 0)
            return ENOMEM;
    } else if (!(s = strdup(name))) {
        return ENOMEM;
    }
    p->v[p->n++] = s;
    return 0;
}

static int skip_dots(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* A file, or the regular files of a directory in name order. */
static int collect(paths *p, const char *arg)
{
    struct stat st;
    struct dirent **ents = NULL;
    int n, rc = 0;

    if (stat(arg, &st) < 0) {
        fprintf(stderr, "replay: %s: %s\n", arg, strerror(errno));
        return errno;
    }
    if (!S_ISDIR(st.st_mode))
        return add_path(p, NULL, arg);
    n = scandir(arg, &ents, skip_dots, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", arg, strerror(errno));
        return errno;
    }
    for (int i = 0; i < n; i++) {
        char *full = NULL;

        if (!rc && asprintf(&full, "%s/%s", arg, ents[i]->d_name) >= 0 &&
            stat(full, &st) == 0 && S_ISREG(st.st_mode))
            rc = add_path(p, arg, ents[i]->d_name);
        free(full);
        free(ents[i]);
    }
    free(ents);
    return rc;
}

static int read_all(const char *path, uint8_t **data_r, size_t *len_r)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    uint8_t *buf;
    size_t len = 0;

    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        return errno;
    }
    /* malloc(0) may return NULL; keep one spare byte, pass the exact size. */
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        close(fd);
        return ENOMEM;
    }
    while (len < (size_t)st.st_size) {
        ssize_t got = read(fd, buf + len, (size_t)st.st_size - len);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    *data_r = buf;
    *len_r = len;
    return 0;
}

/* "replay_disk" or "lt-replay_disk" -> "disk" */
static const char *target_name(const char *argv0)
{
    const char *b = strrchr(argv0, '/');

    b = b ? b + 1 : argv0;
    if (strncmp(b, "lt-", 3) == 0)
        b += 3;
    if (strncmp(b, "replay_", 7) == 0)
        b += 7;
    return b;
}

int main(int argc, char **argv)
{
    paths p = {0};
    int status = 0;

    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            if (collect(&p, argv[i]))
                return 99;
    } else {
        const char *env = getenv("XLCFG_FUZZ_CORPUS");
        const char *top = getenv("top_srcdir");
        char *dir = NULL;

        if (env)
            dir = strdup(env);
        else if (asprintf(&dir, "%s/tests/fuzz/corpus/%s", top ? top : ".",
                          target_name(argv[0])) < 0)
            dir = NULL;
        if (!dir || collect(&p, dir))
            return 99;
        free(dir);
    }
    if (p.n == 0) {
        fprintf(stderr, "replay: empty corpus\n");
        return 99;
    }
    printf("1..%zu\n", p.n);
    for (size_t i = 0; i < p.n; i++) {
        uint8_t *data;
        size_t len;
        uint8_t *exact;

        if (read_all(p.v[i], &data, &len)) {
            printf("not ok %zu - %s (unreadable)\n", i + 1, p.v[i]);
            status = 1;
            continue;
        }
        exact = malloc(len ? len : 1);
        if (!exact)
            return 99;
        memcpy(exact, data, len);
        free(data);
        fflush(stdout);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
        printf("ok %zu - %s\n", i + 1, p.v[i]);
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.v[i]);
    free(p.v);
    return status;
}
