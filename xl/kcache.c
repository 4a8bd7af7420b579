/* kcache.c: the decompressed-kernel cache (see kcache.h for the layout). */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <bzlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "fdio.h"
#include "kcache.h"

/* ------------------------------------------------------------------------
 * Small helpers
 */

static void set_why(char **why_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_why(char **why_r, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;

    if (!why_r)
        return;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    free(*why_r);
    *why_r = s;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void xl_kcache_opts_init(struct xl_kcache_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->enabled = true;
    o->dir = NULL;
    o->max_bytes = XL_KCACHE_MAX_BYTES;
    o->max_output = XL_KCACHE_MAX_OUTPUT;
    o->grace_seconds = XL_KCACHE_GRACE_SECONDS;
}

static const char *opt_dir(const struct xl_kcache_opts *o)
{
    return o->dir ? o->dir : XL_KCACHE_DIR;
}

/* ------------------------------------------------------------------------
 * SHA-256, FIPS 180-4. libxenlight offers no hash, and this is small.
 */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
    return x >> n | x << (32 - n);
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 =
            ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 =
            ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3];
    e = h[4], f = h[5], g = h[6], hh = h[7];
    for (i = 0; i < 64; i++) {
        uint32_t s1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + s1 + ch + sha256_k[i] + w[i];
        uint32_t s0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;
        hh = g, g = f, f = e, e = d + t1;
        d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void xl_kcache_sha256_init(struct xl_kcache_sha256_ctx *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};

    memcpy(s->h, iv, sizeof(iv));
    s->n = 0;
    s->len = 0;
}

void xl_kcache_sha256_update(struct xl_kcache_sha256_ctx *s, const void *data,
                             size_t len)
{
    const uint8_t *p = data;

    s->len += len;
    if (s->n) {
        size_t take = 64 - s->n < len ? 64 - s->n : len;
        memcpy(s->buf + s->n, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n < 64)
            return;
        sha256_block(s->h, s->buf);
        s->n = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha256_block(s->h, p);
    memcpy(s->buf, p, len);
    s->n = len;
}

void xl_kcache_sha256_final(struct xl_kcache_sha256_ctx *s,
                            uint8_t digest_r[32])
{
    uint64_t bits = s->len * 8;
    uint8_t tail[128];
    size_t tlen, i;

    /* Padding: 0x80, zeros, then the bit length big-endian, filling one
     * or two blocks. */
    memset(tail, 0, sizeof(tail));
    memcpy(tail, s->buf, s->n);
    tail[s->n] = 0x80;
    tlen = s->n + 1 + 8 <= 64 ? 64 : 128;
    for (i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha256_block(s->h, tail);
    if (tlen == 128)
        sha256_block(s->h, tail + 64);
    for (i = 0; i < 8; i++) {
        digest_r[4 * i] = (uint8_t)(s->h[i] >> 24);
        digest_r[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        digest_r[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        digest_r[4 * i + 3] = (uint8_t)s->h[i];
    }
}

void xl_kcache_sha256(const void *data, size_t len, uint8_t digest_r[32])
{
    struct xl_kcache_sha256_ctx s;

    xl_kcache_sha256_init(&s);
    xl_kcache_sha256_update(&s, data, len);
    xl_kcache_sha256_final(&s, digest_r);
}

/* ------------------------------------------------------------------------
 * Format detection
 */

const char *xl_kcache_fmt_name(enum xl_kcache_fmt f)
{
    switch (f) {
    case XL_KCACHE_ELF:
        return "ELF";
    case XL_KCACHE_GZIP:
        return "gzip";
    case XL_KCACHE_BZIP2:
        return "bzip2";
    case XL_KCACHE_LZMA:
        return "lzma";
    case XL_KCACHE_XZ:
        return "xz";
    case XL_KCACHE_LZO:
        return "lzo";
    case XL_KCACHE_LZ4_LEGACY:
        return "lz4 (legacy)";
    case XL_KCACHE_LZ4_FRAME:
        return "lz4";
    case XL_KCACHE_ZSTD:
        return "zstd";
    case XL_KCACHE_UNKNOWN:
        break;
    }
    return "unknown";
}

static enum xl_kcache_fmt magic_fmt(const uint8_t *p, size_t len)
{
    static const struct {
        const char *magic;
        size_t len;
        enum xl_kcache_fmt fmt;
    } tab[] = {
        {"\x7f"
         "ELF",
         4, XL_KCACHE_ELF},
        {"\x1f\x8b", 2, XL_KCACHE_GZIP},
        {"\xfd"
         "7zXZ\0",
         6, XL_KCACHE_XZ},
        {"\x89"
         "LZO",
         4, XL_KCACHE_LZO},
        {"\x02\x21\x4c\x18", 4, XL_KCACHE_LZ4_LEGACY},
        {"\x04\x22\x4d\x18", 4, XL_KCACHE_LZ4_FRAME},
        {"\x28\xb5\x2f\xfd", 4, XL_KCACHE_ZSTD},
        /* The .lzma ("alone") header: properties byte 0x5d (lc=3 lp=0
         * pb=2, what every lzma tool writes) then a little-endian
         * dictionary size whose low bytes are zero; as Linux tests. */
        {"\x5d\0\0", 3, XL_KCACHE_LZMA},
    };
    size_t i;

    if (len >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' &&
        p[3] <= '9')
        return XL_KCACHE_BZIP2;
    for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (len >= tab[i].len && !memcmp(p, tab[i].magic, tab[i].len))
            return tab[i].fmt;
    return XL_KCACHE_UNKNOWN;
}

/* x86 boot protocol: the real-mode setup header sits at 0x1f1, "HdrS" at
 * 0x202 and the protocol version at 0x206; from 2.08 on, payload_offset
 * (0x248) and payload_length (0x24c) locate the compressed kernel relative
 * to the protected-mode code, which starts after (setup_sects + 1) sectors
 * (setup_sects 0 means 4). */
#define BZ_SETUP_SECTS 0x1f1
#define BZ_HDRS 0x202
#define BZ_VERSION 0x206
#define BZ_PAYLOAD_OFFSET 0x248
#define BZ_PAYLOAD_LENGTH 0x24c

static bool bzimage_payload(const uint8_t *p, size_t len, size_t *off_r,
                            size_t *plen_r)
{
    uint64_t setup, off, plen;

    if (len < BZ_PAYLOAD_LENGTH + 4 || memcmp(p + BZ_HDRS, "HdrS", 4))
        return false;
    if (le16(p + BZ_VERSION) < 0x0208)
        return false;
    setup = p[BZ_SETUP_SECTS] ? p[BZ_SETUP_SECTS] : 4;
    off = (setup + 1) * 512 + le32(p + BZ_PAYLOAD_OFFSET);
    plen = le32(p + BZ_PAYLOAD_LENGTH);
    if (off > len || plen > len - off || plen == 0)
        return false;
    *off_r = (size_t)off;
    *plen_r = (size_t)plen;
    return true;
}

void xl_kcache_probe(const void *buf, size_t len, enum xl_kcache_fmt *fmt_r,
                     bool *bzimage_r, size_t *payload_r, size_t *payload_len_r)
{
    const uint8_t *p = buf;
    size_t off = 0, plen = len;
    bool bz = bzimage_payload(p, len, &off, &plen);

    *bzimage_r = bz;
    *payload_r = off;
    *payload_len_r = plen;
    *fmt_r = magic_fmt(p + off, plen);
}

/* ------------------------------------------------------------------------
 * ELF verification: enough that libxl is never handed a truncated or
 * garbled entry. Works on memory or on a file (pread), so a cache hit
 * costs a few small reads, not a read of the whole image.
 */

struct src {
    const uint8_t *buf; /* or NULL: read from fd */
    int fd;
    uint64_t size;
};

static bool src_read(const struct src *s, uint64_t off, size_t len, void *dst)
{
    if (off > s->size || len > s->size - off)
        return false;
    if (s->buf) {
        memcpy(dst, s->buf + off, len);
        return true;
    }
    return pread(s->fd, dst, len, (off_t)off) == (ssize_t)len;
}

static bool in_bounds(uint64_t off, uint64_t n, uint64_t each, uint64_t size)
{
    if (n && each > UINT64_MAX / n)
        return false;
    return off <= size && n * each <= size - off;
}

static int elf_check_src(const struct src *s, char **why_r)
{
    uint8_t id[EI_NIDENT];
    bool is64;
    uint64_t phoff, shoff, phnum, shnum, phentsize, shentsize, i;

    if (!src_read(s, 0, sizeof(id), id) || memcmp(id, ELFMAG, SELFMAG)) {
        set_why(why_r, "not an ELF file (bad magic)");
        return EINVAL;
    }
    if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) {
        set_why(why_r, "ELF: bad class %u", id[EI_CLASS]);
        return EINVAL;
    }
    if (id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT) {
        set_why(why_r, "ELF: not a little-endian version 1 file");
        return EINVAL;
    }
    is64 = id[EI_CLASS] == ELFCLASS64;
    if (is64) {
        Elf64_Ehdr eh;
        if (!src_read(s, 0, sizeof(eh), &eh))
            goto truncated;
        phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
        shoff = eh.e_shoff, shnum = eh.e_shnum, shentsize = eh.e_shentsize;
    } else {
        Elf32_Ehdr eh;
        if (!src_read(s, 0, sizeof(eh), &eh))
            goto truncated;
        phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
        shoff = eh.e_shoff, shnum = eh.e_shnum, shentsize = eh.e_shentsize;
    }
    if (phnum == 0 ||
        phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
        set_why(why_r, "ELF: no usable program header table");
        return EINVAL;
    }
    if (!in_bounds(phoff, phnum, phentsize, s->size))
        goto truncated;
    if (shnum) {
        if (shentsize != (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) {
            set_why(why_r, "ELF: bad section header size");
            return EINVAL;
        }
        if (!in_bounds(shoff, shnum, shentsize, s->size))
            goto truncated;
    }
    for (i = 0; i < phnum; i++) {
        uint64_t type, off, filesz, memsz;
        if (is64) {
            Elf64_Phdr ph;
            if (!src_read(s, phoff + i * phentsize, sizeof(ph), &ph))
                goto truncated;
            type = ph.p_type, off = ph.p_offset;
            filesz = ph.p_filesz, memsz = ph.p_memsz;
        } else {
            Elf32_Phdr ph;
            if (!src_read(s, phoff + i * phentsize, sizeof(ph), &ph))
                goto truncated;
            type = ph.p_type, off = ph.p_offset;
            filesz = ph.p_filesz, memsz = ph.p_memsz;
        }
        if (type != PT_LOAD)
            continue;
        if (filesz > memsz) {
            set_why(why_r, "ELF: segment %" PRIu64 " has filesz > memsz", i);
            return EINVAL;
        }
        if (!in_bounds(off, 1, filesz, s->size))
            goto truncated;
    }
    return 0;

truncated:
    set_why(why_r,
            "ELF: truncated (headers or segments beyond %" PRIu64 " bytes)",
            s->size);
    return EINVAL;
}

int xl_kcache_elf_check(const void *buf, size_t len, char **why_r)
{
    struct src s = {.buf = buf, .fd = -1, .size = len};

    if (!buf && len)
        return EINVAL;
    return elf_check_src(&s, why_r);
}

/* ------------------------------------------------------------------------
 * Decompression, one function per Debian library. Each appends to an
 * output buffer that grows up to a limit, and stops at the end of its
 * stream: Linux appends the unpacked size (le32) after a bzImage payload.
 */

struct obuf {
    uint8_t *p;
    size_t len, cap, max;
};

/* Make room for at least `want` more bytes (fewer if the limit is near, but
 * at least one). Returns 0, EFBIG at the limit, ENOMEM. */
static int obuf_grow(struct obuf *o, size_t want)
{
    size_t ncap;
    uint8_t *np;

    if (o->cap - o->len >= want && o->cap > o->len)
        return 0;
    if (o->len >= o->max)
        return EFBIG;
    ncap = o->cap ? o->cap : 1u << 16;
    while (ncap - o->len < want && ncap < o->max)
        ncap = ncap > o->max / 2 ? o->max : ncap * 2;
    if (ncap <= o->len)
        ncap = o->max;
    if (ncap > o->max)
        ncap = o->max;
    np = realloc(o->p, ncap);
    if (!np)
        return ENOMEM;
    o->p = np;
    o->cap = ncap;
    return 0;
}

/* Chunk sizes for the libraries whose counters are unsigned int. */
#define CHUNK_MAX ((size_t)1 << 30)

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

static int un_gzip(const uint8_t *in, size_t len, struct obuf *o, char **why_r)
{
    z_stream zs;
    int zr, rc;
    size_t done = 0;

    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 15 + 16) != Z_OK) /* 16: gzip wrapper only */
        return ENOMEM;
    for (;;) {
        size_t inn = min_sz(len - done, CHUNK_MAX), outn;
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        outn = min_sz(o->cap - o->len, CHUNK_MAX);
        zs.next_in = (Bytef *)(uintptr_t)(in + done);
        zs.avail_in = (uInt)inn;
        zs.next_out = o->p + o->len;
        zs.avail_out = (uInt)outn;
        zr = inflate(&zs, Z_NO_FLUSH);
        done += inn - zs.avail_in;
        o->len += outn - zs.avail_out;
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && done == len) {
            set_why(why_r, "gzip data truncated");
            rc = EINVAL;
            goto out;
        }
        if (zr == Z_BUF_ERROR)
            continue;
        set_why(why_r, "gzip data corrupt: %s",
                zs.msg ? zs.msg : "inflate failed");
        rc = zr == Z_MEM_ERROR ? ENOMEM : EINVAL;
        goto out;
    }
    rc = 0;
out:
    inflateEnd(&zs);
    return rc;
}

static int un_lzma(const uint8_t *in, size_t len, struct obuf *o, bool xz,
                   char **why_r)
{
    lzma_stream ls = LZMA_STREAM_INIT;
    lzma_ret lr;
    const char *name = xz ? "xz" : "lzma";
    int rc;

    lr = xz ? lzma_stream_decoder(&ls, UINT64_MAX, 0)
            : lzma_alone_decoder(&ls, UINT64_MAX);
    if (lr != LZMA_OK)
        return ENOMEM;
    ls.next_in = in;
    ls.avail_in = len;
    for (;;) {
        size_t outn;
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        outn = o->cap - o->len;
        ls.next_out = o->p + o->len;
        ls.avail_out = outn;
        lr = lzma_code(&ls, LZMA_FINISH);
        o->len += outn - ls.avail_out;
        if (lr == LZMA_STREAM_END)
            break;
        if (lr == LZMA_OK)
            continue;
        if (lr == LZMA_BUF_ERROR && ls.avail_out == 0)
            continue;
        switch (lr) {
        case LZMA_MEM_ERROR:
            rc = ENOMEM;
            goto out;
        case LZMA_BUF_ERROR:
            set_why(why_r, "%s data truncated", name);
            break;
        case LZMA_FORMAT_ERROR:
            set_why(why_r, "%s: bad header", name);
            break;
        case LZMA_OPTIONS_ERROR:
            set_why(why_r, "%s: unsupported options", name);
            break;
        default:
            set_why(why_r, "%s data corrupt (liblzma error %d)", name, (int)lr);
        }
        rc = EINVAL;
        goto out;
    }
    rc = 0;
out:
    lzma_end(&ls);
    return rc;
}

static int un_bzip2(const uint8_t *in, size_t len, struct obuf *o, char **why_r)
{
    bz_stream bs;
    int br, rc;
    size_t done = 0;

    memset(&bs, 0, sizeof(bs));
    if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK)
        return ENOMEM;
    for (;;) {
        size_t inn = min_sz(len - done, CHUNK_MAX), outn, before;
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        outn = min_sz(o->cap - o->len, CHUNK_MAX);
        /* libbz2's next_in is not const, but it never writes through it */
        bs.next_in = (char *)(uintptr_t)(in + done);
        bs.avail_in = (unsigned)inn;
        bs.next_out = (char *)(o->p + o->len);
        bs.avail_out = (unsigned)outn;
        before = done;
        br = BZ2_bzDecompress(&bs);
        done += inn - bs.avail_in;
        o->len += outn - bs.avail_out;
        if (br == BZ_STREAM_END)
            break;
        if (br == BZ_OK) {
            /* No input left and no output made: the stream is cut short. */
            if (done == len && before == done && bs.avail_out == outn) {
                set_why(why_r, "bzip2 data truncated");
                rc = EINVAL;
                goto out;
            }
            continue;
        }
        if (br == BZ_DATA_ERROR || br == BZ_DATA_ERROR_MAGIC)
            set_why(why_r, "bzip2 data corrupt");
        else
            set_why(why_r, "bzip2 data corrupt (libbz2 error %d)", br);
        rc = br == BZ_MEM_ERROR ? ENOMEM : EINVAL;
        goto out;
    }
    rc = 0;
out:
    BZ2_bzDecompressEnd(&bs);
    return rc;
}

static int un_zstd(const uint8_t *in, size_t len, struct obuf *o, char **why_r)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_inBuffer ib = {in, len, 0};
    int rc;

    if (!dc)
        return ENOMEM;
    for (;;) {
        ZSTD_outBuffer ob;
        size_t zr, before_in = ib.pos;
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        ob.dst = o->p;
        ob.size = o->cap;
        ob.pos = o->len;
        zr = ZSTD_decompressStream(dc, &ob, &ib);
        if (ZSTD_isError(zr)) {
            set_why(why_r, "zstd data corrupt: %s", ZSTD_getErrorName(zr));
            rc = EINVAL;
            goto out;
        }
        /* A frame is complete when zr is 0; trailing bytes are ignored. */
        if (zr == 0) {
            o->len = ob.pos;
            break;
        }
        if (ib.pos == len && ob.pos < ob.size && before_in == ib.pos &&
            ob.pos == o->len) {
            set_why(why_r, "zstd data truncated");
            rc = EINVAL;
            goto out;
        }
        o->len = ob.pos;
    }
    rc = 0;
out:
    ZSTD_freeDCtx(dc);
    return rc;
}

/* The lz4 legacy format Linux uses (`lz4 -l`): magic, then blocks of
 * (le32 compressed size, data), each unpacking to at most 8 MiB. It has no
 * end mark: input ends, another magic starts a new archive, or (Linux's
 * appended size) a final 4 bytes remain. */
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

static int un_lz4_legacy(const uint8_t *in, size_t len, struct obuf *o,
                         char **why_r)
{
    size_t pos = 4;
    int rc;

    while (len - pos >= 4) {
        uint32_t csize = le32(in + pos);
        int n;
        pos += 4;
        if (csize == LZ4_LEGACY_MAGIC)
            continue;
        if (pos == len)
            break; /* the unpacked-size trailer */
        if (csize == 0 || csize > len - pos ||
            csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
            set_why(why_r,
                    "lz4 data truncated or corrupt (block of %" PRIu32
                    " bytes with %zu left)",
                    csize, len - pos);
            return EINVAL;
        }
        rc = obuf_grow(o, LZ4_LEGACY_BLOCK);
        if (rc)
            return rc;
        if (o->cap - o->len < LZ4_LEGACY_BLOCK) {
            /* near the size limit: a block may still fit */
            n = LZ4_decompress_safe((const char *)in + pos,
                                    (char *)o->p + o->len, (int)csize,
                                    (int)(o->cap - o->len));
            if (n < 0)
                return EFBIG;
        } else {
            n = LZ4_decompress_safe((const char *)in + pos,
                                    (char *)o->p + o->len, (int)csize,
                                    (int)LZ4_LEGACY_BLOCK);
        }
        if (n < 0) {
            set_why(why_r, "lz4 data corrupt (block at offset %zu)", pos - 4);
            return EINVAL;
        }
        o->len += (size_t)n;
        pos += csize;
    }
    return 0;
}

static int un_lz4_frame(const uint8_t *in, size_t len, struct obuf *o,
                        char **why_r)
{
    LZ4F_dctx *dc = NULL;
    size_t pos = 0, hint = 1;
    int rc;

    if (LZ4F_isError(LZ4F_createDecompressionContext(&dc, LZ4F_VERSION)))
        return ENOMEM;
    while (hint != 0) {
        size_t inn = len - pos, outn, r;
        if (inn == 0) {
            set_why(why_r, "lz4 data truncated");
            rc = EINVAL;
            goto out;
        }
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        outn = o->cap - o->len;
        r = LZ4F_decompress(dc, o->p + o->len, &outn, in + pos, &inn, NULL);
        if (LZ4F_isError(r)) {
            set_why(why_r, "lz4 data corrupt: %s", LZ4F_getErrorName(r));
            rc = EINVAL;
            goto out;
        }
        pos += inn;
        o->len += outn;
        hint = r;
    }
    rc = 0;
out:
    LZ4F_freeDecompressionContext(dc);
    return rc;
}

int xl_kcache_unpack(const void *buf, size_t len, size_t max_out, void **out_r,
                     size_t *outlen_r, char **why_r)
{
    const uint8_t *p = buf;
    struct obuf o = {NULL, 0, 0, max_out};
    enum xl_kcache_fmt fmt;
    bool bz;
    size_t off, plen;
    uint32_t trailer = 0;
    int rc;

    *out_r = NULL;
    *outlen_r = 0;
    if (!buf && len)
        return EINVAL;
    xl_kcache_probe(buf, len, &fmt, &bz, &off, &plen);
    if (!bz && fmt == XL_KCACHE_ELF) {
        set_why(why_r, "already an uncompressed ELF");
        return ENOTSUP;
    }
    if (fmt == XL_KCACHE_UNKNOWN || fmt == XL_KCACHE_ELF) {
        set_why(why_r, bz ? "bzImage payload of unknown format"
                          : "not a bzImage or compressed ELF");
        return ENOTSUP;
    }
    if (fmt == XL_KCACHE_LZO) {
        set_why(why_r, "lzo payloads are not supported (no Debian library "
                       "linked); libxl unpacks them itself");
        return ENOTSUP;
    }
    if (bz) {
        /* Linux appends the unpacked size to every payload: size the
         * buffer once, and check the result against it below. */
        trailer = le32(p + off + plen - 4);
        if (plen < 8) {
            set_why(why_r, "bzImage payload too short");
            return EINVAL;
        }
        if (trailer > max_out) {
            set_why(why_r,
                    "bzImage says it unpacks to %" PRIu32
                    " bytes, over the %zu byte limit",
                    trailer, max_out);
            return EFBIG;
        }
        o.p = malloc(trailer ? trailer : 1);
        if (!o.p)
            return ENOMEM;
        o.cap = trailer ? trailer : 1;
    }
    p += off;
    switch (fmt) {
    case XL_KCACHE_GZIP:
        rc = un_gzip(p, plen, &o, why_r);
        break;
    case XL_KCACHE_BZIP2:
        rc = un_bzip2(p, plen, &o, why_r);
        break;
    case XL_KCACHE_LZMA:
        rc = un_lzma(p, plen, &o, false, why_r);
        break;
    case XL_KCACHE_XZ:
        rc = un_lzma(p, plen, &o, true, why_r);
        break;
    case XL_KCACHE_LZ4_LEGACY:
        rc = un_lz4_legacy(p, plen, &o, why_r);
        break;
    case XL_KCACHE_LZ4_FRAME:
        rc = un_lz4_frame(p, plen, &o, why_r);
        break;
    case XL_KCACHE_ZSTD:
        rc = un_zstd(p, plen, &o, why_r);
        break;
    default:
        rc = ENOTSUP;
    }
    if (rc == EFBIG)
        set_why(why_r, "%s data unpacks to more than %zu bytes",
                xl_kcache_fmt_name(fmt), max_out);
    if (rc == ENOMEM)
        set_why(why_r, "out of memory unpacking %s data",
                xl_kcache_fmt_name(fmt));
    if (rc)
        goto out;
    if (bz && o.len != trailer) {
        set_why(why_r,
                "bzImage %s payload unpacked to %zu bytes but its "
                "trailer says %" PRIu32,
                xl_kcache_fmt_name(fmt), o.len, trailer);
        rc = EINVAL;
        goto out;
    }
    rc = xl_kcache_elf_check(o.p, o.len, why_r);
    if (rc) {
        char *inner = why_r ? *why_r : NULL;
        if (why_r)
            *why_r = NULL;
        set_why(why_r, "%s%s data does not hold a usable ELF: %s",
                bz ? "bzImage " : "", xl_kcache_fmt_name(fmt),
                inner ? inner : "bad ELF");
        free(inner);
        goto out;
    }
    *out_r = o.p;
    *outlen_r = o.len;
    o.p = NULL;
out:
    free(o.p);
    return rc;
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

/* mkdir -p with mode 0700 for the directories we create. */
static int mkdir_p(const char *path)
{
    char *tmp = strdup(path), *p;
    int rc = 0;

    if (!tmp)
        return ENOMEM;
    for (p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) && errno != EEXIST) {
            rc = errno;
            goto out;
        }
        *p = '/';
    }
    if (mkdir(tmp, 0700) && errno != EEXIST)
        rc = errno;
out:
    free(tmp);
    return rc;
}

/* The cache directory must exist (created on demand), be ours, and not be
 * writable by anyone else: root hands these files to the hypervisor. */
static int cache_dir_ready(const char *dir, bool create, char **why_r)
{
    struct stat st;
    int rc;

    if (create) {
        rc = mkdir_p(dir);
        if (rc) {
            set_why(why_r, "cannot create %s: %s", dir, strerror(rc));
            return rc;
        }
    }
    if (lstat(dir, &st)) {
        rc = errno;
        set_why(why_r, "%s: %s", dir, strerror(rc));
        return rc;
    }
    if (!S_ISDIR(st.st_mode)) {
        set_why(why_r, "%s is not a directory", dir);
        return ENOTDIR;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 0022)) {
        set_why(why_r, "%s is not owned by uid %u or is writable by others",
                dir, (unsigned)geteuid());
        return EPERM;
    }
    if (access(dir, W_OK | X_OK)) {
        rc = errno;
        set_why(why_r, "%s is not writable: %s", dir, strerror(rc));
        return rc;
    }
    return 0;
}

/* Take an exclusive flock on `path` (created 0600 if needed). A lock file
 * may be unlinked by eviction or clear while we wait for it, so after
 * getting the lock check that the name still refers to the locked file.
 * Returns the fd or -errno. With nonblock, -EWOULDBLOCK when busy. */
static int lock_path(const char *path, bool nonblock)
{
    for (;;) {
        struct stat a, b;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            return -errno;
        if (flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0))) {
            int e = errno;
            close(fd);
            if (e == EINTR)
                continue;
            return -e;
        }
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
            a.st_dev == b.st_dev)
            return fd;
        close(fd);
    }
}

static bool is_key(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* "<64 hex>.elf" */
static bool entry_name(const char *name)
{
    return strlen(name) == 68 && is_key(name, 64) && !strcmp(name + 64, ".elf");
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
static int index_update(const char *dir, const char *key, const struct stat *st,
                        const char *path)
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
static const char *index_precheck(const char *dir, const struct stat *st,
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
static int entry_check(int dirfd, const char *name, char **why_r)
{
    struct stat st;
    struct src s;
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

    if (fd < 0)
        return errno;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        set_why(why_r, "not a regular file");
        return EINVAL;
    }
    s.buf = NULL;
    s.fd = fd;
    s.size = (uint64_t)st.st_size;
    rc = elf_check_src(&s, why_r);
    close(fd);
    return rc;
}

static int write_entry(const char *dir, const char *key, const void *data,
                       size_t len, char **why_r)
{
    char *tmp = NULL, *final = NULL;
    int fd = -1, rc;

    if (asprintf(&tmp, "%s/.tmp.%s.%ld", dir, key, (long)getpid()) < 0) {
        tmp = NULL;
        rc = ENOMEM;
        goto out;
    }
    if (asprintf(&final, "%s/%s.elf", dir, key) < 0) {
        final = NULL;
        rc = ENOMEM;
        goto out;
    }
    unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = errno;
        set_why(why_r, "cannot create %s: %s", tmp, strerror(rc));
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
        set_why(why_r, "writing %s: %s", tmp, strerror(rc));
        goto out;
    }
    if (rename(tmp, final)) {
        rc = errno;
        set_why(why_r, "renaming %s: %s", tmp, strerror(rc));
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

/* All entries of dir, oldest use first. */
static int scan_entries(const char *dir, struct ent **ents_r, size_t *n_r)
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
        if (!entry_name(de->d_name))
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
    snprintf(name, sizeof(name), "%s.lock", key);
    unlinkat(fd, name, 0);
    close(fd);
}

static int lock_key(const char *dir, const char *key, bool nonblock)
{
    char *p = NULL;
    int fd;

    if (asprintf(&p, "%s/%s.lock", dir, key) < 0)
        return -ENOMEM;
    fd = lock_path(p, nonblock);
    free(p);
    return fd;
}

static int lock_index(const char *dir)
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
static int evict_locked(const struct xl_kcache_opts *o, const char *keep)
{
    const char *dir = opt_dir(o);
    uint64_t cap = o->max_bytes ? o->max_bytes : XL_KCACHE_MAX_BYTES;
    uint64_t total = 0;
    struct ent *ents = NULL;
    size_t n = 0, i;
    struct timespec now;
    int rc;

    rc = scan_entries(dir, &ents, &n);
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
        fd = lock_key(dir, ents[i].key, true);
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

    ifd = lock_index(opt_dir(o));
    if (ifd < 0)
        return -ifd;
    rc = evict_locked(o, keep);
    close(ifd);
    return rc;
}

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
        set_why(why_r, "cannot open kernel %s: %s", path, strerror(rc));
        return rc;
    }
    if (fstat(fd, &a)) {
        rc = errno;
        goto out;
    }
    if (!S_ISREG(a.st_mode)) {
        set_why(why_r, "kernel %s is not a regular file", path);
        rc = EINVAL;
        goto out;
    }
    {
        /* A plain ELF needs no unpacking: do not read 60 MiB to learn it. */
        uint8_t magic[4];
        if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, ELFMAG, SELFMAG)) {
            set_why(why_r, "%s is already an uncompressed ELF", path);
            rc = ENOTSUP;
            goto out;
        }
    }
    if ((uint64_t)a.st_size > max) {
        set_why(why_r, "kernel %s is larger than %zu bytes", path, max);
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
        set_why(why_r, "reading kernel %s: %s", path, strerror(rc));
        goto out;
    }
    if (fstat(fd, &b) || b.st_size != a.st_size ||
        b.st_mtim.tv_sec != a.st_mtim.tv_sec ||
        b.st_mtim.tv_nsec != a.st_mtim.tv_nsec) {
        set_why(why_r, "kernel %s changed while being read", path);
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

static void hexkey(const uint8_t d[32], char key[65])
{
    static const char hx[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 32; i++) {
        key[2 * i] = hx[d[i] >> 4];
        key[2 * i + 1] = hx[d[i] & 15];
    }
    key[64] = '\0';
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
    char key[65], ename[80], *epath = NULL, *inner = NULL;
    const char *pre;
    bool rebuilt = false;
    int rc, kfd = -1, ifd = -1, dfd = -1;
    struct timespec t0, t1;

    if (path_r)
        *path_r = NULL;
    if (why_r)
        *why_r = NULL;
    if (!kernel_path || !o || !path_r)
        return EINVAL;
    dir = opt_dir(o);
    if (!o->enabled) {
        set_why(why_r, "kernel cache off (xl.conf kernel_cache=0)");
        goto fallback;
    }
    rc = read_kernel(kernel_path, XL_KCACHE_MAX_INPUT, &kbuf, &klen, &kst,
                     &inner);
    if (rc == ENOMEM)
        goto out;
    if (rc) {
        set_why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    xl_kcache_probe(kbuf, klen, &fmt, &bz, &off, &plen);
    if (fmt == XL_KCACHE_UNKNOWN || (fmt == XL_KCACHE_ELF && !bz) ||
        fmt == XL_KCACHE_LZO) {
        set_why(why_r, "not cached: %s is %s", kernel_path,
                fmt == XL_KCACHE_ELF ? "already an uncompressed ELF"
                : fmt == XL_KCACHE_LZO
                    ? "an lzo bzImage (no Debian library linked)"
                    : "not a bzImage or compressed ELF");
        goto fallback;
    }
    rc = cache_dir_ready(dir, true, &inner);
    if (rc) {
        set_why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    xl_kcache_sha256(kbuf, klen, digest);
    hexkey(digest, key);
    pre = index_precheck(dir, &kst, key);
    snprintf(ename, sizeof(ename), "%s.elf", key);
    if (asprintf(&epath, "%s/%s", dir, ename) < 0) {
        epath = NULL;
        rc = ENOMEM;
        goto out;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    kfd = lock_key(dir, key, false);
    if (dfd < 0 || kfd < 0) {
        set_why(why_r, "not cached: cannot lock %s/%s.lock: %s", dir, key,
                strerror(kfd < 0 ? -kfd : errno));
        goto fallback;
    }
    /* Under the key lock: whoever held it before us may have unpacked. */
    free(inner);
    inner = NULL;
    rc = entry_check(dfd, ename, &inner);
    if (rc == 0) {
        /* mtime is the LRU clock (atime is unreliable with relatime). */
        utimensat(dfd, ename, NULL, 0);
        set_why(why_r, "cache hit: %s -> %s (%s)", kernel_path, epath, pre);
        goto done;
    }
    if (rc != ENOENT) {
        /* Corrupt or truncated: drop it and unpack again. */
        unlinkat(dfd, ename, 0);
        rebuilt = true;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    free(inner);
    inner = NULL;
    rc = xl_kcache_unpack(kbuf, klen,
                          o->max_output ? o->max_output : XL_KCACHE_MAX_OUTPUT,
                          &elf, &elflen, &inner);
    if (rc == ENOMEM)
        goto out;
    if (rc) {
        set_why(why_r, "not cached: %s: %s", kernel_path,
                inner ? inner : strerror(rc));
        goto fallback;
    }
    free(kbuf);
    kbuf = NULL;
    free(inner);
    inner = NULL;
    rc = write_entry(dir, key, elf, elflen, &inner);
    if (rc) {
        set_why(why_r, "not cached: %s", inner ? inner : strerror(rc));
        goto fallback;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    set_why(why_r,
            "cache miss: unpacked %s%s %s (%zu bytes) in %ld ms -> %s "
            "(%s%s)",
            bz ? "bzImage " : "", xl_kcache_fmt_name(fmt), kernel_path, elflen,
            (long)((t1.tv_sec - t0.tv_sec) * 1000 +
                   (t1.tv_nsec - t0.tv_nsec) / 1000000),
            epath, pre, rebuilt ? "; bad entry discarded and rebuilt" : "");
done:
    /* Drop the key lock first: clear takes the index lock, then key locks.
     * The fresh mtime keeps the entry from eviction (grace period). */
    close(kfd);
    kfd = -1;
    /* Index and eviction are housekeeping: failures only cost a note. */
    ifd = lock_index(dir);
    if (ifd >= 0) {
        index_update(dir, key, &kst, kernel_path);
        evict_locked(o, key);
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
    return rc;
}

/* ------------------------------------------------------------------------
 * The fast path: a hit found through the index, hashed beside the build
 */

struct xl_kcache_check {
    pthread_t thread;
    char *kernel_path, *dir;
    char key[65];   /* what the index says the file holds */
    struct stat st; /* the file identity the index matched */
    uint8_t *buf;   /* read buffer: the thread allocates nothing */
    int rc;         /* 0 same content; ESTALE differs; else read errno */
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
    hexkey(digest, key);
    c->rc = strcmp(key, c->key) ? ESTALE : 0;
out:
    close(fd);
    return NULL;
}

static void check_free(struct xl_kcache_check *c)
{
    free(c->kernel_path);
    free(c->dir);
    free(c->buf);
    free(c);
}

/* Forget what the index knows about this file identity. */
static void index_forget(const char *dir, const struct stat *st)
{
    int ifd = lock_index(dir);

    if (ifd < 0)
        return;
    index_update(dir, NULL, st, NULL);
    close(ifd);
}

/* The index record for this exact identity (dev, ino, size, mtime), whose
 * entry exists: its key in key_r. */
static bool index_lookup(const char *dir, const struct stat *st, char key_r[65])
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

/* The entry for key, locked, checked as an ELF and touched (LRU): its
 * malloc'd path, or NULL. */
static char *entry_take(const char *dir, const char *key)
{
    char ename[80], *epath = NULL;
    int dfd, kfd;

    snprintf(ename, sizeof(ename), "%s.elf", key);
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return NULL;
    kfd = lock_key(dir, key, false);
    if (kfd >= 0 && entry_check(dfd, ename, NULL) == 0 &&
        asprintf(&epath, "%s/%s", dir, ename) >= 0)
        utimensat(dfd, ename, NULL, 0);
    else
        epath = NULL;
    if (kfd >= 0)
        close(kfd);
    close(dfd);
    return epath;
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
    dir = opt_dir(o);
    /* Anything but a known, unchanged file takes the ordinary path. */
    if (!o->enabled || stat(kernel_path, &st) || !S_ISREG(st.st_mode) ||
        cache_dir_ready(dir, false, NULL) || !index_lookup(dir, &st, key))
        return xl_kcache_get(kernel_path, o, path_r, why_r);
    c = calloc(1, sizeof(*c));
    if (!c)
        return ENOMEM;
    c->kernel_path = strdup(kernel_path);
    c->dir = strdup(dir);
    c->buf = malloc(CHECK_BUF_SIZE);
    if (!c->kernel_path || !c->dir || !c->buf) {
        check_free(c);
        return ENOMEM;
    }
    memcpy(c->key, key, sizeof(key));
    c->st = st;
    epath = entry_take(dir, key);
    if (!epath || pthread_create(&c->thread, NULL, check_thread, c)) {
        free(epath);
        check_free(c);
        return xl_kcache_get(kernel_path, o, path_r, why_r);
    }
    /* Housekeeping, as on every hit: the cap may have been lowered. */
    ifd = lock_index(dir);
    if (ifd >= 0) {
        evict_locked(o, key);
        close(ifd);
    }
    if (why_r) {
        *why_r = NULL;
        set_why(why_r,
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
    rc = c->rc;
    if (rc == ESTALE) {
        set_why(why_r,
                "kernel %s changed on disk: its content no longer matches "
                "cache entry %s",
                c->kernel_path, c->key);
        index_forget(c->dir, &c->st);
    } else if (rc) {
        set_why(why_r, "cannot re-read kernel %s to check its hash: %s",
                c->kernel_path, strerror(rc));
        index_forget(c->dir, &c->st);
    }
    check_free(c);
    return rc;
}

/* ------------------------------------------------------------------------
 * list / clear
 */

void xl_kcache_entries_free(struct xl_kcache_entry *ents, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(ents[i].source);
    free(ents);
}

int xl_kcache_list(const struct xl_kcache_opts *o,
                   struct xl_kcache_entry **ents_r, size_t *n_r)
{
    const char *dir = opt_dir(o);
    struct ent *ents = NULL;
    struct irec *recs = NULL;
    struct xl_kcache_entry *out = NULL;
    size_t n = 0, nrec = 0, i, j;
    int rc;

    *ents_r = NULL;
    *n_r = 0;
    rc = scan_entries(dir, &ents, &n);
    if (rc || n == 0)
        goto out;
    rc = index_read(dir, &recs, &nrec);
    if (rc)
        goto out;
    out = calloc(n, sizeof(*out));
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

int xl_kcache_clear(const struct xl_kcache_opts *o, size_t *removed_r)
{
    const char *dir = opt_dir(o);
    struct ent *ents = NULL;
    size_t n = 0, i, removed = 0;
    int rc, ifd = -1;
    DIR *d = NULL;
    struct dirent *de;
    char *ip = NULL;

    if (removed_r)
        *removed_r = 0;
    if (access(dir, F_OK))
        return errno == ENOENT ? 0 : errno;
    ifd = lock_index(dir);
    if (ifd < 0)
        return -ifd;
    rc = scan_entries(dir, &ents, &n);
    if (rc)
        goto out;
    for (i = 0; i < n; i++) {
        /* waits for a create that is unpacking this key */
        int fd = lock_key(dir, ents[i].key, false);
        if (fd < 0) {
            rc = -fd;
            goto out;
        }
        remove_entry(dir, ents[i].key);
        close(fd);
        removed++;
    }
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
    free(ents);
    if (ifd >= 0)
        close(ifd);
    if (removed_r)
        *removed_r = removed;
    return rc;
}
