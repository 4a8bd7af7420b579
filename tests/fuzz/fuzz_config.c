/* fuzz_config.c: libFuzzer target for the config reader and validator. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Spans must stay inside the source and be ordered: the editor rewrites
 * files from them. */
static void check_value(const xlcfg_value *v, size_t len, unsigned nsrc)
{
    if (v->span.begin > v->span.end || v->span.end > len || v->span.line < 1 ||
        v->span.col < 1 || v->source >= nsrc)
        abort();
    if (v->type != XLCFG_LIST && !v->text)
        abort();
    for (size_t i = 0; v->type == XLCFG_LIST && i < v->nitems; i++) {
        if (v->items[i]->span.begin < v->span.begin ||
            v->items[i]->span.end > v->span.end)
            abort();
        check_value(v->items[i], len, nsrc);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlcfg_cfg *cfg = xlcfg_new();
    xlcfg_diags *d = xlcfg_diags_new();
    char *text, *json;
    int rc;

    if (!cfg || !d)
        abort();
    rc = xlcfg_read(cfg, "fuzz.cfg", (const char *)data, size, d);
    if (rc != 0 && rc != EINVAL)
        abort();
    if ((rc == 0) != (xlcfg_diags_errors(d) == 0))
        abort();
    for (size_t i = 0; i < xlcfg_nsettings(cfg); i++) {
        const xlcfg_setting *s = xlcfg_setting_at(cfg, i);

        if (!xlcfg_get(cfg, s->key) || s->key_span.end > s->span.end)
            abort();
        check_value(s->value, size, 1);
    }
    xlcfg_validate(cfg, d);
    text = xlcfg_diags_format(d);
    json = xlcfg_diags_format_json(d);
    if (!text || !json)
        abort();
    free(text);
    free(json);
    xlcfg_diags_free(d);
    xlcfg_free(cfg);
    return 0;
}
