/*
 * libxlcfg: reader, validator and editor for xl.cfg / xm-era domain
 * configuration files.
 *
 * Contract for every function here, unless its comment says otherwise:
 *  - it returns 0 on success or a positive errno value (ENOMEM, EINVAL,
 *    ENOENT, ERANGE, ...); it never exits and never prints;
 *  - diagnostics (errors, warnings, notes, each with file, line, column and
 *    an optional hint) are appended to a caller-owned xlcfg_diags, which may
 *    be NULL when the caller does not want them;
 *  - a `const` pointer returned by the library is borrowed: it stays valid
 *    until the object it came from (cfg, diags, spec struct) is freed;
 *  - there is no global state: distinct objects may be used from distinct
 *    threads.
 *
 * libxlcfg depends on nothing but libc and exposes no libxl types; xl/
 * translates its model into libxl_domain_config.
 */
#ifndef LIBXLCFG_H
#define LIBXLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Source positions
 */

/* A region of one source text. Lines and columns count from 1; columns
 * count bytes. [begin, end) are byte offsets into that source's text. */
typedef struct xlcfg_span {
    unsigned line;
    unsigned col;
    size_t begin;
    size_t end;
} xlcfg_span;

/* Where a value came from, for diagnostics raised outside the parser (spec
 * parsers, validation, xl). `file` and `source_line` are borrowed;
 * `source_line` points at the start of the line and ends at '\n' or NUL
 * (it need not be NUL-terminated at the line end). Any field may be
 * NULL/0 when unknown (e.g. a spec given on xl's command line). */
typedef struct xlcfg_loc {
    const char *file;
    unsigned line;
    unsigned col;
    const char *source_line;
} xlcfg_loc;

/* ------------------------------------------------------------------------
 * Diagnostics
 */

typedef enum xlcfg_severity {
    XLCFG_SEV_ERROR,
    XLCFG_SEV_WARNING,
    XLCFG_SEV_NOTE,
} xlcfg_severity;

/* One diagnostic. Every string is owned by the list (copied on add). */
typedef struct xlcfg_diag {
    const char *file;   /* NULL if unknown */
    unsigned line, col; /* 0 if unknown */
    xlcfg_severity severity;
    const char *message;     /* no trailing newline, no "error:" prefix */
    const char *hint;        /* NULL if none, e.g. "did you mean 'memory'?" */
    const char *source_line; /* text of the line, no newline; NULL if unknown */
} xlcfg_diag;

typedef struct xlcfg_diags xlcfg_diags;

/* At most this many errors are recorded per list; the next one is replaced
 * by a single note saying that further errors were suppressed. Warnings
 * and notes are capped the same way, separately. */
#define XLCFG_DIAG_MAX 20

xlcfg_diags *xlcfg_diags_new(void); /* NULL only on out of memory */
void xlcfg_diags_free(xlcfg_diags *d);
size_t xlcfg_diags_count(const xlcfg_diags *d);
const xlcfg_diag *xlcfg_diags_get(const xlcfg_diags *d, size_t i);
size_t xlcfg_diags_errors(const xlcfg_diags *d);
size_t xlcfg_diags_warnings(const xlcfg_diags *d);

/* Append a diagnostic at `loc` (may be NULL). `hint` may be NULL. Returns
 * 0 or ENOMEM. A NULL `d` is accepted and ignored (returns 0). */
int xlcfg_diags_add(xlcfg_diags *d, xlcfg_severity sev, const xlcfg_loc *loc,
                    const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Render all diagnostics compiler-style into a malloc'd string:
 *   FILE:LINE:COL: error: message
 *       the source line
 *       ^
 *   FILE:LINE:COL: note: hint          (when there is a hint)
 * Unknown parts are left out (no ":0"). Returns NULL on out of memory;
 * the caller frees. */
char *xlcfg_diags_format(const xlcfg_diags *d);

/* Render as a JSON array of objects {file, line, col, severity, message,
 * hint}; malloc'd, NULL on out of memory. */
char *xlcfg_diags_format_json(const xlcfg_diags *d);

/* `s` as a JSON string, quotes included, as the diagnostics are written:
 * valid UTF-8 as is, any other byte escaped (always valid JSON, whatever
 * a file name holds); malloc'd, NULL on out of memory. */
char *xlcfg_json_string(const char *s);

/* ------------------------------------------------------------------------
 * Syntax tree and effective values
 */

typedef enum xlcfg_type {
    XLCFG_STRING,
    XLCFG_NUMBER,
    XLCFG_LIST,
} xlcfg_type;

/* A value as written. Read-only for callers. */
typedef struct xlcfg_value {
    xlcfg_type type;
    /* STRING: the decoded bytes, NUL-terminated (a "\0" escape is an
     * error, so strlen(text) is the length). NUMBER: the digits exactly as
     * written. LIST: NULL. */
    char *text;
    struct xlcfg_value **items; /* LIST: its items, in order */
    size_t nitems;
    xlcfg_span span; /* the whole value: quotes or brackets included */
    char quote;      /* STRING: '\'' or '"'; otherwise 0 */
    unsigned source; /* index of the source it was read from */
} xlcfg_value;

/* One statement `key = value` or `key += value`, as written. */
typedef struct xlcfg_setting {
    const char *key;
    xlcfg_span key_span;
    bool append; /* += */
    const xlcfg_value *value;
    xlcfg_span span; /* key through end of value (not the terminator) */
    unsigned source;
} xlcfg_setting;

typedef struct xlcfg_cfg xlcfg_cfg;

xlcfg_cfg *xlcfg_new(void); /* NULL only on out of memory */
void xlcfg_free(xlcfg_cfg *cfg);

/* Parse one source text and add its statements to cfg; sources read later
 * override earlier ones (xl's `key=value` arguments are read this way,
 * named "<command line>"). `name` is used in diagnostics and copied.
 * Every syntax error of the text is reported (up to XLCFG_DIAG_MAX), not
 * only the first. Statements that parsed are kept even when others did
 * not. Returns 0, EINVAL if there was any syntax error, ENOMEM. */
int xlcfg_read(xlcfg_cfg *cfg, const char *name, const char *data, size_t len,
               xlcfg_diags *d);

/* The largest config file read: far above any real config (a config of
 * a thousand disks is well under 1 MiB). */
#define XLCFG_FILE_MAX (16 << 20)

/* xlcfg_read() on the contents of `path` ("-" is not special), a regular
 * file of at most XLCFG_FILE_MAX bytes: a FIFO, device or socket is
 * refused without blocking (ENOTSUP), a larger file with EFBIG. Returns
 * those, the errno of open/read (each with a diagnostic naming the file)
 * or as xlcfg_read(). */
int xlcfg_read_file(xlcfg_cfg *cfg, const char *path, xlcfg_diags *d);

/* Sources read so far: name and full text (borrowed). */
size_t xlcfg_nsources(const xlcfg_cfg *cfg);
const char *xlcfg_source_name(const xlcfg_cfg *cfg, unsigned source);
const char *xlcfg_source_text(const xlcfg_cfg *cfg, unsigned source,
                              size_t *len_r);

/* All statements of all sources, in reading order. */
size_t xlcfg_nsettings(const xlcfg_cfg *cfg);
const xlcfg_setting *xlcfg_setting_at(const xlcfg_cfg *cfg, size_t i);

/* The effective value of `key`: the last assignment, with any later `+=`
 * applied (string += string concatenates, list += list appends; items keep
 * their own spans). NULL if the key is not set. */
const xlcfg_value *xlcfg_get(const xlcfg_cfg *cfg, const char *key);

/* Location of a value for diagnostics: for a string, the column of its
 * first character inside the quotes; otherwise the value's first byte. */
void xlcfg_value_loc(const xlcfg_cfg *cfg, const xlcfg_value *v,
                     xlcfg_loc *loc_r);
/* Location of a statement's key (where "unknown key" points). */
void xlcfg_setting_key_loc(const xlcfg_cfg *cfg, const xlcfg_setting *s,
                           xlcfg_loc *loc_r);

/* Location of the key of the last statement that set `key` (where a
 * diagnostic about the key itself points). ENOENT (loc_r zeroed) if the
 * key is not set. Not a read: see read tracking below. */
int xlcfg_key_loc(const xlcfg_cfg *cfg, const char *key, xlcfg_loc *loc_r);

/* Read tracking: which top-level keys a consumer (xl's translation) asked
 * for, so that a test can prove that every key of the table is used.
 * After xlcfg_reads_reset(), every call of xlcfg_get() and of the typed
 * getters below records the key it was asked for, set or not, until the
 * cfg is freed or reset again; nothing is recorded before the first
 * reset. xlcfg_validate() and xlcfg_key_loc() never record.
 *
 * The record lives outside the struct the const pointer points at (the
 * cfg holds a pointer to it), so getters taking a const cfg update it:
 * while recording, one cfg must not be read from two threads at once.
 */
/* Start recording afresh (forget what was recorded): 0 or ENOMEM. */
int xlcfg_reads_reset(xlcfg_cfg *cfg);
/* Whether `key` was asked for since the last reset (false when not
 * recording). */
bool xlcfg_key_was_read(const xlcfg_cfg *cfg, const char *key);
/* Every distinct key asked for since the last reset, sorted by name,
 * including keys outside the table and keys that were not set. `*names_r`
 * is a malloc'd array (free it only) of borrowed names, valid until the
 * next reset or until the cfg is freed. EINVAL if not recording; ENOMEM
 * if the array cannot be allocated or a name could not be recorded. */
int xlcfg_reads_list(const xlcfg_cfg *cfg, const char ***names_r, size_t *n_r);

/* Typed getters. ENOENT if the key is not set (no diagnostic); EINVAL if
 * it has the wrong type or form, with a diagnostic at the value that names
 * the key, what was expected and what was found; ERANGE if out of range. */
/* A string; a number is accepted too and gives its digits as written, as
 * the reference does (name = 1 names the domain "1"). */
int xlcfg_get_string(const xlcfg_cfg *cfg, const char *key, const char **r,
                     xlcfg_diags *d);
/* A number, or a string holding one (the reference accepts memory='512');
 * converted with base 0 as strtoll does: 0x1f is 31 and 010 is 8. */
int xlcfg_get_long(const xlcfg_cfg *cfg, const char *key, long long *r,
                   xlcfg_diags *d);
/* A number: 0 is false, anything else true (as the reference). */
int xlcfg_get_bool(const xlcfg_cfg *cfg, const char *key, bool *r,
                   xlcfg_diags *d);
int xlcfg_get_list(const xlcfg_cfg *cfg, const char *key, const xlcfg_value **r,
                   xlcfg_diags *d);
/* A list of strings, or one string taken as a one-item list. `*r` is a
 * malloc'd NULL-terminated array of borrowed strings: free(*r) only. */
int xlcfg_get_strlist(const xlcfg_cfg *cfg, const char *key, const char ***r,
                      size_t *n_r, xlcfg_diags *d);

/* ------------------------------------------------------------------------
 * Known keys (data: one sorted table drives validation, "did you mean",
 * the man page check and shell completion)
 */

typedef enum xlcfg_keytype {
    XLCFG_KT_STRING,
    XLCFG_KT_NUMBER,
    XLCFG_KT_BOOL,
    XLCFG_KT_LIST,
    XLCFG_KT_STRING_OR_LIST,
} xlcfg_keytype;

enum {
    XLCFG_KF_XM = 1u << 0,         /* xm-era key: accepted with a warning */
    XLCFG_KF_DEPRECATED = 1u << 1, /* still works; a newer key exists */
    XLCFG_KF_HVM = 1u << 2,        /* meaningful for HVM guests only */
    XLCFG_KF_PV = 1u << 3,         /* meaningful for PV guests only */
    XLCFG_KF_REFUSED = 1u << 4,    /* known, but a config using it is
                                      refused (by xl's translation) */
};

typedef struct xlcfg_keyinfo {
    const char *name;
    xlcfg_keytype type;
    long long min, max; /* NUMBER bounds, inclusive; min > max: none */
    unsigned flags;     /* XLCFG_KF_* */
    const char *doc;    /* one line, for help and the man page */
    const char *note;   /* XM/DEPRECATED: what happens to the key;
                           REFUSED: why, and what to write instead */
} xlcfg_keyinfo;

const xlcfg_keyinfo *xlcfg_key_lookup(const char *name); /* NULL: unknown */
size_t xlcfg_keys(const xlcfg_keyinfo **table_r);        /* sorted by name */
/* Closest known key by edit distance, or NULL if nothing is close. */
const char *xlcfg_key_suggest(const char *name);
/* The same rule over the caller's own NULL-terminated `words` (e.g. the
 * options of another file format): one of them, or NULL. */
const char *xlcfg_suggest(const char *word, const char *const *words);

/* Check every effective key: known (else a warning with "did you mean"),
 * type and bounds, xm-era keys (warning saying what happens), refused
 * keys (an error at the key: "'KEY' is NOTE"), and every
 * item of disk/vif/pci/cpus/cpus_soft lists through the spec parsers
 * below, with diagnostics at the item. The parsed specs are kept in cfg
 * (see xlcfg_parsed_disk()), so that no caller parses them again; the
 * previous ones are dropped. Returns 0 if no error was found, EINVAL, or
 * ENOMEM. */
int xlcfg_validate(xlcfg_cfg *cfg, xlcfg_diags *d);

/* The specs xlcfg_validate() parsed, by item: item i of the effective
 * list of disk, vif, pci (or of cpus, cpus_soft: `key`; a value that is
 * not a list is item 0). Borrowed: valid until the cfg is freed, read
 * again (xlcfg_read) or validated again. NULL if validation has not run,
 * the key is not set, i is past the end, or that item did not parse. */
const struct xlcfg_disk *xlcfg_parsed_disk(const xlcfg_cfg *cfg, size_t i);
const struct xlcfg_vif *xlcfg_parsed_vif(const xlcfg_cfg *cfg, size_t i);
const struct xlcfg_pci *xlcfg_parsed_pci(const xlcfg_cfg *cfg, size_t i);
const struct xlcfg_cpulist *xlcfg_parsed_cpulist(const xlcfg_cfg *cfg,
                                                 const char *key, size_t i);

/* ------------------------------------------------------------------------
 * Spec parsers. Each takes the spec text, the location of its first
 * character (NULL if none), fills a caller-provided struct (always
 * initialised first, so dispose is safe after failure), and reports
 * problems at `loc` with the column advanced to the offending part.
 * Returns 0, EINVAL (with diagnostics), ENOMEM. Strings in the structs are
 * malloc'd and released by the matching _dispose().
 */

/* -- disk (xl-disk-configuration(5)) -- */
typedef enum xlcfg_disk_format {
    XLCFG_DISK_FORMAT_UNSPEC, /* libxl's default: raw */
    XLCFG_DISK_FORMAT_RAW,
    XLCFG_DISK_FORMAT_QCOW,
    XLCFG_DISK_FORMAT_QCOW2,
    XLCFG_DISK_FORMAT_VHD,
    XLCFG_DISK_FORMAT_QED,
    XLCFG_DISK_FORMAT_EMPTY,
} xlcfg_disk_format;

typedef enum xlcfg_disk_backend {
    XLCFG_DISK_BACKEND_UNSPEC,
    XLCFG_DISK_BACKEND_PHY,
    XLCFG_DISK_BACKEND_QDISK,
    XLCFG_DISK_BACKEND_TAP,
    XLCFG_DISK_BACKEND_STANDALONE,
} xlcfg_disk_backend;

typedef enum xlcfg_disk_specification {
    XLCFG_DISK_SPEC_UNSPEC, /* libxl's default: xen */
    XLCFG_DISK_SPEC_XEN,
    XLCFG_DISK_SPEC_VIRTIO,
} xlcfg_disk_specification;

typedef struct xlcfg_disk {
    /* pdev path as written: "" when given empty (",hdc:cdrom,r"), NULL
     * when not given at all ("vdev=hdc,devtype=cdrom"); the reference
     * keeps the same distinction in its JSON. */
    char *target;
    char *vdev; /* "xvda", "hdc", "0x301", ...; required */
    xlcfg_disk_format format;
    xlcfg_disk_backend backendtype;
    char *backend;       /* backend domain name, NULL: dom0 */
    char *script;        /* NULL: libxl's default ("block") */
    bool readwrite;      /* access=w (default) vs r */
    bool cdrom;          /* devtype=cdrom or the `cdrom` flag */
    bool is_cdrom_empty; /* cdrom with no target */
    int discard;         /* -1 unspecified, 0 no-discard, 1 discard */
    bool direct_io_safe;
    int trusted;         /* -1 unspecified, 0 untrusted, 1 trusted */
    char *legacy_prefix; /* e.g. "tap:aio:", NULL if none (for notes) */
    xlcfg_disk_specification specification; /* specification=xen|virtio */
    int colo;                               /* -1, 0 no-colo, 1 colo */
    char *colo_host;                        /* COLO keys, NULL if unset */
    int colo_port; /* 0: unset; atoi() of the value, as the reference */
    char *colo_export;
    char *active_disk;
    char *hidden_disk;
} xlcfg_disk;

int xlcfg_parse_disk(const char *spec, const xlcfg_loc *loc, xlcfg_disk *r,
                     xlcfg_diags *d);
/* One disk from several command-line arguments (xl block-attach D ARG...):
 * each is scanned on its own with the state carried over, as Xen's xl
 * does, so target= takes only the rest of its own argument. `loc` is
 * where the first starts, in a line showing them one blank apart. */
int xlcfg_parse_disk_args(size_t nargs, const char *const *args,
                          const xlcfg_loc *loc, xlcfg_disk *r, xlcfg_diags *d);
void xlcfg_disk_dispose(xlcfg_disk *disk);
/* Xen virtual device number of a vdev ("xvda" -> 51712, "hda" -> 768,
 * "0x301" -> 769, "xvda1" -> 51713, "d0p1" -> 51713), as libxl computes
 * it; -1 if the name is invalid. *partition_r (may be NULL) gets the
 * partition (0 for a whole disk or a bare number). */
int xlcfg_vdev_to_devid(const char *vdev, int *partition_r);

/* -- vif (xl-network-configuration(5)) -- */
typedef enum xlcfg_vif_type {
    XLCFG_VIF_TYPE_UNSPEC,
    XLCFG_VIF_TYPE_VIF,
    XLCFG_VIF_TYPE_IOEMU,
} xlcfg_vif_type;

typedef struct xlcfg_vif {
    char *mac;    /* normalised "00:16:3e:xx:xx:xx"; NULL: random */
    char *bridge; /* NULL: default xenbr0 */
    char *ip;     /* space-separated addresses, as written */
    char *script; /* NULL: default vif-bridge */
    char *model;  /* HVM NIC model, NULL: default */
    char *vifname;
    char *backend;
    char *gatewaydev;
    char *rate;                       /* as written, NULL if none */
    uint64_t rate_bytes_per_interval; /* 0: unlimited */
    uint32_t rate_interval_usecs;
    xlcfg_vif_type type;
    int mtu;     /* 0: unspecified */
    int devid;   /* -1: unspecified */
    int trusted; /* -1 unspecified, 0 untrusted, 1 trusted (flags) */
    /* COLO options (forwarddev=, colo_*=), each "key=value" as written,
     * in order (a later one of a key wins); the translation to libxl puts
     * each in the libxl_device_nic field of that name (forwarddev in
     * coloft_forwarddev). */
    char **colo;
    size_t ncolo;
} xlcfg_vif;

int xlcfg_parse_vif(const char *spec, const xlcfg_loc *loc, xlcfg_vif *r,
                    xlcfg_diags *d);
/* One vif from command-line arguments (xl network-attach D ARG...): each
 * argument is one KEY=VALUE or flag exactly as written (no ',' splitting,
 * no blanks trimmed), as Xen's xl takes them. `loc` as for disks. */
int xlcfg_parse_vif_args(size_t nargs, const char *const *args,
                         const xlcfg_loc *loc, xlcfg_vif *r, xlcfg_diags *d);
void xlcfg_vif_dispose(xlcfg_vif *vif);
/* "RATE/s[@INTERVAL]" with RATE in B, KB, MB, GB (bytes) or b, Kb, Mb, Gb
 * (bits), INTERVAL in s, ms, us (default 50ms), as the reference: bytes
 * per interval = bytes/s * interval_us / 10^6, rounded down; a leading 0
 * makes a number octal (warned). Overflow is an EINVAL error. */
int xlcfg_parse_rate(const char *s, const xlcfg_loc *loc,
                     uint64_t *bytes_per_interval_r, uint32_t *interval_usecs_r,
                     xlcfg_diags *d);

/* -- cpu list: "all", "N", "N-M", "^N", "node:N", "nodes:N-M", comma
 * separated, applied left to right starting from the empty set -- */
typedef struct xlcfg_cputerm {
    bool negate; /* ^ */
    bool nodes;  /* node: / nodes: */
    bool all;    /* "all" (never negated) */
    unsigned lo, hi;
} xlcfg_cputerm;

typedef struct xlcfg_cpulist {
    xlcfg_cputerm *terms;
    size_t nterms;
} xlcfg_cpulist;

int xlcfg_parse_cpulist(const char *spec, const xlcfg_loc *loc,
                        xlcfg_cpulist *r, xlcfg_diags *d);
void xlcfg_cpulist_dispose(xlcfg_cpulist *l);
/* Apply the terms to a bitmap of nr_cpus bits (bit i of byte i/8), given
 * each CPU's NUMA node (cpu_to_node may be NULL: every CPU on node 0).
 * As the reference, a CPU at or past nr_cpus and a node no CPU is on are
 * skipped (xlcfg_cpulist_absent names them). Returns 0. */
int xlcfg_cpulist_resolve(const xlcfg_cpulist *l, unsigned nr_cpus,
                          const unsigned *cpu_to_node, uint8_t *bitmap);
/* How many terms name CPUs (>= nr_cpus) or nodes (no CPU on them) the
 * host lacks; those CPUs and nodes written to buf ("2-63, node 3"),
 * truncated to len. */
size_t xlcfg_cpulist_absent(const xlcfg_cpulist *l, unsigned nr_cpus,
                            const unsigned *cpu_to_node, char *buf, size_t len);

/* -- pci: "[[DDDD:]BB:]DD.F[@VSLOT][,key=value...]" or "bdf=..." -- */
typedef struct xlcfg_pci {
    unsigned domain, bus, dev, func;
    int vslot;      /* -1: unspecified */
    bool func_all;  /* DD.* */
    int permissive; /* -1 unspecified, else 0/1 (same for below) */
    int msitranslate;
    int seize;
    int power_mgmt;
    char *rdm_policy; /* "strict" | "relaxed", NULL if unspecified */
    char *name;       /* name=..., NULL if none */
} xlcfg_pci;

int xlcfg_parse_pci(const char *spec, const xlcfg_loc *loc, xlcfg_pci *r,
                    xlcfg_diags *d);
void xlcfg_pci_dispose(xlcfg_pci *pci);

/* -- memory sizes: a number with an optional suffix b, k, m, g, t (either
 * case). A bare number is in `default_unit` ('b', 'k', 'm', ...), e.g. 'm'
 * for mem-set. Result in bytes. -- */
int xlcfg_parse_size(const char *s, char default_unit, const xlcfg_loc *loc,
                     uint64_t *bytes_r, xlcfg_diags *d);

/* ------------------------------------------------------------------------
 * Lossless editing. An edit works on the text of one source: every change
 * rewrites only the bytes of the statements it touches, so comments,
 * blank lines, key order and the quoting of untouched lines are kept
 * byte for byte. New keys go after a related key when there is one (type
 * after name, ramdisk after kernel, ...), else at the end. Each change is
 * applied to the text at once and the text re-read, so changes compose.
 */

typedef struct xlcfg_edit xlcfg_edit;

/* Start editing source `source` of cfg (its text is copied). NULL on out
 * of memory or if there is no such source. */
xlcfg_edit *xlcfg_edit_new(const xlcfg_cfg *cfg, unsigned source);
void xlcfg_edit_free(xlcfg_edit *e);

/* Set `key` to a value written in config syntax ("512", "'hvm'",
 * "['a', 'b']"): the last `=` statement of the key gets the new value in
 * place and any `+=` statements of the key are removed; if the key is not
 * set, a new statement is inserted. EINVAL (with a diagnostic) if the key
 * or the value text is not valid. */
int xlcfg_edit_set(xlcfg_edit *e, const char *key, const char *value_text,
                   xlcfg_diags *d);
/* Set `key` to a string, quoted in the file's style (the quote of the
 * value it replaces, else the file's most used quote), escaped as needed. */
int xlcfg_edit_set_string(xlcfg_edit *e, const char *key, const char *s);
int xlcfg_edit_set_number(xlcfg_edit *e, const char *key, long long n);
/* Set `key` to a list of strings. */
int xlcfg_edit_set_strlist(xlcfg_edit *e, const char *key,
                           const char *const *items, size_t n);
/* Remove every statement of `key` (with a comment on the same line, and
 * the whole line when nothing else is on it). ENOENT if it was not set. */
int xlcfg_edit_unset(xlcfg_edit *e, const char *key);
/* Append one string item to list `key` (created if absent); EINVAL if the
 * key holds a string. */
int xlcfg_edit_append(xlcfg_edit *e, const char *key, const char *item);
/* Turn every statement of `key` into a comment by putting `prefix` (e.g.
 * "#xl-boot-policy(hvm): ") before each of its lines, so it can be brought
 * back later with xlcfg_edit_uncomment(). A statement sharing its line
 * with another is first moved to a line of its own. ENOENT if the key is
 * not set. */
int xlcfg_edit_comment_out(xlcfg_edit *e, const char *key, const char *prefix);
/* Remove `prefix` from every line that starts with it and holds a
 * statement of `key` (every key if `key` is NULL), unless that key is
 * already set. Sets *n_r (may be NULL) to the number of statements
 * restored. */
int xlcfg_edit_uncomment(xlcfg_edit *e, const char *key, const char *prefix,
                         size_t *n_r);
/* The edited text (borrowed, NUL-terminated, valid until the next change
 * or free) and the parsed view of it. */
const char *xlcfg_edit_text(const xlcfg_edit *e, size_t *len_r);
const xlcfg_cfg *xlcfg_edit_cfg(const xlcfg_edit *e);

/* A unified diff (3 lines of context) from `old` to `new`, headed
 * "--- a/NAME" / "+++ b/NAME"; "" when equal. malloc'd; NULL on out of
 * memory. */
char *xlcfg_unified_diff(const char *name, const char *old, size_t old_len,
                         const char *new_text, size_t new_len);

/* Write `len` bytes to `path` atomically: a temporary file in the same
 * directory with the original's owner, group and mode, fsync, rename.
 * With `backup` set, the original is first kept as "PATH.bak" (a hard
 * link). Nothing else is left behind. `path` is replaced as a name: give
 * a symlink's target to edit the file it points to; other hard links to
 * the old file keep the old text. Returns 0 or an errno value (EPERM: the
 * owner cannot be kept). */
int xlcfg_write_file_atomic(const char *path, const char *data, size_t len,
                            bool backup);

#ifdef __cplusplus
}
#endif

#endif /* LIBXLCFG_H */
