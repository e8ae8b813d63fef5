/* The timed probes of the bench guest, in assembly so that exactly the
 * instructions listed sit between the two counter reads, whatever the
 * compiler does.  Each probe exists twice: once reading `time`, once
 * `instret`.  All return the counter delta in a0. */

/* PROBES ctr: bench_<probe>_<ctr> for one counter CSR (time or instret). */
.macro PROBES ctr
	.text

	/* uint64_t bench_empty_<ctr>(void): nothing between the reads; the
	 * overhead every other probe carries (instret: 1, the first read). */
	.globl	bench_empty_\ctr
	.balign	4
bench_empty_\ctr:
	csrr	t0, \ctr
	csrr	t1, \ctr
	sub	a0, t1, t0
	ret

	/* uint64_t bench_ecall_<ctr>(eid, fid): one SBI call with no
	 * arguments.  The callee may clobber a0/a1 only (SBI convention). */
	.globl	bench_ecall_\ctr
	.balign	4
bench_ecall_\ctr:
	mv	a7, a0			/* extension id */
	mv	a6, a1			/* function id */
	li	a0, 0
	li	a1, 0
	csrr	t0, \ctr
	ecall
	csrr	t1, \ctr
	sub	a0, t1, t0
	ret

	/* uint64_t bench_ecall1_<ctr>(eid, fid, arg0): one SBI call with one
	 * argument (set_timer's deadline, probe_extension's id). */
	.globl	bench_ecall1_\ctr
	.balign	4
bench_ecall1_\ctr:
	mv	a7, a0			/* extension id */
	mv	a6, a1			/* function id */
	mv	a0, a2
	li	a1, 0
	csrr	t0, \ctr
	ecall
	csrr	t1, \ctr
	sub	a0, t1, t0
	ret

	/* uint64_t bench_load8_<ctr>(const volatile uint8_t *addr): one byte
	 * load (the 16550's LSR). */
	.globl	bench_load8_\ctr
	.balign	4
bench_load8_\ctr:
	csrr	t0, \ctr
	lbu	t2, 0(a0)
	csrr	t1, \ctr
	sub	a0, t1, t0
	ret

	/* uint64_t bench_store8_<ctr>(volatile uint8_t *addr, uint8_t val):
	 * one byte store (the 16550's scratch register, SCR). */
	.globl	bench_store8_\ctr
	.balign	4
bench_store8_\ctr:
	csrr	t0, \ctr
	sb	a1, 0(a0)
	csrr	t1, \ctr
	sub	a0, t1, t0
	ret
.endm

	PROBES	time
	PROBES	instret

/*
 * uint64_t bench_timer_wait(uint64_t *before, int busy)
 *
 * The caller has armed the SBI timer, enabled sie.STIE and masked
 * sstatus.SIE.  Points stvec at a vector of our own, enables interrupts and
 * sleeps in wfi (busy = 0) or spins (busy != 0: a guest at work when its
 * timer fires); the vector's first instruction reads `time`, which is the
 * result.
 * The trap cleared sstatus.SIE (SPIE keeps the old value), so the vector
 * simply puts the runtime's stvec back, stores in *before the time read
 * just before the wait, and returns to our caller, who checks scause and
 * cancels the timer.  Any interrupt ends the wait:
 * the caller must make sure only the timer is enabled in sie.
 */
	.globl	bench_timer_wait
	.balign	4
bench_timer_wait:
	csrr	t1, stvec		/* the runtime's vector, restored below */
	la	t0, timer_vector
	csrw	stvec, t0
	csrr	t2, time		/* *before, stored by the vector */
	csrsi	sstatus, 2		/* sstatus.SIE */
	bnez	a1, 2f
1:	wfi
	j	1b
2:	j	2b

	/* Direct-mode stvec needs 4-byte alignment. */
	.balign	4
timer_vector:
	csrr	t0, time		/* the first instruction of the handler */
	csrw	stvec, t1
	sd	t2, 0(a0)
	mv	a0, t0
	ret

/*
 * void bench_switch_leave(volatile uint64_t *seq, uint64_t *before,
 *			   uint64_t deadline)
 *
 * vCPU 0's half of a vCPU switch: reads instret into *before, bumps *seq and
 * sleeps until `time` reaches deadline, its timer's.  The caller has armed
 * the timer, made it the only interrupt enabled in sie and masked
 * sstatus.SIE, so the wfi traps to septa, which takes vCPU 0 off the hart.
 * Between the instret read and the wfi: one store (switch.c counts it).
 * The end of the wait is told by `time`, not by sip.STIP: under septa that
 * bit reads 0 in VS-mode even with the timer pending (doc/benchmarks.md).
 */
	.globl	bench_switch_leave
	.balign	4
bench_switch_leave:
	ld	t1, 0(a0)
	addi	t1, t1, 1
	csrr	t0, instret
	sd	t1, 0(a0)
1:	wfi
	/* A wfi may end early (the ISA lets it be a no-op): wait on. */
	csrr	t2, time
	bltu	t2, a2, 1b
	sd	t0, 0(a1)
	ret

/*
 * uint64_t bench_switch_enter(const volatile uint64_t *seq, uint64_t seen)
 *
 * vCPU 1's half: sleeps with interrupts masked until an interrupt enabled in
 * sie is pending, then spins until *seq differs from seen and returns
 * instret.  When septa switches to vCPU 1 from vCPU 0's wfi, vCPU 1 resumes
 * just after its own wfi, so two instructions (the load and the branch)
 * come before the read.
 */
	.globl	bench_switch_enter
	.balign	4
bench_switch_enter:
	wfi
1:	ld	t0, 0(a0)
	beq	t0, a1, 1b
	csrr	a0, instret
	ret
