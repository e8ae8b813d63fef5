/* rebooter: asks septa to reboot it, cold then warm, and checks that a
 * reboot is a restart that does not count against restart-limit: with
 * restart-limit = 1 it then faults once and must still come back.
 * Boot R (R = /chosen/septa,restarts):
 *   0: cold reboot     1: warm reboot     2: fault     3: shut down
 *
 *   rebooter: boot R, asking for a cold reboot      (and so on)
 *   rebooter: boot 3, every reboot and the restart came back */
#include <libfdt.h>
#include <stdio.h>

#include "rt.h"

#define SRST_COLD_REBOOT 1
#define SRST_WARM_REBOOT 2

const char rt_guest_name[] = "rebooter";

static uint32_t restarts(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;

	return p && len == 4 ? fdt32_ld(p) : 0;
}

int main(unsigned long hartid, const void *fdt)
{
	uint32_t boot = restarts(fdt);
	uint64_t base, size;

	(void)hartid;
	if (rt_fdt_memory(fdt, &base, &size))
		return 1;
	if (boot == 0 || boot == 1) {
		printf("rebooter: boot %u, asking for a %s reboot\n", boot, boot ? "warm" : "cold");
		fflush(stdout);
		struct sbiret r = sbi_system_reset(boot ? SRST_WARM_REBOOT : SRST_COLD_REBOOT, 0);
		printf("rebooter: boot %u, the reboot returned error %ld\n", boot, r.error);
		return 1;
	}
	if (boot == 2) {
		printf("rebooter: boot 2, faulting once\n");
		fflush(stdout);
		(void)*(volatile uint64_t *)(uintptr_t)(base + size);
		printf("rebooter: the load past my RAM went through\n");
		return 1;
	}
	printf("rebooter: boot %u, every reboot and the restart came back\n", boot);
	return 0;
}
