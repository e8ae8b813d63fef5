/* Per-hart round-robin. Each hart owns its queue and is the only one to touch
 * it, so there are no locks here; a VM stopped by another hart is noticed
 * when its vCPU comes up for picking, at most one slice later. */
#include "sched.h"

#include "arch_hooks.h"
#include "console.h"
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

void sched_poll_requests(struct hart *h)
{
	/* Cleared before the look: a request left meanwhile sets it again. */
	if (!__atomic_exchange_n(&h->requests_pending, 0, __ATOMIC_ACQ_REL))
		return;
	/* A load first: the exchange in vcpu_process_requests() is a call
	 * away, and most vCPUs have nothing. */
	for (unsigned i = 0; i < h->nvcpus; i++)
		if (__atomic_load_n(&h->vcpus[i]->requests, __ATOMIC_RELAXED))
			vcpu_process_requests(h->vcpus[i]);
}

static void retire(struct vcpu *v, uint64_t now)
{
	bool was_up = v->state != VCPU_STOPPED;

	if (was_up)
		v->stats.alive_ticks += now - v->stats.started_at;
	v->state = VCPU_STOPPED;
	v->timer_deadline = VCPU_NO_DEADLINE;
	v->slice_left = 0;
	sched_remove(v);
	/* Last: the VM may be reloaded as soon as its count reaches zero. */
	if (was_up)
		vm_vcpu_down(v->vm);
}

/* A vCPU off the queue whose VM stopped: it will never be picked, so the
 * scan retires it. */
static bool stopped_waiter(const struct vcpu *v)
{
	return (v->state == VCPU_WAITING || v->state == VCPU_FENCING) && !vm_running(v->vm);
}

/* One pass over the hart's vCPUs, for everything that is due by time:
 * starts a restart whose back-off is over, fails a fence that waited too
 * long, delivers each due virtual timer (a waiting vCPU whose timer fired
 * goes to the front, so it runs within one slice), forgets waiting vCPUs
 * of VMs that stopped (they are never picked). Returns the next deadline,
 * and in *load a VM whose vCPU 0 is here and that waits to be reloaded. */
static uint64_t scan(struct hart *h, uint64_t now, struct vm **load)
{
	uint64_t next = VCPU_NO_DEADLINE;

	*load = NULL;
	for (unsigned i = 0; i < h->nvcpus; i++) {
		struct vcpu *v = h->vcpus[i];

		if (v->start_delayed && now >= v->vm->restart_at) {
			v->start_delayed = false;
			vcpu_start(v);
		}
		if (v->start_delayed && v->vm->restart_at < next)
			next = v->vm->restart_at;
		if (v->id == 0 && vm_load_wanted(v->vm))
			*load = v->vm;
		if (v->state == VCPU_STOPPED)
			continue;
		if (stopped_waiter(v)) {
			retire(v, now);
			continue;
		}
		if (v->state == VCPU_FENCING && !vcpu_fence_expire(v, now) &&
		    v->fence_deadline < next)
			next = v->fence_deadline;
		if (v->timer_deadline <= now) {
			v->timer_deadline = VCPU_NO_DEADLINE;
			v->stats.timer_irqs++;
			arch_vcpu_timer_fire(v);
			if (v->state == VCPU_WAITING)
				sched_wake(v, true);
		}
		if (v->timer_deadline < next)
			next = v->timer_deadline;
	}
	return next;
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
 * each called once, are inlined into it. */
static __attribute__((noinline)) void run(struct hart *h, unsigned long passes)
{
	for (unsigned long n = 0; !passes || n < passes; n++) {
		uint64_t now = arch_time_now();

		sched_poll_requests(h);
		struct vm *load;
		uint64_t deadline = scan(h, now, &load);
		struct vcpu *v = pick(h, now);

		/* The console hart reads the keyboard and flushes quiet lines,
		 * so it never sleeps longer than the poll period. */
		if (h->id == SCHED_CONSOLE_HART) {
			if (now >= h->console_due) {
				console_poll(now);
				h->console_due = now + CONSOLE_POLL_US * sched_ticks_per_us;
			}
			if (h->console_due < deadline)
				deadline = h->console_due;
		}

		/* A reload takes turns with the vCPUs: one slice of it, then
		 * one stint of the head of the queue. It stops early for a
		 * due timer, so a hart mate is at most one chunk late. */
		if (load && (h->load_turn || !v)) {
			uint64_t until = now + slice_ticks(&load->vcpus[0]);

			vm_load_continue(load, deadline < until ? deadline : until);
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
