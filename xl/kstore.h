/*
 * kstore.h: the kernel cache's store, the directory of unpacked kernels
 * that `xl create` hands to libxl for PV and PVH guests (klookup.h says
 * how a kernel is looked up in it).
 *
 * Why: libxl's domain builder unpacks a compressed kernel (bzImage with an
 * xz/gzip/zstd/... payload, or a compressed ELF) on every create, which
 * costs about a second for Debian's stock kernel. The cache keeps the
 * unpacked ELF under a root-owned directory, keyed by the SHA-256 of the
 * original's content, and hands its path to libxl instead.
 *
 * Layout of the cache directory (mode 0700, owned by the effective uid):
 *   <sha256hex>.elf     an unpacked kernel, verified as an ELF; its mtime
 *                       is the time of last use (LRU eviction order)
 *   <sha256hex>.sha256  the SHA-256 (hex, newline) of that .elf's bytes,
 *                       written before it; an entry without one (an older
 *                       cache) or whose bytes differ is never handed out
 *   <sha256hex>.neg     a negative entry: unpacking this source hit the
 *                       output cap or a decoder's memory limit (a
 *                       decompression bomb); "limit\nreason\npath\n". The
 *                       same bytes are handed to libxl as they are, at once,
 *                       while the cap is no higher than `limit`
 *   <sha256hex>.lock    flock(2) per key: one unpack per key at a time
 *   index               "key dev ino size mtime_s mtime_ns path" lines: the
 *                       stat pre-check and the source path shown by `list`
 *   .index.lock         serialises index updates and eviction
 *   .tmp.*              entries being written (renamed into place)
 * Lock order: .index.lock, then key locks.
 *
 * kstore.c has the entries, index, locks, list and clear; kdir.c the
 * checks of the directory and its ancestors; kneg.c the negative entries.
 * No libxl dependency, so it can be unit-tested; it never prints and never
 * exits: it returns 0 or an errno value and explains itself through
 * malloc'd `why` strings.
 */
#ifndef XL_KSTORE_H
#define XL_KSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define XL_KCACHE_DIR "/var/cache/xl/kernels"
#define XL_KCACHE_MAX_BYTES (1024ull << 20)  /* default size cap */
#define XL_KCACHE_MAX_OUTPUT (1024ull << 20) /* refuse bigger unpacks */
/* Entries used this recently are never evicted: a create that was just
 * handed the path has not opened it yet. */
#define XL_KCACHE_GRACE_SECONDS 120

struct xl_kcache_opts {
    bool enabled;        /* xl.conf kernel_cache (default on) */
    const char *dir;     /* borrowed; NULL means XL_KCACHE_DIR */
    uint64_t max_bytes;  /* size cap of all entries; 0: XL_KCACHE_MAX_BYTES */
    uint64_t max_output; /* per-kernel unpack limit; 0: XL_KCACHE_MAX_OUTPUT */
    unsigned grace_seconds; /* see XL_KCACHE_GRACE_SECONDS */
};

/* Defaults: enabled, XL_KCACHE_DIR, the caps above. */
void xl_kcache_opts_init(struct xl_kcache_opts *o);

/* One cache entry, for `xl kernel-cache list`. */
struct xl_kcache_entry {
    char key[65];     /* SHA-256 hex of the original kernel */
    uint64_t size;    /* bytes of the unpacked ELF; 0 when negative */
    time_t last_used; /* entry mtime */
    char *source;     /* last kernel path seen with this key, or NULL */
    bool negative;    /* a refused kernel (.neg), not an unpacked one */
    char *reason;     /* negative: why it was refused; else NULL */
};

/* All entries, most recently used first, then the negative entries, most
 * recently used first. Returns 0 (an absent directory is an empty cache),
 * or an errno value (EPERM and others of xl_kcache_dir_check: an unsafe
 * path). Free with xl_kcache_entries_free. */
int xl_kcache_list(const struct xl_kcache_opts *o,
                   struct xl_kcache_entry **ents_r, size_t *n_r);
void xl_kcache_entries_free(struct xl_kcache_entry *ents, size_t n);

/* Remove every entry and negative entry (waiting for creates that are
 * unpacking), stale temporaries and the index. *removed_r and *refused_r
 * (may be NULL) get the numbers of entries and negative entries removed.
 * Returns 0 or an errno value (EPERM and others of xl_kcache_dir_check: an
 * unsafe path; nothing is removed). */
int xl_kcache_clear(const struct xl_kcache_opts *o, size_t *removed_r,
                    size_t *refused_r);

/* Is the cache directory o->dir a path no one but root and us can change:
 * absolute, without '..', every component owned by root or the effective
 * uid, every directory above the cache not writable by group or others
 * unless sticky (like /tmp), the cache itself not writable by them at
 * all, a symbolic link checked at its target too. Components that do not
 * exist yet are fine (an empty cache). 0, or EPERM, ENOTDIR, EINVAL, ELOOP
 * or the errno of lstat with *why_r (may be NULL) naming the unsafe
 * ancestor. */
int xl_kcache_dir_check(const struct xl_kcache_opts *o, char **why_r);

/* Evict least recently used entries until the total is within
 * o->max_bytes, sparing `keep` (a key, may be NULL), entries in use and
 * entries used within the grace period. Returns 0 or an errno value. */
int xl_kcache_evict(const struct xl_kcache_opts *o, const char *keep);

/* --- the store's steps, for klookup.c only --- */

/* o->dir, or XL_KCACHE_DIR. */
const char *xl_kcache__dir(const struct xl_kcache_opts *o);

/* The cache directory exists (made when `create`), is ours and writable
 * by no one else, and so is every ancestor (xl_kcache_dir_check): root
 * hands these files to the hypervisor. 0, or EPERM (unsafe), ENOTDIR,
 * EINVAL (not absolute, '..'), ELOOP or another errno, with why naming the
 * offending directory. */
int xl_kcache__dir_ready(const char *dir, bool create, char **why_r);

/* flock a key's or the index's lock file: the fd, or -errno (with
 * nonblock, -EWOULDBLOCK when busy). */
int xl_kcache__lock_key(const char *dir, const char *key, bool nonblock);
int xl_kcache__lock_index(const char *dir);

/* Record that the file (st, path) holds content `key`; with key NULL,
 * only forget that file. The caller holds .index.lock. */
int xl_kcache__index_update(const char *dir, const char *key,
                            const struct stat *st, const char *path);
/* The same for key NULL, taking .index.lock itself. */
void xl_kcache__index_forget(const char *dir, const struct stat *st);
/* What the index remembers of this file identity, as a note (a static
 * string) for verbose mode; it decides nothing. */
const char *xl_kcache__index_precheck(const char *dir, const struct stat *st,
                                      const char *key);
/* The key the index records for this exact identity (dev, ino, size,
 * mtime), into key_r. */
bool xl_kcache__index_lookup(const char *dir, const struct stat *st,
                             char key_r[65]);

/* Is the entry dirfd/name a good ELF? 0, the errno of opening it
 * (ENOENT: no entry), or EINVAL with why. */
int xl_kcache__entry_check(int dirfd, const char *name, char **why_r);
/* Write dir/name durably: under a temporary name, fdatasync, rename.
 * 0 or an errno value with why. */
int xl_kcache__write_file(const char *dir, const char *name, const void *data,
                          size_t len, char **why_r);
/* Write <key>.sha256 (the hash of data), then <key>.elf, each durably
 * under a temporary name, then renamed. */
int xl_kcache__entry_write(const char *dir, const char *key, const void *data,
                           size_t len, char **why_r);
/* The content hash recorded for key's entry, into hex_r: 0, the errno of
 * opening it (ENOENT: none, an older entry) or EINVAL (garbled). */
int xl_kcache__entry_sum(int dirfd, const char *key, char hex_r[65]);
/* entry_check, and the entry's bytes hash to its recorded sum: 0, ENOENT
 * (no entry), ENOMEM, or EINVAL with why (bad ELF, no or garbled sum,
 * damaged). Reads the whole entry. */
int xl_kcache__entry_verify(int dirfd, const char *key, char **why_r);
/* SHA-256 of everything fd holds (pread from 0, through buf of bufsz
 * bytes; allocates nothing, takes no lock): hex into hex_r, byte count into
 * *len_r (may be NULL). 0 or the errno of reading. */
int xl_kcache__hash_fd(int fd, uint8_t *buf, size_t bufsz, char hex_r[65],
                       uint64_t *len_r);
/* Remove key's entry (and its sum), taking its lock: a damaged entry.
 * With fd >= 0 (the damaged file, open), only if the entry still is that
 * file. */
void xl_kcache__entry_discard(const char *dir, const char *key, int fd);
/* The entry for key, locked, checked as an ELF, with its recorded content
 * hash into sum_r (an entry without one is not taken), and touched (LRU):
 * its malloc'd path, or NULL. */
char *xl_kcache__entry_take(const char *dir, const char *key, char sum_r[65]);

/* Remember that unpacking the source `key` (kernel kpath) failed under the
 * output cap `limit` (a bomb): <key>.neg. Caller holds the key lock.
 * Returns 0 or an errno value. */
int xl_kcache__neg_write(const char *dir, const char *key, uint64_t limit,
                         const char *reason, const char *kpath);
/* The negative entry of key: 0 with its limit, reason and kernel path
 * (malloc'd), the errno of opening it (ENOENT: none), EINVAL (garbled) or
 * ENOMEM. */
int xl_kcache__neg_read(int dirfd, const char *key, uint64_t *limit_r,
                        char **reason_r, char **kpath_r);

/* xl_kcache_evict() for a caller holding .index.lock. */
int xl_kcache__evict_locked(const struct xl_kcache_opts *o, const char *keep);

#endif /* XL_KSTORE_H */
