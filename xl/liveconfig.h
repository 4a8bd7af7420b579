/* liveconfig.h: the live configuration of many domains at once, for
 * `xl list -l`. */
#ifndef XL_LIVECONFIG_H
#define XL_LIVECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxl.h>
#include <xenctrl.h>

/* What the caller already knows of a domain from getdomaininfolist. */
struct xl_domref {
    uint32_t domid;
    uint32_t cpupool;
    uint8_t handle[16]; /* the domain's UUID */
};

/* For each of the n domains, fills cfgs[i] (initialised by the caller)
 * with what libxl_retrieve_domain_configuration(domid) gives, and sets
 * ok[i] when that succeeded (a domain libxl cannot describe is left out
 * by `list -l`, as the reference does).
 *
 * libxl reads xenstore one synchronous request at a time, ~70 requests
 * per domain, so its `list -l` grows with every domain. Here the domains
 * whose view is certain (PV and PVH guests whose devices are disks, vifs
 * and kinds libxl does not check against xenstore) are described from
 * pipelined xenstore reads (xenstore_batch.c) under libxl's own locks, with
 * libxl's merge rules; any other domain, or any answer that is not the
 * ordinary one, goes to libxl itself. xch is an open hypervisor handle
 * (scheduler parameters). */
void xl_retrieve_configs(xc_interface *xch, const struct xl_domref *doms,
                         size_t n, libxl_domain_config *cfgs, bool *ok);

#endif
