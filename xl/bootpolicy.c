/* bootpolicy.c: move a guest config between PV, pygrub, PVH and HVM. */

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootpolicy.h"

#define PARK_HVM "#xl-boot-policy(hvm): "
#define PARK_PV "#xl-boot-policy(pv): "
#define PARK_PYGRUB "#xl-boot-policy(pygrub): "
/* Keys a switch adds carry this comment, so that switching back removes
 * them instead of parking them: pv -> hvm -> pv gives the file back. */
#define ADDED "# added by xl boot-policy"

/* Keys that only mean something to an HVM guest (device model, firmware,
 * emulated hardware): parked while the guest is PV or PVH. */
static const char *const hvm_only[] = {
    "acpi_s3",
    "acpi_s4",
    "apic",
    "bios",
    "boot",
    "device_model_override",
    "device_model_version",
    "firmware",
    "gfx_passthru",
    "hdtype",
    "hpet",
    "keymap",
    "localtime",
    "nestedhvm",
    "nographic",
    "pae",
    "sdl",
    "serial",
    "soundhw",
    "stdvga",
    "timer_mode",
    "usb",
    "usbdevice",
    "usbversion",
    "vga",
    "videoram",
    "viridian",
    "vnc",
    "vncconsole",
    "vncdisplay",
    "vnclisten",
    "vncpasswd",
    "vncunused",
    "vpt_align",
    "xen_platform_pci",
};
/* Direct kernel boot from dom0: parked for pygrub and HVM. */
static const char *const direct_kernel[] = {"kernel", "ramdisk"};
/* The kernel command line: meaningless for HVM firmware boot. */
static const char *const kernel_args[] = {"cmdline", "root", "extra"};
static const char *const bootloader[] = {"bootloader", "bootloader_args"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const names[] = {
    [XL_BP_PV] = "pv",
    [XL_BP_PYGRUB] = "pygrub",
    [XL_BP_PVH] = "pvh",
    [XL_BP_HVM] = "hvm",
};

int xl_boot_policy_from_name(const char *name)
{
    for (size_t i = 0; i < N(names); i++)
        if (!strcmp(name, names[i]))
            return (int)i;
    if (!strcmp(name, "pv-pygrub"))
        return XL_BP_PYGRUB;
    return -1;
}

const char *xl_boot_policy_name(enum xl_boot_policy p)
{
    return names[p];
}

static const char *str(const xlcfg_cfg *cfg, const char *key)
{
    const xlcfg_value *v = xlcfg_get(cfg, key);

    return v && v->type == XLCFG_STRING ? v->text : NULL;
}

/* An xm-era HVM config names the firmware loader as its "kernel". */
static int is_hvmloader(const char *kernel)
{
    const char *base = kernel ? strrchr(kernel, '/') : NULL;

    base = base ? base + 1 : kernel;
    return base && !strcmp(base, "hvmloader");
}

enum xl_boot_policy xl_boot_policy_current(const xlcfg_cfg *cfg)
{
    const char *type = str(cfg, "type"), *builder = str(cfg, "builder");

    if (type ? !strcmp(type, "hvm") : builder && !strcmp(builder, "hvm"))
        return XL_BP_HVM;
    if (type && !strcmp(type, "pvh"))
        return XL_BP_PVH;
    if (str(cfg, "bootloader"))
        return XL_BP_PYGRUB;
    return XL_BP_PV;
}

/* A running list of what was changed, for the one-line summary. */
struct what {
    char buf[512];
    size_t len;
};

static void note(struct what *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct what *w, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (w->len >= sizeof(w->buf) - 1)
        return;
    if (w->len) {
        n = snprintf(w->buf + w->len, sizeof(w->buf) - w->len, "; ");
        w->len += (size_t)n < sizeof(w->buf) - w->len ? (size_t)n : 0;
    }
    va_start(ap, fmt);
    n = vsnprintf(w->buf + w->len, sizeof(w->buf) - w->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->len += (size_t)n < sizeof(w->buf) - w->len
                      ? (size_t)n
                      : sizeof(w->buf) - 1 - w->len;
}

/* Whether the effective statement of `key` was added by a switch. */
static int added_by_switch(xlcfg_edit *e, const char *key)
{
    const xlcfg_cfg *cfg = xlcfg_edit_cfg(e);
    const xlcfg_value *v = xlcfg_get(cfg, key);
    size_t len, at;
    const char *t = xlcfg_edit_text(e, &len);

    if (!v || v->source != 0)
        return 0;
    at = v->span.end;
    while (at < len && (t[at] == ' ' || t[at] == '\t'))
        at++;
    return len - at >= strlen(ADDED) && !strncmp(t + at, ADDED, strlen(ADDED));
}

/* Park every key of `keys` that is set, under `prefix`; keys an earlier
 * switch added are simply removed. */
static int park(xlcfg_edit *e, const char *const *keys, size_t n,
                const char *prefix, struct what *w)
{
    int rc;

    for (size_t i = 0; i < n; i++) {
        if (!xlcfg_get(xlcfg_edit_cfg(e), keys[i]))
            continue;
        if (added_by_switch(e, keys[i])) {
            rc = xlcfg_edit_unset(e, keys[i]);
            note(w, "removed %s", keys[i]);
        } else {
            rc = xlcfg_edit_comment_out(e, keys[i], prefix);
            note(w, "parked %s", keys[i]);
        }
        if (rc)
            return rc;
    }
    return 0;
}

static int unpark(xlcfg_edit *e, const char *prefix, struct what *w,
                  size_t *n_r)
{
    size_t n = 0;
    int rc = xlcfg_edit_uncomment(e, NULL, prefix, &n);

    if (!rc && n)
        note(w, "restored %zu parked key%s", n, n == 1 ? "" : "s");
    if (n_r)
        *n_r = n;
    return rc;
}

/* Set a string key; a key that was not set before is marked as added. */
static int set_str(xlcfg_edit *e, const char *key, const char *val,
                   struct what *w)
{
    const xlcfg_value *v = xlcfg_get(xlcfg_edit_cfg(e), key);
    char *marked = NULL;
    size_t len;
    const char *t;
    int rc;

    if (v && v->type == XLCFG_STRING && !strcmp(v->text, val))
        return 0;
    note(w, "%s=\"%s\"", key, val);
    if (v)
        return xlcfg_edit_set_string(e, key, val);
    rc = xlcfg_edit_set_string(e, key, val);
    if (rc)
        return rc;
    /* the value as rendered in the file's style, then the marker */
    v = xlcfg_get(xlcfg_edit_cfg(e), key);
    t = xlcfg_edit_text(e, &len);
    if (asprintf(&marked, "%.*s  " ADDED, (int)(v->span.end - v->span.begin),
                 t + v->span.begin) < 0)
        return ENOMEM;
    rc = xlcfg_edit_set(e, key, marked, NULL);
    free(marked);
    return rc;
}

/* Rename the vdev of one disk spec string for the new policy. `to_hvm`:
 * xvdX -> hdX (the first four, which the firmware can boot from); else
 * hdX/sdX -> xvdX. Returns a malloc'd new spec, or NULL if unchanged. */
static char *rename_vdev(const char *spec, int to_hvm)
{
    xlcfg_disk disk;
    const char *v, *from_prefix = NULL, *to_prefix;
    char *out = NULL, *copy = NULL, *tok, *save = NULL, *newvdev = NULL;
    size_t cap;

    if (xlcfg_parse_disk(spec, NULL, &disk, NULL)) {
        xlcfg_disk_dispose(&disk);
        return NULL;
    }
    v = disk.vdev;
    if (!v)
        goto out;
    if (to_hvm && !strncmp(v, "xvd", 3) && v[3] >= 'a' && v[3] <= 'd' &&
        (v[4] == '\0' || (v[4] >= '1' && v[4] <= '9'))) {
        from_prefix = "xvd";
        to_prefix = "hd";
    } else if (!to_hvm && (!strncmp(v, "hd", 2) || !strncmp(v, "sd", 2)) &&
               v[2] >= 'a' && v[2] <= 'z') {
        from_prefix = v[0] == 'h' ? "hd" : "sd";
        to_prefix = "xvd";
    } else {
        goto out;
    }
    if (asprintf(&newvdev, "%s%s", to_prefix, v + strlen(from_prefix)) < 0) {
        newvdev = NULL;
        goto out;
    }
    /* Replace the first token (before any target=, which swallows the
     * rest) that is the vdev, "vdev=VDEV" or "VDEV:cdrom"-style. */
    copy = strdup(spec);
    cap = strlen(spec) + strlen(newvdev) + 8;
    out = calloc(1, cap);
    if (!copy || !out)
        goto fail;
    {
        int done = 0, first = 1;
        const char *rest = NULL;

        for (tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            size_t vl = strlen(v);

            if (!first)
                strcat(out, ",");
            first = 0;
            if (!strncmp(tok, "target=", 7)) {
                rest = spec + (tok - copy);
                strcat(out, rest);
                break;
            }
            if (!done && !strcmp(tok, v)) {
                strcat(out, newvdev);
                done = 1;
            } else if (!done && !strncmp(tok, "vdev=", 5) &&
                       !strcmp(tok + 5, v)) {
                strcat(out, "vdev=");
                strcat(out, newvdev);
                done = 1;
            } else if (!done && !strncmp(tok, v, vl) && tok[vl] == ':') {
                strcat(out, newvdev);
                strcat(out, tok + vl);
                done = 1;
            } else {
                strcat(out, tok);
            }
        }
        /* strtok_r drops empty fields: only trust a lossless rewrite */
        if (!done || strlen(out) != strlen(spec) - strlen(v) + strlen(newvdev))
            goto fail;
    }
    goto out;
fail:
    free(out);
    out = NULL;
out:
    free(copy);
    free(newvdev);
    xlcfg_disk_dispose(&disk);
    return out;
}

/* Rewrite every string item of list `key` with fn (a malloc'd new text,
 * or NULL to keep the item); *changed_r counts the items rewritten. A list
 * with other items is left alone: validation reports those. */
static int rewrite_list(xlcfg_edit *e, const char *key,
                        char *(*fn)(const char *item, int arg), int arg,
                        size_t *changed_r)
{
    const xlcfg_value *v = xlcfg_get(xlcfg_edit_cfg(e), key);
    const char **items = NULL;
    char **owned = NULL;
    size_t i, n;
    int rc = 0;

    *changed_r = 0;
    if (!v || v->type != XLCFG_LIST)
        return 0;
    n = v->nitems;
    items = calloc(n + 1, sizeof(*items));
    owned = calloc(n + 1, sizeof(*owned));
    if (!items || !owned) {
        rc = ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (v->items[i]->type != XLCFG_STRING) {
            *changed_r = 0;
            goto out;
        }
        owned[i] = fn(v->items[i]->text, arg);
        items[i] = owned[i] ? owned[i] : v->items[i]->text;
        *changed_r += owned[i] != NULL;
    }
    if (*changed_r)
        rc = xlcfg_edit_set_strlist(e, key, items, n);
out:
    for (i = 0; owned && i < n; i++)
        free(owned[i]);
    free(owned);
    free(items);
    return rc;
}

static int rewrite_disks(xlcfg_edit *e, int to_hvm, struct what *w)
{
    size_t n;
    int rc = rewrite_list(e, "disk", rename_vdev, to_hvm, &n);

    if (!rc && n)
        note(w, "renamed %zu disk vdev%s to %s names", n, n == 1 ? "" : "s",
             to_hvm ? "hd" : "xvd");
    return rc;
}

/* A vif spec without its "type=ioemu" (and one adjoining comma), or NULL
 * if it has none. */
static char *drop_ioemu(const char *s, int unused)
{
    static const char key[] = "type=ioemu";
    const char *p = s;
    size_t pre, post;
    char *out;

    (void)unused;
    for (;; p++) {
        p = strstr(p, key);
        if (!p)
            return NULL;
        pre = (size_t)(p - s);
        post = pre + sizeof(key) - 1;
        /* a whole key=value item, spaces around it allowed */
        while (pre > 0 && s[pre - 1] == ' ')
            pre--;
        if ((pre == 0 || s[pre - 1] == ',') &&
            (s[post] == '\0' || s[post] == ',' || s[post] == ' '))
            break;
    }
    while (s[post] == ' ')
        post++;
    if (s[post] == ',') {
        post++;
        while (s[post] == ' ')
            post++;
    } else if (pre > 0) {
        pre--; /* the comma before the last item */
    }
    out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    memcpy(out, s, pre);
    strcpy(out + pre, s + post);
    return out;
}

/* PV and PVH netfronts have no emulated NIC: drop type=ioemu. */
static int rewrite_vifs_for_pv(xlcfg_edit *e, struct what *w)
{
    size_t n;
    int rc = rewrite_list(e, "vif", drop_ioemu, 0, &n);

    if (!rc && n)
        note(w, "dropped type=ioemu from %zu vif%s", n, n == 1 ? "" : "s");
    return rc;
}

/* The type a file means without a type= key: the xm-era builder's, or PV. */
static const char *implied_type(const xlcfg_cfg *cfg)
{
    const char *b = str(cfg, "builder");

    return b && !strcmp(b, "hvm") ? "hvm" : "pv";
}

/* Set the guest type with as small a mark as the file allows, so that
 * switching back gives it back byte for byte: an xm-era `builder` that
 * says otherwise is parked (restored by the switch back to its type), and
 * no type= is written where the file already means that type without one
 * (a type= an earlier switch added is removed then). */
static int set_type(xlcfg_edit *e, const char *type, struct what *w)
{
    const char *implied = implied_type(xlcfg_edit_cfg(e));
    const xlcfg_value *cur;
    int rc;

    if (str(xlcfg_edit_cfg(e), "builder") && strcmp(implied, type)) {
        rc = xlcfg_edit_comment_out(
            e, "builder", !strcmp(implied, "hvm") ? PARK_HVM : PARK_PV);
        if (rc)
            return rc;
        note(w, "parked builder");
        implied = implied_type(xlcfg_edit_cfg(e));
    }
    cur = xlcfg_get(xlcfg_edit_cfg(e), "type");
    if ((!cur || added_by_switch(e, "type")) && !strcmp(implied, type)) {
        if (!cur)
            return 0;
        note(w, "removed type");
        return xlcfg_edit_unset(e, "type");
    }
    return set_str(e, "type", type, w);
}

static int has_disk(const xlcfg_cfg *cfg)
{
    const xlcfg_value *v = xlcfg_get(cfg, "disk");

    return v && ((v->type == XLCFG_LIST && v->nitems) ||
                 (v->type == XLCFG_STRING && *v->text));
}

int xl_boot_policy_apply(xlcfg_edit *e, enum xl_boot_policy p,
                         const struct xl_bp_opts *o, char **what_r,
                         xlcfg_diags *d)
{
    struct what w = {.len = 0};
    bool have_kernel, have_bootloader, have_disk;
    size_t was_hvm = 0; /* HVM keys an earlier switch away parked */
    int rc = 0;

    xlcfg_loc loc = {
        .file = xlcfg_source_name(xlcfg_edit_cfg(e), 0),
        .line = 0,
        .col = 0,
        .source_line = NULL,
    };

    if (what_r)
        *what_r = NULL;
    /* First bring back what an earlier switch parked for this policy,
     * so that, e.g., pv -> hvm -> pv ends where it started. */
    if (p == XL_BP_HVM)
        rc = unpark(e, PARK_HVM, &w, &was_hvm);
    else if (p == XL_BP_PYGRUB)
        rc = unpark(e, PARK_PYGRUB, &w, NULL);
    if (!rc && p != XL_BP_PYGRUB)
        rc = unpark(e, PARK_PV, &w, NULL);
    if (rc)
        return rc;
    /* Every edit re-reads the text: take no pointers into it across
     * edits, only these facts. */
    {
        const xlcfg_cfg *cfg = xlcfg_edit_cfg(e);
        const char *k = str(cfg, "kernel");

        have_kernel = k && !is_hvmloader(k);
        have_bootloader = str(cfg, "bootloader") != NULL;
        have_disk = has_disk(cfg);
    }

    switch (p) {
    case XL_BP_PV:
    case XL_BP_PVH:
        if (o && o->kernel) {
            if ((rc = xlcfg_edit_set_string(e, "kernel", o->kernel)))
                return rc;
            note(&w, "kernel=\"%s\"", o->kernel);
            have_kernel = true;
        }
        if (o && o->ramdisk) {
            if ((rc = xlcfg_edit_set_string(e, "ramdisk", o->ramdisk)))
                return rc;
            note(&w, "ramdisk=\"%s\"", o->ramdisk);
        }
        if (!have_kernel && !(p == XL_BP_PVH && have_bootloader)) {
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                            "give one with --kernel (and --ramdisk); to keep "
                            "booting the guest's own kernel, use 'pygrub'",
                            "cannot switch to %s: the config has no kernel= "
                            "to boot directly",
                            names[p]);
            return EINVAL;
        }
        if (have_kernel && (rc = xlcfg_edit_unset(e, "bootloader")) == 0)
            note(&w, "removed bootloader (a kernel is set)");
        if (rc && rc != ENOENT)
            return rc;
        rc = xlcfg_get(xlcfg_edit_cfg(e), "bootloader_args") && have_kernel
                 ? park(e, bootloader + 1, 1, PARK_PYGRUB, &w)
                 : 0;
        if (!rc)
            rc = set_type(e, names[p], &w);
        if (!rc)
            rc = park(e, hvm_only, N(hvm_only), PARK_HVM, &w);
        if (!rc)
            rc = rewrite_disks(e, 0, &w);
        if (!rc)
            rc = rewrite_vifs_for_pv(e, &w);
        break;

    case XL_BP_PYGRUB:
        if (!have_disk) {
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                            "pygrub reads /boot/grub/grub.cfg from the "
                            "guest's first disk: add a disk= entry first",
                            "cannot switch to pygrub: the config has no "
                            "disk");
            return EINVAL;
        }
        rc = park(e, direct_kernel, N(direct_kernel), PARK_PV, &w);
        if (!rc)
            rc = set_type(e, "pv", &w);
        if (!rc && !str(xlcfg_edit_cfg(e), "bootloader"))
            rc = set_str(e, "bootloader", "pygrub", &w);
        if (!rc)
            rc = park(e, hvm_only, N(hvm_only), PARK_HVM, &w);
        if (!rc)
            rc = rewrite_disks(e, 0, &w);
        if (!rc)
            rc = rewrite_vifs_for_pv(e, &w);
        break;

    case XL_BP_HVM:
        if (!have_disk) {
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                            "HVM firmware boots from a disk or cdrom: add "
                            "a disk= entry first",
                            "cannot switch to hvm: the config has no disk "
                            "to boot from");
            return EINVAL;
        }
        /* An xm-era hvmloader "kernel" is the HVM firmware: it stays. */
        if (!is_hvmloader(str(xlcfg_edit_cfg(e), "kernel")))
            rc = park(e, direct_kernel, N(direct_kernel), PARK_PV, &w);
        if (!rc)
            rc = park(e, kernel_args, N(kernel_args), PARK_PV, &w);
        if (!rc)
            rc = park(e, bootloader, N(bootloader), PARK_PYGRUB, &w);
        if (!rc)
            rc = set_type(e, "hvm", &w);
        /* Defaults for a guest new to HVM; a file that was HVM before
         * (its HVM keys came back) gets back exactly what it had. */
        if (!rc &&
            (o && o->boot ? 1 : !was_hvm && !str(xlcfg_edit_cfg(e), "boot")))
            rc = set_str(e, "boot", o && o->boot ? o->boot : "cd", &w);
        if (!rc && o && o->firmware)
            rc = set_str(e, "firmware", o->firmware, &w);
        /* so that `xl console` keeps working: the serial port on a pty */
        if (!rc && !was_hvm && !xlcfg_get(xlcfg_edit_cfg(e), "serial"))
            rc = set_str(e, "serial", "pty", &w);
        if (!rc)
            rc = rewrite_disks(e, 1, &w);
        break;
    }
    if (!rc && what_r)
        *what_r = strdup(w.len ? w.buf : "nothing to change");
    return rc;
}
