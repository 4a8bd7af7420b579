/* kcache_tool.c: fixtures and probes for the kernel cache shell tests. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khash.h"
#include "klookup.h"
#include "kunpack.h"

static int usage(void)
{
    fputs("usage: kcache_tool mkelf OUT SIZE [SEED]\n"
          "       kcache_tool bzimage PAYLOAD UNPACKED_SIZE OUT\n"
          "       kcache_tool payload BZIMAGE OUT\n"
          "       kcache_tool probe FILE\n"
          "       kcache_tool unpack IN OUT\n"
          "       kcache_tool sha256 FILE\n"
          "       kcache_tool get KERNEL CACHEDIR [MAX_OUTPUT]\n"
          "       kcache_tool list CACHEDIR\n"
          "       kcache_tool clear CACHEDIR\n"
          "       kcache_tool getd KERNEL CACHEDIR\n",
          stderr);
    return 2;
}

static int slurp(const char *path, uint8_t **buf_r, size_t *len_r)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 1 << 20;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return 1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    *buf_r = buf;
    *len_r = len;
    return 0;
}

static int spit(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
        fprintf(stderr, "%s: write failed\n", path);
        return 1;
    }
    return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A small x86-64 ELF: header, one PT_LOAD over the body, two section
 * headers at the end (as vmlinux has them, so truncation shows). The body
 * mixes text and pseudo-random bytes so every compressor has work. */
static int mkelf(const char *out, size_t size, uint32_t seed)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    Elf64_Shdr sh[2];
    size_t shoff, i;
    uint8_t *buf;
    uint32_t x = seed ? seed : 2463534242u;
    int rc;

    if (size < 8192)
        size = 8192;
    buf = calloc(1, size);
    if (!buf)
        return 1;
    shoff = size - sizeof(sh);
    memset(&eh, 0, sizeof(eh));
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = 0x1000000;
    eh.e_phoff = sizeof(eh);
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(ph);
    eh.e_phnum = 1;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 2;
    memset(&ph, 0, sizeof(ph));
    ph.p_type = PT_LOAD;
    ph.p_flags = PF_R | PF_X;
    ph.p_offset = 0x1000;
    ph.p_vaddr = ph.p_paddr = 0x1000000;
    ph.p_filesz = shoff - 0x1000;
    ph.p_memsz = ph.p_filesz + 4096;
    ph.p_align = 0x1000;
    memset(sh, 0, sizeof(sh));
    sh[1].sh_type = SHT_PROGBITS;
    sh[1].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
    sh[1].sh_addr = ph.p_vaddr;
    sh[1].sh_offset = ph.p_offset;
    sh[1].sh_size = ph.p_filesz;
    memcpy(buf, &eh, sizeof(eh));
    memcpy(buf + sizeof(eh), &ph, sizeof(ph));
    for (i = 0x1000; i < shoff; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        /* 1 byte in 4 random: compressible, not trivially */
        buf[i] = (i & 3) ? (uint8_t)("xen kernel cache "[i % 17]) : (uint8_t)x;
    }
    memcpy(buf + shoff, sh, sizeof(sh));
    rc = spit(out, buf, size);
    free(buf);
    return rc;
}

/* A bzImage as the x86 boot protocol lays it out (version 2.15, one setup
 * sector), the payload followed by its unpacked size as Linux appends it. */
static int bzimage(const char *payload, unsigned long usize, const char *out)
{
    uint8_t *p = NULL, *img = NULL;
    size_t plen = 0, off = 2 * 512 + 0x40, total;
    int rc;

    if (slurp(payload, &p, &plen))
        return 1;
    total = off + plen + 4 + 64;
    img = calloc(1, total);
    if (!img) {
        free(p);
        return 1;
    }
    img[0x1f1] = 1; /* setup_sects */
    img[0x1fe] = 0x55;
    img[0x1ff] = 0xaa;
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = 0x0f; /* protocol 2.15 */
    img[0x207] = 0x02;
    put32(img + 0x248, 0x40);
    put32(img + 0x24c, (uint32_t)(plen + 4));
    memcpy(img + off, p, plen);
    put32(img + off + plen, (uint32_t)usize);
    rc = spit(out, img, total);
    free(img);
    free(p);
    return rc;
}

int main(int argc, char **argv)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = 1;

    if (argc < 3)
        return usage();
    if (!strcmp(argv[1], "mkelf") && (argc == 4 || argc == 5))
        return mkelf(argv[2], strtoul(argv[3], NULL, 0),
                     argc == 5 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0);
    if (!strcmp(argv[1], "bzimage") && argc == 5)
        return bzimage(argv[2], strtoul(argv[3], NULL, 0), argv[4]);
    if (!strcmp(argv[1], "list") && argc == 3) {
        struct xl_kcache_opts o;
        struct xl_kcache_entry *e = NULL;
        char *why = NULL;
        size_t n = 0, i;
        xl_kcache_opts_init(&o);
        o.dir = argv[2];
        /* as `xl kernel-cache` does (cmd_kcache.c) */
        if ((rc = xl_kcache_dir_check(&o, &why))) {
            fprintf(stderr, "kcache_tool: %s\n", why ? why : strerror(rc));
            free(why);
            return 1;
        }
        rc = xl_kcache_list(&o, &e, &n);
        if (rc) {
            fprintf(stderr, "kcache_tool: %s\n", strerror(rc));
            return 1;
        }
        for (i = 0; i < n; i++)
            printf("%s %s %llu %s%s%s\n", e[i].key,
                   e[i].negative ? "refused" : "entry",
                   (unsigned long long)e[i].size,
                   e[i].source ? e[i].source : "-", e[i].reason ? " | " : "",
                   e[i].reason ? e[i].reason : "");
        xl_kcache_entries_free(e, n);
        return 0;
    }
    if (!strcmp(argv[1], "clear") && argc == 3) {
        struct xl_kcache_opts o;
        size_t removed = 0, refused = 0;
        char *why = NULL;
        xl_kcache_opts_init(&o);
        o.dir = argv[2];
        /* as `xl kernel-cache` does (cmd_kcache.c) */
        if ((rc = xl_kcache_dir_check(&o, &why))) {
            fprintf(stderr, "kcache_tool: %s\n", why ? why : strerror(rc));
            free(why);
            return 1;
        }
        rc = xl_kcache_clear(&o, &removed, &refused);
        if (rc) {
            fprintf(stderr, "kcache_tool: %s\n", strerror(rc));
            return 1;
        }
        printf("removed %zu refused %zu\n", removed, refused);
        return 0;
    }
    if (!strcmp(argv[1], "get") && (argc == 4 || argc == 5)) {
        struct xl_kcache_opts o;
        char *path = NULL, *why = NULL;
        xl_kcache_opts_init(&o);
        o.dir = argv[3];
        if (argc == 5)
            o.max_output = strtoull(argv[4], NULL, 0);
        rc = xl_kcache_get(argv[2], &o, &path, &why);
        if (rc) {
            fprintf(stderr, "kcache_tool: %s\n", strerror(rc));
            return 1;
        }
        printf("%s\n", path);
        fprintf(stderr, "%s\n", why ? why : "");
        free(path);
        free(why);
        return 0;
    }
    if (!strcmp(argv[1], "getd") && argc == 4) {
        /* The fast path of xl create: a hit whose hashes run in a thread,
         * finished as create does before unpausing (exit 4 if it fails). */
        struct xl_kcache_opts o;
        struct xl_kcache_check *c = NULL;
        char *path = NULL, *why = NULL;
        xl_kcache_opts_init(&o);
        o.dir = argv[3];
        rc = xl_kcache_get_deferred(argv[2], &o, &path, &why, &c);
        if (rc) {
            fprintf(stderr, "kcache_tool: %s\n", strerror(rc));
            return 1;
        }
        printf("%s\n", path);
        fprintf(stderr, "%s\n", why ? why : "");
        free(path);
        free(why);
        why = NULL;
        fprintf(stderr, "deferred: %s\n", c ? "yes" : "no");
        rc = xl_kcache_check_finish(c, &why);
        fprintf(stderr, "check: %s%s%s\n", rc ? strerror(rc) : "ok",
                why ? ": " : "", why ? why : "");
        free(why);
        return rc ? 4 : 0;
    }
    if (slurp(argv[2], &buf, &len))
        return 1;
    if (!strcmp(argv[1], "sha256") && argc == 3) {
        uint8_t d[32];
        int i;
        xl_kcache_sha256(buf, len, d);
        for (i = 0; i < 32; i++)
            printf("%02x", d[i]);
        printf("\n");
        rc = 0;
    } else if (!strcmp(argv[1], "probe") && argc == 3) {
        enum xl_kcache_fmt f;
        bool bz;
        size_t off, plen;
        xl_kcache_probe(buf, len, &f, &bz, &off, &plen);
        printf("%s%s\n", bz ? "bzImage " : "", xl_kcache_fmt_name(f));
        rc = 0;
    } else if (!strcmp(argv[1], "payload") && argc == 4) {
        enum xl_kcache_fmt f;
        bool bz;
        size_t off, plen;
        xl_kcache_probe(buf, len, &f, &bz, &off, &plen);
        if (!bz || plen < 4)
            fprintf(stderr, "%s: not a bzImage\n", argv[2]);
        else
            rc = spit(argv[3], buf + off, plen - 4);
    } else if (!strcmp(argv[1], "unpack") && argc == 4) {
        void *out = NULL;
        size_t olen = 0;
        char *why = NULL;
        int r =
            xl_kcache_unpack(buf, len, XL_KCACHE_MAX_OUTPUT, &out, &olen, &why);
        if (r == 0) {
            rc = spit(argv[3], out, olen);
        } else {
            fprintf(stderr, "%s: %s\n", argv[2], why ? why : strerror(r));
            rc = r == ENOTSUP ? 3 : 1;
        }
        free(out);
        free(why);
    } else {
        rc = usage();
    }
    free(buf);
    return rc;
}
