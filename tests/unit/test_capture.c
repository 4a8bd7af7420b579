/* test_capture.c: the contexts' logger keeps a hotplug script's own words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build.h"
#include "capture.h"
#include "xl.h"

/* The logger the capture passes everything on to: counts what arrives. */
static struct {
    xentoollog_logger vtable;
    int messages, progress;
    char last[256];
} inner;

/* Formats what it gets: proves the va_list arrives unconsumed. */
__attribute__((format(printf, 5, 0))) static void
inner_vmessage(xentoollog_logger *logger, xentoollog_level level, int errnoval,
               const char *context, const char *format, va_list al)
{
    (void)logger;
    (void)level;
    (void)errnoval;
    (void)context;
    inner.messages++;
    vsnprintf(inner.last, sizeof(inner.last), format, al);
}

static void inner_progress(xentoollog_logger *logger, const char *context,
                           const char *doing_what, int percent,
                           unsigned long done, unsigned long total)
{
    (void)logger;
    (void)context;
    (void)doing_what;
    (void)percent;
    (void)done;
    (void)total;
    inner.progress++;
}

static void inner_destroy(xentoollog_logger *logger)
{
    (void)logger;
}

static void say(xentoollog_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static xentoollog_logger *lg;

static void say(xentoollog_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    lg->vmessage(lg, level, -1, "libxl", fmt, ap);
    va_end(ap);
}

static int setup(void **state)
{
    (void)state;
    memset(&inner, 0, sizeof(inner));
    inner.vtable.vmessage = inner_vmessage;
    inner.vtable.progress = inner_progress;
    inner.vtable.destroy = inner_destroy;
    lg = xl_capture_logger(&inner.vtable);
    xl_capture_reset();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xl_capture_reset();
    xl_capture_logger(NULL);
    return 0;
}

/* stderr while fn runs, as a malloc'd string. */
static char *stderr_of(void (*fn)(void))
{
    FILE *f = tmpfile();
    int saved = dup(STDERR_FILENO);
    char *out = calloc(1, 1024);

    assert_non_null(f);
    assert_non_null(out);
    fflush(stderr);
    assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(f);
    assert_true(fread(out, 1, 1023, f) > 0);
    fclose(f);
    return out;
}

static void test_passes_everything_on(void **state)
{
    (void)state;
    say(XTL_DEBUG, "debug %d", 1);
    say(XTL_ERROR, "plain error %s", "x");
    lg->progress(lg, "libxl", "copying", 50, 1, 2);
    assert_int_equal(inner.messages, 2);
    assert_int_equal(inner.progress, 1);
    assert_string_equal(inner.last, "plain error x");
    assert_null(xl_capture_script_error());
}

static void test_keeps_script_words(void **state)
{
    (void)state;
    say(XTL_ERROR,
        "libxl_device.c:1200:device_hotplug_child_death_cb: script: %s",
        "bridge br0 does not exist");
    assert_string_equal(xl_capture_script_error(), "bridge br0 does not exist");
    assert_int_equal(inner.messages, 1);
    /* the first script error is the cause; later ones (the cleanup of the
     * failed device) are consequences */
    say(XTL_ERROR, "...: script: %s", "second");
    assert_string_equal(xl_capture_script_error(), "bridge br0 does not exist");
    /* until a new build or device command starts */
    xl_capture_reset();
    say(XTL_ERROR, "...: script: %s", "third");
    assert_string_equal(xl_capture_script_error(), "third");
}

static void test_ignores_below_error(void **state)
{
    (void)state;
    say(XTL_WARN, "hotplug script: %s", "only a warning");
    say(XTL_DEBUG, "running script: %s", "/etc/xen/scripts/vif-bridge");
    assert_null(xl_capture_script_error());
    assert_int_equal(inner.messages, 2);
}

static void fail_restore(void)
{
    xl_build_failed("restore", "v25", -3, "nothing of it was kept");
}

static void test_build_failed_with_words(void **state)
{
    char *out;

    (void)state;
    say(XTL_ERROR, "x: script: %s", "bridge br25 does not exist");
    out = stderr_of(fail_restore);
    assert_string_equal(out, "xl: cannot restore domain 'v25': hotplug script "
                             "failed: bridge br25 does not exist; nothing of "
                             "it was kept\n");
    free(out);
}

static void test_build_failed_without_words(void **state)
{
    char *out;

    (void)state;
    out = stderr_of(fail_restore);
    assert_string_equal(out, "xl: cannot restore domain 'v25' (libxl error -3, "
                             "see the messages above); nothing of it was "
                             "kept\n");
    free(out);
}

/* A device command: libxl's error lines are held back, and shown only
 * when no script said why. */
static void test_hold_and_release(void **state)
{
    char *reason;

    (void)state;
    xl_capture_hold();
    say(XTL_ERROR, "libxl_device.c: cannot add disk %s", "xvdb");
    say(XTL_INFO, "an info line %d", 1);
    assert_int_equal(inner.messages, 1); /* only the info line went on */
    reason = xl_capture_release(false);
    assert_null(reason);

    xl_capture_hold();
    say(XTL_ERROR, "x: script: %s", "target missing");
    say(XTL_ERROR, "x: script: %s", "cleanup failed");
    reason = xl_capture_release(true);
    assert_string_equal(reason, "target missing");
    free(reason);
    assert_null(xl_capture_script_error());
    say(XTL_ERROR, "after the release %d", 2);
    assert_int_equal(inner.messages, 2); /* passes again */
}

/* Logs one line at `level` with errno value `err`, as libxl's LOGE does. */
static void say_errno(xentoollog_level level, int err, const char *msg)
{
    xtl_log(lg, level, err, "libxl", "%s", msg);
}

/* The errno of the first error line since the reset is the cause: the
 * control commands report it as the hypervisor's answer. */
static void test_first_error_errno(void **state)
{
    (void)state;
    assert_int_equal(xl_capture_errno(), 0);
    say_errno(XTL_INFO, 5, "an info line keeps no errno");
    say_errno(XTL_ERROR, -1, "no errno with this error");
    assert_int_equal(xl_capture_errno(), 0);
    say_errno(XTL_ERROR, 2, "setting parameters");
    say_errno(XTL_ERROR, 22, "a consequence");
    assert_int_equal(xl_capture_errno(), 2);
    xl_capture_hold(); /* resets */
    assert_int_equal(xl_capture_errno(), 0);
    say_errno(XTL_CRITICAL, 38, "send trigger failed");
    assert_int_equal(xl_capture_errno(), 38);
    free(xl_capture_release(false));
    assert_int_equal(xl_capture_errno(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_passes_everything_on, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_keeps_script_words, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ignores_below_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_failed_with_words, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_failed_without_words, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hold_and_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_error_errno, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
