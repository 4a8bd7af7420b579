/* kstore.c: the kernel cache's directory: locks, index, entries, eviction,
 * list and clear (see kstore.h for the layout). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "fdio.h"
#include "khash.h"
#include "kstore.h"
#include "kunpack.h"

void xl_kcache_opts_init(struct xl_kcache_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->enabled = true;
    o->dir = NULL;
    o->max_bytes = XL_KCACHE_MAX_BYTES;
    o->max_output = XL_KCACHE_MAX_OUTPUT;
    o->grace_seconds = XL_KCACHE_GRACE_SECONDS;
}

const char *xl_kcache__dir(const struct xl_kcache_opts *o)
{
    return o->dir ? o->dir : XL_KCACHE_DIR;
}
/* ------------------------------------------------------------------------
 * Files
 */

static char *path_join(const char *dir, const char *name)
{
    char *s = NULL;

    if (asprintf(&s, "%s/%s", dir, name) < 0)
        return NULL;
    return s;
}

/* An exclusive flock on `path` (created 0600): eviction or clear may
 * unlink a lock file while we wait for it (fdio.h). Returns the fd or
 * -errno; with nonblock, -EWOULDBLOCK when busy. */
static int lock_path(const char *path, bool nonblock)
{
    int fd = xl_lock_file(path, 0600,
                          XL_LOCK_NOFOLLOW | (nonblock ? XL_LOCK_NONBLOCK : 0));

    return fd < 0 ? -errno : fd;
}

static bool is_key(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* "<64 hex><suffix>" (".elf" entries, ".neg" negative entries) */
static bool key_name(const char *name, const char *suffix)
{
    return strlen(name) == 64 + strlen(suffix) && is_key(name, 64) &&
           !strcmp(name + 64, suffix);
}

/* ------------------------------------------------------------------------
 * The index: one line per kernel file identity (dev, ino), used as the
 * size+mtime pre-check and to show where an entry came from.
 */

struct irec {
    char key[65];
    unsigned long long dev, ino, size;
    long long msec, mnsec;
    char *path;
};

/* The record is of this file (device and inode). */
static bool irec_same_file(const struct irec *r, const struct stat *st)
{
    return r->dev == (unsigned long long)st->st_dev &&
           r->ino == (unsigned long long)st->st_ino;
}

/* ... and with this size and mtime: the pre-check's identity. */
static bool irec_same_meta(const struct irec *r, const struct stat *st)
{
    return r->size == (unsigned long long)st->st_size &&
           r->msec == (long long)st->st_mtim.tv_sec &&
           r->mnsec == (long long)st->st_mtim.tv_nsec;
}

static void irecs_free(struct irec *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(r[i].path);
    free(r);
}

/* Read the index; a missing or garbled file is an empty index (it is only
 * advisory). */
static int index_read(const char *dir, struct irec **recs_r, size_t *n_r)
{
    char *path = path_join(dir, "index"), *line = NULL;
    FILE *f = NULL;
    size_t cap = 0, lcap = 0, n = 0;
    struct irec *recs = NULL;
    ssize_t ll;
    int rc = 0;

    *recs_r = NULL;
    *n_r = 0;
    if (!path)
        return ENOMEM;
    f = fopen(path, "re");
    if (!f)
        goto out;
    while ((ll = getline(&line, &lcap, f)) > 0) {
        struct irec r;
        int off = 0;
        if (line[ll - 1] == '\n')
            line[ll - 1] = '\0';
        memset(&r, 0, sizeof(r));
        if (sscanf(line, "%64s %llu %llu %llu %lld %lld %n", r.key, &r.dev,
                   &r.ino, &r.size, &r.msec, &r.mnsec, &off) != 6 ||
            off == 0 || strlen(r.key) != 64 || !is_key(r.key, 64))
            continue;
        r.path = strdup(line + off);
        if (!r.path) {
            rc = ENOMEM;
            goto out;
        }
        if (n == cap) {
            struct irec *nr;
            cap = cap ? cap * 2 : 16;
            nr = realloc(recs, cap * sizeof(*recs));
            if (!nr) {
                free(r.path);
                rc = ENOMEM;
                goto out;
            }
            recs = nr;
        }
        recs[n++] = r;
    }
out:
    if (f)
        fclose(f);
    free(line);
    free(path);
    if (rc) {
        irecs_free(recs, n);
        return rc;
    }
    *recs_r = recs;
    *n_r = n;
    return 0;
}

/* Rewrite the index atomically with `rec` replacing any record of the same
 * file identity, and records of keys whose entry is gone dropped. Caller
 * holds .index.lock. */
static int index_write(const char *dir, const struct irec *recs, size_t n)
{
    char *path = path_join(dir, "index"), *tmp = NULL;
    FILE *f = NULL;
    size_t i;
    int rc = 0;

    if (!path || asprintf(&tmp, "%s/.tmp.index.%ld", dir, (long)getpid()) < 0) {
        tmp = NULL;
        rc = ENOMEM;
        goto out;
    }
    f = fopen(tmp, "we");
    if (!f) {
        rc = errno;
        goto out;
    }
    for (i = 0; i < n; i++)
        fprintf(f, "%s %llu %llu %llu %lld %lld %s\n", recs[i].key, recs[i].dev,
                recs[i].ino, recs[i].size, recs[i].msec, recs[i].mnsec,
                recs[i].path);
    if (fclose(f)) {
        f = NULL;
        rc = errno;
        goto out;
    }
    f = NULL;
    if (rename(tmp, path))
        rc = errno;
out:
    if (f)
        fclose(f);
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(path);
    return rc;
}

static bool entry_exists(const char *dir, const char *key)
{
    char name[80];
    struct stat st;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok;

    if (fd < 0)
        return false;
    snprintf(name, sizeof(name), "%s.elf", key);
    ok = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    close(fd);
    return ok;
}

/* Record that the file (st, path) has content key `key`; with key NULL,
 * only forget what the index knows about that file. Records of entries
 * gone are dropped on the way. Caller holds .index.lock. */
int xl_kcache__index_update(const char *dir, const char *key,
                            const struct stat *st, const char *path)
{
    struct irec *recs = NULL;
    size_t n = 0, i, m = 0;
    int rc;

    if (key && strchr(path, '\n'))
        return 0; /* such a path cannot be a line; it only costs the note */
    rc = index_read(dir, &recs, &n);
    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        if (irec_same_file(&recs[i], st) || !entry_exists(dir, recs[i].key)) {
            free(recs[i].path);
            continue;
        }
        recs[m++] = recs[i];
    }
    if (!key) {
        rc = m == n ? 0 : index_write(dir, recs, m);
        irecs_free(recs, m);
        return rc;
    }
    n = m;
    {
        struct irec *nr = realloc(recs, (n + 1) * sizeof(*recs));
        if (!nr) {
            irecs_free(recs, n);
            return ENOMEM;
        }
        recs = nr;
    }
    memset(&recs[n], 0, sizeof(recs[n]));
    memcpy(recs[n].key, key, 65);
    recs[n].dev = (unsigned long long)st->st_dev;
    recs[n].ino = (unsigned long long)st->st_ino;
    recs[n].size = (unsigned long long)st->st_size;
    recs[n].msec = (long long)st->st_mtim.tv_sec;
    recs[n].mnsec = (long long)st->st_mtim.tv_nsec;
    recs[n].path = strdup(path);
    if (!recs[n].path) {
        irecs_free(recs, n);
        return ENOMEM;
    }
    n++;
    rc = index_write(dir, recs, n);
    irecs_free(recs, n);
    return rc;
}

/* The pre-check: what the index remembers about this file identity.
 * Returns a note (static string) for verbose mode; it never decides
 * anything, since only the content hash says which entry fits. */
const char *xl_kcache__index_precheck(const char *dir, const struct stat *st,
                                      const char *key)
{
    struct irec *recs = NULL;
    size_t n = 0, i;
    const char *note = "first use of this kernel file";

    if (index_read(dir, &recs, &n))
        return "index unreadable";
    for (i = 0; i < n; i++) {
        bool meta;

        if (!irec_same_file(&recs[i], st))
            continue;
        meta = irec_same_meta(&recs[i], st);
        if (meta && !strcmp(recs[i].key, key))
            note = "file unchanged since last use";
        else if (meta)
            note = "content changed although size and mtime did not";
        else
            note = "file changed on disk since last use";
        break;
    }
    irecs_free(recs, n);
    return note;
}

/* ------------------------------------------------------------------------
 * Entries
 */

/* Is the entry at dirfd/name a good ELF? Returns 0, or EINVAL with why. */
int xl_kcache__entry_check(int dirfd, const char *name, char **why_r)
{
    struct stat st;
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

    if (fd < 0)
        return errno;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        xl_kcache__why(why_r, "not a regular file");
        return EINVAL;
    }
    rc = xl_kcache_elf_check_fd(fd, (uint64_t)st.st_size, why_r);
    close(fd);
    return rc;
}

static void remove_entry(const char *dir, const char *key);

int xl_kcache__hash_fd(int fd, uint8_t *buf, size_t bufsz, char hex_r[65],
                       uint64_t *len_r)
{
    struct xl_kcache_sha256_ctx h;
    uint8_t d[32];
    ssize_t r;

    xl_kcache_sha256_init(&h);
    for (;;) {
        r = pread(fd, buf, bufsz, (off_t)h.len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        xl_kcache_sha256_update(&h, buf, (size_t)r);
    }
    if (r < 0)
        return errno;
    xl_kcache_sha256_final(&h, d);
    xl_kcache_sha256_hex(d, hex_r);
    if (len_r)
        *len_r = h.len;
    return 0;
}

int xl_kcache__entry_sum(int dirfd, const char *key, char hex_r[65])
{
    char name[80], line[66];
    ssize_t n;
    int fd, rc = 0;

    snprintf(name, sizeof(name), "%s.sha256", key);
    fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno;
    n = pread(fd, line, sizeof(line), 0);
    if (n < 0)
        rc = errno;
    else if (n != 65 || line[64] != '\n' || !is_key(line, 64))
        rc = EINVAL;
    close(fd);
    if (rc)
        return rc;
    memcpy(hex_r, line, 64);
    hex_r[64] = '\0';
    return 0;
}

#define VERIFY_BUF_SIZE (1u << 20)

int xl_kcache__entry_verify(int dirfd, const char *key, char **why_r)
{
    char name[80], want[65], got[65];
    uint8_t *buf = NULL;
    int fd = -1, rc;

    snprintf(name, sizeof(name), "%s.elf", key);
    rc = xl_kcache__entry_check(dirfd, name, why_r);
    if (rc)
        return rc;
    rc = xl_kcache__entry_sum(dirfd, key, want);
    if (rc) {
        xl_kcache__why(why_r,
                       rc == ENOENT
                           ? "no content hash recorded (older cache format)"
                           : "its content hash file is unreadable or garbled");
        return EINVAL;
    }
    buf = malloc(VERIFY_BUF_SIZE);
    if (!buf)
        return ENOMEM;
    fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        rc = errno;
        goto out;
    }
    rc = xl_kcache__hash_fd(fd, buf, VERIFY_BUF_SIZE, got, NULL);
    if (rc) {
        xl_kcache__why(why_r, "cannot read it: %s", strerror(rc));
        rc = EINVAL;
        goto out;
    }
    if (strcmp(got, want)) {
        xl_kcache__why(why_r, "damaged: its content no longer matches the "
                              "hash recorded when it was written");
        rc = EINVAL;
    }
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

void xl_kcache__entry_discard(const char *dir, const char *key, int fd)
{
    char name[80];
    struct stat a, b;
    int kfd = xl_kcache__lock_key(dir, key, false), dfd;

    if (kfd < 0)
        return;
    /* Only if it is still the damaged file: another create may have
     * replaced it by a good one meanwhile. */
    snprintf(name, sizeof(name), "%s.elf", key);
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (dfd >= 0 && !fstat(fd, &a) &&
                   !fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) &&
                   a.st_dev == b.st_dev && a.st_ino == b.st_ino))
        remove_entry(dir, key);
    if (dfd >= 0)
        close(dfd);
    close(kfd);
}

int xl_kcache__entry_write(const char *dir, const char *key, const void *data,
                           size_t len, char **why_r)
{
    uint8_t d[32];
    char line[66], name[80];
    int rc;

    /* The content hash first: an entry never exists without one (a stale
     * one of the same key describes the same bytes: same source). */
    xl_kcache_sha256(data, len, d);
    xl_kcache_sha256_hex(d, line);
    line[64] = '\n';
    line[65] = '\0';
    snprintf(name, sizeof(name), "%s.sha256", key);
    rc = xl_kcache__write_file(dir, name, line, 65, why_r);
    if (rc)
        return rc;
    snprintf(name, sizeof(name), "%s.elf", key);
    return xl_kcache__write_file(dir, name, data, len, why_r);
}

int xl_kcache__write_file(const char *dir, const char *name, const void *data,
                          size_t len, char **why_r)
{
    char *tmp = NULL, *final = NULL;
    int fd = -1, rc;

    if (asprintf(&tmp, "%s/.tmp.%s.%ld", dir, name, (long)getpid()) < 0) {
        tmp = NULL;
        rc = ENOMEM;
        goto out;
    }
    if (asprintf(&final, "%s/%s", dir, name) < 0) {
        final = NULL;
        rc = ENOMEM;
        goto out;
    }
    unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = errno;
        xl_kcache__why(why_r, "cannot create %s: %s", tmp, strerror(rc));
        goto out;
    }
    rc = xl_write_all(fd, data, len);
    /* On disk before it has its name: a crash must not leave a short
     * entry that looks complete. */
    if (!rc && fdatasync(fd))
        rc = errno;
    if (close(fd) && !rc)
        rc = errno;
    fd = -1;
    if (rc) {
        xl_kcache__why(why_r, "writing %s: %s", tmp, strerror(rc));
        goto out;
    }
    if (rename(tmp, final)) {
        rc = errno;
        xl_kcache__why(why_r, "renaming %s: %s", tmp, strerror(rc));
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(final);
    return rc;
}

struct ent {
    char key[65];
    uint64_t size;
    struct timespec mtime;
};

static int cmp_ent_lru(const void *a, const void *b)
{
    const struct ent *x = a, *y = b;

    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* All files <key><suffix> of dir, oldest use first. */
static int scan_keys(const char *dir, const char *suffix, struct ent **ents_r,
                     size_t *n_r)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    struct ent *ents = NULL;
    size_t n = 0, cap = 0;

    *ents_r = NULL;
    *n_r = 0;
    if (!d)
        return errno == ENOENT ? 0 : errno;
    while ((de = readdir(d))) {
        struct stat st;
        if (!key_name(de->d_name, suffix))
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
            !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            struct ent *ne;
            cap = cap ? cap * 2 : 16;
            ne = realloc(ents, cap * sizeof(*ents));
            if (!ne) {
                free(ents);
                closedir(d);
                return ENOMEM;
            }
            ents = ne;
        }
        memcpy(ents[n].key, de->d_name, 64);
        ents[n].key[64] = '\0';
        ents[n].size = (uint64_t)st.st_size;
        ents[n].mtime = st.st_mtim;
        n++;
    }
    closedir(d);
    if (n)
        qsort(ents, n, sizeof(*ents), cmp_ent_lru);
    *ents_r = ents;
    *n_r = n;
    return 0;
}

/* Remove the entry and its lock file; the caller holds its lock. */
static void remove_entry(const char *dir, const char *key)
{
    char name[80];
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return;
    snprintf(name, sizeof(name), "%s.elf", key);
    unlinkat(fd, name, 0);
    snprintf(name, sizeof(name), "%s.sha256", key);
    unlinkat(fd, name, 0);
    snprintf(name, sizeof(name), "%s.neg", key);
    unlinkat(fd, name, 0);
    snprintf(name, sizeof(name), "%s.lock", key);
    unlinkat(fd, name, 0);
    close(fd);
}

int xl_kcache__lock_key(const char *dir, const char *key, bool nonblock)
{
    char *p = NULL;
    int fd;

    if (asprintf(&p, "%s/%s.lock", dir, key) < 0)
        return -ENOMEM;
    fd = lock_path(p, nonblock);
    free(p);
    return fd;
}

int xl_kcache__lock_index(const char *dir)
{
    char *p = path_join(dir, ".index.lock");
    int fd;

    if (!p)
        return -ENOMEM;
    fd = lock_path(p, false);
    free(p);
    return fd;
}

/* Caller holds .index.lock. */
int xl_kcache__evict_locked(const struct xl_kcache_opts *o, const char *keep)
{
    const char *dir = xl_kcache__dir(o);
    uint64_t cap = o->max_bytes ? o->max_bytes : XL_KCACHE_MAX_BYTES;
    uint64_t total = 0;
    struct ent *ents = NULL;
    size_t n = 0, i;
    struct timespec now;
    int rc;

    rc = scan_keys(dir, ".elf", &ents, &n);
    if (rc)
        return rc;
    clock_gettime(CLOCK_REALTIME, &now);
    for (i = 0; i < n; i++)
        total += ents[i].size;
    for (i = 0; i < n && total > cap; i++) {
        int fd;
        if (keep && !strcmp(ents[i].key, keep))
            continue;
        if (now.tv_sec - ents[i].mtime.tv_sec < (time_t)o->grace_seconds)
            continue;
        /* An entry being unpacked or checked right now stays. */
        fd = xl_kcache__lock_key(dir, ents[i].key, true);
        if (fd < 0)
            continue;
        remove_entry(dir, ents[i].key);
        close(fd);
        total -= ents[i].size;
    }
    free(ents);
    return 0;
}

int xl_kcache_evict(const struct xl_kcache_opts *o, const char *keep)
{
    int ifd, rc;

    ifd = xl_kcache__lock_index(xl_kcache__dir(o));
    if (ifd < 0)
        return -ifd;
    rc = xl_kcache__evict_locked(o, keep);
    close(ifd);
    return rc;
}

/* ------------------------------------------------------------------------
 * Index and entry steps of the create-time lookups (klookup.c)
 */

/* Forget what the index knows about this file identity. */
void xl_kcache__index_forget(const char *dir, const struct stat *st)
{
    int ifd = xl_kcache__lock_index(dir);

    if (ifd < 0)
        return;
    xl_kcache__index_update(dir, NULL, st, NULL);
    close(ifd);
}

/* The index record for this exact identity (dev, ino, size, mtime), whose
 * entry exists: its key in key_r. */
bool xl_kcache__index_lookup(const char *dir, const struct stat *st,
                             char key_r[65])
{
    struct irec *recs = NULL;
    size_t n = 0, i;
    bool found = false;

    if (index_read(dir, &recs, &n))
        return false;
    for (i = 0; i < n && !found; i++) {
        if (irec_same_file(&recs[i], st) && irec_same_meta(&recs[i], st)) {
            memcpy(key_r, recs[i].key, 65);
            found = true;
        }
    }
    irecs_free(recs, n);
    return found;
}

/* The entry for key, locked, checked as an ELF, with its recorded content
 * hash (sum_r), and touched (LRU): its malloc'd path, or NULL. */
char *xl_kcache__entry_take(const char *dir, const char *key, char sum_r[65])
{
    char ename[80], *epath = NULL;
    int dfd, kfd;

    snprintf(ename, sizeof(ename), "%s.elf", key);
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return NULL;
    kfd = xl_kcache__lock_key(dir, key, false);
    if (kfd >= 0 && xl_kcache__entry_check(dfd, ename, NULL) == 0 &&
        xl_kcache__entry_sum(dfd, key, sum_r) == 0 &&
        asprintf(&epath, "%s/%s", dir, ename) >= 0)
        utimensat(dfd, ename, NULL, 0);
    else
        epath = NULL;
    if (kfd >= 0)
        close(kfd);
    close(dfd);
    return epath;
}

/* ------------------------------------------------------------------------
 * list / clear
 */

void xl_kcache_entries_free(struct xl_kcache_entry *ents, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(ents[i].source);
        free(ents[i].reason);
    }
    free(ents);
}

/* Append the negative entries of dir to *out (n_r entries so far), most
 * recently used first. */
static int list_negatives(const char *dir, struct xl_kcache_entry **out,
                          size_t *n_r)
{
    struct ent *negs = NULL;
    struct xl_kcache_entry *no;
    size_t nneg = 0, i, n = *n_r;
    int rc, dfd = -1;

    rc = scan_keys(dir, ".neg", &negs, &nneg);
    if (rc || nneg == 0)
        goto out;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        rc = errno;
        goto out;
    }
    no = realloc(*out, (n + nneg) * sizeof(*no));
    if (!no) {
        rc = ENOMEM;
        goto out;
    }
    *out = no;
    for (i = 0; i < nneg; i++) {
        const struct ent *e = &negs[nneg - 1 - i];
        struct xl_kcache_entry *x = &no[n];
        uint64_t limit;
        memset(x, 0, sizeof(*x));
        memcpy(x->key, e->key, 65);
        x->negative = true;
        x->last_used = e->mtime.tv_sec;
        rc = xl_kcache__neg_read(dfd, e->key, &limit, &x->reason, &x->source);
        if (rc == ENOMEM)
            goto out;
        if (rc == ENOENT)
            continue; /* cleared meanwhile */
        rc = 0;
        n++;
    }
out:
    *n_r = n;
    if (dfd >= 0)
        close(dfd);
    free(negs);
    return rc;
}

int xl_kcache_list(const struct xl_kcache_opts *o,
                   struct xl_kcache_entry **ents_r, size_t *n_r)
{
    const char *dir = xl_kcache__dir(o);
    struct ent *ents = NULL;
    struct irec *recs = NULL;
    struct xl_kcache_entry *out = NULL;
    size_t n = 0, nrec = 0, i, j;
    int rc;

    *ents_r = NULL;
    *n_r = 0;
    rc = xl_kcache_dir_check(o, NULL);
    if (rc)
        return rc;
    rc = scan_keys(dir, ".elf", &ents, &n);
    if (rc)
        goto out;
    rc = index_read(dir, &recs, &nrec);
    if (rc)
        goto out;
    out = calloc(n ? n : 1, sizeof(*out));
    if (!out) {
        rc = ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        /* most recently used first */
        const struct ent *e = &ents[n - 1 - i];
        memcpy(out[i].key, e->key, 65);
        out[i].size = e->size;
        out[i].last_used = e->mtime.tv_sec;
        for (j = nrec; j-- > 0;) {
            if (strcmp(recs[j].key, e->key))
                continue;
            out[i].source = strdup(recs[j].path);
            if (!out[i].source) {
                rc = ENOMEM;
                goto out;
            }
            break;
        }
    }
    rc = list_negatives(dir, &out, &n);
    if (rc)
        goto out;
    if (n == 0) {
        free(out);
        out = NULL;
    }
    *ents_r = out;
    *n_r = n;
    out = NULL;
out:
    if (out)
        xl_kcache_entries_free(out, n);
    irecs_free(recs, nrec);
    free(ents);
    return rc;
}

/* Remove every key with a file ending in `suffix`, each under its key lock
 * (waiting for a create that is unpacking it); *count_r (may be NULL)
 * grows by the number removed. 0 or an errno value. */
static int remove_keys(const char *dir, const char *suffix, size_t *count_r)
{
    struct ent *ents = NULL;
    size_t n = 0;
    int rc = scan_keys(dir, suffix, &ents, &n);

    for (size_t i = 0; !rc && i < n; i++) {
        int fd = xl_kcache__lock_key(dir, ents[i].key, false);

        if (fd < 0) {
            rc = -fd;
            break;
        }
        remove_entry(dir, ents[i].key);
        close(fd);
        if (count_r)
            (*count_r)++;
    }
    free(ents);
    return rc;
}

int xl_kcache_clear(const struct xl_kcache_opts *o, size_t *removed_r,
                    size_t *refused_r)
{
    const char *dir = xl_kcache__dir(o);
    size_t removed = 0, refused = 0;
    int rc, ifd = -1;
    DIR *d = NULL;
    struct dirent *de;
    char *ip = NULL;

    if (removed_r)
        *removed_r = 0;
    if (refused_r)
        *refused_r = 0;
    rc = xl_kcache_dir_check(o, NULL);
    if (rc)
        return rc;
    if (access(dir, F_OK))
        return errno == ENOENT ? 0 : errno;
    ifd = xl_kcache__lock_index(dir);
    if (ifd < 0)
        return -ifd;
    /* Entries, negative entries, then content hashes whose entry is gone
     * (removed by hand, a crash). */
    rc = remove_keys(dir, ".elf", &removed);
    if (!rc)
        rc = remove_keys(dir, ".neg", &refused);
    if (!rc)
        rc = remove_keys(dir, ".sha256", NULL);
    if (rc)
        goto out;
    /* Temporaries left by a crash. */
    d = opendir(dir);
    if (d) {
        time_t now = time(NULL);
        while ((de = readdir(d))) {
            struct stat st;
            /* A young one may belong to a create unpacking a new key. */
            if (!strncmp(de->d_name, ".tmp.", 5) &&
                !fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
                now - st.st_mtim.tv_sec > 600)
                unlinkat(dirfd(d), de->d_name, 0);
        }
        closedir(d);
    }
    ip = path_join(dir, "index");
    if (!ip) {
        rc = ENOMEM;
        goto out;
    }
    if (unlink(ip) && errno != ENOENT)
        rc = errno;
out:
    free(ip);
    if (ifd >= 0)
        close(ifd);
    if (removed_r)
        *removed_r = removed;
    if (refused_r)
        *refused_r = refused;
    return rc;
}
