/* crasher: stores one word just past the end of its own RAM. The hypervisor
 * must report the fault and stop this guest while the others run on. */
#include <libfdt.h>
#include <stdio.h>
#include "rt.h"

const char rt_guest_name[] = "crasher";

int main(unsigned long hartid, const void *fdt)
{
	uint64_t base, size;
	int rc = rt_fdt_memory(fdt, &base, &size);

	(void)hartid;
	if (rc) {
		printf("crasher: cannot read memory from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	uint64_t target = base + size;
	printf("crasher: storing to 0x%lx, just past my RAM\n", (unsigned long)target);
	*(volatile uint64_t *)(uintptr_t)target = 0x5e97a;
	/* Reaching this line means the store went somewhere: isolation broken. */
	printf("crasher: the store went through; isolation is broken\n");
	return 1;
}
