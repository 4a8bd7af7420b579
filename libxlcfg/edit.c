/* Lossless editing of one config source: patch bytes, re-read, repeat. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct xlcfg_edit {
    char *name;
    char *text;
    size_t len;
    xlcfg_cfg *cfg; /* text as parsed now */
};

/* Keys that belong together: a new key is inserted after the first of its
 * neighbours that is set (searched in order), so an edited file keeps its
 * natural grouping. */
static const struct {
    const char *key;
    const char *after[6];
} placement[] = {
    {"type", {"builder", "name"}},
    {"builder", {"type", "name"}},
    {"bootloader", {"type", "builder", "name"}},
    {"bootloader_args", {"bootloader"}},
    {"kernel", {"bootloader", "type", "builder", "name"}},
    {"ramdisk", {"kernel"}},
    {"cmdline", {"extra", "root", "ramdisk", "kernel"}},
    {"root", {"ramdisk", "kernel"}},
    {"extra", {"root", "ramdisk", "kernel"}},
    {"firmware", {"boot", "type", "builder"}},
    {"boot", {"firmware", "type", "builder"}},
    {"serial", {"boot", "firmware", "vif", "disk"}},
    {"vnc", {"serial", "sdl", "boot"}},
    {"sdl", {"vnc", "serial", "boot"}},
    {"nographic", {"sdl", "vnc", "serial"}},
    {"maxmem", {"memory"}},
    {"memory", {"maxmem", "name"}},
    {"vcpus", {"maxvcpus", "memory"}},
    {"maxvcpus", {"vcpus"}},
};

static int reparse(xlcfg_edit *e)
{
    xlcfg_cfg *cfg = xlcfg_new();

    if (!cfg)
        return ENOMEM;
    /* Syntax errors are the caller's to report before editing; the text
     * is re-read with them so that spans stay available. */
    if (xlcfg_read(cfg, e->name, e->text, e->len, NULL) == ENOMEM) {
        xlcfg_free(cfg);
        return ENOMEM;
    }
    xlcfg_free(e->cfg);
    e->cfg = cfg;
    return 0;
}

xlcfg_edit *xlcfg_edit_new(const xlcfg_cfg *cfg, unsigned source)
{
    xlcfg_edit *e = NULL;
    const char *text, *name;
    size_t len;

    if (source >= xlcfg_nsources(cfg))
        return NULL;
    text = xlcfg_source_text(cfg, source, &len);
    name = xlcfg_source_name(cfg, source);
    e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->name = strdup(name ? name : "");
    e->text = malloc(len + 1);
    if (!e->name || !e->text)
        goto fail;
    memcpy(e->text, text, len);
    e->text[len] = '\0';
    e->len = len;
    if (reparse(e))
        goto fail;
    return e;
fail:
    xlcfg_edit_free(e);
    return NULL;
}

void xlcfg_edit_free(xlcfg_edit *e)
{
    if (!e)
        return;
    xlcfg_free(e->cfg);
    free(e->name);
    free(e->text);
    free(e);
}

const char *xlcfg_edit_text(const xlcfg_edit *e, size_t *len_r)
{
    if (len_r)
        *len_r = e->len;
    return e->text;
}

const xlcfg_cfg *xlcfg_edit_cfg(const xlcfg_edit *e)
{
    return e->cfg;
}

/* Replace [begin, end) of the text with `rep` and re-read. */
static int patch(xlcfg_edit *e, size_t begin, size_t end, const char *rep)
{
    xlcfg__buf n = {0};

    xlcfg__buf_reserve(&n, e->len - (end - begin) + strlen(rep));
    xlcfg__buf_add(&n, e->text, begin);
    xlcfg__buf_str(&n, rep);
    xlcfg__buf_add(&n, e->text + end, e->len - end);
    if (n.err)
        return n.err;
    free(e->text);
    e->len = n.len;
    e->text = xlcfg__buf_take(&n);
    return reparse(e);
}

/* The quote this file uses most for plain string values (list items
 * count only when there are none); '"' on a tie. */
static char file_quote(const xlcfg_edit *e)
{
    size_t i, n = xlcfg_nsettings(e->cfg);
    long top = 0, items = 0;

    for (i = 0; i < n; i++) {
        const xlcfg_value *v = xlcfg_setting_at(e->cfg, i)->value;
        size_t j;

        if (!v)
            continue;
        if (v->type == XLCFG_STRING)
            top += v->quote == '\'' ? 1 : -1;
        for (j = 0; v->type == XLCFG_LIST && j < v->nitems; j++)
            if (v->items[j]->type == XLCFG_STRING)
                items += v->items[j]->quote == '\'' ? 1 : -1;
    }
    return (top ? top : items) > 0 ? '\'' : '"';
}

static void render_string(xlcfg__buf *b, const char *s, char quote)
{
    char q[2] = {quote, '\0'};

    /* Prefer the other quote to escaping, as a person would write it. */
    if (strchr(s, quote) && !strchr(s, quote == '"' ? '\'' : '"'))
        q[0] = quote == '"' ? '\'' : '"';
    xlcfg__buf_str(b, q);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];

        if (c == '\\' || c == (unsigned char)q[0]) {
            esc[0] = '\\';
            esc[1] = (char)c;
            xlcfg__buf_add(b, esc, 2);
        } else if (c == '\n') {
            xlcfg__buf_str(b, "\\n");
        } else if (c == '\t') {
            xlcfg__buf_str(b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            xlcfg__buf_str(b, esc);
        } else {
            xlcfg__buf_char(b, (char)c);
        }
    }
    xlcfg__buf_str(b, q);
}

/* The statements of `key` in the edited source, in order. */
static size_t key_settings(const xlcfg_edit *e, const char *key,
                           const xlcfg_setting **out, size_t max)
{
    size_t i, n = xlcfg_nsettings(e->cfg), k = 0;

    for (i = 0; i < n; i++) {
        const xlcfg_setting *s = xlcfg_setting_at(e->cfg, i);

        if (s->value && !strcmp(s->key, key) && k < max)
            out[k++] = s;
    }
    return k;
}

#define MAX_STMTS 256

/* Byte range to delete for a statement: its line when it stands alone
 * (with its trailing comment), else the statement and its terminator. */
static void stmt_extent(const xlcfg_edit *e, const xlcfg_setting *s,
                        size_t *begin_r, size_t *end_r)
{
    const char *t = e->text;
    size_t b = s->span.begin, end = s->span.end, ls = b;
    int alone_before = 1;

    while (ls > 0 && t[ls - 1] != '\n')
        ls--;
    for (size_t i = ls; i < b; i++)
        if (t[i] != ' ' && t[i] != '\t')
            alone_before = 0;
    while (end < e->len && (t[end] == ' ' || t[end] == '\t'))
        end++;
    if (end < e->len && t[end] == ';') {
        end++;
        while (end < e->len && (t[end] == ' ' || t[end] == '\t'))
            end++;
    }
    if (end < e->len && t[end] == '#')
        while (end < e->len && t[end] != '\n')
            end++;
    if (end < e->len && t[end] == '\r')
        end++;
    if (alone_before && (end >= e->len || t[end] == '\n')) {
        *begin_r = ls;
        *end_r = end < e->len ? end + 1 : end;
        return;
    }
    /* Something else shares the line: keep it and its layout. */
    if (!alone_before && (end >= e->len || t[end] == '\n'))
        while (b > ls && (t[b - 1] == ' ' || t[b - 1] == '\t'))
            b--;
    *begin_r = b;
    *end_r = end;
}

static int delete_stmt(xlcfg_edit *e, const xlcfg_setting *s)
{
    size_t b, end;

    stmt_extent(e, s, &b, &end);
    return patch(e, b, end, "");
}

/* Write "key = value", copying the spacing around '=' from `like` so a
 * new line matches the file's layout, aligned files ("kernel  = ")
 * included. */
static void new_line(const xlcfg_edit *e, const xlcfg_setting *like,
                     const char *key, const char *value, xlcfg__buf *b)
{
    size_t klen = strlen(key);

    xlcfg__buf_str(b, key);
    if (like) {
        const char *t = e->text;
        size_t kb = like->key_span.begin, ke = like->key_span.end;
        size_t vb = like->value->span.begin, eq = ke, pad;

        while (eq < vb && t[eq] != '=')
            eq++;
        if (eq > ke) {
            /* padded ("kernel  = "): put '=' in the same column, at
             * least one space; else the same spacing */
            if (eq - ke > 1) /* padded: align, or one space if too long */
                pad = eq - kb > klen ? eq - kb - klen : 1;
            else
                pad = eq - ke;
            while (pad--)
                xlcfg__buf_str(b, " ");
        }
        xlcfg__buf_str(b, "=");
        if (eq < vb)
            xlcfg__buf_add(b, t + eq + 1, vb - eq - 1);
    } else {
        xlcfg__buf_str(b, " = ");
    }
    xlcfg__buf_str(b, value);
}

static const xlcfg_setting *last_setting_of(const xlcfg_edit *e,
                                            const char *key)
{
    const xlcfg_setting *st[MAX_STMTS];
    size_t n = key_settings(e, key, st, MAX_STMTS);

    return n ? st[n - 1] : NULL;
}

/* Insert `key = value` on a line of its own after a related key, else at
 * the end of the text. */
/* The file's line ending, for the lines an edit inserts: CRLF when its
 * first line ends so, else LF. */
static const char *eol(const xlcfg_edit *e)
{
    const char *nl = e->len ? memchr(e->text, '\n', e->len) : NULL;

    return nl && nl > e->text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static int insert_new(xlcfg_edit *e, const char *key, const char *value)
{
    const xlcfg_setting *anchor = NULL, *like = NULL;
    xlcfg__buf b = {0};
    size_t at, i, n = xlcfg_nsettings(e->cfg);
    int rc;

    for (i = 0; !anchor && i < sizeof(placement) / sizeof(placement[0]); i++)
        if (!strcmp(placement[i].key, key))
            for (size_t j = 0; !anchor && placement[i].after[j]; j++)
                anchor = last_setting_of(e, placement[i].after[j]);
    for (i = 0; i < n; i++) {
        const xlcfg_setting *s = xlcfg_setting_at(e->cfg, i);

        if (s->value && s->source == 0)
            like = s; /* the last statement: layout model, default anchor */
    }
    if (!anchor)
        anchor = like;
    if (anchor) {
        size_t dummy;

        stmt_extent(e, anchor, &dummy, &at);
        /* stmt_extent stops after the newline only for lone statements. */
        while (at < e->len && e->text[at - 1] != '\n')
            at++;
    } else {
        at = e->len;
    }
    if (at > 0 && e->text[at - 1] != '\n')
        xlcfg__buf_str(&b, eol(e));
    new_line(e, anchor ? anchor : like, key, value, &b);
    xlcfg__buf_str(&b, eol(e));
    rc = b.err ? b.err : patch(e, at, at, b.s);
    xlcfg__buf_free(&b);
    return rc;
}

static int valid_key(const char *key)
{
    if (!key || !islower((unsigned char)*key))
        return 0;
    for (; *key; key++)
        if (!islower((unsigned char)*key) && !isdigit((unsigned char)*key) &&
            *key != '_' && *key != '.')
            return 0;
    return 1;
}

/* Set key to already-rendered value text. */
static int set_rendered(xlcfg_edit *e, const char *key, const char *value)
{
    const xlcfg_setting *st[MAX_STMTS];
    size_t n, i, last_assign = 0;
    int found = 0, rc;

    n = key_settings(e, key, st, MAX_STMTS);
    if (!n)
        return insert_new(e, key, value);
    for (i = 0; i < n; i++)
        if (!st[i]->append) {
            last_assign = i;
            found = 1;
        }
    /* Remove the += after the assignment we keep, last first so earlier
     * offsets stay valid; without any `=`, the first `+=` becomes it. */
    for (i = n; i-- > (found ? last_assign + 1 : 1);) {
        rc = delete_stmt(e, st[i]);
        if (rc)
            return rc;
        n = key_settings(e, key, st, MAX_STMTS);
    }
    if (found) {
        const xlcfg_setting *s = st[last_assign];

        return patch(e, s->value->span.begin, s->value->span.end, value);
    }
    {
        xlcfg__buf b = {0};
        const xlcfg_setting *s = st[0];

        /* "key += v" -> "key = value", keeping the spacing around. */
        xlcfg__buf_str(&b, key);
        xlcfg__buf_add(&b, e->text + s->key_span.end,
                       s->value->span.begin - s->key_span.end);
        xlcfg__buf_str(&b, value);
        if (b.err) {
            rc = b.err;
            xlcfg__buf_free(&b);
            return rc;
        }
        for (char *p = b.s + strlen(key); *p; p++)
            if (*p == '+') {
                memmove(p, p + 1, strlen(p));
                break;
            }
        rc = patch(e, s->key_span.begin, s->value->span.end, b.s);
        xlcfg__buf_free(&b);
        return rc;
    }
}

int xlcfg_edit_set(xlcfg_edit *e, const char *key, const char *value_text,
                   xlcfg_diags *d)
{
    xlcfg_cfg *probe = NULL;
    char *stmt = NULL;
    int rc;

    if (!valid_key(key)) {
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, NULL,
                        "keys are lowercase letters, digits, '_' and '.'",
                        "invalid key '%s'", key ? key : "");
        return EINVAL;
    }
    /* The value must be exactly one value in config syntax. */
    if (asprintf(&stmt, "%s = %s\n", key, value_text) < 0)
        return ENOMEM;
    probe = xlcfg_new();
    if (!probe) {
        rc = ENOMEM;
        goto out;
    }
    rc = xlcfg_read(probe, "<value>", stmt, strlen(stmt), d);
    if (!rc && xlcfg_nsettings(probe) != 1) {
        xlcfg_diags_add(d, XLCFG_SEV_ERROR, NULL, NULL,
                        "'%s' is not a single value", value_text);
        rc = EINVAL;
    }
    if (!rc)
        rc = set_rendered(e, key, value_text);
out:
    xlcfg_free(probe);
    free(stmt);
    return rc;
}

static char quote_for(const xlcfg_edit *e, const char *key)
{
    const xlcfg_setting *s = last_setting_of(e, key);

    if (s && s->value->type == XLCFG_STRING)
        return s->value->quote;
    if (s && s->value->type == XLCFG_LIST && s->value->nitems &&
        s->value->items[0]->type == XLCFG_STRING)
        return s->value->items[0]->quote;
    return file_quote(e);
}

int xlcfg_edit_set_string(xlcfg_edit *e, const char *key, const char *s)
{
    xlcfg__buf b = {0};
    int rc;

    if (!valid_key(key))
        return EINVAL;
    render_string(&b, s, quote_for(e, key));
    rc = b.err ? b.err : set_rendered(e, key, b.s);
    xlcfg__buf_free(&b);
    return rc;
}

int xlcfg_edit_set_number(xlcfg_edit *e, const char *key, long long n)
{
    char num[32];

    if (!valid_key(key) || n < 0)
        return EINVAL;
    snprintf(num, sizeof(num), "%lld", n);
    return set_rendered(e, key, num);
}

/* Render a list in the layout of the list it replaces: one item per line
 * with its indentation if that one spanned lines, else its spacing inside
 * the brackets and between items. */
static void render_list(const xlcfg_edit *e, const char *key,
                        const char *const *items, size_t n, xlcfg__buf *b)
{
    const xlcfg_setting *s = last_setting_of(e, key);
    const xlcfg_value *v = s ? s->value : NULL;
    char q = quote_for(e, key);
    int multiline = 0;
    char indent[32] = "    ", open[8] = "[ ", close[8] = " ]";
    char sep[8] = ", ";

    if (v && v->type == XLCFG_LIST && v->nitems) {
        const xlcfg_value *first = v->items[0];
        const xlcfg_value *last = v->items[v->nitems - 1];
        const char *t = e->text;

        if (first->span.line != v->span.line) {
            size_t ls = first->span.begin, k = 0;

            multiline = 1;
            while (ls > 0 && t[ls - 1] != '\n')
                ls--;
            while (ls + k < first->span.begin && k < sizeof(indent) - 1 &&
                   (t[ls + k] == ' ' || t[ls + k] == '\t')) {
                indent[k] = t[ls + k];
                k++;
            }
            indent[k] = '\0';
        } else if (last->span.line == v->span.line) {
            size_t ol = first->span.begin - v->span.begin;
            size_t cl = v->span.end - last->span.end;

            /* "[ " / "[" and " ]" / "]" / ",]" exactly as written */
            if (ol < sizeof(open) && cl < sizeof(close)) {
                memcpy(open, t + v->span.begin, ol);
                open[ol] = '\0';
                memcpy(close, t + last->span.end, cl);
                close[cl] = '\0';
            }
            if (v->nitems > 1) {
                size_t sl = v->items[1]->span.begin - first->span.end;

                if (sl < sizeof(sep)) {
                    memcpy(sep, t + first->span.end, sl);
                    sep[sl] = '\0';
                }
            }
        }
    }
    xlcfg__buf_str(b, multiline ? "[\n" : open);
    for (size_t i = 0; i < n; i++) {
        if (multiline)
            xlcfg__buf_str(b, indent);
        render_string(b, items[i], q);
        if (multiline)
            xlcfg__buf_str(b, ",\n");
        else if (i + 1 < n)
            xlcfg__buf_str(b, sep);
    }
    xlcfg__buf_str(b, multiline ? "]" : (n ? close : "]"));
}

int xlcfg_edit_set_strlist(xlcfg_edit *e, const char *key,
                           const char *const *items, size_t n)
{
    xlcfg__buf b = {0};
    int rc;

    if (!valid_key(key))
        return EINVAL;
    render_list(e, key, items, n, &b);
    rc = b.err ? b.err : set_rendered(e, key, b.s);
    xlcfg__buf_free(&b);
    return rc;
}

int xlcfg_edit_unset(xlcfg_edit *e, const char *key)
{
    const xlcfg_setting *st[MAX_STMTS];
    size_t n = key_settings(e, key, st, MAX_STMTS);
    int rc;

    if (!n)
        return ENOENT;
    while (n) {
        /* Last first, so the spans of earlier statements stay valid. */
        rc = delete_stmt(e, st[n - 1]);
        if (rc)
            return rc;
        n = key_settings(e, key, st, MAX_STMTS);
    }
    return 0;
}

int xlcfg_edit_append(xlcfg_edit *e, const char *key, const char *item)
{
    const xlcfg_setting *s = last_setting_of(e, key);
    const xlcfg_value *v = xlcfg_get(e->cfg, key);
    const char **items = NULL;
    size_t n = 0;
    int rc;

    if (!valid_key(key))
        return EINVAL;
    if (v && v->type != XLCFG_LIST)
        return EINVAL;
    if (s && !s->append && s->value->type == XLCFG_LIST) {
        const xlcfg_value *l = s->value;
        xlcfg__buf b = {0};
        size_t at;

        /* Insert before the closing bracket, keeping the list's layout. */
        if (l->nitems) {
            const xlcfg_value *last = l->items[l->nitems - 1];
            size_t ls = last->span.begin;

            at = last->span.end;
            if (last->span.line != l->span.line) {
                while (ls > 0 && e->text[ls - 1] != '\n')
                    ls--;
                /* after the item's trailing comma, if any */
                while (at < l->span.end && e->text[at] != ',' &&
                       e->text[at] != '\n' && e->text[at] != ']')
                    at++;
                if (e->text[at] != ',')
                    xlcfg__buf_str(&b, ",");
                else
                    at++;
                xlcfg__buf_str(&b, eol(e));
                xlcfg__buf_add(&b, e->text + ls, last->span.begin - ls);
                render_string(&b, item, last->quote ? last->quote : '"');
                if (e->text[at - 1] == ',')
                    xlcfg__buf_str(&b, ",");
            } else {
                xlcfg__buf_str(&b, ", ");
                render_string(&b, item, last->quote ? last->quote : '"');
            }
        } else {
            at = l->span.begin + 1;
            render_string(&b, item, quote_for(e, key));
        }
        rc = b.err ? b.err : patch(e, at, at, b.s);
        xlcfg__buf_free(&b);
        return rc;
    }
    /* No plain list assignment to extend: write the whole list. */
    items = calloc((v ? v->nitems : 0) + 1, sizeof(*items));
    if (!items)
        return ENOMEM;
    for (size_t i = 0; v && i < v->nitems; i++)
        if (v->items[i]->type == XLCFG_STRING)
            items[n++] = v->items[i]->text;
    items[n++] = item;
    rc = xlcfg_edit_set_strlist(e, key, items, n);
    free(items);
    return rc;
}

/* Comment out one statement: prefix its lines, or, when it shares a line
 * with another statement, move it commented to a line of its own just
 * after that line. */
static int comment_one(xlcfg_edit *e, const xlcfg_setting *s,
                       const char *prefix)
{
    xlcfg__buf out = {0};
    size_t b, end, i, at;
    int rc;

    stmt_extent(e, s, &b, &end);
    if (b == 0 || e->text[b - 1] == '\n') {
        xlcfg__buf_str(&out, prefix);
        for (i = b; i < end; i++) {
            xlcfg__buf_add(&out, e->text + i, 1);
            if (e->text[i] == '\n' && i + 1 < end)
                xlcfg__buf_str(&out, prefix);
        }
        rc = out.err ? out.err : patch(e, b, end, out.s);
        xlcfg__buf_free(&out);
        return rc;
    }
    xlcfg__buf_str(&out, prefix);
    xlcfg__buf_add(&out, e->text + s->span.begin, s->span.end - s->span.begin);
    xlcfg__buf_str(&out, eol(e));
    if (out.err) {
        rc = out.err;
        xlcfg__buf_free(&out);
        return rc;
    }
    /* where the line ends once the statement is gone */
    for (at = end; at < e->len && e->text[at] != '\n'; at++)
        ;
    at = at - (end - b);
    rc = patch(e, b, end, "");
    if (!rc && at >= e->len) {
        rc = patch(e, e->len, e->len, eol(e));
        at = e->len;
    } else if (!rc) {
        at++; /* after the '\n' */
    }
    if (!rc)
        rc = patch(e, at, at, out.s);
    xlcfg__buf_free(&out);
    return rc;
}

int xlcfg_edit_comment_out(xlcfg_edit *e, const char *key, const char *prefix)
{
    const xlcfg_setting *st[MAX_STMTS];
    size_t n = key_settings(e, key, st, MAX_STMTS);
    int rc;

    if (!n)
        return ENOENT;
    /* Each pass comments the last statement, which then stops being one. */
    for (; n; n = key_settings(e, key, st, MAX_STMTS)) {
        rc = comment_one(e, st[n - 1], prefix);
        if (rc)
            return rc;
    }
    return 0;
}

/* The key of a commented statement "PREFIX key = ..." at text[p]. */
static int commented_key(const char *p, const char *end, char *key, size_t size)
{
    size_t k = 0;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (p < end && k + 1 < size &&
           (islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
            *p == '_' || *p == '.'))
        key[k++] = *p++;
    key[k] = '\0';
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return k > 0 && p < end && (*p == '=' || (*p == '+' && p[1] == '='));
}

int xlcfg_edit_uncomment(xlcfg_edit *e, const char *key, const char *prefix,
                         size_t *n_r)
{
    size_t plen = strlen(prefix), restored = 0, pos = 0;
    int rc = 0;

    while (pos < e->len && !rc) {
        const char *line = e->text + pos;
        const char *nl = memchr(line, '\n', e->len - pos);
        size_t llen = nl ? (size_t)(nl - line) + 1 : e->len - pos;
        char k[64];

        if (llen >= plen && !memcmp(line, prefix, plen) &&
            commented_key(line + plen, line + llen, k, sizeof(k)) &&
            (!key || !strcmp(k, key)) && !xlcfg_get(e->cfg, k)) {
            /* Strip the prefix from this line and from the continuation
             * lines of the same statement (a multi-line list). */
            size_t at = pos, depth = 0;
            int first = 1;

            do {
                const char *l = e->text + at;
                const char *lnl;
                size_t ll;

                if (!first && (e->len - at < plen || memcmp(l, prefix, plen)))
                    break;
                rc = patch(e, at, at + plen, "");
                if (rc)
                    break;
                l = e->text + at;
                lnl = memchr(l, '\n', e->len - at);
                ll = lnl ? (size_t)(lnl - l) + 1 : e->len - at;
                for (size_t i = 0; i < ll; i++) {
                    if (l[i] == '[')
                        depth++;
                    else if (l[i] == ']' && depth)
                        depth--;
                    else if (l[i] == '#')
                        break;
                }
                at += ll;
                first = 0;
            } while (depth && at < e->len);
            restored++;
            pos = at;
            continue;
        }
        pos += llen;
    }
    if (n_r)
        *n_r = restored;
    return rc;
}
