/* A VM: one guest partition from the config tables, its memory and state. */
#ifndef SEPTA_VM_H
#define SEPTA_VM_H

#include "cfg_table.h"
#include "conbuf.h"
#include "hv.h"
#include "vcpu.h"

enum vm_state {
	VM_RUNNING,
	VM_STOPPED,
};

struct vm {
	const struct cfg_guest *cfg;
	unsigned id; /* index in the config; the VMID is id + 1 */
	int state;   /* enum vm_state; written by any hart */
	struct conbuf con;
	void *arch;	    /* the arch layer's per-VM state (its G-stage table) */
	uint64_t time_base; /* host time at its start: its own time runs from 0 */
	unsigned nvcpus;
	struct vcpu vcpus[CFG_MAX_VCPUS];
};

extern struct vm vms[CFG_MAX_GUESTS];
extern unsigned nvms;

/* Builds every VM from the config tables: memory loaded, vCPU 0 runnable. */
void vm_init_all(void);
/* Stops a VM (its vCPUs stop at their next trap) and powers the machine off
 * when it was the last one running. why is printed in one line. */
void vm_stop(struct vm *vm, const char *why);
/* A guest-physical range of this VM's RAM as a hypervisor pointer, or NULL
 * when any byte of it is not the guest's own RAM. */
void *vm_gpa_to_ptr(const struct vm *vm, uint64_t gpa, uint64_t len);
bool vm_running(const struct vm *vm);

#endif
