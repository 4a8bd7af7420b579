/* The xl.cfg parser: statements into settings, with xm-era Python explained
 * precisely and error recovery at statement boundaries. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"

#define XLCFG__MAX_NESTING 64

typedef struct parser {
    xlcfg__lexer lx;
    xlcfg__token tok;
    bool after_newline; /* tok is the first token of its line */
    unsigned depth;     /* '[' open around the current token */
    xlcfg_cfg *cfg;
    unsigned src;
    xlcfg_diags *d;
    unsigned nerrors;
    bool oom;
} parser;

static void advance(parser *p)
{
    p->after_newline = p->tok.type == XLCFG_T_NEWLINE;
    free(p->tok.text);
    xlcfg__lex_next(&p->lx, &p->tok);
}

/* The token after the current one, lexed silently and forgotten. */
static xlcfg__tok peek(const parser *p)
{
    xlcfg__lexer copy = p->lx;
    xlcfg__token t;

    copy.diags = NULL;
    xlcfg__lex_next(&copy, &t);
    free(t.text);
    return t.type;
}

static void perr_at(parser *p, unsigned line, size_t off, const char *hint,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void perr_at(parser *p, unsigned line, size_t off, const char *hint,
                    const char *fmt, ...)
{
    xlcfg_loc loc;
    va_list ap;

    p->nerrors++;
    xlcfg__lex_loc(&p->lx, line, off, &loc);
    va_start(ap, fmt);
    if (xlcfg__diags_addv(p->d, XLCFG_SEV_ERROR, &loc, hint, fmt, ap))
        p->oom = true;
    va_end(ap);
}

#define perr(p, hint, ...)                                                     \
    perr_at((p), (p)->tok.span.line, (p)->tok.span.begin, (hint), __VA_ARGS__)

static const char *tok_text(const parser *p, const xlcfg__token *t, int *len_r)
{
    *len_r = (int)(t->span.end - t->span.begin);
    return p->lx.data + t->span.begin;
}

/* Skip the rest of a broken statement: up to a newline or ';' outside any
 * bracket, or to a line that starts a new `key =` while a list is still
 * open (a missing ']' must not swallow the file). */
static void recover(parser *p)
{
    int depth = (int)p->depth;

    for (;;) {
        switch (p->tok.type) {
        case XLCFG_T_EOF:
            return;
        case XLCFG_T_NEWLINE:
        case XLCFG_T_SEMI:
            if (depth <= 0)
                return;
            break;
        case XLCFG_T_LBRACK:
        case XLCFG_T_LPAREN:
        case XLCFG_T_LBRACE:
            depth++;
            break;
        case XLCFG_T_RBRACK:
        case XLCFG_T_RPAREN:
        case XLCFG_T_RBRACE:
            depth--;
            break;
        case XLCFG_T_WORD:
            if (p->after_newline && depth > 0) {
                xlcfg__tok n = peek(p);

                if (n == XLCFG_T_ASSIGN || n == XLCFG_T_APPEND)
                    return;
            }
            break;
        default:
            break;
        }
        advance(p);
    }
}

static bool is_python_keyword(const char *s, int n)
{
    static const char *const kw[] = {
        "import", "from",  "def",    "if",   "elif",   "else",
        "for",    "while", "print",  "try",  "except", "return",
        "class",  "with",  "global", "pass", "del",    "lambda",
    };

    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if ((int)strlen(kw[i]) == n && memcmp(kw[i], s, (size_t)n) == 0)
            return true;
    return false;
}

static bool valid_key(const char *s, int n)
{
    if (n < 1 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (int i = 1; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_'))
            return false;
    }
    return true;
}

static xlcfg_value *new_value(parser *p, xlcfg_type type)
{
    xlcfg_value *v = xlcfg__value_new(type, &p->tok.span, p->src);

    if (!v)
        p->oom = true;
    return v;
}

/* The extent of an unquoted word as a user would see it, e.g. my-vm or
 * /boot/vmlinuz, to suggest the quoted form. */
static size_t bare_extent(const parser *p, size_t begin)
{
    const char *s = p->lx.data;
    size_t i = begin;

    while (i < p->lx.len && !strchr(" \t\r\n,;[]()#'\"", s[i]) && s[i] != '\0')
        i++;
    return i - begin;
}

static void explain_word_value(parser *p)
{
    int n;
    const char *w = tok_text(p, &p->tok, &n);
    char hint[160];

    if (n == 4 && memcmp(w, "True", 4) == 0) {
        perr(p, "write 1 for true", "'True' is Python, not an xl.cfg value");
    } else if (n == 5 && memcmp(w, "False", 5) == 0) {
        perr(p, "write 0 for false", "'False' is Python, not an xl.cfg value");
    } else if (n == 4 && memcmp(w, "None", 4) == 0) {
        perr(p, "leave the key out to get its default",
             "'None' is Python, not an xl.cfg value");
    } else if (peek(p) == XLCFG_T_LPAREN) {
        perr(p, "this looks like Python; configs are data, not code",
             "function call '%.*s()' is not supported", n, w);
    } else {
        size_t ext = bare_extent(p, p->tok.span.begin);

        if (ext > 64)
            ext = 64;
        snprintf(hint, sizeof(hint), "strings must be quoted: '%.*s'", (int)ext,
                 w);
        perr(p, hint, "unquoted word '%.*s'", n, w);
    }
}

/* Report why the current token cannot start a value. */
static void explain_bad_value(parser *p)
{
    int n;
    const char *w = tok_text(p, &p->tok, &n);

    switch (p->tok.type) {
    case XLCFG_T_WORD:
        explain_word_value(p);
        break;
    case XLCFG_T_MINUS:
        if (peek(p) == XLCFG_T_NUMBER || peek(p) == XLCFG_T_DECIMAL)
            perr(p, "xl.cfg numbers are whole numbers of 0 or more",
                 "negative numbers are not supported");
        else
            perr(p, NULL, "expected a value, found '-'");
        break;
    case XLCFG_T_DECIMAL:
        perr(p, "use a whole number (memory sizes are in MiB)",
             "decimal number '%.*s' is not supported", n, w);
        break;
    case XLCFG_T_BADNUM:
        perr(p,
             "numbers are decimal digits or 0x and hex digits; "
             "quote the value if it is a string",
             "invalid number '%.*s'", n, w);
        break;
    case XLCFG_T_LPAREN:
        perr(p, "use a list: [ ... ]", "tuples are not supported");
        break;
    case XLCFG_T_LBRACE:
        perr(p, "write a list of 'key=value' strings instead",
             "dicts are not supported");
        break;
    case XLCFG_T_BACKSLASH:
        perr(p,
             "lists may span lines without it; a string must end on its "
             "line",
             "line continuation '\\' is not supported");
        break;
    case XLCFG_T_NEWLINE:
    case XLCFG_T_EOF:
    case XLCFG_T_SEMI:
        perr(p, NULL, "missing value");
        break;
    case XLCFG_T_ERROR:
        break; /* the lexer said why */
    default:
        perr(p, NULL, "expected a value, found %s",
             xlcfg__tok_name(p->tok.type));
        break;
    }
}

static xlcfg_value *parse_value(parser *p);

static xlcfg_value *parse_list(parser *p)
{
    xlcfg_value *list = new_value(p, XLCFG_LIST);
    xlcfg__token open = p->tok;

    if (!list)
        return NULL;
    /* Bounded recursion: no real config nests lists more than twice. */
    if (p->depth >= XLCFG__MAX_NESTING) {
        perr(p, NULL, "lists nested more than %d deep", XLCFG__MAX_NESTING);
        xlcfg__value_free(list);
        return NULL;
    }
    p->depth++;
    advance(p);
    for (;;) {
        xlcfg_value *item;

        while (p->tok.type == XLCFG_T_NEWLINE)
            advance(p);
        if (p->tok.type == XLCFG_T_RBRACK)
            break;
        if (p->tok.type == XLCFG_T_EOF ||
            (p->tok.type == XLCFG_T_WORD && p->after_newline &&
             (peek(p) == XLCFG_T_ASSIGN || peek(p) == XLCFG_T_APPEND))) {
            perr_at(p, open.span.line, open.span.begin, "add the missing ']'",
                    "unterminated list");
            goto fail;
        }
        item = parse_value(p);
        if (!item)
            goto fail;
        if (xlcfg__list_push(list, item)) {
            p->oom = true;
            xlcfg__value_free(item);
            goto fail;
        }
        while (p->tok.type == XLCFG_T_NEWLINE)
            advance(p);
        if (p->tok.type == XLCFG_T_COMMA) {
            advance(p);
            continue;
        }
        if (p->tok.type == XLCFG_T_RBRACK)
            break;
        if (p->tok.type == XLCFG_T_EOF ||
            (p->tok.type == XLCFG_T_WORD && p->after_newline &&
             (peek(p) == XLCFG_T_ASSIGN || peek(p) == XLCFG_T_APPEND))) {
            perr_at(p, open.span.line, open.span.begin, "add the missing ']'",
                    "unterminated list");
            goto fail;
        }
        if (p->tok.type == XLCFG_T_PLUS)
            perr(p, "write the whole string in one literal",
                 "'+' concatenation is not supported");
        else if (p->tok.type == XLCFG_T_PERCENT)
            perr(p, "write the final string",
                 "'%%' string formatting is not supported");
        else if (p->tok.type == XLCFG_T_STRING ||
                 p->tok.type == XLCFG_T_NUMBER || p->tok.type == XLCFG_T_LBRACK)
            perr(p, "separate list items with ','",
                 "expected ',' or ']' in list, found %s",
                 xlcfg__tok_name(p->tok.type));
        else if (p->tok.type != XLCFG_T_ERROR)
            perr(p, NULL, "expected ',' or ']' in list, found %s",
                 xlcfg__tok_name(p->tok.type));
        goto fail;
    }
    list->span.end = p->tok.span.end;
    p->depth--;
    advance(p);
    return list;
fail:
    /* p->depth stays raised: recover() uses it to skip the list's rest. */
    xlcfg__value_free(list);
    return NULL;
}

static xlcfg_value *parse_value(parser *p)
{
    xlcfg_value *v;

    switch (p->tok.type) {
    case XLCFG_T_STRING:
        v = new_value(p, XLCFG_STRING);
        if (!v)
            return NULL;
        v->text = p->tok.text;
        v->quote = p->tok.quote;
        p->tok.text = NULL;
        advance(p);
        return v;
    case XLCFG_T_NUMBER:
        v = new_value(p, XLCFG_NUMBER);
        if (!v)
            return NULL;
        v->text = strndup(p->lx.data + p->tok.span.begin,
                          p->tok.span.end - p->tok.span.begin);
        if (!v->text) {
            p->oom = true;
            free(v);
            return NULL;
        }
        advance(p);
        return v;
    case XLCFG_T_LBRACK:
        return parse_list(p);
    default:
        explain_bad_value(p);
        return NULL;
    }
}

/* After a complete value, anything but a terminator is xm-era Python or a
 * missing terminator. */
static void explain_trailing(parser *p, const xlcfg_value *v)
{
    xlcfg__tok next;

    switch (p->tok.type) {
    case XLCFG_T_PLUS:
        next = peek(p);
        if (v->type == XLCFG_STRING || next == XLCFG_T_STRING ||
            next == XLCFG_T_WORD)
            perr(p, "write the whole string in one literal",
                 "'+' concatenation is not supported");
        else
            perr(p, "write the result as one number",
                 "arithmetic is not supported");
        break;
    case XLCFG_T_MINUS:
    case XLCFG_T_STAR:
    case XLCFG_T_SLASH:
        perr(p, "write the result as one number",
             "arithmetic is not supported");
        break;
    case XLCFG_T_PERCENT:
        if (v->type == XLCFG_STRING)
            perr(p, "write the final string",
                 "'%%' string formatting is not supported");
        else
            perr(p, "write the result as one number",
                 "arithmetic is not supported");
        break;
    case XLCFG_T_COMMA:
        perr(p, "use a list: [ ... ]", "tuples are not supported");
        break;
    case XLCFG_T_BACKSLASH:
        perr(p,
             "lists may span lines without it; a string must end on its "
             "line",
             "line continuation '\\' is not supported");
        break;
    case XLCFG_T_ERROR:
        break;
    default:
        perr(p, "put one statement per line, or separate them with ';'",
             "expected end of line or ';' after the value, found %s",
             xlcfg__tok_name(p->tok.type));
        break;
    }
}

static const xlcfg_setting *find_last(const xlcfg_cfg *cfg, const char *key)
{
    for (size_t i = cfg->nsettings; i-- > 0;)
        if (strcmp(cfg->settings[i]->key, key) == 0)
            return cfg->settings[i];
    return NULL;
}

static const char *type_name(xlcfg_type t)
{
    return t == XLCFG_STRING ? "a string"
           : t == XLCFG_LIST ? "a list"
                             : "a number";
}

/* `+=` joins string to string and list to list only. */
static bool append_ok(parser *p, const xlcfg_setting *s)
{
    const xlcfg_setting *prev = find_last(p->cfg, s->key);
    const xlcfg_value *v = s->value;

    if (v->type == XLCFG_NUMBER) {
        perr_at(p, v->span.line, v->span.begin,
                "'+=' appends a string to a string or a list to a list",
                "cannot append a number to '%s'", s->key);
        return false;
    }
    if (!prev || prev->value->type == v->type)
        return true;
    perr_at(p, v->span.line, v->span.begin,
            "'+=' appends a string to a string or a list to a list",
            "cannot append %s to '%s', which is %s", type_name(v->type), s->key,
            type_name(prev->value->type));
    return false;
}

static int add_setting(parser *p, xlcfg_setting *s)
{
    xlcfg_cfg *cfg = p->cfg;
    xlcfg_setting **ns = xlcfg__grow(cfg->settings, &cfg->capsettings,
                                     cfg->nsettings, sizeof(*ns), 32);

    if (!ns)
        return ENOMEM;
    cfg->settings = ns;
    cfg->settings[cfg->nsettings++] = s;
    return 0;
}

/* Remember a key whose statement was dropped, so that validation does not
 * add "not set" to the syntax error already reported. */
static void note_failed(parser *p, const char *k, int n)
{
    xlcfg_cfg *cfg = p->cfg;
    char **nf;

    if (p->oom || p->lx.oom)
        return;
    nf = realloc(cfg->failed_keys, (cfg->nfailed + 1) * sizeof(*nf));
    if (!nf || !(nf[cfg->nfailed] = strndup(k, (size_t)n))) {
        if (nf)
            cfg->failed_keys = nf;
        p->oom = true;
        return;
    }
    cfg->failed_keys = nf;
    cfg->nfailed++;
}

/* One `key = value` statement, the current token being the key. */
static void parse_statement(parser *p)
{
    xlcfg__token key = p->tok;
    int n;
    const char *k = tok_text(p, &key, &n);
    xlcfg__tok op;
    xlcfg_setting *s = NULL;
    xlcfg_value *v;

    advance(p);
    op = p->tok.type;
    if (op != XLCFG_T_ASSIGN && op != XLCFG_T_APPEND) {
        if (is_python_keyword(k, n))
            perr_at(p, key.span.line, key.span.begin,
                    "this looks like Python; configs are data, not code",
                    "'%.*s' is Python, not xl.cfg", n, k);
        else if (op == XLCFG_T_LPAREN)
            perr_at(p, key.span.line, key.span.begin,
                    "this looks like Python; configs are data, not code",
                    "function calls are not supported");
        else
            perr(p, NULL, "expected '=' or '+=' after '%.*s', found %s", n, k,
                 xlcfg__tok_name(op));
        recover(p);
        return;
    }
    if (!valid_key(k, n)) {
        char hint[160];
        char low[64];
        int m = n < (int)sizeof(low) - 1 ? n : (int)sizeof(low) - 1;

        for (int i = 0; i < m; i++)
            low[i] =
                (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] - 'A' + 'a' : k[i]);
        low[m] = '\0';
        if (valid_key(low, m))
            snprintf(hint, sizeof(hint), "keys are lowercase: '%s'", low);
        else
            snprintf(hint, sizeof(hint),
                     "keys start with a lowercase letter followed by "
                     "lowercase letters, digits, '.' or '_'");
        perr_at(p, key.span.line, key.span.begin, hint, "invalid key '%.*s'", n,
                k);
        recover(p);
        return;
    }
    advance(p);
    v = parse_value(p);
    if (!v) {
        note_failed(p, k, n);
        recover(p);
        return;
    }
    if (p->tok.type != XLCFG_T_NEWLINE && p->tok.type != XLCFG_T_SEMI &&
        p->tok.type != XLCFG_T_EOF) {
        explain_trailing(p, v);
        xlcfg__value_free(v);
        note_failed(p, k, n);
        recover(p);
        return;
    }
    s = xlcfg__setting_new(k, (size_t)n);
    if (!s) {
        xlcfg__value_free(v);
        p->oom = true;
        return;
    }
    s->key_span = key.span;
    s->append = op == XLCFG_T_APPEND;
    s->value = v;
    s->span = key.span;
    s->span.end = v->span.end;
    s->source = p->src;
    if (s->append && !append_ok(p, s)) {
        note_failed(p, k, n);
        xlcfg__setting_free(s);
        return;
    }
    if (add_setting(p, s)) {
        xlcfg__setting_free(s);
        p->oom = true;
    }
}

int xlcfg__parse(xlcfg_cfg *cfg, unsigned src, xlcfg_diags *d)
{
    parser p;
    const xlcfg__source *so = &cfg->sources[src];

    memset(&p, 0, sizeof(p));
    p.cfg = cfg;
    p.src = src;
    p.d = d;
    xlcfg__lex_init(&p.lx, so->name, so->text, so->len, d);
    p.after_newline = true;
    xlcfg__lex_next(&p.lx, &p.tok);
    while (p.tok.type != XLCFG_T_EOF && !p.oom && !p.lx.oom) {
        p.depth = 0;
        switch (p.tok.type) {
        case XLCFG_T_NEWLINE:
        case XLCFG_T_SEMI:
            advance(&p);
            continue;
        case XLCFG_T_WORD:
            parse_statement(&p);
            break;
        case XLCFG_T_BACKSLASH:
            perr(&p, "end the statement on one line",
                 "line continuation '\\' is not supported");
            recover(&p);
            break;
        case XLCFG_T_ERROR:
            recover(&p);
            break;
        default:
            perr(&p, NULL, "expected a key, found %s",
                 xlcfg__tok_name(p.tok.type));
            recover(&p);
            break;
        }
    }
    free(p.tok.text);
    if (p.oom || p.lx.oom)
        return ENOMEM;
    return p.nerrors || p.lx.nerrors ? EINVAL : 0;
}
