/* The RISC-V side of a VM. */
#ifndef SEPTA_ARCH_VM_H
#define SEPTA_ARCH_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "gstage.h"

struct arch_vm {
	struct gstage gstage;
	unsigned vmid;
	uint64_t hgatp;
};

/* Whether guests share VMID 0 because the harts have too few VMID bits
 * (set when the first VM is made, before any hart runs a guest). */
extern bool arch_vmids_shared;

#endif
