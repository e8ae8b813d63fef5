/* Unit tests of the per-hart scheduler (core/sched.c) driven pass by pass
 * with injected time, over the real vCPU life (core/vcpu.c) and run queue
 * (core/include/runq.h): round-robin order, a WFI and its timer, the minimum run,
 * the slice a woken vCPU cuts short, idling to the next deadline, stopped
 * VMs, delayed restarts, reload turns and bounded fences; and the restart
 * policy's back-off and window (core/restart_policy.c). The arch hooks are
 * stubs: "running" a vCPU asks the test's script what it does, and time
 * moves only when the script or an idle wait moves it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch_hooks.h"
#include "console.h"
#include "hv.h"
#include "restart_policy.h"
#include "sched.h"
#include "vcpu.h"
#include "vm.h"

#define SLICE_US   10000
#define SLICE	   ((uint64_t)SLICE_US * 10) /* ticks: sched_ticks_per_us is 10 */
#define MIN_RUN	   (SLICE / SCHED_MIN_RUN_DIV)
#define MAX_TRACE  64
#define START	   1000
#define NO_CONSOLE 1 /* the test's hart: not the console hart, no poll */

static struct cfg_guest guest[2];
struct vm vms[CFG_MAX_GUESTS]; /* sched.c finds a VM to reload here */
static uint64_t now;
static uint64_t armed;

/* What happened, in order. */
static struct {
	struct vcpu *ran[MAX_TRACE];
	uint64_t at[MAX_TRACE];
	unsigned runs, idles, loads, logs, sbi_errors, downs;
	uint64_t load_until;
} seen;

/* What a vCPU does when run: moves time and says how it left. */
typedef enum vcpu_exit (*script_fn)(struct vcpu *v);
static script_fn script;

/* The default: runs until the hart timer fires. */
static enum vcpu_exit run_to_timer(struct vcpu *v)
{
	(void)v;
	now = armed;
	return VCPU_EXIT_TIMER;
}

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
	seen.idles++;
	if (armed > now && armed != VCPU_NO_DEADLINE)
		now = armed;
}
enum vcpu_exit arch_vcpu_run(struct vcpu *v)
{
	if (seen.runs < MAX_TRACE) {
		seen.ran[seen.runs] = v;
		seen.at[seen.runs] = now;
	}
	seen.runs++;
	return script(v);
}
unsigned arch_this_hart(void)
{
	return 0;
}
void arch_vcpu_sbi_error(struct vcpu *v, int rc)
{
	(void)v, (void)rc;
	seen.sbi_errors++;
}
void panic(const char *fmt, ...)
{
	fail_msg("panic: %s", fmt);
	abort();
}
void hv_log(const char *fmt, ...)
{
	(void)fmt;
	seen.logs++;
}
void vm_vcpu_up(struct vm *m)
{
	m->active++;
}
void vm_vcpu_down(struct vm *m)
{
	m->active--;
	seen.downs++;
}
/* A reload of three chunks, each a turn. */
void vm_load_continue(struct vm *m, uint64_t until)
{
	__atomic_store_n(&m->load_request, 0, __ATOMIC_RELEASE);
	m->load_busy = ++seen.loads < 3;
	seen.load_until = until;
}

static void add_vcpu(struct vm *m, unsigned id)
{
	struct vcpu *v = &m->vcpus[id];

	v->vm = m;
	v->id = id;
	v->hart = NO_CONSOLE;
	v->state = VCPU_STOPPED;
	v->hsm = VCPU_HSM_STARTED;
	v->timer_deadline = VCPU_NO_DEADLINE;
	vcpu_init_deadlines(v);
	runq_node_init(&v->node);
	sched_add_vcpu(v);
	m->nvcpus = id + 1;
}

/* Two VMs with a 10 ms slice: vms[0] has vCPUs a, b, c and vms[1] one, all
 * on hart 1; a, b and c runnable in that order. */
static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(vms, 0, sizeof(vms));
	memset(harts, 0, sizeof(harts));
	sched_init();
	for (unsigned i = 0; i < 2; i++) {
		guest[i] = (struct cfg_guest){.name = i ? "g1" : "g0", .timeslice_us = SLICE_US};
		vms[i].cfg = &guest[i];
		vms[i].id = i;
	}
	for (unsigned i = 0; i < 3; i++)
		add_vcpu(&vms[0], i);
	add_vcpu(&vms[1], 0);
	now = START;
	armed = 0;
	script = run_to_timer;
	for (unsigned i = 0; i < 3; i++)
		sched_wake(&vms[0].vcpus[i], false);
	return 0;
}

#define A (&vms[0].vcpus[0])
#define B (&vms[0].vcpus[1])
#define C (&vms[0].vcpus[2])
#define H (&harts[NO_CONSOLE])

static void passes(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sched_pass(H);
}

/* Full slices, in queue order, over and over. */
static void round_robin(void **state)
{
	(void)state;
	passes(6);
	assert_int_equal(seen.runs, 6);
	for (unsigned i = 0; i < 6; i++) {
		assert_ptr_equal(seen.ran[i], &vms[0].vcpus[i % 3]);
		assert_int_equal(seen.at[i], START + i * SLICE);
	}
	assert_int_equal(A->stats.slices, 2);
	assert_int_equal(seen.idles, 0);
}

/* a waits for its timer: b runs meanwhile, but only until a's deadline,
 * when a (woken to the front) takes the hart back; b keeps the rest of its
 * slice for its next turn instead of a fresh one. */
static uint64_t a_deadline;
static enum vcpu_exit a_sleeps(struct vcpu *v)
{
	if (v == A) {
		now += 10;
		v->timer_deadline = a_deadline;
		return VCPU_EXIT_WFI;
	}
	now = armed;
	return VCPU_EXIT_TIMER;
}

static void wfi_and_timer_wake(void **state)
{
	(void)state;
	script = a_sleeps;
	a_deadline = START + 10 + SLICE / 2;
	passes(1); /* a sleeps */
	assert_int_equal(A->state, VCPU_WAITING);
	passes(1); /* b, until a's deadline */
	assert_ptr_equal(seen.ran[1], B);
	uint64_t woke = a_deadline;
	assert_int_equal(now, woke);
	/* a's timer fired: a runs at once, b's slice is cut; this time a
	 * sleeps with no timer. */
	a_deadline = VCPU_NO_DEADLINE;
	passes(1);
	assert_ptr_equal(seen.ran[2], A);
	assert_int_equal(seen.at[2], woke);
	assert_int_equal(A->stats.timer_irqs, 1);
	assert_int_equal(B->slice_left, SLICE / 2);
	passes(1); /* a sleeps for good: b gets the half slice it had left */
	assert_ptr_equal(seen.ran[3], B);
	assert_int_equal(H->slice_end - seen.at[3], SLICE / 2);
	assert_int_equal(B->slice_left, 0);
}

/* A vCPU woken just after b was switched in waits for b's minimum run. */
static enum vcpu_exit a_naps(struct vcpu *v)
{
	if (v == A) {
		now += 10;
		v->timer_deadline = now + 100; /* well inside b's minimum run */
		return VCPU_EXIT_WFI;
	}
	now = armed;
	return VCPU_EXIT_TIMER;
}

static void minimum_run(void **state)
{
	(void)state;
	script = a_naps;
	passes(1); /* a naps */
	uint64_t b_in = now;
	passes(1); /* b until a's deadline, then b keeps the hart */
	assert_ptr_equal(seen.ran[1], B);
	passes(1);
	assert_ptr_equal(seen.ran[2], B); /* b again: its minimum run is not over */
	assert_int_equal(now, b_in + MIN_RUN);
	passes(1);
	assert_ptr_equal(seen.ran[3], A); /* now a */
	assert_int_equal(seen.at[3], b_in + MIN_RUN);
}

/* Nothing runnable: the hart sleeps until the earliest deadline. */
static enum vcpu_exit all_sleep(struct vcpu *v)
{
	now += 1;
	v->timer_deadline = START + 5000 + v->id * 1000;
	return VCPU_EXIT_WFI;
}

static void idle_until_next_deadline(void **state)
{
	(void)state;
	script = all_sleep;
	passes(3);
	assert_int_equal(seen.idles, 0);
	passes(1);
	assert_int_equal(seen.idles, 1);
	assert_int_equal(armed, START + 5000); /* a's, the earliest */
	assert_int_equal(now, START + 5000);
	passes(1); /* a woken and run */
	assert_ptr_equal(seen.ran[3], A);
}

/* A stopped VM's vCPUs are retired, queued or waiting, and never run. */
static void stopped_vm_is_retired(void **state)
{
	(void)state;
	script = a_sleeps;
	a_deadline = START + 3 * SLICE;
	passes(1);		   /* a waits */
	vms[0].state = VM_STOPPED; /* and its vCPUs told, as vm_stop() does */
	for (unsigned i = 0; i < 3; i++)
		vcpu_request(&vms[0].vcpus[i], VCPU_REQ_LEAVE);
	passes(1);
	assert_int_equal(seen.runs, 1);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vms[0].vcpus[i].state, VCPU_STOPPED);
	assert_int_equal(seen.downs, 3);
	assert_int_equal(seen.idles, 1);
	assert_int_equal(armed, VCPU_NO_DEADLINE);
}

/* A restart with back-off: vCPU 0 of vms[1] starts when its time comes,
 * and only if its start was asked for in this run of the VM. */
static void delayed_start(void **state)
{
	struct vcpu *d = &vms[1].vcpus[0];

	(void)state;
	vms[0].state = VM_STOPPED; /* only d matters here */
	passes(1);
	d->hsm = VCPU_HSM_START_PENDING;
	d->start_run = vms[1].run;
	vms[1].restart_at = now + 777;
	vcpu_request(d, VCPU_REQ_START);
	passes(1); /* the request: not yet, so delayed; the hart idles until then */
	assert_true(deadline_armed(&d->start_dl));
	assert_int_equal(armed, vms[1].restart_at);
	assert_int_equal(now, vms[1].restart_at);
	passes(1);
	assert_false(deadline_armed(&d->start_dl));
	assert_int_equal(d->hsm, VCPU_HSM_STARTED);
	assert_ptr_equal(seen.ran[seen.runs - 1], d);

	/* A start from an earlier run of the VM is dropped. */
	vms[1].state = VM_STOPPED;
	passes(1);
	assert_int_equal(d->state, VCPU_STOPPED);
	vms[1].state = VM_RUNNING;
	d->hsm = VCPU_HSM_START_PENDING;
	d->start_run = vms[1].run;
	vms[1].run++;
	vcpu_request(d, VCPU_REQ_START);
	unsigned runs = seen.runs;
	passes(2);
	assert_int_equal(d->state, VCPU_STOPPED);
	assert_int_equal(seen.runs, runs);
}

/* A reload takes turns with the vCPUs: a chunk, a stint, a chunk, ... and
 * a chunk never runs past the next deadline. */
static void reload_takes_turns(void **state)
{
	(void)state;
	vms[1].load_request = 1; /* as vm.c's reload() asks */
	vcpu_request(&vms[1].vcpus[0], VCPU_REQ_RELOAD);
	passes(6);
	assert_int_equal(seen.loads, 3);
	assert_int_equal(seen.runs, 3); /* stint, chunk, stint, chunk, stint, chunk */
	assert_ptr_equal(seen.ran[0], A);
	assert_ptr_equal(seen.ran[1], B);
	assert_ptr_equal(seen.ran[2], C);
	assert_true(seen.load_until <= now + SLICE);
}

/* A fence no target answers: the caller waits off the queue, the others
 * run, and at the limit it fails and the caller runs again. */
static enum vcpu_exit a_fences(struct vcpu *v)
{
	if (v == A && v->stats.slices == 1) {
		now += 10;
		vcpu_remote_fence(v, 1u << 1, VCPU_REQ_FENCE_VMA);
		return VCPU_EXIT_HANDLED;
	}
	now = armed;
	return VCPU_EXIT_TIMER;
}

static void fence_is_bounded(void **state)
{
	(void)state;
	script = a_fences;
	/* Only a runs here: c waits with no timer, and b is on a hart that
	 * never takes the request. */
	sched_remove(B);
	B->state = VCPU_WAITING;
	B->hart = NO_CONSOLE + 1;
	sched_remove(C);
	C->state = VCPU_WAITING;
	passes(1); /* a fences and leaves the queue */
	assert_int_equal(A->state, VCPU_FENCING);
	uint64_t limit = A->fence_dl.when;
	assert_int_equal(limit, seen.at[0] + 10 + VCPU_FENCE_TIMEOUT_US * sched_ticks_per_us);
	passes(1); /* nothing else to run: idle until the fence's limit */
	assert_int_equal(armed, limit);
	assert_int_equal(now, limit);
	passes(1); /* expired: reported, failed, a runs again */
	assert_int_equal(seen.logs, 1);
	assert_int_equal(seen.sbi_errors, 1);
	assert_ptr_equal(seen.ran[seen.runs - 1], A);
	assert_int_equal(A->fence_wait, 0);
}

/* Back-off doubles per recent restart up to 10 s; the window forgives. */
static void restart_policy(void **state)
{
	(void)state;
	assert_int_equal(restart_backoff_us(100000, 0), 100000);
	assert_int_equal(restart_backoff_us(100000, 1), 200000);
	assert_int_equal(restart_backoff_us(100000, 3), 800000);
	assert_int_equal(restart_backoff_us(100000, 7), RESTART_BACKOFF_MAX_US);
	assert_int_equal(restart_backoff_us(100000, 4000000000u), RESTART_BACKOFF_MAX_US);
	assert_int_equal(restart_backoff_us(0, 5), 0);
	assert_int_equal(restart_backoff_us(20000000, 0), RESTART_BACKOFF_MAX_US);
	/* A run as long as the window forgives; a shorter one, no window, or
	 * no restarts to forgive do not. */
	assert_true(restart_window_forgives(100, 100 + 5000, 5000, 2));
	assert_false(restart_window_forgives(100, 100 + 4999, 5000, 2));
	assert_false(restart_window_forgives(100, 100 + 50000, 0, 2));
	assert_false(restart_window_forgives(100, 100 + 50000, 5000, 0));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(round_robin),	      T(wfi_and_timer_wake),
	    T(minimum_run),	      T(idle_until_next_deadline),
	    T(stopped_vm_is_retired), T(delayed_start),
	    T(reload_takes_turns),    T(fence_is_bounded),
	    T(restart_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
