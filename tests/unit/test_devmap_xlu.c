/* test_devmap_xlu.c: our disk specs against Xen's own parser (libxlutil). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "devmap.h"

/*
 * Differential test: for each spec, xl_disk_from_spec() (with the default
 * script removed again) must produce the same libxl JSON as
 * xlu_disk_parse(), the parser Debian's xl uses, or both must refuse it.
 * libxlutil is linked by this test only, never by xl.
 */
static const char *const specs[] = {
    "/dev/vg/guest-volume,,hda",
    "/dev/vg/guest-volume,raw,hda,rw",
    "format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
    "raw:/dev/vg/guest-volume,hda,w",
    "phy:/dev/sdb1,xvda,w",
    "file:/img/a.raw,xvdc,r",
    "tap:aio:/img/b.raw,xvdd,w",
    "aio:/img/b.raw,xvdd,w",
    "tap2:/img/b.raw,xvdd,w",
    "ioemu:/img/c.raw,hda,w",
    "qcow2:/img/g.qcow2,xvda,w",
    "vhd:/img/g.vhd,xvda,w",
    "/img/g.qcow2,qcow2,xvda,w",
    "/img/g.qcow,qcow,xvda,ro",
    "/img/g.qed,qed,xvda",
    "/root/image.iso,,hdc,cdrom",
    "/root/image.iso,,hdc,,cdrom",
    "/root/image.iso,raw,hdc,devtype=cdrom",
    "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
    "raw:/root/image.iso,hdc:cdrom,ro",
    "backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume",
    "backendtype=qdisk,vdev=xvdb,target=/img.raw",
    "backendtype=tap,vdev=xvdb,target=/img.raw",
    "backend=dd,vdev=xvdb,target=/dev/sdb",
    "devtype=cdrom,,,hdc",
    ",,hdc:cdrom,r",
    ",hdc:cdrom,r",
    "vdev=hdc,access=r,devtype=cdrom,target=",
    ",empty,hdc:cdrom,r",
    "vdev=hdc,access=r,devtype=cdrom,format=empty",
    "vdev=hdc,access=r,devtype=cdrom",
    "iscsi:iqn.2001-05.com.example:storage.disk1,xvda,w",
    "vdev=xvda,access=w,script=block-iscsi,target=iqn.2001-05.com.ex:d",
    "drbd:app01,hda,w",
    "nbd:host:1234,xvdb,r",
    "discard,vdev=hda,target=/some/disk/image.raw",
    "cdrom,no-discard,vdev=hda,target=/some/disk/image.iso",
    "direct-io-safe,vdev=xvde,target=/dev/sdd",
    "vdev=xvdf,target=/path/with,comma,and:colon",
    "/dev/sdb,raw,xvda,w,",
    "xvda1",
    "/dev/sdb,raw,0x301,w",
    "/dev/sdb,raw,xvda1,w",
    "/dev/sdb,raw,hda:disk,w",
    "specification=virtio,vdev=xvda,target=/dev/sdb",
    "specification=xen,vdev=xvda,target=/dev/sdb",
    "colo,colo-host=h,colo-port=9000,colo-export=e,vdev=xvda,target=/dev/sdb",
    "active-disk=/a,hidden-disk=/h,vdev=xvda,target=/dev/sdb",
    "no-colo,vdev=xvda,target=/dev/sdb",
    "colo-port=9000x,vdev=xvda,target=/dev/sdb",
    "colo-port=-5,vdev=xvda,target=/dev/sdb",
    "colo-port= 12,vdev=xvda,target=/dev/sdb",
    "colo-port=99999999999,vdev=xvda,target=/dev/sdb",
    "vdev=xvda, target=/x.img, format=qcow2",
    /* refused by both */
    "specification=pci,vdev=xvda,target=/dev/sdb",
    "colo-port=0,vdev=xvda,target=/dev/sdb",
    "colo-port=x,vdev=xvda,target=/dev/sdb",
    "target=/x.qcow2, format=qcow2, vdev=xvda",
    "foo",
    "/dev/sdb",
    "/dev/sdb,raw,xvda,rw,extra",
    "/dev/sdb,raw,xvda,x",
    "/dev/sdb,vmdk,xvda,w",
    "bogus=1,vdev=xvda,target=/x",
    "vdev=xvda,backendtype=nfs,target=/x",
    "vdev=xvda,devtype=floppy,target=/x",
    "vdev=xvda,vdev=xvdb,target=/x",
    "/dev/sdb,raw,hda:tape,w",
    "unknownprefix:/dev/sdb,xvda,w",
    "",
};

/* Deliberate extensions: Debian's libxlutil 4.17 refuses these, we accept
 * them (trusted= exists in its libxl; format names in any case, with a
 * warning). Checked to stay that way, so a change on either side shows. */
static const char *const extensions[] = {
    "trusted,vdev=hda,target=/some/disk/image.raw",
    "untrusted,vdev=hda,target=/some/disk/image.raw",
    "/dev/sdb,QCOW2,xvda",
    "/dev/sdb,Raw,xvda",
};

/* JSON of what xlu_disk_parse makes of spec, or NULL if it refuses. */
static char *reference_json(const char *spec)
{
    FILE *devnull = fopen("/dev/null", "w");
    XLU_Config *cfg = xlu_cfg_init(devnull ? devnull : stderr, "test");
    libxl_device_disk disk;
    char *json = NULL;

    libxl_device_disk_init(&disk);
    if (cfg && xlu_disk_parse(cfg, 1, &spec, &disk) == 0)
        json = libxl_device_disk_to_json(NULL, &disk);
    libxl_device_disk_dispose(&disk);
    if (cfg)
        xlu_cfg_destroy(cfg);
    if (devnull)
        fclose(devnull);
    return json;
}

/* JSON of ours, with the block script we add by default taken out. */
static char *our_json(const char *spec)
{
    libxl_device_disk disk;
    char *json = NULL, *ours;

    if (xl_disk_from_spec(spec, NULL, &disk, NULL) == 0) {
        ours = xl_script_path("block");
        if (ours && disk.script && strcmp(disk.script, ours) == 0) {
            free(disk.script);
            disk.script = NULL;
        }
        free(ours);
        json = libxl_device_disk_to_json(NULL, &disk);
    }
    libxl_device_disk_dispose(&disk);
    return json;
}

int main(void)
{
    size_t i, n = sizeof(specs) / sizeof(specs[0]);
    size_t m = sizeof(extensions) / sizeof(extensions[0]);
    int failed = 0;

    setenv("XL_SCRIPTS_DIR", "/opt/xlt/scripts", 1);
    printf("1..%zu\n", n + m);
    for (i = 0; i < n; i++) {
        char *ref = reference_json(specs[i]);
        char *ours = our_json(specs[i]);
        bool same = (!ref && !ours) || (ref && ours && !strcmp(ref, ours));

        printf("%s %zu - '%s' %s\n", same ? "ok" : "not ok", i + 1, specs[i],
               ref ? "parses as libxlutil's" : "is refused by both");
        if (!same) {
            failed = 1;
            printf("# libxlutil: %s\n# ours: %s\n", ref ? ref : "(refused)",
                   ours ? ours : "(refused)");
        }
        free(ref);
        free(ours);
    }
    for (i = 0; i < m; i++) {
        char *ref = reference_json(extensions[i]);
        char *ours = our_json(extensions[i]);

        printf("%s %zu - '%s' is our extension (libxlutil refuses it)\n",
               !ref && ours ? "ok" : "not ok", n + i + 1, extensions[i]);
        if (ref || !ours)
            failed = 1;
        free(ref);
        free(ours);
    }
    return failed;
}
