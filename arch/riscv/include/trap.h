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

long trap_mmio_fast(struct arch_vcpu *av);
enum vcpu_exit trap_handle(struct vcpu *v, struct arch_vcpu *av);

#endif
