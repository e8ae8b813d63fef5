/* Where mallory's hsm-suspend-pending step has a non-retentive suspend
 * resume: record what the resume looked like, then longjmp back into the
 * step (state.c). Only a0 and a1 are defined here. */

	.section .text
	.option	norvc		/* 4-byte instructions: a resume at +4 skips exactly one */
	.globl	mallory_resume
	.balign	4
mallory_resume:
	/* First instruction: t1 holds this value only if it ran. */
	lui	t1, 0x5eed0
	la	t0, mallory_resume_rec
	sd	t1, 0(t0)
	sd	a0, 8(t0)
	sd	a1, 16(t0)
	csrr	t1, sstatus
	sd	t1, 24(t0)
	/* The C side's tp (TLS) and a stack, which a fresh start does not keep. */
	ld	tp, 32(t0)
	ld	sp, 40(t0)
	la	a0, mallory_resume_jb
	li	a1, 1
	tail	longjmp
