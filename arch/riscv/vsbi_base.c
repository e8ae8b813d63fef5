/* SBI BASE: versions, ids and probing. */
#include "vsbi_base.h"

#include "vsbi.h"

static int base_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	(void)v;
	if (c->fid == SBI_BASE_PROBE_EXT) {
		*value = vsbi_ext_offered(c->arg[0]);
		return 0;
	}
	return vsbi_base_const(c->fid, value);
}

const struct vsbi_ext vsbi_base = {
    .fast = VSBI_FAST, .ext_lo = SBI_EXT_BASE, .ext_hi = SBI_EXT_BASE, .handle = base_handle};
