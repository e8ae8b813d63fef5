/* Checks on guest-physical ranges a guest hands us (SBI pointers): pure
 * arithmetic, unit-tested on the host. */
#include "vm.h"

void *vm_gpa_to_ptr(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	const struct cfg_guest *g = vm->cfg;

	/* Written so that no sum can wrap: gpa + len may overflow. */
	if (gpa < g->gpa_base)
		return NULL;
	uint64_t off = gpa - g->gpa_base;
	if (off > g->mem_size || len > g->mem_size - off)
		return NULL;
	/* The hypervisor runs with translation off: a host-physical address
	 * is a pointer. */
	return (void *)(uintptr_t)(g->hpa_base + off);
}
