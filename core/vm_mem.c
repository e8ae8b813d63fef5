/* Checks on guest-physical ranges a guest hands us (SBI pointers): pure
 * arithmetic, unit-tested on the host. */
#include "vm.h"

/* picolibc's memset stores a byte at a time; zeroing a guest's RAM on every
 * restart is worth eight stores a loop. GCC must not turn the loop back into
 * a memset call. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void vm_mem_zero(void *p, size_t len)
{
	uint8_t *b = p;

	while (len && ((uintptr_t)b & 7)) {
		*b++ = 0;
		len--;
	}
	uint64_t *w = (uint64_t *)b;
	for (; len >= 64; len -= 64, w += 8) {
		w[0] = 0, w[1] = 0, w[2] = 0, w[3] = 0;
		w[4] = 0, w[5] = 0, w[6] = 0, w[7] = 0;
	}
	for (b = (uint8_t *)w; len; len--)
		*b++ = 0;
}

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
