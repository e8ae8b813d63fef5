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

/* One decoded call: a7 = ext, a6 = fid, a0..a5 = arguments (arg points at
 * the saved a0, so decoding copies nothing). */
struct vsbi_call {
	unsigned long ext, fid;
	const uint64_t *arg;
};

struct vsbi_ext {
	unsigned long ext_lo, ext_hi;
	/* Legacy (v0.1) extensions return one value in a0, not error/value. */
	bool legacy;
	/* 0 with *value set, or a negative HV_E* code. */
	int (*handle)(struct vcpu *v, const struct vsbi_call *c, unsigned long *value);
	/* May its calls be answered on the trap fast path? The vCPU then goes
	 * back to its guest with no pass of the scheduler loop, so a fast call
	 * must change nothing the loop decides on: it wakes, stops or starts no
	 * vCPU, leaves no request, and needs the hart's timer armed for no new
	 * deadline. It also takes no lock: a fast answer never waits for
	 * another hart. */
	enum {
		VSBI_SLOW = 0,
		VSBI_FAST,	    /* always */
		VSBI_FAST_HW_TIMER, /* when guest timers are in hardware (Sstc) */
	} fast;
};

extern const struct vsbi_ext vsbi_base, vsbi_legacy, vsbi_time, vsbi_dbcn, vsbi_srst, vsbi_hsm,
    vsbi_ipi, vsbi_rfence, vsbi_chan;

struct vm;
/* An SBI hart mask (base ~0 = every hart) as a set of the VM's vCPUs, bit i
 * = vCPU i; HV_EINVAL when it names a hart the guest does not have. */
int vsbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base, uint64_t *out);

/* The extension that answers ext, or NULL. */
const struct vsbi_ext *vsbi_find(unsigned long ext);

/* The ecall trap: decode the guest's registers, dispatch, write a0/a1,
 * step over the ecall. */
enum vcpu_exit vsbi_handle(struct vcpu *v, struct arch_vcpu *av);
/* The trap vector's two fast paths (switch.S). vsbi_leaf() comes first,
 * with only ra, t0-t2, a0 and a1 saved: it returns the SBI error and value
 * in a0 and a1 themselves (error SBI_SUCCESS: answered, and the vector
 * steps over the ecall), or error -1 for "not mine". It is compiled to use
 * no other register, no stack and no gp, and calls nothing (mk/hv.mk
 * checks). vsbi_fast() runs with every caller-saved register saved, answers
 * what needs no scheduler, and returns 1 when it did (av's pc moved past the
 * ecall, a0/a1 set), 0 for the slow path; pc is the ecall's address. */
/* The SBI error (low 64 bits: a0) and value (high: a1); error SBI_SUCCESS
 * when answered, else -1: not a leaf call. */
typedef unsigned __int128 vsbi_leaf_ret;
vsbi_leaf_ret vsbi_leaf(struct arch_vcpu *av);
long vsbi_fast(struct arch_vcpu *av, unsigned long pc);

#endif
