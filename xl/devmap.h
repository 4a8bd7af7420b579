/* devmap.h: disk and vif specs -> libxl device structs, as Xen's xl. */
#ifndef XL_DEVMAP_H
#define XL_DEVMAP_H

#include <stdbool.h>

#include <libxl.h>

#include "libxlcfg.h"

struct xl_conf;

/*
 * Where our hotplug scripts are: $XL_SCRIPTS_DIR when set to an absolute
 * path (tests, running from a build tree), else the directory `make
 * install` put them in ($(libexecdir)/xl-toolstack/scripts). Never NULL;
 * the string is static.
 */
const char *xl_scripts_dir(void);

/*
 * Resolve a script name for libxl: a name with a '/' is kept as given; a
 * bare name of a script this project ships (block, vif-bridge, vif-route,
 * vif-nat) becomes XL_SCRIPTS_DIR/NAME so ours is the one that runs; any
 * other bare name (block-iscsi, block-drbd, ...) is kept, and libxl looks
 * for it in /etc/xen/scripts as usual. malloc'd; NULL on out of memory.
 */
char *xl_script_path(const char *name);

/*
 * One parsed disk spec (xl-disk-configuration(5), from libxlcfg) into
 * `r`, which this initialises (libxl_device_disk_init) first, so
 * libxl_device_disk_dispose is safe whatever the result. The fields are
 * those Xen 4.17's xl sets for the same spec (format raw when unset; a
 * cdrom is removable and read-only, format empty without a target), so
 * libxl's JSON of the result is byte-identical (specification, trusted
 * and the COLO keys included), with one deliberate
 * difference: a disk that libxl will hand to the phy backend (raw format,
 * backendtype unset or phy, a target, no backend domain) and has no
 * script= gets our `block` script, so our script sets up the loop device
 * and reports errors. Consequence for callers: libxl does not stat() a
 * target that has a script (the script reports a missing file), and a
 * bootloader (pygrub) reading such a disk makes libxl attach it to dom0
 * through the script (dom0 needs xen-blkfront). Returns 0 or ENOMEM.
 */
int xl_disk_from_parsed(const xlcfg_disk *x, libxl_device_disk *r);

/* Parse `spec` (a command line's: a config's specs are parsed once, by
 * xlcfg_validate) and map it as above. `loc` is where the spec starts
 * (NULL: command line). Returns 0, EINVAL (diagnostics in `d`) or
 * ENOMEM. */
int xl_disk_from_spec(const char *spec, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d);

/*
 * Same for several command-line arguments making one disk (`xl
 * block-attach D format=raw vdev=xvdb target=/x`): each is scanned on its
 * own, as Xen's xl does (xlcfg_parse_disk_args). `loc` (NULL: none) is
 * where the first starts; diagnostics show the arguments one blank apart.
 */
int xl_disk_from_args(int nargs, char *const *args, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d);

/*
 * One parsed vif spec into `r` (initialised here). Starts from xl.conf's
 * vif.default.* in `conf`, then applies each key as the reference does
 * (trusted/untrusted into nic->trusted, forwarddev into coloft_forwarddev,
 * each colo_* key into the libxl field of that name);
 * a script (the spec's, xl.conf's, else vif-bridge) goes through
 * xl_script_path(). devid stays -1 unless the spec has devid=: `xl
 * create` numbers vifs by position, so the caller sets nic->devid to the
 * list index when it is still -1. `loc` is where the spec starts, for
 * the one check left to this step (the MAC's bytes). Returns 0, EINVAL
 * (diagnostics) or ENOMEM.
 */
int xl_nic_from_parsed(const xlcfg_vif *x, const struct xl_conf *conf,
                       const xlcfg_loc *loc, libxl_device_nic *r,
                       xlcfg_diags *d);

/* Parse one vif spec ("mac=...,bridge=...", "" for all defaults) and map
 * it as above. */
int xl_nic_from_spec(const char *spec, const struct xl_conf *conf,
                     const xlcfg_loc *loc, libxl_device_nic *r, xlcfg_diags *d);

/* `xl network-attach D KEY=VALUE...`: each argument is one option as
 * written, as Xen's xl takes them (xlcfg_parse_vif_args); `loc` as for
 * xl_disk_from_args. */
int xl_nic_from_args(int nargs, char *const *args, const struct xl_conf *conf,
                     const xlcfg_loc *loc, libxl_device_nic *r, xlcfg_diags *d);

#endif /* XL_DEVMAP_H */
