/* SBI SRST: a guest's shutdown stops that guest only (the machine powers
 * off when the last guest has stopped); a cold or warm reboot restarts that
 * guest alone, from a fresh image and device tree. */
#include "core_services.h"
#include "vsbi.h"

static int srst_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	unsigned long type = c->arg[0], reason = c->arg[1];

	(void)value;
	if (c->fid != 0)
		return HV_ENOTSUP;
	/* Vendor types (0xf0000000 and up) are valid but not ours; the rest
	 * above warm reboot are reserved. */
	if (type >= 0xf0000000UL && type <= 0xffffffffUL)
		return HV_ENOTSUP;
	if (type > SBI_SRST_WARM_REBOOT || reason > SBI_SRST_REASON_FAILURE)
		return HV_EINVAL;
	if (type == SBI_SRST_SHUTDOWN)
		vm_stop(v->vm, reason == SBI_SRST_REASON_FAILURE ? "shut down, reporting a failure"
								 : "shut down");
	else
		vm_reboot(v->vm, type == SBI_SRST_COLD_REBOOT ? "asked for a cold reboot"
							      : "asked for a warm reboot");
	return 0;
}

const struct vsbi_ext vsbi_srst = {
    .ext_lo = SBI_EXT_SRST, .ext_hi = SBI_EXT_SRST, .handle = srst_handle};
