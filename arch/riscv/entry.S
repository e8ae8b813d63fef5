/* Hart entry from OpenSBI. The first hart comes in at _start with a0 = hart
 * id and a1 = device tree; the others at _secondary_start via SBI HSM. Both
 * get a stack and a thread pointer, then go to C and never come back. */
#include "hart_layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	/* OpenSBI 1.1 in QEMU has been seen to release a second hart to the
	 * boot entry as well. The first hart in is the boot hart; a later one
	 * must not touch memory the boot hart is setting up: it says it is
	 * here and waits, with no stack, until the boot hart lets the
	 * secondaries go (arch_hart_start()). */
	lla	t0, entry_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, early_hart

	/* Only the boot hart clears .bss, before anything lives there. */
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	ra, hv_main
	j	hart_setup

	.globl _secondary_start
_secondary_start:
	la	ra, hv_secondary_main

/* a0 = hart id, a1 = argument for the C entry in ra. */
hart_setup:
	csrw	sie, zero
	li	t0, HART_MAX
	bgeu	a0, t0, park		/* a hart we have no stack for */
	.option push
	.option norelax
	la	gp, __global_pointer$	/* must not be relaxed against itself */
	.option pop
	/* sp = top of this hart's stack */
	la	sp, hv_stacks
	li	t0, HART_STACK_SIZE
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	/* tp = this hart's TLS block, for picolibc's errno and our __thread */
	la	tp, hv_tls
	li	t0, HART_TLS_SIZE
	mul	t0, t0, a0
	add	tp, tp, t0
	mv	s0, a0
	mv	s1, a1
	mv	s2, ra
	call	arch_tls_init		/* copies .tdata into the block at tp */
	mv	a0, s0
	mv	a1, s1
	jr	s2

park:
	wfi
	j	park

/* a0 = hart id. */
early_hart:
	li	t0, HART_MAX
	bgeu	a0, t0, park
	li	t0, 1
	sll	t0, t0, a0
	lla	t1, entry_early_harts
	amoor.d.rl zero, t0, (t1)
	lla	t1, entry_go
1:	lw	t0, 0(t1)
	beqz	t0, 1b
	fence	r, rw
	j	_secondary_start

	/* In .data, not .bss: read before the boot hart has cleared .bss. */
	.data
	.align 3
	.globl entry_early_harts, entry_go
entry_lottery:
	.word	0
entry_go:
	.word	0
entry_early_harts:
	.dword	0
