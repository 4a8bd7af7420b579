/* test_kcache.c: unit tests of the kernel cache (xl/kunpack.c, khash.c,
 * kstore.c, klookup.c). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "khash.h"
#include "klookup.h"
#include "kunpack.h"

/* ------------------------------------------------------------ fixtures */

/* An x86-64 ELF with one PT_LOAD and section headers at the end. */
static uint8_t *make_elf(size_t size, uint32_t seed)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    Elf64_Shdr sh[2];
    uint8_t *buf = calloc(1, size);
    size_t shoff = size - sizeof(sh), i;
    uint32_t x = seed * 2654435761u + 1;

    assert_non_null(buf);
    memset(&eh, 0, sizeof(eh));
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_phoff = sizeof(eh);
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(ph);
    eh.e_phnum = 1;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 2;
    memset(&ph, 0, sizeof(ph));
    ph.p_type = PT_LOAD;
    ph.p_offset = 0x1000;
    ph.p_filesz = shoff - 0x1000;
    ph.p_memsz = ph.p_filesz;
    memset(sh, 0, sizeof(sh));
    memcpy(buf, &eh, sizeof(eh));
    memcpy(buf + sizeof(eh), &ph, sizeof(ph));
    for (i = 0x1000; i < shoff; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (i & 3) ? (uint8_t)i : (uint8_t)x;
    }
    memcpy(buf + shoff, sh, sizeof(sh));
    return buf;
}

static uint8_t *gzip_of(const uint8_t *in, size_t len, size_t *olen_r)
{
    z_stream zs;
    size_t cap = compressBound((uLong)len) + 64;
    uint8_t *out = malloc(cap);

    assert_non_null(out);
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(
        deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *olen_r = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Wrap a payload as a bzImage (one setup sector, protocol 2.15) with the
 * unpacked-size trailer Linux appends. */
static uint8_t *bzimage_of(const uint8_t *p, size_t plen, uint32_t usize,
                           size_t *len_r)
{
    size_t off = 1024 + 0x40, total = off + plen + 4 + 16;
    uint8_t *img = calloc(1, total);

    assert_non_null(img);
    img[0x1f1] = 1;
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = 0x0f;
    img[0x207] = 0x02;
    put32(img + 0x248, 0x40);
    put32(img + 0x24c, (uint32_t)plen + 4);
    memcpy(img + off, p, plen);
    put32(img + off + plen, usize);
    *len_r = total;
    return img;
}

static void write_file(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static uint8_t *read_file(const char *path, size_t *len_r)
{
    struct stat st;
    uint8_t *buf;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    assert_int_equal(fstat(fileno(f), &st), 0);
    buf = malloc((size_t)st.st_size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), st.st_size);
    fclose(f);
    *len_r = (size_t)st.st_size;
    return buf;
}

struct env {
    char root[64];
    char cache[96];
    struct xl_kcache_opts o;
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));

    if (!e)
        return -1;
    strcpy(e->root, "/tmp/kcache-unit.XXXXXX");
    if (!mkdtemp(e->root))
        return -1;
    snprintf(e->cache, sizeof(e->cache), "%s/cache", e->root);
    xl_kcache_opts_init(&e->o);
    e->o.dir = e->cache;
    *state = e;
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    return remove(p);
}

static int teardown(void **state)
{
    struct env *e = *state;

    nftw(e->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(e);
    return 0;
}

/* Write a gzip'd ELF of `size` bytes to root/name; returns the ELF. */
static uint8_t *make_kernel(const struct env *e, const char *name, size_t size,
                            uint32_t seed, char **path_r)
{
    uint8_t *elf = make_elf(size, seed), *gz, *bz;
    size_t gzlen, bzlen;

    gz = gzip_of(elf, size, &gzlen);
    bz = bzimage_of(gz, gzlen, (uint32_t)size, &bzlen);
    assert_true(asprintf(path_r, "%s/%s", e->root, name) > 0);
    write_file(*path_r, bz, bzlen);
    free(gz);
    free(bz);
    return elf;
}

static void assert_contains(const char *s, const char *needle)
{
    if (!s || !strstr(s, needle))
        fail_msg("\"%s\" does not contain \"%s\"", s ? s : "(null)", needle);
}

static void assert_file_is(const char *path, const uint8_t *want, size_t len)
{
    size_t got_len;
    uint8_t *got = read_file(path, &got_len);

    assert_int_equal(got_len, len);
    assert_memory_equal(got, want, len);
    free(got);
}

/* xl_kcache_get with its note kept in `why` (the previous one freed). */
static char *note;

static char *get(const struct xl_kcache_opts *o, const char *kernel)
{
    char *p = NULL;

    free(note);
    note = NULL;
    assert_int_equal(xl_kcache_get(kernel, o, &p, &note), 0);
    assert_non_null(p);
    return p;
}

/* --------------------------------------------------------------- tests */

static void hex(const uint8_t d[32], char out[65])
{
    int i;

    for (i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha256_vectors(void **state)
{
    static const char *msgs[] = {
        "", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
    static const char *want[] = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
    uint8_t d[32];
    char h[65];
    char *million = malloc(1000000);
    size_t i;

    for (i = 0; i < 3; i++) {
        xl_kcache_sha256(msgs[i], strlen(msgs[i]), d);
        hex(d, h);
        assert_string_equal(h, want[i]);
    }
    assert_non_null(million);
    memset(million, 'a', 1000000);
    xl_kcache_sha256(million, 1000000, d);
    hex(d, h);
    assert_string_equal(
        h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* Streaming in uneven pieces gives the one-shot digest. */
static void test_sha256_streaming(void **state)
{
    static const size_t pieces[] = {0, 1, 63, 64, 65, 127, 1000, 4096, 7};
    size_t len = 200000, off = 0, i = 0;
    uint8_t *buf = malloc(len), d1[32], d2[32];
    struct xl_kcache_sha256_ctx c;

    (void)state;
    assert_non_null(buf);
    for (off = 0; off < len; off++)
        buf[off] = (uint8_t)(off * 31 + (off >> 9));
    xl_kcache_sha256(buf, len, d1);
    xl_kcache_sha256_init(&c);
    for (off = 0; off < len; i++) {
        size_t n = pieces[i % 9];
        if (n > len - off)
            n = len - off;
        xl_kcache_sha256_update(&c, buf + off, n);
        off += n;
    }
    xl_kcache_sha256_final(&c, d2);
    assert_memory_equal(d1, d2, 32);
    free(buf);
}

static void test_elf_check(void **state)
{
    uint8_t *elf = make_elf(16384, 1);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(elf + sizeof(*eh));
    char *why = NULL;

    assert_int_equal(xl_kcache_elf_check(elf, 16384, &why), 0);
    /* truncated: the section headers at the end no longer fit */
    assert_int_equal(xl_kcache_elf_check(elf, 16383, &why), EINVAL);
    assert_contains(why, "truncated");
    assert_int_equal(xl_kcache_elf_check(elf, 40, &why), EINVAL);
    ph->p_filesz = ph->p_memsz + 1;
    assert_int_equal(xl_kcache_elf_check(elf, 16384, &why), EINVAL);
    assert_contains(why, "filesz");
    ph->p_filesz = ph->p_memsz;
    ph->p_offset = UINT64_MAX - 10; /* overflow must not wrap */
    assert_int_equal(xl_kcache_elf_check(elf, 16384, &why), EINVAL);
    ph->p_offset = 0x1000;
    eh->e_phnum = 0;
    assert_int_equal(xl_kcache_elf_check(elf, 16384, &why), EINVAL);
    eh->e_phnum = 1;
    elf[0] = 0;
    assert_int_equal(xl_kcache_elf_check(elf, 16384, &why), EINVAL);
    assert_contains(why, "magic");
    free(why);
    free(elf);
}

static void test_unpack(void **state)
{
    size_t size = 200000, gzlen, bzlen, outlen;
    uint8_t *elf = make_elf(size, 2), *gz = gzip_of(elf, size, &gzlen), *bz;
    void *out = NULL;
    char *why = NULL;

    bz = bzimage_of(gz, gzlen, (uint32_t)size, &bzlen);
    assert_int_equal(xl_kcache_unpack(bz, bzlen, 1 << 30, &out, &outlen, &why),
                     0);
    assert_int_equal(outlen, size);
    assert_memory_equal(out, elf, size);
    free(out);
    /* the same gzip as a compressed ELF file */
    assert_int_equal(xl_kcache_unpack(gz, gzlen, 1 << 30, &out, &outlen, &why),
                     0);
    assert_memory_equal(out, elf, size);
    free(out);
    /* over the output limit */
    assert_int_equal(xl_kcache_unpack(gz, gzlen, 4096, &out, &outlen, &why),
                     EFBIG);
    assert_null(out);
    assert_int_equal(xl_kcache_unpack(bz, bzlen, 4096, &out, &outlen, &why),
                     EFBIG);
    /* cut short, as a compressed ELF */
    assert_int_equal(
        xl_kcache_unpack(gz, gzlen / 2, 1 << 30, &out, &outlen, &why), EINVAL);
    assert_contains(why, "gzip data truncated");
    /* nothing to unpack */
    assert_int_equal(xl_kcache_unpack(elf, size, 1 << 30, &out, &outlen, &why),
                     ENOTSUP);
    assert_contains(why, "already");
    memset(elf, 'x', 4096);
    assert_int_equal(xl_kcache_unpack(elf, 4096, 1 << 30, &out, &outlen, &why),
                     ENOTSUP);
    free(why);
    free(bz);
    free(gz);
    free(elf);
}

static void test_miss_then_hit(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p1 = NULL, *p2 = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 300000, 3, &k);
    struct stat st;

    p1 = get(&e->o, k);
    assert_contains(note, "cache miss");
    assert_contains(note, "first use");
    assert_true(!strncmp(p1, e->cache, strlen(e->cache)));
    assert_file_is(p1, elf, 300000);
    assert_int_equal(stat(e->cache, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    p2 = get(&e->o, k);
    assert_contains(note, "cache hit");
    assert_contains(note, "unchanged");
    assert_string_equal(p1, p2);
    free(p1);
    free(p2);
    free(k);
    free(elf);
}

static void test_changed_kernel(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p1 = NULL, *p2 = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 300000, 4, &k), *elf2;

    p1 = get(&e->o, k);
    free(k);
    /* new content under the same name: a new key, never the old entry */
    elf2 = make_kernel(e, "vmlinuz", 300000, 5, &k);
    p2 = get(&e->o, k);
    assert_contains(note, "cache miss");
    assert_string_not_equal(p1, p2);
    assert_file_is(p2, elf2, 300000);
    free(p1);
    free(p2);
    free(k);
    free(elf);
    free(elf2);
}

/* xl_kcache_get_deferred, and the hash check it leaves running. */
static char *get_deferred(const struct xl_kcache_opts *o, const char *kernel,
                          struct xl_kcache_check **check_r)
{
    char *p = NULL;

    free(note);
    note = NULL;
    assert_int_equal(xl_kcache_get_deferred(kernel, o, &p, &note, check_r), 0);
    assert_non_null(p);
    return p;
}

static void test_deferred_hit(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p1, *p2, *why = NULL;
    /* incompressible, so the kernel file spans several 1 MiB reads */
    uint8_t *elf = make_kernel(e, "vmlinuz", 2600000, 11, &k);
    struct xl_kcache_check *c = NULL;

    /* unknown kernel: the ordinary path, hashing first */
    p1 = get_deferred(&e->o, k, &c);
    assert_null(c);
    assert_contains(note, "cache miss");
    assert_file_is(p1, elf, 2600000);
    /* known and unchanged: the entry at once, the hash beside */
    p2 = get_deferred(&e->o, k, &c);
    assert_non_null(c);
    assert_string_equal(p1, p2);
    assert_contains(note, "checked while");
    assert_int_equal(xl_kcache_check_finish(c, &why), 0);
    assert_null(why);
    assert_int_equal(xl_kcache_check_finish(NULL, &why), 0);
    free(p1);
    free(p2);
    free(k);
    free(elf);
}

static void test_deferred_stale(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p1, *p2, *why = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 300000, 12, &k), byte;
    struct xl_kcache_check *c = NULL;
    struct timespec ts[2];
    struct stat st;
    int fd;

    p1 = get(&e->o, k);
    /* Same inode, size and mtime, other content: only the hash tells. */
    assert_int_equal(stat(k, &st), 0);
    fd = open(k, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &byte, 1, st.st_size - 100), 1);
    byte ^= 0x5a;
    assert_int_equal(pwrite(fd, &byte, 1, st.st_size - 100), 1);
    close(fd);
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
    assert_int_equal(utimensat(AT_FDCWD, k, ts, 0), 0);
    p2 = get_deferred(&e->o, k, &c);
    assert_non_null(c);
    assert_string_equal(p1, p2);
    assert_int_equal(xl_kcache_check_finish(c, &why), ESTALE);
    assert_contains(why, "changed on disk");
    free(why);
    free(p2);
    /* The index forgot the file: the next lookup hashes first, and the
     * damaged gzip payload is not cached (the original goes to libxl). */
    p2 = get_deferred(&e->o, k, &c);
    assert_null(c);
    assert_string_equal(p2, k);
    assert_contains(note, "not cached");
    free(p1);
    free(p2);
    free(k);
    free(elf);
}

static void test_corrupt_entry(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 300000, 6, &k);

    p = get(&e->o, k);
    /* truncated entry: detected, discarded, rebuilt */
    assert_int_equal(truncate(p, 150000), 0);
    free(p);
    p = get(&e->o, k);
    assert_contains(note, "cache miss");
    assert_contains(note, "rebuilt");
    assert_file_is(p, elf, 300000);
    /* garbage in the header */
    write_file(p, "garbage", 7);
    free(p);
    p = get(&e->o, k);
    assert_contains(note, "rebuilt");
    assert_file_is(p, elf, 300000);
    free(p);
    free(k);
    free(elf);
}

static void age(const char *path, time_t secs_ago)
{
    struct timespec ts[2];

    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= secs_ago;
    ts[1] = ts[0];
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_eviction(void **state)
{
    struct env *e = *state;
    char *k[3] = {NULL}, *p[3] = {NULL}, *again = NULL;
    uint8_t *elf[3];
    struct xl_kcache_entry *ents = NULL;
    size_t n = 0, i;

    e->o.max_bytes = 700000; /* room for two 300 kB entries */
    e->o.grace_seconds = 0;
    for (i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "vmlinuz%zu", i);
        elf[i] = make_kernel(e, name, 300000, 10 + (uint32_t)i, &k[i]);
    }
    p[0] = get(&e->o, k[0]);
    age(p[0], 300);
    p[1] = get(&e->o, k[1]);
    age(p[1], 200);
    p[2] = get(&e->o, k[2]);
    /* the least recently used (k0) went */
    assert_int_equal(access(p[0], F_OK), -1);
    assert_int_equal(access(p[1], F_OK), 0);
    assert_int_equal(access(p[2], F_OK), 0);
    assert_int_equal(xl_kcache_list(&e->o, &ents, &n), 0);
    assert_int_equal(n, 2);
    assert_true(!strncmp(p[2] + strlen(e->cache) + 1, ents[0].key, 64));
    assert_string_equal(ents[0].source, k[2]);
    xl_kcache_entries_free(ents, n);
    /* a hit refreshes k1; k0 comes back and k2 (now oldest) goes */
    again = get(&e->o, k[1]);
    assert_contains(note, "cache hit");
    free(again);
    age(p[2], 100);
    again = get(&e->o, k[0]);
    assert_contains(note, "cache miss");
    assert_int_equal(access(p[2], F_OK), -1);
    assert_int_equal(access(p[1], F_OK), 0);
    /* within the grace period nothing is evicted, even over the cap */
    e->o.grace_seconds = 3600;
    e->o.max_bytes = 1;
    assert_int_equal(xl_kcache_evict(&e->o, NULL), 0);
    assert_int_equal(access(p[1], F_OK), 0);
    free(again);
    for (i = 0; i < 3; i++) {
        free(k[i]);
        free(p[i]);
        free(elf[i]);
    }
}

static void test_fallbacks(void **state)
{
    struct env *e = *state;
    char *k = NULL, *p = NULL, *plain = NULL, *fileasdir = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 100000, 7, &k);

    /* off in xl.conf */
    e->o.enabled = false;
    p = get(&e->o, k);
    assert_string_equal(p, k);
    assert_contains(note, "off");
    free(p);
    e->o.enabled = true;
    /* a plain ELF is handed over as it is */
    assert_true(asprintf(&plain, "%s/vmlinux", e->root) > 0);
    write_file(plain, elf, 100000);
    p = get(&e->o, plain);
    assert_string_equal(p, plain);
    assert_contains(note, "already an uncompressed ELF");
    free(p);
    /* a missing kernel: libxl will say so */
    p = get(&e->o, "/nonexistent/vmlinuz");
    assert_string_equal(p, "/nonexistent/vmlinuz");
    assert_contains(note, "cannot open");
    free(p);
    /* a cache dir owned by someone else is not used */
    assert_int_equal(mkdir(e->cache, 0700), 0);
    if (geteuid() == 0) {
        assert_int_equal(chown(e->cache, 12345, 12345), 0);
        p = get(&e->o, k);
        assert_string_equal(p, k);
        assert_contains(note, "owned by uid 12345, neither root");
        free(p);
        assert_int_equal(chown(e->cache, 0, 0), 0);
    }
    /* nor one that is group-writable */
    assert_int_equal(chmod(e->cache, 0770), 0);
    p = get(&e->o, k);
    assert_string_equal(p, k);
    free(p);
    /* nor one that cannot be created (a file on the way) */
    assert_true(asprintf(&fileasdir, "%s/vmlinux/cache", e->root) > 0);
    e->o.dir = fileasdir;
    p = get(&e->o, k);
    assert_string_equal(p, k);
    assert_contains(note, "vmlinux is not a directory");
    free(p);
    e->o.dir = e->cache;
    free(note);
    note = NULL;
    assert_int_equal(xl_kcache_get(NULL, &e->o, &p, &note), EINVAL);
    free(fileasdir);
    free(plain);
    free(k);
    free(elf);
}

/* Four creates at once: one unpacks, the others wait and hit. */
static void test_concurrent(void **state)
{
    struct env *e = *state;
    char *k = NULL;
    uint8_t *elf = make_kernel(e, "vmlinuz", 4000000, 8, &k);
    int fds[2], i, misses = 0, hits = 0, status;
    char c;

    assert_int_equal(pipe(fds), 0);
    for (i = 0; i < 4; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            char *p = NULL, *why = NULL;
            char r = 'E';
            if (!xl_kcache_get(k, &e->o, &p, &why) && why)
                r = strstr(why, "cache miss")  ? 'M'
                    : strstr(why, "cache hit") ? 'H'
                                               : 'E';
            if (write(fds[1], &r, 1) != 1)
                _exit(1);
            _exit(0);
        }
    }
    close(fds[1]);
    while (read(fds[0], &c, 1) == 1) {
        misses += c == 'M';
        hits += c == 'H';
    }
    close(fds[0]);
    while (wait(&status) > 0)
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(misses, 1);
    assert_int_equal(hits, 3);
    free(k);
    free(elf);
}

static void test_list_clear(void **state)
{
    struct env *e = *state;
    char *k1 = NULL, *k2 = NULL, *p = NULL, *idx = NULL;
    uint8_t *a = make_kernel(e, "a", 100000, 20, &k1);
    uint8_t *b = make_kernel(e, "b", 100000, 21, &k2);
    struct xl_kcache_entry *ents = NULL;
    size_t n = 0, removed = 0;

    assert_int_equal(xl_kcache_list(&e->o, &ents, &n), 0); /* no dir yet */
    assert_int_equal(n, 0);
    p = get(&e->o, k1);
    free(p);
    p = get(&e->o, k2);
    free(p);
    assert_int_equal(xl_kcache_list(&e->o, &ents, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ents[0].size, 100000);
    assert_non_null(ents[0].source);
    xl_kcache_entries_free(ents, n);
    assert_int_equal(xl_kcache_clear(&e->o, &removed, NULL), 0);
    assert_int_equal(removed, 2);
    assert_int_equal(xl_kcache_list(&e->o, &ents, &n), 0);
    assert_int_equal(n, 0);
    assert_true(asprintf(&idx, "%s/index", e->cache) > 0);
    assert_int_equal(access(idx, F_OK), -1);
    free(idx);
    free(k1);
    free(k2);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_streaming),
        cmocka_unit_test(test_elf_check),
        cmocka_unit_test(test_unpack),
        cmocka_unit_test_setup_teardown(test_miss_then_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallbacks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_clear, setup, teardown),
    };

    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    free(note);
    return rc;
}
