/* devspec.h: disk and vif specs -> libxl device structs, as Xen's xl. */
#ifndef XL_DEVSPEC_H
#define XL_DEVSPEC_H

#include <stdbool.h>

#include <libxl.h>

#include "libxlcfg.h"

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
 * xl.conf's vif.default.script, vif.default.bridge,
 * vif.default.gatewaydev and vif.default.backend: the values every new
 * nic starts from before its spec is applied (NULL: not set). Copied;
 * the script goes through xl_script_path(). Without a call, the default
 * script is our vif-bridge and the others are unset. Returns 0 or ENOMEM.
 */
int xl_nic_set_defaults(const char *script, const char *bridge,
                        const char *gatewaydev, const char *backend);

/*
 * Parse one disk spec (xl-disk-configuration(5)) into `r`, which this
 * initialises (libxl_device_disk_init) first, so libxl_device_disk_dispose
 * is safe whatever the result. The fields are those Xen 4.17's xl sets
 * for the same spec (format raw when unset; a cdrom is removable and
 * read-only, format empty without a target), so libxl's JSON of the
 * result is byte-identical, with one deliberate difference: a disk that
 * libxl will hand to the phy backend (raw format, backendtype unset or
 * phy, a target, no backend domain) and has no script= gets our `block`
 * script, so our script sets up the loop device and reports errors.
 * Consequence for callers: libxl does not stat() a target that has a
 * script (the script reports a missing file), and a bootloader (pygrub)
 * reading such a disk makes libxl attach it to dom0 through the script
 * (dom0 needs xen-blkfront).
 *
 * `loc` is where the spec starts (NULL: command line). Returns 0, EINVAL
 * (diagnostics in `d`) or ENOMEM.
 */
int xl_disk_from_spec(const char *spec, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d);

/*
 * Same for several command-line arguments making one disk (`xl
 * block-attach D format=raw vdev=xvdb target=/x`): joined with ','.
 */
int xl_disk_from_args(int nargs, char *const *args, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d);

/*
 * Parse one vif spec ("mac=...,bridge=...", "" for all defaults) into
 * `r` (initialised here). Starts from the xl.conf defaults above, then
 * applies each key as the reference does; script= goes through
 * xl_script_path(). devid stays -1 unless the spec has devid=: `xl
 * create` numbers vifs by position, so the caller sets nic->devid to the
 * list index when it is still -1. Returns 0, EINVAL (diagnostics) or
 * ENOMEM.
 */
int xl_nic_from_spec(const char *spec, const xlcfg_loc *loc,
                     libxl_device_nic *r, xlcfg_diags *d);

/* `xl network-attach D KEY=VALUE...`: the arguments joined with ','. */
int xl_nic_from_args(int nargs, char *const *args, const xlcfg_loc *loc,
                     libxl_device_nic *r, xlcfg_diags *d);

/* --- shared by the device commands; defined in xl/cmd_block.c --- */

/*
 * Capture libxl's messages around one device operation. While active,
 * libxl's error lines are held back (shown as usual with -v) and the
 * reason a hotplug script gave (libxl's "script: ..." line, from the
 * script's hotplug-error) is kept. _end restores the logger, prints the
 * held lines when `show_held` and no script reason was seen, and returns
 * the reason (malloc'd) or NULL.
 */
void xl_libxl_capture_begin(void);
char *xl_libxl_capture_end(bool show_held);

/* Ends the capture and prints one message: "xl: CMD: WHAT: hotplug
 * script failed: REASON", or libxl's lines and "xl: CMD: WHAT". */
void xl_device_failed(const char *what);

/* Diagnostics in compiler style on stderr (nothing if d is empty). */
void xl_print_diags(const xlcfg_diags *d);

/* args joined with ','; malloc'd, NULL on out of memory. */
char *xl_join_args(int nargs, char *const *args);

#endif /* XL_DEVSPEC_H */
