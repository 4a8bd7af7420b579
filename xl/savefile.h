/*
 * savefile.h: the xl save-file header and the migration handshake
 * messages, as Xen's xl writes and expects them (so a file or stream from
 * either toolstack is read by the other). save/restore (cmd_save.c) and
 * migrate (cmd_migrate.c) use them, mostly through stream.c.
 *
 * Layout (all integers in the saving host's byte order):
 *   32 bytes   magic XL_SAVEFILE_MAGIC
 *   4 x u32    byte order mark 0x01020304, mandatory flags, optional
 *              flags, length of the optional data
 *   optional   u32 config length N, then N bytes of config: JSON of the
 *              libxl_domain_config (NUL included) when the JSON flag is
 *              set, else an xl.cfg text
 * then libxl's own save/migration stream. A restore must refuse unknown
 * mandatory flags; optional flags and trailing optional data are skipped.
 *
 * The helpers here are pure (no libxl, no I/O) so they are unit tested;
 * they return 0 or an errno value and, on error, point *why_r at a
 * static explanation.
 */
#ifndef XL_SAVEFILE_H
#define XL_SAVEFILE_H

#include <stddef.h>
#include <stdint.h>

#define XL_SAVEFILE_MAGIC "Xen saved domain, xl format\n \0 \r"
#define XL_SAVEFILE_MAGIC_LEN 32
#define XL_SAVEFILE_HEADER_LEN 48
#define XL_SAVEFILE_BYTEORDER 0x01020304u
#define XL_SAVEFILE_FLAG_JSON (1u << 0)     /* config is libxl JSON */
#define XL_SAVEFILE_FLAG_STREAMV2 (1u << 1) /* libxl stream version 2 */
#define XL_SAVEFILE_FLAGS_KNOWN                                                \
    (XL_SAVEFILE_FLAG_JSON | XL_SAVEFILE_FLAG_STREAMV2)
/* We refuse larger optional data: a garbage length must not make us
 * allocate gigabytes (a real config is a few KiB). */
#define XL_SAVEFILE_MAX_OPTDATA (16u << 20)

/* Migration handshake: the receiver's banner is sent without its NUL,
 * every other message with it (the reference's sizes, on the wire). */
#define XL_MIGRATE_BANNER                                                      \
    "xl migration receiver ready, send binary domain data.\n"
#define XL_MIGRATE_BANNER_LEN (sizeof(XL_MIGRATE_BANNER) - 1)
#define XL_MIGRATE_READY "domain received, ready to unpause"
#define XL_MIGRATE_GO "domain is yours, you are cleared to unpause"
#define XL_MIGRATE_REPORT "my copy unpause results are as follows"
/* After REPORT, one status byte: 0 the domain runs at the target; else it
 * failed there and the target sends GO back once its copy is gone. */

typedef struct xl_savefile_header {
    uint32_t mandatory_flags;
    uint32_t optional_flags;
    uint32_t optional_data_len;
} xl_savefile_header;

/*
 * Header and optional data for `config` (config_len bytes; 0 for none),
 * into a malloc'd *buf_r of *len_r bytes. `json`: the config is libxl
 * JSON (sets the JSON flag). The stream flag is always set: libxl writes
 * version 2 streams. Returns 0, EINVAL (config too large) or ENOMEM.
 */
int xl_savefile_encode(const char *config, size_t config_len, int json,
                       uint8_t **buf_r, size_t *len_r);

/* Check the fixed header (XL_SAVEFILE_HEADER_LEN bytes of buf; len is
 * what was read, a short file is an error). Returns 0 or EINVAL. */
int xl_savefile_decode_header(const uint8_t *buf, size_t len,
                              xl_savefile_header *h_r, const char **why_r);

/* The config inside the optional data `opt` (h->optional_data_len
 * bytes): *config_r points into opt, *config_len_r is 0 when there is no
 * config. Returns 0 or EINVAL (truncated). */
int xl_savefile_decode_optdata(const xl_savefile_header *h, const uint8_t *opt,
                               const uint8_t **config_r, size_t *config_len_r,
                               const char **why_r);

#endif /* XL_SAVEFILE_H */
