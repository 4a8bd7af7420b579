/* console.c: running xenconsole, and the console client of create -c. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <signal.h>

#include <libxl_utils.h>

#include "console.h"
#include "xl.h"

/* Debian's xen-utils-4.17 keeps the client in libxl's private bin dir. */
static const char *const xenconsole_paths[] = {
    "/usr/lib/xen-4.17/bin/xenconsole",
    "/usr/lib/xen/bin/xenconsole",
    "/usr/libexec/xen/bin/xenconsole",
};

void xl_console_exec(uint32_t domid, int num, const char *type, int notify_fd)
{
    char domid_s[16], num_s[16], fd_s[16];
    const char *argv[12];
    const char *path = NULL;
    int n = 0;

    for (size_t i = 0;
         i < sizeof(xenconsole_paths) / sizeof(xenconsole_paths[0]); i++) {
        if (!access(xenconsole_paths[i], X_OK)) {
            path = xenconsole_paths[i];
            break;
        }
    }
    if (!path) {
        fprintf(stderr, "xl: cannot find xenconsole (is xen-utils-4.17 "
                        "installed?)\n");
        return;
    }
    snprintf(domid_s, sizeof(domid_s), "%u", domid);
    snprintf(num_s, sizeof(num_s), "%d", num);
    argv[n++] = path;
    argv[n++] = domid_s;
    argv[n++] = "--num";
    argv[n++] = num_s;
    argv[n++] = "--type";
    argv[n++] = type;
    if (notify_fd >= 0) {
        snprintf(fd_s, sizeof(fd_s), "%d", notify_fd);
        argv[n++] = "--start-notify-fd";
        argv[n++] = fd_s;
    }
    argv[n] = NULL;
    execv(path, (char *const *)(uintptr_t)argv);
    fprintf(stderr, "xl: cannot run %s: %s\n", path, strerror(errno));
}

/* ------------------------------------------------------------------------
 * The console client of `create -c` (one per process)
 */

static int notify_pipe[2] = {-1, -1};
static pid_t console_pid = -1;
static struct termios saved_tty;
static bool tty_saved;

/* Reap (or end) the console client. Its own exit restores the terminal
 * it found; a client that found the raw mode of an earlier one would
 * leave it raw, so the settings from before the first one come back. */
static void console_reap(int grace_ms)
{
    if (console_pid <= 0)
        return;
    for (; grace_ms > 0; grace_ms -= 50) {
        pid_t r = waitpid(console_pid, NULL, WNOHANG);

        if (r == console_pid || (r < 0 && errno != EINTR))
            goto out;
        usleep(50 * 1000);
    }
    kill(console_pid, SIGTERM);
    while (waitpid(console_pid, NULL, 0) < 0 && errno == EINTR)
        ;
out:
    console_pid = -1;
    if (tty_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* libxl calls this once a console exists, while the domain is still
 * paused: start xenconsole now so it sees every byte of the boot. With a
 * bootloader it calls twice: first for the bootloader's pty (pygrub's
 * menu), then, once the kernel is loaded, for the guest's own console. */
static void console_available(libxl_ctx *ctx_cb, libxl_event *ev, void *priv)
{
    uint32_t domid = ev->domid;
    libxl_dominfo info;
    const char *type = "pv";

    (void)priv;
    libxl_dominfo_init(&info);
    if (!libxl_domain_info(ctx_cb, &info, domid) &&
        info.domain_type == LIBXL_DOMAIN_TYPE_HVM)
        type = "serial";
    libxl_dominfo_dispose(&info);
    libxl_event_free(ctx_cb, ev);

    if (console_pid > 0) {
        /* The bootloader's client: its pty is gone with pygrub, so it
         * ends by itself; then forget its "attached" byte, the wait
         * after create is for the guest's console. */
        char junk[16];
        int fl = fcntl(notify_pipe[0], F_GETFL);

        console_reap(3000);
        if (fl >= 0 && !fcntl(notify_pipe[0], F_SETFL, fl | O_NONBLOCK)) {
            while (read(notify_pipe[0], junk, sizeof(junk)) > 0)
                ;
            fcntl(notify_pipe[0], F_SETFL, fl);
        }
    } else {
        tty_saved =
            isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_tty);
    }
    fflush(stdout);
    fflush(stderr);
    console_pid = fork();
    if (console_pid < 0) {
        xl_err("cannot start the console: %s", strerror(errno));
        return;
    }
    if (console_pid == 0) {
        close(notify_pipe[0]);
        xl_console_exec(domid, 0, type, notify_pipe[1]);
        _exit(1);
    }
}

void xl_console_client_attached(void)
{
    char c;
    ssize_t r;

    close(notify_pipe[1]);
    notify_pipe[1] = -1;
    if (console_pid < 0)
        return;
    do {
        r = read(notify_pipe[0], &c, 1);
    } while (r < 0 && errno == EINTR);
    if (r != 1)
        xl_err("the console did not attach; starting the domain anyway");
    close(notify_pipe[0]);
    notify_pipe[0] = -1;
}

int xl_console_client_prepare(libxl_ctx *c, libxl_asyncprogress_how *how)
{
    if (libxl_pipe(c, notify_pipe)) {
        xl_err("cannot create the console notification pipe");
        return 1;
    }
    memset(how, 0, sizeof(*how));
    how->callback = console_available;
    return 0;
}

void xl_console_client_abandon(void)
{
    console_reap(0);
    if (notify_pipe[0] >= 0)
        close(notify_pipe[0]);
    if (notify_pipe[1] >= 0)
        close(notify_pipe[1]);
    notify_pipe[0] = notify_pipe[1] = -1;
}

pid_t xl_console_client_take(void)
{
    pid_t pid = console_pid;

    console_pid = -1;
    return pid;
}
