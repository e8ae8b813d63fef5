/* SBI IPI: a software interrupt to some of the guest's own vCPUs. */
#include "core_services.h"
#include "vsbi.h"

static int ipi_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	uint64_t targets;

	if (c->fid != 0)
		return HV_ENOTSUP;
	/* Only the guest's own vCPUs: a mask naming any other hart fails
	 * whole, before any IPI is sent. */
	int rc = vsbi_hart_mask(v->vm, c->arg[0], c->arg[1], &targets);
	if (rc)
		return rc;
	vcpu_send_ipi(v->vm, targets);
	*value = 0;
	return 0;
}

const struct vsbi_ext vsbi_ipi = {
    .ext_lo = SBI_EXT_IPI, .ext_hi = SBI_EXT_IPI, .handle = ipi_handle};
