/* SBI BASE: versions, ids and probing. */
#include "hv.h"
#include "vsbi.h"

static int base_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	(void)v;
	switch (c->fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		*value = 2UL << 24; /* v2.0: major in bits 30..24 */
		return 0;
	case SBI_BASE_GET_IMPL_ID:
		*value = VSBI_IMPL_ID;
		return 0;
	case SBI_BASE_GET_IMPL_VERSION:
		*value = VSBI_IMPL_VERSION;
		return 0;
	case SBI_BASE_PROBE_EXT:
		*value = vsbi_find(c->arg[0]) ? 1 : 0;
		return 0;
	case SBI_BASE_GET_MVENDORID:
	case SBI_BASE_GET_MARCHID:
	case SBI_BASE_GET_MIMPID:
		/* A partition has no business knowing the machine's ids. */
		*value = 0;
		return 0;
	default:
		return HV_ENOTSUP;
	}
}

const struct vsbi_ext vsbi_base = {
    .fast = VSBI_FAST, .ext_lo = SBI_EXT_BASE, .ext_hi = SBI_EXT_BASE, .handle = base_handle};
