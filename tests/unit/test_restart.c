/* Unit tests of a guest's restart (core/vm.c) over the real scheduler, vCPU
 * life and deadline list: a fault empties the VM off every hart, the last
 * vCPU out has vCPU 0's hart reload it in turns beside its other guests,
 * the RAM comes back zeroed with the image and a device tree that counts
 * the restart, and vCPU 0 starts after its back-off; the back-off doubles,
 * the limit stops the guest, a reboot is not counted, and a stop during a
 * reload wins. Two harts are played by one thread: the test says whose
 * pass it is. Zeroing costs time here (1 tick per 64 bytes), so a reload
 * of a big guest takes several turns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "arch_hooks.h"
#include "chan.h"
#include "console.h"
#include "hv.h"
#include "sched.h"
#include "stats.h"
#include "vcpu.h"
#include "vdev.h"
#include "vm.h"

#define RAM_GPA	 0x80000000UL
#define CRASH_KB 512 /* 8 chunks of zeroing: 8192 ticks */
#define OTHER_KB 64
#define SLICE_US 1000
#define DELAY_US 1000
#define US	 10 /* ticks per µs (sched_ticks_per_us) */

static uint8_t crash_ram[CRASH_KB * 1024] __attribute__((aligned(4096)));
static uint8_t other_ram[OTHER_KB * 1024] __attribute__((aligned(4096)));
static const uint8_t image[] = "IMAGE";
static uint8_t dtb[256];
static struct cfg_guest guests[2];
const struct cfg_machine cfg_machine = {.harts = 2, .nguests = 2, .guests = guests};

#define CRASH (&vms[0])
#define OTHER (&vms[1])

static uint64_t now, armed;
static unsigned this_hart;
static char last_log[320];
static unsigned logs;
/* How many stints each guest's vCPUs ran, and when vCPU 0 of crash last
 * entered the guest. */
static unsigned ran[2];
static uint64_t crash0_entered;

/* The arch layer and the rest of the core, as stubs. */
uint64_t arch_time_now(void)
{
	return now;
}
void arch_timer_program(uint64_t deadline)
{
	armed = deadline;
}
void arch_hart_idle(void)
{
	if (armed != VCPU_NO_DEADLINE && armed > now)
		now = armed;
}
/* Every guest runs until the hart timer, but crash's vCPU 1 sleeps in WFI
 * with no timer: only its VM's stop can take it off hart 1. */
enum vcpu_exit arch_vcpu_run(struct vcpu *v)
{
	ran[v->vm->id]++;
	if (v == &CRASH->vcpus[1]) {
		now += 10;
		return VCPU_EXIT_WFI;
	}
	if (v == &CRASH->vcpus[0])
		crash0_entered = now;
	now = armed;
	return VCPU_EXIT_TIMER;
}
unsigned arch_this_hart(void)
{
	return this_hart;
}
int arch_vm_init(struct vm *vm)
{
	(void)vm;
	return 0;
}
void arch_vcpu_sbi_error(struct vcpu *v, int rc)
{
	(void)v, (void)rc;
}
void arch_vcpu_dump(struct vcpu *v)
{
	(void)v;
}
void arch_machine_off(bool failure)
{
	fail_msg("the machine was powered off (failure %d): %s", failure, last_log);
	abort();
}
void vdev_init(struct vm *vm)
{
	(void)vm;
}
void console_vm_init(struct vm *vm)
{
	(void)vm;
}
void console_vm_reset(struct vm *vm)
{
	(void)vm;
}
void console_guest_flush(struct vm *vm)
{
	(void)vm;
}
void chan_init_all(void)
{
}
void stats_print(void)
{
}
void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	logs++;
}
void panic(const char *fmt, ...)
{
	fail_msg("panic: %s", fmt);
	abort();
}
/* Zeroing guest RAM takes time: a tick per 64 bytes. */
void vm_mem_zero(void *p, size_t len)
{
	memset(p, 0, len);
	now += len / 64;
}
void *vm_gpa_to_ptr(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	const struct cfg_guest *g = vm->cfg;

	if (gpa < g->gpa_base || len > g->mem_size || gpa - g->gpa_base > g->mem_size - len)
		return NULL;
	return (void *)(uintptr_t)(g->hpa_base + (gpa - g->gpa_base));
}

static void make_guest(struct cfg_guest *g, const char *name, uint8_t *ram, size_t size,
		       unsigned nvcpus)
{
	*g = (struct cfg_guest){
	    .name = name,
	    .gpa_base = RAM_GPA,
	    .hpa_base = (uint64_t)(uintptr_t)ram,
	    .mem_size = size,
	    .entry = RAM_GPA,
	    .image = image,
	    .image_size = sizeof(image),
	    .image_gpa = RAM_GPA,
	    .dtb = dtb,
	    .dtb_size = fdt_totalsize(dtb),
	    .dtb_gpa = RAM_GPA + size - 4096,
	    .timeslice_us = SLICE_US,
	    .nvcpus = nvcpus,
	    .on_fault = CFG_FAULT_RESTART,
	    .restart_limit = 2,
	    .restart_delay_us = DELAY_US,
	};
}

/* "crash": 2 vCPUs, vCPU 0 on hart 0 beside "other" (1 vCPU), vCPU 1 on
 * hart 1. Both guests booted and crash's vCPU 1 started. */
static int setup(void **state)
{
	(void)state;
	assert_int_equal(fdt_create_empty_tree(dtb, sizeof(dtb)), 0);
	assert_true(fdt_add_subnode(dtb, 0, "chosen") >= 0);
	assert_int_equal(fdt_pack(dtb), 0);
	make_guest(&guests[0], "crash", crash_ram, sizeof(crash_ram), 2);
	guests[0].vcpu_hart[1] = 1;
	make_guest(&guests[1], "other", other_ram, sizeof(other_ram), 1);
	memset(vms, 0, sizeof(vms));
	memset(harts, 0, sizeof(harts));
	memset(ran, 0, sizeof(ran));
	sched_ticks_per_us = US;
	now = 1000;
	this_hart = 0;
	logs = 0;
	sched_init();
	vm_init_all();
	assert_int_equal(vcpu_hsm_start(CRASH, 1, RAM_GPA + 0x40, 0), 0);
	this_hart = 1;
	sched_pass(&harts[1]);
	this_hart = 0;
	assert_int_equal(CRASH->vcpus[1].hsm, VCPU_HSM_STARTED);
	assert_int_equal(CRASH->vcpus[1].state, VCPU_WAITING);
	assert_int_equal(CRASH->active, 2);
	return 0;
}

static void pass(unsigned hart)
{
	this_hart = hart;
	sched_pass(&harts[hart]);
	this_hart = 0;
}

/* Passes on both harts until crash runs again (or a bound, which fails). */
static void until_crash_runs(void)
{
	for (unsigned i = 0; i < 200; i++) {
		if (vm_running(CRASH) && CRASH->vcpus[0].state == VCPU_RUNNABLE)
			return;
		pass(1);
		pass(0);
	}
	fail_msg("crash did not come back: %s", last_log);
}

static uint32_t restarts_in_dtb(void)
{
	const void *fdt = crash_ram + (guests[0].dtb_gpa - RAM_GPA);
	int len, chosen = fdt_path_offset(fdt, "/chosen");
	const fdt32_t *p = fdt_getprop(fdt, chosen, "septa,restarts", &len);

	assert_non_null(p);
	return fdt32_to_cpu(*p);
}

/* The whole path: every vCPU off its hart, RAM zeroed in turns with the
 * other guest running between them, the image and a device tree counting
 * the restart back, a new run, and vCPU 0 alone started after the delay. */
static void fault_restarts_clean(void **state)
{
	(void)state;
	assert_int_equal(restarts_in_dtb(), 0);
	memset(crash_ram + 8192, 0x5a, 4096); /* what the guest left in RAM */
	uint64_t fault_at = now;
	vm_fault(&CRASH->vcpus[0], "a test fault");
	assert_int_equal(CRASH->state, VM_RESTARTING);
	assert_string_equal(last_log,
			    "guest crash restarting (restart 1, in 1 ms): on-fault = restart");
	pass(1); /* vCPU 1 leaves */
	assert_int_equal(CRASH->vcpus[1].state, VCPU_STOPPED);
	assert_int_equal(CRASH->state, VM_RESTARTING);
	unsigned other_before = ran[1];
	pass(0); /* vCPU 0 leaves, the last: hart 0 gets the reload */
	assert_int_equal(CRASH->active, 0);
	assert_int_equal(CRASH->state, VM_LOADING);
	/* A reload turn, then other's stint, and so on: 8192 ticks of
	 * zeroing in turns of one 1 ms slice (10000 ticks) or less. */
	unsigned turns = 0;
	while (CRASH->state == VM_LOADING) {
		pass(0);
		turns++;
		assert_true(turns < 10);
	}
	assert_true(ran[1] > other_before); /* other ran meanwhile */
	assert_int_equal(CRASH->run, 1);
	assert_int_equal(CRASH->state, VM_RUNNING);
	assert_int_equal(crash_ram[8192], 0);
	assert_memory_equal(crash_ram, image, sizeof(image));
	assert_int_equal(restarts_in_dtb(), 1);
	assert_int_equal(CRASH->last_load_ticks, sizeof(crash_ram) / 64);
	/* vCPU 0 waits on hart 0's list for the back-off, then starts. */
	assert_true(deadline_armed(&CRASH->vcpus[0].start_dl) ||
		    CRASH->vcpus[0].requests & VCPU_REQ_START);
	until_crash_runs();
	pass(0);
	assert_true(crash0_entered >= fault_at + DELAY_US * US);
	assert_int_equal(CRASH->vcpus[0].hsm, VCPU_HSM_STARTED);
	assert_int_equal(CRASH->vcpus[1].hsm, VCPU_HSM_STOPPED);
	assert_int_equal(CRASH->vcpus[1].state, VCPU_STOPPED);
	assert_int_equal(CRASH->active, 1);
}

/* Each restart within the window doubles the delay; at the limit the guest
 * stays stopped and the other guest runs on. */
static void backoff_then_limit(void **state)
{
	(void)state;
	vm_fault(&CRASH->vcpus[0], "one");
	assert_string_equal(last_log,
			    "guest crash restarting (restart 1, in 1 ms): on-fault = restart");
	until_crash_runs();
	vm_fault(&CRASH->vcpus[0], "two");
	assert_string_equal(last_log,
			    "guest crash restarting (restart 2, in 2 ms): on-fault = restart");
	until_crash_runs();
	vm_fault(&CRASH->vcpus[0], "three");
	assert_string_equal(last_log, "guest crash stopped: restart limit (2) reached");
	assert_int_equal(CRASH->state, VM_STOPPED);
	unsigned other_before = ran[1];
	for (unsigned i = 0; i < 5; i++) {
		pass(1);
		pass(0);
	}
	assert_int_equal(CRASH->active, 0);
	assert_int_equal(ran[1], other_before + 5);
}

/* A run as long as the window forgives: the count and the delay start
 * over. */
static void window_forgives(void **state)
{
	(void)state;
	guests[0].restart_window_us = 50000;
	vm_fault(&CRASH->vcpus[0], "one");
	until_crash_runs();
	vm_fault(&CRASH->vcpus[0], "two");
	assert_string_equal(last_log,
			    "guest crash restarting (restart 2, in 2 ms): on-fault = restart");
	until_crash_runs();
	while (now < CRASH->vcpus[0].stats.started_at + 50000 * US)
		pass(0);
	vm_fault(&CRASH->vcpus[0], "after a long run");
	assert_string_equal(last_log,
			    "guest crash restarting (restart 3, in 1 ms): on-fault = restart");
	assert_int_equal(CRASH->recent_restarts, 1);
}

/* The guest's own reboots are restarts at once, and not counted towards
 * the limit. */
static void reboot_not_counted(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		vm_reboot(CRASH, "SBI system reset");
		assert_int_equal(CRASH->state, VM_RESTARTING);
		until_crash_runs();
	}
	assert_int_equal(CRASH->restarts, 3);
	assert_int_equal(CRASH->reboots, 3);
	assert_int_equal(CRASH->recent_restarts, 0);
	assert_int_equal(CRASH->run, 3);
	assert_int_equal(restarts_in_dtb(), 3);
	vm_fault(&CRASH->vcpus[0], "then a fault");
	assert_int_equal(CRASH->state, VM_RESTARTING);
}

/* A stop that comes while the RAM is being zeroed wins: the reload gives
 * up and the guest stays stopped; a restart from the monitor then reloads
 * it from the start. */
static struct deadline poll;
static void poll_due(struct deadline *d, uint64_t t)
{
	deadline_arm(&harts[0].deadlines, d, t + 2000);
}

static void stop_during_reload_wins(void **state)
{
	(void)state;
	/* Something due on hart 0 every 2000 ticks (as the console poll
	 * is): no turn of the reload runs longer. */
	deadline_init(&poll, poll_due);
	deadline_arm(&harts[0].deadlines, &poll, now + 2000);
	vm_fault(&CRASH->vcpus[0], "one");
	pass(1);
	pass(0);
	assert_int_equal(CRASH->state, VM_LOADING);
	for (unsigned i = 0; i < 4 && !CRASH->load_busy; i++)
		pass(0);
	assert_true(CRASH->load_busy); /* a turn did part of the RAM */
	assert_true(CRASH->load_pos > 0 && CRASH->load_pos < sizeof(crash_ram));
	vm_stop_keep_machine(CRASH, "the monitor said so");
	for (unsigned i = 0; i < 4; i++)
		pass(0);
	assert_int_equal(CRASH->state, VM_STOPPED);
	assert_false(CRASH->load_busy);
	assert_int_equal(harts[0].reloads, 0);
	assert_int_equal(CRASH->vcpus[0].state, VCPU_STOPPED);
	assert_int_equal(CRASH->run, 0);

	memset(crash_ram + 4096, 0x77, 64);
	vm_restart(CRASH, 0, "the monitor said so");
	until_crash_runs();
	assert_int_equal(CRASH->run, 1);
	assert_int_equal(crash_ram[4096], 0);
	assert_int_equal(CRASH->last_load_ticks, sizeof(crash_ram) / 64);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(fault_restarts_clean), T(backoff_then_limit),	 T(window_forgives),
	    T(reboot_not_counted),   T(stop_during_reload_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
