/* libxl_internals.c: libxl 4.17's lock files and paths (see the header). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "libxl_internals.h"

const char *const xl_libxl_vbd_keys[XL_VBD_N] = {
    "backend", "params",    "colo-host", "type",       "specification",
    "dev",     "removable", "mode",      "device-type"};

const char *const xl_libxl_vif_keys[XL_VIF_N] = {"handle", "backend", "mtu",
                                                 "mac", "type"};

static void uuid_str(const uint8_t u[16], char out[37])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
}

void xl_libxl_lock_path(char *buf, size_t len, uint32_t domid,
                        const uint8_t uuid[16], const char *name)
{
    char u[37];

    uuid_str(uuid, u);
    snprintf(buf, len, XL_LIBXL_LIB_DIR "/userdata-l.%" PRIu32 ".%s.%s", domid,
             u, name);
}

int xl_libxl_lock(const char *path)
{
    return xl_lock_file(path, 0666, 0);
}

void xl_libxl_unlock(int *fd, const char *path)
{
    if (*fd < 0)
        return;
    unlink(path);
    close(*fd);
    *fd = -1;
}

void xl_libxl_qmp_path(char *buf, size_t len, uint32_t domid)
{
    snprintf(buf, len, XL_LIBXL_RUN_DIR "/qmp-libxl-%" PRIu32, domid);
}
