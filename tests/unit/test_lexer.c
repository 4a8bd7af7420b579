/* Unit tests for the xl.cfg tokenizer: tokens, spans, escapes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lexer.h"

typedef struct lexed {
    xlcfg__lexer lx;
    xlcfg_diags *d;
} lexed;

static void start(lexed *l, const char *text)
{
    l->d = xlcfg_diags_new();
    xlcfg__lex_init(&l->lx, "t", text, strlen(text), l->d);
}

static xlcfg__tok next(lexed *l, xlcfg__token *t)
{
    xlcfg__lex_next(&l->lx, t);
    return t->type;
}

static void finish(lexed *l)
{
    xlcfg_diags_free(l->d);
}

static void test_statement_tokens_and_spans(void **state)
{
    lexed l;
    xlcfg__token t;

    start(&l, "memory = 512 # comment\nx+=[0x1F,'a'];");
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    assert_int_equal(t.span.line, 1);
    assert_int_equal(t.span.col, 1);
    assert_int_equal(t.span.begin, 0);
    assert_int_equal(t.span.end, 6);
    assert_int_equal(next(&l, &t), XLCFG_T_ASSIGN);
    assert_int_equal(t.span.col, 8);
    assert_int_equal(next(&l, &t), XLCFG_T_NUMBER);
    assert_int_equal(t.span.begin, 9);
    assert_int_equal(t.span.end, 12);
    /* The comment is skipped; its bytes lie between tokens. */
    assert_int_equal(next(&l, &t), XLCFG_T_NEWLINE);
    assert_int_equal(t.span.begin, 22);
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    assert_int_equal(t.span.line, 2);
    assert_int_equal(t.span.col, 1);
    assert_int_equal(next(&l, &t), XLCFG_T_APPEND);
    assert_int_equal(next(&l, &t), XLCFG_T_LBRACK);
    assert_int_equal(next(&l, &t), XLCFG_T_NUMBER);
    assert_int_equal(t.span.end - t.span.begin, 4);
    assert_int_equal(next(&l, &t), XLCFG_T_COMMA);
    assert_int_equal(next(&l, &t), XLCFG_T_STRING);
    assert_string_equal(t.text, "a");
    assert_int_equal(t.quote, '\'');
    assert_int_equal(t.span.col, 10);
    free(t.text);
    assert_int_equal(next(&l, &t), XLCFG_T_RBRACK);
    assert_int_equal(next(&l, &t), XLCFG_T_SEMI);
    assert_int_equal(next(&l, &t), XLCFG_T_EOF);
    assert_int_equal(xlcfg_diags_count(l.d), 0);
    finish(&l);
}

static void expect_decoded(const char *src, const char *decoded)
{
    lexed l;
    xlcfg__token t;

    start(&l, src);
    assert_int_equal(next(&l, &t), XLCFG_T_STRING);
    assert_string_equal(t.text, decoded);
    free(t.text);
    assert_int_equal(xlcfg_diags_count(l.d), 0);
    finish(&l);
}

static void test_escapes(void **state)
{
    expect_decoded("'a\\nb'", "a\nb");
    expect_decoded("\"\\t\\r\\\\\\'\\\"\"", "\t\r\\'\"");
    /* The reference fails on these two; they work here. */
    expect_decoded("'\\x41\\x7e'", "A~");
    expect_decoded("'\\101\\60\\0101'", "A0\b1");
    /* Unknown escapes stand for the character, as in the reference. */

    expect_decoded("'#not a comment'", "#not a comment");
    expect_decoded("''", "");
}

static void test_unknown_escape_warns(void **state)
{
    lexed l;
    xlcfg__token t;
    const xlcfg_diag *g;

    start(&l, "x 'C:\\dir'");
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    assert_int_equal(next(&l, &t), XLCFG_T_STRING);
    assert_string_equal(t.text, "C:dir");
    free(t.text);
    assert_int_equal(xlcfg_diags_count(l.d), 1);
    g = xlcfg_diags_get(l.d, 0);
    assert_int_equal(g->severity, XLCFG_SEV_WARNING);
    assert_int_equal(g->col, 6);
    assert_string_equal(g->message, "unknown escape '\\d' stands for 'd'");
    finish(&l);
}

static void expect_lex_error(const char *src, unsigned col, const char *msg)
{
    lexed l;
    xlcfg__token t;
    const xlcfg_diag *g;

    start(&l, src);
    assert_int_equal(next(&l, &t), XLCFG_T_ERROR);
    assert_int_equal(xlcfg_diags_errors(l.d), 1);
    g = xlcfg_diags_get(l.d, 0);
    assert_int_equal(g->col, col);
    assert_string_equal(g->message, msg);
    finish(&l);
}

static void test_string_errors(void **state)
{
    expect_lex_error("'ab\\0'", 4,
                     "a NUL character (\\0) cannot appear in a string");
    expect_lex_error("'\\x00'", 2,
                     "a NUL character (\\x00) cannot appear in a string");
    expect_lex_error("'\\xg1'", 2,
                     "invalid \\x escape: two hex digits expected");
    expect_lex_error("  'open\nx", 3, "unterminated string");
    expect_lex_error("'open", 1, "unterminated string");
}

static void test_numbers_and_python(void **state)
{
    lexed l;
    xlcfg__token t;

    start(&l, "1.5 512M 0x 010 ( ) { } : % * / - + \\\n");
    assert_int_equal(next(&l, &t), XLCFG_T_DECIMAL);
    assert_int_equal(next(&l, &t), XLCFG_T_BADNUM);
    assert_int_equal(t.span.end - t.span.begin, 4);
    assert_int_equal(next(&l, &t), XLCFG_T_BADNUM);
    assert_int_equal(next(&l, &t), XLCFG_T_NUMBER);
    assert_int_equal(next(&l, &t), XLCFG_T_LPAREN);
    assert_int_equal(next(&l, &t), XLCFG_T_RPAREN);
    assert_int_equal(next(&l, &t), XLCFG_T_LBRACE);
    assert_int_equal(next(&l, &t), XLCFG_T_RBRACE);
    assert_int_equal(next(&l, &t), XLCFG_T_COLON);
    assert_int_equal(next(&l, &t), XLCFG_T_PERCENT);
    assert_int_equal(next(&l, &t), XLCFG_T_STAR);
    assert_int_equal(next(&l, &t), XLCFG_T_SLASH);
    assert_int_equal(next(&l, &t), XLCFG_T_MINUS);
    assert_int_equal(next(&l, &t), XLCFG_T_PLUS);
    assert_int_equal(next(&l, &t), XLCFG_T_BACKSLASH);
    assert_int_equal(next(&l, &t), XLCFG_T_NEWLINE);
    assert_int_equal(next(&l, &t), XLCFG_T_EOF);
    finish(&l);
}

static void test_bom_crlf_last_comment(void **state)
{
    lexed l;
    xlcfg__token t;

    start(&l, "\xef\xbb\xbfx = 1\r\ny = 2 # end");
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    /* The BOM does not count as columns. */
    assert_int_equal(t.span.col, 1);
    assert_int_equal(t.span.begin, 3);
    assert_int_equal(next(&l, &t), XLCFG_T_ASSIGN);
    assert_int_equal(next(&l, &t), XLCFG_T_NUMBER);
    assert_int_equal(t.span.end, 8);
    assert_int_equal(next(&l, &t), XLCFG_T_NEWLINE);
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    assert_int_equal(next(&l, &t), XLCFG_T_ASSIGN);
    assert_int_equal(next(&l, &t), XLCFG_T_NUMBER);
    assert_int_equal(next(&l, &t), XLCFG_T_EOF);
    assert_int_equal(xlcfg_diags_count(l.d), 0);
    finish(&l);
}

static void test_utf8_other_is_one_token(void **state)
{
    lexed l;
    xlcfg__token t;

    start(&l, "\xe2\x80\x9cx");
    assert_int_equal(next(&l, &t), XLCFG_T_OTHER);
    assert_int_equal(t.span.end, 3);
    assert_int_equal(next(&l, &t), XLCFG_T_WORD);
    finish(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_tokens_and_spans),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_unknown_escape_warns),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_numbers_and_python),
        cmocka_unit_test(test_bom_crlf_last_comment),
        cmocka_unit_test(test_utf8_other_is_one_token),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
