/* kdir.c: is the kernel cache directory safe to hand paths from? It and
 * every ancestor (kstore.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "kstore.h"
#include "kunpack.h"

/* mkdir -p with mode 0700 for the directories we create. */
static int mkdir_p(const char *path)
{
    char *tmp = strdup(path), *p;
    int rc = 0;

    if (!tmp)
        return ENOMEM;
    for (p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) && errno != EEXIST) {
            rc = errno;
            goto out;
        }
        *p = '/';
    }
    if (mkdir(tmp, 0700) && errno != EEXIST)
        rc = errno;
out:
    free(tmp);
    return rc;
}

/* ------------------------------------------------------------------------
 * Ancestors. libxl is handed a path into the cache, which it opens later:
 * whoever may rename or replace any directory on that path can make it
 * read their file. So every component must be owned by root or by us, and
 * every directory must be closed to others: not writable by group or
 * others, except a sticky one like /tmp, where others cannot rename or
 * remove what root or we own (the next component, checked in turn). A
 * symbolic link is followed to its target, which is checked the same way.
 */

static bool owner_ok(const struct stat *st)
{
    return st->st_uid == 0 || st->st_uid == geteuid();
}

/* Check every component of the absolute path `dir`; with strict_last its
 * last one may not be writable by others even if sticky. allow_missing:
 * a component that does not exist ends the walk with 0 (the rest is made
 * by us, or is an empty cache). depth: symbolic links followed so far. */
static int check_path(const char *dir, bool strict_last, bool allow_missing,
                      int depth, char **why_r)
{
    char *p = NULL, *target = NULL;
    struct stat st;
    size_t i, len;
    int rc = 0;

    if (dir[0] != '/') {
        xl_kcache__why(why_r, "%s is not an absolute path", dir);
        return EINVAL;
    }
    p = strdup(dir);
    if (!p)
        return ENOMEM;
    len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    if (stat("/", &st) || !owner_ok(&st) || (st.st_mode & 022)) {
        xl_kcache__why(why_r, "unsafe ancestor /: not owned by root or "
                              "writable by others");
        rc = EPERM;
        goto out;
    }
    for (i = 1; i <= len; i++) {
        bool last = i == len;
        const char *comp;
        char c = p[i];

        if (c != '/' && c != '\0')
            continue;
        if (p[i - 1] == '/')
            continue; /* "//" */
        p[i] = '\0';
        comp = strrchr(p, '/') + 1;
        if (!strcmp(comp, "..")) {
            xl_kcache__why(why_r, "%s: '..' is not allowed in the path", dir);
            rc = EINVAL;
            goto out;
        }
        if (!strcmp(comp, ".")) {
            p[i] = c;
            continue;
        }
        if (lstat(p, &st)) {
            rc = errno;
            if (rc == ENOENT && allow_missing)
                rc = 0;
            else
                xl_kcache__why(why_r, "%s: %s", p, strerror(rc));
            goto out;
        }
        if (!owner_ok(&st)) {
            xl_kcache__why(why_r,
                           "unsafe ancestor %s: owned by uid %u, neither "
                           "root nor uid %u",
                           p, (unsigned)st.st_uid, (unsigned)geteuid());
            rc = EPERM;
            goto out;
        }
        if (S_ISLNK(st.st_mode)) {
            if (last || depth > 0) {
                xl_kcache__why(why_r, "%s is a symbolic link", p);
                rc = last ? ENOTDIR : ELOOP;
                goto out;
            }
            /* The target has no links left: one level is enough. */
            target = realpath(p, NULL);
            if (!target) {
                rc = errno;
                xl_kcache__why(why_r, "%s: %s", p, strerror(rc));
                goto out;
            }
            rc = check_path(target, false, false, depth + 1, why_r);
            if (rc)
                goto out;
            free(target);
            target = NULL;
            if (stat(p, &st)) {
                rc = errno;
                goto out;
            }
        }
        if (!S_ISDIR(st.st_mode)) {
            xl_kcache__why(why_r, "%s is not a directory", p);
            rc = ENOTDIR;
            goto out;
        }
        if ((st.st_mode & 022) &&
            ((last && strict_last) || !(st.st_mode & S_ISVTX))) {
            xl_kcache__why(why_r,
                           "unsafe ancestor %s: writable by group or others%s",
                           p, last && strict_last ? "" : " and not sticky");
            rc = EPERM;
            goto out;
        }
        p[i] = c;
    }
out:
    free(target);
    free(p);
    return rc;
}

int xl_kcache_dir_check(const struct xl_kcache_opts *o, char **why_r)
{
    return check_path(xl_kcache__dir(o), true, true, 0, why_r);
}

/* The cache directory must exist (created on demand), be ours, and not be
 * writable by anyone else, nor any directory above it swappable by anyone
 * else: root hands these files to the hypervisor. */
int xl_kcache__dir_ready(const char *dir, bool create, char **why_r)
{
    struct stat st;
    int rc;

    /* Nothing is made under an unsafe ancestor. */
    rc = check_path(dir, true, create, 0, why_r);
    if (rc)
        return rc;
    if (create) {
        rc = mkdir_p(dir);
        if (rc) {
            xl_kcache__why(why_r, "cannot create %s: %s", dir, strerror(rc));
            return rc;
        }
    }
    if (lstat(dir, &st)) {
        rc = errno;
        xl_kcache__why(why_r, "%s: %s", dir, strerror(rc));
        return rc;
    }
    if (!S_ISDIR(st.st_mode)) {
        xl_kcache__why(why_r, "%s is not a directory", dir);
        return ENOTDIR;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 0022)) {
        xl_kcache__why(why_r,
                       "%s is not owned by uid %u or is writable by others",
                       dir, (unsigned)geteuid());
        return EPERM;
    }
    /* What mkdir made: the whole path again. */
    rc = create ? check_path(dir, true, false, 0, why_r) : 0;
    if (rc)
        return rc;
    if (access(dir, W_OK | X_OK)) {
        rc = errno;
        xl_kcache__why(why_r, "%s is not writable: %s", dir, strerror(rc));
        return rc;
    }
    return 0;
}
