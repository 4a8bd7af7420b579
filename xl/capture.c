/* capture.c: the contexts' logger, keeping a hotplug script's words. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "xl.h" /* xl_verbose */

static struct {
    xentoollog_logger vtable;
    xentoollog_logger *inner;
    char *script_error; /* first since the last reset */
    int err;            /* errno of the first error line since then */
    bool holding;
    char *held; /* libxl's error lines held back, '\n'-terminated */
    size_t held_len;
} cap;

static void hold(const char *context, xentoollog_level level, const char *msg)
{
    char *line = NULL, *p;
    int n = asprintf(&line, "%s: %s: %s\n", context ? context : "libxl",
                     xtl_level_to_string(level), msg);

    if (n < 0)
        return; /* losing a log line is better than failing the command */
    p = realloc(cap.held, cap.held_len + (size_t)n + 1);
    if (p) {
        memcpy(p + cap.held_len, line, (size_t)n + 1);
        cap.held = p;
        cap.held_len += (size_t)n;
    }
    free(line);
}

static void capture_vmessage(xentoollog_logger *logger, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
    __attribute__((format(printf, 5, 0)));
static void capture_vmessage(xentoollog_logger *logger, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
{
    char *msg = NULL;
    const char *p;
    va_list copy;
    bool held = false;

    (void)logger;
    if (level >= XTL_ERROR && errnoval > 0 && !cap.err)
        cap.err = errnoval;
    if (level >= XTL_ERROR) {
        va_copy(copy, al);
        if (vasprintf(&msg, format, copy) < 0)
            msg = NULL;
        va_end(copy);
    }
    if (msg) {
        p = strstr(msg, "script: ");
        if (p && !cap.script_error)
            cap.script_error = strdup(p + strlen("script: "));
        if (cap.holding && xl_verbose == 0) {
            hold(context, level, msg);
            held = true;
        }
        free(msg);
    }
    if (!held && cap.inner)
        cap.inner->vmessage(cap.inner, level, errnoval, context, format, al);
}

static void capture_progress(xentoollog_logger *logger, const char *context,
                             const char *doing_what, int percent,
                             unsigned long done, unsigned long total)
{
    (void)logger;
    if (cap.inner)
        cap.inner->progress(cap.inner, context, doing_what, percent, done,
                            total);
}

static void capture_destroy(xentoollog_logger *logger)
{
    (void)logger; /* static storage; xl_ctx_free destroys the inner one */
}

xentoollog_logger *xl_capture_logger(xentoollog_logger *inner)
{
    cap.vtable.vmessage = capture_vmessage;
    cap.vtable.progress = capture_progress;
    cap.vtable.destroy = capture_destroy;
    cap.inner = inner;
    return &cap.vtable;
}

void xl_capture_reset(void)
{
    free(cap.script_error);
    free(cap.held);
    cap.script_error = cap.held = NULL;
    cap.held_len = 0;
    cap.holding = false;
    cap.err = 0;
}

const char *xl_capture_script_error(void)
{
    return cap.script_error;
}

int xl_capture_errno(void)
{
    return cap.err;
}

void xl_capture_hold(void)
{
    xl_capture_reset();
    cap.holding = true;
}

char *xl_capture_release(bool show_held)
{
    char *reason = cap.script_error;

    if (show_held && !reason && cap.held)
        fputs(cap.held, stderr);
    cap.script_error = NULL;
    xl_capture_reset();
    return reason;
}

void xl_device_failed(const char *what)
{
    char *reason = xl_capture_release(true);

    if (reason)
        xl_err("%s: %s: hotplug script failed: %s (details in "
               "/var/log/xen/xen-hotplug.log)",
               xl_cmdname, what, reason);
    else
        xl_err("%s: %s", xl_cmdname, what);
    free(reason);
}
