/* The RISC-V side of a VM. */
#ifndef SEPTA_ARCH_VM_H
#define SEPTA_ARCH_VM_H

#include <stdint.h>

#include "gstage.h"

struct arch_vm {
	struct gstage gstage;
	unsigned vmid;
	uint64_t hgatp;
};

#endif
