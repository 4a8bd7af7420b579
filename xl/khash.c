/* khash.c: the kernel cache's SHA-256, a wrapper of nettle's (khash.h). */
#include "khash.h"

void xl_kcache_sha256_init(struct xl_kcache_sha256_ctx *s)
{
    sha256_init(&s->nettle);
    s->len = 0;
}

void xl_kcache_sha256_update(struct xl_kcache_sha256_ctx *s, const void *data,
                             size_t len)
{
    sha256_update(&s->nettle, len, data);
    s->len += len;
}

void xl_kcache_sha256_final(struct xl_kcache_sha256_ctx *s,
                            uint8_t digest_r[32])
{
    sha256_digest(&s->nettle, SHA256_DIGEST_SIZE, digest_r);
}

void xl_kcache_sha256(const void *data, size_t len, uint8_t digest_r[32])
{
    struct xl_kcache_sha256_ctx s;

    xl_kcache_sha256_init(&s);
    xl_kcache_sha256_update(&s, data, len);
    xl_kcache_sha256_final(&s, digest_r);
}

void xl_kcache_sha256_hex(const uint8_t digest[32], char hex_r[65])
{
    static const char hx[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 32; i++) {
        hex_r[2 * i] = hx[digest[i] >> 4];
        hex_r[2 * i + 1] = hx[digest[i] & 15];
    }
    hex_r[64] = '\0';
}
