/*
 * xl.h: what every xl command file shares: the command table, global
 * options, the libxl context and small helpers.
 *
 * Commands are `int main_<cmd>(int argc, char **argv)`; argv[0] is the
 * command name. They return the process exit status: 0 ok, 1 failure,
 * 2 usage error. Only xl/ may exit (out of memory, impossible states);
 * commands report one clear message on stderr and return.
 */
#ifndef XL_XL_H
#define XL_XL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#include "fdio.h" /* xl_write_all */
#include "libxlcfg.h"
#include "xlconf.h"

struct cmd_spec {
    const char *name;
    int (*fn)(int argc, char **argv);
    bool can_dryrun;     /* honours the global -N */
    bool modifies;       /* changes domain state */
    bool needs_ctx;      /* main() allocates the libxl context before calling */
    const char *summary; /* one line for `xl help` */
    const char *usage;   /* "[options] <Domain>" */
    const char *options; /* option lines, "\n"-separated, or NULL */
};

extern const struct cmd_spec xl_cmdtable[];
extern const unsigned xl_cmdtable_len;

/* Look up a command: an exact name wins, else the one command that `name`
 * is a prefix of. Returns NULL when nothing or several match; *nmatch_r
 * (may be NULL) gets the number of prefix matches (0: unknown, >1:
 * ambiguous). */
const struct cmd_spec *xl_cmd_find(const char *name, unsigned *nmatch_r);

/* The commands `prefix` could mean, ", "-separated in table order, into
 * buf (truncated to len); for the "ambiguous" message. */
void xl_cmd_candidates(const char *prefix, char *buf, size_t len);

/* `xl help [CMD]`: the command list, or one command's help, on stdout. */
int xl_help(const char *name);
int main_help(int argc, char **argv);

/* Canonical name of the command being run (set by main before dispatch,
 * so a typed prefix still names the command in messages). */
extern const char *xl_cmdname;
/* Set by main() for a needs_ctx command: xl_getopt() creates ctx. */
extern bool xl_ctx_wanted;

/* Global options (set by main before dispatch). */
extern int xl_verbose;      /* -v, repeatable */
extern bool xl_dryrun;      /* -N */
extern bool xl_force;       /* -f */
extern bool xl_timestamps;  /* -T */
extern bool xl_progress_cr; /* -t */

/* The libxl context and its logger; NULL until xl_ctx_init(). */
extern libxl_ctx *ctx;
extern xentoollog_logger_stdiostream *xl_logger;

/* Allocate ctx (and the logger) once; on failure print "cannot init xl
 * context" with the reason and return 1. For a command with needs_ctx,
 * main() does not call it up front: xl_getopt() does, once the options and
 * operand count are valid, so usage errors and -h work without Xen (exit
 * 2 / 0, not 1). Such commands must parse their options with xl_getopt(). */
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

/* Print the usage of command `name` (from the table) to stderr; returns 2. */
int xl_usage(const char *name);

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

/* --- command implementations (one file per family) --- */
/* xl/cmd_checkconfig.c */
int main_check_config(int argc, char **argv);
/* xl/cmd_list.c */
int main_list(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_vm_list(int argc, char **argv);
/* xl/cmd_info.c */
int main_info(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_dmesg(int argc, char **argv);
/* xl/cmd_domctl.c */
int main_destroy(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_rename(int argc, char **argv);
/* xl/cmd_config.c (editing config files) */
int main_boot_policy(int argc, char **argv);
int main_config_set(int argc, char **argv);
int main_config_unset(int argc, char **argv);
int main_config_update(int argc, char **argv);
/* xl/cmd_create.c, xl/cmd_console.c (lifecycle) */
int main_create(int argc, char **argv);
int main_console(int argc, char **argv);
/* xl/cmd_block.c, xl/cmd_network.c (devices) */
int main_block_attach(int argc, char **argv);
int main_block_list(int argc, char **argv);
int main_block_detach(int argc, char **argv);
int main_network_attach(int argc, char **argv);
int main_network_list(int argc, char **argv);
int main_network_detach(int argc, char **argv);
/* xl/cmd_vcpu.c, xl/cmd_mem.c, xl/cmd_sched.c (vcpu) */
int main_vcpu_list(int argc, char **argv);
int main_vcpu_pin(int argc, char **argv);
int main_vcpu_set(int argc, char **argv);
int main_mem_set(int argc, char **argv);
int main_mem_max(int argc, char **argv);
int main_sched_credit(int argc, char **argv);
int main_sched_credit2(int argc, char **argv);
int main_cpupool_list(int argc, char **argv);
/* xl/cmd_save.c */
int main_save(int argc, char **argv);
int main_restore(int argc, char **argv);
/* xl/cmd_migrate.c */
int main_migrate(int argc, char **argv);
int main_migrate_receive(int argc, char **argv);
/* xl/cmd_kcache.c */
int main_kernel_cache(int argc, char **argv);

#endif /* XL_XL_H */
