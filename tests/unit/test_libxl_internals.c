/* test_libxl_internals.c: unit tests of xl's copy of libxl's lock files
 * and paths (xl/libxl_internals.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fdio.h"
#include "libxl_internals.h"

static const uint8_t uuid[16] = {0x8c, 0x1f, 0x00, 0x2a, 0x5d, 0x33,
                                 0x4e, 0x61, 0x9a, 0x07, 0xb2, 0xc4,
                                 0xd5, 0xe6, 0xf7, 0x08};

static void test_lock_paths(void **state)
{
    char buf[128];

    (void)state;
    xl_libxl_lock_path(buf, sizeof(buf), 7, uuid, XL_LIBXL_DEVICE_LOCK);
    assert_string_equal(buf, "/var/lib/xen/userdata-l.7."
                             "8c1f002a-5d33-4e61-9a07-b2c4d5e6f708."
                             "libxl-device-changes-lock");
    xl_libxl_lock_path(buf, sizeof(buf), 4294967295u, uuid, XL_LIBXL_QMP_LOCK);
    assert_string_equal(buf, "/var/lib/xen/userdata-l.4294967295."
                             "8c1f002a-5d33-4e61-9a07-b2c4d5e6f708."
                             "qmp-socket-lock");
    /* cut short as snprintf cuts, never overrun */
    xl_libxl_lock_path(buf, 10, 7, uuid, XL_LIBXL_QMP_LOCK);
    assert_string_equal(buf, "/var/lib/");
}

static void test_qmp_path(void **state)
{
    char buf[108];

    (void)state;
    xl_libxl_qmp_path(buf, sizeof(buf), 12);
    assert_string_equal(buf, "/var/run/xen/qmp-libxl-12");
}

static void test_xenstore_layout(void **state)
{
    char buf[128];

    (void)state;
    snprintf(buf, sizeof(buf), XL_LIBXL_XS_DM_VERSION, (uint32_t)3);
    assert_string_equal(buf, "/libxl/3/dm-version");
    snprintf(buf, sizeof(buf), XL_LIBXL_XS_DEVICES, (uint32_t)3, "vbd");
    assert_string_equal(buf, "/libxl/3/device/vbd");
    snprintf(buf, sizeof(buf), XL_LIBXL_XS_DEVICE_KEY, (uint32_t)3, "vif", "0",
             xl_libxl_vif_keys[XL_VIF_MAC]);
    assert_string_equal(buf, "/libxl/3/device/vif/0/mac");
    assert_string_equal(xl_libxl_vbd_keys[XL_VBD_DEVTYPE], "device-type");
    assert_string_equal(xl_libxl_vbd_keys[XL_VBD_COLO], "colo-host");
    for (int k = 0; k < XL_VBD_N; k++)
        assert_non_null(xl_libxl_vbd_keys[k]);
    for (int k = 0; k < XL_VIF_N; k++)
        assert_non_null(xl_libxl_vif_keys[k]);
}

/* Locked: the file is there; let go: unlinked first, the fd closed. */
static void test_lock_unlock(void **state)
{
    char dir[] = "/tmp/test_libxl_internals.XXXXXX", path[64], gone[80];
    struct stat st;
    int fd;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/lock", dir);
    fd = xl_libxl_lock(path);
    assert_true(fd >= 0);
    assert_int_equal(stat(path, &st), 0);
    xl_libxl_unlock(&fd, path);
    assert_int_equal(fd, -1);
    assert_int_not_equal(stat(path, &st), 0);
    xl_libxl_unlock(&fd, path); /* -1: nothing to do */
    assert_int_equal(fd, -1);
    /* a lock whose directory is missing is not taken */
    snprintf(gone, sizeof(gone), "%s/missing/lock", dir);
    assert_int_equal(xl_libxl_lock(gone), -1);
    assert_int_equal(rmdir(dir), 0);
}

/* fdio.c's lock file, which libxl's locks and the kernel cache share: a
 * busy lock with XL_LOCK_NONBLOCK, a symlink with XL_LOCK_NOFOLLOW. */
static void test_lock_file(void **state)
{
    char dir[] = "/tmp/test_lock_file.XXXXXX", path[64], link[64];
    int a, b;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/lock", dir);
    snprintf(link, sizeof(link), "%s/link", dir);
    a = xl_lock_file(path, 0600, 0);
    assert_true(a >= 0);
    /* flock locks belong to the open file: a second open conflicts */
    b = xl_lock_file(path, 0600, XL_LOCK_NONBLOCK);
    assert_int_equal(b, -1);
    assert_int_equal(errno, EWOULDBLOCK);
    close(a);
    b = xl_lock_file(path, 0600, XL_LOCK_NONBLOCK);
    assert_true(b >= 0);
    close(b);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(xl_lock_file(link, 0600, XL_LOCK_NOFOLLOW), -1);
    assert_int_equal(errno, ELOOP);
    unlink(link);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_paths),
        cmocka_unit_test(test_qmp_path),
        cmocka_unit_test(test_xenstore_layout),
        cmocka_unit_test(test_lock_unlock),
        cmocka_unit_test(test_lock_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
