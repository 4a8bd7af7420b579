/* console.h: running xenconsole, shared by `xl console` and `create -c`. */
#ifndef XL_CONSOLE_H
#define XL_CONSOLE_H

#include <stdint.h>
#include <sys/types.h>

#include <libxl.h>

/* Replace this process with xenconsole for console `num` of `type`
 * ("pv", "serial" or "vuart") of domid. notify_fd >= 0 is passed as
 * --start-notify-fd (xenconsole writes a byte there once attached).
 * Ctrl-] detaches: 4.17's xenconsole takes no other escape character.
 * Returns only on failure, with a message printed. */
void xl_console_exec(uint32_t domid, int num, const char *type, int notify_fd);

/*
 * The console client of `create -c`: xenconsole is started the moment
 * libxl says a console exists, while the domain is still paused, and the
 * domain is unpaused only once the client is attached, so no byte of the
 * boot is lost. With a bootloader (pygrub) libxl says so twice: the
 * bootloader's pty first, then the guest's console; the first client
 * ends with the bootloader. One client per process.
 */

/* Before libxl_domain_create_new: the notification pipe, and *how for
 * its console-available argument. Returns 0, or 1 (message printed). */
int xl_console_client_prepare(libxl_ctx *c, libxl_asyncprogress_how *how);
/* The domain is built (paused): wait until the client is attached. */
void xl_console_client_attached(void);
/* The domain will not run: end the client (terminal restored). */
void xl_console_client_abandon(void);
/* The running client's pid (-1: none); the caller now owns it. */
pid_t xl_console_client_take(void);

#endif /* XL_CONSOLE_H */
