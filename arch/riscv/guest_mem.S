/* Reading guest instructions the way the guest sees them: HLVX.HU with the
 * guest's own translation. The address may be unmapped, so the read runs
 * with a private trap vector that turns any fault into an error return.
 *   long guest_fetch_u16(uint64_t gva)   -> the halfword, or -1 */
	.option push
	.option arch, +h

	.text
	.globl guest_fetch_u16
guest_fetch_u16:
	csrr	t1, stvec
	la	t0, 1f
	csrw	stvec, t0
	hlvx.hu	a0, (a0)	/* VS privilege from hstatus.SPVP */
	csrw	stvec, t1
	ret
	.align	2
1:	/* The read faulted: we are back in HS with sstatus.SIE still 0. */
	csrw	stvec, t1
	li	a0, -1
	ret

	.option pop
