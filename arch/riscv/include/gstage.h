/* G-stage (guest-physical -> host-physical) page tables in the Sv39x4
 * format. Pure logic over caller-provided page memory, so the same code
 * builds the real tables and runs in host unit tests.
 *
 * A guest-physical address (41 bits) splits as
 *   | 40..30: root index (11 bits, 2048 entries, 16 KiB root) |
 *   | 29..21: level-1 index | 20..12: level-0 index | 11..0: offset |
 * PTE: | 53..10: PPN | 7:D 6:A 5:G 4:U 3:X 2:W 1:R 0:V |
 * G-stage leaves need U=1: every guest access counts as a user access. */
#ifndef SEPTA_GSTAGE_H
#define SEPTA_GSTAGE_H

#include <stdint.h>

#define GSTAGE_ROOT_SIZE 16384
#define GSTAGE_GPA_BITS	 41

#define PTE_V	(1UL << 0)
#define PTE_R	(1UL << 1)
#define PTE_W	(1UL << 2)
#define PTE_X	(1UL << 3)
#define PTE_U	(1UL << 4)
#define PTE_A	(1UL << 6)
#define PTE_D	(1UL << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

/* Hands out zeroed, 4 KiB-aligned pages for the inner tables, or NULL. */
struct gstage_alloc {
	void *(*page)(void *ctx);
	void *ctx;
};

struct gstage {
	uint64_t *root; /* GSTAGE_ROOT_SIZE bytes, 16 KiB-aligned, zeroed */
	struct gstage_alloc alloc;
};

/* Maps [gpa, gpa+size) to [hpa, ...) with perm (PTE_R/W/X); uses 1 GiB and
 * 2 MiB leaves where alignment allows. 0, or HV_EINVAL (unaligned, outside
 * the 41-bit space, already mapped) or HV_ENOMEM. */
int gstage_map(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t perm);
/* Translates gpa: 0 with *hpa and *perm set, or HV_ERANGE when unmapped. */
int gstage_translate(const struct gstage *g, uint64_t gpa, uint64_t *hpa, uint64_t *perm);

#endif
