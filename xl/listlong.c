/* listlong.c: the live configuration of many domains at once, for
 * `xl list -l` (see listlong.h).
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
 * than ENOENT), is handed to libxl, whose result is then the answer. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "listlong.h"
#include "qmpcpus.h"
#include "xl.h"
#include "xsbatch.h"

/* libxl's per-domain files (XEN_LIB_DIR on Debian). */
#define XL_LIBXL_DIR "/var/lib/xen"
/* libxl__get_targetmem_fudge's LIBXL_MAXMEM_CONSTANT (libxl_internal.h). */
#define XL_MAXMEM_CONSTANT 1024
/* QEMU's QMP socket for a domain, as libxl names it. */
#define XL_QMP_PATH "/var/run/xen/qmp-libxl-%" PRIu32
/* libxl gives QEMU this long to answer a QMP command (LIBXL_QMP_CMD_TIMEOUT).
 */
#define XL_QMP_TIMEOUT_MS 10000

/* The keys libxl's disk and vif readers require or check, in
 * /libxl/D/device/{vbd,vif}/N/. The vif's others (ip, bridge, script,
 * colo_*) are read without conditions and do not decide anything. */
enum {
    DK_BACKEND,
    DK_PARAMS,
    DK_COLO,
    DK_TYPE,
    DK_SPEC,
    DK_DEV,
    DK_REMOVABLE,
    DK_MODE,
    DK_DEVTYPE,
    DK_N
};
static const char *const disk_keys[DK_N] = {
    "backend", "params",    "colo-host", "type",       "specification",
    "dev",     "removable", "mode",      "device-type"};
enum { NK_HANDLE, NK_BACKEND, NK_MTU, NK_MAC, NK_TYPE, NK_N };
static const char *const nic_keys[NK_N] = {"handle", "backend", "mtu", "mac",
                                           "type"};

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
    /* round 2 (xsb2): DK_N per disk entry, NK_N per vif entry */
    int q_disk, q_nic;
    size_t n_vbd, n_vif; /* xenstore entries */
    libxl_scheduler sched;
    libxl_bitmap qemu_cpus; /* HVM: the vCPUs QEMU lists */
};

static void uuid_str(const uint8_t u[16], char out[37])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
}

/* libxl's lock files: create, flock, and check that the file locked is
 * still the one at the path (a holder unlinks it as it lets go). Returns
 * the fd, or -1. */
static int lock_file(const char *path)
{
    for (;;) {
        struct stat fst, pst;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        int r, err;

        if (fd < 0)
            return -1;
        while ((r = flock(fd, LOCK_EX)) && errno == EINTR)
            ;
        if (!r && !(r = fstat(fd, &fst)) && !(r = stat(path, &pst)) &&
            fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
            return fd;
        err = errno;
        close(fd);
        /* retry only when the holder unlinked or replaced it meanwhile */
        if (r && err != ENOENT)
            return -1;
    }
}

/* As libxl unlocks: unlink first, so a waiter that gets the old file
 * sees it is stale. */
static void unlock_file(int *fd, const char *path)
{
    if (*fd < 0)
        return;
    unlink(path);
    close(*fd);
    *fd = -1;
}

/* Back to libxl for this domain: nothing of ours stays in its config. */
static void give_up(struct dom *d)
{
    if (!d->fast)
        return;
    d->fast = false;
    unlock_file(&d->devlock, d->devlock_path);
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
    char u[37];

    uuid_str(d->ref->handle, u);
    snprintf(d->devlock_path, sizeof(d->devlock_path),
             XL_LIBXL_DIR "/userdata-l.%" PRIu32 ".%s."
                          "libxl-device-changes-lock",
             d->ref->domid, u);
    d->devlock = lock_file(d->devlock_path);
    if (d->devlock < 0 ||
        libxl_userdata_retrieve(ctx, d->ref->domid, "libxl-json", &data,
                                &len) ||
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
        d->q_dm = queue(b, false, "/libxl/%" PRIu32 "/dm-version", id);
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
        d->q_vbd = queue(b, false, "/libxl/%" PRIu32 "/device/vbd", id);
        d->q_vdisk =
            queue(b, false, "/libxl/%" PRIu32 "/device/virtio_disk", id);
        d->q_vbd_dir = queue(b, true, "/libxl/%" PRIu32 "/device/vbd", id);
        okq = d->q_vbd >= 0 && d->q_vdisk >= 0 && d->q_vbd_dir >= 0;
    }
    if (okq && c->num_nics) {
        d->q_vif_dir = queue(b, true, "/libxl/%" PRIu32 "/device/vif", id);
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
            int q = queue(b2, false, "/libxl/%" PRIu32 "/device/%s/%s/%s", id,
                          kind, xl_xsb_dir_entry(b1, qdir, e), keys[k]);

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
        (!reply(b1, d->q_dm, &v) || !v || strcmp(v, "qemu_xen")))
        goto slow;
    d->n_vbd = d->n_vif = 0;
    d->q_disk = d->q_nic = -1;
    if (c->num_disks) {
        /* a virtio_disk directory makes libxl look there instead */
        if (!reply(b1, d->q_vbd, &v) || !reply(b1, d->q_vdisk, &w) || w ||
            !dir_reply(b1, d->q_vbd_dir, &d->n_vbd))
            goto slow;
        d->q_disk = queue_keys(b1, d->q_vbd_dir, d->n_vbd, b2, id, "vbd",
                               disk_keys, DK_N);
        if (d->n_vbd && d->q_disk < 0)
            goto slow;
    }
    if (c->num_nics) {
        if (!dir_reply(b1, d->q_vif_dir, &d->n_vif))
            goto slow;
        d->q_nic = queue_keys(b1, d->q_vif_dir, d->n_vif, b2, id, "vif",
                              nic_keys, NK_N);
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
    const char *v[DK_N];
    const char *pdev;

    for (int k = 0; k < DK_N; k++)
        if (!reply(b, q + k, &v[k]))
            return false;
    if (!backend_ok(v[DK_BACKEND]) || v[DK_COLO] || !v[DK_TYPE] ||
        (v[DK_SPEC] && strcmp(v[DK_SPEC], "xen")) || !v[DK_DEV] ||
        !v[DK_REMOVABLE] || !v[DK_MODE] || !v[DK_DEVTYPE])
        return false;
    pdev = v[DK_PARAMS];
    if (pdev && strchr(pdev, ':'))
        pdev = strchr(pdev, ':') + 1;
    x->vdev = v[DK_DEV];
    x->removable = atoi(v[DK_REMOVABLE]) != 0;
    x->empty = !pdev || !*pdev;
    return true;
}

/* One vif entry: its devid (libxl compares vifs by it). */
static bool nic_entry(const struct xl_xsb *b, int q, int *devid)
{
    const char *v[NK_N];

    for (int k = 0; k < NK_N; k++)
        if (!reply(b, q + k, &v[k]))
            return false;
    if (!backend_ok(v[NK_BACKEND]))
        return false;
    if (v[NK_MTU]) {
        char *end;

        (void)strtol(v[NK_MTU], &end, 10);
        if (*end)
            return false;
    }
    if (v[NK_MAC] && !mac_ok(v[NK_MAC]))
        return false;
    if (v[NK_TYPE] && strcmp(v[NK_TYPE], "vif") &&
        strcmp(v[NK_TYPE], "vif_ioemu"))
        return false;
    *devid = v[NK_HANDLE] ? atoi(v[NK_HANDLE]) : 0;
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
        if (!disk_entry(b2, d->q_disk + (int)e * DK_N, &xd[e]))
            goto slow;
    for (size_t e = 0; e < d->n_vif; e++)
        if (!nic_entry(b2, d->q_nic + (int)e * NK_N, &xn[e]))
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
                                   ? XL_MAXMEM_CONSTANT
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

/* One conversation with a domain's QEMU (qmpcpus.c), under the domain's
 * QMP lock as libxl holds it. */
struct qmp {
    struct dom *d;
    enum xl_qmpc_status st;
    int fd, lock;
    char lock_path[128];
    struct xl_qmpc conv;
};

static void qmp_cpu(void *arg, long long index)
{
    struct dom *d = arg;

    if (index >= 0 && index <= INT32_MAX)
        libxl_bitmap_set(&d->qemu_cpus, (int)index);
}

static void qmp_end(struct qmp *q, enum xl_qmpc_status st)
{
    q->st = st;
    if (q->fd >= 0)
        close(q->fd);
    q->fd = -1;
    unlock_file(&q->lock, q->lock_path);
}

static void qmp_start(struct qmp *q)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    char u[37];

    q->fd = q->lock = -1;
    q->st = XL_QMPC_FAILED;
    xl_qmpc_init(&q->conv, qmp_cpu, q->d);
    /* libxl sizes the map by max_vcpus and sets QEMU's indices in it */
    if (libxl_bitmap_alloc(ctx, &q->d->qemu_cpus, q->d->cfg->b_info.max_vcpus))
        return;
    libxl_bitmap_set_none(&q->d->qemu_cpus);
    uuid_str(q->d->ref->handle, u);
    snprintf(q->lock_path, sizeof(q->lock_path),
             XL_LIBXL_DIR "/userdata-l.%" PRIu32 ".%s.qmp-socket-lock",
             q->d->ref->domid, u);
    snprintf(un.sun_path, sizeof(un.sun_path), XL_QMP_PATH, q->d->ref->domid);
    q->lock = lock_file(q->lock_path);
    if (q->lock < 0)
        return;
    q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (q->fd < 0 || connect(q->fd, (const struct sockaddr *)&un, sizeof(un)) ||
        fcntl(q->fd, F_SETFL, O_NONBLOCK)) {
        qmp_end(q, XL_QMPC_FAILED);
        return;
    }
    q->st = XL_QMPC_MORE;
}

static void qmp_io(struct qmp *q, short revents)
{
    struct xl_qmpc *c = &q->conv;
    char buf[4096];
    ssize_t r;

    if (c->tx_off < c->tx_len && (revents & POLLOUT)) {
        r = send(q->fd, c->tx + c->tx_off, c->tx_len - c->tx_off, MSG_NOSIGNAL);
        if (r < 0 && errno != EAGAIN && errno != EINTR) {
            qmp_end(q, XL_QMPC_FAILED);
            return;
        }
        if (r > 0)
            c->tx_off += (size_t)r;
    }
    if (!(revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    r = read(q->fd, buf, sizeof(buf));
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (r <= 0) {
        qmp_end(q, XL_QMPC_FAILED);
        return;
    }
    q->st = xl_qmpc_feed(c, buf, (size_t)r);
    if (q->st != XL_QMPC_MORE)
        qmp_end(q, q->st);
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Ask every fast HVM domain's QEMU for its vCPUs, all at once; a domain
 * whose QEMU does not answer goes to libxl. */
static void qmp_all(struct dom *d, size_t n)
{
    struct qmp *q = calloc(n ? n : 1, sizeof(*q));
    struct pollfd *pf = calloc(n ? n : 1, sizeof(*pf));
    long deadline = now_ms() + XL_QMP_TIMEOUT_MS;
    size_t nq = 0;

    for (size_t i = 0; q && pf && i < n; i++) {
        if (!d[i].fast || d[i].q_dm < 0)
            continue;
        q[nq].d = &d[i];
        qmp_start(&q[nq++]);
    }
    for (;;) {
        size_t live = 0;
        long left = deadline - now_ms();

        for (size_t i = 0; i < nq; i++) {
            pf[i].fd = q[i].st == XL_QMPC_MORE ? q[i].fd : -1;
            pf[i].events = POLLIN;
            if (q[i].conv.tx_off < q[i].conv.tx_len)
                pf[i].events |= POLLOUT;
            pf[i].revents = 0;
            live += pf[i].fd >= 0;
        }
        if (!live || left <= 0)
            break;
        if (poll(pf, nq, (int)left) < 0 && errno != EINTR)
            break;
        for (size_t i = 0; i < nq; i++)
            if (pf[i].fd >= 0 && pf[i].revents)
                qmp_io(&q[i], pf[i].revents);
    }
    for (size_t i = 0; i < nq; i++) {
        if (q[i].st != XL_QMPC_DONE) {
            qmp_end(&q[i], XL_QMPC_FAILED);
            give_up(q[i].d);
        }
        xl_qmpc_dispose(&q[i].conv);
    }
    /* without memory for this, HVM domains go to libxl */
    for (size_t i = 0; (!q || !pf) && i < n; i++)
        if (d[i].q_dm >= 0)
            give_up(&d[i]);
    free(q);
    free(pf);
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
            unlock_file(&d[i].devlock, d[i].devlock_path);
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
