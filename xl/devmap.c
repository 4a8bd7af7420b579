/* devmap.c: disk and vif specs -> libxl device structs, as Xen's xl. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmap.h"
#include "xlconf.h"

#ifndef XL_SCRIPTS_DIR_DEFAULT
#error "XL_SCRIPTS_DIR_DEFAULT must be set by the build"
#endif

/* The scripts hotplug/ installs; bare names of these resolve to ours. */
static const char *const shipped_scripts[] = {
    "block",
    "vif-bridge",
    "vif-nat",
    "vif-route",
};

const char *xl_scripts_dir(void)
{
    const char *env = getenv("XL_SCRIPTS_DIR");

    /* libxl takes a relative script as relative to /etc/xen/scripts, so
     * only an absolute override means what the user thinks. */
    if (env && env[0] == '/')
        return env;
    return XL_SCRIPTS_DIR_DEFAULT;
}

char *xl_script_path(const char *name)
{
    char *path = NULL;
    size_t i;

    if (strchr(name, '/'))
        return strdup(name);
    for (i = 0; i < sizeof(shipped_scripts) / sizeof(shipped_scripts[0]); i++) {
        if (strcmp(name, shipped_scripts[i]) == 0) {
            if (asprintf(&path, "%s/%s", xl_scripts_dir(), name) < 0)
                return NULL;
            return path;
        }
    }
    return strdup(name);
}

/* Replace *dst by a copy of src (NULL clears). */
static int set_string(char **dst, const char *src)
{
    char *copy = NULL;

    if (src) {
        copy = strdup(src);
        if (!copy)
            return ENOMEM;
    }
    free(*dst);
    *dst = copy;
    return 0;
}

static char *join_args(int nargs, char *const *args)
{
    size_t len = 1;
    char *s, *p;
    int i;

    for (i = 0; i < nargs; i++)
        len += strlen(args[i]) + 1;
    s = malloc(len);
    if (!s)
        return NULL;
    p = s;
    for (i = 0; i < nargs; i++) {
        size_t n = strlen(args[i]);

        if (i > 0)
            *p++ = ' ';
        memcpy(p, args[i], n);
        p += n;
    }
    *p = '\0';
    return s;
}

/* Where command-line spec arguments are reported: `loc` with the
 * arguments shown one blank apart as the source line (*line_r, freed by
 * the caller). Returns 0 or ENOMEM. */
static int args_loc(int nargs, char *const *args, const xlcfg_loc *loc,
                    xlcfg_loc *at, char **line_r)
{
    *line_r = join_args(nargs, args);
    if (!*line_r)
        return ENOMEM;
    *at = *loc;
    at->source_line = *line_r;
    return 0;
}

static libxl_disk_format disk_format(xlcfg_disk_format f)
{
    switch (f) {
    case XLCFG_DISK_FORMAT_QCOW:
        return LIBXL_DISK_FORMAT_QCOW;
    case XLCFG_DISK_FORMAT_QCOW2:
        return LIBXL_DISK_FORMAT_QCOW2;
    case XLCFG_DISK_FORMAT_VHD:
        return LIBXL_DISK_FORMAT_VHD;
    case XLCFG_DISK_FORMAT_QED:
        return LIBXL_DISK_FORMAT_QED;
    case XLCFG_DISK_FORMAT_EMPTY:
        return LIBXL_DISK_FORMAT_EMPTY;
    case XLCFG_DISK_FORMAT_UNSPEC: /* the reference settles on raw */
    case XLCFG_DISK_FORMAT_RAW:
        break;
    }
    return LIBXL_DISK_FORMAT_RAW;
}

static libxl_disk_backend disk_backend(xlcfg_disk_backend b)
{
    switch (b) {
    case XLCFG_DISK_BACKEND_PHY:
        return LIBXL_DISK_BACKEND_PHY;
    case XLCFG_DISK_BACKEND_QDISK:
        return LIBXL_DISK_BACKEND_QDISK;
    case XLCFG_DISK_BACKEND_TAP:
        return LIBXL_DISK_BACKEND_TAP;
    case XLCFG_DISK_BACKEND_STANDALONE:
        return LIBXL_DISK_BACKEND_STANDALONE;
    case XLCFG_DISK_BACKEND_UNSPEC:
        break;
    }
    return LIBXL_DISK_BACKEND_UNKNOWN;
}

static libxl_disk_specification disk_spec(xlcfg_disk_specification s)
{
    switch (s) {
    case XLCFG_DISK_SPEC_XEN:
        return LIBXL_DISK_SPECIFICATION_XEN;
    case XLCFG_DISK_SPEC_VIRTIO:
        return LIBXL_DISK_SPECIFICATION_VIRTIO;
    case XLCFG_DISK_SPEC_UNSPEC:
        break;
    }
    return LIBXL_DISK_SPECIFICATION_UNKNOWN;
}

/*
 * Would libxl pick the phy backend, which runs the block script? libxl
 * refuses a script for qdisk and tap, and picks phy for raw targets in
 * dom0; a driver domain runs its own scripts from its own /etc/xen.
 */
static bool disk_wants_block_script(const libxl_device_disk *disk)
{
    return !disk->script && disk->pdev_path && disk->pdev_path[0] &&
           disk->format == LIBXL_DISK_FORMAT_RAW &&
           (disk->backend == LIBXL_DISK_BACKEND_UNKNOWN ||
            disk->backend == LIBXL_DISK_BACKEND_PHY) &&
           !disk->backend_domname;
}

int xl_disk_from_parsed(const xlcfg_disk *x, libxl_device_disk *r)
{
    libxl_device_disk_init(r);
    if (set_string(&r->pdev_path, x->target) || set_string(&r->vdev, x->vdev) ||
        set_string(&r->backend_domname, x->backend) ||
        set_string(&r->colo_host, x->colo_host) ||
        set_string(&r->colo_export, x->colo_export) ||
        set_string(&r->active_disk, x->active_disk) ||
        set_string(&r->hidden_disk, x->hidden_disk))
        return ENOMEM;
    if (x->script) {
        /* The reference keeps script= exactly as written; a bare name of
         * one of our scripts points at ours instead. */
        r->script = xl_script_path(x->script);
        if (!r->script)
            return ENOMEM;
    }
    r->format = disk_format(x->format);
    r->backend = disk_backend(x->backendtype);
    r->readwrite = x->readwrite;
    r->is_cdrom = x->cdrom;
    r->direct_io_safe = x->direct_io_safe;
    r->specification = disk_spec(x->specification);
    r->colo_port = x->colo_port;
    if (x->colo >= 0)
        libxl_defbool_set(&r->colo_enable, x->colo);
    if (x->discard >= 0)
        libxl_defbool_set(&r->discard_enable, x->discard);
    if (x->trusted >= 0)
        libxl_defbool_set(&r->trusted, x->trusted);
    /* The reference's final touches: a cdrom is removable and read-only,
     * and one with no target is an empty drive. */
    if (r->is_cdrom) {
        r->removable = 1;
        r->readwrite = 0;
        if (!r->pdev_path || !r->pdev_path[0])
            r->format = LIBXL_DISK_FORMAT_EMPTY;
    }
    if (disk_wants_block_script(r)) {
        r->script = xl_script_path("block");
        if (!r->script)
            return ENOMEM;
    }
    return 0;
}

int xl_disk_from_spec(const char *spec, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d)
{
    xlcfg_disk x;
    int rc = xlcfg_parse_disk(spec, loc, &x, d);

    if (rc)
        libxl_device_disk_init(r);
    else
        rc = xl_disk_from_parsed(&x, r);
    xlcfg_disk_dispose(&x);
    return rc;
}

int xl_disk_from_args(int nargs, char *const *args, const xlcfg_loc *loc,
                      libxl_device_disk *r, xlcfg_diags *d)
{
    char *line = NULL;
    xlcfg_loc at;
    xlcfg_disk x;
    int rc;

    libxl_device_disk_init(r);
    if (loc && args_loc(nargs, args, loc, &at, &line))
        return ENOMEM;
    rc = xlcfg_parse_disk_args((size_t)nargs, (const char *const *)args,
                               loc ? &at : NULL, &x, d);
    if (!rc)
        rc = xl_disk_from_parsed(&x, r);
    xlcfg_disk_dispose(&x);
    free(line);
    return rc;
}

/* "00:16:3e:01:02:03" (normalised by libxlcfg) -> 6 bytes. */
static int parse_mac(const char *s, libxl_mac mac)
{
    unsigned b[6];
    int i, n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &n) != 6 ||
        s[n] != '\0')
        return EINVAL;
    for (i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return 0;
}

/* The vif COLO keys and the libxl_device_nic string each one sets (the
 * same name, but forwarddev). */
#define COLO_FIELD(key, field)                                                 \
    {                                                                          \
        key, offsetof(libxl_device_nic, field)                                 \
    }
static const struct {
    const char *key;
    size_t offset;
} colo_fields[] = {
    COLO_FIELD("forwarddev", coloft_forwarddev),
    COLO_FIELD("colo_sock_mirror_id", colo_sock_mirror_id),
    COLO_FIELD("colo_sock_mirror_ip", colo_sock_mirror_ip),
    COLO_FIELD("colo_sock_mirror_port", colo_sock_mirror_port),
    COLO_FIELD("colo_sock_compare_sec_in_id", colo_sock_compare_sec_in_id),
    COLO_FIELD("colo_sock_compare_sec_in_ip", colo_sock_compare_sec_in_ip),
    COLO_FIELD("colo_sock_compare_sec_in_port", colo_sock_compare_sec_in_port),
    COLO_FIELD("colo_sock_redirector0_id", colo_sock_redirector0_id),
    COLO_FIELD("colo_sock_redirector0_ip", colo_sock_redirector0_ip),
    COLO_FIELD("colo_sock_redirector0_port", colo_sock_redirector0_port),
    COLO_FIELD("colo_sock_redirector1_id", colo_sock_redirector1_id),
    COLO_FIELD("colo_sock_redirector1_ip", colo_sock_redirector1_ip),
    COLO_FIELD("colo_sock_redirector1_port", colo_sock_redirector1_port),
    COLO_FIELD("colo_sock_redirector2_id", colo_sock_redirector2_id),
    COLO_FIELD("colo_sock_redirector2_ip", colo_sock_redirector2_ip),
    COLO_FIELD("colo_sock_redirector2_port", colo_sock_redirector2_port),
    COLO_FIELD("colo_sock_compare_pri_in_id", colo_sock_compare_pri_in_id),
    COLO_FIELD("colo_sock_compare_pri_in_ip", colo_sock_compare_pri_in_ip),
    COLO_FIELD("colo_sock_compare_pri_in_port", colo_sock_compare_pri_in_port),
    COLO_FIELD("colo_sock_compare_notify_id", colo_sock_compare_notify_id),
    COLO_FIELD("colo_sock_compare_notify_ip", colo_sock_compare_notify_ip),
    COLO_FIELD("colo_sock_compare_notify_port", colo_sock_compare_notify_port),
    COLO_FIELD("colo_filter_mirror_queue", colo_filter_mirror_queue),
    COLO_FIELD("colo_filter_mirror_outdev", colo_filter_mirror_outdev),
    COLO_FIELD("colo_filter_redirector0_queue", colo_filter_redirector0_queue),
    COLO_FIELD("colo_filter_redirector0_indev", colo_filter_redirector0_indev),
    COLO_FIELD("colo_filter_redirector0_outdev",
               colo_filter_redirector0_outdev),
    COLO_FIELD("colo_filter_redirector1_queue", colo_filter_redirector1_queue),
    COLO_FIELD("colo_filter_redirector1_indev", colo_filter_redirector1_indev),
    COLO_FIELD("colo_filter_redirector1_outdev",
               colo_filter_redirector1_outdev),
    COLO_FIELD("colo_compare_pri_in", colo_compare_pri_in),
    COLO_FIELD("colo_compare_sec_in", colo_compare_sec_in),
    COLO_FIELD("colo_compare_out", colo_compare_out),
    COLO_FIELD("colo_compare_notify_dev", colo_compare_notify_dev),
    COLO_FIELD("colo_sock_sec_redirector0_id", colo_sock_sec_redirector0_id),
    COLO_FIELD("colo_sock_sec_redirector0_ip", colo_sock_sec_redirector0_ip),
    COLO_FIELD("colo_sock_sec_redirector0_port",
               colo_sock_sec_redirector0_port),
    COLO_FIELD("colo_sock_sec_redirector1_id", colo_sock_sec_redirector1_id),
    COLO_FIELD("colo_sock_sec_redirector1_ip", colo_sock_sec_redirector1_ip),
    COLO_FIELD("colo_sock_sec_redirector1_port",
               colo_sock_sec_redirector1_port),
    COLO_FIELD("colo_filter_sec_redirector0_queue",
               colo_filter_sec_redirector0_queue),
    COLO_FIELD("colo_filter_sec_redirector0_indev",
               colo_filter_sec_redirector0_indev),
    COLO_FIELD("colo_filter_sec_redirector0_outdev",
               colo_filter_sec_redirector0_outdev),
    COLO_FIELD("colo_filter_sec_redirector1_queue",
               colo_filter_sec_redirector1_queue),
    COLO_FIELD("colo_filter_sec_redirector1_indev",
               colo_filter_sec_redirector1_indev),
    COLO_FIELD("colo_filter_sec_redirector1_outdev",
               colo_filter_sec_redirector1_outdev),
    COLO_FIELD("colo_filter_sec_rewriter0_queue",
               colo_filter_sec_rewriter0_queue),
    COLO_FIELD("colo_checkpoint_host", colo_checkpoint_host),
    COLO_FIELD("colo_checkpoint_port", colo_checkpoint_port),
};
#undef COLO_FIELD

/* "key=value" from xlcfg_vif.colo into its field; EINVAL for a key this
 * table lacks (libxlcfg and this table disagree), ENOMEM. */
static int set_colo(libxl_device_nic *r, const char *item)
{
    const char *eq = strchr(item, '=');
    size_t i, klen = eq ? (size_t)(eq - item) : 0;

    for (i = 0; eq && i < sizeof(colo_fields) / sizeof(colo_fields[0]); i++)
        if (strlen(colo_fields[i].key) == klen &&
            !memcmp(colo_fields[i].key, item, klen))
            return set_string((char **)((char *)r + colo_fields[i].offset),
                              eq + 1);
    return EINVAL;
}

int xl_nic_from_parsed(const xlcfg_vif *x, const struct xl_conf *conf,
                       const xlcfg_loc *loc, libxl_device_nic *r,
                       xlcfg_diags *d)
{
    libxl_device_nic_init(r);
    /* xl.conf defaults first (the reference's set_default_nic_values),
     * then what the spec says. */
    r->script = xl_script_path(x->script          ? x->script
                               : conf->vif_script ? conf->vif_script
                                                  : "vif-bridge");
    if (!r->script ||
        set_string(&r->bridge, x->bridge ? x->bridge : conf->vif_bridge) ||
        set_string(&r->gatewaydev,
                   x->gatewaydev ? x->gatewaydev : conf->vif_gatewaydev) ||
        set_string(&r->backend_domname,
                   x->backend ? x->backend : conf->vif_backend) ||
        set_string(&r->ip, x->ip) || set_string(&r->ifname, x->vifname) ||
        set_string(&r->model, x->model))
        return ENOMEM;
    if (x->mac && parse_mac(x->mac, r->mac)) {
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, loc, NULL,
                        "invalid MAC address '%s'", x->mac);
        return EINVAL;
    }
    if (x->type == XLCFG_VIF_TYPE_VIF)
        r->nictype = LIBXL_NIC_TYPE_VIF;
    else if (x->type == XLCFG_VIF_TYPE_IOEMU)
        r->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
    if (x->rate) {
        r->rate_bytes_per_interval = x->rate_bytes_per_interval;
        r->rate_interval_usecs = x->rate_interval_usecs;
    }
    if (x->mtu)
        r->mtu = x->mtu;
    if (x->devid >= 0)
        r->devid = x->devid;
    if (x->trusted >= 0)
        libxl_defbool_set(&r->trusted, x->trusted);
    /* In order, so that a later one of a key wins, as in the reference. */
    for (size_t i = 0; i < x->ncolo; i++) {
        int rc = set_colo(r, x->colo[i]);

        if (rc == ENOMEM)
            return rc;
        if (rc) {
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, loc, NULL,
                            "vif option '%s' has no libxl field", x->colo[i]);
            return EINVAL;
        }
    }
    return 0;
}

int xl_nic_from_spec(const char *spec, const struct xl_conf *conf,
                     const xlcfg_loc *loc, libxl_device_nic *r, xlcfg_diags *d)
{
    xlcfg_vif x;
    int rc = xlcfg_parse_vif(spec, loc, &x, d);

    if (rc)
        libxl_device_nic_init(r);
    else
        rc = xl_nic_from_parsed(&x, conf, loc, r, d);
    xlcfg_vif_dispose(&x);
    return rc;
}

int xl_nic_from_args(int nargs, char *const *args, const struct xl_conf *conf,
                     const xlcfg_loc *loc, libxl_device_nic *r, xlcfg_diags *d)
{
    char *line = NULL;
    xlcfg_loc at;
    xlcfg_vif x;
    int rc;

    libxl_device_nic_init(r);
    if (loc && args_loc(nargs, args, loc, &at, &line))
        return ENOMEM;
    rc = xlcfg_parse_vif_args((size_t)nargs, (const char *const *)args,
                              loc ? &at : NULL, &x, d);
    if (!rc)
        rc = xl_nic_from_parsed(&x, conf, loc ? &at : NULL, r, d);
    xlcfg_vif_dispose(&x);
    free(line);
    return rc;
}
