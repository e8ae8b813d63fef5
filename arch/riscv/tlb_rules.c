/* VMID assignment and the TLB flush rules of a world switch (tlb_rules.h). */
#include "tlb_rules.h"

bool tlb_vmids_shared(unsigned nguests, unsigned vmid_bits)
{
	/* Tags 1 .. nguests must fit in vmid_bits (VMIDLEN, probed at boot). */
	return vmid_bits >= 32 ? false : nguests + 1 > (1u << vmid_bits);
}

unsigned tlb_vmid(unsigned index, unsigned nguests, unsigned vmid_bits)
{
	return tlb_vmids_shared(nguests, vmid_bits) ? 0 : index + 1;
}

unsigned tlb_switch_flush(const void *prev_vm, const void *next_vm, const void *last_of_vm,
			  const void *next, bool shared)
{
	unsigned f = 0;

	if (shared && prev_vm != next_vm)
		f |= TLB_FLUSH_GVMA | TLB_FLUSH_VVMA;
	if (last_of_vm && last_of_vm != next)
		f |= TLB_FLUSH_VVMA;
	return f;
}
