/* kunpack.c: probing and unpacking compressed kernels (see kunpack.h). */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bzlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "kunpack.h"

/* ------------------------------------------------------------------------
 * Small helpers
 */

void xl_kcache__why(char **why_r, const char *fmt, ...)
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
        xl_kcache__why(why_r, "not an ELF file (bad magic)");
        return EINVAL;
    }
    if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) {
        xl_kcache__why(why_r, "ELF: bad class %u", id[EI_CLASS]);
        return EINVAL;
    }
    if (id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT) {
        xl_kcache__why(why_r, "ELF: not a little-endian version 1 file");
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
        xl_kcache__why(why_r, "ELF: no usable program header table");
        return EINVAL;
    }
    if (!in_bounds(phoff, phnum, phentsize, s->size))
        goto truncated;
    if (shnum) {
        if (shentsize != (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) {
            xl_kcache__why(why_r, "ELF: bad section header size");
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
            xl_kcache__why(why_r, "ELF: segment %" PRIu64 " has filesz > memsz",
                           i);
            return EINVAL;
        }
        if (!in_bounds(off, 1, filesz, s->size))
            goto truncated;
    }
    return 0;

truncated:
    xl_kcache__why(
        why_r, "ELF: truncated (headers or segments beyond %" PRIu64 " bytes)",
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

int xl_kcache_elf_check_fd(int fd, uint64_t size, char **why_r)
{
    struct src s = {.buf = NULL, .fd = fd, .size = size};

    return elf_check_src(&s, why_r);
}

/* ------------------------------------------------------------------------
 * Decompression, one function per Debian library. Each appends to an
 * output buffer that grows up to a limit, and stops at the end of its
 * stream: Linux appends the unpacked size (le32) after a bzImage payload.
 *
 * Every decoder's own memory is bounded, whatever the header says: zlib's
 * window is 32 KiB; libbz2 needs at most ~3.6 MiB (level 9); lz4 blocks
 * are at most 8 MiB (legacy) or 4 MiB (frame); liblzma and zstd are given
 * explicit limits below (E2BIG when a header asks for more).
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
            xl_kcache__why(why_r, "gzip data truncated");
            rc = EINVAL;
            goto out;
        }
        if (zr == Z_BUF_ERROR)
            continue;
        xl_kcache__why(why_r, "gzip data corrupt: %s",
                       zs.msg ? zs.msg : "inflate failed");
        rc = zr == Z_MEM_ERROR ? ENOMEM : EINVAL;
        goto out;
    }
    rc = 0;
out:
    inflateEnd(&zs);
    return rc;
}

#define UNLZMA_MEMLIMIT (256u << 20)

static int un_lzma(const uint8_t *in, size_t len, struct obuf *o, bool xz,
                   char **why_r)
{
    lzma_stream ls = LZMA_STREAM_INIT;
    lzma_ret lr;
    const char *name = xz ? "xz" : "lzma";
    int rc;

    /* A header may ask for any dictionary: a few bytes of input could
     * make liblzma allocate gigabytes. Linux's xz kernels use a few MiB
     * (its own decompressor allows 32); far more is refused. */
    lr = xz ? lzma_stream_decoder(&ls, UNLZMA_MEMLIMIT, 0)
            : lzma_alone_decoder(&ls, UNLZMA_MEMLIMIT);
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
        case LZMA_MEMLIMIT_ERROR:
            xl_kcache__why(why_r, "%s: needs more than %u MiB to decode", name,
                           UNLZMA_MEMLIMIT >> 20);
            rc = E2BIG;
            goto out;
        case LZMA_BUF_ERROR:
            xl_kcache__why(why_r, "%s data truncated", name);
            break;
        case LZMA_FORMAT_ERROR:
            xl_kcache__why(why_r, "%s: bad header", name);
            break;
        case LZMA_OPTIONS_ERROR:
            xl_kcache__why(why_r, "%s: unsupported options", name);
            break;
        default:
            xl_kcache__why(why_r, "%s data corrupt (liblzma error %d)", name,
                           (int)lr);
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
                xl_kcache__why(why_r, "bzip2 data truncated");
                rc = EINVAL;
                goto out;
            }
            continue;
        }
        if (br == BZ_DATA_ERROR || br == BZ_DATA_ERROR_MAGIC)
            xl_kcache__why(why_r, "bzip2 data corrupt");
        else
            xl_kcache__why(why_r, "bzip2 data corrupt (libbz2 error %d)", br);
        rc = br == BZ_MEM_ERROR ? ENOMEM : EINVAL;
        goto out;
    }
    rc = 0;
out:
    BZ2_bzDecompressEnd(&bs);
    return rc;
}

/* zstd's window is what a frame header asks for (up to 2 GiB with
 * --long=31); Linux's zstd kernels use 8 MiB at most. */
#define UNZSTD_WINDOWLOG_MAX 27 /* 128 MiB */

static int un_zstd(const uint8_t *in, size_t len, struct obuf *o, char **why_r)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_inBuffer ib = {in, len, 0};
    int rc;

    if (!dc)
        return ENOMEM;
    if (ZSTD_isError(ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax,
                                            UNZSTD_WINDOWLOG_MAX))) {
        rc = ENOMEM;
        goto out;
    }
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
        if (ZSTD_isError(zr) &&
            ZSTD_getErrorCode(zr) == ZSTD_error_frameParameter_windowTooLarge) {
            xl_kcache__why(why_r, "zstd: needs more than %u MiB to decode",
                           (1u << UNZSTD_WINDOWLOG_MAX) >> 20);
            rc = E2BIG;
            goto out;
        }
        if (ZSTD_isError(zr)) {
            xl_kcache__why(why_r, "zstd data corrupt: %s",
                           ZSTD_getErrorName(zr));
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
            xl_kcache__why(why_r, "zstd data truncated");
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
            xl_kcache__why(why_r,
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
            xl_kcache__why(why_r, "lz4 data corrupt (block at offset %zu)",
                           pos - 4);
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
            xl_kcache__why(why_r, "lz4 data truncated");
            rc = EINVAL;
            goto out;
        }
        rc = obuf_grow(o, 1u << 20);
        if (rc)
            goto out;
        outn = o->cap - o->len;
        r = LZ4F_decompress(dc, o->p + o->len, &outn, in + pos, &inn, NULL);
        if (LZ4F_isError(r)) {
            xl_kcache__why(why_r, "lz4 data corrupt: %s", LZ4F_getErrorName(r));
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
        xl_kcache__why(why_r, "already an uncompressed ELF");
        return ENOTSUP;
    }
    if (fmt == XL_KCACHE_UNKNOWN || fmt == XL_KCACHE_ELF) {
        xl_kcache__why(why_r, bz ? "bzImage payload of unknown format"
                                 : "not a bzImage or compressed ELF");
        return ENOTSUP;
    }
    if (fmt == XL_KCACHE_LZO) {
        xl_kcache__why(why_r,
                       "lzo payloads are not supported (no Debian library "
                       "linked); libxl unpacks them itself");
        return ENOTSUP;
    }
    if (bz) {
        /* Linux appends the unpacked size to every payload: size the
         * buffer once, and check the result against it below. */
        trailer = le32(p + off + plen - 4);
        if (plen < 8) {
            xl_kcache__why(why_r, "bzImage payload too short");
            return EINVAL;
        }
        if (trailer > max_out) {
            xl_kcache__why(why_r,
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
        xl_kcache__why(why_r, "%s data unpacks to more than %zu bytes",
                       xl_kcache_fmt_name(fmt), max_out);
    if (rc == ENOMEM)
        xl_kcache__why(why_r, "out of memory unpacking %s data",
                       xl_kcache_fmt_name(fmt));
    if (rc)
        goto out;
    if (bz && o.len != trailer) {
        xl_kcache__why(why_r,
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
        xl_kcache__why(why_r, "%s%s data does not hold a usable ELF: %s",
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
