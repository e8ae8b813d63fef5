/* When a world switch must flush guest translations: VMID assignment and
 * the flush rules, as pure logic (unit-tested on the host). */
#ifndef SEPTA_TLB_RULES_H
#define SEPTA_TLB_RULES_H

#include <stdbool.h>

/* The VMID of guest `index` of `nguests` on harts with `vmid_bits`: index + 1
 * when every guest can have a tag of its own (0 stays unused), else 0 for
 * all, and then the tags are shared (tlb_vmids_shared). */
unsigned tlb_vmid(unsigned index, unsigned nguests, unsigned vmid_bits);
bool tlb_vmids_shared(unsigned nguests, unsigned vmid_bits);

#define TLB_FLUSH_GVMA 1u /* hfence.gvma: every guest's translations */
#define TLB_FLUSH_VVMA 2u /* hfence.vvma: the switched-in guest's VS-stage */

/* What to flush when vCPU `next` (of VM `next_vm`) is switched in on a hart
 * whose last vCPU was of VM `prev_vm` (NULL: not known) and whose last vCPU
 * of next_vm was `last_of_vm` (NULL: none since the hart or the vCPU was
 * reset). Two vCPUs of one VM share its VMID, so VS-stage entries one of
 * them left would serve the other: flush when the VM's last vCPU here was
 * another one, whoever ran in between. With shared tags every change of
 * VM flushes everything. */
static inline unsigned tlb_switch_flush(const void *prev_vm, const void *next_vm,
					const void *last_of_vm, const void *next, bool shared)
{
	unsigned f = 0;

	if (shared && prev_vm != next_vm)
		f |= TLB_FLUSH_GVMA | TLB_FLUSH_VVMA;
	if (last_of_vm && last_of_vm != next)
		f |= TLB_FLUSH_VVMA;
	return f;
}

#endif
