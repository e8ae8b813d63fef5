/* Building and walking Sv39x4 G-stage tables. Tables are referenced by
 * address (the hypervisor runs untranslated; on the host a pointer works as
 * well), so PPN = address >> 12 both ways. */
#include "gstage.h"

#include <stddef.h>

#include "hv.h"

#define LEVELS	      3 /* Sv39x4: 1 GiB, 2 MiB and 4 KiB leaves */
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  (((1UL << 44) - 1) << PTE_PPN_SHIFT)

static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)level;
}

static unsigned index_at(uint64_t gpa, int level)
{
	/* The root level has 2 extra bits: the "x4". */
	uint64_t mask = level == LEVELS - 1 ? 0x7ff : 0x1ff;

	return (unsigned)((gpa >> level_shift(level)) & mask);
}

static uint64_t *pte_table(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12);
}

static uint64_t pte_make(uint64_t addr, uint64_t flags)
{
	return ((addr >> 12) << PTE_PPN_SHIFT) | flags | PTE_V;
}

static bool pte_leaf(uint64_t pte)
{
	return pte & PTE_RWX;
}

/* Maps one leaf of 4K, 2M or 1G at the given level. */
static int map_leaf(struct gstage *g, uint64_t gpa, uint64_t hpa, int leaf_level, uint64_t perm)
{
	uint64_t *table = g->root;

	for (int level = LEVELS - 1; level > leaf_level; level--) {
		uint64_t *pte = &table[index_at(gpa, level)];

		if (!(*pte & PTE_V)) {
			void *page = g->alloc.page(g->alloc.ctx);

			if (!page)
				return HV_ENOMEM;
			/* A pointer to the next level: V alone. R, W, X, U, A
			 * and D must be zero in a non-leaf PTE. */
			*pte = pte_make((uint64_t)(uintptr_t)page, 0);
		} else if (pte_leaf(*pte)) {
			/* A bigger leaf covers gpa already: a second mapping
			 * would be a config bug, and must not quietly win. */
			return HV_EINVAL;
		}
		table = pte_table(*pte);
	}
	uint64_t *pte = &table[index_at(gpa, leaf_level)];
	if (*pte & PTE_V)
		return HV_EINVAL;
	/* A and D preset: we never want the hardware to fault to set them. */
	*pte = pte_make(hpa, perm | PTE_U | PTE_A | PTE_D);
	return 0;
}

int gstage_map(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t perm)
{
	if (!IS_ALIGNED(gpa | hpa | size, 4096) || !(perm & PTE_RWX) || (perm & ~PTE_RWX))
		return HV_EINVAL;
	/* Written so that gpa + size cannot wrap. */
	if (gpa >> GSTAGE_GPA_BITS || size > (1UL << GSTAGE_GPA_BITS) - gpa)
		return HV_EINVAL;

	/* Each step takes the largest leaf that both addresses are aligned
	 * to and the rest of the range fills: fewer TLB entries for the
	 * guest, fewer table pages from the pool. */
	while (size) {
		int level = 0;

		for (int l = 2; l > 0; l--) {
			uint64_t span = 1UL << level_shift(l);

			if (IS_ALIGNED(gpa | hpa, span) && size >= span) {
				level = l;
				break;
			}
		}
		int rc = map_leaf(g, gpa, hpa, level, perm);
		if (rc)
			return rc;
		uint64_t step = 1UL << level_shift(level);
		gpa += step;
		hpa += step;
		size -= step;
	}
	return 0;
}

int gstage_translate(const struct gstage *g, uint64_t gpa, uint64_t *hpa, uint64_t *perm)
{
	const uint64_t *table = g->root;

	if (gpa >> GSTAGE_GPA_BITS)
		return HV_ERANGE;
	for (int level = LEVELS - 1; level >= 0; level--) {
		uint64_t pte = table[index_at(gpa, level)];

		if (!(pte & PTE_V))
			return HV_ERANGE;
		if (pte_leaf(pte)) {
			uint64_t span = 1UL << level_shift(level);

			*hpa = (uint64_t)(uintptr_t)pte_table(pte) + (gpa & (span - 1));
			*perm = pte & PTE_RWX;
			return 0;
		}
		table = pte_table(pte);
	}
	return HV_ERANGE;
}
