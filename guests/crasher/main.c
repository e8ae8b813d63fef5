/* crasher: stores one word just past the end of its own RAM. The hypervisor
 * must report the fault and stop (or restart) this guest while the others
 * run on. With bootargs after=MS,MS,... it first spins that many ms on its
 * first, second, ... run (septa,restarts in /chosen says which run this
 * is; runs past the list do not wait): a guest that works a while before
 * each crash, for restart-window. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

const char rt_guest_name[] = "crasher";

/* Which run this is: 0 on the first boot. */
static uint32_t run_number(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;

	return p && len == 4 ? fdt32_ld(p) : 0;
}

/* The after= list's entry for this run, in ms; 0 past its end or without. */
static unsigned long wait_ms(const void *fdt, uint32_t run)
{
	const char *p = strstr(rt_bootargs(fdt), "after=");
	unsigned long ms = 0;

	if (!p)
		return 0;
	p += strlen("after=");
	for (uint32_t i = 0; i <= run; i++) {
		char *end;

		ms = strtoul(p, &end, 10);
		if (end == p)
			return 0;
		if (i < run && *end != ',')
			return 0;
		p = end + 1;
	}
	return ms;
}

int main(unsigned long hartid, const void *fdt)
{
	uint64_t base, size;
	int rc = rt_fdt_memory(fdt, &base, &size);

	(void)hartid;
	if (rc) {
		printf("crasher: cannot read memory from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	uint32_t run = run_number(fdt);
	unsigned long ms = wait_ms(fdt, run);
	if (ms) {
		if ((rc = rt_timer_init(fdt))) {
			printf("crasher: cannot read timebase: %s\n", fdt_strerror(rc));
			return 1;
		}
		printf("crasher: run %u, working %lu ms first\n", (unsigned)run, ms);
		uint64_t end = rt_time() + rt_ms_to_time(ms);
		while (rt_time() < end)
			;
	}
	uint64_t target = base + size;
	printf("crasher: storing to 0x%lx, just past my RAM\n", (unsigned long)target);
	*(volatile uint64_t *)(uintptr_t)target = 0x5e97a;
	/* Reaching this line means the store went somewhere: isolation broken. */
	printf("crasher: the store went through; isolation is broken\n");
	return 1;
}
