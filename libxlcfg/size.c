/* Memory sizes with units: "512", "512m", "2G", "1048576k", "4096b". */
#include <ctype.h>

#include "specs_internal.h"

/* log2 of a unit letter's multiplier, or -1 if it is not a unit. */
static int unit_shift(char unit)
{
    switch (tolower((unsigned char)unit)) {
    case 'b':
        return 0;
    case 'k':
        return 10;
    case 'm':
        return 20;
    case 'g':
        return 30;
    case 't':
        return 40;
    default:
        return -1;
    }
}

int xlcfg_parse_size(const char *s, char default_unit, const xlcfg_loc *loc,
                     uint64_t *bytes_r, xlcfg_diags *d)
{
    const char *p = s;
    uint64_t n = 0;
    int shift = unit_shift(default_unit);
    int rc = 0;

    if (bytes_r)
        *bytes_r = 0;
    if (!s || shift < 0)
        return EINVAL; /* a caller bug, not a user error */

    if (!isdigit((unsigned char)*p)) {
        rc = EINVAL;
        if (*p == '-')
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, NULL,
                             "size '%s' is negative", s);
        else
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0,
                             "write a number with an optional unit b, k, "
                             "m, g or t, e.g. 512m",
                             "size '%s' is not a number", s);
        goto out;
    }
    for (; isdigit((unsigned char)*p); p++) {
        unsigned digit = (unsigned)(*p - '0');

        if (n > (UINT64_MAX - digit) / 10) {
            rc = ERANGE;
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, NULL,
                             "size '%s' is too large", s);
            goto out;
        }
        n = n * 10 + digit;
    }
    if (*p) {
        shift = unit_shift(*p);
        if (shift < 0 || p[1]) {
            rc = EINVAL;
            xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, (size_t)(p - s),
                             "units are b, k, m, g, t (either case), one "
                             "letter: 512m, 2G",
                             "bad unit '%s' in size '%s'", p, s);
            goto out;
        }
    }
    if (shift && n > (UINT64_MAX >> shift)) {
        rc = ERANGE;
        xlcfg__spec_diag(d, XLCFG_SEV_ERROR, loc, 0, NULL,
                         "size '%s' is too large", s);
        goto out;
    }
    if (bytes_r)
        *bytes_r = n << shift;
out:
    return rc;
}
