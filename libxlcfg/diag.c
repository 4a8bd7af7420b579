/* Diagnostics: a capped list of located messages and its renderings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

xlcfg_diags *xlcfg_diags_new(void)
{
    return calloc(1, sizeof(xlcfg_diags));
}

static void diag_dispose(xlcfg_diag *g)
{
    xlcfg__free_const(g->file);
    xlcfg__free_const(g->message);
    xlcfg__free_const(g->hint);
    xlcfg__free_const(g->source_line);
}

void xlcfg_diags_free(xlcfg_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        diag_dispose(&d->v[i]);
    free(d->v);
    free(d);
}

size_t xlcfg_diags_count(const xlcfg_diags *d)
{
    return d ? d->n : 0;
}

const xlcfg_diag *xlcfg_diags_get(const xlcfg_diags *d, size_t i)
{
    if (!d || i >= d->n)
        return NULL;
    return &d->v[i];
}

size_t xlcfg_diags_errors(const xlcfg_diags *d)
{
    return d ? d->count[XLCFG_SEV_ERROR] : 0;
}

size_t xlcfg_diags_warnings(const xlcfg_diags *d)
{
    return d ? d->count[XLCFG_SEV_WARNING] : 0;
}

static char *dup_or_null(const char *s, int *fail)
{
    char *r;

    if (!s)
        return NULL;
    r = strdup(s);
    if (!r)
        *fail = 1;
    return r;
}

/* Copy one source line: up to '\n' or NUL, without a CR of CRLF. */
static char *dup_line(const char *s, int *fail)
{
    size_t n = 0;
    char *r;

    if (!s)
        return NULL;
    while (s[n] && s[n] != '\n')
        n++;
    if (n && s[n - 1] == '\r')
        n--;
    r = strndup(s, n);
    if (!r)
        *fail = 1;
    return r;
}

/* A message quoting a huge token is cut to MESSAGE_MAX bytes (whole UTF-8
 * characters), ending in "...". */
#define MESSAGE_MAX 400

static void cut_message(char *m)
{
    size_t n = strlen(m);

    if (n <= MESSAGE_MAX)
        return;
    n = MESSAGE_MAX - 3;
    while (n > 0 && ((unsigned char)m[n] & 0xc0) == 0x80)
        n--;
    memcpy(m + n, "...", 4);
}

static int push(xlcfg_diags *d, xlcfg_severity sev, const xlcfg_loc *loc,
                const char *hint, char *message)
{
    xlcfg_diag g = {0};
    xlcfg_diag *nv = xlcfg__grow(d->v, &d->cap, d->n, sizeof(*nv), 8);
    int fail = 0;

    if (!nv) {
        free(message);
        return ENOMEM;
    }
    d->v = nv;
    g.severity = sev;
    cut_message(message);
    g.message = message;
    if (loc) {
        g.file = dup_or_null(loc->file, &fail);
        g.line = loc->line;
        g.col = loc->line ? loc->col : 0;
        if (loc->line)
            g.source_line = dup_line(loc->source_line, &fail);
    }
    g.hint = dup_or_null(hint, &fail);
    if (fail) {
        diag_dispose(&g);
        return ENOMEM;
    }
    d->v[d->n++] = g;
    d->count[sev]++;
    return 0;
}

int xlcfg__diags_addv(xlcfg_diags *d, xlcfg_severity sev, const xlcfg_loc *loc,
                      const char *hint, const char *fmt, va_list ap)
{
    char *message = NULL;
    static const char *const what[] = {"errors", "warnings", "notes"};

    if (!d)
        return 0;
    if ((unsigned)sev > XLCFG_SEV_NOTE)
        return EINVAL;
    if (d->count[sev] >= XLCFG_DIAG_MAX) {
        xlcfg_loc at = {0};

        /* Only the first overflow leaves a trace: one note per severity. */
        if (d->suppressed[sev])
            return 0;
        d->suppressed[sev] = true;
        if (loc)
            at.file = loc->file;
        if (asprintf(&message, "too many %s; further %s suppressed", what[sev],
                     what[sev]) < 0)
            return ENOMEM;
        /* The note itself must not count against the note cap. */
        if (push(d, XLCFG_SEV_NOTE, &at, NULL, message))
            return ENOMEM;
        d->count[XLCFG_SEV_NOTE]--;
        return 0;
    }
    if (vasprintf(&message, fmt, ap) < 0)
        return ENOMEM;
    return push(d, sev, loc, hint, message);
}

int xlcfg_diags_add(xlcfg_diags *d, xlcfg_severity sev, const xlcfg_loc *loc,
                    const char *hint, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = xlcfg__diags_addv(d, sev, loc, hint, fmt, ap);
    va_end(ap);
    return rc;
}

static const char *sev_name(xlcfg_severity sev)
{
    switch (sev) {
    case XLCFG_SEV_ERROR:
        return "error";
    case XLCFG_SEV_WARNING:
        return "warning";
    case XLCFG_SEV_NOTE:
        return "note";
    }
    return "error";
}

static void put_prefix(xlcfg__buf *b, const xlcfg_diag *g, const char *sev)
{
    if (g->file) {
        xlcfg__buf_str(b, g->file);
        xlcfg__buf_str(b, ":");
    }
    if (g->line) {
        xlcfg__buf_printf(b, "%u", g->line);
        xlcfg__buf_str(b, ":");
        if (g->col) {
            xlcfg__buf_printf(b, "%u", g->col);
            xlcfg__buf_str(b, ":");
        }
    }
    if (g->file || g->line)
        xlcfg__buf_str(b, " ");
    xlcfg__buf_str(b, sev);
    xlcfg__buf_str(b, ": ");
}

/* The caret line: tabs are copied so the caret lines up under a tab-indented
 * source line; one space per UTF-8 character otherwise. */
static void put_caret(xlcfg__buf *b, const char *line, unsigned col)
{
    size_t len = strlen(line);

    xlcfg__buf_str(b, " ");
    for (size_t i = 0; i + 1 < col && i < len; i++) {
        unsigned char c = (unsigned char)line[i];

        if (c == '\t')
            xlcfg__buf_str(b, "\t");
        else if ((c & 0xc0) != 0x80)
            xlcfg__buf_str(b, " ");
    }
    /* A column past the end (e.g. a missing value at end of line). */
    for (size_t i = len; i + 1 < col; i++)
        xlcfg__buf_str(b, " ");
    xlcfg__buf_str(b, "^\n");
}

/* A long source line (a huge token, a minified file) is shown as a window
 * of about EXCERPT_MAX bytes around the column, "..." marking each cut, so
 * one bad line cannot flood stderr. */
#define EXCERPT_MAX 160

static void put_excerpt(xlcfg__buf *b, const char *line, unsigned col)
{
    size_t len = strlen(line), start = 0, end = len;
    size_t at = col ? col - 1 : 0;
    char *shown = NULL;
    xlcfg__buf w = {0};

    if (len <= EXCERPT_MAX) {
        xlcfg__buf_str(b, " ");
        xlcfg__buf_str(b, line);
        xlcfg__buf_str(b, "\n");
        if (col)
            put_caret(b, line, col);
        return;
    }
    if (at > len)
        at = len;
    start = at > EXCERPT_MAX / 2 ? at - EXCERPT_MAX / 2 : 0;
    end = start + EXCERPT_MAX < len ? start + EXCERPT_MAX : len;
    /* whole UTF-8 characters only */
    while (start > 0 && ((unsigned char)line[start] & 0xc0) == 0x80)
        start--;
    while (end < len && ((unsigned char)line[end] & 0xc0) == 0x80)
        end++;
    if (start)
        xlcfg__buf_str(&w, "...");
    xlcfg__buf_add(&w, line + start, end - start);
    if (end < len)
        xlcfg__buf_str(&w, "...");
    shown = xlcfg__buf_take(&w);
    if (!shown)
        return; /* out of memory: the message line alone */
    xlcfg__buf_str(b, " ");
    xlcfg__buf_str(b, shown);
    xlcfg__buf_str(b, "\n");
    if (col)
        put_caret(b, shown, (unsigned)(at - start + (start ? 3 : 0) + 1));
    free(shown);
}

char *xlcfg_diags_format(const xlcfg_diags *d)
{
    xlcfg__buf b = {0};

    for (size_t i = 0; d && i < d->n; i++) {
        const xlcfg_diag *g = &d->v[i];

        put_prefix(&b, g, sev_name(g->severity));
        xlcfg__buf_str(&b, g->message);
        xlcfg__buf_str(&b, "\n");
        if (g->source_line && g->line)
            put_excerpt(&b, g->source_line, g->col);
        if (g->hint) {
            put_prefix(&b, g, "note");
            xlcfg__buf_str(&b, g->hint);
            xlcfg__buf_str(&b, "\n");
        }
    }
    return xlcfg__buf_take(&b);
}

/* Length of the valid UTF-8 sequence at s, or 0 (overlongs, surrogates
 * and values above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned long cp;

    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static void put_json_string(xlcfg__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";

    if (!s) {
        xlcfg__buf_str(b, "null");
        return;
    }
    xlcfg__buf_str(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[7] = "\\u00";

        switch (c) {
        case '"':
            xlcfg__buf_str(b, "\\\"");
            break;
        case '\\':
            xlcfg__buf_str(b, "\\\\");
            break;
        case '\n':
            xlcfg__buf_str(b, "\\n");
            break;
        case '\t':
            xlcfg__buf_str(b, "\\t");
            break;
        case '\r':
            xlcfg__buf_str(b, "\\r");
            break;
        default:
            if (c >= 0x80 && utf8_len((const unsigned char *)s)) {
                /* Valid UTF-8 goes through as is. */
                size_t n = utf8_len((const unsigned char *)s);

                xlcfg__buf_add(b, s, n);
                s += n - 1;
            } else if (c < 0x20 || c >= 0x7f) {
                /* Control bytes, and stray bytes read as Latin-1, so the
                 * output is always valid JSON. */
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                esc[6] = '\0';
                xlcfg__buf_str(b, esc);
            } else {
                xlcfg__buf_add(b, (const char *)&c, 1);
            }
        }
    }
    xlcfg__buf_str(b, "\"");
}

char *xlcfg_json_string(const char *s)
{
    xlcfg__buf b = {0};

    put_json_string(&b, s ? s : "");
    return xlcfg__buf_take(&b);
}

char *xlcfg_diags_format_json(const xlcfg_diags *d)
{
    xlcfg__buf b = {0};

    xlcfg__buf_str(&b, "[");
    for (size_t i = 0; d && i < d->n; i++) {
        const xlcfg_diag *g = &d->v[i];

        xlcfg__buf_str(&b, i ? ",{\"file\":" : "{\"file\":");
        put_json_string(&b, g->file);
        xlcfg__buf_str(&b, ",\"line\":");
        xlcfg__buf_printf(&b, "%u", g->line);
        xlcfg__buf_str(&b, ",\"col\":");
        xlcfg__buf_printf(&b, "%u", g->col);
        xlcfg__buf_str(&b, ",\"severity\":");
        put_json_string(&b, sev_name(g->severity));
        xlcfg__buf_str(&b, ",\"message\":");
        put_json_string(&b, g->message);
        xlcfg__buf_str(&b, ",\"hint\":");
        put_json_string(&b, g->hint);
        xlcfg__buf_str(&b, "}");
    }
    xlcfg__buf_str(&b, "]");
    return xlcfg__buf_take(&b);
}
