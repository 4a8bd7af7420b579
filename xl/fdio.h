/* fdio.h: whole reads and writes on file descriptors, for xl and for the
 * parts of it built without libxl (the kernel cache's tests and fuzzer). */
#ifndef XL_FDIO_H
#define XL_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* write(2) all of buf, retrying on EINTR and short writes. Returns 0 or
 * an errno value. */
int xl_write_all(int fd, const void *buf, size_t len);

/* read(2) up to len bytes, retrying on EINTR and short reads: the bytes
 * read (fewer than len only at end of file), or -1 with errno. */
ssize_t xl_read_full(int fd, void *buf, size_t len);

/* read(2) exactly len bytes, retrying on EINTR and short reads. Returns 0,
 * an errno value, or EIO when the file ends first. */
int xl_read_all(int fd, void *buf, size_t len);

#endif
