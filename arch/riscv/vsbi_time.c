/* SBI TIME: the guest's one timer, kept per vCPU by the core scheduler. */
#include "core_services.h"
#include "vsbi.h"

static int time_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	if (c->fid != 0)
		return HV_ENOTSUP;
	vcpu_set_timer(v, c->arg[0]);
	*value = 0;
	return 0;
}

/* With Sstc the new deadline goes straight to vstimecmp; without, the
 * hart's own timer must be re-armed by the scheduler: slow path. */
const struct vsbi_ext vsbi_time = {.fast = VSBI_FAST_HW_TIMER,
				   .ext_lo = SBI_EXT_TIME,
				   .ext_hi = SBI_EXT_TIME,
				   .handle = time_handle};
