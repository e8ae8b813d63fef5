/* The boot order, in one place. The first hart OpenSBI starts runs
 * hv_main(); it brings up the others, which run hv_secondary_main(). */
#include "arch_hooks.h"
#include "boot.h"
#include "cfg_table.h"
#include "console.h"
#include "core_services.h" /* declares hv_main(), hv_secondary_main() for entry.S */
#include "hv.h"
#include "irqpass.h"
#include "platform.h"
#include "sched.h"
#include "stats.h"
#include "vm.h"

extern char _hv_start[], _hv_end[]; /* from the linker script */

static void hart_enter(unsigned hartid)
{
	arch_hart_init(hartid);
	irqpass_hart_init(hartid);
	sched_run_hart(&harts[hartid]);
}

void hv_main(unsigned long hartid, const void *fdt)
{
	struct boot_info bi;
	const char *why;

	/* The UART needs no set-up on this board: print before anything else. */
	console_init(platform_console_putc, platform_console_getc, false);

	if (boot_read_fdt(fdt, &bi, &why))
		panic("cannot read the boot device tree: %s", why);
	/* Colour only when the run script said the terminal is a TTY. */
	console_init(platform_console_putc, platform_console_getc, bi.color);
	hv_log("septa on %s, boot hart %lu, config %s", platform_name(), hartid,
	       cfg_machine.config_path);

	if ((uint64_t)(uintptr_t)_hv_end > cfg_machine.hv_limit)
		panic("hypervisor image ends at 0x%lx, past its reserved 0x%lx",
		      (unsigned long)(uintptr_t)_hv_end, (unsigned long)cfg_machine.hv_limit);
	boot_check_machine(&bi); /* the machine is the one configured */
	if (platform_check(fdt)) /* board devices where we expect them */
		panic("this machine is not the board septa was built for");
	if (arch_cpu_probe(fdt)) /* H extension; Sstc if present */
		panic("this hart cannot host guests");
	sched_ticks_per_us = bi.timebase_hz >= 1000000 ? bi.timebase_hz / 1000000 : 1;
	stats_boot_time = arch_time_now();
	sched_init();	/* empty run queues */
	vm_init_all();	/* G-stage tables, guest RAM loaded */
	irqpass_init(); /* the board lines of granted devices, to their guests */
	console_start_polling(&harts[SCHED_CONSOLE_HART].deadlines, arch_time_now());

	for (unsigned h = 0; h < cfg_machine.harts; h++)
		if (h != hartid && arch_hart_start(h))
			panic("cannot start hart %u", h);
	hart_enter(hartid);
}

void hv_secondary_main(unsigned long hartid)
{
	hart_enter(hartid);
}
