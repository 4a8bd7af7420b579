/* klookup.c: the create-time lookups of the kernel cache: hash, hit or
 * unpack, and the deferred hash check beside the domain build. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "fdio.h"
#include "khash.h"
#include "klookup.h"
#include "kstore.h"
#include "kunpack.h"

/* ------------------------------------------------------------------------
 * The create-time lookup
 */

/* Read the whole kernel; fail if it changes while being read (a
 * half-written kernel must not be hashed and cached). */
static int read_kernel(const char *path, size_t max, uint8_t **buf_r,
                       size_t *len_r, struct stat *st_r, char **why_r)
{
    struct stat a, b;
    uint8_t *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0) {
        rc = errno;
        xl_kcache__why(why_r, "cannot open kernel %s: %s", path, strerror(rc));
        return rc;
    }
    if (fstat(fd, &a)) {
        rc = errno;
        goto out;
    }
    if (!S_ISREG(a.st_mode)) {
        xl_kcache__why(why_r, "kernel %s is not a regular file", path);
        rc = EINVAL;
        goto out;
    }
    {
        /* A plain ELF needs no unpacking: do not read 60 MiB to learn it. */
        uint8_t magic[4];
        if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, ELFMAG, SELFMAG)) {
            xl_kcache__why(why_r, "%s is already an uncompressed ELF", path);
            rc = ENOTSUP;
            goto out;
        }
    }
    if ((uint64_t)a.st_size > max) {
        xl_kcache__why(why_r, "kernel %s is larger than %zu bytes", path, max);
        rc = EFBIG;
        goto out;
    }
    buf = malloc(a.st_size ? (size_t)a.st_size : 1);
    if (!buf) {
        rc = ENOMEM;
        goto out;
    }
    rc = xl_read_all(fd, buf, (size_t)a.st_size);
    if (rc) {
        xl_kcache__why(why_r, "reading kernel %s: %s", path, strerror(rc));
        goto out;
    }
    if (fstat(fd, &b) || b.st_size != a.st_size ||
        b.st_mtim.tv_sec != a.st_mtim.tv_sec ||
        b.st_mtim.tv_nsec != a.st_mtim.tv_nsec) {
        xl_kcache__why(why_r, "kernel %s changed while being read", path);
        rc = EAGAIN;
        goto out;
    }
    *buf_r = buf;
    buf = NULL;
    *len_r = (size_t)a.st_size;
    *st_r = a;
out:
    free(buf);
    close(fd);
    return rc;
}

/* Is there a negative entry for key that still applies (recorded under a
 * cap no lower than `limit`)? 0 with the note set and its use time
 * touched; ENOENT (none or obsolete: removed) or ENOMEM. Caller holds
 * the key lock. */
static int negative(int dfd, const char *key, size_t limit,
                    const char *kernel_path, char **why_r)
{
    char name[80], *reason = NULL, *kpath = NULL;
    uint64_t nlimit = 0;
    int rc;

    snprintf(name, sizeof(name), "%s.neg", key);
    rc = xl_kcache__neg_read(dfd, key, &nlimit, &reason, &kpath);
    if (rc == ENOMEM)
        return rc;
    if (rc || nlimit < (uint64_t)limit) {
        if (rc != ENOENT)
            unlinkat(dfd, name, 0); /* garbled, or the cap was raised */
        rc = ENOENT;
        goto out;
    }
    utimensat(dfd, name, NULL, 0);
    xl_kcache__why(why_r,
                   "not cached: %s was refused before (negative entry "
                   "%s.neg: %s); libxl gets the kernel as it is",
                   kernel_path, key, reason);
out:
    free(reason);
    free(kpath);
    return rc;
}

int xl_kcache_get(const char *kernel_path, const struct xl_kcache_opts *o,
                  char **path_r, char **why_r)
{
    const char *dir;
    uint8_t *kbuf = NULL, digest[32];
    void *elf = NULL;
    size_t klen = 0, elflen = 0, off, plen;
    struct stat kst = {0};
    enum xl_kcache_fmt fmt;
    bool bz;
    char key[65], ename[80], *epath = NULL, *inner = NULL, *bad = NULL;
    const char *pre;
    bool rebuilt = false;
    int rc, kfd = -1, ifd = -1, dfd = -1;
    struct timespec t0, t1;
    size_t limit = o && o->max_output ? o->max_output : XL_KCACHE_MAX_OUTPUT;

    if (path_r)
        *path_r = NULL;
    if (why_r)
        *why_r = NULL;
    if (!kernel_path || !o || !path_r)
        return EINVAL;
    dir = xl_kcache__dir(o);
    if (!o->enabled) {
        xl_kcache__why(why_r, "kernel cache off (xl.conf kernel_cache=0)");
        goto fallback;
    }
    rc = read_kernel(kernel_path, XL_KCACHE_MAX_INPUT, &kbuf, &klen, &kst,
                     &inner);
    if (rc == ENOMEM)
        goto out;
    if (rc) {
        xl_kcache__why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    xl_kcache_probe(kbuf, klen, &fmt, &bz, &off, &plen);
    if (fmt == XL_KCACHE_UNKNOWN || (fmt == XL_KCACHE_ELF && !bz) ||
        fmt == XL_KCACHE_LZO) {
        xl_kcache__why(why_r, "not cached: %s is %s", kernel_path,
                       fmt == XL_KCACHE_ELF ? "already an uncompressed ELF"
                       : fmt == XL_KCACHE_LZO
                           ? "an lzo bzImage (no Debian library linked)"
                           : "not a bzImage or compressed ELF");
        goto fallback;
    }
    rc = xl_kcache__dir_ready(dir, true, &inner);
    if (rc) {
        xl_kcache__why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    xl_kcache_sha256(kbuf, klen, digest);
    xl_kcache_sha256_hex(digest, key);
    pre = xl_kcache__index_precheck(dir, &kst, key);
    snprintf(ename, sizeof(ename), "%s.elf", key);
    if (asprintf(&epath, "%s/%s", dir, ename) < 0) {
        epath = NULL;
        rc = ENOMEM;
        goto out;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    kfd = xl_kcache__lock_key(dir, key, false);
    if (dfd < 0 || kfd < 0) {
        xl_kcache__why(why_r, "not cached: cannot lock %s/%s.lock: %s", dir,
                       key, strerror(kfd < 0 ? -kfd : errno));
        goto fallback;
    }
    /* Under the key lock: whoever held it before us may have unpacked. */
    free(inner);
    inner = NULL;
    rc = xl_kcache__entry_verify(dfd, key, &inner);
    if (rc == ENOMEM)
        goto out;
    if (rc == 0) {
        /* mtime is the LRU clock (atime is unreliable with relatime). */
        utimensat(dfd, ename, NULL, 0);
        xl_kcache__why(why_r, "cache hit: %s -> %s (%s)", kernel_path, epath,
                       pre);
        goto done;
    }
    if (rc != ENOENT) {
        /* Corrupt, truncated, damaged or of an older format without a
         * content hash: drop it and unpack again. */
        char sname[80];
        snprintf(sname, sizeof(sname), "%s.sha256", key);
        unlinkat(dfd, ename, 0);
        unlinkat(dfd, sname, 0);
        rebuilt = true;
        bad = inner;
        inner = NULL;
    }
    if (rc == ENOENT) {
        /* Refused before (a bomb): the same bytes fail the same way. */
        rc = negative(dfd, key, limit, kernel_path, why_r);
        if (rc == ENOMEM)
            goto out;
        if (rc == 0)
            goto fallback;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    free(inner);
    inner = NULL;
    rc = xl_kcache_unpack(kbuf, klen, limit, &elf, &elflen, &inner);
    if (rc == ENOMEM)
        goto out;
    if (rc) {
        /* A decompression bomb costs its seconds once, not every time. */
        bool remember = rc == EFBIG || rc == E2BIG;
        if (remember &&
            xl_kcache__neg_write(dir, key, limit, inner, kernel_path) == 0)
            xl_kcache__why(why_r,
                           "not cached: %s: %s (remembered as negative "
                           "entry %s/%s.neg; libxl gets the kernel as it is)",
                           kernel_path, inner ? inner : strerror(rc), dir, key);
        else
            xl_kcache__why(why_r, "not cached: %s: %s", kernel_path,
                           inner ? inner : strerror(rc));
        goto fallback;
    }
    free(kbuf);
    kbuf = NULL;
    free(inner);
    inner = NULL;
    /* An old negative entry (a lower cap then) is superseded. */
    {
        char nname[80];
        snprintf(nname, sizeof(nname), "%s.neg", key);
        unlinkat(dfd, nname, 0);
    }
    rc = xl_kcache__entry_write(dir, key, elf, elflen, &inner);
    if (rc) {
        xl_kcache__why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    xl_kcache__why(
        why_r,
        "cache miss: unpacked %s%s %s (%zu bytes) in %ld ms -> %s "
        "(%s%s%s)",
        bz ? "bzImage " : "", xl_kcache_fmt_name(fmt), kernel_path, elflen,
        (long)((t1.tv_sec - t0.tv_sec) * 1000 +
               (t1.tv_nsec - t0.tv_nsec) / 1000000),
        epath, pre, rebuilt ? "; bad entry discarded and rebuilt: " : "",
        rebuilt && bad ? bad : "");
done:
    /* Drop the key lock first: clear takes the index lock, then key locks.
     * The fresh mtime keeps the entry from eviction (grace period). */
    close(kfd);
    kfd = -1;
    /* Index and eviction are housekeeping: failures only cost a note. */
    ifd = xl_kcache__lock_index(dir);
    if (ifd >= 0) {
        xl_kcache__index_update(dir, key, &kst, kernel_path);
        xl_kcache__evict_locked(o, key);
        close(ifd);
    }
    *path_r = epath;
    epath = NULL;
    rc = 0;
    goto out;

fallback:
    *path_r = strdup(kernel_path);
    rc = *path_r ? 0 : ENOMEM;
out:
    if (kfd >= 0)
        close(kfd);
    if (dfd >= 0)
        close(dfd);
    free(kbuf);
    free(elf);
    free(epath);
    free(inner);
    free(bad);
    return rc;
}

/* ------------------------------------------------------------------------
 * The fast path: a hit found through the index, hashed beside the build
 */

struct xl_kcache_check {
    pthread_t thread;
    char *kernel_path, *dir;
    char key[65];      /* what the index says the file holds */
    struct stat st;    /* the file identity the index matched */
    uint8_t *buf;      /* read buffer: the thread allocates nothing */
    int rc;            /* 0 same content; ESTALE differs; else read errno */
    pthread_t ethread; /* hashes the entry beside the kernel's thread */
    int efd;           /* the entry handed out, opened before libxl does */
    uint8_t *ebuf;     /* its read buffer */
    char sum[65];      /* the content hash recorded for the entry */
    int erc;           /* 0 entry intact; EBADMSG damaged; else errno */
};

#define CHECK_BUF_SIZE (1u << 20)

static bool same_identity(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The thread: only open, read, fstat and arithmetic, no locks taken, so
 * a fork (xenconsole, hotplug scripts) while it runs is safe. */
static void *check_thread(void *arg)
{
    struct xl_kcache_check *c = arg;
    struct xl_kcache_sha256_ctx h;
    struct stat a, b;
    uint8_t digest[32];
    char key[65];
    ssize_t r;
    int fd = open(c->kernel_path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        c->rc = errno;
        return NULL;
    }
    if (fstat(fd, &a)) {
        c->rc = errno;
        goto out;
    }
    if (!same_identity(&a, &c->st)) {
        c->rc = ESTALE;
        goto out;
    }
    xl_kcache_sha256_init(&h);
    for (;;) {
        r = read(fd, c->buf, CHECK_BUF_SIZE);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        xl_kcache_sha256_update(&h, c->buf, (size_t)r);
    }
    if (r < 0) {
        c->rc = errno;
        goto out;
    }
    /* Changed while being read: not the content the key stands for. */
    if (fstat(fd, &b) || !same_identity(&a, &b) ||
        h.len != (uint64_t)a.st_size) {
        c->rc = ESTALE;
        goto out;
    }
    xl_kcache_sha256_final(&h, digest);
    xl_kcache_sha256_hex(digest, key);
    c->rc = strcmp(key, c->key) ? ESTALE : 0;
out:
    close(fd);
    return NULL;
}

/* The second thread: the entry's own bytes against the hash recorded when
 * it was written (a damaged entry must not run either). Same rules. */
static void *entry_thread(void *arg)
{
    struct xl_kcache_check *c = arg;
    char hex[65];

    c->erc = xl_kcache__hash_fd(c->efd, c->ebuf, CHECK_BUF_SIZE, hex, NULL);
    if (c->erc == 0 && strcmp(hex, c->sum))
        c->erc = EBADMSG;
    return NULL;
}

static void check_free(struct xl_kcache_check *c)
{
    if (c->efd >= 0)
        close(c->efd);
    free(c->kernel_path);
    free(c->dir);
    free(c->buf);
    free(c->ebuf);
    free(c);
}

int xl_kcache_get_deferred(const char *kernel_path,
                           const struct xl_kcache_opts *o, char **path_r,
                           char **why_r, struct xl_kcache_check **check_r)
{
    const char *dir;
    struct xl_kcache_check *c = NULL;
    struct stat st;
    char key[65], *epath = NULL;
    int ifd;

    if (check_r)
        *check_r = NULL;
    if (!kernel_path || !o || !path_r || !check_r)
        return EINVAL;
    dir = xl_kcache__dir(o);
    /* Anything but a known, unchanged file takes the ordinary path. */
    if (!o->enabled || stat(kernel_path, &st) || !S_ISREG(st.st_mode) ||
        xl_kcache__dir_ready(dir, false, NULL) ||
        !xl_kcache__index_lookup(dir, &st, key))
        return xl_kcache_get(kernel_path, o, path_r, why_r);
    c = calloc(1, sizeof(*c));
    if (!c)
        return ENOMEM;
    c->efd = -1;
    c->kernel_path = strdup(kernel_path);
    c->dir = strdup(dir);
    c->buf = malloc(CHECK_BUF_SIZE);
    c->ebuf = malloc(CHECK_BUF_SIZE);
    if (!c->kernel_path || !c->dir || !c->buf || !c->ebuf) {
        check_free(c);
        return ENOMEM;
    }
    memcpy(c->key, key, sizeof(key));
    c->st = st;
    epath = xl_kcache__entry_take(dir, key, c->sum);
    if (epath)
        c->efd = open(epath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (!epath || c->efd < 0 ||
        pthread_create(&c->ethread, NULL, entry_thread, c)) {
        free(epath);
        check_free(c);
        return xl_kcache_get(kernel_path, o, path_r, why_r);
    }
    if (pthread_create(&c->thread, NULL, check_thread, c)) {
        pthread_join(c->ethread, NULL);
        free(epath);
        check_free(c);
        return xl_kcache_get(kernel_path, o, path_r, why_r);
    }
    /* Housekeeping, as on every hit: the cap may have been lowered. */
    ifd = xl_kcache__lock_index(dir);
    if (ifd >= 0) {
        xl_kcache__evict_locked(o, key);
        close(ifd);
    }
    if (why_r) {
        *why_r = NULL;
        xl_kcache__why(
            why_r,
            "cache hit: %s -> %s (file unchanged since last use; its "
            "content hash is checked while the domain is built)",
            kernel_path, epath);
    }
    *path_r = epath;
    *check_r = c;
    return 0;
}

int xl_kcache_check_finish(struct xl_kcache_check *c, char **why_r)
{
    int rc;

    if (why_r)
        *why_r = NULL;
    if (!c)
        return 0;
    pthread_join(c->thread, NULL);
    pthread_join(c->ethread, NULL);
    rc = c->rc;
    if (rc == 0 && c->erc == EBADMSG) {
        rc = EBADMSG;
        xl_kcache__why(why_r,
                       "cache entry %s/%s.elf is damaged: its content no "
                       "longer matches the hash recorded when it was "
                       "written; removed",
                       c->dir, c->key);
        xl_kcache__entry_discard(c->dir, c->key, c->efd);
        xl_kcache__index_forget(c->dir, &c->st);
    } else if (rc == 0 && c->erc) {
        rc = c->erc;
        xl_kcache__why(why_r, "cannot re-read cache entry %s/%s.elf: %s",
                       c->dir, c->key, strerror(rc));
        xl_kcache__index_forget(c->dir, &c->st);
    } else if (rc == ESTALE) {
        xl_kcache__why(
            why_r,
            "kernel %s changed on disk: its content no longer matches "
            "cache entry %s",
            c->kernel_path, c->key);
        xl_kcache__index_forget(c->dir, &c->st);
    } else if (rc) {
        xl_kcache__why(why_r, "cannot re-read kernel %s to check its hash: %s",
                       c->kernel_path, strerror(rc));
        xl_kcache__index_forget(c->dir, &c->st);
    }
    check_free(c);
    return rc;
}
