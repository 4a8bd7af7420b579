/*
 * cmdtable.h: the command table (cmdtable.c): one entry per command
 * drives dispatch, `xl help`, usage messages and completion.
 */
#ifndef XL_CMDTABLE_H
#define XL_CMDTABLE_H

#include <stdbool.h>
#include <stddef.h>

struct cmd_spec {
    const char *name;
    int (*fn)(int argc, char **argv);
    bool can_dryrun;     /* honours the global -N */
    bool modifies;       /* changes domain state */
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

/* Print the usage of command `name` (from the table) to stderr; returns 2. */
int xl_usage(const char *name);

#endif /* XL_CMDTABLE_H */
