/* amnesia: proves a restart forgets. On its first boot it writes a marker
 * into a .data word, a .bss word and the last page of its RAM, then loads
 * from past its RAM so that septa restarts it (on-fault = restart). On the
 * restart (/chosen/septa,restarts = 1) all three must read as the image
 * says: the .data word as linked, the rest zero.
 *
 *   amnesia: boot 0: marker written, now faulting
 *   amnesia: boot 1: marker gone after restart     (or: MARKER SURVIVED in ...) */
#include <libfdt.h>
#include <stdio.h>

#include "rt.h"

#define MARKER 0xa11ce5ca9e5ULL
#define LINKED 0x1234ULL

const char rt_guest_name[] = "amnesia";

static volatile uint64_t in_data = LINKED;
static volatile uint64_t in_bss;

int main(unsigned long hartid, const void *fdt)
{
	uint64_t base, size;
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;
	uint32_t boot = p && len == 4 ? fdt32_ld(p) : 0;

	(void)hartid;
	if (rt_fdt_memory(fdt, &base, &size))
		return 1;
	/* Below the device tree, which septa puts at the top of RAM. */
	volatile uint64_t *far = (volatile uint64_t *)(uintptr_t)(base + size / 2);

	if (boot == 0) {
		in_data = MARKER;
		in_bss = MARKER;
		*far = MARKER;
		printf("amnesia: boot 0: marker written, now faulting\n");
		fflush(stdout);
		(void)*(volatile uint64_t *)(uintptr_t)(base + size);
		printf("amnesia: the load past my RAM went through\n");
		return 1;
	}
	if (in_data != LINKED)
		printf("amnesia: boot %u: MARKER SURVIVED in .data (0x%lx)\n", boot,
		       (unsigned long)in_data);
	else if (in_bss)
		printf("amnesia: boot %u: MARKER SURVIVED in .bss (0x%lx)\n", boot,
		       (unsigned long)in_bss);
	else if (*far)
		printf("amnesia: boot %u: MARKER SURVIVED at 0x%lx (0x%lx)\n", boot,
		       (unsigned long)(uintptr_t)far, (unsigned long)*far);
	else
		printf("amnesia: boot %u: marker gone after restart\n", boot);
	return 0;
}
