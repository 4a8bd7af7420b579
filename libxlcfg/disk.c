/* Disk specs (xl-disk-configuration(5)) and virtual device numbers. */
#include <ctype.h>
#include <limits.h>
#include <strings.h>

#include "specs_internal.h"

/* The grammar follows the reference's flex scanner: at each position the
 * longest matching rule wins, an earlier rule wins a tie, and blanks
 * before a token are skipped. Legacy prefixes ("phy:", "tap:aio:") and
 * "target=" take the rest of the spec, so they win over positionals. */

static const char *const disk_keys[] = {
    "format",      "vdev",           "access",    "target",    "devtype",
    "backend",     "backendtype",    "script",    "cdrom",     "discard",
    "no-discard",  "direct-io-safe", "trusted",   "untrusted", "specification",
    "colo",        "no-colo",        "colo-host", "colo-port", "colo-export",
    "active-disk", "hidden-disk",    NULL,
};

typedef struct parse_ctx {
    const char *spec;     /* the argument being scanned */
    const xlcfg_loc *loc; /* where it starts */
    xlcfg_disk *r;
    xlcfg_diags *d;
    int err;             /* EINVAL once any error was reported */
    bool had_prefix;     /* a legacy prefix: no positional format slot */
    bool access_set;     /* the positional access slot was used */
    bool format_set;     /* format given (key, prefix or positional) */
    xlcfg__buf prefixes; /* the legacy prefixes, for r->legacy_prefix */
    /* target=: where it was (argument, offset) and whether it took more
     * than one item, for the messages when that was not meant. */
    const char *target_spec;
    xlcfg_loc target_loc;
    bool has_target_loc;
    size_t target_at;
} parse_ctx;

static void err_at(parse_ctx *c, size_t off, const char *hint, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

static void err_at(parse_ctx *c, size_t off, const char *hint, const char *fmt,
                   ...)
{
    char buf[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xlcfg__spec_diag(c->d, XLCFG_SEV_ERROR, c->loc, off, hint, "%s", buf);
    c->err = EINVAL;
}

/* A value spec[b..e) copied into *dst, refusing to overwrite a non-empty
 * earlier value (an empty one may be replaced, as in the reference). */
static int save_string(parse_ctx *c, const char *what, char **dst, size_t b,
                       size_t e)
{
    if (*dst && **dst) {
        err_at(c, b, NULL, "%s respecified: '%.*s' after '%s'", what,
               (int)(e - b), c->spec + b, *dst);
        return 0;
    }
    return xlcfg__spec_setstr(dst, c->spec + b, e - b);
}

static const struct {
    const char *name;
    xlcfg_disk_format fmt;
} formats[] = {
    {"raw", XLCFG_DISK_FORMAT_RAW},     {"qcow", XLCFG_DISK_FORMAT_QCOW},
    {"qcow2", XLCFG_DISK_FORMAT_QCOW2}, {"vhd", XLCFG_DISK_FORMAT_VHD},
    {"qed", XLCFG_DISK_FORMAT_QED},     {"empty", XLCFG_DISK_FORMAT_EMPTY},
};

static void set_format(parse_ctx *c, size_t b, size_t e, const char *vdev_hint)
{
    const char *v = c->spec + b;
    size_t n = e - b, i;
    xlcfg_disk_format f = XLCFG_DISK_FORMAT_RAW; /* "" means raw */

    if (n) {
        for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
            if (strlen(formats[i].name) == n &&
                !strncasecmp(formats[i].name, v, n))
                break;
        if (i == sizeof(formats) / sizeof(formats[0])) {
            err_at(c, b,
                   vdev_hint ? vdev_hint
                             : "formats are raw, qcow, qcow2, vhd, qed, empty",
                   "unknown disk format '%.*s'", (int)n, v);
            return;
        }
        if (strncmp(formats[i].name, v, n))
            xlcfg__spec_diag(c->d, XLCFG_SEV_WARNING, c->loc, b,
                             "formats are lowercase",
                             "disk format '%.*s' taken as '%s'; the reference "
                             "xl rejects it",
                             (int)n, v, formats[i].name);
        f = formats[i].fmt;
    }
    if (c->format_set && c->r->format != f) {
        err_at(c, b, NULL, "disk format respecified: '%.*s'", (int)n, v);
        return;
    }
    c->r->format = f;
    c->format_set = true;
}

static void set_access(parse_ctx *c, size_t b, size_t e, const char *hint)
{
    const char *v = c->spec + b;
    size_t n = e - b;

    if ((n == 1 && *v == 'r') || (n == 2 && !memcmp(v, "ro", 2)))
        c->r->readwrite = false;
    else if (n == 0 || (n == 1 && *v == 'w') || (n == 2 && !memcmp(v, "rw", 2)))
        c->r->readwrite = true;
    else
        err_at(c, b, hint ? hint : "access is r, ro, w or rw",
               "unknown disk access '%.*s'", (int)n, v);
}

static void set_backendtype(parse_ctx *c, size_t b, size_t e)
{
    static const char *const names[] = {"phy", "qdisk", "tap", "standalone"};
    static const xlcfg_disk_backend vals[] = {
        XLCFG_DISK_BACKEND_PHY, XLCFG_DISK_BACKEND_QDISK,
        XLCFG_DISK_BACKEND_TAP, XLCFG_DISK_BACKEND_STANDALONE};
    size_t i, n = e - b;

    for (i = 0; i < 4; i++) {
        if (strlen(names[i]) != n || memcmp(names[i], c->spec + b, n))
            continue;
        if (c->r->backendtype != XLCFG_DISK_BACKEND_UNSPEC &&
            c->r->backendtype != vals[i])
            err_at(c, b, NULL, "backendtype respecified: '%.*s'", (int)n,
                   c->spec + b);
        else
            c->r->backendtype = vals[i];
        return;
    }
    err_at(c, b, "backendtype is phy, qdisk, tap or standalone",
           "unknown backendtype '%.*s'", (int)n, c->spec + b);
}

static void set_specification(parse_ctx *c, size_t b, size_t e)
{
    size_t n = e - b;
    xlcfg_disk_specification s;

    if (n == 3 && !memcmp(c->spec + b, "xen", 3)) {
        s = XLCFG_DISK_SPEC_XEN;
    } else if (n == 6 && !memcmp(c->spec + b, "virtio", 6)) {
        s = XLCFG_DISK_SPEC_VIRTIO;
    } else {
        err_at(c, b, "specification is xen or virtio",
               "unknown specification '%.*s'", (int)n, c->spec + b);
        return;
    }
    if (c->r->specification != XLCFG_DISK_SPEC_UNSPEC &&
        c->r->specification != s)
        err_at(c, b, NULL, "specification respecified: '%.*s'", (int)n,
               c->spec + b);
    else
        c->r->specification = s;
}

/* colo-port= as the reference reads it: atoi() of the value, refused
 * only when that gives 0. What atoi() makes of anything but a plain port
 * number (trailing text ignored, no range check) is taken too, with a
 * warning saying which number it became. */
static void set_colo_port(parse_ctx *c, size_t b, size_t e)
{
    const char *v = c->spec + b;
    size_t n = e - b, i;
    /* glibc's atoi is (int)strtol(s, NULL, 10); the value ends at ','. */
    long lv = strtol(v, NULL, 10);
    int port = (int)lv;

    if (!port) {
        err_at(c, b, "colo-port is the TCP port of the COLO disk server",
               "invalid colo-port '%.*s'", (int)n, v);
        return;
    }
    c->r->colo_port = port;
    for (i = 0; i < n && isdigit((unsigned char)v[i]); i++)
        ;
    if (i != n || lv != port || port > 65535)
        xlcfg__spec_diag(c->d, XLCFG_SEV_WARNING, c->loc, b,
                         "write the port number alone, 1 to 65535",
                         "colo-port '%.*s' is taken as %d, as the reference "
                         "xl reads it",
                         (int)n, v, port);
}

/* "hdc:cdrom" / "xvda:disk": the xm-era vdev with a device type. Returns
 * true if the token had a colon (and was handled). */
static bool vdev_and_devtype(parse_ctx *c, size_t b, size_t e, int *rc)
{
    const char *colon = NULL;
    size_t i, t;

    for (i = b; i < e; i++)
        if (c->spec[i] == ':')
            colon = c->spec + i;
    if (!colon)
        return false;
    t = (size_t)(colon - c->spec);
    *rc = save_string(c, "vdev", &c->r->vdev, b, t);
    if (e - t - 1 == 5 && !memcmp(colon + 1, "cdrom", 5))
        c->r->cdrom = true;
    else if (e - t - 1 == 4 && !memcmp(colon + 1, "disk", 4))
        c->r->cdrom = false;
    else
        err_at(c, t + 1, "the device type after ':' is cdrom or disk",
               "unknown device type '%.*s'", (int)(e - t - 1), colon + 1);
    return true;
}

/* Returns 0, ENOMEM, or -1 to stop scanning (as the reference does after
 * some errors, which would only cascade). */
static int positional(parse_ctx *c, size_t b, size_t e)
{
    xlcfg_disk *r = c->r;
    int rc = 0;

    if (c->err)
        return 0; /* previous errors may just lead to subsequent ones */
    if (!r->target)
        return save_string(c, "target", &r->target, b, e);
    if (!c->had_prefix && !c->format_set) {
        char hint[160];
        char *tok = NULL;

        if (!*r->target && vdev_and_devtype(c, b, e, &rc)) {
            r->format = XLCFG_DISK_FORMAT_EMPTY;
            c->format_set = true;
            return rc;
        }
        /* A vdev in the format slot is the commonest positional mistake
         * ("/dev/vg/lv,xvda,w"): say so. */
        if (xlcfg__spec_setstr(&tok, c->spec + b, e - b))
            return ENOMEM;
        snprintf(hint, sizeof(hint),
                 "positional order is target, format, vdev, access: write "
                 "'%s,,%s' or use a prefix such as phy:",
                 r->target, tok);
        set_format(c, b, e, xlcfg_vdev_to_devid(tok, NULL) >= 0 ? hint : NULL);
        free(tok);
        return 0;
    }
    if (!r->vdev) {
        if (!vdev_and_devtype(c, b, e, &rc))
            rc = save_string(c, "vdev", &r->vdev, b, e);
        return rc;
    }
    if (!c->access_set) {
        c->access_set = true;
        /* "phy:/dev/x,raw,xvda": after a prefix there is no format slot,
         * so the vdev went into the vdev slot one item early. */
        set_access(c, b, e,
                   c->had_prefix ? "after a legacy prefix such as phy: the "
                                   "positional order is target, vdev, access "
                                   "(no format)"
                                 : NULL);
        return 0;
    }
    err_at(c, b, "positional order is target, format, vdev, access",
           "too many positional parameters at '%.*s'", (int)(e - b),
           c->spec + b);
    return -1;
}

static bool word_at(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);

    return n >= wl && !memcmp(s, w, wl);
}

/* Legacy prefix at spec[p..): returns its length (colon included) and
 * what it does, or 0. */
static size_t legacy_prefix(const char *s, int *kind)
{
    static const struct {
        const char *p;
        int kind; /* 0 ignored, 1 format, 2 script */
    } prefixes[] = {
        {"raw:", 1},  {"qcow:", 1},    {"qcow2:", 1}, {"vhd:", 1},
        {"qed:", 1},  {"iscsi:", 2},   {"nbd:", 2},   {"enbd:", 2},
        {"drbd:", 2}, {"tapdisk:", 0}, {"tap:", 0},   {"tap2:", 0},
        {"aio:", 0},  {"ioemu:", 0},   {"file:", 0},  {"phy:", 0},
    };
    size_t i;

    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i].p);

        if (!strncmp(s, prefixes[i].p, n)) {
            *kind = prefixes[i].kind;
            return n;
        }
    }
    return 0;
}

static int handle_prefix(parse_ctx *c, size_t p, size_t n, int kind)
{
    xlcfg_disk *r = c->r;
    int rc = 0;

    xlcfg__buf_add(&c->prefixes, c->spec + p, n);
    if (c->prefixes.err)
        return ENOMEM;
    c->had_prefix = true;
    if (kind == 1) {
        set_format(c, p, p + n - 1, NULL);
    } else if (kind == 2) {
        char script[32];

        snprintf(script, sizeof(script), "block-%.*s", (int)(n - 1),
                 c->spec + p);
        if (r->script && *r->script)
            err_at(c, p, NULL, "script respecified: '%s' after '%s'", script,
                   r->script);
        else
            rc = xlcfg__spec_setstr(&r->script, script, strlen(script));
    }
    return rc;
}

/* key=value tokens: returns true if key[0..klen) is one, having acted on
 * value spec[vb..ve). */
static bool key_value(parse_ctx *c, const char *key, size_t klen, size_t vb,
                      size_t ve, int *rc)
{
    xlcfg_disk *r = c->r;

#define KEY_IS(k) (klen == strlen(k) && !memcmp(key, k, klen))
    if (KEY_IS("format")) {
        set_format(c, vb, ve, NULL);
    } else if (KEY_IS("devtype")) {
        if (ve - vb == 5 && !memcmp(c->spec + vb, "cdrom", 5))
            r->cdrom = true;
        else if (ve - vb == 4 && !memcmp(c->spec + vb, "disk", 4))
            r->cdrom = false;
        else
            err_at(c, vb, "devtype is cdrom or disk", "unknown devtype '%.*s'",
                   (int)(ve - vb), c->spec + vb);
    } else if (KEY_IS("access")) {
        set_access(c, vb, ve, NULL);
    } else if (KEY_IS("backend")) {
        *rc = save_string(c, "backend", &r->backend, vb, ve);
    } else if (KEY_IS("backendtype")) {
        set_backendtype(c, vb, ve);
    } else if (KEY_IS("specification")) {
        set_specification(c, vb, ve);
    } else if (KEY_IS("vdev")) {
        *rc = save_string(c, "vdev", &r->vdev, vb, ve);
    } else if (KEY_IS("script")) {
        *rc = save_string(c, "script", &r->script, vb, ve);
    } else if (KEY_IS("colo-host")) {
        *rc = save_string(c, "colo-host", &r->colo_host, vb, ve);
    } else if (KEY_IS("colo-export")) {
        *rc = save_string(c, "colo-export", &r->colo_export, vb, ve);
    } else if (KEY_IS("active-disk")) {
        *rc = save_string(c, "active-disk", &r->active_disk, vb, ve);
    } else if (KEY_IS("hidden-disk")) {
        *rc = save_string(c, "hidden-disk", &r->hidden_disk, vb, ve);
    } else if (KEY_IS("colo-port")) {
        set_colo_port(c, vb, ve);
    } else {
        return false;
    }
#undef KEY_IS
    return true;
}

/* Flags: the length of the longest flag spec[p..) starts with (0 if
 * none) and which one it is. */
static const char *const disk_flags[] = {
    "cdrom",   "direct-io-safe", "discard",   "no-discard", "colo",
    "no-colo", "trusted",        "untrusted", NULL,
};

static size_t flag_len(const char *s, size_t avail, int *which)
{
    size_t best = 0, i;

    *which = -1;
    for (i = 0; disk_flags[i]; i++)
        if (word_at(s, avail, disk_flags[i]) && strlen(disk_flags[i]) > best) {
            best = strlen(disk_flags[i]);
            *which = (int)i;
        }
    return best;
}

static void set_flag(xlcfg_disk *r, int which)
{
    switch (which) {
    case 0:
        r->cdrom = true;
        break;
    case 1:
        r->direct_io_safe = true;
        break;
    case 2:
    case 3:
        r->discard = which == 2;
        break;
    case 4:
    case 5:
        r->colo = which == 4;
        break;
    default:
        r->trusted = which == 6;
        break;
    }
}

static size_t trim_end(const char *s, size_t b, size_t e)
{
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    return e;
}

static int bad_syntax(parse_ctx *c, size_t p)
{
    err_at(c, p, "options are key=value or flags such as cdrom",
           "bad disk syntax at '%s'", c->spec + p);
    return -1;
}

/* One item of the spec: legacy prefixes, then "target=" (the rest of the
 * spec), key=value, a flag or a positional. Returns 0, ENOMEM, or -1 to
 * stop scanning. */
static int scan_item(parse_ctx *c, xlcfg__split *sp, xlcfg__item *it)
{
    const char *s = c->spec;
    size_t p = it->b, klen, fl, run_end;
    const char *eq;
    int kind, rc = 0;

    for (;;) {
        if (!strncmp(s + p, "target=", 7)) {
            /* Takes the rest, commas included; one trailing comma goes. */
            xlcfg__split_rest(sp, p + 7, it);
            c->target_spec = s;
            c->target_at = p;
            c->has_target_loc = c->loc != NULL;
            if (c->loc)
                c->target_loc = *c->loc;
            return save_string(c, "target", &c->r->target, it->b, it->e);
        }
        klen = legacy_prefix(s + p, &kind);
        if (!klen)
            break;
        rc = handle_prefix(c, p, klen, kind);
        if (rc)
            return rc;
        for (p += klen; p < it->end && strchr(" \t\n", s[p]); p++)
            ;
    }
    /* Nothing before the comma: an empty positional ("/a,,xvda"). */
    if (p == it->end)
        return it->end < sp->len ? positional(c, p, p) : 0;
    /* key=... (a lowercase word then '='), or a flag, or positional. */
    klen = 0;
    if (islower((unsigned char)s[p]))
        for (klen = 1;
             p + klen < it->end && (islower((unsigned char)s[p + klen]) ||
                                    isdigit((unsigned char)s[p + klen]) ||
                                    s[p + klen] == '-' || s[p + klen] == '_');
             klen++)
            ;
    if (klen && s[p + klen] == '=') {
        size_t vb = p + klen + 1;

        if (!key_value(c, s + p, klen, vb, trim_end(s, vb, it->end), &rc)) {
            char hint[64];
            const char *h =
                xlcfg__did_you_mean(hint, sizeof(hint), s + p, klen, disk_keys);

            err_at(c, p, h, "unknown disk option '%.*s'", (int)klen, s + p);
        }
        return rc;
    }
    if (klen && s[p + klen] == ':' &&
        !isalnum((unsigned char)s[p + klen + 1])) {
        err_at(c, p,
               "known prefixes: phy: file: tap: tap2: aio: ioemu: raw: "
               "qcow: qcow2: vhd: qed: iscsi: nbd: enbd: drbd:",
               "unknown legacy disk prefix '%.*s'", (int)(klen + 1), s + p);
        return -1;
    }
    /* A flag is the whole item; it wins a tie with a positional. */
    fl = flag_len(s + p, sp->len - p, &kind);
    if (fl && p + fl == it->end) {
        set_flag(c->r, kind);
        return 0;
    }
    /* A positional ends at '=' too, which is then an error. */
    eq = memchr(s + p, '=', it->end - p);
    run_end = eq ? (size_t)(eq - s) : it->end;
    if (run_end == p)
        return bad_syntax(c, p);
    rc = positional(c, p, trim_end(s, p, run_end));
    if (!rc && eq)
        return bad_syntax(c, run_end);
    return rc;
}

static int scan(parse_ctx *c)
{
    xlcfg__split sp;
    xlcfg__item it;

    /* Only these blanks are skipped before a token, as in the reference's
     * scanner. */
    xlcfg__split_init(&sp, c->spec, " \t\n");
    while (xlcfg__split_next(&sp, &it)) {
        int rc = scan_item(c, &sp, &it);

        if (rc)
            return rc < 0 ? 0 : rc;
    }
    return 0;
}

static void disk_init(xlcfg_disk *r)
{
    memset(r, 0, sizeof(*r));
    r->readwrite = true;
    r->discard = -1;
    r->trusted = -1;
    r->colo = -1;
}

/* Is spec[at..) ", KEY=" or ", FLAG" (blanks allowed) for a disk key or
 * flag? Then a target= before it swallowed an option meant as such. */
static bool option_follows(const char *s, size_t at)
{
    size_t i, n;

    for (; s[at]; at++) {
        if (s[at] != ',')
            continue;
        i = at + 1 + strspn(s + at + 1, " \t\n");
        for (n = 0; disk_keys[n]; n++) {
            size_t kl = strlen(disk_keys[n]);

            if (!strncmp(s + i, disk_keys[n], kl) &&
                (s[i + kl] == '=' || s[i + kl] == ',' || !s[i + kl]))
                return true;
        }
    }
    return false;
}

/* target= took the rest of its argument: when that held other options
 * the user most likely put target= too early. */
static bool target_swallowed(const parse_ctx *c)
{
    return c->target_spec && option_follows(c->target_spec, c->target_at);
}

static void target_diag(parse_ctx *c, xlcfg_severity sev, const char *what)
{
    xlcfg__spec_diag(c->d, sev, c->has_target_loc ? &c->target_loc : NULL,
                     c->target_at,
                     "target= takes everything after it, commas included: "
                     "put it last in the spec",
                     "%starget= took the rest of the spec as the path '%s'",
                     what, c->r->target);
}

/* The checks once every argument was scanned; `spec` is what the messages
 * quote. */
static int finish(parse_ctx *c, const xlcfg_loc *loc, const char *spec)
{
    xlcfg_disk *r = c->r;
    xlcfg_diags *d = c->d;

    if (r->cdrom) {
        r->readwrite = false;
        if (!r->target || !*r->target) {
            r->format = XLCFG_DISK_FORMAT_EMPTY;
            r->is_cdrom_empty = true;
        }
    }
    if (!r->vdev) {
        /* Whatever came after target= went into the path, the vdev too. */
        if (c->target_spec && r->target && strchr(r->target, ',')) {
            target_diag(c, XLCFG_SEV_ERROR, "no vdev specified: ");
            return EINVAL;
        }
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "add the guest device name, e.g. ',xvda' or "
                         "'vdev=xvda'",
                         "no vdev specified in disk spec '%s'", spec);
        return EINVAL;
    }
    if (xlcfg_vdev_to_devid(r->vdev, NULL) < 0) {
        const char *v = strstr(spec, r->vdev);

        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, v ? (size_t)(v - spec) : 0,
                         "e.g. xvda, xvdb1, hda, sda, d0p1 or 0x301",
                         "invalid virtual device '%s'", r->vdev);
        return EINVAL;
    }
    if (!r->target && !r->cdrom) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "only a cdrom may have no target",
                         "no target specified in disk spec '%s'", spec);
        return EINVAL;
    }
    /* Accepted as the reference does, but most likely not meant. */
    if (target_swallowed(c))
        target_diag(c, XLCFG_SEV_WARNING, "");
    return 0;
}

int xlcfg_parse_disk_args(size_t nargs, const char *const *args,
                          const xlcfg_loc *loc, xlcfg_disk *r, xlcfg_diags *d)
{
    parse_ctx c = {.r = r, .d = d};
    xlcfg__buf all = {0};
    xlcfg_loc at;
    size_t i, off = 0;
    int rc = 0;

    disk_init(r);
    for (i = 0; i < nargs; i++)
        if (!args[i])
            return EINVAL;
    for (i = 0; i < nargs; i++) {
        if (i)
            xlcfg__buf_char(&all, ' ');
        xlcfg__buf_str(&all, args[i]);
    }
    if (all.err) {
        xlcfg__buf_free(&all);
        return ENOMEM;
    }
    if (!all.s || !all.s[strspn(all.s, " \t\n")]) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "e.g. 'phy:/dev/vg/guest,xvda,w' or "
                         "'format=raw,vdev=xvda,target=/path/disk.img'",
                         "empty disk spec");
        xlcfg__buf_free(&all);
        return EINVAL;
    }
    /* Each argument is scanned on its own, as the reference's
     * xlu_disk_parse() does, with the state carried over. */
    for (i = 0; i < nargs && !rc && !c.err; i++) {
        c.spec = args[i];
        c.loc = NULL;
        if (loc) {
            at = *loc;
            if (at.col)
                at.col += (unsigned)off;
            c.loc = &at;
        }
        rc = scan(&c);
        off += strlen(args[i]) + 1;
    }
    r->legacy_prefix = c.prefixes.s; /* the disk owns it now */
    if (!rc && c.err)
        rc = EINVAL;
    if (!rc)
        rc = finish(&c, loc, all.s);
    xlcfg__buf_free(&all);
    return rc;
}

int xlcfg_parse_disk(const char *spec, const xlcfg_loc *loc, xlcfg_disk *r,
                     xlcfg_diags *d)
{
    if (!spec) {
        disk_init(r);
        return EINVAL;
    }
    return xlcfg_parse_disk_args(1, &spec, loc, r, d);
}

void xlcfg_disk_dispose(xlcfg_disk *disk)
{
    if (!disk)
        return;
    free(disk->target);
    free(disk->vdev);
    free(disk->backend);
    free(disk->script);
    free(disk->legacy_prefix);
    free(disk->colo_host);
    free(disk->colo_export);
    free(disk->active_disk);
    free(disk->hidden_disk);
    disk_init(disk);
}

/* "xvd" + letters (bijective base 26: a=0 .. z=25, aa=26) + an optional
 * partition without leading zeros, as libxl decodes them. */
static bool virtdisk_matches(const char *v, const char *type, int max_disk,
                             int max_part, int *disk_r, int *part_r)
{
    size_t tl = strlen(type);
    long disk = -1, part = 0;
    const char *p;

    if (strncmp(v, type, tl))
        return false;
    for (p = v + tl; *p >= 'a' && *p <= 'z'; p++) {
        disk = (disk + 1) * 26 + (*p - 'a');
        if (disk > max_disk)
            return false;
    }
    if (disk < 0)
        return false;
    if (*p) {
        if (*p == '0')
            return false;
        for (; *p; p++) {
            if (!isdigit((unsigned char)*p))
                return false;
            part = part * 10 + (*p - '0');
            if (part > max_part)
                return false;
        }
    }
    *disk_r = (int)disk;
    *part_r = (int)part;
    return true;
}

int xlcfg_vdev_to_devid(const char *vdev, int *partition_r)
{
    int disk, part;
    const char *p;
    char *end;
    unsigned long ul;

    if (!vdev || !*vdev)
        return -1;
    /* d<disk>p<partition> */
    if (vdev[0] == 'd' && isdigit((unsigned char)vdev[1])) {
        long dn = 0, pn = 0;

        for (p = vdev + 1; isdigit((unsigned char)*p) && dn < (1L << 20); p++)
            dn = dn * 10 + (*p - '0');
        if (*p == 'p' && isdigit((unsigned char)p[1])) {
            for (p++; isdigit((unsigned char)*p) && pn < 256; p++)
                pn = pn * 10 + (*p - '0');
            if (!*p && dn < (1L << 20) && pn < 256) {
                disk = (int)dn;
                part = (int)pn;
                goto xvd;
            }
        }
    }
    if (virtdisk_matches(vdev, "xvd", (1 << 20) - 1, 255, &disk, &part))
        goto xvd;

    /* A number written straight to xenstore (hex, octal or decimal). */
    if (isdigit((unsigned char)vdev[0])) {
        errno = 0;
        ul = strtoul(vdev, &end, 0);
        if (!errno && !*end && ul <= INT_MAX) {
            if (partition_r)
                *partition_r = 0;
            return (int)ul;
        }
    }
    if (virtdisk_matches(vdev, "hd", 3, 63, &disk, &part)) {
        if (partition_r)
            *partition_r = part;
        return ((disk < 2 ? 3 : 22) << 8) | ((disk & 1) << 6) | part;
    }
    if (virtdisk_matches(vdev, "sd", 15, 15, &disk, &part)) {
        if (partition_r)
            *partition_r = part;
        return (8 << 8) | (disk << 4) | part;
    }
    return -1;
xvd:
    if (partition_r)
        *partition_r = part;
    if (disk <= 15 && part <= 15)
        return (202 << 8) | (disk << 4) | part;
    return (1 << 28) | (disk << 8) | part;
}
