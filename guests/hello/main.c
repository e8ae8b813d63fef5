/* hello: says which vCPU it runs on and how much RAM the device tree gives
 * it, then shuts down. */
#include <libfdt.h>
#include <stdio.h>
#include "rt.h"

const char rt_guest_name[] = "hello";

int main(unsigned long hartid, const void *fdt)
{
	uint64_t base, size;
	int rc = rt_fdt_memory(fdt, &base, &size);

	if (rc) {
		printf("hello: cannot read memory from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	printf("hello from vcpu %lu: %lu MiB of RAM at 0x%lx\n", hartid,
	       (unsigned long)(size >> 20), (unsigned long)base);
	printf("hello: done\n");
	return 0;
}
