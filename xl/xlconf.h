/*
 * xlconf.h: /etc/xen/xl.conf, read once per command into one struct that
 * is passed to whatever needs it (translation, device specs, the build).
 * Nothing here keeps state of its own.
 */
#ifndef XL_XLCONF_H
#define XL_XLCONF_H

#include "libxlcfg.h"

/* The host's global xl configuration, as Xen's xl reads it. */
#define XL_GLOBAL_CONFIG "/etc/xen/xl.conf"

/* The lock every domain build takes, Debian's xl's default too. */
#define XL_LOCKFILE_DEFAULT "/var/lock/xl"

/* autoballoon: "on" (or 1), "off" (or 0), "auto" (the default: on unless
 * the Xen command line fixes dom0's memory with dom0_mem=). */
enum xl_autoballoon {
    XL_AUTOBALLOON_AUTO = -1,
    XL_AUTOBALLOON_OFF = 0,
    XL_AUTOBALLOON_ON = 1,
};

/* output_format: what `list -l` and `create -n` print. */
enum xl_output_format {
    XL_OUTPUT_JSON = 0,
    XL_OUTPUT_SXP = 1,
};

/* One of the host's CPU masks (vm.cpumask, vm.pv.cpumask, vm.hvm.cpumask):
 * the CPUs a new domain's vCPUs, and vcpu-pin's hard affinity, are
 * restricted to. The list is resolved against the host where it is used;
 * where it was written is kept for diagnostics raised then. */
struct xl_conf_cpumask {
    bool set;           /* false: every CPU (the key is not in xl.conf) */
    xlcfg_cpulist list; /* parsed terms */
    char *text;         /* the value as written */
    char *file;         /* where: file, line, column, the line's text */
    unsigned line, col;
    char *source_line;
};

struct xl_conf {
    /* The build (build.c). */
    enum xl_autoballoon autoballoon; /* autoballoon, default auto */
    char *lockfile;                  /* lockfile; NULL: the default */
    /* Copied into every domain's libxl_domain_config, as the reference
     * does (so they show in `create -n`). */
    int run_hotplug_scripts; /* run_hotplug_scripts, default 1 */
    int claim_mode;          /* claim_mode, default 1 */
    int max_grant_frames;    /* -1: libxl's default */
    int max_maptrack_frames; /* -1: libxl's default */
    char *blkdev_start;      /* NULL: libxl's default */
    /* vif.default.*: where every new nic starts before its spec applies
     * (NULL: not set). The script is as written; devmap.c resolves a
     * bare name of one of our scripts to ours. */
    char *vif_script;
    char *vif_bridge;
    char *vif_gatewaydev;
    char *vif_backend;
    /* Ours: the kernel cache (kcache.h). A malformed value is warned
     * about and the default kept, so a cache knob never stops a create. */
    bool kernel_cache;      /* kernel_cache, default 1 */
    char *kernel_cache_dir; /* kernel_cache_dir, absolute; NULL: default */
    unsigned long long
        kernel_cache_max_mb; /* kernel_cache_max_mb; 0: default */
    /* The domain's defaults and its placement. */
    int max_grant_version; /* -1: libxl's default (the hypervisor's max) */
    bool domid_random;     /* domid_policy = "random" (default "xen") */
    struct xl_conf_cpumask vm_cpumask, pv_cpumask, hvm_cpumask;
    /* What list -l and create -n print. */
    enum xl_output_format output_format;
};

/* The reference's defaults, as with an empty xl.conf. */
void xl_conf_init(struct xl_conf *c);
void xl_conf_dispose(struct xl_conf *c);

/* Forget a mask (create -i, vcpu-pin -i: every CPU again). */
void xl_conf_cpumask_clear(struct xl_conf_cpumask *m);

/* Read `path` on top of what c holds. A missing file is not an error
 * (0, c unchanged); syntax, type and value errors are diagnosed in `d`
 * (FILE:LINE:COL) and give EINVAL; ENOMEM. The deprecated names vifscript
 * and defaultbridge are honoured as the reference does, when the new
 * names are not set, with a warning naming the new ones; an unknown key,
 * and an option this xl has no use for (remus.default.netbufscript,
 * colo.default.proxyscript: no remus command), is warned about. */
int xl_conf_read(struct xl_conf *c, const char *path, xlcfg_diags *d);

#endif /* XL_XLCONF_H */
