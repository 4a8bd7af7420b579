/*
 * kcache.h: the decompressed-kernel cache used by `xl create` for PV and
 * PVH guests.
 *
 * Why: libxl's domain builder unpacks a compressed kernel (bzImage with an
 * xz/gzip/zstd/... payload, or a compressed ELF) on every create, which
 * costs about a second for Debian's stock kernel. The cache keeps the
 * unpacked ELF under a root-owned directory, keyed by the SHA-256 of the
 * original's content, and hands its path to libxl instead. A file the
 * index knows unchanged (same dev, ino, size, mtime) is hashed in a thread
 * while libxl builds the paused domain (xl_kcache_get_deferred), which
 * runs only once the hash matched.
 *
 * Layout of the cache directory (mode 0700, owned by the effective uid):
 *   <sha256hex>.elf     an unpacked kernel, verified as an ELF; its mtime
 *                       is the time of last use (LRU eviction order)
 *   <sha256hex>.lock    flock(2) per key: one unpack per key at a time
 *   index               "key dev ino size mtime_s mtime_ns path" lines: the
 *                       stat pre-check and the source path shown by `list`
 *   .index.lock         serialises index updates and eviction
 *   .tmp.*              entries being written (renamed into place)
 *
 * This file has no libxl dependency so it can be unit-tested and fuzzed;
 * it never prints and never exits: it returns 0 or an errno value and
 * explains itself through malloc'd `why` strings.
 */
#ifndef XL_KCACHE_H
#define XL_KCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define XL_KCACHE_DIR "/var/cache/xl/kernels"
#define XL_KCACHE_MAX_BYTES (1024ull << 20)  /* default size cap */
#define XL_KCACHE_MAX_INPUT (256ull << 20)   /* larger files are not cached */
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

/* What a kernel file is. */
enum xl_kcache_fmt {
    XL_KCACHE_UNKNOWN = 0,
    XL_KCACHE_ELF,
    XL_KCACHE_GZIP,
    XL_KCACHE_BZIP2,
    XL_KCACHE_LZMA,
    XL_KCACHE_XZ,
    XL_KCACHE_LZO,
    XL_KCACHE_LZ4_LEGACY,
    XL_KCACHE_LZ4_FRAME,
    XL_KCACHE_ZSTD,
};
const char *xl_kcache_fmt_name(enum xl_kcache_fmt f);

/* Probe a file's bytes: *fmt_r is the format of the data itself, or for a
 * bzImage (*bzimage_r true) the format of its payload, with *payload_r and
 * *payload_len_r locating the payload inside buf. Never fails: unknown
 * data is XL_KCACHE_UNKNOWN. */
void xl_kcache_probe(const void *buf, size_t len, enum xl_kcache_fmt *fmt_r,
                     bool *bzimage_r, size_t *payload_r, size_t *payload_len_r);

/* Unpack a compressed bzImage or compressed ELF held in memory into a
 * malloc'd, verified ELF image (*out_r, *outlen_r; the caller frees).
 * Returns 0; ENOTSUP when there is nothing to unpack (a plain ELF, an
 * unknown or unsupported format); EINVAL for corrupt, truncated or
 * non-ELF content; EFBIG when the result would exceed max_out bytes;
 * ENOMEM. Every non-zero return sets *why_r (malloc'd, may be NULL on
 * out of memory) to one clear sentence. */
int xl_kcache_unpack(const void *buf, size_t len, size_t max_out, void **out_r,
                     size_t *outlen_r, char **why_r);

/* Is buf[0..len) an ELF image that libxl can be handed: magic, class,
 * little endian, program and section header tables and every segment's
 * file bytes in bounds. Returns 0 or EINVAL with *why_r set. */
int xl_kcache_elf_check(const void *buf, size_t len, char **why_r);

/* SHA-256 (FIPS 180-4) of data. */
void xl_kcache_sha256(const void *data, size_t len, uint8_t digest_r[32]);

/* The same, streaming, so a kernel can be hashed as it is read. */
struct xl_kcache_sha256_ctx {
    uint32_t h[8];
    uint8_t buf[64];
    size_t n;     /* bytes in buf */
    uint64_t len; /* bytes hashed so far */
};
void xl_kcache_sha256_init(struct xl_kcache_sha256_ctx *s);
void xl_kcache_sha256_update(struct xl_kcache_sha256_ctx *s, const void *data,
                             size_t len);
void xl_kcache_sha256_final(struct xl_kcache_sha256_ctx *s,
                            uint8_t digest_r[32]);

/* The kernel libxl should load for `kernel_path`. On return 0, *path_r
 * (malloc'd) is either a cache entry holding the unpacked ELF or a copy of
 * kernel_path when there is nothing to gain or the cache cannot be used
 * (off, not writable, not a safe directory, unreadable or unsupported
 * kernel); in every case *why_r (may be NULL) is a malloc'd note for
 * verbose mode saying what happened ("cache hit", "cache miss: ...",
 * "cache off ..."). Only ENOMEM and EINVAL (NULL arguments) are returned
 * as errors, with *path_r NULL. */
int xl_kcache_get(const char *kernel_path, const struct xl_kcache_opts *o,
                  char **path_r, char **why_r);

/* The same, faster for a kernel the cache has seen before: when the index
 * knows this file identity (dev, ino, size, mtime) and its entry is a good
 * ELF, the entry is returned at once and the content hash of kernel_path is
 * computed in a thread (*check_r) while the caller builds the domain
 * (paused). The pre-check only decides what to try first: the caller must
 * call xl_kcache_check_finish() before the domain may run, and build again
 * (with xl_kcache_get) if it fails. Otherwise (*check_r NULL) this is
 * xl_kcache_get(). */
struct xl_kcache_check;
int xl_kcache_get_deferred(const char *kernel_path,
                           const struct xl_kcache_opts *o, char **path_r,
                           char **why_r, struct xl_kcache_check **check_r);

/* Wait for the hash; 0 when the file still holds the content the entry was
 * unpacked from. Otherwise ESTALE (content changed) or the errno of
 * reading it, with *why_r (may be NULL) set and the index record dropped,
 * so that the next lookup hashes first. Frees c; c NULL returns 0. */
int xl_kcache_check_finish(struct xl_kcache_check *c, char **why_r);

/* One cache entry, for `xl kernel-cache list`. */
struct xl_kcache_entry {
    char key[65];     /* SHA-256 hex of the original kernel */
    uint64_t size;    /* bytes of the unpacked ELF */
    time_t last_used; /* entry mtime */
    char *source;     /* last kernel path seen with this key, or NULL */
};

/* All entries, most recently used first. Returns 0 (an absent directory
 * is an empty cache), or an errno value. Free with xl_kcache_entries_free.
 */
int xl_kcache_list(const struct xl_kcache_opts *o,
                   struct xl_kcache_entry **ents_r, size_t *n_r);
void xl_kcache_entries_free(struct xl_kcache_entry *ents, size_t n);

/* Remove every entry (waiting for creates that are unpacking), stale
 * temporaries and the index. *removed_r (may be NULL) gets the number of
 * entries removed. Returns 0 or an errno value. */
int xl_kcache_clear(const struct xl_kcache_opts *o, size_t *removed_r);

/* Evict least recently used entries until the total is within
 * o->max_bytes, sparing `keep` (a key, may be NULL), entries in use and
 * entries used within the grace period. Returns 0 or an errno value. */
int xl_kcache_evict(const struct xl_kcache_opts *o, const char *keep);

/* --- xl/cmd_kcache.c --- */

/* Fill o from xl.conf at `path` (NULL: /etc/xen/xl.conf) on top of the
 * defaults: kernel_cache=0|1, kernel_cache_dir="...",
 * kernel_cache_max_mb=N. A missing file leaves the defaults. Returns 0, or
 * EINVAL with *why_r set when a value is malformed (defaults are kept).
 * o->dir then points into storage owned by this module (valid until the
 * next call). */
int xl_kcache_opts_from_xlconf(struct xl_kcache_opts *o, const char *path,
                               char **why_r);

/* `xl kernel-cache list|clear`. */
int main_kernel_cache(int argc, char **argv);

/* What xl create remembers across restarts of one domain: the user's
 * kernel path and the cache entry handed to libxl in its place. */
struct xl_kcache_state {
    char *orig;
    char *cached;
};

struct libxl_domain_config;

/* Call before each libxl_domain_create_new() of a domain (first create
 * and every restart by the monitor, with the same zero-initialised
 * state). For PV and PVH guests with a kernel and no bootloader, swaps
 * dc->b_info.kernel for the cached unpacked ELF (reading /etc/xen/xl.conf;
 * notes go to stderr with -v). A kernel path that is the entry handed out
 * last time (libxl stored it in the domain's config) is first mapped back
 * to the user's kernel, so a restart re-checks the original. Never fails:
 * the kernel is left as it is when the cache cannot help. With check_r,
 * a hit may come with a hash still running (xl_kcache_get_deferred): the
 * caller finishes it before unpausing the domain. */
void xl_kcache_prepare(struct libxl_domain_config *dc,
                       struct xl_kcache_state *st,
                       struct xl_kcache_check **check_r);

/* Call after libxl_domain_create_new() succeeded: libxl stored the config
 * it was given, with the cache entry as kernel; put the user's kernel path
 * back (through libxl_userdata_store, under libxl's userdata lock), so
 * `xl list -l`, save/migrate and a restart on another host see the real
 * kernel as with Xen's xl. Best effort: a failure only costs a -v note. */
struct libxl__ctx;
void xl_kcache_after_create(struct libxl__ctx *c, uint32_t domid,
                            const struct xl_kcache_state *st);
void xl_kcache_state_dispose(struct xl_kcache_state *st);

#endif /* XL_KCACHE_H */
