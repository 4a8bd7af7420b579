/* The xl.cfg tokenizer: reentrant, one token at a time, exact spans. */
#ifndef LIBXLCFG_LEXER_H
#define LIBXLCFG_LEXER_H

#include "internal.h"

typedef enum xlcfg__tok {
    XLCFG_T_EOF,
    XLCFG_T_NEWLINE,
    XLCFG_T_SEMI,
    XLCFG_T_ASSIGN, /* = */
    XLCFG_T_APPEND, /* += */
    XLCFG_T_LBRACK,
    XLCFG_T_RBRACK,
    XLCFG_T_COMMA,
    XLCFG_T_STRING,
    XLCFG_T_NUMBER,
    XLCFG_T_WORD, /* [A-Za-z_][A-Za-z0-9_.]*: a key, or an unquoted word */
    /* Tokens that only occur in xm-era Python; the parser explains them. */
    XLCFG_T_PLUS,
    XLCFG_T_MINUS,
    XLCFG_T_STAR,
    XLCFG_T_SLASH,
    XLCFG_T_PERCENT,
    XLCFG_T_LPAREN,
    XLCFG_T_RPAREN,
    XLCFG_T_LBRACE,
    XLCFG_T_RBRACE,
    XLCFG_T_COLON,
    XLCFG_T_BACKSLASH, /* a backslash ending a line: continuation */
    XLCFG_T_DECIMAL,   /* 1.5 */
    XLCFG_T_BADNUM,    /* 512M, 0x, 12abc */
    XLCFG_T_OTHER,     /* any other byte */
    XLCFG_T_ERROR,     /* a lexical error, already reported */
} xlcfg__tok;

typedef struct xlcfg__token {
    xlcfg__tok type;
    xlcfg_span span;
    /* STRING: decoded text (malloc'd, the caller takes it) and its quote. */
    char *text;
    char quote;
} xlcfg__token;

/* Lexer state: everything lives here, nothing global. */
typedef struct xlcfg__lexer {
    const char *name; /* for diagnostics */
    const char *data; /* NUL-terminated copy of the source */
    size_t len;
    size_t pos;
    unsigned line;
    size_t line_start; /* byte offset of the current line's first column */
    xlcfg_diags *diags;
    unsigned nerrors; /* lexical errors reported */
    bool oom;
} xlcfg__lexer;

void xlcfg__lex_init(xlcfg__lexer *lx, const char *name, const char *data,
                     size_t len, xlcfg_diags *d);
/* Next token. XLCFG_T_ERROR tokens have been reported already. */
void xlcfg__lex_next(xlcfg__lexer *lx, xlcfg__token *t);
/* Fill a diagnostic location for byte `off` on line `line`. */
void xlcfg__lex_loc(const xlcfg__lexer *lx, unsigned line, size_t off,
                    xlcfg_loc *loc_r);
const char *xlcfg__tok_name(xlcfg__tok t);

#endif /* LIBXLCFG_LEXER_H */
