/* PCI passthrough specs: "[DDDD:]BB:DD.F[@VSLOT][,key=value...]" (pci=). */
#include <ctype.h>
#include <strings.h>

#include "specs_internal.h"

static const char *const pci_keys[] = {
    "bdf",  "vslot",      "permissive", "msitranslate", "seize",
    "name", "power_mgmt", "rdm_policy", NULL,
};

#define BDF_HINT                                                               \
    "the form is [DDDD:]BB:DD.F with hex numbers, e.g. 0000:03:00.0"

/* Hex number in s[*i..end), advancing *i; EINVAL if no digit, ERANGE if
 * above max. */
static int parse_hex(const char *s, size_t *i, size_t end, unsigned max,
                     unsigned *r)
{
    unsigned long v = 0;
    size_t p = *i;

    if (p >= end || !isxdigit((unsigned char)s[p]))
        return EINVAL;
    for (; p < end && isxdigit((unsigned char)s[p]); p++) {
        char c = (char)tolower((unsigned char)s[p]);

        v = v * 16 +
            (unsigned long)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
        if (v > max)
            return ERANGE;
    }
    *i = p;
    *r = (unsigned)v;
    return 0;
}

/* A BDF in s[b..e). Fills domain/bus/dev/func/func_all. */
static int parse_bdf(const char *s, size_t b, size_t e, const xlcfg_loc *loc,
                     xlcfg_pci *r, xlcfg_diags *d)
{
    static const struct {
        const char *name;
        unsigned max;
    } parts[] = {{"domain", 0xffff}, {"bus", 0xff}, {"device", 0x1f}};
    unsigned val[3] = {0, 0, 0};
    unsigned colons = 0, first, k;
    size_t i;

    /* Count colons to learn whether the domain is present (one colon:
     * BB:DD.F, two: DDDD:BB:DD.F). */
    for (i = b; i < e && (isxdigit((unsigned char)s[i]) || s[i] == ':'); i++)
        colons += s[i] == ':';
    if (colons != 1 && colons != 2) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, BDF_HINT,
                         "invalid PCI address '%.*s'", (int)(e - b), s + b);
        return EINVAL;
    }
    first = colons == 2 ? 0 : 1;
    i = b;
    for (k = first; k < 3; k++) {
        int rc = parse_hex(s, &i, e, parts[k].max, &val[k]);

        if (rc == ERANGE) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, i, NULL,
                             "PCI %s number too large in '%.*s' (max %#x)",
                             parts[k].name, (int)(e - b), s + b, parts[k].max);
            return EINVAL;
        }
        if (rc || i >= e || s[i] != (k < 2 ? ':' : '.')) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, i, BDF_HINT,
                             "invalid PCI address '%.*s'", (int)(e - b), s + b);
            return EINVAL;
        }
        i++;
    }
    if (i < e && s[i] == '*') {
        r->func_all = true;
        r->func = 0;
        i++;
    } else {
        int rc = parse_hex(s, &i, e, 7, &r->func);

        if (rc) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, i,
                             "the function is 0-7, or * for all functions",
                             "invalid PCI function in '%.*s'", (int)(e - b),
                             s + b);
            return EINVAL;
        }
        r->func_all = false;
    }
    if (i != e) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, i, BDF_HINT,
                         "unexpected '%.*s' after PCI address", (int)(e - i),
                         s + i);
        return EINVAL;
    }
    r->domain = val[0];
    r->bus = val[1];
    r->dev = val[2];
    return 0;
}

static int parse_vslot(const char *s, size_t b, size_t e, const xlcfg_loc *loc,
                       xlcfg_pci *r, xlcfg_diags *d)
{
    size_t i = b;
    unsigned v;

    /* The reference reads it with sscanf("%x"): blanks and 0x are fine. */
    while (i < e && isspace((unsigned char)s[i]))
        i++;
    if (e - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        i += 2;
    if (parse_hex(s, &i, e, 0x1f, &v) || i != e) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b,
                         "the virtual slot is a hex number 0-1f",
                         "invalid virtual slot '%.*s'", (int)(e - b), s + b);
        return EINVAL;
    }
    r->vslot = (int)v;
    return 0;
}

/* 0/1 options: an integer as the reference's atoi(), but junk is an
 * error instead of silently 0. */
static int parse_flag(const char *s, size_t b, size_t e, const char *key,
                      const xlcfg_loc *loc, int *r, xlcfg_diags *d)
{
    size_t i = b;
    bool nonzero = false;

    if (i < e && (s[i] == '-' || s[i] == '+'))
        i++;
    if (i == e)
        goto bad;
    for (; i < e; i++) {
        if (!isdigit((unsigned char)s[i]))
            goto bad;
        nonzero |= s[i] != '0';
    }
    *r = nonzero;
    return 0;
bad:
    xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, "use 0 or 1",
                     "invalid value '%.*s' for %s", (int)(e - b), s + b, key);
    return EINVAL;
}

static int parse_option(const char *s, size_t b, size_t e, const xlcfg_loc *loc,
                        xlcfg_pci *r, bool *bdf_seen, bool *name_seen,
                        xlcfg_diags *d)
{
    const char *eq = memchr(s + b, '=', e - b);
    size_t klen, v;
    const char *key = s + b;

    if (!eq) {
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b,
                         "options are key=value, after the PCI address",
                         "expected key=value, found '%.*s'", (int)(e - b),
                         s + b);
        return EINVAL;
    }
    klen = (size_t)(eq - key);
    v = b + klen + 1;

#define KEY_IS(k) (klen == strlen(k) && !memcmp(key, k, klen))
    if (KEY_IS("bdf")) {
        *bdf_seen = true;
        return parse_bdf(s, v, e, loc, r, d);
    }
    if (KEY_IS("vslot"))
        return parse_vslot(s, v, e, loc, r, d);
    if (KEY_IS("permissive"))
        return parse_flag(s, v, e, "permissive", loc, &r->permissive, d);
    if (KEY_IS("msitranslate"))
        return parse_flag(s, v, e, "msitranslate", loc, &r->msitranslate, d);
    if (KEY_IS("seize"))
        return parse_flag(s, v, e, "seize", loc, &r->seize, d);
    if (KEY_IS("power_mgmt"))
        return parse_flag(s, v, e, "power_mgmt", loc, &r->power_mgmt, d);
    if (KEY_IS("rdm_policy")) {
        /* libxl's enum parser is case-insensitive. */
        if ((e - v == 6 && !strncasecmp(s + v, "strict", 6)) ||
            (e - v == 7 && !strncasecmp(s + v, "relaxed", 7))) {
            int rc = xlcfg__spec_setstr(&r->rdm_policy, s + v, e - v);

            for (char *p = r->rdm_policy; !rc && *p; p++)
                *p = (char)tolower((unsigned char)*p);
            return rc;
        }
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, v,
                         "rdm_policy is 'strict' or 'relaxed'",
                         "unknown rdm_policy '%.*s'", (int)(e - v), s + v);
        return EINVAL;
    }
    if (KEY_IS("name")) {
        *name_seen = true;
        if (v == e) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, v,
                             "name= takes the name given to the device "
                             "with 'xl pci-assignable-add -n'",
                             "empty PCI device name");
            return EINVAL;
        }
        return xlcfg__spec_setstr(&r->name, s + v, e - v);
    }
#undef KEY_IS
    {
        char hint[64];

        xlcfg__spec_diag(
            d, XLCFG_SEV_ERROR, loc, b,
            xlcfg__did_you_mean(hint, sizeof(hint), key, klen, pci_keys),
            "unknown PCI option '%.*s'", (int)klen, key);
    }
    return EINVAL;
}

int xlcfg_parse_pci(const char *spec, const xlcfg_loc *loc, xlcfg_pci *r,
                    xlcfg_diags *d)
{
    xlcfg__split sp;
    xlcfg__item it;
    bool bdf_seen = false, name_seen = false, first = true;
    int rc = 0;

    memset(r, 0, sizeof(*r));
    r->vslot = -1;
    r->permissive = r->msitranslate = r->seize = r->power_mgmt = -1;
    if (!spec)
        return EINVAL;

    /* An empty item is an error: the empty spec is an empty address. */
    xlcfg__split_init(&sp, spec, NULL);
    while (xlcfg__split_next(&sp, &it)) {
        size_t b = it.b, e = it.e;
        int one;

        if (first && !memchr(spec + b, '=', e - b)) {
            /* The positional address, possibly with @VSLOT. */
            const char *at = memchr(spec + b, '@', e - b);
            size_t ae = at ? (size_t)(at - spec) : e;

            bdf_seen = true;
            one = parse_bdf(spec, b, ae, loc, r, d);
            if (!one && at)
                one = parse_vslot(spec, ae + 1, e, loc, r, d);
        } else if (b == e) {
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, b, NULL,
                             "empty option in PCI spec");
            one = EINVAL;
        } else {
            one = parse_option(spec, b, e, loc, r, &bdf_seen, &name_seen, d);
        }
        first = false;
        if (one == ENOMEM)
            return ENOMEM;
        if (one)
            rc = EINVAL;
    }
    if (!rc && bdf_seen == name_seen) {
        rc = EINVAL;
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                         bdf_seen ? "give the device by address or by name, "
                                    "not both"
                                  : BDF_HINT,
                         bdf_seen ? "PCI spec has both an address and name="
                                  : "PCI spec has no device address");
    }
    return rc;
}

void xlcfg_pci_dispose(xlcfg_pci *pci)
{
    if (!pci)
        return;
    free(pci->rdm_policy);
    free(pci->name);
    pci->rdm_policy = NULL;
    pci->name = NULL;
}
