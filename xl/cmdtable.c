/* cmdtable.c: the one command table: dispatch, help and prefix lookup. */
#include <stdio.h>
#include <string.h>

#include "cmdtable.h"
#include "commands.h"
#include "xl.h"

/*
 * One block per command, grouped by family. To add a command: write its
 * main_<cmd> (prototype in commands.h), then add one block here. Names must be
 * unique (tests/unit/test_cmdtable.c checks). `options` lines are printed
 * as they are by `xl help CMD`.
 */
const struct cmd_spec xl_cmdtable[] = {
    /* --- configuration --- */
    {.name = "check-config",
     .fn = main_check_config,
     .summary = "Check domain configuration files without a hypervisor",
     .usage = "[--json] <ConfigFile>...",
     .options = "--json            diagnostics as a JSON array on stdout"},

    {.name = "boot-policy",
     .fn = main_boot_policy,
     .modifies = true,
     .summary = "Switch a guest config between PV, pygrub, PVH and HVM boot",
     .usage = "[options] <ConfigFile>|<Domain> pv|pygrub|pvh|hvm",
     .options = "-n, --dry-run     print the change as a unified diff, "
                "write nothing\n"
                "--no-backup       do not keep the previous file as "
                "FILE.bak\n"
                "-k, --kernel K    pv/pvh: boot this kernel (from dom0)\n"
                "-r, --ramdisk R   pv/pvh: with this initrd\n"
                "--firmware FW     hvm: firmware (bios, seabios, ovmf, "
                "uefi)\n"
                "--boot ORDER      hvm: boot order, default \"cd\" "
                "(disk, then cdrom)\n"
                "-F, --force       hvm: switch even if this host has no "
                "HVM support"},
    {.name = "config-set",
     .fn = main_config_set,
     .modifies = true,
     .summary = "Set keys in a config file, keeping its comments and layout",
     .usage = "[-n] [--no-backup] <ConfigFile> <key=value>...",
     .options = "-n, --dry-run     print the change as a unified diff, "
                "write nothing\n"
                "--no-backup       do not keep the previous file as "
                "FILE.bak"},
    {.name = "kernel-cache",
     .fn = main_kernel_cache,
     .modifies = true,
     .summary = "List or clear the cache of unpacked guest kernels",
     .usage = "list|clear",
     .options = "list              one line per cached kernel\n"
                "clear             remove every entry"},
    {.name = "config-update",
     .fn = main_config_update,
     .modifies = true,
     .summary = "Set the config a running domain is rebuilt from at its "
                "next reboot",
     .can_dryrun = true,
     .usage = "[-n] [-d] [-f ConfigFile] <Domain> [ConfigFile] "
              "[key=value...]",
     .options = "-n, --dry-run     print the new config text, store "
                "nothing\n"
                "-f, --defconfig=F the new config (default: the one the "
                "domain\n"
                "                  boots from next, for key=value edits)\n"
                "-d                also print the result as create -n "
                "does\n"
                "-q                accepted, as by Xen's xl; no effect\n"
                "-N                (xl -N config-update) print as -d, "
                "store nothing"},
    {.name = "config-unset",
     .fn = main_config_unset,
     .modifies = true,
     .summary = "Remove keys from a config file, keeping the rest as is",
     .usage = "[-n] [--no-backup] <ConfigFile> <key>...",
     .options = "-n, --dry-run     print the change as a unified diff, "
                "write nothing\n"
                "--no-backup       do not keep the previous file as "
                "FILE.bak"},

    /* --- domains: listing and information --- */
    {.name = "list",
     .fn = main_list,
     .summary = "List information about all/some domains",
     .usage = "[options] [Domain]",
     .options = "-l, --long        JSON array of {domid, config} per domain "
                "(SXP per xl.conf)\n"
                "-v, --verbose     also UUID, shutdown reason, security "
                "label\n"
                "-Z, --context     also the security label\n"
                "-c, --cpupool     also the cpupool of each domain\n"
                "-n, --numa        also the NUMA node affinity"},
    {.name = "info",
     .fn = main_info,
     .summary = "Get information about the Xen host",
     .usage = "[-n] [-x] [Field]",
     .options = "-n, --numa        also CPU and NUMA topology\n"
                "-x, --xen         only the hypervisor's fields (xen_*, "
                "cc_*, build_id)\n"
                "Field             print only the value of this field"},
    {.name = "domid",
     .fn = main_domid,
     .summary = "Convert a domain name to a domain id",
     .usage = "<DomainName>",
     .options = NULL},
    {.name = "domname",
     .fn = main_domname,
     .summary = "Convert a domain id to a domain name",
     .usage = "<DomainId>",
     .options = NULL},
    {.name = "uptime",
     .fn = main_uptime,
     .summary = "Print the uptime of all/some domains",
     .usage = "[-s] [Domain...]",
     .options = "-s, --short       one line per domain, like uptime(1)"},
    {.name = "vm-list",
     .fn = main_vm_list,
     .summary = "List guest domains (not dom0, not stub domains)",
     .usage = "",
     .options = NULL},
    {.name = "dmesg",
     .fn = main_dmesg,
     .summary = "Read and/or clear the hypervisor's message buffer",
     .usage = "[-c]",
     .options = "-c, --clear       clear the buffer after printing it"},

    /* --- domains: create and console (xl/cmd_create.c, cmd_console.c) --- */
    {.name = "create",
     .fn = main_create,
     .can_dryrun = true,
     .modifies = true,
     .summary = "Create a domain from a config file",
     .usage = "[options] <ConfigFile> [key=value ...]",
     .options = "-c                connect to the console before the domain "
                "runs (Ctrl-] detaches)\n"
                "-n, --dryrun      print the domain config (JSON, or SXP "
                "per xl.conf), create nothing\n"
                "-i, --ignore-global-affinity-masks  not xl.conf's "
                "vm.cpumask and the like\n"
                "-p                leave the domain paused\n"
                "-e                no monitor: on_poweroff/reboot/crash are "
                "not applied\n"
                "-F                run the monitor in the foreground\n"
                "-q, --quiet       fewer messages\n"
                "-f FILE           the config file (also positional)\n"
                "-d                print the domain config on stderr too\n"
                "A bare name that is not a file here is looked up as "
                "/etc/xen/NAME and /etc/xen/NAME.cfg."},
    {.name = "console",
     .fn = main_console,
     .summary = "Attach to a domain's console",
     .usage = "[-t pv|serial|vuart] [-n N] [-e ESC] <Domain>",
     .options = "-t TYPE           console type (default: serial for HVM, "
                "pv otherwise)\n"
                "-n N              console number (default 0)\n"
                "-e ESC            detach with ESC, C or ^C, instead of "
                "^]"},

    /* --- domains: control --- */
    {.name = "destroy",
     .fn = main_destroy,
     .modifies = true,
     .summary = "Terminate a domain immediately",
     .usage = "[-f] <Domain>",
     .options = "-f                allow destroying domain 0 (only from a "
                "separate\n"
                "                  toolstack domain)"},
    {.name = "shutdown",
     .fn = main_shutdown,
     .modifies = true,
     .summary = "Issue a shutdown signal to a domain",
     .usage = "[options] <-a|Domain>",
     .options = "-a, --all         shut down all guest domains\n"
                "-w, --wait        wait for the guest(s) to shut down; "
                "-ww also\n"
                "                  waits for their device backends\n"
                "-F                fall back to an ACPI power event for HVM "
                "guests\n"
                "                  without PV drivers"},
    {.name = "reboot",
     .fn = main_reboot,
     .modifies = true,
     .summary = "Issue a reboot signal to a domain",
     .usage = "[options] <-a|Domain>",
     .options = "-a, --all         reboot all guest domains\n"
                "-w, --wait        wait for the guest(s) to reboot\n"
                "-F                fall back to an ACPI reset event for HVM "
                "guests\n"
                "                  without PV drivers"},
    {.name = "pause",
     .fn = main_pause,
     .modifies = true,
     .summary = "Pause execution of a domain",
     .usage = "<Domain>",
     .options = NULL},
    {.name = "unpause",
     .fn = main_unpause,
     .modifies = true,
     .summary = "Unpause a paused domain",
     .usage = "<Domain>",
     .options = NULL},
    {.name = "rename",
     .fn = main_rename,
     .modifies = true,
     .summary = "Rename a domain",
     .usage = "<Domain> <NewDomainName>",
     .options = NULL},

    /* --- guest and hypervisor control (xl/cmd_control.c) --- */
    {.name = "trigger",
     .fn = main_trigger,
     .modifies = true,
     .summary = "Send a trigger to a domain",
     .usage = "<Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]",
     .options = "VCPU              the vCPU that gets it (default 0)\n"
                "power and sleep are ACPI buttons (HVM guests only); Xen "
                "4.17 on x86\nrefuses reset and init"},
    {.name = "sysrq",
     .fn = main_sysrq,
     .modifies = true,
     .summary = "Send a sysrq to a domain",
     .usage = "<Domain> <letter>",
     .options = "letter            one character, as Linux's sysrq (h: help "
                "on the guest's\n"
                "                  console); needs the guest's PV drivers"},
    {.name = "button-press",
     .fn = main_button_press,
     .modifies = true,
     .summary = "Indicate an ACPI button press to the domain (deprecated: "
                "use trigger)",
     .usage = "<Domain> <power|sleep>",
     .options = "the same as 'xl trigger <Domain> power|sleep'"},
    {.name = "debug-keys",
     .fn = main_debug_keys,
     .modifies = true,
     .summary = "Send debug keys to Xen",
     .usage = "<Keys>",
     .options = "Keys              Xen debug keys, each one character (q: "
                "domain info,\n"
                "                  h: the list); the output is in 'xl "
                "dmesg'"},
    {.name = "set-parameters",
     .fn = main_set_parameters,
     .modifies = true,
     .summary = "Set hypervisor parameters",
     .usage = "<Params>",
     .options = "Params            space-separated NAME=VALUE or noNAME, "
                "of the boot\n"
                "                  parameters Xen can change at run time "
                "(loglvl,\n"
                "                  guest_loglvl, console_timestamps, ...)"},
    {.name = "dump-core",
     .fn = main_dump_core,
     .modifies = true,
     .summary = "Core dump a domain",
     .usage = "<Domain> <filename>",
     .options = "filename          the ELF core file to write (the domain "
                "keeps running)"},

    /* --- vCPUs, memory, scheduling (cmd_vcpu.c, cmd_mem.c, cmd_sched.c,
     * cmd_cpupool.c) --- */
    {.name = "vcpu-list",
     .fn = main_vcpu_list,
     .summary = "List the vCPUs of all/some domains",
     .usage = "[Domain...]",
     .options = NULL},
    {.name = "vcpu-pin",
     .fn = main_vcpu_pin,
     .can_dryrun = true,
     .modifies = true,
     .summary = "Set which physical CPUs a domain's vCPUs may run on",
     .usage = "[-f] [-i] <Domain> <VCPU|all> <Hard|-|all> [Soft|-|all]",
     .options = "-f, --force       also when the vCPU's affinity was broken "
                "(one vCPU only)\n"
                "-i, --ignore-global-affinity-masks  hard affinity not "
                "limited by xl.conf's masks\n"
                "A CPU list is terms N, N-M, all, node:N or nodes:N-M, "
                "comma separated,\n"
                "each prefixed by ^ to remove: 0-3,^2 is 0,1,3. '-' leaves "
                "that mask alone."},
    {.name = "vcpu-set",
     .fn = main_vcpu_set,
     .modifies = true,
     .summary = "Set the number of online vCPUs of a domain",
     .usage = "[-i] <Domain> <vCPUs>",
     .options = "-i, --ignore-host allow more vCPUs than the host has CPUs"},
    {.name = "mem-set",
     .fn = main_mem_set,
     .modifies = true,
     .summary = "Set the current memory (balloon target) of a domain",
     .usage = "<Domain> <Size>",
     .options = "Size: a number with a unit b, k, m, g or t; a bare number "
                "is MiB."},
    {.name = "mem-max",
     .fn = main_mem_max,
     .modifies = true,
     .summary = "Set the maximum memory of a domain",
     .usage = "<Domain> <Size>",
     .options = "Size: a number with a unit b, k, m, g or t; a bare number "
                "is MiB."},
    {.name = "sched-credit",
     .fn = main_sched_credit,
     .modifies = true,
     .summary = "Get/set credit scheduler parameters",
     .usage = "[-d <Domain> [-w W] [-c C]] | [-s [-t T] [-r R] [-m M]] "
              "[-p Pool]",
     .options = "-d, --domain=D    domain to show or change\n"
                "-w, --weight=W    relative weight (1-65535, default 256)\n"
                "-c, --cap=C       cap in % of one CPU (0: none)\n"
                "-p, --cpupool=P   only this CPU pool\n"
                "-s, --schedparam  pool-wide parameters (show, or set with "
                "-t -r -m)\n"
                "-t, --tslice_ms=T time slice in ms\n"
                "-r, --ratelimit_us=R  minimum run time in us\n"
                "-m, --migration_delay_us=M  vCPU migration delay in us"},
    {.name = "sched-credit2",
     .fn = main_sched_credit2,
     .modifies = true,
     .summary = "Get/set credit2 scheduler parameters",
     .usage = "[-d <Domain> [-w W] [-c C]] | [-s [-r R]] [-p Pool]",
     .options = "-d, --domain=D    domain to show or change\n"
                "-w, --weight=W    relative weight (1-65535, default 256)\n"
                "-c, --cap=C       cap in % of one CPU (0: none)\n"
                "-p, --cpupool=P   only this CPU pool\n"
                "-s, --schedparam  pool-wide parameters (show, or set with "
                "-r)\n"
                "-r, --ratelimit_us=R  minimum run time in us"},
    {.name = "cpupool-list",
     .fn = main_cpupool_list,
     .summary = "List CPU pools",
     .usage = "[-c] [Pool]",
     .options = "-c, --cpus        list each pool's CPUs instead"},

    /* --- save, restore, migrate (cmd_save.c) --- */
    {.name = "save",
     .fn = main_save,
     .modifies = true,
     .summary = "Save a domain's state to a file (restorable by either xl)",
     .usage = "[-c] [-p] [-D] <Domain> <CheckpointFile> [ConfigFile]",
     .options = "-c                leave the domain running (a checkpoint)\n"
                "-p                leave the domain paused after saving\n"
                "-D                store the domain id, to restore under "
                "the same one\n"
                "ConfigFile        store this config instead of the "
                "domain's own"},
    {.name = "restore",
     .fn = main_restore,
     .modifies = true,
     .summary = "Restore a domain from a saved state file",
     .usage = "[-p] [-e] [-d] [-V] [ConfigFile] <CheckpointFile>",
     .options = "-p                leave the restored domain paused\n"
                "-e                no monitor: on_poweroff/reboot/crash are "
                "not applied\n"
                "-F                run the monitor in the foreground\n"
                "-d                print the domain config on stderr too\n"
                "-V, -A            start vncviewer (-A: with the password)\n"
                "ConfigFile        use this config instead of the stored "
                "one"},
    {.name = "migrate",
     .fn = main_migrate,
     .modifies = true,
     .summary = "Migrate a domain to another host",
     .usage = "[options] <Domain> <Host>",
     .options = "-s SSHCOMMAND     run SSHCOMMAND HOST xl migrate-receive "
                "(default ssh;\n"
                "                  split on blanks, no shell; \"\": HOST is "
                "the whole command)\n"
                "-e                no monitor for the domain on the new host\n"
                "-p                leave the domain paused on the new host\n"
                "-C CONFIG         send this config instead of the domain's "
                "own\n"
                "-D                keep the domain id on the new host\n"
                "--debug           ask libxl to verify the transferred "
                "memory"},
    {.name = "migrate-receive",
     .fn = main_migrate_receive,
     .modifies = true,
     .summary = "Receive a migrating domain (run by xl migrate on the "
                "target host)",
     .usage = "[-e] [-d] [-p]",
     .options = "-e                no monitor for the received domain\n"
                "-F                run the monitor in the foreground\n"
                "-d                print the domain config on stderr too\n"
                "-p                leave the received domain paused\n"
                "The stream is read on stdin, answers go to stdout."},

    /* --- devices (cmd_block.c, cmd_network.c) --- */
    {.name = "block-attach",
     .fn = main_block_attach,
     .can_dryrun = true,
     .modifies = true,
     .summary = "Create a new virtual block device (-N: print it as JSON)",
     .usage = "<Domain> <DiskSpec>...",
     .options = "DiskSpec as in xl-disk-configuration(5), e.g. "
                "/img/d.raw,raw,xvdb,w or\n"
                "format=raw vdev=xvdb access=rw target=/dev/vg/lv"},
    {.name = "block-list",
     .fn = main_block_list,
     .summary = "List virtual block devices for a domain",
     .usage = "<Domain>...",
     .options = NULL},
    {.name = "block-detach",
     .fn = main_block_detach,
     .modifies = true,
     .summary = "Destroy a domain's virtual block device",
     .usage = "[-f] <Domain> <VDev|DevId>",
     .options = "-f, --force       remove the backend even if the guest "
                "does not release the device"},
    {.name = "network-attach",
     .fn = main_network_attach,
     .can_dryrun = true,
     .modifies = true,
     .summary = "Create a new virtual network device (-N: print it as JSON)",
     .usage = "<Domain> [key=value]...",
     .options = "keys as in a vif spec: mac, bridge, ip, script, vifname, "
                "model, type,\nrate, backend, gatewaydev, mtu, devid"},
    {.name = "network-list",
     .fn = main_network_list,
     .summary = "List virtual network interfaces for a domain",
     .usage = "<Domain>...",
     .options = NULL},
    {.name = "network-detach",
     .fn = main_network_detach,
     .modifies = true,
     .summary = "Destroy a domain's virtual network device",
     .usage = "<Domain> <DevId|mac>",
     .options = NULL},

    /* --- this program --- */
    {.name = "help",
     .fn = main_help,
     .summary = "Print the list of commands, or one command's help",
     .usage = "[Command]",
     .options = NULL},
};

const unsigned xl_cmdtable_len = sizeof(xl_cmdtable) / sizeof(xl_cmdtable[0]);

const struct cmd_spec *xl_cmd_find(const char *name, unsigned *nmatch_r)
{
    const struct cmd_spec *found = NULL;
    size_t len = strlen(name);
    unsigned nmatch = 0;

    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        if (!strcmp(xl_cmdtable[i].name, name)) {
            if (nmatch_r)
                *nmatch_r = 1;
            return &xl_cmdtable[i];
        }
        if (len && !strncmp(xl_cmdtable[i].name, name, len)) {
            found = &xl_cmdtable[i];
            nmatch++;
        }
    }
    if (nmatch_r)
        *nmatch_r = nmatch;
    return nmatch == 1 ? found : NULL;
}

void xl_cmd_candidates(const char *prefix, char *buf, size_t len)
{
    size_t plen = strlen(prefix), used = 0;

    if (!len)
        return;
    buf[0] = '\0';
    for (unsigned i = 0; i < xl_cmdtable_len; i++) {
        const char *name = xl_cmdtable[i].name;
        int n;

        if (strncmp(name, prefix, plen))
            continue;
        n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= len - used)
            break; /* truncated: keep what fits */
        used += (size_t)n;
    }
}

int xl_usage(const char *name)
{
    const struct cmd_spec *cmd = name ? xl_cmd_find(name, NULL) : NULL;

    if (!cmd) {
        fprintf(stderr, "Usage: xl [-vNfTt] <command> [args]\n"
                        "Run 'xl help' for the list of commands.\n");
        return 2;
    }
    fprintf(stderr,
            "Usage: xl %s %s\n"
            "Run 'xl help %s' for details.\n",
            cmd->name, cmd->usage, cmd->name);
    return 2;
}

int xl_help(const char *name)
{
    const struct cmd_spec *cmd;
    unsigned nmatch;

    if (!name) {
        printf("Usage: xl [-vNfTt] <command> [args]\n\n"
               "Commands:\n");
        for (unsigned i = 0; i < xl_cmdtable_len; i++)
            printf(" %-22s %s\n", xl_cmdtable[i].name, xl_cmdtable[i].summary);
        printf("\nGlobal options (before the command):\n"
               " -v    more messages from libxl (repeat for more)\n"
               " -N    dry run: show what would be done, change nothing\n"
               " -f    force (commands that have a -f accept it here)\n"
               " -t    progress messages overwrite their line\n"
               " -T    timestamps and pid in libxl's messages\n"
               "\nRun 'xl help <command>' or 'xl <command> -h' for a "
               "command's options.\n");
        return 0;
    }
    cmd = xl_cmd_find(name, &nmatch);
    if (!cmd) {
        char cands[512];

        if (nmatch > 1) {
            xl_cmd_candidates(name, cands, sizeof(cands));
            xl_err("command '%s' is ambiguous: could be %s", name, cands);
        } else {
            xl_err("unknown command '%s'; run 'xl help'", name);
        }
        return 2;
    }
    printf("Usage: xl [-v%s] %s %s\n\n%s.\n", cmd->can_dryrun ? "N" : "",
           cmd->name, cmd->usage, cmd->summary);
    if (cmd->options && *cmd->options)
        printf("\nOptions:\n%s\n", cmd->options);
    return 0;
}

int main_help(int argc, char **argv)
{
    int opt, rc = 0;

    while ((opt = xl_getopt(argc, argv, "", NULL, 0, &rc)) != -1)
        if (opt == XL_OPT_EXIT)
            return rc;
    if (argc - optind > 1)
        return xl_usage("help");
    return xl_help(optind < argc ? argv[optind] : NULL);
}
