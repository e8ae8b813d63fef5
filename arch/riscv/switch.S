/* The world switch. vcpu_switch_to() enters a guest and "returns" when the
 * guest traps: the vector saves the guest, restores the registers the C
 * caller expects kept, and returns through the saved ra. While a guest runs,
 * sscratch points at its struct arch_vcpu; in the hypervisor it is zero. */
#include "arch_vcpu.h"

#define SAVE(r) sd x##r, AV_GPR(r)(a0)
#define LOAD(r) ld x##r, AV_GPR(r)(a0)
/* Every guest register but a0, which holds the vCPU: it goes last. */
#define LOAD_ALL_BUT_A0() \
	LOAD(1); LOAD(2); LOAD(3); LOAD(4); LOAD(5); LOAD(6); LOAD(7); \
	LOAD(8); LOAD(9); LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15); \
	LOAD(16); LOAD(17); LOAD(18); LOAD(19); LOAD(20); LOAD(21); LOAD(22); \
	LOAD(23); LOAD(24); LOAD(25); LOAD(26); LOAD(27); LOAD(28); LOAD(29); \
	LOAD(30); LOAD(31)
/* The caller-saved registers the leaf path leaves alone, sp, gp and tp. */
#define SAVE_NOT_LEAF() \
	SAVE(2); SAVE(3); SAVE(4); SAVE(12); SAVE(13); SAVE(14); SAVE(15); \
	SAVE(16); SAVE(17); SAVE(28); SAVE(29); SAVE(30); SAVE(31)

	.text
	.globl vcpu_switch_to
/* a0 = struct arch_vcpu *. Saves what a C callee must keep (sp, ra, s0-s11)
 * and gp, tp, which the guest owns while it runs: the slow exit restores
 * exactly these and returns through ra, so to arch_vcpu_run() this is an
 * ordinary call that returns when the guest next traps. */
vcpu_switch_to:
	sd	sp, AV_HOST_SP(a0)
	sd	ra, AV_HOST_RA(a0)
	sd	gp, AV_HOST_GP(a0)
	sd	tp, AV_HOST_TP(a0)
	sd	s0, AV_HOST_S(0)(a0)
	sd	s1, AV_HOST_S(1)(a0)
	sd	s2, AV_HOST_S(2)(a0)
	sd	s3, AV_HOST_S(3)(a0)
	sd	s4, AV_HOST_S(4)(a0)
	sd	s5, AV_HOST_S(5)(a0)
	sd	s6, AV_HOST_S(6)(a0)
	sd	s7, AV_HOST_S(7)(a0)
	sd	s8, AV_HOST_S(8)(a0)
	sd	s9, AV_HOST_S(9)(a0)
	sd	s10, AV_HOST_S(10)(a0)
	sd	s11, AV_HOST_S(11)(a0)

	/* From here a trap is taken as the guest's: no interrupt reaches
	 * HS-mode (sstatus.SIE is 0) and nothing below faults. */
	csrw	sscratch, a0
	ld	t0, AV_SEPC(a0)
	csrw	sepc, t0
	ld	t0, AV_SSTATUS(a0)	/* SPP=1: sret lands in VS-mode... */
	csrw	sstatus, t0
	ld	t0, AV_HSTATUS(a0)	/* ...because SPV=1 */
	csrw	hstatus, t0

	LOAD_ALL_BUT_A0()
	LOAD(10)		/* a0 last: it was the base */
	sret

	.align 2			/* stvec's low bits are its mode */
	.globl hv_trap_vector
hv_trap_vector:
	csrrw	a0, sscratch, a0	/* a0 = vCPU, sscratch = guest a0 */
	beqz	a0, hs_trap		/* zero: we trapped from the hypervisor */
	/* Only what the leaf path may touch: vsbi_leaf.c is compiled to use
	 * no other register, no stack and no gp, and reads a6/a7 in place. */
	SAVE(1); SAVE(5); SAVE(6); SAVE(7); SAVE(11)
	/* Keep the vCPU in sscratch too: the leaf returns in a0, and the
	 * answered path finds the vCPU there again. */
	csrrw	t0, sscratch, a0
	sd	t0, AV_GPR(10)(a0)

	/* An ecall is tried on the leaf path, then on the fast path; either
	 * goes straight back to the guest when it answers. */
	csrr	t0, scause
	li	t1, 10			/* EXC_ECALL_VS */
	bne	t0, t1, not_ecall
	/* On the guest's own sp and gp: the leaf touches neither. */
	call	vsbi_leaf		/* (vCPU): a0 = SBI error, a1 = value */
	bnez	a0, 1f
	/* Answered: a0 and a1 hold the guest's results. Step over the ecall
	 * (never compressed) and restore what the leaf may have used. */
	csrr	t2, sscratch
	csrr	t1, sepc
	addi	t1, t1, 4
	csrw	sepc, t1
	ld	ra, AV_GPR(1)(t2)
	ld	t0, AV_GPR(5)(t2)
	ld	t1, AV_GPR(6)(t2)
	ld	t2, AV_GPR(7)(t2)
	sret

	/* Not a leaf call: the rest of the caller-saved registers, and the
	 * hypervisor's sp, gp and tp, for ordinary C. The guest's s0-s11 stay
	 * in place: vsbi_fast() keeps them as any C callee does, so they are
	 * saved only if the call falls through to the slow path. */
1:	csrr	a0, sscratch
	SAVE_NOT_LEAF()
	ld	sp, AV_HOST_SP(a0)
	ld	gp, AV_HOST_GP(a0)
	ld	tp, AV_HOST_TP(a0)
	csrr	a1, sepc
	call	vsbi_fast		/* (vCPU, pc): nonzero if answered */
	csrr	t0, sscratch
	bnez	a0, fast_return
	mv	a0, t0			/* not answered: take the slow path, */
	j	slow_rest		/* whose trap CSRs vsbi_fast() left as they were */

/* A load or store guest-page fault may be a device access: emulated with
 * every guest register saved (the access may name any of them) but without
 * the host's callee-saved registers or a pass of the scheduler. */
not_ecall:
	li	t1, 21			/* EXC_LOAD_GUEST_PAGE_FAULT */
	beq	t0, t1, 1f
	li	t1, 23			/* EXC_STORE_GUEST_PAGE_FAULT */
	bne	t0, t1, slow
1:	SAVE_NOT_LEAF()
	SAVE(8); SAVE(9); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22)
	SAVE(23); SAVE(24); SAVE(25); SAVE(26); SAVE(27)
	ld	sp, AV_HOST_SP(a0)
	ld	gp, AV_HOST_GP(a0)
	ld	tp, AV_HOST_TP(a0)
	call	trap_mmio_fast		/* (vCPU): nonzero if emulated */
	csrr	t0, sscratch
	bnez	a0, 2f
	mv	a0, t0
	j	slow_saved		/* every register saved, and the load's result
					 * is in av: do not save s0-s11 again */
	/* Emulated: sepc from av, past the access or (trap_inject()) at the
	 * guest's own handler; a load's result is already in av's gpr. */
2:	mv	a0, t0
	ld	t0, AV_SEPC(a0)
	csrw	sepc, t0
	LOAD_ALL_BUT_A0()
	LOAD(10)
	sret

slow:
	SAVE_NOT_LEAF()
slow_rest:
	SAVE(8); SAVE(9); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22)
	SAVE(23); SAVE(24); SAVE(25); SAVE(26); SAVE(27)
slow_saved:
	csrw	sscratch, zero		/* back in the hypervisor: a trap now is ours */

	/* The trap CSRs, for trap_handle(); read while nothing can trap and
	 * overwrite them. */
	csrr	t0, sepc
	sd	t0, AV_SEPC(a0)
	csrr	t0, sstatus
	sd	t0, AV_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, AV_HSTATUS(a0)
	csrr	t0, scause
	sd	t0, AV_SCAUSE(a0)
	csrr	t0, stval
	sd	t0, AV_STVAL(a0)
	csrr	t0, htval
	sd	t0, AV_HTVAL(a0)
	csrr	t0, htinst
	sd	t0, AV_HTINST(a0)

	ld	sp, AV_HOST_SP(a0)
	ld	ra, AV_HOST_RA(a0)
	ld	gp, AV_HOST_GP(a0)
	ld	tp, AV_HOST_TP(a0)
	ld	s0, AV_HOST_S(0)(a0)
	ld	s1, AV_HOST_S(1)(a0)
	ld	s2, AV_HOST_S(2)(a0)
	ld	s3, AV_HOST_S(3)(a0)
	ld	s4, AV_HOST_S(4)(a0)
	ld	s5, AV_HOST_S(5)(a0)
	ld	s6, AV_HOST_S(6)(a0)
	ld	s7, AV_HOST_S(7)(a0)
	ld	s8, AV_HOST_S(8)(a0)
	ld	s9, AV_HOST_S(9)(a0)
	ld	s10, AV_HOST_S(10)(a0)
	ld	s11, AV_HOST_S(11)(a0)
	ret				/* from vcpu_switch_to */

/* t0 = vCPU. vsbi_fast() moved the saved pc past the ecall; the guest's
 * s0-s11 were never touched, sstatus and hstatus are as the trap left
 * them. Restore the caller-saved registers and go back. */
fast_return:
	mv	a0, t0
	ld	t0, AV_SEPC(a0)
	csrw	sepc, t0
	LOAD(1); LOAD(2); LOAD(3); LOAD(4); LOAD(5); LOAD(6); LOAD(7)
	LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15); LOAD(16); LOAD(17)
	LOAD(28); LOAD(29); LOAD(30); LOAD(31)
	LOAD(10)
	sret

hs_trap:
	csrrw	a0, sscratch, a0	/* a0 back, sscratch zero again */
	j	arch_hs_trap		/* C: report and panic; never returns */
