/* sxp.h: a domain's configuration as the S-expressions of xm, which
 * Xen's xl prints for `list -l` and `create -n` when xl.conf says
 * output_format = "sxp". */
#ifndef XL_SXP_H
#define XL_SXP_H

#include <stdint.h>
#include <stdio.h>

#include <libxl.h>

/* Print dc as domain `domid` (-1: not created) with UUID `uuid` (NULL:
 * "<unknown>", as Xen's xl prints for a domain it cannot look up). The
 * form has no PVH image: for a PVH domain this prints up to the image,
 * reports that with xl_err and returns 1 (Xen's xl stops there too).
 * Returns 0 otherwise. */
int xl_sxp_print(FILE *out, int domid, const uint8_t *uuid,
                 const libxl_domain_config *dc);

#endif
