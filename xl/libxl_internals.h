/* libxl_internals.h: what xl relies on of libxl's internals.
 *
 * Some of xl's work is done beside libxl rather than through it (list -l
 * reads xenstore and asks QEMU itself, see liveconfig.c), and then it must
 * do as libxl does: take libxl's locks the way libxl takes them, find
 * libxl's files and its own xenstore subtree where libxl keeps them. None
 * of that is libxl API; all of it is here, in one place, so a libxl that
 * changes it needs this file changed and nothing else.
 *
 * Everything mirrors libxl 4.17 (Xen's tools/libs/light/, as Debian
 * builds it); each item names where in libxl it comes from. The layout
 * of /local/domain/D (name, memory/target, cpu/N/availability, ...) is
 * Xen's public one (docs/misc/xenstore-paths) and is not here.
 *
 * libc only, no libxl: tests and fuzzers of the modules using it link it.
 */
#ifndef XL_LIBXL_INTERNALS_H
#define XL_LIBXL_INTERNALS_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------- directories */

/* XEN_LIB_DIR and XEN_RUN_DIR as Debian's Xen is configured (m4/paths.m4);
 * libxl__run_dir_path (libxl_paths.c) returns the latter. */
#define XL_LIBXL_LIB_DIR "/var/lib/xen"
#define XL_LIBXL_RUN_DIR "/var/run/xen"

/* ---------------------------------------------------- userdata, locks */

/* The userdata key of the domain config libxl keeps as JSON
 * (libxl__get_domain_configuration, libxl_internal.c). */
#define XL_LIBXL_USERDATA_JSON "libxl-json"

/* Names of libxl's per-domain locks: the device lock every device change
 * and libxl_retrieve_domain_configuration hold (libxl__ev_devlock_init,
 * libxl_internal.c), and the lock held around every QMP conversation with
 * a domain's QEMU (libxl__ev_qmplock_init, libxl_internal.c). */
#define XL_LIBXL_DEVICE_LOCK "libxl-device-changes-lock"
#define XL_LIBXL_QMP_LOCK "qmp-socket-lock"

/* Writes to buf (as snprintf, len bytes at most) the file of domain
 * domid's lock `name`: XEN_LIB_DIR/userdata-l.DOMID.UUID.NAME, the
 * userdata path of kind "l" (libxl__userdata_path, libxl_dom.c, called
 * from ev_lock_prepare_fork, libxl_internal.c). uuid is the domain's
 * handle, 16 bytes. */
void xl_libxl_lock_path(char *buf, size_t len, uint32_t domid,
                        const uint8_t uuid[16], const char *name);

/* Takes the lock file at path as libxl does (libxl__lock_file and
 * ev_lock_prepare_fork, libxl_internal.c): create, flock, and check that
 * the file locked is still the one at the path (a holder unlinks it as
 * it lets go). Blocks until then; returns the fd, or -1. */
int xl_libxl_lock(const char *path);

/* Lets the lock go as libxl does (libxl__unlock_file,
 * libxl__ev_slowlock_unlock): unlink first, so a waiter that gets the old
 * file sees it is stale, then close. *fd becomes -1; -1 is a no-op. */
void xl_libxl_unlock(int *fd, const char *path);

/* ---------------------------------------------------------------- QMP */

/* Writes to buf (as snprintf) the path of domain domid's QMP socket:
 * XEN_RUN_DIR/qmp-libxl-DOMID (libxl__qemu_qmp_path, libxl_internal.h). */
void xl_libxl_qmp_path(char *buf, size_t len, uint32_t domid);

/* How long libxl gives QEMU to answer a QMP command, in ms
 * (LIBXL_QMP_CMD_TIMEOUT, libxl_internal.h, is in seconds). */
#define XL_LIBXL_QMP_TIMEOUT_MS 10000

/* ------------------------------------------------------------- memory */

/* What libxl__get_targetmem_fudge adds for an HVM guest whose maxmem
 * exceeds its memory (LIBXL_MAXMEM_CONSTANT, libxl_internal.h), in KiB. */
#define XL_LIBXL_MAXMEM_CONSTANT 1024

/* ------------------------------------------------ xenstore: /libxl/D */

/* libxl's own subtree of domain D (libxl__xs_libxl_path, libxl_xshelp.c).
 * printf formats; D is a uint32_t. */

/* The device model libxl started for an HVM guest
 * (libxl__device_model_version_running, libxl_internal.c), and its value
 * for upstream QEMU, the one libxl asks over QMP for the vCPUs. */
#define XL_LIBXL_XS_DM_VERSION "/libxl/%" PRIu32 "/dm-version"
#define XL_LIBXL_DM_QEMU_XEN "qemu_xen"

/* libxl's record of the devices of a kind ("vbd", "virtio_disk", "vif"),
 * one directory per device, and a key of one device
 * (libxl__domain_device_libxl_path and libxl__device_libxl_path,
 * libxl_device.c; listed by libxl__device_list). Formats with D, then
 * the kind, then the device's entry and the key. */
#define XL_LIBXL_XS_DEVICES "/libxl/%" PRIu32 "/device/%s"
#define XL_LIBXL_XS_DEVICE_KEY "/libxl/%" PRIu32 "/device/%s/%s/%s"

/* The keys of a vbd entry that libxl's reader requires or checks
 * (libxl__disk_from_xenstore, libxl_disk.c), indexing xl_libxl_vbd_keys. */
enum {
    XL_VBD_BACKEND,
    XL_VBD_PARAMS,
    XL_VBD_COLO,
    XL_VBD_TYPE,
    XL_VBD_SPEC,
    XL_VBD_DEV,
    XL_VBD_REMOVABLE,
    XL_VBD_MODE,
    XL_VBD_DEVTYPE,
    XL_VBD_N
};
extern const char *const xl_libxl_vbd_keys[XL_VBD_N];

/* The same for a vif entry (libxl__nic_from_xenstore, libxl_nic.c). Its
 * others (ip, bridge, script, colo_*) are read without conditions and
 * decide nothing. */
enum {
    XL_VIF_HANDLE,
    XL_VIF_BACKEND,
    XL_VIF_MTU,
    XL_VIF_MAC,
    XL_VIF_TYPE,
    XL_VIF_N
};
extern const char *const xl_libxl_vif_keys[XL_VIF_N];

#endif
