/* Unit tests of the vcpu and mem commands' argument parsers (xl/cpuarg.c)
 * and of the cpumap printer they use (xl/cpumap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuarg.h"
#include "cpumap.h"
#include "xl.h"

static char last_err[512];

/* Linked ahead of xl's library, so the parsers' messages land here. */
void xl_err(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_err, sizeof(last_err), fmt, ap);
    va_end(ap);
}

/* A bitmap of nbits with the listed bits set (-1 ends the list). */
static libxl_bitmap make_map(unsigned nbits, ...)
{
    libxl_bitmap m;
    va_list ap;
    int bit;

    m.size = (nbits + 7) / 8;
    m.map = calloc(m.size, 1);
    assert_non_null(m.map);
    va_start(ap, nbits);
    while ((bit = va_arg(ap, int)) >= 0)
        m.map[bit / 8] |= (uint8_t)(1u << (bit % 8));
    va_end(ap);
    return m;
}

/* What xl_cpumap_print prints for `m` on a host of nr_cpus CPUs. */
static char *cpumap_text(libxl_bitmap m, unsigned nr_cpus)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    xl_cpumap_print(&m, nr_cpus, f);
    fclose(f);
    free(m.map);
    return buf;
}

static void expect_cpumap(libxl_bitmap m, unsigned nr_cpus, const char *want)
{
    char *got = cpumap_text(m, nr_cpus);

    assert_string_equal(got, want);
    free(got);
}

static void test_cpumap_format(void **state)
{
    expect_cpumap(make_map(4, -1), 4, "none");
    expect_cpumap(make_map(4, 0, 1, 2, 3, -1), 4, "all");
    /* Bits past the host's CPUs do not matter (the map is byte-sized). */
    expect_cpumap(make_map(8, 0, 1, 5, 7, -1), 2, "all");
    expect_cpumap(make_map(4, 0, -1), 4, "0");
    expect_cpumap(make_map(4, 3, -1), 4, "3");
    expect_cpumap(make_map(4, 1, 2, 3, -1), 4, "1-3");
    expect_cpumap(make_map(16, 0, 2, 3, 4, 9, 15, -1), 16, "0,2-4,9,15");
    expect_cpumap(make_map(16, 0, 1, 2, 14, 15, -1), 16, "0-2,14-15");
    /* A single CPU host. */
    expect_cpumap(make_map(1, 0, -1), 1, "all");
    /* list -n's node maps: a few nodes in a byte-sized map; no nodes. */
    expect_cpumap(make_map(8, 0, 1, -1), 4, "0-1");
    expect_cpumap(make_map(8, 0, -1), 0, "none");
}

static void test_vcpu_arg(void **state)
{
    assert_int_equal(xl_parse_vcpu_arg("all"), -1);
    assert_int_equal(xl_parse_vcpu_arg("0"), 0);
    assert_int_equal(xl_parse_vcpu_arg("17"), 17);
    assert_int_equal(xl_parse_vcpu_arg("3x"), -2);
    assert_int_equal(xl_parse_vcpu_arg("-1"), -2);
    assert_int_equal(xl_parse_vcpu_arg(""), -2);
    assert_int_equal(xl_parse_vcpu_arg("All"), -2);
    assert_int_equal(xl_parse_vcpu_arg("99999999999999999999"), -2);
}

static void expect_kb(const char *s, uint64_t want)
{
    uint64_t kb = 0;

    last_err[0] = '\0';
    assert_int_equal(xl_parse_mem_kb("mem-set", s, &kb), 0);
    assert_int_equal(kb, want);
}

static void test_mem_units(void **state)
{
    uint64_t kb = 7;

    /* A bare number is MiB, as the reference (not KiB, as its man page). */
    expect_kb("512", 512 * 1024);
    expect_kb("512m", 512 * 1024);
    expect_kb("512M", 512 * 1024);
    expect_kb("2g", 2 * 1024 * 1024);
    expect_kb("1t", 1024ULL * 1024 * 1024);
    expect_kb("2048k", 2048);
    expect_kb("1048576b", 1024);
    expect_kb("1000b", 0); /* below 1 KiB rounds down */

    last_err[0] = '\0';
    assert_int_equal(xl_parse_mem_kb("mem-set", "12q", &kb), 1);
    assert_int_equal(kb, 7);
    assert_non_null(strstr(last_err, "'12q'"));
    assert_int_equal(xl_parse_mem_kb("mem-max", "", &kb), 1);
    assert_int_equal(xl_parse_mem_kb("mem-max", "-5", &kb), 1);
    assert_int_equal(xl_parse_mem_kb("mem-max", "1 g", &kb), 1);
    assert_non_null(strstr(last_err, "mem-max"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpumap_format),
        cmocka_unit_test(test_vcpu_arg),
        cmocka_unit_test(test_mem_units),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
