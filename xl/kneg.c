/* kneg.c: the kernel cache's negative entries, <key>.neg: sources whose
 * unpack was refused as a decompression bomb (kstore.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kstore.h"

/* The file: "<limit>\n<reason>\n<kernel path>\n". */

/* A copy of s with newlines made blanks: one line of a .neg file. */
static char *one_line(const char *s)
{
    char *c = strdup(s), *p;

    for (p = c; p && *p; p++)
        if (*p == '\n')
            *p = ' ';
    return c;
}

int xl_kcache__neg_write(const char *dir, const char *key, uint64_t limit,
                         const char *reason, const char *kpath)
{
    char name[80], *text = NULL;
    char *r = one_line(reason ? reason : "refused"), *k = one_line(kpath);
    int rc = ENOMEM, n;

    if (r && k) {
        n = asprintf(&text, "%llu\n%s\n%s\n", (unsigned long long)limit, r, k);
        if (n >= 0) {
            snprintf(name, sizeof(name), "%s.neg", key);
            rc = xl_kcache__write_file(dir, name, text, (size_t)n, NULL);
            free(text);
        }
    }
    free(r);
    free(k);
    return rc;
}

/* The three lines of a .neg file, or EINVAL. */
static int neg_parse(char *text, uint64_t *limit_r, char **reason_r,
                     char **kpath_r)
{
    char *l1 = text, *l2, *l3, *end;
    unsigned long long limit;

    l2 = strchr(l1, '\n');
    if (!l2)
        return EINVAL;
    *l2++ = '\0';
    l3 = strchr(l2, '\n');
    if (!l3)
        return EINVAL;
    *l3++ = '\0';
    end = strchr(l3, '\n');
    if (!end)
        return EINVAL;
    *end = '\0';
    errno = 0;
    limit = strtoull(l1, &end, 10);
    if (errno || end == l1 || *end)
        return EINVAL;
    *limit_r = limit;
    *reason_r = strdup(l2);
    *kpath_r = strdup(l3);
    if (!*reason_r || !*kpath_r) {
        free(*reason_r);
        free(*kpath_r);
        *reason_r = *kpath_r = NULL;
        return ENOMEM;
    }
    return 0;
}

int xl_kcache__neg_read(int dirfd, const char *key, uint64_t *limit_r,
                        char **reason_r, char **kpath_r)
{
    char name[80], text[8192];
    ssize_t n;
    int fd, rc;

    *reason_r = *kpath_r = NULL;
    snprintf(name, sizeof(name), "%s.neg", key);
    fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno;
    n = pread(fd, text, sizeof(text) - 1, 0);
    rc = n < 0 ? errno : 0;
    close(fd);
    if (rc)
        return rc;
    text[n] = '\0';
    return neg_parse(text, limit_r, reason_r, kpath_r);
}
