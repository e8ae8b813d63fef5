/* A hart's life in the guest: first entry clears .bss, every hart installs
 * the trap vector and runs main, and the end is an SBI shutdown.  Harts
 * started later by rt_hart_start begin in hart.c instead. */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "rt.h"
#include "sbi.h"

extern char __bss_start[], __bss_end[];

/*
 * Both flags live in .data, not .bss: they must hold their load-time zero
 * before .bss is cleared and must not be cleared under a hart that waits.
 */
static int boot_claimed __attribute__((section(".data")));
static int bss_ready __attribute__((section(".data")));

void rt_boot(unsigned long hartid, const void *fdt)
{
	/* Whichever hart enters first (the boot hart, vCPU 0 under septa) clears
	 * .bss; a later one must not wipe state the first already uses. */
	if (__atomic_exchange_n(&boot_claimed, 1, __ATOMIC_ACQ_REL) == 0) {
		memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
		__atomic_store_n(&bss_ready, 1, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&bss_ready, __ATOMIC_ACQUIRE))
			;
	}

	rt_hart_init();
	rt_console_init();
	main(hartid, fdt);
	rt_exit();
}

void rt_hart_init(void)
{
	/* A hard-float build may use FP registers anywhere, even in rt_trap
	 * (GCC saves the caller-saved f registers there), so the FPU must be on
	 * before the first C code that could, and before any trap. */
#ifdef __riscv_flen
	rt_fpu_enable();
#endif
	csr_write(stvec, (unsigned long)rt_trap);
}

void rt_exit(void)
{
	struct sbiret ret;

	rt_irq_disable();
	fflush(stdout);
	ret = sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_NO_REASON);

	/* SRST returns only when it failed: say so, then sleep forever. */
	printf("%s: SBI shutdown failed (error %ld)\n", rt_guest_name, ret.error);
	fflush(stdout);
	for (;;)
		rt_wfi();
}
