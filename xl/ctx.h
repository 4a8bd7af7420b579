/* ctx.h: the libxl context of this process and its logger. */
#ifndef XL_CTX_H
#define XL_CTX_H

#include <libxl.h>
#include <xentoollog.h>

/* The libxl context and its logger; NULL until xl_ctx_init(). */
extern libxl_ctx *ctx;
extern xentoollog_logger_stdiostream *xl_logger;

/* The one way to get the context: each command calls this where it first
 * needs libxl, once its options and operands are known to be valid (so
 * usage errors and -h work without Xen: exit 2 / 0, not 1). Allocates
 * ctx (and the logger, through capture.h's) once; later calls return 0
 * at once. On failure prints "cannot init xl context" with the reason
 * and returns 1. xl_ctx_free() is main()'s, at exit. */
int xl_ctx_init(void);
void xl_ctx_free(void);

/* In a forked child that goes on with libxl (the domain's monitor):
 * forget the parent's ctx and make a new one with the same logger.
 * Returns 0, or 1 with ctx NULL. */
int xl_ctx_after_fork(void);

/* Tell a fresh libxl context how children are reaped: libxl reaps only
 * its own (bootloader, hotplug scripts, device model), xl reaps its own
 * (the console client) with waitpid. Without this, libxl's default
 * reaps every child of the process while it has one of its own, e.g.
 * the console client of `create -c` during a pygrub run. */
void xl_ctx_children_mode(libxl_ctx *c);

#endif /* XL_CTX_H */
