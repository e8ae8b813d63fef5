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
/* op (sd or ld) on each guest register xn, n in 1..31, whose bit n is set
 * in the set (see AV_CALLER_SAVED_REGS), at its slot in the vCPU at a0. */
.macro REG_SET op, set
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.if ((\set) >> \n) & 1
	\op	x\n, AV_GPR(\n)(a0)
	.endif
	.endr
.endm
/* The caller-saved registers the leaf path leaves alone, sp, gp and tp. */
#define SAVE_NOT_LEAF() REG_SET sd, (AV_CALLER_SAVED_REGS & ~AV_LEAF_REGS)
/* The rest: s0, s1 and s2-s11, which C keeps. */
#define SAVE_S() REG_SET sd, ~AV_CALLER_SAVED_REGS
/* What the trap left in the CSRs, into the vCPU (uses t0). */
#define SAVE_TRAP_CSRS() \
	csrr t0, sepc; sd t0, AV_SEPC(a0); csrr t0, sstatus; sd t0, AV_SSTATUS(a0); \
	csrr t0, hstatus; sd t0, AV_HSTATUS(a0); csrr t0, scause; sd t0, AV_SCAUSE(a0); \
	csrr t0, stval; sd t0, AV_STVAL(a0); csrr t0, htval; sd t0, AV_HTVAL(a0); \
	csrr t0, htinst; sd t0, AV_HTINST(a0)

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
	REG_SET sd, (AV_LEAF_REGS & ~(1 << 10))	/* a0 next, from sscratch */
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
 * the caller-saved registers saved (C keeps s0-s11 as the guest left them)
 * and without the host's callee-saved registers or a pass of the
 * scheduler. An access that names an s-register is done again with every
 * register saved. */
not_ecall:
	li	t1, 21			/* EXC_LOAD_GUEST_PAGE_FAULT */
	beq	t0, t1, 1f
	li	t1, 23			/* EXC_STORE_GUEST_PAGE_FAULT */
	bne	t0, t1, slow
1:	REG_SET sd, (AV_CALLER_SAVED_REGS & ~AV_LEAF_REGS & ~AV_SP_GP_TP)
	/* The trap CSRs into registers the read below leaves alone (it may
	 * fault and overwrite the CSRs), the vCPU into t5. */
	mv	t5, a0
	csrr	a2, stval
	csrr	a3, htval
	csrr	a4, htinst
	csrr	a5, hstatus
	csrr	a6, scause
	csrr	a7, sepc
	csrr	t4, sstatus
	mv	a0, a7
	call	guest_fetch_insn	/* the instruction; touches t0-t3, a0 */
	mv	a1, a0
	mv	a0, t5
	sd	a1, AV_INSN(a0)
	bltz	a1, mmio_unread
	call	mmio_leaf		/* (vCPU, insn, CSRs): MMIO_DONE if it did
					 * the access; no stack, sp, gp or tp,
					 * s-registers */
	mv	t5, a0
	csrr	a0, sscratch
	beqz	t5, leaf_return		/* MMIO_DONE */
	SAVE_TRAP_CSRS()		/* still as the trap left them */
	REG_SET sd, AV_SP_GP_TP
	ld	sp, AV_HOST_SP(a0)
	ld	gp, AV_HOST_GP(a0)
	ld	tp, AV_HOST_TP(a0)
	li	t1, MMIO_ALL_REGS
	beq	t5, t1, 2f		/* names an s-register: all saved first */
	li	a1, 0
	call	trap_mmio_fast		/* (vCPU, all saved?): an MMIO_* */
	csrr	t0, sscratch
	beqz	a0, fast_return		/* MMIO_DONE */
	addi	a1, a0, -MMIO_SLOW
	mv	a0, t0
	SAVE_S()
	beqz	a1, slow_csrs		/* the trap CSRs are in av already */
	j	3f
2:	SAVE_S()
3:	li	a1, 1			/* MMIO_ALL_REGS: again, all saved */
	call	trap_mmio_fast
	csrr	t0, sscratch
	mv	a1, a0
	mv	a0, t0
	bnez	a1, slow_csrs		/* every register and the load's result
					 * are in av: do not save s0-s11 again */
	/* Emulated: sepc from av, past the access or (trap_inject()) at the
	 * guest's own handler; a load's result is already in av's gpr. */
	ld	t0, AV_SEPC(a0)
	csrw	sepc, t0
	LOAD_ALL_BUT_A0()
	LOAD(10)
	sret

/* The instruction could not be read, and the CSRs are no longer the
 * trap's: those in registers into av, then the slow path. */
mmio_unread:
	sd	a2, AV_STVAL(a0)
	sd	a3, AV_HTVAL(a0)
	sd	a4, AV_HTINST(a0)
	sd	a5, AV_HSTATUS(a0)
	sd	a6, AV_SCAUSE(a0)
	sd	a7, AV_SEPC(a0)
	sd	t4, AV_SSTATUS(a0)
	REG_SET sd, AV_SP_GP_TP
	SAVE_S()
	j	slow_csrs

slow:
	SAVE_NOT_LEAF()
slow_rest:
	SAVE_S()
	/* The trap CSRs, for trap_handle(); read while nothing can trap and
	 * overwrite them. */
	SAVE_TRAP_CSRS()
slow_csrs:
	csrw	sscratch, zero		/* back in the hypervisor: a trap now is ours */

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
	REG_SET ld, AV_SP_GP_TP
leaf_return:			/* a0 = vCPU; sp, gp and tp are the guest's */
	ld	t0, AV_SEPC(a0)
	csrw	sepc, t0
	REG_SET ld, (AV_CALLER_SAVED_REGS & ~AV_SP_GP_TP & ~(1 << 10))
	LOAD(10)		/* a0 last: it is the base */
	sret

hs_trap:
	csrrw	a0, sscratch, a0	/* a0 back, sscratch zero again */
	j	arch_hs_trap		/* C: report and panic; never returns */
