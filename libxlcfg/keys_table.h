/* Every key of Xen 4.17's xl.cfg(5): KEY(name, type, min, max, flags, default,
 * doc, note), sorted by name (test_keys checks the order and that
 * man/xl.cfg.5 has a row for each). Every key is in exactly one state:
 *  - translated (no XM/DEPRECATED/REFUSED flag): xl's translation reads it;
 *  - xm-era (XLCFG_KF_XM): accepted, warned, ignored as the note says;
 *  - deprecated (XLCFG_KF_DEPRECATED): translated, with a warning naming
 *    the newer key;
 *  - refused (XLCFG_KF_REFUSED): a config using it fails translation at
 *    the key with "'KEY' is NOTE", the note saying why and what to do.
 * test_keys_translate proves it over tests/cfg/keys/. */
KEY("acpi", XLCFG_KT_BOOL, 1LL, 0LL, 0, "1", "expose ACPI tables", NULL)
KEY("acpi_firmware", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: extra ACPI tables file", NULL)
KEY("acpi_laptop_slate", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: expose the laptop/slate ACPI device", NULL)
KEY("acpi_s3", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: expose S3 (suspend to RAM)", NULL)
KEY("acpi_s4", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: expose S4 (suspend to disk)", NULL)
KEY("altp2m", XLCFG_KT_STRING, 1LL, 0LL, 0, "disabled",
    "alternate p2m mode: disabled, mixed, external, limited", NULL)
KEY("altp2mhvm", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM | XLCFG_KF_DEPRECATED,
    "0", "HVM: altp2m (deprecated: use altp2m)",
    "still works; altp2m=\"mixed\" is the newer spelling")
KEY("apic", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: include APIC information in the firmware tables", NULL)
KEY("bios", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "seabios",
    "HVM BIOS: rombios, seabios, ovmf", NULL)
KEY("bios_path_override", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: path of the BIOS image", NULL)
KEY("boot", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "cd",
    "HVM boot order: c disk, d cdrom, n network", NULL)
KEY("bootloader", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "bootloader run in dom0 to pick the kernel, e.g. pygrub", NULL)
KEY("bootloader_args", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, 0, "none",
    "arguments for the bootloader", NULL)
KEY("bootloader_restrict", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "run the bootloader deprivileged (XSA-443)", NULL)
KEY("bootloader_user", XLCFG_KT_STRING, 1LL, 0LL, 0, "xen-qemuuser-*",
    "user to run a restricted bootloader as", NULL)
KEY("builder", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM | XLCFG_KF_DEPRECATED,
    "generic", "xm: \"generic\" (PV) or \"hvm\"; use type=",
    "builder=\"hvm\" means type=\"hvm\" and \"generic\" means type=\"pv\"; "
    "write type= instead")
KEY("cap", XLCFG_KT_NUMBER, 0LL, 65535LL, 0, "0",
    "credit scheduler cap in percent of one CPU (0: none)", NULL)
KEY("channel", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual channels: \"name=,connection=pty|socket,path=\"", NULL)
KEY("cmdline", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "kernel command line; overrides root and extra", NULL)
KEY("cpu_weight", XLCFG_KT_NUMBER, 1LL, 65535LL, 0, "256",
    "credit scheduler weight", NULL)
KEY("cpuid", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, 0, "host",
    "CPUID policy: \"host,KEY=VALUE,...\" or a list of xend-style leaves", NULL)
KEY("cpus", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, 0, "all",
    "hard affinity: cpu list, or a list of per-vCPU cpu lists", NULL)
KEY("cpus_soft", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, 0, "all",
    "soft affinity: cpu list, or a list of per-vCPU cpu lists", NULL)
KEY("device_model", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: device model path",
    "ignored: xl picks the device model itself (device_model_override if you "
    "really need another binary)")
KEY("device_model_args", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "extra device model arguments", NULL)
KEY("device_model_args_hvm", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "extra device model arguments for HVM guests", NULL)
KEY("device_model_args_pv", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_PV, "none",
    "extra device model arguments for PV guests", NULL)
KEY("device_model_override", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "path of the device model binary", NULL)
KEY("device_model_stubdomain_override", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "run the device model in a stub domain", NULL)
KEY("device_model_stubdomain_seclabel", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "XSM label of the stub domain", NULL)
KEY("device_model_user", XLCFG_KT_STRING, 1LL, 0LL, 0, "xen-qemuuser-*",
    "user to run the device model as", NULL)
KEY("device_model_version", XLCFG_KT_STRING, 1LL, 0LL, 0, "qemu-xen",
    "device model: qemu-xen or qemu-xen-traditional", NULL)
KEY("device_tree", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "Arm: device tree fragment for passthrough", NULL)
KEY("dhcp", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: \"dhcp\" for the kernel ip= argument",
    "ignored: xm turned it into ip=dhcp on the kernel command line; put that "
    "in extra=")
KEY("disk", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual disks, see xl-disk-configuration(5)", NULL)
KEY("display", XLCFG_KT_STRING, 1LL, 0LL, 0, "$DISPLAY",
    "SDL: X display to open the window on", NULL)
KEY("dm_restrict", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "restrict the device model (depriv)", NULL)
KEY("driver_domain", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "domain is a driver (backend) domain", NULL)
KEY("dtdev", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "Arm: device tree paths of devices to pass through", NULL)
KEY("e820_host", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_PV, "0",
    "PV: use the host e820 memory map (for PCI passthrough)", NULL)
KEY("extra", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "text appended to the kernel command line", NULL)
KEY("extratime", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "scheduler may give extra time beyond the budget (RTDS)", NULL)
KEY("firmware", XLCFG_KT_STRING, 1LL, 0LL, 0, "bios (HVM), none (PVH)",
    "firmware: pvgrub32, pvgrub64 (PV); bios, uefi, seabios, ovmf, rombios "
    "(HVM); or a path",
    NULL)
KEY("firmware_override", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "hvmloader",
    "HVM: path of a custom hvmloader", NULL)
KEY("gateway", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: guest gateway for the kernel command line",
    "ignored: xm turned it into an ip= kernel argument; put it in extra= or "
    "configure the guest")
KEY("gfx_passthru", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: graphics passthrough: 0, 1, default, igd", NULL)
KEY("gic_version", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_REFUSED, "host",
    "Arm: emulated GIC version: v2, v3 or default",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("hap", XLCFG_KT_BOOL, 1LL, 0LL, 0, "1", "use hardware-assisted paging",
    NULL)
KEY("hdtype", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "ide",
    "HVM: emulated disk type: ide or ahci", NULL)
KEY("hostname", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: guest hostname for the kernel command line",
    "ignored: xm turned it into an ip= kernel argument; configure the hostname "
    "in the guest")
KEY("hpet", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1", "HVM: emulate a HPET",
    NULL)
KEY("init_seclabel", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "XSM label used while the domain is built", NULL)
KEY("iomem", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "I/O memory ranges to grant: \"IOMEM_START,NUM_PAGES[@GFN]\"", NULL)
KEY("ioports", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "I/O port ranges to grant: \"START[-END]\"", NULL)
KEY("ip", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: guest IP address for the kernel command line",
    "ignored: xm turned it into an ip= kernel argument; put it in extra= or "
    "configure the guest")
KEY("irqs", XLCFG_KT_LIST, 1LL, 0LL, 0, "none", "physical IRQs to grant", NULL)
KEY("kernel", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "kernel image to boot directly (PV, PVH; HVM direct boot)", NULL)
KEY("keymap", XLCFG_KT_STRING, 1LL, 0LL, 0, "en-us",
    "keyboard layout for VNC/SDL, e.g. en-us", NULL)
KEY("latency", XLCFG_KT_NUMBER, 0LL, 2147483647LL, 0, "scheduler default",
    "scheduler latency (legacy sedf)", NULL)
KEY("localtime", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: RTC set to local time", NULL)
KEY("max_event_channels", XLCFG_KT_NUMBER, 1LL, 2147483647LL, 0, "1023",
    "maximum event channels", NULL)
KEY("max_grant_frames", XLCFG_KT_NUMBER, 1LL, 2147483647LL, 0, "from xl.conf",
    "maximum grant table frames", NULL)
KEY("max_grant_version", XLCFG_KT_NUMBER, 1LL, 2LL, 0, "from xl.conf",
    "highest grant table version the guest may use", NULL)
KEY("max_maptrack_frames", XLCFG_KT_NUMBER, 0LL, 2147483647LL, 0,
    "from xl.conf", "maximum grant maptrack frames", NULL)
KEY("maxmem", XLCFG_KT_NUMBER, 1LL, 16777216LL, 0, "memory",
    "maximum memory (balloon target ceiling), MiB", NULL)
KEY("maxvcpus", XLCFG_KT_NUMBER, 1LL, 4096LL, 0, "vcpus",
    "maximum number of vCPUs (hotplug)", NULL)
KEY("mca_caps", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: machine check capabilities, e.g. [\"lmce\"]", NULL)
KEY("memory", XLCFG_KT_NUMBER, 1LL, 16777216LL, 0, "128", "memory at boot, MiB",
    NULL)
KEY("mmio_hole", XLCFG_KT_NUMBER, 256LL, 3840LL, XLCFG_KF_HVM, "computed",
    "HVM: MMIO hole size below 4G, MiB", NULL)
KEY("ms_vm_genid", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: \"generate\" exposes a VM generation ID", NULL)
KEY("msr_relaxed", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "HVM/PVH: relaxed handling of unknown MSRs", NULL)
KEY("name", XLCFG_KT_STRING, 1LL, 0LL, 0, "(required)",
    "domain name; must be unique", NULL)
KEY("nestedhvm", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: nested virtualisation", NULL)
KEY("netmask", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "none",
    "xm: guest netmask for the kernel command line",
    "ignored: xm turned it into an ip= kernel argument; put it in extra= or "
    "configure the guest")
KEY("nics", XLCFG_KT_NUMBER, 0LL, 64LL, XLCFG_KF_XM, "0", "xm: number of NICs",
    "ignored: xl creates one NIC per vif= entry")
KEY("nographic", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: no graphics at all", NULL)
KEY("nomigrate", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "disallow migration and save (also hides invariant TSC)", NULL)
KEY("nx", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: expose the NX (no-execute) CPU feature", NULL)
KEY("on_crash", XLCFG_KT_STRING, 1LL, 0LL, 0, "destroy",
    "action on guest crash (actions as on_poweroff)", NULL)
KEY("on_poweroff", XLCFG_KT_STRING, 1LL, 0LL, 0, "destroy",
    "action on guest poweroff: destroy, restart, rename-restart, preserve, "
    "coredump-destroy, coredump-restart, soft-reset",
    NULL)
KEY("on_reboot", XLCFG_KT_STRING, 1LL, 0LL, 0, "restart",
    "action on guest reboot (actions as on_poweroff)", NULL)
KEY("on_soft_reset", XLCFG_KT_STRING, 1LL, 0LL, 0, "soft-reset",
    "action on soft reset (actions as on_poweroff)", NULL)
KEY("on_watchdog", XLCFG_KT_STRING, 1LL, 0LL, 0, "destroy",
    "action when the watchdog fires (actions as on_poweroff)", NULL)
KEY("on_xend_start", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "ignore",
    "xm: action when xend starts",
    "ignored: there is no xend; use your init system")
KEY("on_xend_stop", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_XM, "ignore",
    "xm: action when xend stops",
    "ignored: there is no xend; use your init system")
KEY("oos", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM shadow paging: out-of-sync page tables", NULL)
KEY("opengl", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0", "HVM: OpenGL for SDL",
    NULL)
KEY("p9", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "9pfs shares: \"tag=,path=,security_model=,backend=\"",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("pae", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1", "HVM: expose PAE", NULL)
KEY("passthrough", XLCFG_KT_STRING, 1LL, 0LL, 0, "enabled if pci/dtdev given",
    "IOMMU setup: disabled, enabled, sync_pt, share_pt", NULL)
KEY("pci", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "PCI devices to pass through, see xl-pci-configuration(5)", NULL)
KEY("pci_msitranslate", XLCFG_KT_BOOL, 1LL, 0LL, 0, "1",
    "default for pci msitranslate=", NULL)
KEY("pci_permissive", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "default for pci permissive=", NULL)
KEY("pci_power_mgmt", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "default for pci power_mgmt=", NULL)
KEY("pci_seize", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "default for pci seize=", NULL)
KEY("period", XLCFG_KT_NUMBER, 0LL, 2147483647LL, 0, "scheduler default",
    "scheduler period (RTDS/ARINC), microseconds", NULL)
KEY("pool", XLCFG_KT_STRING, 1LL, 0LL, 0, "Pool-0",
    "cpupool to create the domain in", NULL)
KEY("pvcalls", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "PV calls backends",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("pvh", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_REFUSED, "0",
    "old switch for a PVH guest (use type=\"pvh\")",
    "no longer an xl key: Xen 4.10 removed it (Xen 4.17's xl ignores it and "
    "builds a PV guest); write type = \"pvh\" instead")
KEY("pvshim", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_PV, "0", "PV-in-PVH shim", NULL)
KEY("pvshim_cmdline", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_PV,
    "pv-shim console=xen,pv", "shim command line", NULL)
KEY("pvshim_extra", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_PV, "none",
    "extra shim command line", NULL)
KEY("pvshim_path", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_PV, "xen-shim",
    "shim binary", NULL)
KEY("ramdisk", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "initial ramdisk for the kernel", NULL)
KEY("rdm", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "reserved device memory policy: \"strategy=host,policy=relaxed|strict\"",
    NULL)
KEY("rdm_mem_boundary", XLCFG_KT_NUMBER, 0LL, 4096LL, XLCFG_KF_HVM, "2048",
    "HVM: RDM boundary below 4G, MiB", NULL)
KEY("root", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "root device, appended to the command line as root=", NULL)
KEY("rtc_timeoffset", XLCFG_KT_NUMBER, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: RTC offset from UTC, seconds", NULL)
KEY("sdl", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0", "HVM: SDL display", NULL)
KEY("seclabel", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "XSM/FLASK security label of the domain", NULL)
KEY("serial", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: serial ports, e.g. \"pty\"", NULL)
KEY("shadow_memory", XLCFG_KT_NUMBER, 0LL, 16777216LL, 0, "computed",
    "shadow page table memory, MiB", NULL)
KEY("slice", XLCFG_KT_NUMBER, 0LL, 2147483647LL, 0, "scheduler default",
    "scheduler time slice (RTDS), microseconds", NULL)
KEY("smbios_firmware", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: extra SMBIOS tables file", NULL)
KEY("soundhw", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: emulated sound hardware", NULL)
KEY("spice", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0", "HVM: SPICE display",
    NULL)
KEY("spice_clipboard_sharing", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: SPICE clipboard sharing", NULL)
KEY("spice_image_compression", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM,
    "auto_glz", "HVM: SPICE image compression", NULL)
KEY("spice_streaming_video", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "filter",
    "HVM: SPICE streaming video", NULL)
KEY("spiceagent_mouse", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: SPICE agent mouse", NULL)
KEY("spicedisable_ticketing", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: SPICE without a password", NULL)
KEY("spicehost", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: SPICE listen address", NULL)
KEY("spicepasswd", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: SPICE password", NULL)
KEY("spiceport", XLCFG_KT_NUMBER, 0LL, 65535LL, XLCFG_KF_HVM, "none",
    "HVM: SPICE port", NULL)
KEY("spicetls_port", XLCFG_KT_NUMBER, 0LL, 65535LL, XLCFG_KF_HVM, "none",
    "HVM: SPICE TLS port", NULL)
KEY("spiceusbredirection", XLCFG_KT_NUMBER, 0LL, 4LL, XLCFG_KF_HVM, "0",
    "HVM: SPICE USB redirection channels", NULL)
KEY("spicevdagent", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: SPICE vdagent", NULL)
KEY("stdvga", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM | XLCFG_KF_DEPRECATED, "0",
    "HVM: stdvga instead of cirrus (deprecated: use vga)",
    "still works; vga=\"stdvga\" is the newer spelling")
KEY("stubdomain_cmdline", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "extra kernel command line of the stub domain", NULL)
KEY("stubdomain_kernel", XLCFG_KT_STRING, 1LL, 0LL, 0, "default",
    "stub domain kernel", NULL)
KEY("stubdomain_memory", XLCFG_KT_NUMBER, 1LL, 16777216LL, 0, "default",
    "stub domain memory, MiB", NULL)
KEY("stubdomain_ramdisk", XLCFG_KT_STRING, 1LL, 0LL, 0, "default",
    "stub domain ramdisk", NULL)
KEY("tee", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "Arm: TEE mediator: none or optee",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("timer_mode", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM,
    "no_delay_for_missed_ticks",
    "HVM: timer mode: no_delay_for_missed_ticks, delay_for_missed_ticks, "
    "no_missed_ticks_pending, one_missed_tick_pending",
    NULL)
KEY("tsc_mode", XLCFG_KT_STRING, 1LL, 0LL, 0, "default",
    "TSC mode: default, always_emulate, native, native_paravirt", NULL)
KEY("type", XLCFG_KT_STRING, 1LL, 0LL, 0, "pv (hvm if builder=\"hvm\")",
    "guest type: \"pv\", \"pvh\" or \"hvm\"", NULL)
KEY("usb", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: emulated USB controller", NULL)
KEY("usbctrl", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "USB controllers: \"type=,version=,ports=\"",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("usbdev", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "USB devices to pass through: \"hostbus=,hostaddr=\"",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("usbdevice", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: emulated USB devices, e.g. \"tablet\"", NULL)
KEY("usbversion", XLCFG_KT_NUMBER, 0LL, 3LL, XLCFG_KF_HVM, "0 (none)",
    "HVM: emulated USB controller version (1, 2 or 3)", NULL)
KEY("uuid", XLCFG_KT_STRING, 1LL, 0LL, 0, "random", "domain UUID", NULL)
KEY("vcpus", XLCFG_KT_NUMBER, 1LL, 4096LL, 0, "1",
    "number of vCPUs online at boot", NULL)
KEY("vdispl", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "virtual displays",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("vendor_device", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: xen-pvdevice variant: none or xenserver", NULL)
KEY("vfb", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual framebuffers: \"vnc=1,vnclisten=...,sdl=...\"", NULL)
KEY("vga", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "cirrus",
    "HVM: emulated graphics: stdvga, cirrus, qxl, none", NULL)
KEY("videoram", XLCFG_KT_NUMBER, 0LL, 65536LL, XLCFG_KF_HVM,
    "8 (16 for stdvga)", "HVM: video memory, MiB", NULL)
KEY("vif", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual NICs, see xl-network-configuration(5)", NULL)
KEY("vif2", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, 0, "none",
    "netchannel2 NICs: not supported (warned and ignored, as Xen's xl)", NULL)
KEY("viridian", XLCFG_KT_STRING_OR_LIST, 1LL, 0LL, XLCFG_KF_HVM, "0",
    "HVM: Hyper-V enlightenments: 0, 1 or a list of groups", NULL)
KEY("virtio", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "Arm: virtio-mmio devices",

    "a Xen 4.18 key: this xl drives Xen 4.17's libxl, which has no "
    "virtio-mmio devices; remove the line")
KEY("vkb", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "virtual keyboards",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("vkb_device", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: PV keyboard device", NULL)
KEY("vmtrace_buf_kb", XLCFG_KT_NUMBER, 0LL, 2147483647LL, 0, "0",
    "per-vCPU processor trace buffer, KiB", NULL)
KEY("vnc", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1", "HVM: VNC display", NULL)
KEY("vncconsole", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_XM, "0",
    "xm: start a VNC viewer with the console",
    "ignored: use \"xl create -V\" or \"xl vncviewer\" to start a viewer")
KEY("vncdisplay", XLCFG_KT_NUMBER, 0LL, 65535LL, XLCFG_KF_HVM, "domid",
    "HVM: VNC display number", NULL)
KEY("vnclisten", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "127.0.0.1",
    "HVM: VNC listen address[:display]", NULL)
KEY("vncpasswd", XLCFG_KT_STRING, 1LL, 0LL, XLCFG_KF_HVM, "none",
    "HVM: VNC password", NULL)
KEY("vncunused", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: pick the first unused VNC display", NULL)
KEY("vncviewer", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_XM, "0",
    "xm: start a VNC viewer",
    "ignored: use \"xl create -V\" or \"xl vncviewer\" to start a viewer")
KEY("vnuma", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual NUMA topology: a list of per-node lists of key=value", NULL)
KEY("vpmu", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "virtual PMU (performance counters) for the guest", NULL)
KEY("vpt_align", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: align virtual periodic timers", NULL)
KEY("vsnd", XLCFG_KT_LIST, 1LL, 0LL, XLCFG_KF_REFUSED, "none",
    "virtual sound cards (list of lists)",
    "not supported by this xl yet: remove the line, or create this guest with "
    "Xen's own xl")
KEY("vtpm", XLCFG_KT_LIST, 1LL, 0LL, 0, "none",
    "virtual TPMs: \"backend=DOM,uuid=UUID\"", NULL)
KEY("vuart", XLCFG_KT_STRING, 1LL, 0LL, 0, "none",
    "Arm: emulated UART, e.g. sbsa_uart", NULL)
KEY("xauthority", XLCFG_KT_STRING, 1LL, 0LL, 0, "$XAUTHORITY",
    "SDL: X authority file", NULL)
KEY("xen_platform_pci", XLCFG_KT_BOOL, 1LL, 0LL, XLCFG_KF_HVM, "1",
    "HVM: expose the Xen platform PCI device", NULL)
KEY("xend_suspend_evtchn_compat", XLCFG_KT_BOOL, 1LL, 0LL, 0, "0",
    "xend-compatible suspend event channel", NULL)
