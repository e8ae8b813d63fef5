/* SBI RFENCE: instruction-cache and guest TLB flushes on some of the guest's
 * own vCPUs. Address ranges are not tracked: a ranged request flushes the
 * whole guest TLB of each target, which is always correct. The hfence
 * variants are for guests that are hypervisors themselves: not offered. */
#include "core_services.h"
#include "vsbi.h"

#define RFENCE_FENCE_I	       0
#define RFENCE_SFENCE_VMA      1
#define RFENCE_SFENCE_VMA_ASID 2

static int rfence_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	unsigned req;
	uint64_t targets;

	switch (c->fid) {
	case RFENCE_FENCE_I:
		req = VCPU_REQ_FENCE_I;
		break;
	case RFENCE_SFENCE_VMA:
	case RFENCE_SFENCE_VMA_ASID:
		req = VCPU_REQ_FENCE_VMA;
		break;
	default:
		return HV_ENOTSUP; /* remote_hfence_* */
	}
	int rc = vsbi_hart_mask(v->vm, c->arg[0], c->arg[1], &targets);
	if (rc)
		return rc;
	vcpu_remote_fence(v, targets, req);
	*value = 0;
	return 0;
}

const struct vsbi_ext vsbi_rfence = {
    .ext_lo = SBI_EXT_RFENCE, .ext_hi = SBI_EXT_RFENCE, .handle = rfence_handle};
