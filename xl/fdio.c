/* fdio.c: whole reads and writes, and lock files (see fdio.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"

int xl_write_all(int fd, const void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t r = write(fd, (const char *)buf + done, len - done);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        done += (size_t)r;
    }
    return 0;
}

ssize_t xl_read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (!r)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int xl_read_all(int fd, void *buf, size_t len)
{
    ssize_t n = xl_read_full(fd, buf, len);

    if (n < 0)
        return errno;
    return (size_t)n < len ? EIO : 0; /* the file ended (or shrank) first */
}

int xl_lock_file(const char *path, mode_t mode, unsigned flags)
{
    int oflags = flags & XL_LOCK_EXISTING ? O_RDONLY | O_NONBLOCK | O_CLOEXEC
                                          : O_RDWR | O_CREAT | O_CLOEXEC;
    int op = LOCK_EX | (flags & XL_LOCK_NONBLOCK ? LOCK_NB : 0);

    if (flags & XL_LOCK_NOFOLLOW)
        oflags |= O_NOFOLLOW;
    for (;;) {
        struct stat fst, pst;
        int fd = open(path, oflags, mode), r, err;

        if (fd < 0)
            return -1;
        while ((r = flock(fd, op)) && errno == EINTR)
            ;
        if (!r && !(r = fstat(fd, &fst)) && !(r = stat(path, &pst)) &&
            fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
            return fd;
        err = errno;
        close(fd);
        /* again only when the holder unlinked or replaced the file */
        if (r && err != ENOENT) {
            errno = err;
            return -1;
        }
    }
}
