/*
 * xl.h: what every xl command file shares: the global options, messages,
 * the option loop, domain lookup, xl.conf and diagnostics.
 *
 * Commands are `int main_<cmd>(int argc, char **argv)` (commands.h);
 * argv[0] is the command name. They return the process exit status: 0
 * ok, 1 failure, 2 usage error. Only xl/ may exit (out of memory,
 * impossible states); commands report one clear message on stderr and
 * return.
 */
#ifndef XL_XL_H
#define XL_XL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "fdio.h" /* xl_write_all */
#include "libxlcfg.h"
#include "xlconf.h"

/* Canonical name of the command being run (set by main before dispatch,
 * so a typed prefix still names the command in messages). */
extern const char *xl_cmdname;
/* Global options (set by main before dispatch). */
extern int xl_verbose;      /* -v, repeatable */
extern bool xl_dryrun;      /* -N */
extern bool xl_force;       /* -f */
extern bool xl_timestamps;  /* -T */
extern bool xl_progress_cr; /* -t */

/* Resolve a domain name or numeric id; on failure print
 * "xl: domain 'X' not found" (or similar) and return 1. */
int xl_find_domain(const char *name_or_id, uint32_t *domid_r);

/* Print "xl: <message>" to stderr, printf-style. */
void xl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The one printer of libxlcfg diagnostics: compiler style on stderr,
 * after flushing stdout (nothing if d is NULL or empty). */
void xl_print_diags(const xlcfg_diags *d);

/* Read XL_GLOBAL_CONFIG into *conf (initialised here; defaults if the
 * file is missing). Returns 0, or 1 with its diagnostics and "xl.conf
 * has errors" printed (conf then holds the defaults). */
int xl_conf_load(struct xl_conf *conf);

/* Standard option loop for commands: getopt_long() over argv with -h and
 * --help added (longopts may be NULL). Returns the next option character,
 * or -1 once options end with at least `min_args` operands left (optind
 * indexes the first). Returns XL_OPT_EXIT when the command must return
 * *rc_r at once: help was asked (printed on stdout, 0), or an unknown
 * option, missing option argument or missing operand (message and usage
 * on stderr, 2). Usage:
 *     while ((opt = xl_getopt(argc, argv, "fw", opts, 1, &rc)) != -1) {
 *         switch (opt) {
 *         case XL_OPT_EXIT: return rc;
 *         case 'f': ...
 *         }
 *     }
 */
#define XL_OPT_EXIT (-2)
int xl_getopt(int argc, char **argv, const char *optstring,
              const struct option *longopts, int min_args, int *rc_r);

#endif /* XL_XL_H */
