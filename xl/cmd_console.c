/* cmd_console.c: `xl console`: attach the terminal to a guest console. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmdtable.h"
#include "commands.h"
#include "console.h"
#include "ctx.h"
#include "xl.h"

/* ------------------------------------------------------------------
 * -e: our own client. Xen 4.17's xenconsole detaches on Ctrl-] only, so
 * with another escape xl relays between the terminal and the guest's
 * pty itself: same pty, raw terminal, restored on every way out.
 */

static volatile sig_atomic_t relay_stop;

static void relay_on_signal(int sig)
{
    (void)sig;
    relay_stop = 1;
}

/* "^X" is Ctrl-X, a lone character is itself. -1 if neither. */
static int parse_escape(const char *s)
{
    if (s[0] == '^' && s[1] && !s[2])
        return s[1] == '?' ? 0x7f : (s[1] & 0x1f);
    if (s[0] && !s[1])
        return (unsigned char)s[0];
    return -1;
}

static bool domain_alive(uint32_t domid)
{
    libxl_dominfo info;
    bool alive;

    libxl_dominfo_init(&info);
    /* A shut-down domain prints no more: its monitor destroys, keeps
     * or rebuilds it (as a new domain) from here on. */
    alive =
        !libxl_domain_info(ctx, &info, domid) && !info.dying && !info.shutdown;
    libxl_dominfo_dispose(&info);
    return alive;
}

/* Returns 0 on detach or when the domain is gone, 1 on error. */
static int relay(uint32_t domid, int num, libxl_console_type ctype, int esc)
{
    struct termios saved, raw;
    struct sigaction sa = {.sa_handler = relay_on_signal};
    bool tty_in = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
    char *path = NULL, buf[4096];
    int fd = -1, rc = 1;

    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    if (tty_in) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    while (!relay_stop) {
        struct pollfd p[2];
        int n;

        if (fd < 0) {
            /* (Re)open: the pty changes when a bootloader hands over. */
            free(path);
            path = NULL;
            if (libxl_console_get_tty(ctx, domid, num, ctype, &path) ||
                (fd = open(path, O_RDWR | O_NOCTTY)) < 0) {
                if (!domain_alive(domid)) {
                    rc = 0;
                    break;
                }
                usleep(200 * 1000);
                continue;
            }
            /* The guest's side of xenconsoled's pty: no echo, no line
             * discipline, bytes as they are. */
            if (!tcgetattr(fd, &raw)) {
                cfmakeraw(&raw);
                tcsetattr(fd, TCSANOW, &raw);
            }
        }
        p[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        p[1] = (struct pollfd){.fd = fd, .events = POLLIN};
        n = poll(p, 2, 1000);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0) {
            if (!domain_alive(domid)) {
                rc = 0;
                break;
            }
            continue;
        }
        if (p[1].revents) {
            ssize_t r = read(fd, buf, sizeof(buf));

            if (r > 0) {
                if (xl_write_all(STDOUT_FILENO, buf, (size_t)r))
                    break;
            } else if (r == 0 || errno != EINTR) {
                /* xenconsoled closed it: the domain died or the pty is
                 * being replaced. */
                close(fd);
                fd = -1;
                continue;
            }
        }
        if (p[0].revents) {
            ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
            char *e;

            if (r == 0 || (r < 0 && errno != EINTR))
                break; /* no more input: detach */
            if (r < 0)
                continue;
            e = memchr(buf, esc, (size_t)r);
            if (xl_write_all(fd, buf, e ? (size_t)(e - buf) : (size_t)r) || e) {
                rc = e ? 0 : 1;
                break;
            }
        }
    }
    if (relay_stop)
        rc = 0;
    if (fd >= 0)
        close(fd);
    free(path);
    if (tty_in)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    return rc;
}

int main_console(int argc, char **argv)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},
        {"num", required_argument, NULL, 'n'},
        {"escape", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    const char *type = NULL;
    libxl_console_type ctype;
    libxl_dominfo info;
    uint32_t domid;
    char *tty = NULL;
    int opt, rc = 0, num = 0, esc = -1;

    while ((opt = xl_getopt(argc, argv, "t:n:e:", opts, 1, &rc)) != -1) {
        switch (opt) {
        case XL_OPT_EXIT:
            return rc;
        case 't':
            if (strcmp(optarg, "pv") && strcmp(optarg, "serial") &&
                strcmp(optarg, "vuart")) {
                xl_err("console: unknown console type '%s' (pv, serial or "
                       "vuart)",
                       optarg);
                return 2;
            }
            type = optarg;
            break;
        case 'n': {
            char *end;
            long l = strtol(optarg, &end, 10);

            if (*end || end == optarg || l < 0 || l > 1000) {
                xl_err("console: invalid console number '%s'", optarg);
                return 2;
            }
            num = (int)l;
            break;
        }
        case 'e':
            esc = parse_escape(optarg);
            if (esc < 0) {
                xl_err("console: the escape is one character, or ^X for "
                       "Ctrl-X ('%s')",
                       optarg);
                return 2;
            }
            break;
        }
    }
    if (xl_ctx_init())
        return 1;
    if (argc - optind != 1)
        return xl_usage("console");
    if (xl_find_domain(argv[optind], &domid))
        return 1;

    if (!type) {
        /* The primary console: serial for HVM guests, pv otherwise. */
        libxl_dominfo_init(&info);
        if (libxl_domain_info(ctx, &info, domid)) {
            libxl_dominfo_dispose(&info);
            xl_err("console: cannot get information on domain %u", domid);
            return 1;
        }
        type = info.domain_type == LIBXL_DOMAIN_TYPE_HVM ? "serial" : "pv";
        libxl_dominfo_dispose(&info);
    }
    ctype = !strcmp(type, "serial")  ? LIBXL_CONSOLE_TYPE_SERIAL
            : !strcmp(type, "vuart") ? LIBXL_CONSOLE_TYPE_VUART
                                     : LIBXL_CONSOLE_TYPE_PV;
    /* Check that the console exists, to say why when it does not
     * (xenconsole only says "Could not read tty from store"). */
    if (libxl_console_get_tty(ctx, domid, num, ctype, &tty)) {
        if (ctype == LIBXL_CONSOLE_TYPE_SERIAL)
            xl_err("console: domain %u has no serial console %d: add "
                   "serial = \"pty\" to its config (and console=ttyS0 to "
                   "the guest's kernel command line)",
                   domid, num);
        else
            xl_err("console: domain %u has no %s console %d", domid, type, num);
        return 1;
    }
    free(tty);
    if (esc >= 0 && esc != 0x1d)
        return relay(domid, num, ctype, esc);
    xl_console_exec(domid, num, type, -1);
    return 1;
}
