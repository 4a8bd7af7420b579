/* stream.c: what save/restore and migrate/migrate-receive share (stream.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "storedcfg.h"
#include "libxlcfg.h"
#include "savefile.h"
#include "stream.h"
#include "build.h"
#include "domconfig.h"
#include "xl.h"

/* ------------------------------------------------------------------------
 * Plain fd I/O: the save file and the migration pipes carry libxl's
 * stream right after our header, so no stdio buffering may read ahead.
 */

int xl_stream_expect(int fd, const char *msg, size_t len, const char *what)
{
    char buf[128];
    ssize_t n;

    if (len > sizeof(buf))
        return 1;
    n = xl_read_full(fd, buf, len);
    if (n < 0) {
        xl_err("migration: reading the %s: %s", what, strerror(errno));
        return 1;
    }
    if ((size_t)n < len) {
        xl_err("migration: the other side closed the stream before the %s",
               what);
        return 1;
    }
    if (memcmp(buf, msg, len)) {
        xl_err("migration: unexpected data instead of the %s (is the other "
               "side an xl migrate-receive?)",
               what);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Configs: an xl.cfg (a file, or text stored in a save file) translated
 * as create does, or the libxl JSON the reference stores.
 */

/* Parse and translate the xl.cfg `source` (read from the file unless
 * `text` is given), as create does. Returns 0 or 1 (message printed). */
static int translate_cfg(const struct xl_conf *conf, const char *source,
                         const char *text, size_t len, libxl_domain_config *dc)
{
    struct xl_domconfig_src src = {
        .path = text ? NULL : source, .name = source, .text = text, .len = len};

    return xl_build_load_config(conf, &src, 0, source, "", dc);
}

int xl_stream_config_json(uint32_t domid, const char *override, bool keep_domid,
                          char **json_r)
{
    libxl_domain_config dc;
    int rc = 1;

    libxl_domain_config_init(&dc);
    if (override) {
        struct xl_conf conf;

        if (xl_conf_load(&conf))
            goto out;
        rc = translate_cfg(&conf, override, NULL, 0, &dc);
        xl_conf_dispose(&conf);
        if (rc)
            goto out;
        rc = 1;
    } else if (libxl_retrieve_domain_configuration(ctx, domid, &dc, NULL)) {
        xl_err("cannot retrieve the configuration of domain %u", domid);
        goto out;
    }
    if (keep_domid)
        dc.c_info.domid = domid;
    *json_r = libxl_domain_config_to_json(ctx, &dc);
    if (!*json_r) {
        xl_err("cannot convert the domain configuration to JSON");
        goto out;
    }
    rc = 0;
out:
    libxl_domain_config_dispose(&dc);
    return rc;
}

int xl_stream_write_header(int fd, const char *json)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    rc = xl_savefile_encode(json, strlen(json) + 1, 1, &buf, &len);
    if (!rc)
        rc = xl_write_all(fd, buf, len);
    free(buf);
    return rc;
}

int xl_stream_read_incoming(int fd, const char *source, struct xl_incoming *in)
{
    uint8_t hbuf[XL_SAVEFILE_HEADER_LEN], *opt = NULL;
    const uint8_t *config;
    const char *why = NULL;
    ssize_t n;
    int rc = 1;

    n = xl_read_full(fd, hbuf, sizeof(hbuf));
    if (n < 0) {
        xl_err("%s: cannot read: %s", source, strerror(errno));
        goto out;
    }
    if (xl_savefile_decode_header(hbuf, (size_t)n, &in->hdr, &why)) {
        xl_err("%s: %s", source, why);
        goto out;
    }
    fprintf(stderr, "Loading new save file %s (new xl fmt info 0x%x/0x%x/%u)\n",
            source, in->hdr.mandatory_flags, in->hdr.optional_flags,
            in->hdr.optional_data_len);
    opt = malloc(in->hdr.optional_data_len + 1);
    if (!opt) {
        xl_err("out of memory");
        goto out;
    }
    n = xl_read_full(fd, opt, in->hdr.optional_data_len);
    if (n < 0 || (size_t)n < in->hdr.optional_data_len) {
        xl_err("%s: the save file is truncated (in its config)", source);
        goto out;
    }
    if (xl_savefile_decode_optdata(&in->hdr, opt, &config, &in->config_len,
                                   &why)) {
        xl_err("%s: %s", source, why);
        goto out;
    }
    if (in->config_len) {
        fprintf(stderr, " Savefile contains xl domain config%s\n",
                in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_JSON
                    ? " in JSON format"
                    : "");
        in->config = malloc(in->config_len + 1);
        if (!in->config) {
            xl_err("out of memory");
            goto out;
        }
        memcpy(in->config, config, in->config_len);
        in->config[in->config_len] = '\0';
    }
    rc = 0;
out:
    free(opt);
    return rc;
}

int xl_stream_incoming_config(const struct xl_conf *conf,
                              const struct xl_incoming *in, const char *source,
                              const char *override, libxl_domain_config *dc)
{
    if (override)
        return translate_cfg(conf, override, NULL, 0, dc);
    if (!in->config) {
        xl_err("%s holds no domain configuration: give a config file", source);
        return 1;
    }
    if (!(in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_JSON))
        return translate_cfg(conf, "<saved config>", in->config, in->config_len,
                             dc);
    if (libxl_domain_config_from_json(ctx, dc, in->config)) {
        xl_err("%s: the stored domain configuration is not valid libxl JSON",
               source);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Building the domain from a stream. Its monitor (xl_monitor_run) rebuilds
 * it on restart as create does (xl_build_rebuild).
 */

/* Build the domain from the stream on `fd` (stream_version of its
 * header). Unpauses it unless `paused`. Returns 0 with *domid_r set, or 1
 * with the reason printed and nothing left behind. */
static int build(const struct xl_conf *conf, libxl_domain_config *dc, int fd,
                 uint32_t stream_version, bool paused, uint32_t *domid_r)
{
    libxl_domain_restore_params params;
    uint32_t domid = INVALID_DOMID;
    int rc;

    /* Refuse before reading the stream (a migration's sender learns why). */
    if (xl_build_begin(conf, dc, "restore", true))
        return 1;
    libxl_domain_restore_params_init(&params);
    params.checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
    params.stream_version = stream_version;
    rc = libxl_domain_create_restore(ctx, dc, &domid, fd, -1, &params, NULL,
                                     NULL);
    libxl_domain_restore_params_dispose(&params);
    xl_build_unlock();
    if (rc) {
        libxl_dominfo info;

        /* libxl usually destroys what it half built: only if not. */
        libxl_dominfo_init(&info);
        if (libxl_domid_valid_guest(domid) &&
            !libxl_domain_info(ctx, &info, domid))
            libxl_domain_destroy(ctx, domid, NULL);
        libxl_dominfo_dispose(&info);
        xl_build_failed("restore", dc->c_info.name, rc,
                        "nothing of it was kept");
        return 1;
    }
    if (xl_storedcfg_store_current(ctx, domid))
        xl_err("warning: cannot keep the config text of domain %u", domid);
    if (!paused && libxl_domain_unpause(ctx, domid, NULL)) {
        xl_err("cannot unpause domain %u; destroying it", domid);
        libxl_domain_destroy(ctx, domid, NULL);
        return 1;
    }
    *domid_r = domid;
    return 0;
}

int xl_stream_build_incoming(const struct xl_conf *conf,
                             const struct xl_incoming *in, int fd,
                             libxl_domain_config *dc, bool debug, bool paused,
                             uint32_t *domid_r)
{
    if (debug) /* as xl.conf's output_format says; only informative */
        xl_domconfig_print(ctx, stderr, conf, dc);
    return build(conf, dc, fd,
                 in->hdr.mandatory_flags & XL_SAVEFILE_FLAG_STREAMV2 ? 2 : 1,
                 paused, domid_r);
}

const char *xl_stream_resume_if_suspended(uint32_t domid)
{
    libxl_dominfo info;
    bool suspended;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid)) {
        libxl_dominfo_dispose(&info);
        return "the domain is gone";
    }
    suspended =
        info.shutdown && info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND;
    libxl_dominfo_dispose(&info);
    if (!suspended)
        return "the domain was not suspended and keeps running here";
    if (libxl_domain_resume(ctx, domid, 1, NULL))
        return "resuming the suspended domain here FAILED";
    return "the suspended domain was resumed here";
}
