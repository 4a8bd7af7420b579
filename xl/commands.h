/*
 * commands.h: every command's entry point, one file per family; the
 * command table (cmdtable.c) and nothing else calls them. A command file
 * never calls another's: what two share lives one floor down (build.c,
 * console.c, capture.c, domconfig.c, stream.c, ...).
 */
#ifndef XL_COMMANDS_H
#define XL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* xl/cmd_checkconfig.c */
int main_check_config(int argc, char **argv);
/* xl/cmd_list.c */
int main_list(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_vm_list(int argc, char **argv);
/* xl/cmd_info.c */
int main_info(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_dmesg(int argc, char **argv);
/* xl/cmd_lifecycle.c */
int main_destroy(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_rename(int argc, char **argv);
/* xl/cmd_config.c (editing config files) */
int main_boot_policy(int argc, char **argv);
int main_config_set(int argc, char **argv);
int main_config_unset(int argc, char **argv);
int main_config_update(int argc, char **argv);
/* xl/cmd_create.c, xl/cmd_console.c (lifecycle) */
int main_create(int argc, char **argv);
int main_console(int argc, char **argv);
/* xl/cmd_block.c, xl/cmd_network.c (devices) */
int main_block_attach(int argc, char **argv);
int main_block_list(int argc, char **argv);
int main_block_detach(int argc, char **argv);
int main_network_attach(int argc, char **argv);
int main_network_list(int argc, char **argv);
int main_network_detach(int argc, char **argv);
/* xl/cmd_vcpu.c, xl/cmd_mem.c, xl/cmd_sched.c (vcpu) */
int main_vcpu_list(int argc, char **argv);
int main_vcpu_pin(int argc, char **argv);
int main_vcpu_set(int argc, char **argv);
int main_mem_set(int argc, char **argv);
int main_mem_max(int argc, char **argv);
int main_sched_credit(int argc, char **argv);
int main_sched_credit2(int argc, char **argv);
int main_cpupool_list(int argc, char **argv);
/* xl/cmd_save.c */
int main_save(int argc, char **argv);
int main_restore(int argc, char **argv);
/* xl/cmd_migrate.c */
int main_migrate(int argc, char **argv);
int main_migrate_receive(int argc, char **argv);
/* xl/cmd_control.c */
int main_trigger(int argc, char **argv);
int main_sysrq(int argc, char **argv);
int main_button_press(int argc, char **argv);
int main_debug_keys(int argc, char **argv);
int main_set_parameters(int argc, char **argv);
int main_dump_core(int argc, char **argv);
/* ... and its argument checks (pure; tests/unit/test_control.c):
 * a trigger name (case-insensitive, as libxl) to its libxl_trigger, or -1;
 * a VCPU operand (decimal, no sign) into *vcpu_r, 0 or -1;
 * whether a sysrq operand is exactly one character;
 * the first token of a set-parameters string that is neither NAME=VALUE
 * nor noNAME (its length in *len_r), or NULL if every one is. */
int control_trigger_from_name(const char *name);
int control_vcpu_parse(const char *s, unsigned *vcpu_r);
bool control_sysrq_valid(const char *s);
const char *control_params_bad(const char *params, size_t *len_r);
/* xl/cmd_kcache.c */
int main_kernel_cache(int argc, char **argv);

#endif /* XL_COMMANDS_H */
