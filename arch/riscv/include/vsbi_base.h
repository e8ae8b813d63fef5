/* SBI BASE answers that are constants, shared by the extension's handler
 * (vsbi_base.c) and the trap's leaf path (vsbi_leaf.c), which may call
 * nothing and so needs them inline. */
#ifndef SEPTA_VSBI_BASE_H
#define SEPTA_VSBI_BASE_H

#include "core_services.h"
#include "sbi_spec.h"

/* SBI implementation id we report; not (yet) registered with RISC-V. */
#define VSBI_IMPL_ID	  0x53455054 /* "SEPT" */
#define VSBI_IMPL_VERSION 0x00010000

/* 0 with *value set, or HV_ENOTSUP for a function that is not a constant
 * (probe_extension) or does not exist. */
static inline __attribute__((always_inline)) int vsbi_base_const(unsigned long fid,
								 unsigned long *value)
{
	switch (fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		*value = 2UL << 24; /* v2.0: major in bits 30..24 */
		return 0;
	case SBI_BASE_GET_IMPL_ID:
		*value = VSBI_IMPL_ID;
		return 0;
	case SBI_BASE_GET_IMPL_VERSION:
		*value = VSBI_IMPL_VERSION;
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

/* Whether septa offers extension eid: what probe_extension answers (1 or
 * 0). The leaf path cannot call vsbi_find(), so the list is here too; a
 * unit test checks it against the dispatcher's table (test_vsbi.c). */
static inline __attribute__((always_inline)) unsigned long vsbi_ext_offered(unsigned long eid)
{
	switch (eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
	case SBI_EXT_LEGACY_PUTCHAR:
	case SBI_EXT_LEGACY_GETCHAR:
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_HSM:
	case SBI_EXT_SRST:
	case SBI_EXT_DBCN:
	case SEPTA_CHAN_EID:
		return 1;
	default:
		return 0;
	}
}

#endif
