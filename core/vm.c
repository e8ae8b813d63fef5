/* VMs: made once at boot from the config tables, stopped one by one; the
 * machine powers off when the last one stops. */
#include "vm.h"

#include <stdio.h>
#include <string.h>

#include "arch_hooks.h"
#include "console.h"
#include "sched.h"
#include "stats.h"

struct vm vms[CFG_MAX_GUESTS];
unsigned nvms;
static int vms_running;

/* Guest RAM is identity-reachable from the hypervisor (it runs with
 * translation off), so a host-physical address is a pointer. */
static void *hpa_ptr(uint64_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

static void vm_load(struct vm *vm)
{
	const struct cfg_guest *g = vm->cfg;

	/* Zero all of it first: the guest's .bss and every byte of any earlier
	 * occupant go together. */
	memset(hpa_ptr(g->hpa_base), 0, g->mem_size);
	memcpy(hpa_ptr(g->hpa_base + (g->image_gpa - g->gpa_base)), g->image, g->image_size);
	memcpy(hpa_ptr(g->hpa_base + (g->dtb_gpa - g->gpa_base)), g->dtb, g->dtb_size);
}

static void vm_init_one(struct vm *vm, unsigned id, const struct cfg_guest *g)
{
	vm->cfg = g;
	vm->id = id;
	vm->state = VM_RUNNING;
	vm->nvcpus = g->nvcpus;
	vm->time_base = arch_time_now();
	if (arch_vm_init(vm))
		panic("%s: cannot build the G-stage table of guest %s", __func__, g->name);
	vm_load(vm);

	for (unsigned i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->hart = g->vcpu_hart[i];
		v->state = VCPU_STOPPED;
		v->hsm = i == 0 ? VCPU_HSM_STARTED : VCPU_HSM_STOPPED;
		v->timer_deadline = VCPU_NO_DEADLINE;
		runq_node_init(&v->node);
		arch_vcpu_reset(v, g->entry, i, g->dtb_gpa);
		sched_add_vcpu(v);
	}
	char harts_list[3 * CFG_MAX_VCPUS + 1] = "";
	for (unsigned i = 0, n = 0; i < g->nvcpus; i++)
		n += (unsigned)snprintf(harts_list + n, sizeof(harts_list) - n, "%s%u",
					i ? "," : "", g->vcpu_hart[i]);
	hv_log("guest %s: %lu KiB RAM at host 0x%lx, %u vCPU(s) on hart(s) %s", g->name,
	       (unsigned long)(g->mem_size >> 10), (unsigned long)g->hpa_base, g->nvcpus,
	       harts_list);
	/* Only vCPU 0 starts; the others wait for SBI HSM hart_start. */
	vm->vcpus[0].stats.started_at = vm->time_base;
	sched_wake(&vm->vcpus[0], false);
}

void vm_init_all(void)
{
	nvms = cfg_machine.nguests;
	vms_running = nvms;
	for (unsigned i = 0; i < nvms; i++)
		vm_init_one(&vms[i], i, &cfg_machine.guests[i]);
}

bool vm_running(const struct vm *vm)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}

void vm_stop(struct vm *vm, const char *why)
{
	int was = __atomic_exchange_n(&vm->state, VM_STOPPED, __ATOMIC_ACQ_REL);

	if (was == VM_STOPPED)
		return;
	console_guest_flush(vm);
	hv_log("guest %s stopped: %s", vm->cfg->name, why);
	if (__atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL) == 0) {
		stats_print();
		hv_log("all guests stopped; powering off");
		arch_machine_off(false);
	}
}
