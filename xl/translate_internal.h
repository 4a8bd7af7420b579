/*
 * translate_internal.h: what the files of the translation (translate.c,
 * translate_values.c, translate_devices.c) share: its state and the
 * helpers that read values with the reference's leniency. Not for the
 * rest of xl, which calls xl_translate() (translate.h).
 */
#ifndef XL_TRANSLATE_INTERNAL_H
#define XL_TRANSLATE_INTERNAL_H

#include <stdbool.h>

#include <libxl.h>

#include "libxlcfg.h"

struct xl_conf;

/* Where Debian's Xen 4.17 keeps pvgrub (the reference's XENFIRMWAREDIR). */
#define XL_XENFIRMWAREDIR "/usr/lib/xen-4.17/boot"

/* Bounds of the HVM MMIO hole below 4G (xen/hvm/e820.h). */
#define XL_MMIO_HOLE_MIN 0x10000000ULL
#define XL_MMIO_HOLE_MAX 0xF0000000ULL

/* Translation state: where to report, and whether anything failed. */
typedef struct translation {
    libxl_ctx *ctx;
    const xlcfg_cfg *cfg;
    xlcfg_diags *d;
    int rc; /* first hard failure (EINVAL after any error, or ENOMEM) */
    int nr_cpus;
    unsigned *cpu_to_node; /* NULL: all on node 0 */
    const struct xl_conf *conf;
    bool reference_scripts; /* XL_TR_REFERENCE_SCRIPTS */
} translation;

/* --- translate_values.c: diagnostics, typed access, CPU maps --- */
int tr_alloc_bitmap(translation *t, libxl_bitmap *bm, int bits);
void tr_err_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int tr_get_defbool(translation *t, const char *key, libxl_defbool *b);
int tr_get_list(translation *t, const char *key, const xlcfg_value **r);
int tr_get_long(translation *t, const char *key, long *r);
int tr_get_long_quiet(translation *t, const char *key, long *r);
void tr_get_replace(translation *t, const char *key, char **dst);
int tr_get_str(translation *t, const char *key, const char **r);
void tr_host_cpus(translation *t);
const char *tr_item_str(translation *t, const char *key,
                        const xlcfg_value *item);
int tr_list_to_strings(translation *t, const char *key, const xlcfg_value *list,
                       libxl_string_list *r);
/* A note: what translation could not check here (no hypervisor). */
void tr_note_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tr_oom(translation *t);
const void *tr_parsed(translation *t, const void *spec, const xlcfg_value *v);
void tr_replace(translation *t, char **dst, const char *s);
int tr_split_words(translation *t, const char *s, const char *delim,
                   libxl_string_list *r);
char *tr_trimmed(translation *t, const char *b, const char *e);
void tr_vcpu_affinity(translation *t, libxl_domain_build_info *b,
                      const char *key, bool hard);
void tr_warn_at(translation *t, const xlcfg_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
char *tr_xdup(translation *t, const char *s);

/* --- translate_devices.c: devices and other lists --- */
void tr_add_vfb_vkb(translation *t, libxl_domain_config *dc,
                    libxl_device_vfb **vfb_r);
void tr_refuse_unsupported(translation *t);
void tr_top_level_vnc_sdl(translation *t, libxl_vnc_info *vnc,
                          libxl_sdl_info *sdl);
void tr_channels(translation *t, libxl_domain_config *dc);
void tr_cpuid(translation *t, libxl_domain_build_info *b);
void tr_disks(translation *t, libxl_domain_config *dc);
void tr_dtdevs(translation *t, libxl_domain_config *dc);
void tr_extra_args(translation *t, const char *key, libxl_string_list *l);
void tr_ioports_irqs_iomem(translation *t, libxl_domain_build_info *b);
void tr_nics(translation *t, libxl_domain_config *dc);
void tr_pci(translation *t, libxl_domain_config *dc);
void tr_rdm(translation *t, libxl_domain_build_info *b);
void tr_vfbs(translation *t, libxl_domain_config *dc);
void tr_vtpms(translation *t, libxl_domain_config *dc);

#endif /* XL_TRANSLATE_INTERNAL_H */
