/* The SBI interface septa offers its guests: one file per extension
 * (vsbi_base.c, vsbi_time.c, ...), each exporting a struct vsbi_ext; vsbi.c
 * owns the table and is the only place that touches guest registers. */
#ifndef SEPTA_VSBI_H
#define SEPTA_VSBI_H

#include <stdbool.h>
#include <stdint.h>

#include "arch_hooks.h"
#include "arch_vcpu.h"
#include "sbi_spec.h"

/* One decoded call: a7 = ext, a6 = fid, a0..a5 = arguments. */
struct vsbi_call {
	unsigned long ext, fid;
	unsigned long arg[6];
};

struct vsbi_ext {
	unsigned long ext_lo, ext_hi;
	/* Legacy (v0.1) extensions return one value in a0, not error/value. */
	bool legacy;
	/* 0 with *value set, or a negative HV_E* code. */
	int (*handle)(struct vcpu *v, const struct vsbi_call *c, unsigned long *value);
};

extern const struct vsbi_ext vsbi_base, vsbi_legacy, vsbi_time, vsbi_dbcn, vsbi_srst, vsbi_hsm,
    vsbi_ipi, vsbi_rfence;

struct vm;
/* An SBI hart mask (base ~0 = every hart) as a set of the VM's vCPUs, bit i
 * = vCPU i; HV_EINVAL when it names a hart the guest does not have. */
int vsbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base, uint64_t *out);

/* SBI implementation id we report; not (yet) registered with RISC-V. */
#define VSBI_IMPL_ID	  0x53455054 /* "SEPT" */
#define VSBI_IMPL_VERSION 0x00010000

/* The extension that answers ext, or NULL. */
const struct vsbi_ext *vsbi_find(unsigned long ext);
/* Runs a decoded call; returns the SBI error/value pair (or the legacy a0
 * value in .value, with *legacy set). */
struct vsbi_ret {
	long error;
	unsigned long value;
};
struct vsbi_ret vsbi_dispatch(struct vcpu *v, const struct vsbi_call *c, bool *legacy);
/* The ecall trap: decode the guest's registers, dispatch, write a0/a1,
 * step over the ecall. */
enum vcpu_exit vsbi_handle(struct vcpu *v, struct arch_vcpu *av);

#endif
