/* Decoding why a guest trapped and dealing with it. */
#ifndef SEPTA_TRAP_H
#define SEPTA_TRAP_H

#include "arch_hooks.h"
#include "arch_vcpu.h"

/* guest_mem.S: a halfword at a guest-virtual address, or -1 if it faults. */
long guest_fetch_u16(uint64_t gva);

enum vcpu_exit trap_handle(struct vcpu *v, struct arch_vcpu *av);
/* Reports a fatal guest trap in one line and stops its VM. */
enum vcpu_exit trap_guest_fault(struct vcpu *v, const struct arch_vcpu *av, const char *what);

#endif
