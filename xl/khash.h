/*
 * khash.h: SHA-256, the content hash that keys the kernel cache, through
 * nettle (Debian's libnettle8, already in a minimal dom0 through apt's
 * libgnutls30). A thin streaming wrapper, so a kernel can be hashed as it
 * is read, which also counts the bytes hashed.
 */
#ifndef XL_KHASH_H
#define XL_KHASH_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

struct xl_kcache_sha256_ctx {
    struct sha256_ctx nettle;
    uint64_t len; /* bytes hashed so far */
};

void xl_kcache_sha256_init(struct xl_kcache_sha256_ctx *s);
void xl_kcache_sha256_update(struct xl_kcache_sha256_ctx *s, const void *data,
                             size_t len);
/* The digest of everything hashed since init; s must be initialised again
 * before further use. */
void xl_kcache_sha256_final(struct xl_kcache_sha256_ctx *s,
                            uint8_t digest_r[32]);

/* SHA-256 (FIPS 180-4) of data, at once. */
void xl_kcache_sha256(const void *data, size_t len, uint8_t digest_r[32]);

/* The 64 lowercase hex digits of a digest, NUL-terminated. */
void xl_kcache_sha256_hex(const uint8_t digest[32], char hex_r[65]);

#endif /* XL_KHASH_H */
