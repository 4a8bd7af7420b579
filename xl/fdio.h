/* fdio.h: whole reads and writes on file descriptors, and lock files, for
 * xl and for the parts of it built without libxl. */
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

/* Take an exclusive flock(2) on the file at `path`, created with `mode`
 * if missing. A holder may unlink the file as it lets go (libxl's locks,
 * the kernel cache's), so once the lock is held the name must still
 * refer to the locked file, else try again. Flags: XL_LOCK_NONBLOCK (fail
 * with EWOULDBLOCK when the lock is busy), XL_LOCK_NOFOLLOW (refuse a
 * symlink), XL_LOCK_EXISTING (lock a file that must exist, opened
 * read-only and without blocking, whatever it is: a config being edited,
 * which its editors replace by rename). Returns the fd (close-on-exec),
 * or -1 with errno. */
#define XL_LOCK_NONBLOCK 0x1u
#define XL_LOCK_NOFOLLOW 0x2u
#define XL_LOCK_EXISTING 0x4u
int xl_lock_file(const char *path, mode_t mode, unsigned flags);

#endif
