/* fuzz_xenstore_batch.c: libFuzzer target for the xenstore batch's reply
 * parser. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xenstore_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whatever a run said, every answer is either a clean value or an errno,
 * and a directory's entries are non-empty strings inside its listing. */
static void check_answers(const struct xl_xsb *b, int n, const int *is_dir,
                          int run_rc)
{
    for (int i = 0; i < n; i++) {
        const char *v = NULL;
        size_t len = 0, nent = 0;
        int rc = xl_xsb_value(b, i, &v, &len);

        if (rc == 0 && (!v || v[len] != '\0'))
            abort();
        if (rc == ENODATA && run_rc == 0)
            abort();
        if (rc != 0 && v)
            abort();
        if (!is_dir[i]) {
            if (xl_xsb_dir(b, i, &nent) != (rc ? rc : EINVAL))
                abort();
            continue;
        }
        if (xl_xsb_dir(b, i, &nent) != rc)
            abort();
        if (rc)
            nent = 0;
        for (size_t k = 0; k < nent; k++) {
            const char *e = xl_xsb_dir_entry(b, i, k);

            if (!e || !*e || e < v || e + strlen(e) >= v + len)
                abort();
        }
        if (xl_xsb_dir_entry(b, i, nent))
            abort();
    }
}

static int run_round(struct xl_xsb *b, const char *const *paths, int n)
{
    int is_dir[8];
    int rc;

    for (int i = 0; i < n; i++) {
        /* A leading 'D' marks a DIRECTORY request. */
        is_dir[i] = paths[i][0] == 'D';
        if ((is_dir[i] ? xl_xsb_directory(b, paths[i] + 1)
                       : xl_xsb_read(b, paths[i])) != i)
            abort();
    }
    rc = xl_xsb_run(b);
    if (rc != 0 && rc != EPROTO && rc != EPIPE && rc != ECONNRESET &&
        rc != ENOMEM)
        abort();
    check_answers(b, n, is_dir, rc);
    return rc;
}

/* The input is xenstored's reply stream to a batch of five requests. A
 * round that succeeded is followed by a clear() and a second round on the
 * same connection, which meets the end of the stream: replies to it cannot
 * be in the input, since bytes past the first round's last reply are an
 * unasked-for reply (EPROTO). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const round1[] = {"/a", "D/b", "/c", "D/",
                                         "/local/domain/0/name"};
    static const char *const round2[] = {"/x", "D/y", "/z"};
    struct xl_xsb *b = NULL;
    int sv[2];
    size_t off = 0;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return 0;
    /* The fake end holds the whole stream up front (what fits its buffer;
     * the rest is cut), then says EOF: a run can never wait for more. */
    while (off < size) {
        ssize_t w =
            send(sv[1], data + off, size - off, MSG_DONTWAIT | MSG_NOSIGNAL);

        if (w <= 0)
            break;
        off += (size_t)w;
    }
    shutdown(sv[1], SHUT_WR);
    if (xl_xsb_open_fd(sv[0], &b)) {
        close(sv[1]);
        return 0;
    }
    xl_xsb_set_timeout(b, 2000);
    if (run_round(b, round1, 5) == 0) {
        xl_xsb_clear(b);
        if (run_round(b, round2, 3) != EPIPE)
            abort();
    }
    xl_xsb_close(b);
    close(sv[1]);
    return 0;
}
