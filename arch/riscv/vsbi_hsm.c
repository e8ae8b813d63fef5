/* SBI HSM: start, stop, suspend and query the guest's own vCPUs. This file
 * decodes; core/vcpu.c does the work. */
#include "core_services.h"
#include "vsbi.h"

#define HSM_HART_START	    0
#define HSM_HART_STOP	    1
#define HSM_HART_GET_STATUS 2
#define HSM_HART_SUSPEND    3

#define SUSPEND_RETENTIVE     0x00000000UL
#define SUSPEND_NON_RETENTIVE 0x80000000UL

/* No STOP_PENDING: hart_stop stops only the calling vCPU, at once. */
static int hsm_state(int hsm)
{
	switch (hsm) {
	case VCPU_HSM_STARTED:
		return SBI_HSM_STARTED;
	case VCPU_HSM_START_PENDING:
		return SBI_HSM_START_PENDING;
	case VCPU_HSM_SUSPENDED:
		return SBI_HSM_SUSPENDED;
	default:
		return SBI_HSM_STOPPED;
	}
}

static int suspend(struct vcpu *v, const struct vsbi_call *c)
{
	unsigned long type = c->arg[0];

	if (type == SUSPEND_RETENTIVE)
		return vcpu_hsm_suspend(v, true, 0, 0);
	if (type == SUSPEND_NON_RETENTIVE)
		return vcpu_hsm_suspend(v, false, c->arg[1], c->arg[2]);
	/* Platform-specific types are valid but we have none; the rest are
	 * reserved. */
	if ((type >= 0x10000000UL && type <= 0x7fffffffUL) || type >= 0x90000000UL)
		return HV_ENOTSUP;
	return HV_EINVAL;
}

static int hsm_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	struct vm *vm = v->vm;
	int hsm, rc;

	*value = 0;
	/* A hart id past the guest's vCPUs becomes ~0u, which the core refuses:
	 * narrowing to unsigned must not wrap onto a real vCPU. */
	switch (c->fid) {
	case HSM_HART_START:
		return vcpu_hsm_start(vm, c->arg[0] < vm->nvcpus ? (unsigned)c->arg[0] : ~0u,
				      c->arg[1], c->arg[2]);
	case HSM_HART_STOP:
		return vcpu_hsm_stop(v);
	case HSM_HART_GET_STATUS:
		/* Hart ids are the guest's own: 0 .. nvcpus-1. */
		rc = vcpu_hsm_status(vm, c->arg[0] < vm->nvcpus ? (unsigned)c->arg[0] : ~0u, &hsm);
		if (rc)
			return rc;
		*value = (unsigned long)hsm_state(hsm);
		return 0;
	case HSM_HART_SUSPEND:
		return suspend(v, c);
	default:
		return HV_ENOTSUP;
	}
}

const struct vsbi_ext vsbi_hsm = {
    .ext_lo = SBI_EXT_HSM, .ext_hi = SBI_EXT_HSM, .handle = hsm_handle};
