/* VMID assignment (tlb_rules.h; the flush rule is inline there, since every
 * world switch asks it). */
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
