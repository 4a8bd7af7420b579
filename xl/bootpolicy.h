/*
 * bootpolicy.h: switch a guest config between boot policies (PV with a
 * direct kernel, PV with pygrub, PVH, HVM with "BIOS order" boot), as
 * XAPI's HVM-boot-policy / PV-bootloader do, by editing the config file
 * losslessly. Keys that do not apply to the new policy are not deleted
 * but parked as comments ("#xl-boot-policy(hvm): boot = 'cd'") and come
 * back when the guest is switched back. Pure libxlcfg: no libxl here.
 */
#ifndef XL_BOOTPOLICY_H
#define XL_BOOTPOLICY_H

#include "libxlcfg.h"

enum xl_boot_policy {
    XL_BP_PV,     /* PV, kernel/ramdisk/cmdline from dom0 */
    XL_BP_PYGRUB, /* PV, bootloader = "pygrub" reads the guest's /boot */
    XL_BP_PVH,    /* PVH, direct kernel or pygrub */
    XL_BP_HVM,    /* HVM, firmware boots from disk then cdrom */
};

struct xl_bp_opts {
    const char *kernel;   /* for pv/pvh: kernel to use (else the config's) */
    const char *ramdisk;  /* for pv/pvh */
    const char *firmware; /* for hvm: "bios", "seabios", "ovmf", ... */
    const char *boot;     /* for hvm: boot order, default "cd" */
};

/* "pv", "pygrub" (also "pv-pygrub"), "pvh", "hvm" -> policy; -1 if none. */
int xl_boot_policy_from_name(const char *name);
const char *xl_boot_policy_name(enum xl_boot_policy p);

/* The policy a config has now. */
enum xl_boot_policy xl_boot_policy_current(const xlcfg_cfg *cfg);

/* Rewrite the text under edit for policy `p`. Returns 0, ENOMEM, or
 * EINVAL with an error diagnostic saying why the switch cannot work (e.g.
 * PV with neither kernel nor bootloader). `what_r`, if not NULL, gets a
 * malloc'd one-line summary of the changes. */
int xl_boot_policy_apply(xlcfg_edit *e, enum xl_boot_policy p,
                         const struct xl_bp_opts *o, char **what_r,
                         xlcfg_diags *d);

#endif /* XL_BOOTPOLICY_H */
