/* The config model: sources, settings, and effective values (last
 * assignment wins, later `+=` applied). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

xlcfg_cfg *xlcfg_new(void)
{
    return calloc(1, sizeof(xlcfg_cfg));
}

static void reads_free(struct xlcfg__reads *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nother; i++)
        free(r->other[i]);
    free(r->other);
    free(r->known);
    free(r);
}

void xlcfg_free(xlcfg_cfg *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->nsettings; i++)
        xlcfg__setting_free(cfg->settings[i]);
    free(cfg->settings);
    /* Merged values borrow their items from the settings. */
    for (size_t i = 0; i < cfg->nmerged; i++)
        xlcfg__merged_free(cfg->merged[i]);
    free(cfg->merged);
    for (size_t i = 0; i < cfg->nsources; i++)
        xlcfg__source_dispose(&cfg->sources[i]);
    free(cfg->sources);
    for (size_t i = 0; i < cfg->nfailed; i++)
        free(cfg->failed_keys[i]);
    free(cfg->failed_keys);
    free(cfg->eff);
    xlcfg__kept_free(cfg);
    reads_free(cfg->reads);
    free(cfg);
}

static int keep_merged(xlcfg_cfg *cfg, xlcfg_value *v)
{
    xlcfg_value **nm =
        xlcfg__grow(cfg->merged, &cfg->capmerged, cfg->nmerged, sizeof(*nm), 8);

    if (!nm)
        return ENOMEM;
    cfg->merged = nm;
    cfg->merged[cfg->nmerged++] = v;
    return 0;
}

/* The value of settings[first..last] of one key: the base assignment with
 * the `+=` after it applied. Types were checked when they were read. */
static int merge(xlcfg_cfg *cfg, const size_t *idx, size_t n,
                 const xlcfg_value **r)
{
    size_t base = 0;
    const xlcfg_value *bv;
    xlcfg_value *m;
    size_t total = 0;

    for (size_t i = 0; i < n; i++)
        if (!cfg->settings[idx[i]]->append)
            base = i;
    bv = cfg->settings[idx[base]]->value;
    if (base == n - 1) {
        *r = bv;
        return 0;
    }
    m = calloc(1, sizeof(*m));
    if (!m)
        return ENOMEM;
    *m = *bv;
    m->text = NULL;
    m->items = NULL;
    m->nitems = 0;
    for (size_t i = base; i < n; i++) {
        const xlcfg_value *v = cfg->settings[idx[i]]->value;

        total += v->type == XLCFG_LIST ? v->nitems : strlen(v->text);
    }
    if (bv->type == XLCFG_LIST) {
        m->items = malloc((total ? total : 1) * sizeof(*m->items));
        if (!m->items)
            goto oom;
        for (size_t i = base; i < n; i++) {
            const xlcfg_value *v = cfg->settings[idx[i]]->value;

            if (!v->nitems) /* `vif += [ ]`: items may be NULL */
                continue;
            memcpy(m->items + m->nitems, v->items,
                   v->nitems * sizeof(*m->items));
            m->nitems += v->nitems;
        }
    } else {
        size_t len = 0;

        m->text = malloc(total + 1);
        if (!m->text)
            goto oom;
        for (size_t i = base; i < n; i++) {
            const xlcfg_value *v = cfg->settings[idx[i]]->value;
            size_t l = strlen(v->text);

            memcpy(m->text + len, v->text, l);
            len += l;
        }
        m->text[len] = '\0';
    }
    if (keep_merged(cfg, m))
        goto oom;
    *r = m;
    return 0;
oom:
    xlcfg__merged_free(m);
    return ENOMEM;
}

static int cmp_idx(const void *a, const void *b, void *arg)
{
    const xlcfg_cfg *cfg = arg;
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    int c = strcmp(cfg->settings[ia]->key, cfg->settings[ib]->key);

    if (c)
        return c;
    return ia < ib ? -1 : ia > ib;
}

/* Rebuild the sorted key -> effective value table. */
static int rebuild(xlcfg_cfg *cfg)
{
    size_t n = cfg->nsettings;
    size_t *idx = NULL;
    struct xlcfg__eff *eff = NULL;
    size_t neff = 0;
    int rc = ENOMEM;

    idx = malloc((n ? n : 1) * sizeof(*idx));
    eff = malloc((n ? n : 1) * sizeof(*eff));
    if (!idx || !eff)
        goto out;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof(*idx), cmp_idx, cfg);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        const char *key = cfg->settings[idx[i]]->key;

        while (j < n && strcmp(cfg->settings[idx[j]]->key, key) == 0)
            j++;
        eff[neff].key = key;
        eff[neff].setting = cfg->settings[idx[j - 1]];
        if (merge(cfg, idx + i, j - i, &eff[neff].value))
            goto out;
        neff++;
        i = j;
    }
    free(cfg->eff);
    cfg->eff = eff;
    cfg->neff = neff;
    eff = NULL;
    rc = 0;
out:
    free(idx);
    free(eff);
    return rc;
}

int xlcfg_read(xlcfg_cfg *cfg, const char *name, const char *data, size_t len,
               xlcfg_diags *d)
{
    xlcfg__source *ns;
    xlcfg__source *s;
    int rc, rc2;

    if (!cfg || (!data && len))
        return EINVAL;
    ns = realloc(cfg->sources, (cfg->nsources + 1) * sizeof(*ns));
    if (!ns)
        return ENOMEM;
    cfg->sources = ns;
    s = &ns[cfg->nsources];
    if (xlcfg__source_init(s, name, data, len))
        return ENOMEM;
    cfg->nsources++;
    xlcfg__kept_free(cfg); /* what validation kept is out of date */
    rc = xlcfg__parse(cfg, (unsigned)(cfg->nsources - 1), d);
    rc2 = rebuild(cfg);
    return rc == ENOMEM || rc2 ? ENOMEM : rc;
}

static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "a special file";
}

int xlcfg_read_file(xlcfg_cfg *cfg, const char *path, xlcfg_diags *d)
{
    xlcfg_loc loc = {.file = path};
    xlcfg__buf buf = {0};
    int fd = -1;
    int rc;
    struct stat st;

    /* O_NONBLOCK: a FIFO must not hang the open; only regular files are
     * read, up to XLCFG_FILE_MAX (a device like /dev/zero never ends). */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        rc = errno;
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "cannot open: %s",
                        strerror(rc));
        goto out;
    }
    if (fstat(fd, &st)) {
        rc = errno;
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "cannot read: %s",
                        strerror(rc));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = EISDIR;
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "cannot read: %s",
                        strerror(rc));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = ENOTSUP; /* not EINVAL, which means "read, with errors" */
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc,
                        "a config is read from a regular file only",
                        "not a regular file (%s)", file_kind(st.st_mode));
        goto out;
    }
    if (st.st_size > XLCFG_FILE_MAX) {
        rc = EFBIG;
        goto too_big;
    }
    for (;;) {
        ssize_t got;

        if (xlcfg__buf_reserve(&buf, 8192)) {
            rc = ENOMEM;
            goto out;
        }
        got = read(fd, buf.s + buf.len, buf.cap - buf.len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = errno;
            xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL, "cannot read: %s",
                            strerror(rc));
            goto out;
        }
        if (got == 0)
            break;
        buf.len += (size_t)got;
        if (buf.len > XLCFG_FILE_MAX) { /* it grew while we read */
            rc = EFBIG;
            goto too_big;
        }
    }
    rc = xlcfg_read(cfg, path, buf.s, buf.len, d);
    goto out;
too_big:
    xlcfg_diags_add(d, XLCFG_SEV_ERROR, &loc, NULL,
                    "larger than %d MiB: not a config file",
                    XLCFG_FILE_MAX >> 20);
out:
    if (fd >= 0)
        close(fd);
    xlcfg__buf_free(&buf);
    return rc;
}

size_t xlcfg_nsources(const xlcfg_cfg *cfg)
{
    return cfg->nsources;
}

const char *xlcfg_source_name(const xlcfg_cfg *cfg, unsigned source)
{
    return source < cfg->nsources ? cfg->sources[source].name : NULL;
}

const char *xlcfg_source_text(const xlcfg_cfg *cfg, unsigned source,
                              size_t *len_r)
{
    if (source >= cfg->nsources) {
        if (len_r)
            *len_r = 0;
        return NULL;
    }
    if (len_r)
        *len_r = cfg->sources[source].len;
    return cfg->sources[source].text;
}

size_t xlcfg_nsettings(const xlcfg_cfg *cfg)
{
    return cfg->nsettings;
}

const xlcfg_setting *xlcfg_setting_at(const xlcfg_cfg *cfg, size_t i)
{
    return i < cfg->nsettings ? cfg->settings[i] : NULL;
}

static int cmp_eff(const void *k, const void *e)
{
    return strcmp(k, ((const struct xlcfg__eff *)e)->key);
}

const struct xlcfg__eff *xlcfg__eff_find(const xlcfg_cfg *cfg, const char *key)
{
    if (!cfg || !key || !cfg->neff)
        return NULL;
    return bsearch(key, cfg->eff, cfg->neff, sizeof(*cfg->eff), cmp_eff);
}

const xlcfg_value *xlcfg_get(const xlcfg_cfg *cfg, const char *key)
{
    const struct xlcfg__eff *e = xlcfg__eff_find(cfg, key);

    xlcfg__note_read(cfg, key);
    return e ? e->value : NULL;
}

int xlcfg_key_loc(const xlcfg_cfg *cfg, const char *key, xlcfg_loc *loc_r)
{
    const struct xlcfg__eff *e = xlcfg__eff_find(cfg, key);

    memset(loc_r, 0, sizeof(*loc_r));
    if (!e || e->setting->source >= cfg->nsources)
        return ENOENT;
    xlcfg_setting_key_loc(cfg, e->setting, loc_r);
    return 0;
}

/* ------------------------------------------------------------------------
 * Read tracking
 */

int xlcfg_reads_reset(xlcfg_cfg *cfg)
{
    struct xlcfg__reads *r;

    if (!cfg)
        return EINVAL;
    r = calloc(1, sizeof(*r));
    if (!r)
        return ENOMEM;
    r->known = calloc(xlcfg_keys(NULL) + 1, 1);
    if (!r->known) {
        free(r);
        return ENOMEM;
    }
    reads_free(cfg->reads);
    cfg->reads = r;
    return 0;
}

void xlcfg__note_read(const xlcfg_cfg *cfg, const char *key)
{
    struct xlcfg__reads *r = cfg ? cfg->reads : NULL;
    size_t i;
    char **no, *copy;

    if (!r || !key)
        return;
    i = xlcfg__key_index(key);
    if (i != (size_t)-1) {
        r->known[i] = 1;
        return;
    }
    for (i = 0; i < r->nother; i++)
        if (strcmp(r->other[i], key) == 0)
            return;
    no = xlcfg__grow(r->other, &r->capother, r->nother, sizeof(*no), 8);
    copy = no ? strdup(key) : NULL;
    if (no)
        r->other = no;
    if (!copy) {
        r->err = ENOMEM;
        return;
    }
    r->other[r->nother++] = copy;
}

bool xlcfg_key_was_read(const xlcfg_cfg *cfg, const char *key)
{
    const struct xlcfg__reads *r = cfg ? cfg->reads : NULL;
    size_t i;

    if (!r || !key)
        return false;
    i = xlcfg__key_index(key);
    if (i != (size_t)-1)
        return r->known[i];
    for (i = 0; i < r->nother; i++)
        if (strcmp(r->other[i], key) == 0)
            return true;
    return false;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int xlcfg_reads_list(const xlcfg_cfg *cfg, const char ***names_r, size_t *n_r)
{
    const struct xlcfg__reads *r = cfg ? cfg->reads : NULL;
    const xlcfg_keyinfo *table;
    size_t nkeys = xlcfg_keys(&table), n = 0;
    const char **names;

    if (!r)
        return EINVAL;
    if (r->err)
        return r->err;
    names = calloc(nkeys + r->nother + 1, sizeof(*names));
    if (!names)
        return ENOMEM;
    for (size_t i = 0; i < nkeys; i++)
        if (r->known[i])
            names[n++] = table[i].name;
    for (size_t i = 0; i < r->nother; i++)
        names[n++] = r->other[i];
    qsort(names, n, sizeof(*names), cmp_name);
    *names_r = names;
    if (n_r)
        *n_r = n;
    return 0;
}

const char *xlcfg__line_start(const xlcfg_cfg *cfg, unsigned src, size_t off)
{
    const xlcfg__source *s;
    size_t start = off;

    if (src >= cfg->nsources)
        return NULL;
    s = &cfg->sources[src];
    if (start > s->len)
        start = s->len;
    while (start > 0 && s->text[start - 1] != '\n')
        start--;
    if (start == 0 && s->len >= 3 && memcmp(s->text, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    return s->text + start;
}

void xlcfg_value_loc(const xlcfg_cfg *cfg, const xlcfg_value *v,
                     xlcfg_loc *loc_r)
{
    memset(loc_r, 0, sizeof(*loc_r));
    if (!cfg || !v || v->source >= cfg->nsources)
        return;
    loc_r->file = cfg->sources[v->source].name;
    loc_r->line = v->span.line;
    loc_r->col = v->span.col + (v->type == XLCFG_STRING ? 1 : 0);
    loc_r->source_line = xlcfg__line_start(cfg, v->source, v->span.begin);
}

void xlcfg_setting_key_loc(const xlcfg_cfg *cfg, const xlcfg_setting *s,
                           xlcfg_loc *loc_r)
{
    memset(loc_r, 0, sizeof(*loc_r));
    if (!cfg || !s || s->source >= cfg->nsources)
        return;
    loc_r->file = cfg->sources[s->source].name;
    loc_r->line = s->key_span.line;
    loc_r->col = s->key_span.col;
    loc_r->source_line = xlcfg__line_start(cfg, s->source, s->key_span.begin);
}

bool xlcfg__key_failed(const xlcfg_cfg *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->nfailed; i++)
        if (strcmp(cfg->failed_keys[i], key) == 0)
            return true;
    return false;
}
