/* translate_devices.c: devices and other lists of a config -> libxl. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "devmap.h"
#include "libxlcfg.h"
#include "translate.h"
#include "translate_internal.h"
#include "xlconf.h"

/* ------------------------------------------------------------------------
 * Devices other than disk and vif (those come from devmap.c)
 */

void tr_pci(translation *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long msitranslate = 0, power_mgmt = 0, permissive = 0, seize = 0;
    const xlcfg_value *list;

    tr_get_long(t, "pci_msitranslate", &msitranslate);
    tr_get_long(t, "pci_power_mgmt", &power_mgmt);
    tr_get_long(t, "pci_permissive", &permissive);
    tr_get_long(t, "pci_seize", &seize);
    if (tr_get_list(t, "pci", &list))
        return;
    dc->pcidevs = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->pcidevs));
    if (!dc->pcidevs) {
        tr_oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_pci *p = &dc->pcidevs[dc->num_pcidevs];
        const xlcfg_pci *spec;

        if (!tr_item_str(t, "pci", list->items[i]))
            return;
        libxl_device_pci_init(p);
        dc->num_pcidevs++;
        p->msitranslate = msitranslate;
        p->power_mgmt = power_mgmt;
        p->permissive = permissive;
        p->seize = seize;
        /* The reference reads the global policy through the HVM member of
         * the union whatever the type; do the same to build the same. */
        p->rdm_policy = b->u.hvm.rdm.policy;
        spec = tr_parsed(t, xlcfg_parsed_pci(t->cfg, i), list->items[i]);
        if (!spec)
            return;
        p->domain = (int)spec->domain;
        p->bus = (uint8_t)spec->bus;
        p->dev = (uint8_t)spec->dev;
        p->func = (uint8_t)spec->func;
        /* One function is vfunc 0 of the guest's device; DD.* is all. */
        p->vfunc_mask = 1;
        if (spec->func_all) {
            p->vfunc_mask = LIBXL_PCI_FUNC_ALL;
            p->func = 0;
        }
        if (spec->vslot >= 0)
            p->vdevfn = (uint32_t)((spec->vslot & 0x1f) << 3);
        if (spec->permissive >= 0)
            p->permissive = spec->permissive;
        if (spec->msitranslate >= 0)
            p->msitranslate = spec->msitranslate;
        if (spec->seize >= 0)
            p->seize = spec->seize;
        if (spec->power_mgmt >= 0)
            p->power_mgmt = spec->power_mgmt;
        if (spec->rdm_policy)
            libxl_rdm_reserve_policy_from_string(spec->rdm_policy,
                                                 &p->rdm_policy);
        if (spec->name)
            p->name = tr_xdup(t, spec->name);
    }
    if (dc->num_pcidevs && dc->c_info.type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&b->u.pv.e820_host, true);
}

void tr_rdm(translation *t, libxl_domain_build_info *b)
{
    const char *s;
    char *buf, *save = NULL;

    if (tr_get_str(t, "rdm", &s))
        return;
    buf = tr_xdup(t, s);
    if (!buf)
        return;
    /* "strategy=host|ignore,policy=strict|relaxed"; the reference keeps
     * the old values when the spec does not parse. */
    libxl_rdm_reserve rdm = b->u.hvm.rdm;
    for (char *p = strtok_r(buf, ",", &save); p;
         p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');

        if (!eq)
            goto bad;
        *eq = 0;
        if (!strcmp(p, "strategy")) {
            if (libxl_rdm_reserve_strategy_from_string(eq + 1, &rdm.strategy))
                goto bad;
        } else if (!strcmp(p, "policy")) {
            if (libxl_rdm_reserve_policy_from_string(eq + 1, &rdm.policy))
                goto bad;
        } else {
            goto bad;
        }
    }
    b->u.hvm.rdm.strategy = rdm.strategy;
    b->u.hvm.rdm.policy = rdm.policy;
    free(buf);
    return;
bad:
    tr_err_at(t, xlcfg_get(t->cfg, "rdm"),
              "invalid rdm spec '%s' (expected strategy=host|ignore,"
              "policy=strict|relaxed)",
              s);
    free(buf);
}

void tr_channels(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "channel", &list))
        return;
    dc->channels =
        calloc(list->nitems ? list->nitems : 1, sizeof(*dc->channels));
    if (!dc->channels) {
        tr_oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_channel *c = &dc->channels[i];
        const char *s = tr_item_str(t, "channel", list->items[i]);
        char *path = NULL;

        libxl_device_channel_init(c);
        c->devid = (libxl_devid)i;
        dc->num_channels++;
        if (!s)
            return;
        for (const char *p = s; *p;) {
            const char *end = strchr(p, ','), *eq;
            char *k, *v;

            if (!end)
                end = p + strlen(p);
            eq = memchr(p, '=', (size_t)(end - p));
            if (end == p) {
                p = *end ? end + 1 : end;
                continue;
            }
            if (!eq) {
                tr_err_at(t, list->items[i], "channel: '%.*s' is not key=value",
                          (int)(end - p), p);
                free(path);
                return;
            }
            k = tr_trimmed(t, p, eq);
            v = tr_trimmed(t, eq + 1, end);
            if (k && v) {
                if (!strcmp(k, "backend")) {
                    tr_replace(t, &c->backend_domname, v);
                } else if (!strcmp(k, "name")) {
                    tr_replace(t, &c->name, v);
                } else if (!strcmp(k, "path")) {
                    tr_replace(t, &path, v);
                } else if (!strcmp(k, "connection")) {
                    if (!strcmp(v, "pty"))
                        c->connection = LIBXL_CHANNEL_CONNECTION_PTY;
                    else if (!strcmp(v, "socket"))
                        c->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
                    else
                        tr_err_at(t, list->items[i],
                                  "channel: unknown connection '%s' (pty or "
                                  "socket)",
                                  v);
                } else {
                    tr_warn_at(t, list->items[i],
                               "channel: unknown parameter '%s' ignored", k);
                }
            }
            free(k);
            free(v);
            p = *end ? end + 1 : end;
        }
        if (c->connection == LIBXL_CHANNEL_CONNECTION_UNKNOWN) {
            tr_err_at(t, list->items[i], "channel has no 'connection='");
        } else if (c->connection == LIBXL_CHANNEL_CONNECTION_SOCKET) {
            if (!path)
                tr_err_at(t, list->items[i],
                          "channel connection 'socket' requires path=");
            else
                c->u.socket.path = tr_xdup(t, path);
        }
        free(path);
    }
}

void tr_add_vfb_vkb(translation *t, libxl_domain_config *dc,
                    libxl_device_vfb **vfb_r)
{
    libxl_device_vfb *vfbs;
    libxl_device_vkb *vkbs;

    vfbs = realloc(dc->vfbs, (size_t)(dc->num_vfbs + 1) * sizeof(*vfbs));
    if (!vfbs) {
        tr_oom(t);
        *vfb_r = NULL;
        return;
    }
    dc->vfbs = vfbs;
    libxl_device_vfb_init(&vfbs[dc->num_vfbs]);
    vfbs[dc->num_vfbs].devid = dc->num_vfbs;
    *vfb_r = &vfbs[dc->num_vfbs++];
    vkbs = realloc(dc->vkbs, (size_t)(dc->num_vkbs + 1) * sizeof(*vkbs));
    if (!vkbs) {
        tr_oom(t);
        *vfb_r = NULL;
        return;
    }
    dc->vkbs = vkbs;
    libxl_device_vkb_init(&vkbs[dc->num_vkbs]);
    vkbs[dc->num_vkbs].devid = dc->num_vkbs;
    dc->num_vkbs++;
}

void tr_vfbs(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "vfb", &list))
        return;
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = tr_item_str(t, "vfb", list->items[i]);
        libxl_device_vfb *vfb;
        char *buf, *save = NULL;

        if (!s)
            return;
        tr_add_vfb_vkb(t, dc, &vfb);
        if (!vfb || !(buf = tr_xdup(t, s)))
            return;
        for (char *p = strtok_r(buf, ",", &save); p;
             p = strtok_r(NULL, ",", &save)) {
            char *eq;

            while (*p == ' ')
                p++;
            eq = strchr(p, '=');
            if (!eq)
                break; /* the reference stops at the first bare word */
            *eq++ = 0;
            if (!strcmp(p, "vnc"))
                libxl_defbool_set(&vfb->vnc.enable, atoi(eq));
            else if (!strcmp(p, "vnclisten"))
                tr_replace(t, &vfb->vnc.listen, eq);
            else if (!strcmp(p, "vncpasswd"))
                tr_replace(t, &vfb->vnc.passwd, eq);
            else if (!strcmp(p, "vncdisplay"))
                vfb->vnc.display = (uint32_t)atoi(eq);
            else if (!strcmp(p, "vncunused"))
                libxl_defbool_set(&vfb->vnc.findunused, atoi(eq));
            else if (!strcmp(p, "keymap"))
                tr_replace(t, &vfb->keymap, eq);
            else if (!strcmp(p, "sdl"))
                libxl_defbool_set(&vfb->sdl.enable, atoi(eq));
            else if (!strcmp(p, "opengl"))
                libxl_defbool_set(&vfb->sdl.opengl, atoi(eq));
            else if (!strcmp(p, "display"))
                tr_replace(t, &vfb->sdl.display, eq);
            else if (!strcmp(p, "xauthority"))
                tr_replace(t, &vfb->sdl.xauthority, eq);
            else
                tr_warn_at(t, list->items[i], "vfb: unknown key '%s' ignored",
                           p);
        }
        free(buf);
    }
}

void tr_top_level_vnc_sdl(translation *t, libxl_vnc_info *vnc,
                          libxl_sdl_info *sdl)
{
    long l;

    tr_get_defbool(t, "vnc", &vnc->enable);
    tr_get_replace(t, "vnclisten", &vnc->listen);
    tr_get_replace(t, "vncpasswd", &vnc->passwd);
    if (!tr_get_long(t, "vncdisplay", &l))
        vnc->display = (uint32_t)l;
    tr_get_defbool(t, "vncunused", &vnc->findunused);
    tr_get_defbool(t, "sdl", &sdl->enable);
    tr_get_defbool(t, "opengl", &sdl->opengl);
    tr_get_replace(t, "display", &sdl->display);
    tr_get_replace(t, "xauthority", &sdl->xauthority);
}

void tr_vtpms(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "vtpm", &list))
        return;
    dc->vtpms = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->vtpms));
    if (!dc->vtpms) {
        tr_oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_vtpm *v = &dc->vtpms[i];
        const char *s = tr_item_str(t, "vtpm", list->items[i]);
        char *buf, *save = NULL;
        bool got_backend = false;

        libxl_device_vtpm_init(v);
        v->devid = (libxl_devid)i;
        dc->num_vtpms++;
        if (!s || !(buf = tr_xdup(t, s)))
            return;
        for (char *p = strtok_r(buf, ",", &save); p;
             p = strtok_r(NULL, ",", &save)) {
            char *eq;

            while (*p == ' ')
                p++;
            if (!(eq = strchr(p, '=')))
                break;
            *eq++ = 0;
            if (!strcmp(p, "backend")) {
                tr_replace(t, &v->backend_domname, eq);
                got_backend = true;
            } else if (!strcmp(p, "uuid")) {
                if (libxl_uuid_from_string(&v->uuid, eq))
                    tr_err_at(t, list->items[i], "vtpm: invalid uuid '%s'", eq);
            } else {
                tr_err_at(t, list->items[i], "vtpm: unknown key '%s'", p);
            }
        }
        if (!got_backend)
            tr_err_at(t, list->items[i], "vtpm spec needs backend=");
        free(buf);
    }
}

void tr_dtdevs(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "dtdev", &list))
        return;
    dc->dtdevs = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->dtdevs));
    if (!dc->dtdevs) {
        tr_oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = tr_item_str(t, "dtdev", list->items[i]);

        libxl_device_dtdev_init(&dc->dtdevs[i]);
        dc->num_dtdevs++;
        if (!s)
            return;
        dc->dtdevs[i].path = tr_xdup(t, s);
    }
}

void tr_ioports_irqs_iomem(translation *t, libxl_domain_build_info *b)
{
    const xlcfg_value *list;

    if (!tr_get_list(t, "ioports", &list)) {
        b->ioports =
            calloc(list->nitems ? list->nitems : 1, sizeof(*b->ioports));
        if (!b->ioports)
            return tr_oom(t);
        b->num_ioports = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = tr_item_str(t, "ioports", list->items[i]);
            unsigned long lo, hi;
            char *ep;

            if (!s)
                return;
            lo = hi = strtoul(s, &ep, 16);
            if (ep == s || lo >= UINT32_MAX)
                goto bad_ioport;
            if (*ep == '-') {
                const char *s2 = ep + 1;

                hi = strtoul(s2, &ep, 16);
                if (ep == s2 || *ep || hi >= UINT32_MAX || hi < lo)
                    goto bad_ioport;
            } else if (*ep) {
                goto bad_ioport;
            }
            b->ioports[i].first = (uint32_t)lo;
            b->ioports[i].number = (uint32_t)(hi - lo + 1);
            continue;
        bad_ioport:
            tr_err_at(t, list->items[i],
                      "invalid ioport range '%s' (hex FIRST[-LAST])", s);
            return;
        }
    }
    if (!tr_get_list(t, "irqs", &list)) {
        b->irqs = calloc(list->nitems ? list->nitems : 1, sizeof(*b->irqs));
        if (!b->irqs)
            return tr_oom(t);
        b->num_irqs = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = tr_item_str(t, "irqs", list->items[i]);
            unsigned long ul;
            char *ep;

            if (!s)
                return;
            ul = strtoul(s, &ep, 10);
            if (ep == s || *ep || ul >= UINT32_MAX) {
                tr_err_at(t, list->items[i], "invalid irq '%s'", s);
                return;
            }
            b->irqs[i] = (uint32_t)ul;
        }
    }
    if (!tr_get_list(t, "iomem", &list)) {
        b->iomem = calloc(list->nitems ? list->nitems : 1, sizeof(*b->iomem));
        if (!b->iomem)
            return tr_oom(t);
        b->num_iomem = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = tr_item_str(t, "iomem", list->items[i]);
            int used = 0, n;

            libxl_iomem_range_init(&b->iomem[i]);
            if (!s)
                return;
            n = sscanf(s, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n",
                       &b->iomem[i].start, &b->iomem[i].number, &used,
                       &b->iomem[i].gfn, &used);
            if (n < 2 || s[used]) {
                tr_err_at(t, list->items[i],
                          "invalid iomem '%s' (hex START,PAGES[@GFN])", s);
                return;
            }
        }
    }
}

void tr_cpuid(translation *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, "cpuid");

    if (!v)
        return;
    if (v->type == XLCFG_LIST) {
        for (size_t i = 0; i < v->nitems; i++) {
            const char *s = tr_item_str(t, "cpuid", v->items[i]);

            if (!s)
                return;
            if (libxl_cpuid_parse_config_xend(&b->cpuid, s))
                tr_err_at(t, v->items[i], "invalid CPUID line '%s'", s);
        }
        return;
    }
    /* "host,flag=value,...": the first word must be "host". */
    char *buf = tr_xdup(t, v->text), *save = NULL, *p;

    if (!buf)
        return;
    p = strtok_r(buf, ",", &save);
    if (p && strcmp(p, "host")) {
        tr_err_at(t, v, "cpuid string must start with \"host\"");
    } else if (p) {
        while ((p = strtok_r(NULL, ",", &save))) {
            if (libxl_cpuid_parse_config(&b->cpuid, p))
                tr_err_at(t, v, "invalid CPUID flag '%s'", p);
        }
    }
    free(buf);
}

void tr_extra_args(translation *t, const char *key, libxl_string_list *l)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return;
    if (v->type != XLCFG_LIST) {
        tr_err_at(t, v, "'%s' must be a list of strings", key);
        return;
    }
    tr_list_to_strings(t, key, v, l);
}

/* One rule for every key the table marks REFUSED (libxlcfg/keys_table.h):
 * an error at the key, carrying the table's note (why, what to do),
 * rather than a domain built without it. */
void tr_refuse_unsupported(translation *t)
{
    const xlcfg_keyinfo *keys;
    size_t n = xlcfg_keys(&keys);
    xlcfg_loc loc;

    for (size_t i = 0; i < n; i++) {
        if (!(keys[i].flags & XLCFG_KF_REFUSED) ||
            xlcfg_key_loc(t->cfg, keys[i].name, &loc))
            continue;
        if (xlcfg_diags_add(t->d, XLCFG_SEV_ERROR, &loc, NULL, "'%s' is %s",
                            keys[i].name, keys[i].note))
            t->rc = ENOMEM;
        else if (!t->rc)
            t->rc = EINVAL;
    }
}

/* ------------------------------------------------------------------------
 * Disks and vifs through devmap.c
 */

void tr_disks(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "disk", &list))
        return;
    dc->disks = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->disks));
    if (!dc->disks)
        return tr_oom(t);
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_disk *disk = &dc->disks[dc->num_disks];
        const xlcfg_disk *x;

        if (!tr_item_str(t, "disk", list->items[i]))
            return;
        x = tr_parsed(t, xlcfg_parsed_disk(t->cfg, i), list->items[i]);
        if (!x)
            return;
        dc->num_disks++;
        if (xl_disk_from_parsed(x, disk))
            return tr_oom(t);
        if (t->reference_scripts && !x->script) {
            free(disk->script);
            disk->script = NULL;
        }
    }
}

void tr_nics(translation *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (tr_get_list(t, "vif", &list))
        return;
    dc->nics = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->nics));
    if (!dc->nics)
        return tr_oom(t);
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_nic *nic = &dc->nics[dc->num_nics];
        const xlcfg_vif *x;
        xlcfg_loc loc;
        int rc;

        if (!tr_item_str(t, "vif", list->items[i]))
            return;
        x = tr_parsed(t, xlcfg_parsed_vif(t->cfg, i), list->items[i]);
        if (!x)
            return;
        xlcfg_value_loc(t->cfg, list->items[i], &loc);
        rc = xl_nic_from_parsed(x, t->conf, &loc, nic, t->d);
        dc->num_nics++;
        if (rc) {
            if (!t->rc)
                t->rc = rc == ENOMEM ? ENOMEM : EINVAL;
            return;
        }
        /* The reference numbers vifs by position. */
        if (nic->devid == -1)
            nic->devid = (libxl_devid)i;
        if (t->reference_scripts && !x->script) {
            free(nic->script);
            nic->script =
                t->conf->vif_script ? tr_xdup(t, t->conf->vif_script) : NULL;
        }
    }
}
