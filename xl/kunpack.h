/*
 * kunpack.h: what a kernel file is, and unpacking a compressed one into
 * the ELF image libxl loads (the kernel cache's unpacker).
 *
 * Linux kernels come as a bzImage whose payload is gzip, bzip2, lzma, xz,
 * lzo, lz4 or zstd data, or as a compressed ELF; libxl's domain builder
 * unpacks them on every create. This module does the same once, with
 * Debian's libraries, and verifies the result as an ELF.
 *
 * No libxl, no files: it works on memory (and one open descriptor for the
 * ELF check), so it is unit-tested and fuzzed on its own. It never prints
 * and never exits: it returns 0 or an errno value and explains itself
 * through malloc'd `why` strings.
 */
#ifndef XL_KUNPACK_H
#define XL_KUNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
 * E2BIG when a decoder would need more memory than its limit (a header
 * asking for a huge dictionary or window); ENOMEM. Every non-zero return sets
 * *why_r (malloc'd, may be NULL on out of memory) to one clear sentence. */
int xl_kcache_unpack(const void *buf, size_t len, size_t max_out, void **out_r,
                     size_t *outlen_r, char **why_r);

/* Is buf[0..len) an ELF image that libxl can be handed: magic, class,
 * little endian, program and section header tables and every segment's
 * file bytes in bounds. Returns 0 or EINVAL with *why_r set. */
int xl_kcache_elf_check(const void *buf, size_t len, char **why_r);

/* The same for the open file fd of `size` bytes, read with pread(2): a
 * few small reads, not a read of the whole image (a cache hit). */
int xl_kcache_elf_check_fd(int fd, uint64_t size, char **why_r);

/* For the whole kernel cache (kstore.c, klookup.c too): when why_r is not
 * NULL, replace *why_r (freed) by the malloc'd message, or NULL when out of
 * memory. */
void xl_kcache__why(char **why_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* XL_KUNPACK_H */
