/* sxp.c: the xm-style S-expression form of a domain config (sxp.h).
 *
 * The layout is fixed by what Xen 4.17's xl prints, field for field: a
 * tab per level, one "(name value)" per line, strings as they are (a
 * missing one as "(null)", which is how glibc prints a NULL %s), booleans
 * as libxl names them ("True", "False", "<default>"), numbers in decimal.
 * It is a legacy form: only these fields exist in it. */
#include <inttypes.h>
#include <stdarg.h>

#include <libxl_utils.h>

#include "sxp.h"
#include "xl.h"

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

static const char *tf(libxl_defbool b)
{
    return libxl_defbool_to_string(b);
}

/* One line: `depth` tabs, then "(", the formatted text, ")". */
static void item(FILE *out, int depth, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void item(FILE *out, int depth, const char *fmt, ...)
{
    va_list ap;

    for (int i = 0; i < depth; i++)
        putc('\t', out);
    putc('(', out);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputs(")\n", out);
}

/* An opening "(name" line, or a closing ")" line. */
static void open_group(FILE *out, int depth, const char *name)
{
    for (int i = 0; i < depth; i++)
        putc('\t', out);
    fprintf(out, "(%s\n", name);
}

static void close_group(FILE *out, int depth)
{
    for (int i = 0; i < depth; i++)
        putc('\t', out);
    fputs(")\n", out);
}

static void header(FILE *out, int domid, const uint8_t *uuid,
                   const libxl_domain_config *dc)
{
    const libxl_domain_create_info *c = &dc->c_info;
    const libxl_domain_build_info *b = &dc->b_info;

    fprintf(out, "(domain\n");
    item(out, 1, "domid %d", domid);
    item(out, 1, "create_info");
    item(out, 1, "hvm %d", c->type == LIBXL_DOMAIN_TYPE_HVM);
    item(out, 1, "hap %s", tf(c->hap));
    item(out, 1, "oos %s", tf(c->oos));
    item(out, 1, "ssidref %d", (int)c->ssidref);
    item(out, 1, "name %s", or_null(c->name));
    if (uuid)
        item(out, 1, "uuid " LIBXL_UUID_FMT, uuid[0], uuid[1], uuid[2], uuid[3],
             uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10],
             uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
    else
        item(out, 1, "uuid <unknown>");
    if (c->pool_name)
        item(out, 1, "cpupool %s", c->pool_name);
    item(out, 1, "xsdata %s", c->xsdata ? "contains data" : "(null)");
    item(out, 1, "platformdata %s",
         c->platformdata ? "contains data" : "(null)");

    item(out, 1, "build_info");
    item(out, 1, "max_vcpus %d", b->max_vcpus);
    item(out, 1, "max_grant_frames %d", (int)b->max_grant_frames);
    item(out, 1, "max_maptrack_frames %d", (int)b->max_maptrack_frames);
    item(out, 1, "tsc_mode %s", or_null(libxl_tsc_mode_to_string(b->tsc_mode)));
    item(out, 1, "max_memkb %" PRId64, (int64_t)b->max_memkb);
    item(out, 1, "target_memkb %" PRId64, (int64_t)b->target_memkb);
    item(out, 1, "nomigrate %s", tf(b->disable_migrate));
    if (c->type == LIBXL_DOMAIN_TYPE_PV && b->bootloader) {
        item(out, 1, "bootloader %s", b->bootloader);
        if (b->bootloader_args) {
            fputs("\t(bootloader_args", out);
            for (int i = 0; b->bootloader_args[i]; i++)
                fprintf(out, " %s", b->bootloader_args[i]);
            fputs(")\n", out);
        }
    }
}

static void hvm_image(FILE *out, const libxl_domain_build_info *b)
{
    const __typeof__(b->u.hvm) *h = &b->u.hvm;

    open_group(out, 2, "hvm");
    item(out, 3, "firmware %s", or_null(h->firmware));
    item(out, 3, "video_memkb %" PRId64, (int64_t)b->video_memkb);
    item(out, 3, "shadow_memkb %" PRId64, (int64_t)b->shadow_memkb);
    item(out, 3, "pae %s", tf(h->pae));
    item(out, 3, "apic %s", tf(b->apic));
    item(out, 3, "acpi %s", tf(h->acpi));
    item(out, 3, "nx %s", tf(h->nx));
    item(out, 3, "viridian %s", tf(h->viridian));
    item(out, 3, "hpet %s", tf(h->hpet));
    item(out, 3, "vpt_align %s", tf(h->vpt_align));
    item(out, 3, "timer_mode %s",
         or_null(libxl_timer_mode_to_string(b->timer_mode)));
    item(out, 3, "nestedhvm %s", tf(b->nested_hvm));
    item(out, 3, "stdvga %s",
         h->vga.kind == LIBXL_VGA_INTERFACE_TYPE_STD ? "True" : "False");
    item(out, 3, "vnc %s", tf(h->vnc.enable));
    item(out, 3, "vnclisten %s", or_null(h->vnc.listen));
    item(out, 3, "vncdisplay %d", h->vnc.display);
    item(out, 3, "vncunused %s", tf(h->vnc.findunused));
    item(out, 3, "keymap %s", or_null(h->keymap));
    item(out, 3, "sdl %s", tf(h->sdl.enable));
    item(out, 3, "opengl %s", tf(h->sdl.opengl));
    item(out, 3, "nographic %s", tf(h->nographic));
    item(out, 3, "spice %s", tf(h->spice.enable));
    item(out, 3, "spiceport %d", h->spice.port);
    item(out, 3, "spicetls_port %d", h->spice.tls_port);
    item(out, 3, "spicehost %s", or_null(h->spice.host));
    item(out, 3, "spicedisable_ticketing %s", tf(h->spice.disable_ticketing));
    item(out, 3, "spiceagent_mouse %s", tf(h->spice.agent_mouse));
    item(out, 3, "device_model %s",
         b->device_model ? b->device_model : "default");
    item(out, 3, "gfx_passthru %s", tf(h->gfx_passthru));
    item(out, 3, "serial %s", or_null(h->serial));
    item(out, 3, "boot %s", or_null(h->boot));
    item(out, 3, "usb %s", tf(h->usb));
    item(out, 3, "usbdevice %s", or_null(h->usbdevice));
    item(out, 3, "vkb_device %s", tf(h->vkb_device));
    close_group(out, 2);
}

static void pv_image(FILE *out, const libxl_domain_build_info *b)
{
    /* "linux" carries a 0 and the fields follow it, not inside it */
    item(out, 2, "linux 0");
    item(out, 3, "kernel %s", or_null(b->kernel));
    item(out, 3, "cmdline %s", or_null(b->cmdline));
    item(out, 3, "ramdisk %s", or_null(b->ramdisk));
    item(out, 3, "e820_host %s", tf(b->u.pv.e820_host));
    close_group(out, 2);
}

static void devices(FILE *out, int domid, const libxl_domain_config *dc)
{
    for (int i = 0; i < dc->num_disks; i++) {
        const libxl_device_disk *k = &dc->disks[i];

        open_group(out, 1, "device");
        open_group(out, 2, "tap");
        item(out, 3, "backend_domid %d", (int)k->backend_domid);
        item(out, 3, "frontend_domid %d", domid);
        item(out, 3, "physpath %s", or_null(k->pdev_path));
        item(out, 3, "phystype %d", (int)k->backend);
        item(out, 3, "virtpath %s", or_null(k->vdev));
        item(out, 3, "unpluggable %d", k->removable);
        item(out, 3, "readwrite %d", k->readwrite);
        item(out, 3, "is_cdrom %d", k->is_cdrom);
        close_group(out, 2);
        close_group(out, 1);
    }
    for (int i = 0; i < dc->num_nics; i++) {
        const libxl_device_nic *n = &dc->nics[i];

        open_group(out, 1, "device");
        open_group(out, 2, "vif");
        if (n->ifname)
            item(out, 3, "vifname %s", n->ifname);
        item(out, 3, "backend_domid %d", (int)n->backend_domid);
        item(out, 3, "frontend_domid %d", domid);
        item(out, 3, "devid %d", n->devid);
        item(out, 3, "mtu %d", n->mtu);
        item(out, 3, "model %s", or_null(n->model));
        item(out, 3, "mac %02x%02x%02x%02x%02x%02x", n->mac[0], n->mac[1],
             n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
        close_group(out, 2);
        close_group(out, 1);
    }
    for (int i = 0; i < dc->num_pcidevs; i++) {
        const libxl_device_pci *p = &dc->pcidevs[i];

        open_group(out, 1, "device");
        open_group(out, 2, "pci");
        item(out, 3, "pci dev %04x:%02x:%02x.%01x@%02x", (unsigned)p->domain,
             p->bus, p->dev, p->func, p->vdevfn);
        item(out, 3, "opts msitranslate %d power_mgmt %d", p->msitranslate,
             p->power_mgmt);
        close_group(out, 2);
        close_group(out, 1);
    }
    for (int i = 0; i < dc->num_vfbs; i++) {
        const libxl_device_vfb *f = &dc->vfbs[i];

        open_group(out, 1, "device");
        open_group(out, 2, "vfb");
        item(out, 3, "backend_domid %d", (int)f->backend_domid);
        item(out, 3, "frontend_domid %d", domid);
        item(out, 3, "devid %d", f->devid);
        item(out, 3, "vnc %s", tf(f->vnc.enable));
        item(out, 3, "vnclisten %s", or_null(f->vnc.listen));
        item(out, 3, "vncdisplay %d", f->vnc.display);
        item(out, 3, "vncunused %s", tf(f->vnc.findunused));
        item(out, 3, "keymap %s", or_null(f->keymap));
        item(out, 3, "sdl %s", tf(f->sdl.enable));
        item(out, 3, "opengl %s", tf(f->sdl.opengl));
        item(out, 3, "display %s", or_null(f->sdl.display));
        item(out, 3, "xauthority %s", or_null(f->sdl.xauthority));
        close_group(out, 2);
        close_group(out, 1);
    }
}

int xl_sxp_print(FILE *out, int domid, const uint8_t *uuid,
                 const libxl_domain_config *dc)
{
    header(out, domid, uuid, dc);
    open_group(out, 1, "image");
    switch (dc->c_info.type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        hvm_image(out, &dc->b_info);
        break;
    case LIBXL_DOMAIN_TYPE_PV:
        pv_image(out, &dc->b_info);
        break;
    default:
        fflush(out);
        xl_err("output_format = \"sxp\" has no form for a %s domain (%s); "
               "use output_format = \"json\"",
               libxl_domain_type_to_string(dc->c_info.type),
               or_null(dc->c_info.name));
        return 1;
    }
    close_group(out, 1);
    devices(out, domid, dc);
    fputs(")\n", out);
    return 0;
}
