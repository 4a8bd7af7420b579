/* The xl.cfg tokenizer: strings with escapes, numbers, words, punctuation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"

void xlcfg__lex_init(xlcfg__lexer *lx, const char *name, const char *data,
                     size_t len, xlcfg_diags *d)
{
    memset(lx, 0, sizeof(*lx));
    lx->name = name;
    lx->data = data;
    lx->len = len;
    lx->line = 1;
    lx->diags = d;
    /* A UTF-8 byte order mark is not part of line 1's columns. */
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        lx->pos = lx->line_start = 3;
}

void xlcfg__lex_loc(const xlcfg__lexer *lx, unsigned line, size_t off,
                    xlcfg_loc *loc_r)
{
    size_t start = off;

    while (start > 0 && lx->data[start - 1] != '\n')
        start--;
    if (start == 0 && lx->len >= 3 && memcmp(lx->data, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    loc_r->file = lx->name;
    loc_r->line = line;
    loc_r->col = (unsigned)(off - start) + 1;
    loc_r->source_line = lx->data + start;
}

static void lex_error(xlcfg__lexer *lx, size_t off, const char *hint,
                      const char *msg)
{
    xlcfg_loc loc;

    lx->nerrors++;
    xlcfg__lex_loc(lx, lx->line, off, &loc);
    if (xlcfg_diags_add(lx->diags, XLCFG_SEV_ERROR, &loc, hint, "%s", msg))
        lx->oom = true;
}

static void lex_warn_escape(xlcfg__lexer *lx, size_t off, unsigned char c)
{
    xlcfg_loc loc;

    xlcfg__lex_loc(lx, lx->line, off, &loc);
    if (c >= 0x20 && c < 0x7f) {
        if (xlcfg_diags_add(lx->diags, XLCFG_SEV_WARNING, &loc,
                            "write \\\\ for a backslash",
                            "unknown escape '\\%c' stands for '%c'", c, c))
            lx->oom = true;
    } else if (xlcfg_diags_add(lx->diags, XLCFG_SEV_WARNING, &loc,
                               "write \\\\ for a backslash",
                               "unknown escape: the backslash is dropped")) {
        lx->oom = true;
    }
}

const char *xlcfg__tok_name(xlcfg__tok t)
{
    static const char *const names[] = {
        [XLCFG_T_EOF] = "end of file",
        [XLCFG_T_NEWLINE] = "end of line",
        [XLCFG_T_SEMI] = "';'",
        [XLCFG_T_ASSIGN] = "'='",
        [XLCFG_T_APPEND] = "'+='",
        [XLCFG_T_LBRACK] = "'['",
        [XLCFG_T_RBRACK] = "']'",
        [XLCFG_T_COMMA] = "','",
        [XLCFG_T_STRING] = "a string",
        [XLCFG_T_NUMBER] = "a number",
        [XLCFG_T_WORD] = "a word",
        [XLCFG_T_PLUS] = "'+'",
        [XLCFG_T_MINUS] = "'-'",
        [XLCFG_T_STAR] = "'*'",
        [XLCFG_T_SLASH] = "'/'",
        [XLCFG_T_PERCENT] = "'%'",
        [XLCFG_T_LPAREN] = "'('",
        [XLCFG_T_RPAREN] = "')'",
        [XLCFG_T_LBRACE] = "'{'",
        [XLCFG_T_RBRACE] = "'}'",
        [XLCFG_T_COLON] = "':'",
        [XLCFG_T_BACKSLASH] = "'\\'",
        [XLCFG_T_DECIMAL] = "a decimal number",
        [XLCFG_T_BADNUM] = "an invalid number",
        [XLCFG_T_OTHER] = "an unexpected character",
        [XLCFG_T_ERROR] = "an invalid token",
    };

    if ((unsigned)t < sizeof(names) / sizeof(names[0]) && names[t])
        return names[t];
    return "a token";
}

static bool is_word_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_word_char(int c)
{
    return is_word_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Skip blanks and comments; stops at a newline, which is a token. */
static void skip_space(xlcfg__lexer *lx)
{
    while (lx->pos < lx->len) {
        char c = lx->data[lx->pos];

        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '#') {
            while (lx->pos < lx->len && lx->data[lx->pos] != '\n')
                lx->pos++;
        } else {
            break;
        }
    }
}

/* A quoted string on one line. Escapes: \n \t \r \\ \' \" \xHH \NNN;
 * an unknown escape stands for the character itself, as in the
 * reference. Errors are reported and the scan goes on to the closing
 * quote so that one bad escape gives one message. */
static void lex_string(xlcfg__lexer *lx, xlcfg__token *t)
{
    const char *s = lx->data;
    char quote = s[lx->pos];
    size_t open = lx->pos;
    size_t i = lx->pos + 1;
    xlcfg__buf out = {0};
    bool bad = false;

    for (;;) {
        unsigned char c;

        if (i >= lx->len || s[i] == '\n') {
            lex_error(lx, open,
                      "a string must end on the line where it starts; "
                      "use \\n for a newline inside it",
                      "unterminated string");
            xlcfg__buf_free(&out);
            t->type = XLCFG_T_ERROR;
            lx->pos = i;
            return;
        }
        c = (unsigned char)s[i];
        if (c == (unsigned char)quote) {
            i++;
            break;
        }
        if (c == '\0') {
            lex_error(lx, i, NULL, "NUL byte in a string");
            bad = true;
            i++;
            continue;
        }
        if (c != '\\') {
            xlcfg__buf_char(&out, (char)c);
            i++;
            continue;
        }
        /* An escape sequence. */
        size_t esc = i;
        i++;
        if (i >= lx->len || s[i] == '\n')
            continue; /* reported as unterminated on the next turn */
        c = (unsigned char)s[i];
        if (c == 'n' || c == 't' || c == 'r') {
            xlcfg__buf_char(&out, c == 'n' ? '\n' : c == 't' ? '\t' : '\r');
            i++;
        } else if (c == 'x') {
            int h1 = i + 1 < lx->len ? hexval(s[i + 1]) : -1;
            int h2 = h1 >= 0 && i + 2 < lx->len ? hexval(s[i + 2]) : -1;

            if (h1 < 0 || h2 < 0) {
                lex_error(lx, esc, "write exactly two hex digits, e.g. \\x41",
                          "invalid \\x escape: two hex digits expected");
                bad = true;
                i++;
            } else if (h1 == 0 && h2 == 0) {
                lex_error(lx, esc, NULL,
                          "a NUL character (\\x00) cannot appear in a string");
                bad = true;
                i += 3;
            } else {
                xlcfg__buf_char(&out, (char)(h1 * 16 + h2));
                i += 3;
            }
        } else if (c >= '0' && c <= '7') {
            unsigned v = 0;
            size_t k = 0;

            while (k < 3 && i < lx->len && s[i] >= '0' && s[i] <= '7') {
                v = v * 8 + (unsigned)(s[i] - '0');
                i++;
                k++;
            }
            if (v == 0) {
                lex_error(lx, esc, NULL,
                          "a NUL character (\\0) cannot appear in a string");
                bad = true;
            } else if (v > 0377) {
                lex_error(lx, esc, "octal escapes go up to \\377",
                          "octal escape out of range");
                bad = true;
            } else {
                xlcfg__buf_char(&out, (char)v);
            }
        } else {
            /* \\ \' \" and any other character stand for themselves, as
             * in the reference; a path like C:\dir loses its backslash,
             * so say so. */
            if (c != '\\' && c != '\'' && c != '"')
                lex_warn_escape(lx, esc, c);
            xlcfg__buf_char(&out, (char)c);
            i++;
        }
    }
    lx->pos = i;
    t->span.end = i;
    if (bad) {
        xlcfg__buf_free(&out);
        t->type = XLCFG_T_ERROR;
        return;
    }
    t->text = xlcfg__buf_take(&out);
    if (!t->text) {
        lx->oom = true;
        t->type = XLCFG_T_ERROR;
        lx->pos = lx->len;
        return;
    }
    t->type = XLCFG_T_STRING;
    t->quote = quote;
}

/* A number: decimal or 0x hex digits, kept as text. Anything glued to it
 * (512M, 1.5, 0x) is one bad token so the parser can say what it is. */
static void lex_number(xlcfg__lexer *lx, xlcfg__token *t)
{
    const char *s = lx->data;
    size_t i = lx->pos;
    bool dot = false, ok = true;

    if (s[i] == '0' && i + 1 < lx->len &&
        (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        size_t j = i + 2;

        while (j < lx->len && hexval(s[j]) >= 0)
            j++;
        ok = j > i + 2;
        i = j;
    } else {
        while (i < lx->len && is_digit(s[i]))
            i++;
    }
    while (i < lx->len && (is_word_char(s[i]))) {
        if (s[i] == '.')
            dot = true;
        else if (!is_digit(s[i]))
            ok = false;
        i++;
    }
    lx->pos = i;
    t->span.end = i;
    if (dot && ok)
        t->type = XLCFG_T_DECIMAL;
    else if (!ok || dot)
        t->type = XLCFG_T_BADNUM;
    else
        t->type = XLCFG_T_NUMBER;
}

void xlcfg__lex_next(xlcfg__lexer *lx, xlcfg__token *t)
{
    const char *s = lx->data;
    char c;

    memset(t, 0, sizeof(*t));
    skip_space(lx);
    t->span.line = lx->line;
    t->span.col = (unsigned)(lx->pos - lx->line_start) + 1;
    t->span.begin = t->span.end = lx->pos;
    if (lx->pos >= lx->len) {
        t->type = XLCFG_T_EOF;
        return;
    }
    c = s[lx->pos];
    t->span.end = lx->pos + 1;
    switch (c) {
    case '\n':
        lx->pos++;
        lx->line++;
        lx->line_start = lx->pos;
        t->type = XLCFG_T_NEWLINE;
        return;
    case '\'':
    case '"':
        lex_string(lx, t);
        return;
    case '+':
        if (lx->pos + 1 < lx->len && s[lx->pos + 1] == '=') {
            lx->pos += 2;
            t->span.end = lx->pos;
            t->type = XLCFG_T_APPEND;
            return;
        }
        t->type = XLCFG_T_PLUS;
        break;
    case '\\': {
        /* A backslash followed only by blanks/comment to the line end is a
         * Python line continuation. */
        size_t j = lx->pos + 1;

        while (j < lx->len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
            j++;
        t->type = j >= lx->len || s[j] == '\n' || s[j] == '#'
                      ? XLCFG_T_BACKSLASH
                      : XLCFG_T_OTHER;
        break;
    }
    case ';':
        t->type = XLCFG_T_SEMI;
        break;
    case '=':
        t->type = XLCFG_T_ASSIGN;
        break;
    case '[':
        t->type = XLCFG_T_LBRACK;
        break;
    case ']':
        t->type = XLCFG_T_RBRACK;
        break;
    case ',':
        t->type = XLCFG_T_COMMA;
        break;
    case '-':
        t->type = XLCFG_T_MINUS;
        break;
    case '*':
        t->type = XLCFG_T_STAR;
        break;
    case '/':
        t->type = XLCFG_T_SLASH;
        break;
    case '%':
        t->type = XLCFG_T_PERCENT;
        break;
    case '(':
        t->type = XLCFG_T_LPAREN;
        break;
    case ')':
        t->type = XLCFG_T_RPAREN;
        break;
    case '{':
        t->type = XLCFG_T_LBRACE;
        break;
    case '}':
        t->type = XLCFG_T_RBRACE;
        break;
    case ':':
        t->type = XLCFG_T_COLON;
        break;
    default:
        if (is_digit(c)) {
            lex_number(lx, t);
            return;
        }
        if (is_word_start(c)) {
            size_t i = lx->pos + 1;

            while (i < lx->len && is_word_char(s[i]))
                i++;
            lx->pos = i;
            t->span.end = i;
            t->type = XLCFG_T_WORD;
            return;
        }
        t->type = XLCFG_T_OTHER;
        /* Keep a UTF-8 sequence together so one character is one token. */
        if ((unsigned char)c >= 0xc0) {
            size_t i = lx->pos + 1;

            while (i < lx->len && ((unsigned char)s[i] & 0xc0) == 0x80)
                i++;
            lx->pos = i;
            t->span.end = i;
            return;
        }
        break;
    }
    lx->pos++;
}
