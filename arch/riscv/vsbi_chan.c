/* septa's channel doorbell, a vendor SBI extension (SEPTA_CHAN_EID): fid 0
 * rings member a1 of channel a0. The checks live in core/chan.c. */
#include "core_services.h"
#include "vsbi.h"

static int chan_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	if (c->fid != 0)
		return HV_ENOTSUP;
	*value = 0;
	return chan_ring(v->vm, c->arg[0], c->arg[1]);
}

/* Slow path: a ring takes the target's device lock and sends requests. */
const struct vsbi_ext vsbi_chan = {
    .ext_lo = SEPTA_CHAN_EID, .ext_hi = SEPTA_CHAN_EID, .handle = chan_handle};
