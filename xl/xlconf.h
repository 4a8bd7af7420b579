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
};

/* The reference's defaults, as with an empty xl.conf. */
void xl_conf_init(struct xl_conf *c);
void xl_conf_dispose(struct xl_conf *c);

/* Read `path` on top of what c holds. A missing file is not an error
 * (0, c unchanged); syntax and type errors are diagnosed in `d` (FILE:
 * LINE:COL) and give EINVAL; ENOMEM. The deprecated names vifscript and
 * defaultbridge are honoured as the reference does, when the new names
 * are not set. */
int xl_conf_read(struct xl_conf *c, const char *path, xlcfg_diags *d);

#endif /* XL_XLCONF_H */
