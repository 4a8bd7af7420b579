/*
 * stream.h: what save/restore (cmd_save.c) and migrate/migrate-receive
 * (cmd_migrate.c) share, below the commands: the config stored with a
 * domain, the save-file header and config written ahead of libxl's stream
 * and read back, the migration handshake messages, and the build of a
 * domain from an incoming stream. The byte formats are savefile.h's.
 *
 * All I/O is on plain fds: the save file and the migration pipes carry
 * libxl's stream right after our header, so no stdio buffering may read
 * ahead. Unless said otherwise, functions return 0, or 1 with the reason
 * printed (xl_err).
 */
#ifndef XL_STREAM_H
#define XL_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxl.h>

#include "monitor.h"
#include "savefile.h"

/* Options of the commands that build a domain from a stream (restore
 * uses them all, migrate-receive debug and monitor). */
struct xl_restore_opts {
    bool paused, debug, vnc, vncpass;
    xl_monitor_mode monitor;
};

/* What precedes libxl's stream in a save file or a migration. */
struct xl_incoming {
    xl_savefile_header hdr;
    char *config; /* NUL-terminated copy, NULL if none was stored */
    size_t config_len;
};

/* Read exactly the fixed message `msg` (len bytes) from fd ("what" names
 * the message in the reason). */
int xl_stream_expect(int fd, const char *msg, size_t len, const char *what);

/* The config to store with a saved or migrating domain, as the reference
 * does: libxl's view of the running domain (or the xl.cfg `override`,
 * translated as create does), as JSON; with keep_domid it names domid.
 * *json_r is malloc'd. */
int xl_stream_config_json(uint32_t domid, const char *override, bool keep_domid,
                          char **json_r);

/* Write the header and the config (JSON, its NUL included, as the
 * reference) to fd. Returns 0 or an errno value (nothing printed). */
int xl_stream_write_header(int fd, const char *json);

/* Read and check the header and config from fd into *in (`source` names
 * it in messages); the caller frees in->config. */
int xl_stream_read_incoming(int fd, const char *source, struct xl_incoming *in);

/* The domain's config into *dc: the xl.cfg `override` if given, else the
 * one stored in `in` (libxl JSON, or an xl.cfg text translated with
 * xl.conf `conf`). */
int xl_stream_incoming_config(const struct xl_conf *conf,
                              const struct xl_incoming *in, const char *source,
                              const char *override, libxl_domain_config *dc);

/* Build the domain from the libxl stream on fd that follows `in`'s header
 * (restore, migrate-receive): under the build lock (xl.conf `conf`),
 * refusing a name in use; with `debug` the config goes to stderr first;
 * unpaused unless `paused`. Returns 0 with *domid_r set, or 1 with
 * nothing left behind. */
int xl_stream_build_incoming(const struct xl_conf *conf,
                             const struct xl_incoming *in, int fd,
                             libxl_domain_config *dc, bool debug, bool paused,
                             uint32_t *domid_r);

/* After a save or migration that failed: resume the domain if it was
 * suspended. A domain still running is left alone, since a cooperative
 * resume of a running guest would corrupt its state. Returns a phrase
 * for the user's message saying what became of the domain. */
const char *xl_stream_resume_if_suspended(uint32_t domid);

#endif /* XL_STREAM_H */
