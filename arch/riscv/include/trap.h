/* Decoding why a guest trapped and dealing with it. */
#ifndef SEPTA_TRAP_H
#define SEPTA_TRAP_H

#include "arch_hooks.h"
#include "arch_vcpu.h"

/* guest_mem.S: the instruction at a guest-virtual address (both halves of a
 * 32-bit one, with one trap-vector swap), or -1 if a read faults. */
long guest_fetch_insn(uint64_t gva);

/* Hands an exception to the guest's kernel: vsepc, vscause, vstval and
 * vsstatus as a delegated trap would set them, and the vCPU resumes at its
 * vstvec in VS-mode. av must be the vCPU live on this hart. */
void trap_inject(struct arch_vcpu *av, uint64_t cause, uint64_t tval);

/* The trap vector's device path (switch.S), first tier: a plain UART
 * register, by a leaf that calls nothing (mmio_leaf.c), with the trap CSRs
 * as they are (not yet in av). insn: the instruction at sepc. MMIO_DONE;
 * else nothing was done, and MMIO_ALL_REGS when the access names an
 * s-register, MMIO_SLOW when the leaf declines it for another reason. */
long mmio_leaf(struct arch_vcpu *av, long insn, uint64_t stval, uint64_t htval, uint64_t htinst,
	       uint64_t hstatus, uint64_t scause);
/* The trap vector's device path (switch.S): an MMIO_* code. all_saved:
 * s0-s11 are in av too (else they are live, and av holds the rest). */
long trap_mmio_fast(struct arch_vcpu *av, bool all_saved);
enum vcpu_exit trap_handle(struct vcpu *v, struct arch_vcpu *av);

#endif
