/* Per-hart round-robin and the hart's loop. Each hart owns its run queue,
 * its deadline list and its vCPUs' scheduling state, and is the only one to
 * touch them, so there are no locks here. A VM stopped by another hart is
 * noticed when its vCPU comes up for picking (at most one slice later), or,
 * for a vCPU off the queue, when the hart takes its leave request. */
#include "sched.h"

#include "arch_hooks.h"
#include "vm.h"

struct hart harts[CFG_MAX_HARTS];
uint64_t sched_ticks_per_us = 10;

static struct vcpu *node_vcpu(struct runq_node *n)
{
	return n ? (struct vcpu *)((char *)n - offsetof(struct vcpu, node)) : NULL;
}

void sched_init(void)
{
	for (unsigned i = 0; i < CFG_MAX_HARTS; i++) {
		harts[i].id = i;
		runq_init(&harts[i].rq);
	}
}

void sched_add_vcpu(struct vcpu *v)
{
	struct hart *h = &harts[v->hart];

	h->vcpus[h->nvcpus++] = v;
}

void sched_wake(struct vcpu *v, bool front)
{
	struct hart *h = &harts[v->hart];

	if (v->state == VCPU_STOPPED) {
		if (!vm_running(v->vm))
			return;
		vm_vcpu_up(v->vm);
	}
	if (__atomic_load_n(&v->hsm, __ATOMIC_ACQUIRE) == VCPU_HSM_SUSPENDED)
		vcpu_resume(v);
	v->state = VCPU_RUNNABLE;
	if (front)
		runq_push_front(&h->rq, &v->node);
	else if (!runq_queued(&v->node))
		runq_push_back(&h->rq, &v->node);
}

void sched_remove(struct vcpu *v)
{
	struct hart *h = &harts[v->hart];

	runq_remove(&h->rq, &v->node);
	if (h->current == v)
		h->current = NULL;
}

static void retire(struct vcpu *v, uint64_t now)
{
	bool was_up = v->state != VCPU_STOPPED;

	if (was_up)
		v->stats.alive_ticks += now - v->stats.started_at;
	v->state = VCPU_STOPPED;
	v->slice_left = 0;
	vcpu_cancel_deadlines(v);
	sched_remove(v);
	/* Last: the VM may be reloaded as soon as its count reaches zero. */
	if (was_up)
		vm_vcpu_down(v->vm);
}

/* A vCPU off the queue whose VM stopped: it will never be picked, so it is
 * retired when its VM's stop reaches it (VCPU_REQ_LEAVE). */
static bool stopped_waiter(const struct vcpu *v)
{
	return (v->state == VCPU_WAITING || v->state == VCPU_FENCING) && !vm_running(v->vm);
}

/* Acts on every request other harts left for this hart's vCPUs. */
static void poll_requests(struct hart *h, uint64_t now)
{
	/* Cleared before the look: a request left meanwhile sets it again. */
	if (!__atomic_exchange_n(&h->requests_pending, 0, __ATOMIC_ACQ_REL))
		return;
	/* A load first: the exchange in vcpu_process_requests() is a call
	 * away, and most vCPUs have nothing. */
	for (unsigned i = 0; i < h->nvcpus; i++) {
		struct vcpu *v = h->vcpus[i];

		if (!__atomic_load_n(&v->requests, __ATOMIC_RELAXED))
			continue;
		vcpu_process_requests(v);
		if (stopped_waiter(v))
			retire(v, now);
	}
}

void sched_give_reload_turns(struct vm *vm)
{
	harts[vm->vcpus[0].hart].reloads |= 1u << vm->id;
}

/* A VM this hart reloads, if one waits; the lowest id first. */
static struct vm *reload_waiting(struct hart *h)
{
	return h->reloads ? &vms[__builtin_ctz(h->reloads)] : NULL;
}

/* One turn of a reload: a chunk of zeroing that stops at `until`. */
static void reload_turn(struct hart *h, struct vm *vm, uint64_t until)
{
	vm_load_continue(vm, until);
	if (!vm_load_wanted(vm))
		h->reloads &= ~(1u << vm->id);
}

/* The head of the queue, after dropping vCPUs whose VM has stopped. */
static struct vcpu *pick(struct hart *h, uint64_t now)
{
	struct vcpu *v;

	while ((v = node_vcpu(runq_peek(&h->rq))) && !vm_running(v->vm))
		retire(v, now);
	return v;
}

static uint64_t slice_ticks(const struct vcpu *v)
{
	return (uint64_t)v->vm->cfg->timeslice_us * sched_ticks_per_us;
}

static void handle_exit(struct hart *h, struct vcpu *v, enum vcpu_exit why, uint64_t now)
{
	switch (why) {
	case VCPU_EXIT_TIMER:
		if (now >= h->slice_end) {
			/* To the back: the head may be a woken vCPU that
			 * waited for this one's minimum run. */
			runq_push_back(&h->rq, &v->node);
			h->current = NULL;
		}
		break;
	case VCPU_EXIT_WFI:
		vcpu_wait(v);
		break;
	case VCPU_EXIT_FAULT:
	case VCPU_EXIT_HANDLED:
	case VCPU_EXIT_OTHER:
		break;
	}
}

/* After an exit the trap handler dealt with (an SBI call, a device access):
 * may the vCPU go straight back in, without a pass of the loop? Only when
 * the pass would change nothing: no requests for this hart's vCPUs, the
 * vCPU still runnable, and no timer due before the one armed. */
static bool resume_at_once(const struct hart *h, const struct vcpu *v, uint64_t now, uint64_t armed)
{
	if (now >= armed || v->timer_deadline < armed)
		return false;
	return sched_quiet(h, v);
}

bool sched_quiet(const struct hart *h, const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE && vm_running(v->vm) &&
	       !__atomic_load_n(&h->requests_pending, __ATOMIC_ACQUIRE);
}

/* The vCPU to run and when it must give the hart up. Normally the head of
 * the queue, with a fresh slice or the rest of one that was cut short. But
 * the vCPU switched in last keeps the hart for a minimum run even when a
 * woken one is now at the head: otherwise a guest whose naps are shorter
 * than a switch takes the hart back before its sibling runs an
 * instruction. */
static struct vcpu *choose(struct hart *h, struct vcpu *head, uint64_t now, uint64_t *stop)
{
	struct vcpu *cur = h->current;

	if (cur && head != cur && now < h->min_run_end && cur->state == VCPU_RUNNABLE &&
	    vm_running(cur->vm)) {
		*stop = h->min_run_end;
		return cur;
	}
	if (head != cur) {
		/* A vCPU a woken one took the hart from keeps the rest of its
		 * slice for its next turn, rather than a fresh one: else
		 * frequent wakers would starve the vCPUs queued behind it. */
		if (cur && cur->state == VCPU_RUNNABLE && now < h->slice_end)
			cur->slice_left = h->slice_end - now;
		uint64_t slice = head->slice_left ? head->slice_left : slice_ticks(head);
		head->slice_left = 0;
		h->current = head;
		h->slice_end = now + slice;
		h->min_run_end = now + slice_ticks(head) / SCHED_MIN_RUN_DIV;
		if (h->min_run_end > h->slice_end)
			h->min_run_end = h->slice_end;
		head->stats.slices++;
	}
	*stop = h->slice_end;
	return head;
}

/* Runs v from now until an exit the loop must see, with the hart timer
 * armed; exits the trap handler finished need no pass of the loop when
 * resume_at_once() says so. Returns why, and when in *after. */
static enum vcpu_exit run_stint(const struct hart *h, struct vcpu *v, uint64_t now, uint64_t armed,
				uint64_t *after)
{
	enum vcpu_exit why;

	for (;;) {
		__atomic_store_n(&v->running_since, now, __ATOMIC_RELAXED);
		why = arch_vcpu_run(v);
		*after = arch_time_now();
		__atomic_store_n(&v->running_since, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&v->stats.run_ticks, *after - now, __ATOMIC_RELAXED);
		if (why != VCPU_EXIT_HANDLED || !resume_at_once(h, v, *after, armed))
			return why;
		now = *after;
	}
}

/* Nothing to run: sleep until the next deadline or a kick. */
static void idle(struct hart *h, uint64_t now, uint64_t deadline)
{
	arch_timer_program(deadline);
	__atomic_store_n(&h->idle_since, now, __ATOMIC_RELAXED);
	arch_hart_idle();
	__atomic_store_n(&h->idle_since, 0, __ATOMIC_RELAXED);
	h->idle_ticks += arch_time_now() - now;
}

/* The hart's loop, for `passes` passes (0: for ever). One function holding
 * the loop, so that each pass is a jump, not a call, and the helpers above,
 * each called once, are inlined into it. Every duty but scheduling is an
 * owner's entry on the deadline list, a request, or a reload turn: this
 * loop only orders them. */
static __attribute__((noinline)) void run(struct hart *h, unsigned long passes)
{
	for (unsigned long n = 0; !passes || n < passes; n++) {
		uint64_t now = arch_time_now();

		poll_requests(h, now);
		deadline_run_due(&h->deadlines, now);
		struct vcpu *v = pick(h, now);
		uint64_t deadline = deadline_next(&h->deadlines);
		struct vm *load = reload_waiting(h);

		/* A reload takes turns with the vCPUs: one slice of it, then
		 * one stint of the head of the queue. It stops early for a
		 * deadline, so a hart mate is at most one chunk late. */
		if (load && (h->load_turn || !v)) {
			uint64_t until = now + slice_ticks(&load->vcpus[0]);

			reload_turn(h, load, deadline < until ? deadline : until);
			h->load_turn = false;
			continue;
		}
		h->load_turn = true;

		if (!v) {
			idle(h, now, deadline);
			continue;
		}
		uint64_t stop, after;
		v = choose(h, v, now, &stop);
		/* A guest alone on its hart still gets a slice timer: that is
		 * how it notices a stop requested by another hart. */
		uint64_t armed = deadline < stop ? deadline : stop;
		arch_timer_program(armed);
		enum vcpu_exit why = run_stint(h, v, now, armed, &after);
		/* The leaf SBI path moves the guest's timer without a call. */
		vcpu_timer_sync(v);
		handle_exit(h, v, why, after);
	}
}

void sched_pass(struct hart *h)
{
	run(h, 1);
}

void sched_run_hart(struct hart *h)
{
	run(h, 0);
	panic("%s: the loop ended", __func__);
}
