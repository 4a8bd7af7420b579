/* cpuarg.h: the vCPU and memory-size arguments of vcpu-pin and mem-set /
 * mem-max, parsed apart from the commands so they are unit tested. */
#ifndef XL_CPUARG_H
#define XL_CPUARG_H

#include <stdint.h>

/* A decimal vCPU number (0 to INT_MAX), or -1 for "all"; -2 if neither. */
long xl_parse_vcpu_arg(const char *s);

/*
 * SIZE as the reference reads it: a bare number is MiB (its man page says
 * KiB; the code has always meant MiB), suffixes b k m g t in either case.
 * Sets *kb_r to KiB (sizes below 1 KiB round down like the reference) and
 * returns 0; on a bad size, reports it with xl_err naming cmd and returns
 * 1, *kb_r untouched.
 */
int xl_parse_mem_kb(const char *cmd, const char *s, uint64_t *kb_r);

#endif
