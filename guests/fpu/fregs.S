/* The part of the fpu guest that must not be C: holding test values in all
 * 32 f registers and fcsr while time passes, since compiled code may use f
 * registers for its own ends. */

	.text
/*
 * unsigned long fregs_hold(const uint64_t in[32], uint64_t out[32],
 *                          unsigned long fcsr, uint64_t until)
 *
 * Loads f0..f31 from in[] and fcsr from fcsr, spins until the time CSR
 * reaches until, stores f0..f31 to out[] and returns fcsr as it then reads.
 * fs0..fs11 and fcsr are the caller's again on return (the ABI wants that
 * for fs*, and fcsr's rounding mode would otherwise leak into C).
 */
	.globl	fregs_hold
fregs_hold:
	addi	sp, sp, -112
	/* Save what the ABI says we must keep: fs0..fs11 and the fcsr. */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	fsd	fs\n, (\n * 8)(sp)
	.endr
	frcsr	t0
	sd	t0, 96(sp)

	/* The test values: every f register, and fcsr. */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	fscsr	a2

	/* Spin on integer registers only; whatever else runs on this hart
	 * meanwhile must leave our f registers as they were. */
1:	csrr	t0, time
	bltu	t0, a3, 1b

	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a1)
	.endr
	frcsr	a0

	/* The caller's fs0..fs11 and fcsr back. */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	fld	fs\n, (\n * 8)(sp)
	.endr
	ld	t0, 96(sp)
	fscsr	t0
	addi	sp, sp, 112
	ret
