/*
 * capture.h: the one logger every libxl context of xl logs through. It
 * passes libxl's messages on to xl's stdio logger and keeps what a
 * failed hotplug script said, with one rule everywhere: libxl logs a
 * failed script as an error line "...: script: WORDS" (WORDS is the
 * script's hotplug-error); the FIRST such line since the last reset is
 * the cause, later ones are the cleanup's consequences. A build (create,
 * restore, migrate-receive) resets at its start (xl_build_begin); a
 * device command holds libxl's error lines back while it works, so that
 * one clear message can replace them.
 */
#ifndef XL_CAPTURE_H
#define XL_CAPTURE_H

#include <stdbool.h>

#include <xentoollog.h>

/* The logger to hand libxl_ctx_alloc; messages go on to `inner`. */
xentoollog_logger *xl_capture_logger(xentoollog_logger *inner);

/* Forget the script error and anything held (frees them). */
void xl_capture_reset(void);

/* The first script error since the last reset, or NULL; borrowed until
 * the next reset. */
const char *xl_capture_script_error(void);

/* The errno libxl gave with its first error line since the last reset
 * (the system's or hypervisor's answer to the failed call), or 0. */
int xl_capture_errno(void);

/* Start holding libxl's error lines back (with -v they pass as usual);
 * resets first. */
void xl_capture_hold(void);

/* Stop holding: with `show_held`, print the held lines unless a script
 * said why (its words are the explanation then). Returns the script
 * error (malloc'd, NULL if none) and resets. */
char *xl_capture_release(bool show_held);

/* A device command failed: release and print one message, "xl: CMD:
 * WHAT: hotplug script failed: WORDS (details in ...)", or libxl's held
 * lines and "xl: CMD: WHAT". */
void xl_device_failed(const char *what);

#endif /* XL_CAPTURE_H */
