/*
 * klookup.h: which kernel `xl create` hands to libxl: the cache entry
 * holding the unpacked kernel (unpacked now on a miss, kunpack.h), or the
 * user's kernel when the cache cannot help. The store is kstore.h.
 *
 * A file the index knows unchanged (same dev, ino, size, mtime) is hashed
 * in a thread while libxl builds the paused domain
 * (xl_kcache_get_deferred), and the entry's own bytes are checked against
 * the content hash recorded when it was written in a second thread; the
 * domain runs only once both matched. xl_kcache_get verifies an entry's bytes
 * before handing it out.
 *
 * No libxl dependency; never prints, never exits.
 */
#ifndef XL_KLOOKUP_H
#define XL_KLOOKUP_H

#include "kstore.h"

#define XL_KCACHE_MAX_INPUT (256ull << 20) /* larger files are not cached */

/* The kernel libxl should load for `kernel_path`. On return 0, *path_r
 * (malloc'd) is either a cache entry holding the unpacked ELF or a copy of
 * kernel_path when there is nothing to gain or the cache cannot be used
 * (off, not writable, not a safe directory or ancestor, unreadable or
 * unsupported kernel, a kernel refused as a decompression bomb: remembered
 * as a negative entry, kstore.h); in every case *why_r (may be NULL) is a
 * malloc'd note for verbose mode saying what happened ("cache hit", "cache
 * miss: ...", "cache off ..."). Only ENOMEM and EINVAL (NULL arguments) are
 * returned as errors, with *path_r NULL. */
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

/* Wait for the hashes; 0 when the file still holds the content the entry
 * was unpacked from and the entry's bytes still match the content hash
 * recorded when it was written. Otherwise ESTALE (kernel changed), EBADMSG
 * (entry damaged: it is removed, so the next lookup unpacks afresh) or the
 * errno of reading, with *why_r (may be NULL) set and the index record
 * dropped, so that the next lookup hashes first. Frees c; c NULL returns
 * 0. */
int xl_kcache_check_finish(struct xl_kcache_check *c, char **why_r);

#endif /* XL_KLOOKUP_H */
