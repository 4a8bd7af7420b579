/* console.h: running xenconsole, shared by `xl console` and `create -c`. */
#ifndef XL_CONSOLE_H
#define XL_CONSOLE_H

#include <stdint.h>

/* Replace this process with xenconsole for console `num` of `type`
 * ("pv", "serial" or "vuart") of domid. notify_fd >= 0 is passed as
 * --start-notify-fd (xenconsole writes a byte there once attached).
 * Ctrl-] detaches: 4.17's xenconsole takes no other escape character.
 * Returns only on failure, with a message printed. */
void xl_console_exec(uint32_t domid, int num, const char *type, int notify_fd);

#endif /* XL_CONSOLE_H */
