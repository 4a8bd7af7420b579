/* translate.c: libxlcfg model -> libxl_domain_config, as Xen's xl maps it. */
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

#include "libxlcfg.h"
#include "translate.h"
#include "devspec.h"
#include "xlconf.h"

/* Where Debian's Xen 4.17 keeps pvgrub (the reference's XENFIRMWAREDIR). */
#define XL_XENFIRMWAREDIR "/usr/lib/xen-4.17/boot"

/* Bounds of the HVM MMIO hole below 4G (xen/hvm/e820.h). */
#define XL_MMIO_HOLE_MIN 0x10000000ULL
#define XL_MMIO_HOLE_MAX 0xF0000000ULL

/* Translation state: where to report, and whether anything failed. */
typedef struct tr {
    libxl_ctx *ctx;
    const xlcfg_cfg *cfg;
    xlcfg_diags *d;
    int rc; /* first hard failure (EINVAL after any error, or ENOMEM) */
    int nr_cpus;
    unsigned *cpu_to_node; /* NULL: all on node 0 */
    const struct xl_conf *conf;
    bool reference_scripts; /* XL_TR_REFERENCE_SCRIPTS */
} tr;

static const char *const action_names[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

int xl_action_from_string(const char *s, libxl_action_on_shutdown *a_r)
{
    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
         i++) {
        if (action_names[i] && !strcmp(s, action_names[i])) {
            *a_r = (libxl_action_on_shutdown)i;
            return 0;
        }
    }
    return EINVAL;
}

const char *xl_action_to_string(libxl_action_on_shutdown a)
{
    if ((size_t)a < sizeof(action_names) / sizeof(action_names[0]) &&
        action_names[a])
        return action_names[a];
    return "unknown";
}

/* ------------------------------------------------------------------------
 * Diagnostics and typed access with the reference's leniency
 */

static void vdiag(tr *t, xlcfg_severity sev, const xlcfg_value *v,
                  const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void vdiag(tr *t, xlcfg_severity sev, const xlcfg_value *v,
                  const char *hint, const char *fmt, va_list ap)
{
    xlcfg_loc loc = {0};
    char *msg = NULL;

    if (v)
        xlcfg_value_loc(t->cfg, v, &loc);
    if (vasprintf(&msg, fmt, ap) < 0) {
        t->rc = ENOMEM;
        return;
    }
    if (xlcfg_diags_add(t->d, sev, v ? &loc : NULL, hint, "%s", msg))
        t->rc = ENOMEM;
    free(msg);
    if (sev == XLCFG_SEV_ERROR && !t->rc)
        t->rc = EINVAL;
}

static void err_at(tr *t, const xlcfg_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_at(tr *t, const xlcfg_value *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(t, XLCFG_SEV_ERROR, v, NULL, fmt, ap);
    va_end(ap);
}

static void warn_at(tr *t, const xlcfg_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn_at(tr *t, const xlcfg_value *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(t, XLCFG_SEV_WARNING, v, NULL, fmt, ap);
    va_end(ap);
}

static void oom(tr *t)
{
    t->rc = ENOMEM;
}

static char *xdup(tr *t, const char *s)
{
    char *r = strdup(s);

    if (!r)
        oom(t);
    return r;
}

static void replace(tr *t, char **dst, const char *s)
{
    free(*dst);
    *dst = xdup(t, s);
}

/* A scalar (string or number, as the reference stores both as text). */
static int get_str(tr *t, const char *key, const char **r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return ENOENT;
    if (v->type == XLCFG_LIST) {
        err_at(t, v, "'%s' must be a single value, not a list", key);
        return EINVAL;
    }
    *r = v->text;
    return 0;
}

/* Like the reference's replace_string: only touches *dst when set. */
static void get_replace(tr *t, const char *key, char **dst)
{
    const char *s;

    if (!get_str(t, key, &s))
        replace(t, dst, s);
}

static int get_long(tr *t, const char *key, long *r)
{
    long long l;
    int rc;

    if (!xlcfg_get(t->cfg, key))
        return ENOENT;
    rc = xlcfg_get_long(t->cfg, key, &l, t->d);
    if (rc) {
        if (!t->rc)
            t->rc = rc == ENOMEM ? ENOMEM : EINVAL;
        return rc;
    }
    if (l < LONG_MIN || l > LONG_MAX) {
        err_at(t, xlcfg_get(t->cfg, key), "'%s' is out of range", key);
        return ERANGE;
    }
    *r = (long)l;
    return 0;
}

/* A number the reference also accepts as a name (tsc_mode, altp2m...):
 * ENOENT if unset, EAGAIN if it is set but not numeric (no diagnostic). */
static int get_long_quiet(tr *t, const char *key, long *r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);
    char *end;
    long l;

    if (!v)
        return ENOENT;
    if (v->type == XLCFG_LIST)
        return EAGAIN;
    errno = 0;
    l = strtol(v->text, &end, 0);
    if (end == v->text || *end || errno)
        return EAGAIN;
    *r = l;
    return 0;
}

static int get_defbool(tr *t, const char *key, libxl_defbool *b)
{
    long l;
    int rc = get_long(t, key, &l);

    if (!rc)
        libxl_defbool_set(b, !!l);
    return rc;
}

/* A list; a scalar is an error (the reference warns and ignores it). */
static int get_list(tr *t, const char *key, const xlcfg_value **r)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return ENOENT;
    if (v->type != XLCFG_LIST) {
        err_at(t, v, "'%s' must be a list, e.g. %s = [ \"%s\" ]", key, key,
               v->text);
        return EINVAL;
    }
    *r = v;
    return 0;
}

/* Item i of a list as a string; nested lists are errors. */
static const char *item_str(tr *t, const char *key, const xlcfg_value *item)
{
    if (item->type == XLCFG_LIST) {
        err_at(t, item, "items of '%s' must be strings, not lists", key);
        return NULL;
    }
    return item->text;
}

/* NULL-terminated libxl_string_list from a list of strings. */
static int list_to_strings(tr *t, const char *key, const xlcfg_value *list,
                           libxl_string_list *r)
{
    char **sl = calloc(list->nitems + 1, sizeof(*sl));

    if (!sl) {
        oom(t);
        return ENOMEM;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = item_str(t, key, list->items[i]);

        if (!s) {
            libxl_string_list_dispose(&sl);
            return EINVAL;
        }
        sl[i] = xdup(t, s);
        if (!sl[i]) {
            libxl_string_list_dispose(&sl);
            return ENOMEM;
        }
    }
    *r = sl;
    return 0;
}

/* split_string_into_string_list: strtok semantics (empty fields drop). */
static int split_words(tr *t, const char *s, const char *delim,
                       libxl_string_list *r)
{
    size_t n = 0, cap = 4;
    char **sl = calloc(cap + 1, sizeof(*sl));
    char *buf = strdup(s), *save = NULL;

    if (!sl || !buf)
        goto nomem;
    for (char *p = strtok_r(buf, delim, &save); p;
         p = strtok_r(NULL, delim, &save)) {
        if (n == cap) {
            char **nsl = realloc(sl, (2 * cap + 1) * sizeof(*sl));

            if (!nsl)
                goto nomem;
            sl = nsl;
            cap *= 2;
        }
        sl[n] = strdup(p);
        if (!sl[n])
            goto nomem;
        sl[++n] = NULL;
    }
    free(buf);
    *r = sl;
    return 0;
nomem:
    free(buf);
    libxl_string_list_dispose(&sl);
    oom(t);
    return ENOMEM;
}

/* Trimmed copy of [b, e). */
static char *trimmed(tr *t, const char *b, const char *e)
{
    char *r;

    while (b < e && isspace((unsigned char)*b))
        b++;
    while (e > b && isspace((unsigned char)e[-1]))
        e--;
    r = strndup(b, (size_t)(e - b));
    if (!r)
        oom(t);
    return r;
}

/* ------------------------------------------------------------------------
 * CPU affinity
 */

static int alloc_bitmap(tr *t, libxl_bitmap *bm, int bits)
{
    libxl_bitmap_init(bm);
    if (bits <= 0)
        bits = 1;
    bm->size = (uint32_t)((bits + 7) / 8);
    bm->map = calloc(bm->size, 1);
    if (!bm->map) {
        bm->size = 0;
        oom(t);
        return ENOMEM;
    }
    return 0;
}

static void host_cpus(tr *t)
{
    libxl_cputopology *topo = NULL;
    int nr = 0, bits;

    if (t->nr_cpus)
        return;
    if (t->ctx) {
        topo = libxl_get_cpu_topology(t->ctx, &nr);
        t->nr_cpus = libxl_get_max_cpus(t->ctx);
    }
    if (t->nr_cpus <= 0) {
        long n = sysconf(_SC_NPROCESSORS_CONF);

        t->nr_cpus = n > 0 ? (int)n : 1;
    }
    /* Room for whole bytes of CPUs (see cpulist_to_bitmap). */
    bits = (t->nr_cpus + 7) / 8 * 8;
    t->cpu_to_node = calloc((size_t)bits, sizeof(unsigned));
    for (int i = 0; t->cpu_to_node && topo && i < nr && i < t->nr_cpus; i++) {
        if (topo[i].node != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
            t->cpu_to_node[i] = topo[i].node;
    }
    if (topo)
        libxl_cputopology_list_free(topo, nr);
}

/* What xlcfg_validate() parsed of item i of `key`; NULL (an error at v)
 * if it did not run: translation never parses a spec itself. */
static const void *parsed(tr *t, const void *spec, const xlcfg_value *v)
{
    if (!spec) {
        err_at(t, v, "internal error: this value was not validated");
        if (!t->rc)
            t->rc = EINVAL;
    }
    return spec;
}

static int cpulist_to_bitmap(tr *t, const xlcfg_cpulist *cl,
                             const xlcfg_value *v, libxl_bitmap *bm)
{
    unsigned bits;
    int rc;

    host_cpus(t);
    rc = alloc_bitmap(t, bm, t->nr_cpus);
    if (rc)
        return rc;
    /* The reference's maps are whole bytes: CPU numbers up to the end of
     * the last byte are accepted. Node terms need the real CPUs only (the
     * others are in no node). */
    bits = bm->size * 8u;
    for (size_t i = 0; i < cl->nterms; i++)
        if (cl->terms[i].nodes)
            bits = (unsigned)t->nr_cpus;
    rc = xlcfg_cpulist_resolve(cl, bits, t->cpu_to_node, bm->map);
    if (rc == EINVAL)
        err_at(t, v,
               "'%s' names a CPU or node this host does not have (it has %d "
               "CPUs)",
               v->text, t->nr_cpus);
    if (rc && !t->rc)
        t->rc = rc == ENOMEM ? ENOMEM : EINVAL;
    return rc;
}

static void vcpu_affinity(tr *t, libxl_domain_build_info *b, const char *key,
                          bool hard)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);
    const xlcfg_cpulist *cl;
    libxl_bitmap *arr;
    int n;

    if (!v)
        return;
    /* A string applies to every vCPU; list item i to vCPU i; extra items
     * for vCPUs that do not exist are ignored, as in the reference. */
    n = b->max_vcpus;
    if (v->type == XLCFG_LIST && (int)v->nitems < n)
        n = (int)v->nitems;
    arr = calloc(n > 0 ? (size_t)n : 1, sizeof(*arr));
    if (!arr) {
        oom(t);
        return;
    }
    for (int i = 0; i < n; i++)
        libxl_bitmap_init(&arr[i]);
    if (hard) {
        b->num_vcpu_hard_affinity = (uint32_t)n;
        b->vcpu_hard_affinity = arr;
    } else {
        b->num_vcpu_soft_affinity = (uint32_t)n;
        b->vcpu_soft_affinity = arr;
    }
    if (v->type == XLCFG_LIST) {
        for (int i = 0; i < n; i++) {
            if (!item_str(t, key, v->items[i]))
                return;
            cl = parsed(t, xlcfg_parsed_cpulist(t->cfg, key, (size_t)i),
                        v->items[i]);
            if (!cl || cpulist_to_bitmap(t, cl, v->items[i], &arr[i]))
                return;
        }
        libxl_defbool_set(&b->numa_placement, false);
        return;
    }
    cl = parsed(t, xlcfg_parsed_cpulist(t->cfg, key, 0), v);
    for (int i = 0; cl && i < n; i++) {
        if (cpulist_to_bitmap(t, cl, v, &arr[i]))
            return;
    }
    if (!hard)
        libxl_defbool_set(&b->numa_placement, false);
}

/* ------------------------------------------------------------------------
 * Devices other than disk and vif (those come from devspec.c)
 */

static void translate_pci(tr *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long msitranslate = 0, power_mgmt = 0, permissive = 0, seize = 0;
    const xlcfg_value *list;

    get_long(t, "pci_msitranslate", &msitranslate);
    get_long(t, "pci_power_mgmt", &power_mgmt);
    get_long(t, "pci_permissive", &permissive);
    get_long(t, "pci_seize", &seize);
    if (get_list(t, "pci", &list))
        return;
    dc->pcidevs = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->pcidevs));
    if (!dc->pcidevs) {
        oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_pci *p = &dc->pcidevs[dc->num_pcidevs];
        const xlcfg_pci *spec;

        if (!item_str(t, "pci", list->items[i]))
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
        spec = parsed(t, xlcfg_parsed_pci(t->cfg, i), list->items[i]);
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
            p->name = xdup(t, spec->name);
    }
    if (dc->num_pcidevs && dc->c_info.type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&b->u.pv.e820_host, true);
}

static void translate_rdm(tr *t, libxl_domain_build_info *b)
{
    const char *s;
    char *buf, *save = NULL;

    if (get_str(t, "rdm", &s))
        return;
    buf = xdup(t, s);
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
    err_at(t, xlcfg_get(t->cfg, "rdm"),
           "invalid rdm spec '%s' (expected strategy=host|ignore,"
           "policy=strict|relaxed)",
           s);
    free(buf);
}

static void translate_channels(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "channel", &list))
        return;
    dc->channels =
        calloc(list->nitems ? list->nitems : 1, sizeof(*dc->channels));
    if (!dc->channels) {
        oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_channel *c = &dc->channels[i];
        const char *s = item_str(t, "channel", list->items[i]);
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
                err_at(t, list->items[i], "channel: '%.*s' is not key=value",
                       (int)(end - p), p);
                free(path);
                return;
            }
            k = trimmed(t, p, eq);
            v = trimmed(t, eq + 1, end);
            if (k && v) {
                if (!strcmp(k, "backend")) {
                    replace(t, &c->backend_domname, v);
                } else if (!strcmp(k, "name")) {
                    replace(t, &c->name, v);
                } else if (!strcmp(k, "path")) {
                    replace(t, &path, v);
                } else if (!strcmp(k, "connection")) {
                    if (!strcmp(v, "pty"))
                        c->connection = LIBXL_CHANNEL_CONNECTION_PTY;
                    else if (!strcmp(v, "socket"))
                        c->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
                    else
                        err_at(t, list->items[i],
                               "channel: unknown connection '%s' (pty or "
                               "socket)",
                               v);
                } else {
                    warn_at(t, list->items[i],
                            "channel: unknown parameter '%s' ignored", k);
                }
            }
            free(k);
            free(v);
            p = *end ? end + 1 : end;
        }
        if (c->connection == LIBXL_CHANNEL_CONNECTION_UNKNOWN) {
            err_at(t, list->items[i], "channel has no 'connection='");
        } else if (c->connection == LIBXL_CHANNEL_CONNECTION_SOCKET) {
            if (!path)
                err_at(t, list->items[i],
                       "channel connection 'socket' requires path=");
            else
                c->u.socket.path = xdup(t, path);
        }
        free(path);
    }
}

static void add_vfb_vkb(tr *t, libxl_domain_config *dc,
                        libxl_device_vfb **vfb_r)
{
    libxl_device_vfb *vfbs;
    libxl_device_vkb *vkbs;

    vfbs = realloc(dc->vfbs, (size_t)(dc->num_vfbs + 1) * sizeof(*vfbs));
    if (!vfbs) {
        oom(t);
        *vfb_r = NULL;
        return;
    }
    dc->vfbs = vfbs;
    libxl_device_vfb_init(&vfbs[dc->num_vfbs]);
    vfbs[dc->num_vfbs].devid = dc->num_vfbs;
    *vfb_r = &vfbs[dc->num_vfbs++];
    vkbs = realloc(dc->vkbs, (size_t)(dc->num_vkbs + 1) * sizeof(*vkbs));
    if (!vkbs) {
        oom(t);
        *vfb_r = NULL;
        return;
    }
    dc->vkbs = vkbs;
    libxl_device_vkb_init(&vkbs[dc->num_vkbs]);
    vkbs[dc->num_vkbs].devid = dc->num_vkbs;
    dc->num_vkbs++;
}

static void translate_vfbs(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "vfb", &list))
        return;
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = item_str(t, "vfb", list->items[i]);
        libxl_device_vfb *vfb;
        char *buf, *save = NULL;

        if (!s)
            return;
        add_vfb_vkb(t, dc, &vfb);
        if (!vfb || !(buf = xdup(t, s)))
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
                replace(t, &vfb->vnc.listen, eq);
            else if (!strcmp(p, "vncpasswd"))
                replace(t, &vfb->vnc.passwd, eq);
            else if (!strcmp(p, "vncdisplay"))
                vfb->vnc.display = (uint32_t)atoi(eq);
            else if (!strcmp(p, "vncunused"))
                libxl_defbool_set(&vfb->vnc.findunused, atoi(eq));
            else if (!strcmp(p, "keymap"))
                replace(t, &vfb->keymap, eq);
            else if (!strcmp(p, "sdl"))
                libxl_defbool_set(&vfb->sdl.enable, atoi(eq));
            else if (!strcmp(p, "opengl"))
                libxl_defbool_set(&vfb->sdl.opengl, atoi(eq));
            else if (!strcmp(p, "display"))
                replace(t, &vfb->sdl.display, eq);
            else if (!strcmp(p, "xauthority"))
                replace(t, &vfb->sdl.xauthority, eq);
            else
                warn_at(t, list->items[i], "vfb: unknown key '%s' ignored", p);
        }
        free(buf);
    }
}

static void top_level_vnc_sdl(tr *t, libxl_vnc_info *vnc, libxl_sdl_info *sdl)
{
    long l;

    get_defbool(t, "vnc", &vnc->enable);
    get_replace(t, "vnclisten", &vnc->listen);
    get_replace(t, "vncpasswd", &vnc->passwd);
    if (!get_long(t, "vncdisplay", &l))
        vnc->display = (uint32_t)l;
    get_defbool(t, "vncunused", &vnc->findunused);
    get_defbool(t, "sdl", &sdl->enable);
    get_defbool(t, "opengl", &sdl->opengl);
    get_replace(t, "display", &sdl->display);
    get_replace(t, "xauthority", &sdl->xauthority);
}

static void translate_vtpms(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "vtpm", &list))
        return;
    dc->vtpms = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->vtpms));
    if (!dc->vtpms) {
        oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_vtpm *v = &dc->vtpms[i];
        const char *s = item_str(t, "vtpm", list->items[i]);
        char *buf, *save = NULL;
        bool got_backend = false;

        libxl_device_vtpm_init(v);
        v->devid = (libxl_devid)i;
        dc->num_vtpms++;
        if (!s || !(buf = xdup(t, s)))
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
                replace(t, &v->backend_domname, eq);
                got_backend = true;
            } else if (!strcmp(p, "uuid")) {
                if (libxl_uuid_from_string(&v->uuid, eq))
                    err_at(t, list->items[i], "vtpm: invalid uuid '%s'", eq);
            } else {
                err_at(t, list->items[i], "vtpm: unknown key '%s'", p);
            }
        }
        if (!got_backend)
            err_at(t, list->items[i], "vtpm spec needs backend=");
        free(buf);
    }
}

static void translate_dtdevs(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "dtdev", &list))
        return;
    dc->dtdevs = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->dtdevs));
    if (!dc->dtdevs) {
        oom(t);
        return;
    }
    for (size_t i = 0; i < list->nitems; i++) {
        const char *s = item_str(t, "dtdev", list->items[i]);

        libxl_device_dtdev_init(&dc->dtdevs[i]);
        dc->num_dtdevs++;
        if (!s)
            return;
        dc->dtdevs[i].path = xdup(t, s);
    }
}

static void translate_ioports_irqs_iomem(tr *t, libxl_domain_build_info *b)
{
    const xlcfg_value *list;

    if (!get_list(t, "ioports", &list)) {
        b->ioports =
            calloc(list->nitems ? list->nitems : 1, sizeof(*b->ioports));
        if (!b->ioports)
            return oom(t);
        b->num_ioports = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = item_str(t, "ioports", list->items[i]);
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
            err_at(t, list->items[i],
                   "invalid ioport range '%s' (hex FIRST[-LAST])", s);
            return;
        }
    }
    if (!get_list(t, "irqs", &list)) {
        b->irqs = calloc(list->nitems ? list->nitems : 1, sizeof(*b->irqs));
        if (!b->irqs)
            return oom(t);
        b->num_irqs = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = item_str(t, "irqs", list->items[i]);
            unsigned long ul;
            char *ep;

            if (!s)
                return;
            ul = strtoul(s, &ep, 10);
            if (ep == s || *ep || ul >= UINT32_MAX) {
                err_at(t, list->items[i], "invalid irq '%s'", s);
                return;
            }
            b->irqs[i] = (uint32_t)ul;
        }
    }
    if (!get_list(t, "iomem", &list)) {
        b->iomem = calloc(list->nitems ? list->nitems : 1, sizeof(*b->iomem));
        if (!b->iomem)
            return oom(t);
        b->num_iomem = (int)list->nitems;
        for (size_t i = 0; i < list->nitems; i++) {
            const char *s = item_str(t, "iomem", list->items[i]);
            int used = 0, n;

            libxl_iomem_range_init(&b->iomem[i]);
            if (!s)
                return;
            n = sscanf(s, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n",
                       &b->iomem[i].start, &b->iomem[i].number, &used,
                       &b->iomem[i].gfn, &used);
            if (n < 2 || s[used]) {
                err_at(t, list->items[i],
                       "invalid iomem '%s' (hex START,PAGES[@GFN])", s);
                return;
            }
        }
    }
}

static void translate_cpuid(tr *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, "cpuid");

    if (!v)
        return;
    if (v->type == XLCFG_LIST) {
        for (size_t i = 0; i < v->nitems; i++) {
            const char *s = item_str(t, "cpuid", v->items[i]);

            if (!s)
                return;
            if (libxl_cpuid_parse_config_xend(&b->cpuid, s))
                err_at(t, v->items[i], "invalid CPUID line '%s'", s);
        }
        return;
    }
    /* "host,flag=value,...": the first word must be "host". */
    char *buf = xdup(t, v->text), *save = NULL, *p;

    if (!buf)
        return;
    p = strtok_r(buf, ",", &save);
    if (p && strcmp(p, "host")) {
        err_at(t, v, "cpuid string must start with \"host\"");
    } else if (p) {
        while ((p = strtok_r(NULL, ",", &save))) {
            if (libxl_cpuid_parse_config(&b->cpuid, p))
                err_at(t, v, "invalid CPUID flag '%s'", p);
        }
    }
    free(buf);
}

static void translate_extra_args(tr *t, const char *key, libxl_string_list *l)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, key);

    if (!v)
        return;
    if (v->type != XLCFG_LIST) {
        err_at(t, v, "'%s' must be a list of strings", key);
        return;
    }
    list_to_strings(t, key, v, l);
}

/* Keys whose devices this xl does not build yet: refuse rather than
 * create a domain without them. */
static void refuse_unsupported(tr *t)
{
    static const char *const keys[] = {"p9",     "vdispl",      "pvcalls",
                                       "vsnd",   "vkb",         "usbctrl",
                                       "usbdev", "gic_version", "tee"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const xlcfg_value *v = xlcfg_get(t->cfg, keys[i]);

        if (v)
            err_at(t, v, "'%s' is not supported by this xl yet", keys[i]);
    }
}

/* ------------------------------------------------------------------------
 * Sections of the domain config, in the reference's order
 */

static void translate_type_and_names(tr *t, libxl_domain_config *dc)
{
    libxl_domain_create_info *c = &dc->c_info;
    libxl_domain_build_info *b = &dc->b_info;
    const char *s;

    if (!get_str(t, "init_seclabel", &s))
        replace(t, &c->ssid_label, s);
    if (!get_str(t, "seclabel", &s)) {
        if (c->ssid_label)
            replace(t, &b->exec_ssid_label, s);
        else
            replace(t, &c->ssid_label, s);
    }
    libxl_defbool_set(&c->run_hotplug_scripts, t->conf->run_hotplug_scripts);

    /* The reference matches a prefix of the name ("h" is hvm). */
    if (!get_str(t, "type", &s)) {
        size_t n = strlen(s);

        if (!strncmp(s, "hvm", n))
            c->type = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(s, "pv", n))
            c->type = LIBXL_DOMAIN_TYPE_PV;
        else if (!strncmp(s, "pvh", n))
            c->type = LIBXL_DOMAIN_TYPE_PVH;
        else
            err_at(t, xlcfg_get(t->cfg, "type"),
                   "invalid domain type '%s' (pv, pvh or hvm)", s);
    }
    if (!get_str(t, "builder", &s)) {
        libxl_domain_type bt = LIBXL_DOMAIN_TYPE_INVALID;
        size_t n = strlen(s);

        if (!strncmp(s, "hvm", n))
            bt = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(s, "generic", n))
            bt = LIBXL_DOMAIN_TYPE_PV;
        else
            err_at(t, xlcfg_get(t->cfg, "builder"),
                   "invalid builder '%s' (generic or hvm)", s);
        if (bt != LIBXL_DOMAIN_TYPE_INVALID) {
            if (c->type != LIBXL_DOMAIN_TYPE_INVALID && c->type != bt)
                err_at(t, xlcfg_get(t->cfg, "builder"),
                       "'builder' contradicts 'type'");
            c->type = bt;
        }
    }
    if (c->type == LIBXL_DOMAIN_TYPE_INVALID)
        c->type = LIBXL_DOMAIN_TYPE_PV;

    get_defbool(t, "hap", &c->hap);
    if (get_str(t, "name", &s))
        err_at(t, NULL, "the domain needs a name: add name = \"...\"");
    else
        replace(t, &c->name, s);
    if (!get_str(t, "uuid", &s)) {
        if (libxl_uuid_from_string(&c->uuid, s))
            err_at(t, xlcfg_get(t->cfg, "uuid"), "invalid uuid '%s'", s);
    } else {
        libxl_uuid_generate(&c->uuid);
    }
    get_defbool(t, "oos", &c->oos);
    get_replace(t, "pool", &c->pool_name);

    libxl_domain_build_info_init_type(b, c->type);
    if (b->type == LIBXL_DOMAIN_TYPE_PVH) {
        get_defbool(t, "pvshim", &b->u.pvh.pvshim);
        get_replace(t, "pvshim_path", &b->u.pvh.pvshim_path);
        get_replace(t, "pvshim_cmdline", &b->u.pvh.pvshim_cmdline);
        get_replace(t, "pvshim_extra", &b->u.pvh.pvshim_extra);
    }
    if (t->conf->blkdev_start)
        b->blkdev_start = xdup(t, t->conf->blkdev_start);
}

/* "a-b" or "a" in decimal, as the reference's parse_range. */
static bool parse_range(const char *str, unsigned long *a, unsigned long *b)
{
    char *end;

    *a = *b = strtoul(str, &end, 10);
    if (end == str || *a == ULONG_MAX)
        return false;
    if (*end == '-') {
        const char *n = end + 1;

        *b = strtoul(n, &end, 10);
        if (end == n || *b == ULONG_MAX || *b < *a)
            return false;
    }
    return *end == 0;
}

static bool parse_ulong(tr *t, const xlcfg_value *at, const char *str,
                        unsigned long *r)
{
    char *end;

    *r = strtoul(str, &end, 10);
    if (end == str || *r == ULONG_MAX) {
        err_at(t, at, "vnuma: '%s' is not a number", str);
        return false;
    }
    return true;
}

/* One "key=value" option of a vnode. */
static void vnode_option(tr *t, libxl_domain_build_info *b, libxl_vnode_info *p,
                         libxl_bitmap *vcpus, const xlcfg_value *at,
                         uint32_t nr_nodes, unsigned long *nvcpus,
                         uint64_t *memkb)
{
    const char *s = at->text, *eq = strchr(s, '=');
    char *k, *v, *save = NULL;
    unsigned long val, lo, hi;

    if (!eq) {
        err_at(t, at, "vnuma: '%s' is not key=value", s);
        return;
    }
    k = trimmed(t, s, eq);
    v = trimmed(t, eq + 1, eq + 1 + strcspn(eq + 1, "="));
    if (!k || !v)
        goto out;
    if (!strcmp(k, "pnode")) {
        if (!parse_ulong(t, at, v, &val))
            goto out;
        if (val >= nr_nodes) {
            err_at(t, at, "vnuma: invalid pnode %lu (the host has %u)", val,
                   nr_nodes);
            goto out;
        }
        p->pnode = (uint32_t)val;
        libxl_defbool_set(&b->numa_placement, false);
    } else if (!strcmp(k, "size")) {
        if (!parse_ulong(t, at, v, &val))
            goto out;
        p->memkb = (uint64_t)val << 10;
        *memkb += p->memkb;
    } else if (!strcmp(k, "vcpus")) {
        for (char *r = strtok_r(v, ",", &save); r;
             r = strtok_r(NULL, ",", &save)) {
            if (!parse_range(r, &lo, &hi)) {
                err_at(t, at, "vnuma: invalid vcpu range '%s'", r);
                goto out;
            }
            /* Bits past the map are dropped but still counted, as in
             * the reference: the count check then reports it. */
            for (; lo <= hi; lo++) {
                if (lo < vcpus->size * 8u)
                    libxl_bitmap_set(vcpus, (int)lo);
                (*nvcpus)++;
            }
        }
    } else if (!strcmp(k, "vdistances")) {
        uint32_t j = 0;

        for (char *r = strtok_r(v, ",", &save); r;
             r = strtok_r(NULL, ",", &save), j++) {
            if (!parse_ulong(t, at, r, &val))
                goto out;
            if ((int)j >= p->num_distances) {
                err_at(t, at, "vnuma: more vdistances than vnodes");
                goto out;
            }
            p->distances[j] = (uint32_t)val;
        }
    }
out:
    free(k);
    free(v);
}

static void translate_vnuma(tr *t, libxl_domain_build_info *b)
{
    const xlcfg_value *list = xlcfg_get(t->cfg, "vnuma");
    unsigned long nvcpus = 0;
    uint64_t memkb = 0;
    libxl_bitmap *parsed;
    uint32_t nr_nodes = 1;
    size_t n;

    if (!list)
        return;
    if (list->type != XLCFG_LIST) {
        err_at(t, list, "'vnuma' must be a list of lists");
        return;
    }
    n = list->nitems;
    if (!n)
        return;
    if (t->ctx) {
        libxl_physinfo pi;

        libxl_physinfo_init(&pi);
        if (!libxl_get_physinfo(t->ctx, &pi))
            nr_nodes = pi.nr_nodes;
        libxl_physinfo_dispose(&pi);
    }
    host_cpus(t);
    b->vnuma_nodes = calloc(n, sizeof(*b->vnuma_nodes));
    parsed = calloc(n, sizeof(*parsed));
    if (!b->vnuma_nodes || !parsed) {
        free(parsed);
        return oom(t);
    }
    b->num_vnuma_nodes = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        libxl_vnode_info *p = &b->vnuma_nodes[i];

        libxl_vnode_info_init(p);
        libxl_bitmap_init(&parsed[i]);
    }
    for (size_t i = 0; i < n; i++) {
        libxl_vnode_info *p = &b->vnuma_nodes[i];

        p->distances = calloc(n, sizeof(*p->distances));
        if (!p->distances) {
            oom(t);
            goto out;
        }
        p->num_distances = (int)n;
        /* The reference sizes the map by maxvcpus, or the host's CPUs. */
        if (alloc_bitmap(t, &parsed[i],
                         b->max_vcpus ? b->max_vcpus : t->nr_cpus))
            goto out;
    }
    for (size_t i = 0; i < n && !t->rc; i++) {
        const xlcfg_value *node = list->items[i];

        if (node->type != XLCFG_LIST) {
            err_at(t, node,
                   "each vnuma node must be a list of "
                   "\"key=value\" strings");
            goto out;
        }
        for (size_t j = 0; j < node->nitems; j++) {
            if (node->items[j]->type == XLCFG_STRING)
                vnode_option(t, b, &b->vnuma_nodes[i], &parsed[i],
                             node->items[j], nr_nodes, &nvcpus, &memkb);
        }
    }
    if (t->rc)
        goto out;
    if (b->max_vcpus) {
        if ((unsigned long)b->max_vcpus != nvcpus)
            err_at(t, list, "vnuma vcpus (%lu) and maxvcpus (%d) differ",
                   nvcpus, b->max_vcpus);
    } else {
        long online = sysconf(_SC_NPROCESSORS_ONLN);

        if (t->ctx)
            online = libxl_get_online_cpus(t->ctx);
        if (online < 0 || (unsigned long)online < nvcpus)
            err_at(t, list,
                   "vnuma specifies more vcpus than the host has "
                   "CPUs; set maxvcpus= to allow it");
        b->max_vcpus = (int)nvcpus;
    }
    if (b->max_memkb != LIBXL_MEMKB_DEFAULT && b->max_memkb != memkb)
        err_at(t, list, "maxmem and the vnuma memory sizes differ");
    else
        b->max_memkb = memkb;
    for (size_t i = 0; i < n; i++) {
        b->vnuma_nodes[i].vcpus = parsed[i];
        libxl_bitmap_init(&parsed[i]);
    }
out:
    for (size_t i = 0; i < n; i++)
        libxl_bitmap_dispose(&parsed[i]);
    free(parsed);
}

static void translate_resources(tr *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long l, vcpus = 0;
    const char *s;

    if (!get_long(t, "cpu_weight", &l))
        b->sched_params.weight = (int)l;
    if (!get_long(t, "cap", &l))
        b->sched_params.cap = (int)l;
    if (!get_long(t, "period", &l))
        b->sched_params.period = (int)l;
    if (!get_long(t, "slice", &l))
        b->sched_params.slice = (int)l;
    if (!get_long(t, "latency", &l))
        b->sched_params.latency = (int)l;
    if (!get_long(t, "extratime", &l))
        b->sched_params.extratime = (int)l;
    if (!get_long(t, "memory", &l))
        b->target_memkb = (uint64_t)l * 1024;
    if (!get_long(t, "maxmem", &l))
        b->max_memkb = (uint64_t)l * 1024;
    if (!get_long(t, "vcpus", &l)) {
        if (l < 1) {
            err_at(t, xlcfg_get(t->cfg, "vcpus"), "vcpus must be at least 1");
        } else if (!alloc_bitmap(t, &b->avail_vcpus, (int)l)) {
            vcpus = l;
            for (long i = 0; i < l; i++)
                libxl_bitmap_set(&b->avail_vcpus, (int)i);
        }
    }
    if (!get_long(t, "maxvcpus", &l))
        b->max_vcpus = (int)l;
    if (!get_str(t, "vuart", &s) &&
        libxl_vuart_type_from_string(s, &b->arch_arm.vuart))
        err_at(t, xlcfg_get(t->cfg, "vuart"), "invalid vuart '%s'", s);
    translate_vnuma(t, b);

    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = b->target_memkb;
    if (b->max_vcpus == 0)
        b->max_vcpus = (int)vcpus;
    if (b->max_vcpus < vcpus)
        err_at(t, xlcfg_get(t->cfg, "maxvcpus"),
               "maxvcpus (%d) is less than vcpus (%ld)", b->max_vcpus, vcpus);

    vcpu_affinity(t, b, "cpus", true);
    vcpu_affinity(t, b, "cpus_soft", false);

    if (!get_long(t, "max_grant_frames", &l)) {
        if (l < 0 || l > INT_MAX)
            err_at(t, xlcfg_get(t->cfg, "max_grant_frames"),
                   "max_grant_frames must be 0..%d", INT_MAX);
        b->max_grant_frames = (uint32_t)l;
    } else {
        b->max_grant_frames = (uint32_t)t->conf->max_grant_frames;
    }
    if (!get_long(t, "max_maptrack_frames", &l)) {
        if (l < 0 || l > INT_MAX)
            err_at(t, xlcfg_get(t->cfg, "max_maptrack_frames"),
                   "max_maptrack_frames must be 0..%d", INT_MAX);
        b->max_maptrack_frames = (uint32_t)l;
    } else {
        b->max_maptrack_frames = (uint32_t)t->conf->max_maptrack_frames;
    }
    libxl_defbool_set(&b->claim_mode, t->conf->claim_mode);
}

static void translate_actions(tr *t, libxl_domain_config *dc)
{
    static const struct {
        const char *key, *dflt;
        size_t off;
    } acts[] = {
        {"on_poweroff", "destroy", offsetof(libxl_domain_config, on_poweroff)},
        {"on_reboot", "restart", offsetof(libxl_domain_config, on_reboot)},
        {"on_watchdog", "destroy", offsetof(libxl_domain_config, on_watchdog)},
        {"on_crash", "destroy", offsetof(libxl_domain_config, on_crash)},
        {"on_soft_reset", "soft-reset",
         offsetof(libxl_domain_config, on_soft_reset)},
    };

    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        libxl_action_on_shutdown *a =
            (libxl_action_on_shutdown *)((char *)dc + acts[i].off);
        const char *s;

        if (get_str(t, acts[i].key, &s))
            s = acts[i].dflt;
        if (xl_action_from_string(s, a))
            err_at(t, xlcfg_get(t->cfg, acts[i].key),
                   "unknown %s action '%s' (destroy, restart, "
                   "rename-restart, preserve, coredump-destroy, "
                   "coredump-restart, soft-reset)",
                   acts[i].key, s);
    }
}

static char *make_cmdline(tr *t)
{
    const char *cmdline = NULL, *root = NULL, *extra = NULL;
    char *r = NULL;

    get_str(t, "cmdline", &cmdline);
    get_str(t, "root", &root);
    get_str(t, "extra", &extra);
    if (cmdline) {
        if (root || extra)
            warn_at(t, xlcfg_get(t->cfg, "cmdline"),
                    "ignoring root= and extra= in favour of cmdline=");
        return xdup(t, cmdline);
    }
    if (root && extra) {
        if (asprintf(&r, "root=%s %s", root, extra) < 0)
            r = NULL, oom(t);
    } else if (root) {
        if (asprintf(&r, "root=%s", root) < 0)
            r = NULL, oom(t);
    } else if (extra) {
        r = xdup(t, extra);
    }
    return r;
}

static void translate_boot(tr *t, libxl_domain_config *dc)
{
    libxl_domain_create_info *c = &dc->c_info;
    libxl_domain_build_info *b = &dc->b_info;
    const xlcfg_value *v;
    const char *s;
    long l;

    if (c->type == LIBXL_DOMAIN_TYPE_PV)
        get_defbool(t, "e820_host", &b->u.pv.e820_host);
    translate_rdm(t, b);
    if (xlcfg_get(t->cfg, "pci"))
        translate_pci(t, dc);
    translate_dtdevs(t, dc);
    if (!get_str(t, "passthrough", &s) &&
        libxl_passthrough_from_string(s, &c->passthrough))
        err_at(t, xlcfg_get(t->cfg, "passthrough"),
               "unknown passthrough option '%s'", s);
    if (!get_long(t, "shadow_memory", &l))
        b->shadow_memkb = (uint64_t)l * 1024;
    get_defbool(t, "nomigrate", &b->disable_migrate);

    switch (get_long_quiet(t, "tsc_mode", &l)) {
    case 0:
        warn_at(t, xlcfg_get(t->cfg, "tsc_mode"),
                "tsc_mode as a number is deprecated; use its name");
        if (l < LIBXL_TSC_MODE_DEFAULT || l > LIBXL_TSC_MODE_NATIVE_PARAVIRT)
            err_at(t, xlcfg_get(t->cfg, "tsc_mode"), "invalid tsc_mode %ld", l);
        b->tsc_mode = (libxl_tsc_mode)l;
        break;
    case EAGAIN:
        if (!get_str(t, "tsc_mode", &s) &&
            libxl_tsc_mode_from_string(s, &b->tsc_mode))
            err_at(t, xlcfg_get(t->cfg, "tsc_mode"), "invalid tsc_mode '%s'",
                   s);
        break;
    }
    if (!get_long(t, "rtc_timeoffset", &l))
        b->rtc_timeoffset = (uint32_t)l;
    get_defbool(t, "localtime", &b->localtime);
    if (!get_long(t, "videoram", &l))
        b->video_memkb = (uint64_t)l * 1024;
    if (!get_long(t, "max_event_channels", &l))
        b->event_channels = (uint32_t)l;
    get_replace(t, "kernel", &b->kernel);
    get_replace(t, "ramdisk", &b->ramdisk);
    get_replace(t, "device_tree", &b->device_tree);
    b->cmdline = make_cmdline(t);
    get_defbool(t, "driver_domain", &c->driver_domain);
    get_defbool(t, "acpi", &b->acpi);
    get_replace(t, "bootloader", &b->bootloader);
    if ((v = xlcfg_get(t->cfg, "bootloader_args"))) {
        if (v->type == XLCFG_LIST) {
            list_to_strings(t, "bootloader_args", v, &b->bootloader_args);
        } else {
            warn_at(t, v,
                    "'bootloader_args' as a string is deprecated; "
                    "use a list of arguments");
            split_words(t, v->text, " \t\n", &b->bootloader_args);
        }
    }
    switch (get_long_quiet(t, "timer_mode", &l)) {
    case 0:
        if (b->type == LIBXL_DOMAIN_TYPE_PV) {
            err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                   "timer_mode is not supported for PV guests");
            break;
        }
        warn_at(t, xlcfg_get(t->cfg, "timer_mode"),
                "timer_mode as a number is deprecated; use its name");
        if (l < LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS ||
            l > LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING)
            err_at(t, xlcfg_get(t->cfg, "timer_mode"), "invalid timer_mode %ld",
                   l);
        b->timer_mode = (libxl_timer_mode)l;
        break;
    case EAGAIN:
        if (b->type == LIBXL_DOMAIN_TYPE_PV)
            err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                   "timer_mode is not supported for PV guests");
        else if (!get_str(t, "timer_mode", &s) &&
                 libxl_timer_mode_from_string(s, &b->timer_mode))
            err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                   "invalid timer_mode '%s'", s);
        break;
    }
    get_defbool(t, "nestedhvm", &b->nested_hvm);
}

static void translate_viridian(tr *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, "viridian");

    if (!v)
        return;
    if (v->type != XLCFG_LIST) {
        get_defbool(t, "viridian", &b->u.hvm.viridian);
        return;
    }
    if (v->nitems) {
        /* Our own allocation: libxl_bitmap_alloc needs a context. */
        if (alloc_bitmap(t, &b->u.hvm.viridian_enable,
                         LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH) ||
            alloc_bitmap(t, &b->u.hvm.viridian_disable,
                         LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH))
            return;
    }
    for (size_t i = 0; i < v->nitems; i++) {
        const char *s = item_str(t, "viridian", v->items[i]);
        libxl_viridian_enlightenment e;
        libxl_bitmap *set = &b->u.hvm.viridian_enable;
        libxl_bitmap *clr = &b->u.hvm.viridian_disable;

        if (!s)
            return;
        if (!strcmp(s, "all")) {
            libxl_bitmap_set_any(set);
            continue;
        }
        if (!strcmp(s, "defaults")) {
            libxl_defbool_set(&b->u.hvm.viridian, true);
            continue;
        }
        if (*s == '!') {
            set = &b->u.hvm.viridian_disable;
            clr = &b->u.hvm.viridian_enable;
            s++;
        }
        if (libxl_viridian_enlightenment_from_string(s, &e)) {
            err_at(t, v->items[i], "unknown viridian enlightenment '%s'", s);
            continue;
        }
        libxl_bitmap_set(set, e);
        libxl_bitmap_reset(clr, e);
    }
}

static void translate_hvm_firmware(tr *t, libxl_domain_build_info *b)
{
    const char *s;
    long l;

    /* xm-era configs name hvmloader as the kernel: libxl picks it
     * (xlcfg_validate already warned about it). */
    if (b->kernel) {
        const char *base = strrchr(b->kernel, '/');

        base = base ? base + 1 : b->kernel;
        if (!strcmp(base, "hvmloader")) {
            free(b->kernel);
            b->kernel = NULL;
        }
    }
    get_replace(t, "firmware_override", &b->u.hvm.firmware);
    get_replace(t, "bios_path_override", &b->u.hvm.system_firmware);
    if (!get_str(t, "bios", &s)) {
        if (libxl_bios_type_from_string(s, &b->u.hvm.bios))
            err_at(t, xlcfg_get(t->cfg, "bios"),
                   "invalid bios '%s' (rombios, seabios or ovmf)", s);
    } else if (b->u.hvm.system_firmware) {
        warn_at(t, xlcfg_get(t->cfg, "bios_path_override"),
                "bios_path_override given without a bios name");
    }
    get_defbool(t, "pae", &b->u.hvm.pae);
    get_defbool(t, "acpi_s3", &b->u.hvm.acpi_s3);
    get_defbool(t, "acpi_s4", &b->u.hvm.acpi_s4);
    get_defbool(t, "acpi_laptop_slate", &b->u.hvm.acpi_laptop_slate);
    get_defbool(t, "nx", &b->u.hvm.nx);
    get_defbool(t, "hpet", &b->u.hvm.hpet);
    get_defbool(t, "vpt_align", &b->u.hvm.vpt_align);
    get_defbool(t, "apic", &b->apic);
    translate_viridian(t, b);
    if (!get_long(t, "mmio_hole", &l)) {
        uint64_t size = (uint64_t)l * 1024 * 1024;

        b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
        if (size < XL_MMIO_HOLE_MIN || size > XL_MMIO_HOLE_MAX)
            err_at(t, xlcfg_get(t->cfg, "mmio_hole"),
                   "invalid mmio_hole %ld (MiB, 256..3840)", l);
    }
    if (!get_defbool(t, "altp2mhvm", &b->u.hvm.altp2m))
        warn_at(t, xlcfg_get(t->cfg, "altp2mhvm"),
                "'altp2mhvm' is deprecated; use 'altp2m'");
    get_replace(t, "smbios_firmware", &b->u.hvm.smbios_firmware);
    get_replace(t, "acpi_firmware", &b->u.hvm.acpi_firmware);
    if (!get_str(t, "ms_vm_genid", &s)) {
        if (!strcmp(s, "generate")) {
            if (!t->ctx ||
                libxl_ms_vm_genid_generate(t->ctx, &b->u.hvm.ms_vm_genid))
                err_at(t, xlcfg_get(t->cfg, "ms_vm_genid"),
                       "cannot generate a VM generation ID here");
        } else if (strcmp(s, "none")) {
            err_at(t, xlcfg_get(t->cfg, "ms_vm_genid"),
                   "ms_vm_genid must be \"generate\" or \"none\"");
        }
    }
    if (!get_long(t, "rdm_mem_boundary", &l))
        b->u.hvm.rdm_mem_boundary_memkb = (uint64_t)l * 1024;
    const xlcfg_value *mca;
    if (!get_list(t, "mca_caps", &mca)) {
        for (size_t i = 0; i < mca->nitems; i++) {
            const char *c = item_str(t, "mca_caps", mca->items[i]);

            if (c && !strcmp(c, "lmce"))
                b->u.hvm.mca_caps |= 1; /* XEN_HVM_MCA_CAP_LMCE */
            else if (c)
                err_at(t, mca->items[i], "unknown MCA capability '%s'", c);
        }
    }
    /* firmware: a bios name, "uefi"/"bios" (prefixes, as the reference
     * compares them), or a path to a custom firmware. */
    if (!get_str(t, "firmware", &s) &&
        libxl_bios_type_from_string(s, &b->u.hvm.bios)) {
        size_t n = strlen(s);

        if (!strncmp(s, "uefi", n))
            b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
        else if (strncmp(s, "bios", n))
            replace(t, &b->u.hvm.firmware, s);
    }
}

static void translate_pv_firmware(tr *t, libxl_domain_build_info *b)
{
    const char *s;

    if (!get_str(t, "firmware", &s)) {
        size_t n = strlen(s);

        if (b->kernel) {
            err_at(t, xlcfg_get(t->cfg, "firmware"),
                   "both kernel and firmware are given; use one");
        } else if (strncmp(s, "pvgrub32", n) && strncmp(s, "pvgrub64", n)) {
            err_at(t, xlcfg_get(t->cfg, "firmware"),
                   "only pvgrub32 and pvgrub64 are firmware options for "
                   "PV/PVH guests");
        } else if (asprintf(&b->kernel, XL_XENFIRMWAREDIR "/%s.bin", s) < 0) {
            b->kernel = NULL;
            oom(t);
        }
    }
    if (!b->bootloader && !b->kernel && !t->rc)
        err_at(t, NULL,
               "neither kernel nor bootloader is given: add "
               "kernel = \"/path/to/vmlinuz\" or bootloader = "
               "\"pygrub\"");
}

static void translate_altp2m_etc(tr *t, libxl_domain_build_info *b)
{
    const char *s;
    long l;

    switch (get_long_quiet(t, "altp2m", &l)) {
    case 0:
        if (l < LIBXL_ALTP2M_MODE_DISABLED || l > LIBXL_ALTP2M_MODE_LIMITED)
            err_at(t, xlcfg_get(t->cfg, "altp2m"), "invalid altp2m %ld", l);
        b->altp2m = (libxl_altp2m_mode)l;
        break;
    case EAGAIN:
        if (!get_str(t, "altp2m", &s) &&
            libxl_altp2m_mode_from_string(s, &b->altp2m))
            err_at(t, xlcfg_get(t->cfg, "altp2m"), "invalid altp2m '%s'", s);
        break;
    }
    if (!get_long_quiet(t, "vmtrace_buf_kb", &l) && l)
        b->vmtrace_buf_kb = (int)l;
}

static void translate_device_model(tr *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    const char *s;
    long l;

    /* xm-era device_model= is ignored (xlcfg_validate warns). */
    get_replace(t, "device_model_override", &b->device_model);
    if (!get_str(t, "device_model_version", &s)) {
        if (!strcmp(s, "qemu-xen-traditional"))
            b->device_model_version =
                LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
        else if (!strcmp(s, "qemu-xen"))
            b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
        else
            err_at(t, xlcfg_get(t->cfg, "device_model_version"),
                   "unknown device_model_version '%s' (qemu-xen or "
                   "qemu-xen-traditional)",
                   s);
    } else if (b->device_model) {
        warn_at(t, xlcfg_get(t->cfg, "device_model_override"),
                "device model override given without a version");
    }
    get_defbool(t, "device_model_stubdomain_override",
                &b->device_model_stubdomain);
    get_replace(t, "device_model_stubdomain_seclabel",
                &b->device_model_ssid_label);
    get_replace(t, "device_model_user", &b->device_model_user);
    get_replace(t, "stubdomain_kernel", &b->stubdomain_kernel);
    get_replace(t, "stubdomain_ramdisk", &b->stubdomain_ramdisk);
    if (!get_long(t, "stubdomain_memory", &l))
        b->stubdomain_memkb = (uint64_t)l * 1024;
    translate_extra_args(t, "device_model_args", &b->extra);
    translate_extra_args(t, "device_model_args_pv", &b->extra_pv);
    translate_extra_args(t, "device_model_args_hvm", &b->extra_hvm);
}

static void translate_display(tr *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long l;

    if (dc->c_info.type == LIBXL_DOMAIN_TYPE_PV && !dc->num_vfbs) {
        if (!get_long(t, "vnc", &l) && l) {
            libxl_device_vfb *vfb;

            add_vfb_vkb(t, dc, &vfb);
            if (!vfb)
                return;
            top_level_vnc_sdl(t, &vfb->vnc, &vfb->sdl);
            get_replace(t, "keymap", &vfb->keymap);
        }
    } else if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM) {
        top_level_vnc_sdl(t, &b->u.hvm.vnc, &b->u.hvm.sdl);
    } else {
        /* The reference writes these into the HVM member of the union
         * even for PV/PVH guests, corrupting their settings: refuse. */
        static const char *const keys[] = {
            "vnc", "vnclisten", "vncpasswd", "vncdisplay", "vncunused",
            "sdl", "opengl",    "display",   "xauthority"};

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            const xlcfg_value *v = xlcfg_get(t->cfg, keys[i]);

            if (v)
                warn_at(t, v,
                        "'%s' is ignored here (use vfb=[...] for PV, "
                        "it has no effect on PVH)",
                        keys[i]);
        }
    }
}

static void translate_hvm_devices(tr *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v;
    const char *s;
    long l;

    if (!get_str(t, "vga", &s)) {
        if (!strcmp(s, "stdvga"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
        else if (!strcmp(s, "cirrus"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
        else if (!strcmp(s, "none"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
        else if (!strcmp(s, "qxl"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_QXL;
        else
            err_at(t, xlcfg_get(t->cfg, "vga"),
                   "unknown vga '%s' (stdvga, cirrus, qxl or none)", s);
    } else if (!get_long(t, "stdvga", &l)) {
        b->u.hvm.vga.kind =
            l ? LIBXL_VGA_INTERFACE_TYPE_STD : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
    }
    if (!get_str(t, "hdtype", &s) &&
        libxl_hdtype_from_string(s, &b->u.hvm.hdtype))
        err_at(t, xlcfg_get(t->cfg, "hdtype"), "invalid hdtype '%s'", s);
    get_replace(t, "keymap", &b->u.hvm.keymap);
    get_defbool(t, "spice", &b->u.hvm.spice.enable);
    if (!get_long(t, "spiceport", &l))
        b->u.hvm.spice.port = (int)l;
    if (!get_long(t, "spicetls_port", &l))
        b->u.hvm.spice.tls_port = (int)l;
    get_replace(t, "spicehost", &b->u.hvm.spice.host);
    get_defbool(t, "spicedisable_ticketing", &b->u.hvm.spice.disable_ticketing);
    get_replace(t, "spicepasswd", &b->u.hvm.spice.passwd);
    get_defbool(t, "spiceagent_mouse", &b->u.hvm.spice.agent_mouse);
    get_defbool(t, "spicevdagent", &b->u.hvm.spice.vdagent);
    get_defbool(t, "spice_clipboard_sharing",
                &b->u.hvm.spice.clipboard_sharing);
    if (!get_long(t, "spiceusbredirection", &l))
        b->u.hvm.spice.usbredirection = (int)l;
    get_replace(t, "spice_image_compression",
                &b->u.hvm.spice.image_compression);
    get_replace(t, "spice_streaming_video", &b->u.hvm.spice.streaming_video);
    get_defbool(t, "nographic", &b->u.hvm.nographic);
    switch (get_long_quiet(t, "gfx_passthru", &l)) {
    case 0:
        libxl_defbool_set(&b->u.hvm.gfx_passthru, l);
        break;
    case EAGAIN:
        if (!get_str(t, "gfx_passthru", &s)) {
            if (libxl_gfx_passthru_kind_from_string(
                    s, &b->u.hvm.gfx_passthru_kind))
                err_at(t, xlcfg_get(t->cfg, "gfx_passthru"),
                       "invalid gfx_passthru '%s'", s);
            libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
        }
        break;
    }
    if ((v = xlcfg_get(t->cfg, "serial"))) {
        if (v->type == XLCFG_LIST)
            list_to_strings(t, "serial", v, &b->u.hvm.serial_list);
        else
            replace(t, &b->u.hvm.serial, v->text);
    }
    get_replace(t, "boot", &b->u.hvm.boot);
    get_defbool(t, "usb", &b->u.hvm.usb);
    if (!get_long(t, "usbversion", &l))
        b->u.hvm.usbversion = (int)l;
    if ((v = xlcfg_get(t->cfg, "usbdevice"))) {
        if (v->type == XLCFG_LIST)
            list_to_strings(t, "usbdevice", v, &b->u.hvm.usbdevice_list);
        else
            replace(t, &b->u.hvm.usbdevice, v->text);
    }
    get_defbool(t, "vkb_device", &b->u.hvm.vkb_device);
    get_replace(t, "soundhw", &b->u.hvm.soundhw);
    get_defbool(t, "xen_platform_pci", &b->u.hvm.xen_platform_pci);
    if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display &&
        strchr(b->u.hvm.vnc.listen, ':'))
        err_at(t, xlcfg_get(t->cfg, "vnclisten"),
               "the display is given both in vnclisten and vncdisplay");
    if (!get_str(t, "vendor_device", &s) &&
        libxl_vendor_device_from_string(s, &b->u.hvm.vendor_device))
        err_at(t, xlcfg_get(t->cfg, "vendor_device"),
               "unknown vendor_device '%s'", s);
}

/* ------------------------------------------------------------------------
 * Disks and vifs through devspec.c
 */

static void translate_disks(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "disk", &list))
        return;
    dc->disks = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->disks));
    if (!dc->disks)
        return oom(t);
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_disk *disk = &dc->disks[dc->num_disks];
        const xlcfg_disk *x;

        if (!item_str(t, "disk", list->items[i]))
            return;
        x = parsed(t, xlcfg_parsed_disk(t->cfg, i), list->items[i]);
        if (!x)
            return;
        dc->num_disks++;
        if (xl_disk_from_parsed(x, disk))
            return oom(t);
        if (t->reference_scripts && !x->script) {
            free(disk->script);
            disk->script = NULL;
        }
    }
}

static void translate_nics(tr *t, libxl_domain_config *dc)
{
    const xlcfg_value *list;

    if (get_list(t, "vif", &list))
        return;
    dc->nics = calloc(list->nitems ? list->nitems : 1, sizeof(*dc->nics));
    if (!dc->nics)
        return oom(t);
    for (size_t i = 0; i < list->nitems; i++) {
        libxl_device_nic *nic = &dc->nics[dc->num_nics];
        const xlcfg_vif *x;
        xlcfg_loc loc;
        int rc;

        if (!item_str(t, "vif", list->items[i]))
            return;
        x = parsed(t, xlcfg_parsed_vif(t->cfg, i), list->items[i]);
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
                t->conf->vif_script ? xdup(t, t->conf->vif_script) : NULL;
        }
    }
}

int xl_translate(libxl_ctx *ctx, const xlcfg_cfg *cfg,
                 const struct xl_conf *conf, unsigned flags,
                 libxl_domain_config *dc, xlcfg_diags *d)
{
    tr t = {.ctx = ctx,
            .cfg = cfg,
            .d = d,
            .conf = conf,
            .reference_scripts = flags & XL_TR_REFERENCE_SCRIPTS};
    libxl_domain_build_info *b = &dc->b_info;
    const xlcfg_value *v;

    translate_type_and_names(&t, dc);
    if (t.rc == ENOMEM)
        goto out;
    translate_resources(&t, dc);
    translate_actions(&t, dc);
    translate_boot(&t, dc);

    if (b->type == LIBXL_DOMAIN_TYPE_HVM)
        translate_hvm_firmware(&t, b);
    else
        translate_pv_firmware(&t, b);
    translate_altp2m_etc(&t, b);
    translate_ioports_irqs_iomem(&t, b);

    translate_disks(&t, dc);
    translate_vtpms(&t, dc);
    translate_channels(&t, dc);
    translate_nics(&t, dc);
    if ((v = xlcfg_get(cfg, "vif2")))
        warn_at(&t, v, "vif2 (netchannel2) is not supported and is ignored");
    translate_vfbs(&t, dc);
    translate_cpuid(&t, b);
    translate_device_model(&t, dc);
    translate_display(&t, dc);
    get_defbool(&t, "dm_restrict", &b->dm_restrict);
    if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM)
        translate_hvm_devices(&t, b);
    refuse_unsupported(&t);
    get_defbool(&t, "xend_suspend_evtchn_compat",
                &dc->c_info.xend_suspend_evtchn_compat);
    if (!get_defbool(&t, "msr_relaxed", &b->arch_x86.msr_relaxed))
        warn_at(&t, xlcfg_get(cfg, "msr_relaxed"),
                "msr_relaxed will be removed in future Xen versions");
out:
    free(t.cpu_to_node);
    if (!t.rc && xlcfg_diags_errors(d))
        t.rc = EINVAL;
    return t.rc;
}
