/* The library's one growable string: appends that double the capacity,
 * with an out-of-memory error that sticks so callers check once; and the
 * same doubling for arrays. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int xlcfg__buf_reserve(xlcfg__buf *b, size_t n)
{
    size_t cap;
    char *s;

    if (b->err)
        return b->err;
    if (n < b->cap - b->len && b->s)
        return 0;
    if (n > SIZE_MAX / 2 - b->len - 1) {
        b->err = ENOMEM;
        return ENOMEM;
    }
    for (cap = b->cap ? b->cap : 64; cap < b->len + n + 1;)
        cap *= 2;
    s = realloc(b->s, cap);
    if (!s) {
        b->err = ENOMEM;
        return ENOMEM;
    }
    if (!b->s)
        s[0] = '\0';
    b->s = s;
    b->cap = cap;
    return 0;
}

void xlcfg__buf_add(xlcfg__buf *b, const void *p, size_t n)
{
    if (xlcfg__buf_reserve(b, n))
        return;
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void xlcfg__buf_str(xlcfg__buf *b, const char *s)
{
    xlcfg__buf_add(b, s, strlen(s));
}

void xlcfg__buf_char(xlcfg__buf *b, char c)
{
    xlcfg__buf_add(b, &c, 1);
}

void xlcfg__buf_printf(xlcfg__buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = b->err ? b->err : EINVAL;
        return;
    }
    if (xlcfg__buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *xlcfg__buf_take(xlcfg__buf *b)
{
    char *s = b->s;

    if (b->err) {
        free(s);
        s = NULL;
    } else if (!s) {
        s = strdup("");
    }
    memset(b, 0, sizeof(*b));
    return s;
}

void *xlcfg__grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t ncap;
    void *nv;

    if (n < *cap)
        return v;
    ncap = *cap ? *cap * 2 : first;
    if (ncap < *cap || ncap > SIZE_MAX / size)
        return NULL;
    nv = realloc(v, ncap * size);
    if (nv)
        *cap = ncap;
    return nv;
}

void xlcfg__buf_free(xlcfg__buf *b)
{
    free(b->s);
    memset(b, 0, sizeof(*b));
}
