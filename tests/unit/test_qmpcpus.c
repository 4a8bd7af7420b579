/* test_qmpcpus.c: unit tests of the QMP vCPU conversation (xl/qmpcpus.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qmpcpus.h"

#define GREETING                                                               \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 19, \"minor\": 2, "        \
    "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}, "                   \
    "\"capabilities\": [\"oob\"]}}\r\n"
#define CAPS_OK "{\"return\": {}, \"id\": 1}\r\n"
#define CPUS_2                                                                 \
    "{\"return\": [{\"thread-id\": 2961, \"props\": {\"core-id\": 0}, "        \
    "\"qom-path\": \"/machine/unattached/device[0]\", \"cpu-index\": 0, "      \
    "\"target\": \"x86_64\"}, {\"cpu-index\": 3, \"thread-id\": 2962}], "      \
    "\"id\": 2}\r\n"

struct seen {
    long long idx[8];
    int n;
};

static void on_cpu(void *arg, long long index)
{
    struct seen *s = arg;

    if (s->n < 8)
        s->idx[s->n] = index;
    s->n++;
}

/* Feeds text in pieces of `step` bytes; returns the last status. */
static enum xl_qmpc_status feed(struct xl_qmpc *c, const char *text,
                                size_t step)
{
    enum xl_qmpc_status st = XL_QMPC_MORE;
    size_t len = strlen(text);

    for (size_t off = 0; off < len; off += step)
        st = xl_qmpc_feed(c, text + off, len - off < step ? len - off : step);
    return st;
}

static void expect_tx(struct xl_qmpc *c, const char *cmd, int id)
{
    char want[64];

    snprintf(want, sizeof(want), "{\"execute\":\"%s\",\"id\":%d}\r\n", cmd, id);
    assert_int_equal(c->tx_len, strlen(want));
    assert_memory_equal(c->tx, want, c->tx_len);
    c->tx_off = c->tx_len; /* as if sent */
}

static void conversation(size_t step)
{
    struct xl_qmpc c;
    struct seen s = {0};

    xl_qmpc_init(&c, on_cpu, &s);
    assert_int_equal(c.tx_len, 0); /* nothing is sent before the greeting */
    assert_int_equal(feed(&c, GREETING, step), XL_QMPC_MORE);
    expect_tx(&c, "qmp_capabilities", 1);
    assert_int_equal(feed(&c, CAPS_OK, step), XL_QMPC_MORE);
    expect_tx(&c, "query-cpus-fast", 2);
    assert_int_equal(s.n, 0);
    assert_int_equal(feed(&c, CPUS_2, step), XL_QMPC_DONE);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.idx[0], 0);
    assert_int_equal(s.idx[1], 3);
    /* input after the end changes nothing */
    assert_int_equal(feed(&c, CPUS_2, step), XL_QMPC_DONE);
    assert_int_equal(s.n, 2);
    xl_qmpc_dispose(&c);
}

static void test_whole_messages(void **state)
{
    (void)state;
    conversation(4096);
}

static void test_byte_by_byte(void **state)
{
    (void)state;
    conversation(1);
}

static void test_odd_pieces(void **state)
{
    (void)state;
    conversation(7);
}

/* Events may come at any point and are not answers. */
static void test_events_ignored(void **state)
{
    struct xl_qmpc c;
    struct seen s = {0};
    const char *ev = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
                     "\"event\": \"RESUME\"}\r\n";

    (void)state;
    xl_qmpc_init(&c, on_cpu, &s);
    assert_int_equal(feed(&c, ev, 4096), XL_QMPC_MORE);
    assert_int_equal(c.tx_len, 0);
    assert_int_equal(feed(&c, GREETING, 4096), XL_QMPC_MORE);
    expect_tx(&c, "qmp_capabilities", 1);
    assert_int_equal(feed(&c, ev, 4096), XL_QMPC_MORE);
    assert_int_equal(feed(&c, CAPS_OK, 4096), XL_QMPC_MORE);
    expect_tx(&c, "query-cpus-fast", 2);
    /* an event and the answer in the same read */
    {
        char both[1024];

        snprintf(both, sizeof(both), "%s%s", ev, CPUS_2);
        assert_int_equal(feed(&c, both, 4096), XL_QMPC_DONE);
    }
    assert_int_equal(s.n, 2);
    xl_qmpc_dispose(&c);
}

/* Everything QEMU could say that is not the answer fails the talk. */
static void expect_failure(const char *after_caps, const char *before_caps)
{
    struct xl_qmpc c;
    struct seen s = {0};

    xl_qmpc_init(&c, on_cpu, &s);
    if (before_caps) {
        assert_int_equal(feed(&c, before_caps, 4096), XL_QMPC_FAILED);
    } else {
        assert_int_equal(feed(&c, GREETING CAPS_OK, 4096), XL_QMPC_MORE);
        assert_int_equal(feed(&c, after_caps, 4096), XL_QMPC_FAILED);
    }
    assert_int_equal(s.n, 0); /* no half answer is reported */
    assert_int_equal(feed(&c, CPUS_2, 4096), XL_QMPC_FAILED);
    xl_qmpc_dispose(&c);
}

static void test_failures(void **state)
{
    (void)state;
    expect_failure(NULL, "{\"return\": {}, \"id\": 1}\r\n"); /* no greeting */
    expect_failure(NULL, "not json\r\n");
    expect_failure(NULL, "[1, 2]\r\n");
    expect_failure(NULL, GREETING "{\"error\": {\"class\": \"GenericError\", "
                                  "\"desc\": \"no\"}, \"id\": 1}\r\n");
    expect_failure("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                   "\"x\"}, \"id\": 2}\r\n",
                   NULL);
    expect_failure("{\"return\": [], \"id\": 3}\r\n", NULL); /* wrong id */
    expect_failure("{\"return\": [], \"id\": \"2\"}\r\n", NULL);
    expect_failure("{\"return\": {}, \"id\": 2}\r\n", NULL); /* not a list */
    expect_failure("{\"return\": [{\"cpu-index\": 0}, {\"thread-id\": 1}], "
                   "\"id\": 2}\r\n",
                   NULL); /* one without an index */
    expect_failure("{\"return\": [{\"cpu-index\": 1.5}], \"id\": 2}\r\n", NULL);
}

static void test_nul_and_size(void **state)
{
    struct xl_qmpc c;
    struct seen s = {0};
    char *big;

    (void)state;
    xl_qmpc_init(&c, on_cpu, &s);
    assert_int_equal(xl_qmpc_feed(&c, "{\"QMP\"\0: {}}\r\n", 15),
                     XL_QMPC_FAILED);
    xl_qmpc_dispose(&c);

    /* a message that never ends is refused past the limit */
    big = malloc(XL_QMPC_MAX_MSG / 4);
    assert_non_null(big);
    memset(big, ' ', XL_QMPC_MAX_MSG / 4);
    xl_qmpc_init(&c, on_cpu, &s);
    for (int i = 0; i < 4; i++)
        assert_int_equal(xl_qmpc_feed(&c, big, XL_QMPC_MAX_MSG / 4),
                         XL_QMPC_MORE);
    assert_int_equal(xl_qmpc_feed(&c, " ", 1), XL_QMPC_FAILED);
    xl_qmpc_dispose(&c);
    free(big);
}

/* An empty list is an answer: QEMU has no vCPU to report. */
static void test_empty_answer(void **state)
{
    struct xl_qmpc c;
    struct seen s = {0};

    (void)state;
    xl_qmpc_init(&c, on_cpu, &s);
    assert_int_equal(
        feed(&c, GREETING CAPS_OK "{\"return\": [], \"id\": 2}\r\n", 4096),
        XL_QMPC_DONE);
    assert_int_equal(s.n, 0);
    xl_qmpc_dispose(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_messages),
        cmocka_unit_test(test_byte_by_byte),
        cmocka_unit_test(test_odd_pieces),
        cmocka_unit_test(test_events_ignored),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_nul_and_size),
        cmocka_unit_test(test_empty_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
