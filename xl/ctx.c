/* ctx.c: the libxl context of this process (ctx.h). */
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "ctx.h"
#include "xl.h"

libxl_ctx *ctx;
xentoollog_logger_stdiostream *xl_logger;

int xl_ctx_init(void)
{
    xentoollog_level level = XTL_PROGRESS;
    unsigned flags = 0;
    int rc;

    if (ctx)
        return 0;
    /* Each -v shows one more level of libxl's messages. */
    for (int i = 0; i < xl_verbose && level > XTL_DEBUG; i++)
        level--;
    if (xl_timestamps)
        flags |= XTL_STDIOSTREAM_SHOW_DATE | XTL_STDIOSTREAM_SHOW_PID;
    if (xl_progress_cr)
        flags |= XTL_STDIOSTREAM_PROGRESS_USE_CR;
    xl_logger = xtl_createlogger_stdiostream(stderr, level, flags);
    if (!xl_logger) {
        xl_err("cannot init xl context: cannot create the logger");
        return 1;
    }
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                         xl_capture_logger((xentoollog_logger *)xl_logger));
    if (!rc)
        xl_ctx_children_mode(ctx);
    if (rc) {
        ctx = NULL;
        /* libxl's own log line says what failed; add the usual cause. */
        if (access("/dev/xen/privcmd", F_OK) && access("/proc/xen", F_OK))
            xl_err("cannot init xl context: no Xen interface here "
                   "(not running in dom0 of a Xen host?)");
        else if (geteuid() != 0)
            xl_err("cannot init xl context: permission denied "
                   "(xl needs root)");
        else
            xl_err("cannot init xl context (libxl error %d)", rc);
        xtl_logger_destroy((xentoollog_logger *)xl_logger);
        xl_logger = NULL;
        return 1;
    }
    return 0;
}

void xl_ctx_children_mode(libxl_ctx *c)
{
    /* libxl keeps the pointer: static storage. */
    static const libxl_childproc_hooks hooks = {
        .chldowner = libxl_sigchld_owner_libxl_always_selective_reap,
    };

    libxl_childproc_setmode(c, &hooks, NULL);
}

int xl_ctx_after_fork(void)
{
    libxl_postfork_child_noexec(ctx);
    ctx = NULL;
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                        xl_capture_logger((xentoollog_logger *)xl_logger))) {
        ctx = NULL;
        return 1;
    }
    xl_ctx_children_mode(ctx);
    return 0;
}

void xl_ctx_free(void)
{
    if (ctx)
        libxl_ctx_free(ctx);
    ctx = NULL;
    if (xl_logger)
        xtl_logger_destroy((xentoollog_logger *)xl_logger);
    xl_logger = NULL;
    xl_capture_logger(NULL);
    xl_capture_reset();
}
