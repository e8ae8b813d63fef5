/* Hart entries of every demo guest: pick this hart's stack, point tp at the
 * TLS block, and continue in C.  a0 = hart id, a1 = device tree (_start) or
 * the opaque word of SBI HSM hart_start (rt_hart_entry). */
#include "layout.h"

	.section .text.entry, "ax"
	.globl	_start
_start:
	/* No interrupt may be taken before rt_boot installs the trap vector. */
	csrw	sie, zero
	/* rt_boot(hartid, fdt) clears .bss on first entry, then runs main. */
	la	t1, rt_boot
	j	enter

	/* Where rt_hart_start has SBI HSM start a hart: .bss is already
	 * cleared and must not be cleared again, so go to rt_hart_boot. */
	.globl	rt_hart_entry
rt_hart_entry:
	csrw	sie, zero
	la	t1, rt_hart_boot

	/* Common to both: t1 = the C function to call with a0, a1. */
enter:
	/* A hart id we have no stack for cannot run C: park it. */
	li	t0, RT_MAX_HARTS
	bgeu	a0, t0, park
	/* rt_hartid() reads sscratch; nothing else in the guest uses it. */
	csrw	sscratch, a0
	/* sp = top of rt_stacks[hartid]; stacks grow down. */
	la	sp, rt_stacks
	addi	t0, a0, 1
	slli	t0, t0, RT_STACK_SHIFT
	add	sp, sp, t0
	/* picolibc keeps errno in TLS, addressed as tp + offset (local-exec). */
	la	tp, __tls_base
	/* A zero frame pointer ends backtraces here. */
	li	s0, 0
	/* a0 and a1 are passed through untouched; neither C function returns. */
	jalr	t1
park:
	wfi
	j	park

	/* Stacks are not part of .bss, so that rt_boot may clear .bss while
	 * running on one of them. */
	.section .rt_stacks, "aw", @nobits
	.balign	16
	.globl	rt_stacks
rt_stacks:
	.space	RT_MAX_HARTS << RT_STACK_SHIFT
