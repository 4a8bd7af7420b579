/* fdio.c: whole reads and writes on file descriptors (see fdio.h). */
#include <errno.h>
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
