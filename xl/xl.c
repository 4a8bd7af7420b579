/* xl.c: main(): global options, command lookup and dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdtable.h"
#include "ctx.h"
#include "xl.h"

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const struct cmd_spec *cmd;
    unsigned nmatch;
    int opt, rc;

    opterr = 0;
    /* '+': global options end at the command name. */
    while ((opt = getopt_long(argc, argv, "+vNfTth", opts, NULL)) != -1) {
        switch (opt) {
        case 'v':
            xl_verbose++;
            break;
        case 'N':
            xl_dryrun = true;
            break;
        case 'f':
            xl_force = true;
            break;
        case 'T':
            xl_timestamps = true;
            break;
        case 't':
            xl_progress_cr = true;
            break;
        case 'h':
            return xl_help(NULL);
        case 'V':
            printf("xl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 0;
        default:
            if (optopt)
                xl_err("unknown global option '-%c'", optopt);
            else
                xl_err("unknown global option '%s'", argv[optind - 1]);
            return xl_usage(NULL);
        }
    }
    if (optind >= argc) {
        xl_err("no command given");
        return xl_usage(NULL);
    }

    cmd = xl_cmd_find(argv[optind], &nmatch);
    if (!cmd) {
        char cands[512];

        if (nmatch > 1) {
            xl_cmd_candidates(argv[optind], cands, sizeof(cands));
            xl_err("command '%s' is ambiguous: could be %s", argv[optind],
                   cands);
        } else {
            xl_err("unknown command '%s'; run 'xl help'", argv[optind]);
        }
        return 2;
    }
    if (xl_dryrun && !cmd->can_dryrun) {
        xl_err("%s: the dry-run option -N is not supported by this command",
               cmd->name);
        return 2;
    }

    argc -= optind;
    argv += optind;
    optind = 0; /* glibc: fully reinitialise getopt for the command */
    xl_cmdname = cmd->name;

    rc = cmd->fn(argc, argv);

    if (fflush(stdout) || ferror(stdout)) {
        xl_err("error writing output");
        if (!rc)
            rc = 1;
    }
    xl_ctx_free();
    return rc;
}
