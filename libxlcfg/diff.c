/* Unified diffs of two texts (for --dry-run) and atomic file writes. */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define CONTEXT 3
/* Beyond this many cells the LCS table is not built: the whole file is
 * shown as one replaced hunk, which is still a correct diff. */
#define MAX_CELLS (16u * 1024 * 1024)

struct lines {
    const char **p; /* start of each line */
    size_t *len;    /* length including its '\n', if any */
    size_t n;
};

static int split(const char *s, size_t len, struct lines *l)
{
    size_t i, n = 0, start = 0;

    for (i = 0; i < len; i++)
        if (s[i] == '\n')
            n++;
    if (len && s[len - 1] != '\n')
        n++;
    l->p = calloc(n + 1, sizeof(*l->p));
    l->len = calloc(n + 1, sizeof(*l->len));
    if (!l->p || !l->len)
        return ENOMEM;
    l->n = 0;
    for (i = 0; i < len; i++)
        if (s[i] == '\n') {
            l->p[l->n] = s + start;
            l->len[l->n++] = i + 1 - start;
            start = i + 1;
        }
    if (start < len) {
        l->p[l->n] = s + start;
        l->len[l->n++] = len - start;
    }
    return 0;
}

static int same(const struct lines *a, size_t i, const struct lines *b,
                size_t j)
{
    return a->len[i] == b->len[j] && !memcmp(a->p[i], b->p[j], a->len[i]);
}

static void put_line(xlcfg__buf *o, char tag, const struct lines *l, size_t i)
{
    xlcfg__buf_char(o, tag);
    xlcfg__buf_add(o, l->p[i], l->len[i]);
    if (!l->len[i] || l->p[i][l->len[i] - 1] != '\n') {
        static const char nonl[] = "\n\\ No newline at end of file\n";

        xlcfg__buf_add(o, nonl, sizeof(nonl) - 1);
    }
}

/* Edit script: op[k] is '=' (both), '-' (old only) or '+' (new only). */
static char *script(const struct lines *a, const struct lines *b, size_t *n_r)
{
    size_t n = a->n, m = b->n, i, j, k = 0;
    unsigned *t = NULL;
    char *op = malloc(n + m + 1);

    if (!op)
        return NULL;
    if ((n + 1) * (m + 1) > MAX_CELLS) {
        for (i = 0; i < n; i++)
            op[k++] = '-';
        for (j = 0; j < m; j++)
            op[k++] = '+';
        *n_r = k;
        return op;
    }
    /* t[i][j] = length of the LCS of a[i..] and b[j..] */
    t = calloc((n + 1) * (m + 1), sizeof(*t));
    if (!t) {
        free(op);
        return NULL;
    }
#define T(i, j) t[(i) * (m + 1) + (j)]
    for (i = n; i-- > 0;)
        for (j = m; j-- > 0;)
            T(i, j) = same(a, i, b, j)             ? T(i + 1, j + 1) + 1
                      : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j)
                                                   : T(i, j + 1);
    for (i = 0, j = 0; i < n || j < m;) {
        if (i < n && j < m && same(a, i, b, j)) {
            op[k++] = '=';
            i++;
            j++;
        } else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
            op[k++] = '-'; /* removals first, as diff(1) shows them */
            i++;
        } else {
            op[k++] = '+';
            j++;
        }
    }
#undef T
    free(t);
    *n_r = k;
    return op;
}

char *xlcfg_unified_diff(const char *name, const char *old, size_t old_len,
                         const char *new_text, size_t new_len)
{
    struct lines a = {0}, b = {0};
    xlcfg__buf o = {0};
    char *op = NULL;
    size_t nops = 0, k, ai = 0, bi = 0;

    if (split(old, old_len, &a) || split(new_text, new_len, &b))
        goto out;
    op = script(&a, &b, &nops);
    if (!op)
        goto out;
    xlcfg__buf_add(&o, "", 0);
    for (k = 0; k < nops && !o.err;) {
        size_t start, end, k2, a0, b0, na = 0, nb = 0, last;

        if (op[k] == '=') {
            k++;
            ai++;
            bi++;
            continue;
        }
        /* A hunk: this change plus CONTEXT lines around, merging changes
         * whose contexts touch. */
        start = k > CONTEXT ? k - CONTEXT : 0; /* context: all '=' */
        a0 = ai - (k - start);
        b0 = bi - (k - start);
        last = k;
        for (end = k; end < nops; end++) {
            if (op[end] != '=')
                last = end;
            else if (end - last > 2 * CONTEXT)
                break;
        }
        end = last + CONTEXT + 1 < nops ? last + CONTEXT + 1 : nops;
        for (k2 = start; k2 < end; k2++) {
            na += op[k2] != '+';
            nb += op[k2] != '-';
        }
        if (!o.len)
            xlcfg__buf_printf(&o, "--- a/%.50s\n+++ b/%.50s\n", name, name);
        xlcfg__buf_printf(&o, "@@ -%zu,%zu +%zu,%zu @@\n", na ? a0 + 1 : a0, na,
                          nb ? b0 + 1 : b0, nb);
        ai = a0;
        bi = b0;
        for (k2 = start; k2 < end; k2++) {
            if (op[k2] == '=') {
                put_line(&o, ' ', &a, ai++);
                bi++;
            } else if (op[k2] == '-') {
                put_line(&o, '-', &a, ai++);
            } else {
                put_line(&o, '+', &b, bi++);
            }
        }
        k = end;
    }
out:
    free(op);
    free(a.p);
    free(a.len);
    free(b.p);
    free(b.len);
    return xlcfg__buf_take(&o);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Keep the current file as PATH.bak: a hard link made under a temporary
 * name and renamed over any older backup, so there is always one. */
static int backup_file(const char *path)
{
    char *bak = NULL, *tmp = NULL;
    int rc = 0;

    if (asprintf(&bak, "%s.bak", path) < 0 ||
        asprintf(&tmp, "%s.bak.%ld", path, (long)getpid()) < 0) {
        rc = ENOMEM;
        goto out;
    }
    unlink(tmp);
    if (link(path, tmp) < 0) {
        rc = errno;
        goto out;
    }
    if (rename(tmp, bak) < 0)
        rc = errno;
    /* rename() of a name onto another link to the same file does nothing:
     * when FILE.bak already was a hard link to FILE, tmp is still there. */
    unlink(tmp);
out:
    free(bak);
    free(tmp);
    return rc;
}

int xlcfg_write_file_atomic(const char *path, const char *data, size_t len,
                            bool backup)
{
    char *tmp = NULL, *dir = NULL;
    struct stat st;
    mode_t mode = 0644;
    bool have_st = false;
    int fd = -1, dfd = -1, rc = 0;

    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
        have_st = true;
    } else if (errno != ENOENT) {
        return errno;
    } else {
        backup = false;
    }
    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        rc = ENOMEM;
        goto out;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = errno;
        free(tmp);
        tmp = NULL;
        goto out;
    }
    /* The new file keeps the old one's owner and group (before the mode:
     * chown clears set-id bits); one we may not give away is an error,
     * not a silent change of owner. */
    if (have_st && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) < 0) {
        rc = errno;
        goto out;
    }
    if (fchmod(fd, mode) < 0 || (rc = write_all(fd, data, len)) ||
        fsync(fd) < 0) {
        rc = rc ? rc : errno;
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        rc = errno;
        goto out;
    }
    fd = -1;
    if (backup && (rc = backup_file(path)))
        goto out;
    if (rename(tmp, path) < 0) {
        rc = errno;
        goto out;
    }
    free(tmp);
    tmp = NULL;
    /* Make the rename itself durable. */
    dir = strdup(path);
    if (dir) {
        dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
        if (dfd >= 0)
            fsync(dfd);
    }
out:
    if (fd >= 0)
        close(fd);
    if (dfd >= 0)
        close(dfd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(dir);
    return rc;
}
