/* liveconfig.c: the live configuration of many domains at once, for
 * `xl list -l` (see liveconfig.h).
 *
 * What libxl_retrieve_domain_configuration (libxl 4.17) does for a
 * domain, and what this file does the same way:
 *  - under the domain's device lock, read the stored JSON config
 *    (userdata "libxl-json", under the userdata lock);
 *  - name from /local/domain/D/name, UUID from the domain's handle;
 *  - avail_vcpus: bit i set when cpu/i/availability is "online" (PV,
 *    PVH), or for each vCPU QEMU lists (HVM: query-cpus-fast over QMP,
 *    under the domain's QMP lock; here every QEMU is asked at once);
 *  - target_memkb = memory/target + the config's video_memkb (+1024 for
 *    an HVM guest whose maxmem exceeds its memory), max_memkb =
 *    memory/static-max;
 *  - scheduler parameters of the domain's cpupool's scheduler;
 *  - for each device kind libxl checks against xenstore (disks, vifs,
 *    vtpms, USB, PCI, vdispl, vsnd), the stored devices are kept only
 *    when xenstore lists one with the same key (disk vdev, vif devid),
 *    and an empty removable drive empties the stored disk.
 * Only disks and vifs are handled here; a domain with any of the other
 * checked kinds, or any answer from xenstore that is not the ordinary one
 * (a missing key libxl requires, a value it would reject, an error other
 * than ENOENT), is handed to libxl, whose result is then the answer.
 * Here is the gathering; libxl's locks, files and xenstore layout come
 * from libxl_internals.h, the conversations with QEMU from qmpcpus.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "ctx.h"
#include "libxl_internals.h"
#include "liveconfig.h"
#include "qmpcpus.h"
#include "xl.h"
#include "xenstore_batch.h"

/* One xenstore device entry as libxl would compare and merge it. */
struct xs_disk {
    const char *vdev;
    bool removable;
    bool empty; /* no medium: params absent or empty after its "type:" */
};

struct dom {
    const struct xl_domref *ref;
    libxl_domain_config *cfg;
    bool fast;
    int devlock; /* fd, or -1 */
    char devlock_path[128];
    /* xenstore request indices, round 1 (xsb1) */
    int q_name, q_target, q_max, q_cpu, q_vbd, q_vdisk, q_vbd_dir, q_vif_dir;
    int q_dm; /* HVM: the device model libxl started */
    /* round 2 (xsb2): XL_VBD_N per disk entry, XL_VIF_N per vif entry */
    int q_disk, q_nic;
    size_t n_vbd, n_vif; /* xenstore entries */
    libxl_scheduler sched;
    libxl_bitmap qemu_cpus; /* HVM: the vCPUs QEMU lists */
};

/* Back to libxl for this domain: nothing of ours stays in its config. */
static void give_up(struct dom *d)
{
    if (!d->fast)
        return;
    d->fast = false;
    xl_libxl_unlock(&d->devlock, d->devlock_path);
    libxl_domain_config_dispose(d->cfg);
    libxl_domain_config_init(d->cfg);
}

/* Device lock, stored config, and whether its kinds are ours. */
static void load(struct dom *d)
{
    const libxl_domain_config *c = d->cfg;
    uint8_t *data = NULL;
    char *text = NULL;
    int len = 0;

    xl_libxl_lock_path(d->devlock_path, sizeof(d->devlock_path), d->ref->domid,
                       d->ref->handle, XL_LIBXL_DEVICE_LOCK);
    d->devlock = xl_libxl_lock(d->devlock_path);
    if (d->devlock < 0 ||
        libxl_userdata_retrieve(ctx, d->ref->domid, XL_LIBXL_USERDATA_JSON,
                                &data, &len) ||
        len <= 0 || !data || !(text = malloc((size_t)len + 1))) {
        free(data);
        give_up(d);
        return;
    }
    memcpy(text, data, (size_t)len);
    text[len] = '\0';
    free(data);
    if (libxl_domain_config_from_json(ctx, d->cfg, text)) {
        free(text);
        give_up(d);
        return;
    }
    free(text);
    if ((c->b_info.type != LIBXL_DOMAIN_TYPE_PV &&
         c->b_info.type != LIBXL_DOMAIN_TYPE_PVH &&
         c->b_info.type != LIBXL_DOMAIN_TYPE_HVM) ||
        c->num_vtpms || c->num_usbctrls || c->num_usbdevs || c->num_pcidevs ||
        c->num_vdispls || c->num_vsnds || c->b_info.max_vcpus < 0)
        give_up(d);
    for (int i = 0; d->fast && i < c->num_disks; i++)
        if (!c->disks[i].vdev)
            give_up(d);
}

static int queue(struct xl_xsb *b, bool dir, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int queue(struct xl_xsb *b, bool dir, const char *fmt, ...)
{
    char path[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(path))
        return -1;
    return dir ? xl_xsb_directory(b, path) : xl_xsb_read(b, path);
}

static bool queue_round1(struct xl_xsb *b, struct dom *d)
{
    const libxl_domain_config *c = d->cfg;
    uint32_t id = d->ref->domid;
    bool okq = true;

    d->q_name = queue(b, false, "/local/domain/%" PRIu32 "/name", id);
    d->q_target =
        queue(b, false, "/local/domain/%" PRIu32 "/memory/target", id);
    d->q_max =
        queue(b, false, "/local/domain/%" PRIu32 "/memory/static-max", id);
    okq = d->q_name >= 0 && d->q_target >= 0 && d->q_max >= 0;
    d->q_cpu = d->q_dm = -1;
    if (okq && c->b_info.type == LIBXL_DOMAIN_TYPE_HVM) {
        d->q_dm = queue(b, false, XL_LIBXL_XS_DM_VERSION, id);
        okq = d->q_dm >= 0;
    }
    for (int i = 0; okq && d->q_dm < 0 && i < c->b_info.max_vcpus; i++) {
        int q = queue(b, false, "/local/domain/%" PRIu32 "/cpu/%d/availability",
                      id, i);

        if (!i)
            d->q_cpu = q;
        okq = q >= 0 && q == d->q_cpu + i;
    }
    d->q_vbd = d->q_vdisk = d->q_vbd_dir = d->q_vif_dir = -1;
    if (okq && c->num_disks) {
        d->q_vbd = queue(b, false, XL_LIBXL_XS_DEVICES, id, "vbd");
        d->q_vdisk = queue(b, false, XL_LIBXL_XS_DEVICES, id, "virtio_disk");
        d->q_vbd_dir = queue(b, true, XL_LIBXL_XS_DEVICES, id, "vbd");
        okq = d->q_vbd >= 0 && d->q_vdisk >= 0 && d->q_vbd_dir >= 0;
    }
    if (okq && c->num_nics) {
        d->q_vif_dir = queue(b, true, XL_LIBXL_XS_DEVICES, id, "vif");
        okq = d->q_vif_dir >= 0;
    }
    return okq;
}

/* A reply that is a value or ENOENT (val NULL); false for anything else. */
static bool reply(const struct xl_xsb *b, int q, const char **val)
{
    size_t len;
    int err = xl_xsb_value(b, q, val, &len);

    if (err == ENOENT)
        *val = NULL;
    return !err || err == ENOENT;
}

/* Entries of a DIRECTORY reply; ENOENT is an empty list, as libxl's
 * directory read gives. */
static bool dir_reply(const struct xl_xsb *b, int q, size_t *n)
{
    const char *v;
    size_t len;
    int err = xl_xsb_value(b, q, &v, &len);

    *n = 0;
    if (err == ENOENT)
        return true;
    return !err && !xl_xsb_dir(b, q, n);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;

    /* libxl: strtoull base 10, anything left over is an error */
    *v = strtoull(s, &end, 10);
    return *end == '\0';
}

static bool backend_ok(const char *s)
{
    int be;

    return s && sscanf(s, "/local/domain/%d/", &be) == 1;
}

/* MAC addresses libxl's parser accepts for sure: xx:xx:xx:xx:xx:xx. */
static bool mac_ok(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";

    if (strlen(s) != 17)
        return false;
    for (int i = 0; i < 17; i++) {
        bool colon = i % 3 == 2;

        if (colon && s[i] != ':')
            return false;
        if (!colon && !strchr(hex, s[i]))
            return false;
    }
    return true;
}

/* Queues on b2 a read of each of the nkeys keys of each of the n
 * entries of the DIRECTORY reply qdir (on b1) of /libxl/D/device/KIND,
 * contiguously; returns the index of the first, or -1. */
static int queue_keys(const struct xl_xsb *b1, int qdir, size_t n,
                      struct xl_xsb *b2, uint32_t id, const char *kind,
                      const char *const *keys, int nkeys)
{
    int first = -1;

    for (size_t e = 0; e < n; e++)
        for (int k = 0; k < nkeys; k++) {
            int q = queue(b2, false, XL_LIBXL_XS_DEVICE_KEY, id, kind,
                          xl_xsb_dir_entry(b1, qdir, e), keys[k]);

            if (!e && !k)
                first = q;
            if (q < 0 || q != first + (int)e * nkeys + k)
                return -1;
        }
    return first;
}

/* Round 1: check the answers, queue round 2 (device entries). */
static void after_round1(const struct xl_xsb *b1, struct xl_xsb *b2,
                         struct dom *d)
{
    const libxl_domain_config *c = d->cfg;
    uint32_t id = d->ref->domid;
    const char *v, *w;
    uint64_t u;

    if (!reply(b1, d->q_name, &v) || !v || !reply(b1, d->q_target, &v) || !v ||
        !parse_u64(v, &u) || !reply(b1, d->q_max, &v) || !v ||
        !parse_u64(v, &u))
        goto slow;
    for (int i = 0; d->q_cpu >= 0 && i < c->b_info.max_vcpus; i++)
        if (!reply(b1, d->q_cpu + i, &v))
            goto slow;
    /* libxl asks QEMU only when it runs upstream QEMU ("qemu_xen") */
    if (d->q_dm >= 0 &&
        (!reply(b1, d->q_dm, &v) || !v || strcmp(v, XL_LIBXL_DM_QEMU_XEN)))
        goto slow;
    d->n_vbd = d->n_vif = 0;
    d->q_disk = d->q_nic = -1;
    if (c->num_disks) {
        /* a virtio_disk directory makes libxl look there instead */
        if (!reply(b1, d->q_vbd, &v) || !reply(b1, d->q_vdisk, &w) || w ||
            !dir_reply(b1, d->q_vbd_dir, &d->n_vbd))
            goto slow;
        d->q_disk = queue_keys(b1, d->q_vbd_dir, d->n_vbd, b2, id, "vbd",
                               xl_libxl_vbd_keys, XL_VBD_N);
        if (d->n_vbd && d->q_disk < 0)
            goto slow;
    }
    if (c->num_nics) {
        if (!dir_reply(b1, d->q_vif_dir, &d->n_vif))
            goto slow;
        d->q_nic = queue_keys(b1, d->q_vif_dir, d->n_vif, b2, id, "vif",
                              xl_libxl_vif_keys, XL_VIF_N);
        if (d->n_vif && d->q_nic < 0)
            goto slow;
    }
    return;
slow:
    give_up(d);
}

/* One disk entry as libxl's reader takes it; false where libxl's reader
 * would fail or take a path not handled here (COLO, virtio). */
static bool disk_entry(const struct xl_xsb *b, int q, struct xs_disk *x)
{
    const char *v[XL_VBD_N];
    const char *pdev;

    for (int k = 0; k < XL_VBD_N; k++)
        if (!reply(b, q + k, &v[k]))
            return false;
    if (!backend_ok(v[XL_VBD_BACKEND]) || v[XL_VBD_COLO] || !v[XL_VBD_TYPE] ||
        (v[XL_VBD_SPEC] && strcmp(v[XL_VBD_SPEC], "xen")) || !v[XL_VBD_DEV] ||
        !v[XL_VBD_REMOVABLE] || !v[XL_VBD_MODE] || !v[XL_VBD_DEVTYPE])
        return false;
    pdev = v[XL_VBD_PARAMS];
    if (pdev && strchr(pdev, ':'))
        pdev = strchr(pdev, ':') + 1;
    x->vdev = v[XL_VBD_DEV];
    x->removable = atoi(v[XL_VBD_REMOVABLE]) != 0;
    x->empty = !pdev || !*pdev;
    return true;
}

/* One vif entry: its devid (libxl compares vifs by it). */
static bool nic_entry(const struct xl_xsb *b, int q, int *devid)
{
    const char *v[XL_VIF_N];

    for (int k = 0; k < XL_VIF_N; k++)
        if (!reply(b, q + k, &v[k]))
            return false;
    if (!backend_ok(v[XL_VIF_BACKEND]))
        return false;
    if (v[XL_VIF_MTU]) {
        char *end;

        (void)strtol(v[XL_VIF_MTU], &end, 10);
        if (*end)
            return false;
    }
    if (v[XL_VIF_MAC] && !mac_ok(v[XL_VIF_MAC]))
        return false;
    if (v[XL_VIF_TYPE] && strcmp(v[XL_VIF_TYPE], "vif") &&
        strcmp(v[XL_VIF_TYPE], "vif_ioemu"))
        return false;
    *devid = v[XL_VIF_HANDLE] ? atoi(v[XL_VIF_HANDLE]) : 0;
    return true;
}

/* Drop element i of an array of n elements of size sz, as libxl does
 * (the array shrinks; to NULL when it empties). */
static void *drop_elem(void *arr, int *n, int i, size_t sz)
{
    void *smaller;

    memmove((char *)arr + (size_t)i * sz, (char *)arr + (size_t)(i + 1) * sz,
            (size_t)(*n - i - 1) * sz);
    (*n)--;
    if (!*n) {
        free(arr);
        return NULL;
    }
    smaller = realloc(arr, (size_t)*n * sz);
    return smaller ? smaller : arr;
}

/* Scheduler parameters, as libxl_domain_sched_params_get gives them. */
static bool sched_params(xc_interface *xch, struct dom *d,
                         libxl_domain_sched_params *p)
{
    libxl_domain_sched_params_init(p);
    if (d->sched == LIBXL_SCHEDULER_CREDIT) {
        struct xen_domctl_sched_credit s;

        if (xc_sched_credit_domain_get(xch, d->ref->domid, &s))
            return false;
        p->sched = LIBXL_SCHEDULER_CREDIT;
        p->weight = s.weight;
        p->cap = s.cap;
        return true;
    }
    if (d->sched == LIBXL_SCHEDULER_CREDIT2) {
        struct xen_domctl_sched_credit2 s;

        if (xc_sched_credit2_domain_get(xch, d->ref->domid, &s))
            return false;
        p->sched = LIBXL_SCHEDULER_CREDIT2;
        p->weight = s.weight;
        p->cap = s.cap;
        return true;
    }
    return !libxl_domain_sched_params_get(ctx, d->ref->domid, p);
}

/* Round 2 checked; everything known: merge as libxl does. */
static void merge(xc_interface *xch, const struct xl_xsb *b1,
                  const struct xl_xsb *b2, struct dom *d)
{
    libxl_domain_config *c = d->cfg;
    libxl_domain_build_info *bi = &c->b_info;
    struct xs_disk *xd = NULL;
    int *xn = NULL;
    libxl_domain_sched_params sp;
    libxl_bitmap map;
    uint64_t target, max, fudge;
    const char *v;
    size_t len;
    char *name;

    libxl_bitmap_init(&map);
    libxl_domain_sched_params_init(&sp);
    xd = calloc(d->n_vbd + 1, sizeof(*xd));
    xn = calloc(d->n_vif + 1, sizeof(*xn));
    if (!xd || !xn)
        goto slow;
    for (size_t e = 0; e < d->n_vbd; e++)
        if (!disk_entry(b2, d->q_disk + (int)e * XL_VBD_N, &xd[e]))
            goto slow;
    for (size_t e = 0; e < d->n_vif; e++)
        if (!nic_entry(b2, d->q_nic + (int)e * XL_VIF_N, &xn[e]))
            goto slow;
    if (!sched_params(xch, d, &sp))
        goto slow;
    if (libxl_bitmap_alloc(ctx, &map, bi->max_vcpus))
        goto slow;
    libxl_bitmap_set_none(&map);
    if (d->q_dm >= 0)
        libxl_bitmap_copy(ctx, &map, &d->qemu_cpus);
    for (int i = 0; d->q_cpu >= 0 && i < bi->max_vcpus; i++)
        if (reply(b1, d->q_cpu + i, &v) && v && !strcmp(v, "online"))
            libxl_bitmap_set(&map, i);
    (void)xl_xsb_value(b1, d->q_name, &v, &len);
    name = strdup(v);
    if (!name)
        goto slow;

    /* From here on nothing fails. */
    free(c->c_info.name);
    c->c_info.name = name;
    memcpy(libxl_uuid_bytearray(&c->c_info.uuid), d->ref->handle, 16);
    libxl_bitmap_dispose(&bi->avail_vcpus);
    bi->avail_vcpus = map;
    libxl_bitmap_init(&map);
    (void)xl_xsb_value(b1, d->q_target, &v, &len);
    (void)parse_u64(v, &target);
    (void)xl_xsb_value(b1, d->q_max, &v, &len);
    (void)parse_u64(v, &max);
    /* libxl__get_targetmem_fudge, on the stored values (4.17 adds
     * video_memkb even when it is LIBXL_MEMKB_DEFAULT: dom0's target
     * shows one less than xenstore's, in both xls) */
    fudge = bi->video_memkb + ((bi->type == LIBXL_DOMAIN_TYPE_HVM &&
                                bi->max_memkb > bi->target_memkb)
                                   ? XL_LIBXL_MAXMEM_CONSTANT
                                   : 0);
    bi->target_memkb = target + fudge;
    bi->max_memkb = max;
    libxl_domain_sched_params_dispose(&bi->sched_params);
    bi->sched_params = sp;
    libxl_domain_sched_params_init(&sp);

    for (int i = 0; i < c->num_disks; i++) {
        libxl_device_disk *j = &c->disks[i];
        size_t e = 0;

        while (e < d->n_vbd && strcmp(xd[e].vdev, j->vdev))
            e++;
        if (e == d->n_vbd) {
            /* libxl warns too, without saying which */
            xl_err("warning: domain %" PRIu32 ": disk %s of its stored "
                   "config is not in xenstore; left out",
                   d->ref->domid, j->vdev);
            libxl_device_disk_dispose(j);
            c->disks = drop_elem(c->disks, &c->num_disks, i--, sizeof(*j));
        } else if (xd[e].removable && xd[e].empty) {
            free(j->pdev_path);
            j->pdev_path = strdup("");
            j->format = LIBXL_DISK_FORMAT_EMPTY;
        }
    }
    for (int i = 0; i < c->num_nics; i++) {
        libxl_device_nic *j = &c->nics[i];
        size_t e = 0;

        while (e < d->n_vif && xn[e] != j->devid)
            e++;
        if (e == d->n_vif) {
            xl_err("warning: domain %" PRIu32 ": vif %d of its stored "
                   "config is not in xenstore; left out",
                   d->ref->domid, j->devid);
            libxl_device_nic_dispose(j);
            c->nics = drop_elem(c->nics, &c->num_nics, i--, sizeof(*j));
        }
    }
    goto out;
slow:
    give_up(d);
out:
    libxl_bitmap_dispose(&map);
    libxl_domain_sched_params_dispose(&sp);
    free(xd);
    free(xn);
}

/* ------------------------------------------------------------ QMP (HVM) */

static void qmp_cpu(void *arg, long long index)
{
    struct dom *d = arg;

    if (index >= 0 && index <= INT32_MAX)
        libxl_bitmap_set(&d->qemu_cpus, (int)index);
}

/* Ask every fast HVM domain's QEMU for its vCPUs, all at once
 * (qmpcpus.c); a domain whose QEMU does not answer goes to libxl. */
static void qmp_all(struct dom *d, size_t n)
{
    struct xl_qmpc_query *q = calloc(n ? n : 1, sizeof(*q));
    size_t nq = 0;

    for (size_t i = 0; q && i < n; i++) {
        if (!d[i].fast || d[i].q_dm < 0)
            continue;
        /* libxl sizes the map by max_vcpus and sets QEMU's indices in it */
        if (libxl_bitmap_alloc(ctx, &d[i].qemu_cpus,
                               d[i].cfg->b_info.max_vcpus)) {
            give_up(&d[i]);
            continue;
        }
        libxl_bitmap_set_none(&d[i].qemu_cpus);
        q[nq].domid = d[i].ref->domid;
        q[nq].uuid = d[i].ref->handle;
        q[nq].cpu = qmp_cpu;
        q[nq].arg = &d[i];
        nq++;
    }
    if (q)
        xl_qmpc_ask_all(q, nq);
    for (size_t i = 0; i < nq; i++)
        if (q[i].st != XL_QMPC_DONE)
            give_up(q[i].arg);
    /* without memory for this, HVM domains go to libxl */
    for (size_t i = 0; !q && i < n; i++)
        if (d[i].q_dm >= 0)
            give_up(&d[i]);
    free(q);
}

/* The scheduler of each fast domain's cpupool, one lookup per pool. */
static void pool_schedulers(struct dom *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        libxl_cpupoolinfo info;
        size_t j;

        if (!d[i].fast)
            continue;
        for (j = 0; j < i; j++)
            if (d[j].fast && d[j].ref->cpupool == d[i].ref->cpupool)
                break;
        if (j < i) {
            d[i].sched = d[j].sched;
            continue;
        }
        libxl_cpupoolinfo_init(&info);
        if (libxl_cpupool_info(ctx, &info, d[i].ref->cpupool))
            give_up(&d[i]);
        else
            d[i].sched = info.sched;
        libxl_cpupoolinfo_dispose(&info);
    }
}

void xl_retrieve_configs(xc_interface *xch, const struct xl_domref *doms,
                         size_t n, libxl_domain_config *cfgs, bool *ok)
{
    struct xl_xsb *b1 = NULL, *b2 = NULL;
    struct dom *d = calloc(n ? n : 1, sizeof(*d));
    bool fast = d && !xl_xsb_open(&b1) && !xl_xsb_open(&b2);

    for (size_t i = 0; d && i < n; i++) {
        d[i].ref = &doms[i];
        d[i].cfg = &cfgs[i];
        d[i].devlock = -1;
        d[i].q_dm = -1;
        libxl_bitmap_init(&d[i].qemu_cpus);
        d[i].fast = fast;
        if (fast)
            load(&d[i]);
    }
    for (size_t i = 0; fast && i < n; i++)
        if (d[i].fast && !queue_round1(b1, &d[i]))
            give_up(&d[i]);
    if (fast && xl_xsb_run(b1))
        fast = false;
    for (size_t i = 0; fast && i < n; i++)
        if (d[i].fast)
            after_round1(b1, b2, &d[i]);
    if (fast && xl_xsb_run(b2))
        fast = false;
    if (fast) {
        qmp_all(d, n);
        pool_schedulers(d, n);
    }
    for (size_t i = 0; d && i < n; i++) {
        if (!fast)
            give_up(&d[i]);
        if (d[i].fast)
            merge(xch, b1, b2, &d[i]);
        if (d[i].fast) {
            ok[i] = true;
            xl_libxl_unlock(&d[i].devlock, d[i].devlock_path);
        }
    }
    xl_xsb_close(b1);
    xl_xsb_close(b2);
    /* The rest from libxl, with none of our locks held. */
    for (size_t i = 0; i < n; i++) {
        if (!d || !d[i].fast)
            ok[i] = !libxl_retrieve_domain_configuration(ctx, doms[i].domid,
                                                         &cfgs[i], NULL);
        if (d)
            libxl_bitmap_dispose(&d[i].qemu_cpus);
    }
    free(d);
}
