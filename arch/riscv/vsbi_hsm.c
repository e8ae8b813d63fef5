/* SBI HSM: the state of the guest's own vCPUs. Starting and stopping them
 * is not offered yet (NOT_SUPPORTED). */
#include "hv.h"
#include "vm.h"
#include "vsbi.h"

#define HSM_HART_GET_STATUS 2

static int hsm_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	struct vm *vm = v->vm;

	if (c->fid != HSM_HART_GET_STATUS)
		return HV_ENOTSUP;
	/* Hart ids are the guest's own: 0 .. nvcpus-1. */
	if (c->arg[0] >= vm->nvcpus)
		return HV_EINVAL;
	*value = vm->vcpus[c->arg[0]].state == VCPU_STOPPED ? SBI_HSM_STOPPED : SBI_HSM_STARTED;
	return 0;
}

const struct vsbi_ext vsbi_hsm = {
    .ext_lo = SBI_EXT_HSM, .ext_hi = SBI_EXT_HSM, .handle = hsm_handle};
