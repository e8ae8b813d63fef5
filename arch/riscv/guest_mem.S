/* Reading guest instructions the way the guest sees them: HLVX.HU with the
 * guest's own translation. The address may be unmapped, so the read runs
 * with a private trap vector that turns any fault into an error return.
 *   long guest_fetch_insn(uint64_t gva)  -> the instruction (16 or 32 bits), or -1 */
	.option push
	.option arch, +h

	.text
	.globl guest_fetch_insn
guest_fetch_insn:
	csrr	t1, stvec
	la	t0, 1f
	csrw	stvec, t0
	mv	t2, a0
	hlvx.hu	a0, (t2)	/* VS privilege from hstatus.SPVP */
	andi	t0, a0, 3
	li	t3, 3
	bne	t0, t3, 2f	/* not 11: a 16-bit instruction, done */
	addi	t2, t2, 2	/* HLVX takes no offset */
	hlvx.hu	t0, (t2)	/* the upper half, which may be on the next page */
	slli	t0, t0, 16
	or	a0, a0, t0
2:	csrw	stvec, t1
	ret
	.align	2
1:	/* A read faulted: we are back in HS with sstatus.SIE still 0. */
	csrw	stvec, t1
	li	a0, -1
	ret

	.option pop
