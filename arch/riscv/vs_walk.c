/* A software walk of a guest's VS-stage page table. The trap handler uses it
 * to tell an access to a device from a page-table walk that touched the
 * device's address: only the first may be emulated. */
#include "vs_walk.h"

#include "gstage.h" /* PTE_V, PTE_R, ...: both stages share the PTE format */

#define PTE_PPN(p) (((p) >> 10) & ((1ull << 44) - 1))

#define SATP_MODE(s) ((s) >> 60)
#define SATP_PPN(s)  ((s) & ((1ull << 44) - 1))

static int levels_of(uint64_t mode)
{
	switch (mode) {
	case 8:
		return 3; /* Sv39 */
	case 9:
		return 4; /* Sv48 */
	case 10:
		return 5; /* Sv57 */
	default:
		return -1;
	}
}

int vs_walk(uint64_t vsatp, uint64_t gva, vs_walk_read_fn read, void *ctx, uint64_t *gpa)
{
	uint64_t mode = SATP_MODE(vsatp);
	int levels = levels_of(mode);
	uint64_t table = SATP_PPN(vsatp) << 12;

	if (mode == 0) {
		*gpa = gva;
		return 0;
	}
	if (levels < 0)
		return -1;
	/* Only where the walk leads matters (trap.c's explicit_access()), so
	 * permissions and A/D are not checked; a malformed entry ends it as it
	 * would end the hardware's. */
	for (int level = levels - 1; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t pte;

		if (!read(ctx, table + ((gva >> shift) & 0x1ff) * 8, &pte) || !(pte & PTE_V) ||
		    ((pte & PTE_W) && !(pte & PTE_R)))
			return -1;
		if (pte & (PTE_R | PTE_X)) {
			uint64_t span = 1ull << shift;

			/* A superpage's low PPN bits must be zero. */
			if ((PTE_PPN(pte) << 12) & (span - 1))
				return -1;
			*gpa = (PTE_PPN(pte) << 12) | (gva & (span - 1));
			return 0;
		}
		table = PTE_PPN(pte) << 12;
	}
	return -1; /* a pointer at the last level */
}
