/* test_savefile.c: the xl save-file header (xl/savefile.c), byte for byte. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "savefile.h"

/* The reference's magic, spelt out byte by byte (not via the macro under
 * test): 27 letters, newline, space, NUL, space, CR. */
static const uint8_t want_magic[32] = {
    'X', 'e', 'n', ' ', 's', 'a',  'v', 'e',  'd', ' ', 'd',
    'o', 'm', 'a', 'i', 'n', ',',  ' ', 'x',  'l', ' ', 'f',
    'o', 'r', 'm', 'a', 't', '\n', ' ', '\0', ' ', '\r'};

static uint32_t at32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static void set32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void test_encode_layout(void **state)
{
    static const char json[] = "{\"c_info\": {}}";
    uint8_t *buf = NULL;
    size_t len = 0;
    uint8_t order[4];

    (void)state;
    assert_int_equal(xl_savefile_encode(json, sizeof(json), 1, &buf, &len), 0);
    assert_int_equal(len, 48 + 4 + sizeof(json));
    assert_memory_equal(buf, want_magic, 32);
    /* the byte order mark reads 0x01020304 in host order */
    set32(order, 0x01020304u);
    assert_memory_equal(buf + 32, order, 4);
    assert_int_equal(at32(buf + 36), 3); /* JSON | stream v2 */
    assert_int_equal(at32(buf + 40), 0);
    assert_int_equal(at32(buf + 44), 4 + sizeof(json));
    assert_int_equal(at32(buf + 48), sizeof(json));
    assert_memory_equal(buf + 52, json, sizeof(json)); /* NUL included */
    free(buf);
}

static void test_encode_no_config(void **state)
{
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(xl_savefile_encode(NULL, 0, 1, &buf, &len), 0);
    assert_int_equal(len, 52);
    assert_int_equal(at32(buf + 36), 2); /* no config: no JSON flag */
    assert_int_equal(at32(buf + 44), 4);
    assert_int_equal(at32(buf + 48), 0);
    free(buf);
}

static void test_round_trip(void **state)
{
    static const char text[] = "name = \"d\"\nmemory = 128\n";
    xl_savefile_header h;
    const uint8_t *config;
    const char *why = NULL;
    uint8_t *buf = NULL;
    size_t len = 0, clen = 0;

    (void)state;
    /* an xl.cfg text, not JSON: no JSON flag, no NUL needed */
    assert_int_equal(xl_savefile_encode(text, strlen(text), 0, &buf, &len), 0);
    assert_int_equal(xl_savefile_decode_header(buf, len, &h, &why), 0);
    assert_int_equal(h.mandatory_flags, XL_SAVEFILE_FLAG_STREAMV2);
    assert_int_equal(h.optional_data_len, 4 + strlen(text));
    assert_int_equal(
        xl_savefile_decode_optdata(&h, buf + 48, &config, &clen, &why), 0);
    assert_int_equal(clen, strlen(text));
    assert_memory_equal(config, text, clen);
    free(buf);
}

static void test_empty_config_decodes_to_none(void **state)
{
    xl_savefile_header h;
    const uint8_t *config = (const uint8_t *)"x";
    const char *why = NULL;
    uint8_t *buf = NULL;
    size_t len = 0, clen = 9;

    (void)state;
    assert_int_equal(xl_savefile_encode(NULL, 0, 1, &buf, &len), 0);
    assert_int_equal(xl_savefile_decode_header(buf, len, &h, &why), 0);
    assert_int_equal(
        xl_savefile_decode_optdata(&h, buf + 48, &config, &clen, &why), 0);
    assert_null(config);
    assert_int_equal(clen, 0);
    free(buf);
}

static uint8_t *good_header(void)
{
    uint8_t *buf = NULL;
    size_t len = 0;

    assert_int_equal(xl_savefile_encode("{}", 3, 1, &buf, &len), 0);
    return buf;
}

static void bad_header(const uint8_t *buf, size_t len, const char *word)
{
    xl_savefile_header h;
    const char *why = NULL;

    assert_int_equal(xl_savefile_decode_header(buf, len, &h, &why), EINVAL);
    assert_non_null(why);
    if (!strstr(why, word))
        fail_msg("reason '%s' lacks '%s'", why, word);
}

static void test_short(void **state)
{
    uint8_t *buf = good_header();

    (void)state;
    bad_header(buf, 0, "empty");
    bad_header(buf, 47, "too short");
    free(buf);
}

static void test_bad_magic(void **state)
{
    uint8_t *buf = good_header();

    (void)state;
    buf[4] = 'S'; /* "Xen Saved" */
    bad_header(buf, 55, "magic");
    free(buf);
    /* a libxl stream without xl's header (what `xl save` never writes) */
    buf = calloc(1, 64);
    assert_non_null(buf);
    memcpy(buf, "XenSavedDomain\n", 15);
    bad_header(buf, 64, "not an xl save file");
    free(buf);
}

static void test_byte_order(void **state)
{
    uint8_t *buf = good_header();

    (void)state;
    set32(buf + 32, 0x04030201u);
    bad_header(buf, 55, "other byte order");
    set32(buf + 32, 0);
    bad_header(buf, 55, "byte order");
    free(buf);
}

static void test_flags(void **state)
{
    xl_savefile_header h;
    const char *why = NULL;
    uint8_t *buf = good_header();

    (void)state;
    set32(buf + 40, 0x80000000u); /* unknown optional flag: ignored */
    assert_int_equal(xl_savefile_decode_header(buf, 55, &h, &why), 0);
    assert_int_equal(h.optional_flags, 0x80000000u);
    set32(buf + 36, 3 | (1u << 2)); /* unknown mandatory flag: refused */
    bad_header(buf, 55, "mandatory");
    free(buf);
}

static void test_huge_optdata(void **state)
{
    uint8_t *buf = good_header();

    (void)state;
    set32(buf + 44, 0xfffffff0u);
    bad_header(buf, 55, "large");
    free(buf);
}

static void test_truncated_optdata(void **state)
{
    xl_savefile_header h = {.mandatory_flags = 3};
    uint8_t opt[16] = {0};
    const uint8_t *config;
    const char *why = NULL;
    size_t clen;

    (void)state;
    h.optional_data_len = 2; /* not even the length word */
    assert_int_equal(xl_savefile_decode_optdata(&h, opt, &config, &clen, &why),
                     EINVAL);
    h.optional_data_len = 16;
    set32(opt, 13); /* 13 > 16 - 4 */
    assert_int_equal(xl_savefile_decode_optdata(&h, opt, &config, &clen, &why),
                     EINVAL);
    assert_non_null(strstr(why, "truncated"));
    set32(opt, 12); /* exactly fits */
    assert_int_equal(xl_savefile_decode_optdata(&h, opt, &config, &clen, &why),
                     0);
    assert_int_equal(clen, 12);
    assert_ptr_equal(config, opt + 4);
    set32(opt, 5); /* trailing optional data is skipped, not an error */
    assert_int_equal(xl_savefile_decode_optdata(&h, opt, &config, &clen, &why),
                     0);
    assert_int_equal(clen, 5);
}

static void test_migration_messages(void **state)
{
    (void)state;
    /* On the wire: the banner without its NUL, the others with it. */
    assert_int_equal(XL_MIGRATE_BANNER_LEN, 54);
    assert_int_equal(XL_MIGRATE_BANNER[XL_MIGRATE_BANNER_LEN - 1], '\n');
    assert_int_equal(sizeof(XL_MIGRATE_READY), 34);
    assert_int_equal(sizeof(XL_MIGRATE_GO), 44);
    assert_int_equal(sizeof(XL_MIGRATE_REPORT), 39);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_layout),
        cmocka_unit_test(test_encode_no_config),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_config_decodes_to_none),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_byte_order),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_huge_optdata),
        cmocka_unit_test(test_truncated_optdata),
        cmocka_unit_test(test_migration_messages),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
