/* Network interface specs and vif rate limits, xl-network-configuration(5). */
#include <ctype.h>

#include "specs_internal.h"

/* Every key Xen 4.17's xl accepts in a vif spec (COLO keys are listed
 * separately and kept as written). */
static const char *const vif_keys[] = {
    "mac",     "bridge",  "gatewaydev", "netdev",    "ip",   "script",
    "backend", "vifname", "model",      "rate",      "type", "accel",
    "devid",   "mtu",     "trusted",    "untrusted", NULL,
};

static const char *const colo_keys[] = {
    "forwarddev",
    "colo_sock_mirror_id",
    "colo_sock_mirror_ip",
    "colo_sock_mirror_port",
    "colo_sock_compare_sec_in_id",
    "colo_sock_compare_sec_in_ip",
    "colo_sock_compare_sec_in_port",
    "colo_sock_redirector0_id",
    "colo_sock_redirector0_ip",
    "colo_sock_redirector0_port",
    "colo_sock_redirector1_id",
    "colo_sock_redirector1_ip",
    "colo_sock_redirector1_port",
    "colo_sock_redirector2_id",
    "colo_sock_redirector2_ip",
    "colo_sock_redirector2_port",
    "colo_sock_compare_pri_in_id",
    "colo_sock_compare_pri_in_ip",
    "colo_sock_compare_pri_in_port",
    "colo_sock_compare_notify_id",
    "colo_sock_compare_notify_ip",
    "colo_sock_compare_notify_port",
    "colo_filter_mirror_queue",
    "colo_filter_mirror_outdev",
    "colo_filter_redirector0_queue",
    "colo_filter_redirector0_indev",
    "colo_filter_redirector0_outdev",
    "colo_filter_redirector1_queue",
    "colo_filter_redirector1_indev",
    "colo_filter_redirector1_outdev",
    "colo_compare_pri_in",
    "colo_compare_sec_in",
    "colo_compare_out",
    "colo_compare_notify_dev",
    "colo_sock_sec_redirector0_id",
    "colo_sock_sec_redirector0_ip",
    "colo_sock_sec_redirector0_port",
    "colo_sock_sec_redirector1_id",
    "colo_sock_sec_redirector1_ip",
    "colo_sock_sec_redirector1_port",
    "colo_filter_sec_redirector0_queue",
    "colo_filter_sec_redirector0_indev",
    "colo_filter_sec_redirector0_outdev",
    "colo_filter_sec_redirector1_queue",
    "colo_filter_sec_redirector1_indev",
    "colo_filter_sec_redirector1_outdev",
    "colo_filter_sec_rewriter0_queue",
    "colo_checkpoint_host",
    "colo_checkpoint_port",
    NULL,
};

#define RATE_HINT "the form is RATE/s[@INTERVAL], e.g. 10Mb/s or 1MB/s@20ms"

/* Parse digits s[*i..) as the reference's strtoull(..., 0) does for a
 * string of digits: decimal, or octal with a leading 0. Returns 0,
 * EINVAL (an 8 or 9 in an octal number) or ERANGE (above UINT32_MAX, the
 * reference's limit). */
static int rate_number(const char *s, size_t *i, uint64_t *r, bool *octal_r)
{
    size_t p = *i;
    unsigned base = 10;
    uint64_t v = 0;

    *octal_r = false;
    if (s[p] == '0' && isdigit((unsigned char)s[p + 1])) {
        base = 8;
        *octal_r = true;
    }
    for (; isdigit((unsigned char)s[p]); p++) {
        unsigned digit = (unsigned)(s[p] - '0');

        if (digit >= base)
            return EINVAL;
        v = v * base + digit;
        if (v > UINT32_MAX)
            return ERANGE;
    }
    *i = p;
    *r = v;
    return 0;
}

int xlcfg_parse_rate(const char *s, const xlcfg_loc *loc,
                     uint64_t *bytes_per_interval_r, uint32_t *interval_usecs_r,
                     xlcfg_diags *d)
{
    uint64_t bytes_per_sec, interval = 50000, n;
    size_t i = 0, at;
    bool octal;
    int rc;

    if (bytes_per_interval_r)
        *bytes_per_interval_r = 0;
    if (interval_usecs_r)
        *interval_usecs_r = 0;
    if (!s)
        return EINVAL;
    at = strcspn(s, "@");

    /* RATE: digits, optional G/M/K, B (bytes) or b (bits), "/s". */
    if (at == 0) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, RATE_HINT,
                         "no rate in '%s'", s);
        return EINVAL;
    }
    if (!isdigit((unsigned char)s[0])) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, RATE_HINT,
                         "invalid rate '%.*s'", (int)at, s);
        return EINVAL;
    }
    rc = rate_number(s, &i, &n, &octal);
    if (rc == ERANGE) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "the number before the unit is at most 4294967295",
                         "rate '%.*s' is too large", (int)at, s);
        return EINVAL;
    }
    if (rc) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "a leading 0 makes the number octal, as in the "
                         "reference xl",
                         "invalid octal rate '%.*s'", (int)at, s);
        return EINVAL;
    }
    bytes_per_sec = n;
    if (s[i] == 'G')
        bytes_per_sec *= 1000 * 1000 * 1000;
    else if (s[i] == 'M')
        bytes_per_sec *= 1000 * 1000;
    else if (s[i] == 'K')
        bytes_per_sec *= 1000;
    if (s[i] == 'G' || s[i] == 'M' || s[i] == 'K')
        i++;
    if ((s[i] != 'B' && s[i] != 'b') || strncmp(s + i + 1, "/s", 2) ||
        i + 3 != at) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, i,
                         "units are B, KB, MB, GB (bytes) or b, Kb, Mb, Gb "
                         "(bits), followed by /s",
                         "invalid rate unit in '%.*s'", (int)at, s);
        return EINVAL;
    }
    if (n == 0) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         "leave rate= out for an unlimited interface",
                         "rate '%.*s' is zero", (int)at, s);
        return EINVAL;
    }
    if (s[i] == 'b')
        bytes_per_sec /= 8;
    if (octal)
        xlcfg__spec_diag(d, XLCFG_SEV_WARNING, loc, 0,
                         "drop the leading 0 if you meant decimal",
                         "rate '%.*s' has a leading 0 and is read as octal "
                         "(%llu)",
                         (int)at, s, (unsigned long long)n);

    /* INTERVAL: digits, then s (default), ms or us; "m"/"u" alone too. */
    if (s[at] == '@') {
        const char *iv = s + at + 1;
        size_t j = 0;

        if (!isdigit((unsigned char)iv[0])) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, at + 1,
                             "the interval is a number with unit s, ms or "
                             "us, e.g. @20ms",
                             "invalid replenishment interval '%s'", iv);
            return EINVAL;
        }
        rc = rate_number(iv, &j, &n, &octal);
        if (rc == ERANGE) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, at + 1, NULL,
                             "replenishment interval '%s' is too large", iv);
            return EINVAL;
        }
        if (rc || !(!iv[j] || !strcmp(iv + j, "s") || !strcmp(iv + j, "m") ||
                    !strcmp(iv + j, "ms") || !strcmp(iv + j, "u") ||
                    !strcmp(iv + j, "us"))) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, at + 1 + j,
                             "the interval is a number with unit s, ms or "
                             "us, e.g. @20ms",
                             "invalid replenishment interval '%s'", iv);
            return EINVAL;
        }
        if (n == 0) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, at + 1, NULL,
                             "replenishment interval '%s' is zero", iv);
            return EINVAL;
        }
        if (iv[j] == 's' || !iv[j])
            n *= 1000 * 1000;
        else if (iv[j] == 'm')
            n *= 1000;
        if (n > UINT32_MAX) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, at + 1,
                             "the interval is at most 4294967295us (about "
                             "71 minutes)",
                             "replenishment interval '%s' is too large", iv);
            return EINVAL;
        }
        interval = n;
    }

    if (bytes_per_sec > UINT64_MAX / interval) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, NULL,
                         "rate '%s' overflows the credit per interval", s);
        return EINVAL;
    }
    n = bytes_per_sec * interval / 1000000u;
    if (n == 0)
        xlcfg__spec_diag(d, XLCFG_SEV_WARNING, loc, 0,
                         "raise the rate or lengthen the interval",
                         "rate '%s' rounds down to 0 bytes per interval, "
                         "which means unlimited",
                         s);
    if (bytes_per_interval_r)
        *bytes_per_interval_r = n;
    if (interval_usecs_r)
        *interval_usecs_r = (uint32_t)interval;
    return 0;
}

/* Parse and normalise a MAC address: six groups of one or two hex digits
 * separated by ':' (or '-', consistently). */
static int parse_mac(const char *s, size_t b, size_t e, const xlcfg_loc *loc,
                     xlcfg_vif *r, xlcfg_diags *d)
{
    unsigned bytes[6];
    char sep = 0, out[64];
    size_t i = b;
    int k;

    for (k = 0; k < 6; k++) {
        unsigned v = 0, nd = 0;

        for (; i < e && isxdigit((unsigned char)s[i]) && nd < 3; i++, nd++) {
            char c = (char)tolower((unsigned char)s[i]);

            v = v * 16 +
                (unsigned)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
        }
        if (nd == 0 || nd > 2)
            goto bad;
        bytes[k] = v;
        if (k == 5)
            break;
        if (i >= e || (s[i] != ':' && s[i] != '-') || (sep && s[i] != sep))
            goto bad;
        sep = s[i++];
    }
    if (i != e)
        goto bad;
    if (bytes[0] & 1) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b,
                         "clear the lowest bit of the first byte; for a "
                         "locally administered address use e.g. 02:...",
                         "MAC address '%.*s' is a multicast address",
                         (int)(e - b), s + b);
        return EINVAL;
    }
    snprintf(out, sizeof(out), "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0],
             bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]);
    return xlcfg__spec_setstr(&r->mac, out, 17);
bad:
    xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b,
                     "the form is six hex bytes, e.g. 00:16:3e:12:34:56",
                     "invalid MAC address '%.*s'", (int)(e - b), s + b);
    return EINVAL;
}

/* Decimal number for devid= and mtu=, within [min, max]. */
static int parse_uint(const char *s, size_t b, size_t e, const char *key,
                      long min, long max, const xlcfg_loc *loc, int *r,
                      xlcfg_diags *d)
{
    long v = 0;
    size_t i;

    if (b == e)
        goto bad;
    for (i = b; i < e; i++) {
        if (!isdigit((unsigned char)s[i]))
            goto bad;
        v = v * 10 + (s[i] - '0');
        if (v > max)
            break;
    }
    if (v < min || v > max) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, NULL,
                         "%s '%.*s' is out of range (%ld-%ld)", key,
                         (int)(e - b), s + b, min, max);
        return EINVAL;
    }
    *r = (int)v;
    return 0;
bad:
    xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, NULL,
                     "%s '%.*s' is not a number", key, (int)(e - b), s + b);
    return EINVAL;
}

static int add_colo(xlcfg_vif *r, const char *item, size_t len)
{
    char **n = realloc(r->colo, (r->ncolo + 1) * sizeof(*n));

    if (!n)
        return ENOMEM;
    r->colo = n;
    r->colo[r->ncolo] = NULL;
    if (xlcfg__spec_setstr(&r->colo[r->ncolo], item, len))
        return ENOMEM;
    r->ncolo++;
    return 0;
}

static bool in_list(const char *key, size_t klen, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == klen && !memcmp(*words, key, klen))
            return true;
    return false;
}

/* One item spec[b..e), already trimmed and not empty. */
static int parse_item(const char *s, size_t b, size_t e, const xlcfg_loc *loc,
                      xlcfg_vif *r, xlcfg_diags *d)
{
    const char *key = s + b, *eq = memchr(key, '=', e - b);
    size_t klen = eq ? (size_t)(eq - key) : e - b;
    size_t v = eq ? b + klen + 1 : e, vlen = e - v;
    const char *val = s + v;

#define KEY_IS(k) (klen == strlen(k) && !memcmp(key, k, klen))
    if (!eq) {
        if (KEY_IS("trusted") || KEY_IS("untrusted")) {
            r->trusted = KEY_IS("trusted");
            return 0;
        }
    } else if (KEY_IS("mac")) {
        return parse_mac(s, v, e, loc, r, d);
    } else if (KEY_IS("bridge")) {
        return xlcfg__spec_setstr(&r->bridge, val, vlen);
    } else if (KEY_IS("gatewaydev") || KEY_IS("netdev")) {
        if (KEY_IS("netdev"))
            xlcfg__spec_diag(d, XLCFG_SEV_WARNING, loc, b,
                             "write gatewaydev= instead",
                             "vif option 'netdev' is deprecated");
        return xlcfg__spec_setstr(&r->gatewaydev, val, vlen);
    } else if (KEY_IS("ip")) {
        return xlcfg__spec_setstr(&r->ip, val, vlen);
    } else if (KEY_IS("script")) {
        return xlcfg__spec_setstr(&r->script, val, vlen);
    } else if (KEY_IS("backend")) {
        return xlcfg__spec_setstr(&r->backend, val, vlen);
    } else if (KEY_IS("vifname")) {
        return xlcfg__spec_setstr(&r->vifname, val, vlen);
    } else if (KEY_IS("model")) {
        return xlcfg__spec_setstr(&r->model, val, vlen);
    } else if (KEY_IS("type")) {
        if (vlen == 3 && !memcmp(val, "vif", 3)) {
            r->type = XLCFG_VIF_TYPE_VIF;
        } else if (vlen == 5 && !memcmp(val, "ioemu", 5)) {
            r->type = XLCFG_VIF_TYPE_IOEMU;
        } else {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, v,
                             "type is 'vif' (PV only) or 'ioemu' (emulated "
                             "and PV)",
                             "invalid vif type '%.*s'", (int)vlen, val);
            return EINVAL;
        }
        return 0;
    } else if (KEY_IS("rate")) {
        xlcfg_loc rloc, *rl = NULL;
        int rc = xlcfg__spec_setstr(&r->rate, val, vlen);

        if (rc)
            return rc;
        if (loc) {
            rloc = *loc;
            if (rloc.col)
                rloc.col += (unsigned)v;
            rl = &rloc;
        }
        return xlcfg_parse_rate(r->rate, rl, &r->rate_bytes_per_interval,
                                &r->rate_interval_usecs, d);
    } else if (KEY_IS("accel")) {
        xlcfg__spec_diag(d, XLCFG_SEV_WARNING, loc, b, NULL,
                         "vif option 'accel' is not supported and is "
                         "ignored");
        return 0;
    } else if (KEY_IS("devid")) {
        return parse_uint(s, v, e, "devid", 0, 65535, loc, &r->devid, d);
    } else if (KEY_IS("mtu")) {
        return parse_uint(s, v, e, "mtu", 68, 65535, loc, &r->mtu, d);
    } else if (in_list(key, klen, colo_keys)) {
        return add_colo(r, key, e - b);
    }
    {
        char hint[64];
        const char *h = NULL;

        if (eq && (KEY_IS("trusted") || KEY_IS("untrusted"))) {
            snprintf(hint, sizeof(hint), "'%.*s' is a flag: no '=value'",
                     (int)klen, key);
            h = hint;
        } else if (!(h = xlcfg__did_you_mean(hint, sizeof(hint), key, klen,
                                             vif_keys)) &&
                   !(h = xlcfg__did_you_mean(hint, sizeof(hint), key, klen,
                                             colo_keys)) &&
                   !eq) {
            h = "vif options are key=value";
        }
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, h,
                         "unknown vif option '%.*s'", (int)klen, key);
    }
#undef KEY_IS
    return EINVAL;
}

static void vif_init(xlcfg_vif *r)
{
    memset(r, 0, sizeof(*r));
    r->devid = -1;
    r->trusted = -1;
}

int xlcfg_parse_vif(const char *spec, const xlcfg_loc *loc, xlcfg_vif *r,
                    xlcfg_diags *d)
{
    xlcfg__split sp;
    xlcfg__item it;
    int rc = 0;

    vif_init(r);
    if (!spec)
        return EINVAL;

    /* Comma-separated items; empty ones are skipped as by the reference's
     * strtok, and blanks around an item are not part of it. */
    xlcfg__split_init(&sp, spec, NULL);
    while (xlcfg__split_next(&sp, &it)) {
        int one;

        if (it.b == it.e)
            continue;
        one = parse_item(spec, it.b, it.e, loc, r, d);
        if (one == ENOMEM)
            return ENOMEM;
        if (one)
            rc = EINVAL;
    }
    return rc;
}

int xlcfg_parse_vif_args(size_t nargs, const char *const *args,
                         const xlcfg_loc *loc, xlcfg_vif *r, xlcfg_diags *d)
{
    xlcfg_loc at, *al = NULL;
    size_t i, off = 0;
    int rc = 0;

    vif_init(r);
    for (i = 0; i < nargs; i++)
        if (!args[i])
            return EINVAL;
    for (i = 0; i < nargs; i++) {
        int one;

        if (loc) {
            at = *loc;
            if (at.col)
                at.col += (unsigned)off;
            al = &at;
        }
        /* The whole argument is the item, even "" or "a=b,c=d". */
        one = parse_item(args[i], 0, strlen(args[i]), al, r, d);
        if (one == ENOMEM)
            return ENOMEM;
        if (one)
            rc = EINVAL;
        off += strlen(args[i]) + 1;
    }
    return rc;
}

void xlcfg_vif_dispose(xlcfg_vif *vif)
{
    size_t i;

    if (!vif)
        return;
    free(vif->mac);
    free(vif->bridge);
    free(vif->ip);
    free(vif->script);
    free(vif->model);
    free(vif->vifname);
    free(vif->backend);
    free(vif->gatewaydev);
    free(vif->rate);
    for (i = 0; i < vif->ncolo; i++)
        free(vif->colo[i]);
    free(vif->colo);
    vif_init(vif);
}
