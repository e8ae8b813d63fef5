/* Hart entry of every demo guest: pick this hart's stack, point tp at the TLS
 * block, and continue in C (rt_boot).  a0 = hart id, a1 = device tree. */
#include "layout.h"

	.section .text.entry, "ax"
	.globl	_start
_start:
	/* No interrupt may be taken before rt_boot installs the trap vector. */
	csrw	sie, zero
	/* A hart id we have no stack for cannot run C: park it. */
	li	t0, RT_MAX_HARTS
	bgeu	a0, t0, park
	/* sp = top of rt_stacks[hartid]; stacks grow down. */
	la	sp, rt_stacks
	addi	t0, a0, 1
	slli	t0, t0, RT_STACK_SHIFT
	add	sp, sp, t0
	/* picolibc keeps errno in TLS, addressed as tp + offset (local-exec). */
	la	tp, __tls_base
	/* A zero frame pointer ends backtraces here. */
	li	s0, 0
	/* rt_boot(hartid, fdt): a0 and a1 are passed through untouched. */
	call	rt_boot
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
