/* VM life: made at boot from the config tables; stopped, restarted (the
 * image reloaded into zeroed RAM) or left to halt the machine by its
 * on-fault policy; the machine powers off when the last guest stops. */
#include "vm.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "arch_hooks.h"
#include "chan.h"
#include "console.h"
#include "restart_policy.h"
#include "sched.h"
#include "stats.h"
#include "vdev.h"

struct vm vms[CFG_MAX_GUESTS];
unsigned nvms;
static int vms_running;

/* Guest RAM is identity-reachable from the hypervisor (it runs with
 * translation off), so a host-physical address is a pointer. */
static void *hpa_ptr(uint64_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

/* Zeroing is done a chunk at a time so that a reload on a shared hart can
 * stop for a due timer: 64 KiB is about 10k instructions. */
#define LOAD_CHUNK (64 * 1024)

/* Zeroes the guest's RAM from load_pos on (its .bss and every byte of an
 * earlier run go together), until done or host time `until`. */
static bool zero_step(struct vm *vm, uint64_t until)
{
	const struct cfg_guest *g = vm->cfg;

	while (vm->load_pos < g->mem_size) {
		uint64_t n = g->mem_size - vm->load_pos;

		if (n > LOAD_CHUNK)
			n = LOAD_CHUNK;
		vm_mem_zero(hpa_ptr(g->hpa_base + vm->load_pos), n);
		vm->load_pos += n;
		if (vm->load_pos < g->mem_size && arch_time_now() >= until)
			return false;
	}
	return true;
}

/* Into zeroed RAM: copies its image and device tree in, and tells it in the
 * device tree how many times it has been restarted. */
static void load_image(struct vm *vm)
{
	const struct cfg_guest *g = vm->cfg;
	void *dtb = hpa_ptr(g->hpa_base + (g->dtb_gpa - g->gpa_base));
	int room = (int)(g->gpa_base + g->mem_size - g->dtb_gpa);

	if (g->image_size)
		memcpy(hpa_ptr(g->hpa_base + (g->image_gpa - g->gpa_base)), g->image,
		       g->image_size);
	memcpy(dtb, g->dtb, g->dtb_size);
	int chosen;
	if (fdt_open_into(dtb, dtb, room) || (chosen = fdt_path_offset(dtb, "/chosen")) < 0 ||
	    fdt_setprop_u32(dtb, chosen, "septa,restarts", vm->restarts) || fdt_pack(dtb))
		panic("%s: no room in guest %s's device tree", __func__, g->name);
}

/* Builds a VM's address space and loads it: its RAM zeroed, its image and
 * device tree copied in, its devices and console reset. */
static void vm_load_one(struct vm *vm, unsigned id, const struct cfg_guest *g)
{
	vm->cfg = g;
	vm->id = id;
	vm->state = VM_RUNNING;
	vm->nvcpus = g->nvcpus;
	if (arch_vm_init(vm))
		panic("%s: cannot build the G-stage table of guest %s", __func__, g->name);
	vm->load_pos = 0;
	zero_step(vm, UINT64_MAX);
	load_image(vm);
	vdev_init(vm);
	console_vm_init(vm);
}

/* Its vCPUs placed on their harts, vCPU 0 runnable, its time from now. */
static void vm_start_one(struct vm *vm, uint64_t now)
{
	const struct cfg_guest *g = vm->cfg;

	vm->time_base = now;
	for (unsigned i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->hart = g->vcpu_hart[i];
		v->state = VCPU_STOPPED;
		v->hsm = i == 0 ? VCPU_HSM_STARTED : VCPU_HSM_STOPPED;
		v->timer_deadline = VCPU_NO_DEADLINE;
		vcpu_init_deadlines(v);
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
	chan_init_all();
	for (unsigned i = 0; i < nvms; i++)
		vm_load_one(&vms[i], i, &cfg_machine.guests[i]);
	/* Every guest's time starts once all are loaded, when they can run:
	 * zeroing a big guest's RAM is not the guests' time. */
	uint64_t now = arch_time_now();
	for (unsigned i = 0; i < nvms; i++)
		vm_start_one(&vms[i], now);
}

uint64_t vm_run_ticks(const struct vm *vm, uint64_t now)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < vm->nvcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		uint64_t since = __atomic_load_n(&v->running_since, __ATOMIC_RELAXED);

		sum += __atomic_load_n(&v->stats.run_ticks, __ATOMIC_RELAXED);
		if (since && now > since)
			sum += now - since;
	}
	return sum;
}

bool vm_runnable(const struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].state, __ATOMIC_RELAXED) == VCPU_RUNNABLE)
			return true;
	return false;
}

const char *vm_state_name(const struct vm *vm)
{
	static const char *const names[] = {"running", "stopped", "restarting", "restarting"};

	return names[__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE)];
}

struct vm *vm_by_name(const char *name)
{
	for (unsigned i = 0; i < nvms; i++)
		if (!strcmp(vms[i].cfg->name, name))
			return &vms[i];
	return NULL;
}

/* A running vCPU notices its VM leaving at its next trap (the request's
 * kick makes one); one asleep or waiting for a fence is off the queue, and
 * its hart retires it when it takes the request. */
static void tell_vcpus_to_leave(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vcpu_request(&vm->vcpus[i], VCPU_REQ_LEAVE);
}

static void stop(struct vm *vm, const char *why, bool may_power_off)
{
	int was = __atomic_exchange_n(&vm->state, VM_STOPPED, __ATOMIC_ACQ_REL);

	if (was == VM_STOPPED)
		return;
	console_guest_flush(vm);
	hv_log("guest %s stopped: %s", vm->cfg->name, why);
	tell_vcpus_to_leave(vm);
	if (__atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL) == 0 && may_power_off) {
		stats_print();
		hv_log("all guests stopped; powering off");
		arch_machine_off(false);
	}
}

void vm_stop(struct vm *vm, const char *why)
{
	stop(vm, why, true);
}

void vm_stop_keep_machine(struct vm *vm, const char *why)
{
	stop(vm, why, false);
}

/* The RAM is clean: load the image, reset the devices and start vCPU 0 (on
 * its own hart, through a request, so no other hart touches its state). */
static void finish_reload(struct vm *vm)
{
	const struct cfg_guest *g = vm->cfg;
	struct vcpu *v0 = &vm->vcpus[0];

	load_image(vm);
	vdev_init(vm);
	console_vm_reset(vm);
	vm->time_base = arch_time_now();
	/* A new run: what the last one asked of its vCPUs is void. Every
	 * vCPU is out (the count reached zero), so nothing of the old run
	 * can ask again; a start already taken by another hart is dropped
	 * there, because it names the old run. vcpu_start() resets the rest
	 * of each vCPU when the new run starts it. */
	__atomic_add_fetch(&vm->run, 1, __ATOMIC_ACQ_REL);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		__atomic_store_n(&vm->vcpus[i].requests, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&vm->vcpus[i].hsm, VCPU_HSM_STOPPED, __ATOMIC_RELEASE);
	}
	vcpu_cancel_deadlines(v0); /* this is v0's hart */
	v0->start_pc = g->entry;
	v0->start_arg = g->dtb_gpa;
	v0->start_run = vm->run;
	__atomic_store_n(&v0->hsm, VCPU_HSM_START_PENDING, __ATOMIC_RELEASE);
	/* A stop that came while we loaded wins. */
	int expect = VM_LOADING;
	if (__atomic_compare_exchange_n(&vm->state, &expect, VM_RUNNING, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		vcpu_request(v0, VCPU_REQ_START);
}

void vm_load_continue(struct vm *vm, uint64_t until)
{
	/* A new request starts over: a stop and a restart may have come
	 * while an earlier reload was under way. */
	if (__atomic_exchange_n(&vm->load_request, 0, __ATOMIC_ACQ_REL)) {
		vm->load_busy = true;
		vm->load_pos = 0;
	}
	if (!vm->load_busy)
		return;
	if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_LOADING) {
		vm->load_busy = false; /* stopped meanwhile */
		return;
	}
	if (vm->load_pos == 0)
		vm->load_ticks = 0;
	uint64_t start = arch_time_now();
	bool done = zero_step(vm, until);
	if (done) {
		vm->load_busy = false;
		finish_reload(vm);
	}
	/* Hart time the reload took, over all its turns (the statistics'
	 * reload_us, and make bench's restart row). */
	vm->load_ticks += arch_time_now() - start;
	if (done)
		vm->last_load_ticks = vm->load_ticks;
}

/* The last vCPU is out: vCPU 0's hart reloads the VM in turns beside its
 * other vCPUs (sched.c), so a big guest's restart does not hold the hart. */
static void reload(struct vm *vm)
{
	__atomic_store_n(&vm->load_request, 1, __ATOMIC_RELEASE);
	vcpu_request(&vm->vcpus[0], VCPU_REQ_RELOAD);
}

static void maybe_reload(struct vm *vm)
{
	int expect = VM_RESTARTING;

	/* Whoever sees the count reach zero first does it, once. */
	if (__atomic_load_n(&vm->active, __ATOMIC_ACQUIRE) == 0 &&
	    __atomic_compare_exchange_n(&vm->state, &expect, VM_LOADING, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		reload(vm);
}

static void restart(struct vm *vm, uint64_t delay_us, const char *why, bool reboot)
{
	int was = __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE);

	/* Only a running or a stopped VM can begin a restart. */
	do {
		if (was != VM_RUNNING && was != VM_STOPPED)
			return;
	} while (!__atomic_compare_exchange_n(&vm->state, &was, VM_RESTARTING, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	if (was == VM_STOPPED)
		__atomic_add_fetch(&vms_running, 1, __ATOMIC_ACQ_REL);
	console_guest_flush(vm);
	vm->restarts++;
	if (reboot)
		vm->reboots++;
	else
		vm->recent_restarts++;
	vm->restart_at = arch_time_now() + delay_us * sched_ticks_per_us;
	if (reboot)
		hv_log("guest %s rebooting (restart %u): %s", vm->cfg->name, vm->restarts, why);
	else
		hv_log("guest %s restarting (restart %u, in %lu ms): %s", vm->cfg->name,
		       vm->restarts, (unsigned long)(delay_us / 1000), why);
	tell_vcpus_to_leave(vm);
	maybe_reload(vm);
}

void vm_restart(struct vm *vm, uint64_t delay_us, const char *why)
{
	restart(vm, delay_us, why, false);
}

void vm_reboot(struct vm *vm, const char *why)
{
	restart(vm, 0, why, true);
}

void vm_vcpu_up(struct vm *vm)
{
	__atomic_add_fetch(&vm->active, 1, __ATOMIC_ACQ_REL);
}

void vm_vcpu_down(struct vm *vm)
{
	if (__atomic_sub_fetch(&vm->active, 1, __ATOMIC_ACQ_REL) == 0)
		maybe_reload(vm);
}

void vm_fault(struct vcpu *v, const char *what)
{
	struct vm *vm = v->vm;
	const struct cfg_guest *g = vm->cfg;

	hv_log("guest %s faulted: %s", g->name, what);
	if (g->fault_dump)
		arch_vcpu_dump(v);
	switch (g->on_fault) {
	case CFG_FAULT_RESTART:
		/* A run (from vCPU 0's start, after any back-off) as long as
		 * the window proves the guest healthy again: the limit and the
		 * back-off count from zero. */
		if (restart_window_forgives(vm->vcpus[0].stats.started_at, arch_time_now(),
					    g->restart_window_us * sched_ticks_per_us,
					    vm->recent_restarts)) {
			hv_log("guest %s ran longer than its restart-window: restart count reset",
			       g->name);
			vm->recent_restarts = 0;
		}
		if (vm->recent_restarts >= g->restart_limit) {
			char why[64];

			snprintf(why, sizeof(why), "restart limit (%u) reached", g->restart_limit);
			vm_stop(vm, why);
			return;
		}
		/* Back-off: the delay doubles with every restart, up to a cap. */
		vm_restart(vm, restart_backoff_us(g->restart_delay_us, vm->recent_restarts),
			   "on-fault = restart");
		return;
	case CFG_FAULT_HALT:
		hv_log("halting the machine: guest %s has on-fault = halt", g->name);
		stats_print();
		arch_machine_off(true);
	default:
		vm_stop(vm, "on-fault = stop");
	}
}
