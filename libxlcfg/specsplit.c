/* The item splitter shared by the disk, vif, pci and cpu list parsers. */
#include <ctype.h>

#include "specs_internal.h"

void xlcfg__split_init(xlcfg__split *sp, const char *spec, const char *lead)
{
    sp->spec = spec;
    sp->len = strlen(spec);
    sp->pos = 0;
    sp->lead = lead;
    sp->started = false;
}

static bool is_lead(const xlcfg__split *sp, char c)
{
    if (!sp->lead)
        return isspace((unsigned char)c);
    return c && strchr(sp->lead, c);
}

bool xlcfg__split_next(xlcfg__split *sp, xlcfg__item *it)
{
    const char *s = sp->spec;
    size_t b = sp->pos, e;

    /* An empty spec is one empty item; a trailing comma starts none. */
    if (sp->pos >= sp->len && (sp->started || sp->len))
        return false;
    sp->started = true;
    while (b < sp->len && s[b] != ',' && is_lead(sp, s[b]))
        b++;
    e = b;
    while (e < sp->len && s[e] != ',')
        e++;
    it->b = b;
    it->end = e;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    it->e = e;
    sp->pos = it->end + 1;
    return true;
}

void xlcfg__split_rest(xlcfg__split *sp, size_t at, xlcfg__item *it)
{
    it->b = at;
    it->end = it->e = sp->len;
    /* One trailing comma, as the reference's scanner drops it. */
    if (it->e > at && sp->spec[it->e - 1] == ',')
        it->e--;
    sp->pos = sp->len;
}
