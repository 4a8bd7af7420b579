/* translate.c: libxlcfg model -> libxl_domain_config, as Xen's xl maps it:
 * the entry point and the domain-wide sections (translate_devices.c has
 * the devices, translate_values.c the typed reads). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "libxlcfg.h"
#include "translate.h"
#include "translate_internal.h"
#include "xlconf.h"

/* ------------------------------------------------------------------------
 * Sections of the domain config, in the reference's order
 */

/* A key the domain needs is not set: report it at a key that looks like a
 * misspelling of one of `want` (kernal for kernel), else at the file. */
static void missing_key(translation *t, const char *const *want,
                        const char *msg)
{
    xlcfg_loc loc = {0};
    char hint[160];
    const char *sug = NULL;

    for (size_t i = 0; i < xlcfg_nsettings(t->cfg) && !sug; i++) {
        const xlcfg_setting *st = xlcfg_setting_at(t->cfg, i);

        if (xlcfg_key_lookup(st->key))
            continue;
        sug = xlcfg_key_suggest(st->key);
        for (size_t w = 0; sug && want[w] && strcmp(sug, want[w]); w++)
            if (!want[w + 1])
                sug = NULL;
        if (sug) {
            xlcfg_setting_key_loc(t->cfg, st, &loc);
            snprintf(hint, sizeof(hint),
                     "'%s' is not a key: did you mean '%s'?", st->key, sug);
        }
    }
    if (!sug && xlcfg_nsources(t->cfg))
        loc.file = xlcfg_source_name(t->cfg, 0);
    if (xlcfg_diags_add(t->d, XLCFG_SEV_ERROR, &loc, sug ? hint : NULL, "%s",
                        msg))
        t->rc = ENOMEM;
    else if (!t->rc)
        t->rc = EINVAL;
}

static void translate_type_and_names(translation *t, libxl_domain_config *dc)
{
    libxl_domain_create_info *c = &dc->c_info;
    libxl_domain_build_info *b = &dc->b_info;
    const char *s;

    if (!tr_get_str(t, "init_seclabel", &s))
        tr_replace(t, &c->ssid_label, s);
    if (!tr_get_str(t, "seclabel", &s)) {
        if (c->ssid_label)
            tr_replace(t, &b->exec_ssid_label, s);
        else
            tr_replace(t, &c->ssid_label, s);
    }
    libxl_defbool_set(&c->run_hotplug_scripts, t->conf->run_hotplug_scripts);

    /* The reference matches a prefix of the name ("h" is hvm). */
    if (!tr_get_str(t, "type", &s)) {
        size_t n = strlen(s);

        if (!strncmp(s, "hvm", n))
            c->type = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(s, "pv", n))
            c->type = LIBXL_DOMAIN_TYPE_PV;
        else if (!strncmp(s, "pvh", n))
            c->type = LIBXL_DOMAIN_TYPE_PVH;
        else
            tr_err_at(t, xlcfg_get(t->cfg, "type"),
                      "invalid domain type '%s' (pv, pvh or hvm)", s);
    }
    if (!tr_get_str(t, "builder", &s)) {
        libxl_domain_type bt = LIBXL_DOMAIN_TYPE_INVALID;
        size_t n = strlen(s);

        if (!strncmp(s, "hvm", n))
            bt = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(s, "generic", n))
            bt = LIBXL_DOMAIN_TYPE_PV;
        else
            tr_err_at(t, xlcfg_get(t->cfg, "builder"),
                      "invalid builder '%s' (generic or hvm)", s);
        if (bt != LIBXL_DOMAIN_TYPE_INVALID) {
            if (c->type != LIBXL_DOMAIN_TYPE_INVALID && c->type != bt)
                tr_err_at(t, xlcfg_get(t->cfg, "builder"),
                          "'builder' contradicts 'type'");
            c->type = bt;
        }
    }
    if (c->type == LIBXL_DOMAIN_TYPE_INVALID)
        c->type = LIBXL_DOMAIN_TYPE_PV;

    tr_get_defbool(t, "hap", &c->hap);
    if (tr_get_str(t, "name", &s))
        missing_key(t, (const char *const[]){"name", NULL},
                    "the domain needs a name: add name = \"...\"");
    else
        tr_replace(t, &c->name, s);
    if (!tr_get_str(t, "uuid", &s)) {
        if (libxl_uuid_from_string(&c->uuid, s))
            tr_err_at(t, xlcfg_get(t->cfg, "uuid"), "invalid uuid '%s'", s);
    } else {
        libxl_uuid_generate(&c->uuid);
    }
    tr_get_defbool(t, "oos", &c->oos);
    tr_get_replace(t, "pool", &c->pool_name);

    libxl_domain_build_info_init_type(b, c->type);
    if (b->type == LIBXL_DOMAIN_TYPE_PVH) {
        tr_get_defbool(t, "pvshim", &b->u.pvh.pvshim);
        tr_get_replace(t, "pvshim_path", &b->u.pvh.pvshim_path);
        tr_get_replace(t, "pvshim_cmdline", &b->u.pvh.pvshim_cmdline);
        tr_get_replace(t, "pvshim_extra", &b->u.pvh.pvshim_extra);
    }
    if (t->conf->blkdev_start)
        b->blkdev_start = tr_xdup(t, t->conf->blkdev_start);
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

static bool parse_ulong(translation *t, const xlcfg_value *at, const char *str,
                        unsigned long *r)
{
    char *end;

    *r = strtoul(str, &end, 10);
    if (end == str || *r == ULONG_MAX) {
        tr_err_at(t, at, "vnuma: '%s' is not a number", str);
        return false;
    }
    return true;
}

/* One "key=value" option of a vnode. */
static void vnode_option(translation *t, libxl_domain_build_info *b,
                         libxl_vnode_info *p, libxl_bitmap *vcpus,
                         const xlcfg_value *at, uint32_t nr_nodes,
                         unsigned long *nvcpus, uint64_t *memkb)
{
    const char *s = at->text, *eq = strchr(s, '=');
    char *k, *v, *save = NULL;
    unsigned long val, lo, hi;

    if (!eq) {
        tr_err_at(t, at, "vnuma: '%s' is not key=value", s);
        return;
    }
    k = tr_trimmed(t, s, eq);
    v = tr_trimmed(t, eq + 1, eq + 1 + strcspn(eq + 1, "="));
    if (!k || !v)
        goto out;
    if (!strcmp(k, "pnode")) {
        if (!parse_ulong(t, at, v, &val))
            goto out;
        /* nr_nodes 0: no hypervisor to ask (see translate_vnuma). */
        if (nr_nodes && val >= nr_nodes) {
            tr_err_at(t, at, "vnuma: invalid pnode %lu (the host has %u)", val,
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
                tr_err_at(t, at, "vnuma: invalid vcpu range '%s'", r);
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
                tr_err_at(t, at, "vnuma: more vdistances than vnodes");
                goto out;
            }
            p->distances[j] = (uint32_t)val;
        }
    }
out:
    free(k);
    free(v);
}

static void translate_vnuma(translation *t, libxl_domain_build_info *b)
{
    const xlcfg_value *list = xlcfg_get(t->cfg, "vnuma");
    unsigned long nvcpus = 0;
    uint64_t memkb = 0;
    libxl_bitmap *parsed;
    uint32_t nr_nodes = 0;
    size_t n;

    if (!list)
        return;
    if (list->type != XLCFG_LIST) {
        tr_err_at(t, list, "'vnuma' must be a list of lists");
        return;
    }
    n = list->nitems;
    if (!n)
        return;
    if (t->ctx) {
        libxl_physinfo pi;

        libxl_physinfo_init(&pi);
        nr_nodes = 1;
        if (!libxl_get_physinfo(t->ctx, &pi))
            nr_nodes = pi.nr_nodes;
        libxl_physinfo_dispose(&pi);
    } else {
        tr_note_at(t, list,
                   "no hypervisor here: the host's NUMA nodes and CPUs are "
                   "not checked against vnuma");
    }
    tr_host_cpus(t);
    b->vnuma_nodes = calloc(n, sizeof(*b->vnuma_nodes));
    parsed = calloc(n, sizeof(*parsed));
    if (!b->vnuma_nodes || !parsed) {
        free(parsed);
        return tr_oom(t);
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
            tr_oom(t);
            goto out;
        }
        p->num_distances = (int)n;
        /* The reference sizes the map by maxvcpus, or the host's CPUs. */
        if (tr_alloc_bitmap(t, &parsed[i],
                            b->max_vcpus ? b->max_vcpus : t->nr_cpus))
            goto out;
    }
    for (size_t i = 0; i < n && !t->rc; i++) {
        const xlcfg_value *node = list->items[i];

        if (node->type != XLCFG_LIST) {
            tr_err_at(t, node,
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
            tr_err_at(t, list, "vnuma vcpus (%lu) and maxvcpus (%d) differ",
                      nvcpus, b->max_vcpus);
    } else {
        long online = t->ctx ? libxl_get_online_cpus(t->ctx) : LONG_MAX;

        if (online < 0 || (unsigned long)online < nvcpus)
            tr_err_at(t, list,
                      "vnuma specifies more vcpus than the host has "
                      "CPUs; set maxvcpus= to allow it");
        b->max_vcpus = (int)nvcpus;
    }
    if (b->max_memkb != LIBXL_MEMKB_DEFAULT && b->max_memkb != memkb)
        tr_err_at(t, list, "maxmem and the vnuma memory sizes differ");
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

static void translate_resources(translation *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long l, vcpus = 0;
    const char *s;

    if (!tr_get_long(t, "cpu_weight", &l))
        b->sched_params.weight = (int)l;
    if (!tr_get_long(t, "cap", &l))
        b->sched_params.cap = (int)l;
    if (!tr_get_long(t, "period", &l))
        b->sched_params.period = (int)l;
    if (!tr_get_long(t, "slice", &l))
        b->sched_params.slice = (int)l;
    if (!tr_get_long(t, "latency", &l))
        b->sched_params.latency = (int)l;
    if (!tr_get_long(t, "extratime", &l))
        b->sched_params.extratime = (int)l;
    if (!tr_get_long(t, "memory", &l))
        b->target_memkb = (uint64_t)l * 1024;
    if (!tr_get_long(t, "maxmem", &l))
        b->max_memkb = (uint64_t)l * 1024;
    if (!tr_get_long(t, "vcpus", &l)) {
        if (l < 1) {
            tr_err_at(t, xlcfg_get(t->cfg, "vcpus"),
                      "vcpus must be at least 1");
        } else if (!tr_alloc_bitmap(t, &b->avail_vcpus, (int)l)) {
            vcpus = l;
            for (long i = 0; i < l; i++)
                libxl_bitmap_set(&b->avail_vcpus, (int)i);
        }
    }
    if (!tr_get_long(t, "maxvcpus", &l))
        b->max_vcpus = (int)l;
    if (!tr_get_str(t, "vuart", &s) &&
        libxl_vuart_type_from_string(s, &b->arch_arm.vuart))
        tr_err_at(t, xlcfg_get(t->cfg, "vuart"), "invalid vuart '%s'", s);
    translate_vnuma(t, b);

    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = b->target_memkb;
    if (b->max_vcpus == 0)
        b->max_vcpus = (int)vcpus;
    if (b->max_vcpus < vcpus)
        tr_err_at(t, xlcfg_get(t->cfg, "maxvcpus"),
                  "maxvcpus (%d) is less than vcpus (%ld)", b->max_vcpus,
                  vcpus);

    tr_vcpu_affinity(t, b, "cpus", true);
    tr_vcpu_affinity(t, b, "cpus_soft", false);

    if (!tr_get_long(t, "max_grant_frames", &l)) {
        if (l < 0 || l > INT_MAX)
            tr_err_at(t, xlcfg_get(t->cfg, "max_grant_frames"),
                      "max_grant_frames must be 0..%d", INT_MAX);
        b->max_grant_frames = (uint32_t)l;
    } else {
        b->max_grant_frames = (uint32_t)t->conf->max_grant_frames;
    }
    if (!tr_get_long(t, "max_maptrack_frames", &l)) {
        if (l < 0 || l > INT_MAX)
            tr_err_at(t, xlcfg_get(t->cfg, "max_maptrack_frames"),
                      "max_maptrack_frames must be 0..%d", INT_MAX);
        b->max_maptrack_frames = (uint32_t)l;
    } else {
        b->max_maptrack_frames = (uint32_t)t->conf->max_maptrack_frames;
    }
    /* Checked 1..2 by validation; default: xl.conf's, else libxl's. */
    if (!tr_get_long(t, "max_grant_version", &l))
        b->max_grant_version = (uint32_t)l;
    else if (t->conf->max_grant_version >= 0)
        b->max_grant_version = (uint32_t)t->conf->max_grant_version;
    libxl_defbool_set(&b->claim_mode, t->conf->claim_mode);
}

static void translate_actions(translation *t, libxl_domain_config *dc)
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

        if (tr_get_str(t, acts[i].key, &s))
            s = acts[i].dflt;
        if (xl_action_from_string(s, a))
            tr_err_at(t, xlcfg_get(t->cfg, acts[i].key),
                      "unknown %s action '%s' (destroy, restart, "
                      "rename-restart, preserve, coredump-destroy, "
                      "coredump-restart, soft-reset)",
                      acts[i].key, s);
    }
}

static char *make_cmdline(translation *t)
{
    const char *cmdline = NULL, *root = NULL, *extra = NULL;
    char *r = NULL;

    tr_get_str(t, "cmdline", &cmdline);
    tr_get_str(t, "root", &root);
    tr_get_str(t, "extra", &extra);
    if (cmdline) {
        if (root || extra)
            tr_warn_at(t, xlcfg_get(t->cfg, "cmdline"),
                       "ignoring root= and extra= in favour of cmdline=");
        return tr_xdup(t, cmdline);
    }
    if (root && extra) {
        if (asprintf(&r, "root=%s %s", root, extra) < 0)
            r = NULL, tr_oom(t);
    } else if (root) {
        if (asprintf(&r, "root=%s", root) < 0)
            r = NULL, tr_oom(t);
    } else if (extra) {
        r = tr_xdup(t, extra);
    }
    return r;
}

static void translate_boot(translation *t, libxl_domain_config *dc)
{
    libxl_domain_create_info *c = &dc->c_info;
    libxl_domain_build_info *b = &dc->b_info;
    const xlcfg_value *v;
    const char *s;
    long l;

    if (c->type == LIBXL_DOMAIN_TYPE_PV)
        tr_get_defbool(t, "e820_host", &b->u.pv.e820_host);
    tr_rdm(t, b);
    if (xlcfg_get(t->cfg, "pci"))
        tr_pci(t, dc);
    tr_dtdevs(t, dc);
    if (!tr_get_str(t, "passthrough", &s) &&
        libxl_passthrough_from_string(s, &c->passthrough))
        tr_err_at(t, xlcfg_get(t->cfg, "passthrough"),
                  "unknown passthrough option '%s'", s);
    if (!tr_get_long(t, "shadow_memory", &l))
        b->shadow_memkb = (uint64_t)l * 1024;
    tr_get_defbool(t, "nomigrate", &b->disable_migrate);

    switch (tr_get_long_quiet(t, "tsc_mode", &l)) {
    case 0:
        tr_warn_at(t, xlcfg_get(t->cfg, "tsc_mode"),
                   "tsc_mode as a number is deprecated; use its name");
        if (l < LIBXL_TSC_MODE_DEFAULT || l > LIBXL_TSC_MODE_NATIVE_PARAVIRT)
            tr_err_at(t, xlcfg_get(t->cfg, "tsc_mode"), "invalid tsc_mode %ld",
                      l);
        b->tsc_mode = (libxl_tsc_mode)l;
        break;
    case EAGAIN:
        if (!tr_get_str(t, "tsc_mode", &s) &&
            libxl_tsc_mode_from_string(s, &b->tsc_mode))
            tr_err_at(t, xlcfg_get(t->cfg, "tsc_mode"), "invalid tsc_mode '%s'",
                      s);
        break;
    }
    if (!tr_get_long(t, "rtc_timeoffset", &l))
        b->rtc_timeoffset = (uint32_t)l;
    tr_get_defbool(t, "localtime", &b->localtime);
    if (!tr_get_long(t, "videoram", &l))
        b->video_memkb = (uint64_t)l * 1024;
    if (!tr_get_long(t, "max_event_channels", &l))
        b->event_channels = (uint32_t)l;
    tr_get_replace(t, "kernel", &b->kernel);
    tr_get_replace(t, "ramdisk", &b->ramdisk);
    tr_get_replace(t, "device_tree", &b->device_tree);
    b->cmdline = make_cmdline(t);
    tr_get_defbool(t, "driver_domain", &c->driver_domain);
    tr_get_defbool(t, "acpi", &b->acpi);
    tr_get_replace(t, "bootloader", &b->bootloader);
    if ((v = xlcfg_get(t->cfg, "bootloader_args"))) {
        if (v->type == XLCFG_LIST) {
            tr_list_to_strings(t, "bootloader_args", v, &b->bootloader_args);
        } else {
            tr_warn_at(t, v,
                       "'bootloader_args' as a string is deprecated; "
                       "use a list of arguments");
            tr_split_words(t, v->text, " \t\n", &b->bootloader_args);
        }
    }
    switch (tr_get_long_quiet(t, "timer_mode", &l)) {
    case 0:
        if (b->type == LIBXL_DOMAIN_TYPE_PV) {
            tr_err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                      "timer_mode is not supported for PV guests");
            break;
        }
        tr_warn_at(t, xlcfg_get(t->cfg, "timer_mode"),
                   "timer_mode as a number is deprecated; use its name");
        if (l < LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS ||
            l > LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING)
            tr_err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                      "invalid timer_mode %ld", l);
        b->timer_mode = (libxl_timer_mode)l;
        break;
    case EAGAIN:
        if (b->type == LIBXL_DOMAIN_TYPE_PV)
            tr_err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                      "timer_mode is not supported for PV guests");
        else if (!tr_get_str(t, "timer_mode", &s) &&
                 libxl_timer_mode_from_string(s, &b->timer_mode))
            tr_err_at(t, xlcfg_get(t->cfg, "timer_mode"),
                      "invalid timer_mode '%s'", s);
        break;
    }
    tr_get_defbool(t, "nestedhvm", &b->nested_hvm);
}

static void translate_viridian(translation *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v = xlcfg_get(t->cfg, "viridian");

    if (!v)
        return;
    if (v->type != XLCFG_LIST) {
        tr_get_defbool(t, "viridian", &b->u.hvm.viridian);
        return;
    }
    if (v->nitems) {
        /* Our own allocation: libxl_bitmap_alloc needs a context. */
        if (tr_alloc_bitmap(
                t, &b->u.hvm.viridian_enable,
                LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH) ||
            tr_alloc_bitmap(t, &b->u.hvm.viridian_disable,
                            LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH))
            return;
    }
    for (size_t i = 0; i < v->nitems; i++) {
        const char *s = tr_item_str(t, "viridian", v->items[i]);
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
            tr_err_at(t, v->items[i], "unknown viridian enlightenment '%s'", s);
            continue;
        }
        libxl_bitmap_set(set, e);
        libxl_bitmap_reset(clr, e);
    }
}

/* A random, non-zero generation ID: libxl's own generator, or (no
 * hypervisor, create -n and check-config) the same from getrandom(). */
static int genid_generate(libxl_ctx *ctx, libxl_ms_vm_genid *id)
{
    if (ctx)
        return libxl_ms_vm_genid_generate(ctx, id) ? (errno = EIO, -1) : 0;
    do {
        if (getrandom(id->bytes, sizeof(id->bytes), 0) !=
            (ssize_t)sizeof(id->bytes))
            return -1;
    } while (libxl_ms_vm_genid_is_zero(id));
    return 0;
}

static void translate_hvm_firmware(translation *t, libxl_domain_build_info *b)
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
    tr_get_replace(t, "firmware_override", &b->u.hvm.firmware);
    tr_get_replace(t, "bios_path_override", &b->u.hvm.system_firmware);
    if (!tr_get_str(t, "bios", &s)) {
        if (libxl_bios_type_from_string(s, &b->u.hvm.bios))
            tr_err_at(t, xlcfg_get(t->cfg, "bios"),
                      "invalid bios '%s' (rombios, seabios or ovmf)", s);
    } else if (b->u.hvm.system_firmware) {
        tr_warn_at(t, xlcfg_get(t->cfg, "bios_path_override"),
                   "bios_path_override given without a bios name");
    }
    tr_get_defbool(t, "pae", &b->u.hvm.pae);
    tr_get_defbool(t, "acpi_s3", &b->u.hvm.acpi_s3);
    tr_get_defbool(t, "acpi_s4", &b->u.hvm.acpi_s4);
    tr_get_defbool(t, "acpi_laptop_slate", &b->u.hvm.acpi_laptop_slate);
    tr_get_defbool(t, "nx", &b->u.hvm.nx);
    tr_get_defbool(t, "hpet", &b->u.hvm.hpet);
    tr_get_defbool(t, "vpt_align", &b->u.hvm.vpt_align);
    tr_get_defbool(t, "apic", &b->apic);
    translate_viridian(t, b);
    if (!tr_get_long(t, "mmio_hole", &l)) {
        uint64_t size = (uint64_t)l * 1024 * 1024;

        b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
        if (size < XL_MMIO_HOLE_MIN || size > XL_MMIO_HOLE_MAX)
            tr_err_at(t, xlcfg_get(t->cfg, "mmio_hole"),
                      "invalid mmio_hole %ld (MiB, 256..3840)", l);
    }
    if (!tr_get_defbool(t, "altp2mhvm", &b->u.hvm.altp2m))
        tr_warn_at(t, xlcfg_get(t->cfg, "altp2mhvm"),
                   "'altp2mhvm' is deprecated; use 'altp2m'");
    tr_get_replace(t, "smbios_firmware", &b->u.hvm.smbios_firmware);
    tr_get_replace(t, "acpi_firmware", &b->u.hvm.acpi_firmware);
    if (!tr_get_str(t, "ms_vm_genid", &s)) {
        if (!strcmp(s, "generate")) {
            if (genid_generate(t->ctx, &b->u.hvm.ms_vm_genid))
                tr_err_at(t, xlcfg_get(t->cfg, "ms_vm_genid"),
                          "cannot generate a VM generation ID: %s",
                          strerror(errno));
        } else if (strcmp(s, "none")) {
            tr_err_at(t, xlcfg_get(t->cfg, "ms_vm_genid"),
                      "ms_vm_genid must be \"generate\" or \"none\"");
        }
    }
    if (!tr_get_long(t, "rdm_mem_boundary", &l))
        b->u.hvm.rdm_mem_boundary_memkb = (uint64_t)l * 1024;
    const xlcfg_value *mca;
    if (!tr_get_list(t, "mca_caps", &mca)) {
        for (size_t i = 0; i < mca->nitems; i++) {
            const char *c = tr_item_str(t, "mca_caps", mca->items[i]);

            if (c && !strcmp(c, "lmce"))
                b->u.hvm.mca_caps |= 1; /* XEN_HVM_MCA_CAP_LMCE */
            else if (c)
                tr_err_at(t, mca->items[i], "unknown MCA capability '%s'", c);
        }
    }
    /* firmware: a bios name, "uefi"/"bios" (prefixes, as the reference
     * compares them), or a path to a custom firmware. */
    if (!tr_get_str(t, "firmware", &s) &&
        libxl_bios_type_from_string(s, &b->u.hvm.bios)) {
        size_t n = strlen(s);

        if (!strncmp(s, "uefi", n))
            b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
        else if (strncmp(s, "bios", n))
            tr_replace(t, &b->u.hvm.firmware, s);
    }
}

static void translate_pv_firmware(translation *t, libxl_domain_build_info *b)
{
    const char *s;

    if (!tr_get_str(t, "firmware", &s)) {
        size_t n = strlen(s);

        if (b->kernel) {
            tr_err_at(t, xlcfg_get(t->cfg, "firmware"),
                      "both kernel and firmware are given; use one");
        } else if (strncmp(s, "pvgrub32", n) && strncmp(s, "pvgrub64", n)) {
            tr_err_at(t, xlcfg_get(t->cfg, "firmware"),
                      "only pvgrub32 and pvgrub64 are firmware options for "
                      "PV/PVH guests");
        } else if (asprintf(&b->kernel, XL_XENFIRMWAREDIR "/%s.bin", s) < 0) {
            b->kernel = NULL;
            tr_oom(t);
        }
    }
    if (!b->bootloader && !b->kernel && !t->rc)
        missing_key(t, (const char *const[]){"kernel", "bootloader", NULL},
                    "neither kernel nor bootloader is given: add "
                    "kernel = \"/path/to/vmlinuz\" or bootloader = "
                    "\"pygrub\"");
}

static void translate_altp2m_etc(translation *t, libxl_domain_build_info *b)
{
    const char *s;
    long l;

    switch (tr_get_long_quiet(t, "altp2m", &l)) {
    case 0:
        if (l < LIBXL_ALTP2M_MODE_DISABLED || l > LIBXL_ALTP2M_MODE_LIMITED)
            tr_err_at(t, xlcfg_get(t->cfg, "altp2m"), "invalid altp2m %ld", l);
        b->altp2m = (libxl_altp2m_mode)l;
        break;
    case EAGAIN:
        if (!tr_get_str(t, "altp2m", &s) &&
            libxl_altp2m_mode_from_string(s, &b->altp2m))
            tr_err_at(t, xlcfg_get(t->cfg, "altp2m"), "invalid altp2m '%s'", s);
        break;
    }
    if (!tr_get_long_quiet(t, "vmtrace_buf_kb", &l) && l)
        b->vmtrace_buf_kb = (int)l;
}

static void translate_device_model(translation *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    const char *s;
    long l;

    /* xm-era device_model= is ignored (xlcfg_validate warns). */
    tr_get_replace(t, "device_model_override", &b->device_model);
    if (!tr_get_str(t, "device_model_version", &s)) {
        if (!strcmp(s, "qemu-xen-traditional"))
            b->device_model_version =
                LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
        else if (!strcmp(s, "qemu-xen"))
            b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
        else
            tr_err_at(t, xlcfg_get(t->cfg, "device_model_version"),
                      "unknown device_model_version '%s' (qemu-xen or "
                      "qemu-xen-traditional)",
                      s);
    } else if (b->device_model) {
        tr_warn_at(t, xlcfg_get(t->cfg, "device_model_override"),
                   "device model override given without a version");
    }
    tr_get_defbool(t, "device_model_stubdomain_override",
                   &b->device_model_stubdomain);
    tr_get_replace(t, "device_model_stubdomain_seclabel",
                   &b->device_model_ssid_label);
    tr_get_replace(t, "device_model_user", &b->device_model_user);
    tr_get_replace(t, "stubdomain_kernel", &b->stubdomain_kernel);
    tr_get_replace(t, "stubdomain_ramdisk", &b->stubdomain_ramdisk);
    tr_get_replace(t, "stubdomain_cmdline", &b->stubdomain_cmdline);
    if (!tr_get_long(t, "stubdomain_memory", &l))
        b->stubdomain_memkb = (uint64_t)l * 1024;
    tr_extra_args(t, "device_model_args", &b->extra);
    tr_extra_args(t, "device_model_args_pv", &b->extra_pv);
    tr_extra_args(t, "device_model_args_hvm", &b->extra_hvm);
}

static void translate_display(translation *t, libxl_domain_config *dc)
{
    libxl_domain_build_info *b = &dc->b_info;
    long l;

    if (dc->c_info.type == LIBXL_DOMAIN_TYPE_PV && !dc->num_vfbs) {
        if (!tr_get_long(t, "vnc", &l) && l) {
            libxl_device_vfb *vfb;

            tr_add_vfb_vkb(t, dc, &vfb);
            if (!vfb)
                return;
            tr_top_level_vnc_sdl(t, &vfb->vnc, &vfb->sdl);
            tr_get_replace(t, "keymap", &vfb->keymap);
        }
    } else if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM) {
        tr_top_level_vnc_sdl(t, &b->u.hvm.vnc, &b->u.hvm.sdl);
    } else {
        /* The reference writes these into the HVM member of the union
         * even for PV/PVH guests, corrupting their settings: refuse. */
        static const char *const keys[] = {
            "vnc", "vnclisten", "vncpasswd", "vncdisplay", "vncunused",
            "sdl", "opengl",    "display",   "xauthority"};

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            const xlcfg_value *v = xlcfg_get(t->cfg, keys[i]);

            if (v)
                tr_warn_at(t, v,
                           "'%s' is ignored here (use vfb=[...] for PV, "
                           "it has no effect on PVH)",
                           keys[i]);
        }
    }
}

static void translate_hvm_devices(translation *t, libxl_domain_build_info *b)
{
    const xlcfg_value *v;
    const char *s;
    long l;

    if (!tr_get_str(t, "vga", &s)) {
        if (!strcmp(s, "stdvga"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
        else if (!strcmp(s, "cirrus"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
        else if (!strcmp(s, "none"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
        else if (!strcmp(s, "qxl"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_QXL;
        else
            tr_err_at(t, xlcfg_get(t->cfg, "vga"),
                      "unknown vga '%s' (stdvga, cirrus, qxl or none)", s);
    } else if (!tr_get_long(t, "stdvga", &l)) {
        b->u.hvm.vga.kind =
            l ? LIBXL_VGA_INTERFACE_TYPE_STD : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
    }
    if (!tr_get_str(t, "hdtype", &s) &&
        libxl_hdtype_from_string(s, &b->u.hvm.hdtype))
        tr_err_at(t, xlcfg_get(t->cfg, "hdtype"), "invalid hdtype '%s'", s);
    tr_get_replace(t, "keymap", &b->u.hvm.keymap);
    tr_get_defbool(t, "spice", &b->u.hvm.spice.enable);
    if (!tr_get_long(t, "spiceport", &l))
        b->u.hvm.spice.port = (int)l;
    if (!tr_get_long(t, "spicetls_port", &l))
        b->u.hvm.spice.tls_port = (int)l;
    tr_get_replace(t, "spicehost", &b->u.hvm.spice.host);
    tr_get_defbool(t, "spicedisable_ticketing",
                   &b->u.hvm.spice.disable_ticketing);
    tr_get_replace(t, "spicepasswd", &b->u.hvm.spice.passwd);
    tr_get_defbool(t, "spiceagent_mouse", &b->u.hvm.spice.agent_mouse);
    tr_get_defbool(t, "spicevdagent", &b->u.hvm.spice.vdagent);
    tr_get_defbool(t, "spice_clipboard_sharing",
                   &b->u.hvm.spice.clipboard_sharing);
    if (!tr_get_long(t, "spiceusbredirection", &l))
        b->u.hvm.spice.usbredirection = (int)l;
    tr_get_replace(t, "spice_image_compression",
                   &b->u.hvm.spice.image_compression);
    tr_get_replace(t, "spice_streaming_video", &b->u.hvm.spice.streaming_video);
    tr_get_defbool(t, "nographic", &b->u.hvm.nographic);
    switch (tr_get_long_quiet(t, "gfx_passthru", &l)) {
    case 0:
        libxl_defbool_set(&b->u.hvm.gfx_passthru, l);
        break;
    case EAGAIN:
        if (!tr_get_str(t, "gfx_passthru", &s)) {
            if (libxl_gfx_passthru_kind_from_string(
                    s, &b->u.hvm.gfx_passthru_kind))
                tr_err_at(t, xlcfg_get(t->cfg, "gfx_passthru"),
                          "invalid gfx_passthru '%s'", s);
            libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
        }
        break;
    }
    if ((v = xlcfg_get(t->cfg, "serial"))) {
        if (v->type == XLCFG_LIST)
            tr_list_to_strings(t, "serial", v, &b->u.hvm.serial_list);
        else
            tr_replace(t, &b->u.hvm.serial, v->text);
    }
    tr_get_replace(t, "boot", &b->u.hvm.boot);
    tr_get_defbool(t, "usb", &b->u.hvm.usb);
    if (!tr_get_long(t, "usbversion", &l))
        b->u.hvm.usbversion = (int)l;
    if ((v = xlcfg_get(t->cfg, "usbdevice"))) {
        if (v->type == XLCFG_LIST)
            tr_list_to_strings(t, "usbdevice", v, &b->u.hvm.usbdevice_list);
        else
            tr_replace(t, &b->u.hvm.usbdevice, v->text);
    }
    tr_get_defbool(t, "vkb_device", &b->u.hvm.vkb_device);
    tr_get_replace(t, "soundhw", &b->u.hvm.soundhw);
    tr_get_defbool(t, "xen_platform_pci", &b->u.hvm.xen_platform_pci);
    if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display &&
        strchr(b->u.hvm.vnc.listen, ':'))
        tr_err_at(t, xlcfg_get(t->cfg, "vnclisten"),
                  "the display is given both in vnclisten and vncdisplay");
    if (!tr_get_str(t, "vendor_device", &s) &&
        libxl_vendor_device_from_string(s, &b->u.hvm.vendor_device))
        tr_err_at(t, xlcfg_get(t->cfg, "vendor_device"),
                  "unknown vendor_device '%s'", s);
}

void xl_tr_env_init(struct xl_tr_env *e)
{
    e->bootloader_restrict = -1;
    e->bootloader_user = NULL;
}

void xl_tr_env_dispose(struct xl_tr_env *e)
{
    free(e->bootloader_user);
    xl_tr_env_init(e);
}

/* The admin's own value of an environment variable, kept at the first
 * apply so that a later config (the monitor's rebuild with an updated
 * file) starts from it again. */
struct saved_var {
    const char *name;
    bool saved;
    char *value; /* NULL: unset */
};

static int restore_var(struct saved_var *v)
{
    if (!v->saved) {
        const char *cur = getenv(v->name);

        if (cur && !(v->value = strdup(cur)))
            return ENOMEM;
        v->saved = true;
        return 0;
    }
    if (v->value ? setenv(v->name, v->value, 1) : unsetenv(v->name))
        return errno;
    return 0;
}

int xl_tr_env_apply(const struct xl_tr_env *e)
{
    static struct saved_var restrict_var = {.name =
                                                "LIBXL_BOOTLOADER_RESTRICT"};
    static struct saved_var user_var = {.name = "LIBXL_BOOTLOADER_USER"};
    int rc;

    if ((rc = restore_var(&restrict_var)) || (rc = restore_var(&user_var)))
        return rc;
    if (e->bootloader_restrict == 0) {
        /* libxl restricts when either variable is set, whatever its
         * value: the config's explicit "no" clears both. */
        if (unsetenv(restrict_var.name) || unsetenv(user_var.name))
            return errno;
    } else if (e->bootloader_restrict == 1) {
        if (setenv(restrict_var.name, "1", 1))
            return errno;
    }
    if (e->bootloader_user && e->bootloader_restrict != 0 &&
        setenv(user_var.name, e->bootloader_user, 1))
        return errno;
    return 0;
}

/* bootloader_restrict / bootloader_user: see struct xl_tr_env. A user
 * alone restricts too, as libxl 4.17 does with LIBXL_BOOTLOADER_USER. */
static void translate_bootloader_env(translation *t,
                                     const libxl_domain_build_info *b,
                                     struct xl_tr_env *env)
{
    const xlcfg_value *rv = xlcfg_get(t->cfg, "bootloader_restrict");
    const xlcfg_value *uv = xlcfg_get(t->cfg, "bootloader_user");
    const char *user = NULL;
    long l;

    if (!tr_get_long(t, "bootloader_restrict", &l))
        env->bootloader_restrict = l ? 1 : 0;
    if (!tr_get_str(t, "bootloader_user", &user)) {
        if (env->bootloader_restrict == 0)
            tr_warn_at(t, uv,
                       "bootloader_user is ignored: bootloader_restrict = 0 "
                       "runs the bootloader as root");
        else
            env->bootloader_user = tr_xdup(t, user);
    }
    if ((rv || uv) && !b->bootloader)
        tr_warn_at(t, rv ? rv : uv,
                   "'%s' has no effect: no bootloader is run for this guest",
                   rv ? "bootloader_restrict" : "bootloader_user");
}

int xl_translate(libxl_ctx *ctx, const xlcfg_cfg *cfg,
                 const struct xl_conf *conf, unsigned flags,
                 libxl_domain_config *dc, struct xl_tr_env *env_r,
                 xlcfg_diags *d)
{
    struct xl_tr_env env_local;
    translation t = {.ctx = ctx,
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
    xl_tr_env_init(&env_local);
    translate_bootloader_env(&t, b, env_r ? env_r : &env_local);
    xl_tr_env_dispose(&env_local);

    if (b->type == LIBXL_DOMAIN_TYPE_HVM)
        translate_hvm_firmware(&t, b);
    else
        translate_pv_firmware(&t, b);
    translate_altp2m_etc(&t, b);
    tr_ioports_irqs_iomem(&t, b);

    tr_disks(&t, dc);
    tr_vtpms(&t, dc);
    tr_channels(&t, dc);
    tr_nics(&t, dc);
    if ((v = xlcfg_get(cfg, "vif2")))
        tr_warn_at(&t, v, "vif2 (netchannel2) is not supported and is ignored");
    tr_vfbs(&t, dc);
    tr_cpuid(&t, b);
    translate_device_model(&t, dc);
    translate_display(&t, dc);
    tr_get_defbool(&t, "dm_restrict", &b->dm_restrict);
    if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM)
        translate_hvm_devices(&t, b);
    tr_refuse_unsupported(&t);
    tr_get_defbool(&t, "xend_suspend_evtchn_compat",
                   &dc->c_info.xend_suspend_evtchn_compat);
    if (!tr_get_defbool(&t, "msr_relaxed", &b->arch_x86.msr_relaxed))
        tr_warn_at(&t, xlcfg_get(cfg, "msr_relaxed"),
                   "msr_relaxed will be removed in future Xen versions");
    tr_get_defbool(&t, "vpmu", &b->vpmu);
out:
    free(t.cpu_to_node);
    if (!t.rc && xlcfg_diags_errors(d))
        t.rc = EINVAL;
    return t.rc;
}
