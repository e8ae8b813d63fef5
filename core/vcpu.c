/* vCPU life: HSM start/stop/suspend, timers, IPIs and remote fences.
 * A vCPU's scheduling state belongs to its own hart; other harts only leave
 * requests (atomic bits) and kick that hart, so no run queue is ever touched
 * by two harts. */
#include "vcpu.h"

#include <stddef.h>

#include "arch_hooks.h"
#include "hv.h"
#include "sched.h"
#include "vdev.h"
#include "vm.h"

/* Guest time runs from the VM's start: host = guest + time_base. */
static uint64_t to_host(const struct vcpu *v, uint64_t guest)
{
	return vcpu_deadline_to_host(guest, v->vm->time_base);
}

/* Its hart's deadline list: only that hart calls anything below that arms
 * or cancels, so the list needs no lock. */
static struct deadline_list *hart_deadlines(const struct vcpu *v)
{
	return &harts[v->hart].deadlines;
}

#define VCPU_OF(d, field) ((struct vcpu *)((char *)(d)-offsetof(struct vcpu, field)))

/* The guest's timer came due: raise its interrupt, and a vCPU asleep in
 * WFI goes to the front of the queue, so it runs within one minimum run. */
static void timer_due(struct deadline *d, uint64_t now)
{
	struct vcpu *v = VCPU_OF(d, timer_dl);

	if (v->state == VCPU_STOPPED || v->timer_deadline > now) {
		vcpu_timer_sync(v); /* moved meanwhile by the leaf path */
		return;
	}
	v->timer_deadline = VCPU_NO_DEADLINE;
	v->stats.timer_irqs++;
	arch_vcpu_timer_fire(v);
	if (v->state == VCPU_WAITING)
		sched_wake(v, true);
}

/* A restart's back-off is over. */
static void start_due(struct deadline *d, uint64_t now)
{
	(void)now;
	vcpu_start(VCPU_OF(d, start_dl));
}

/* A remote fence waited past its limit: reported, it fails
 * (SBI_ERR_FAILED to the guest) and the caller runs again. */
static void fence_due(struct deadline *d, uint64_t now)
{
	struct vcpu *v = VCPU_OF(d, fence_dl);
	uint64_t wait = __atomic_load_n(&v->fence_wait, __ATOMIC_ACQUIRE);

	(void)now;
	if (v->state != VCPU_FENCING)
		return;
	for (unsigned i = 0; i < v->vm->nvcpus; i++)
		if (wait & (1UL << i))
			hv_log(
			    "guest %s: vcpu %u's remote fence: vcpu %u on hart %u did not take it "
			    "in %u ms; the call fails",
			    v->vm->cfg->name, v->id, i, v->vm->vcpus[i].hart,
			    VCPU_FENCE_TIMEOUT_US / 1000);
	__atomic_store_n(&v->fence_wait, 0, __ATOMIC_RELEASE);
	arch_vcpu_sbi_error(v, HV_ETIMEDOUT);
	sched_wake(v, true);
}

void vcpu_init_deadlines(struct vcpu *v)
{
	deadline_init(&v->timer_dl, timer_due);
	deadline_init(&v->start_dl, start_due);
	deadline_init(&v->fence_dl, fence_due);
}

void vcpu_timer_rearm(struct vcpu *v)
{
	deadline_arm(hart_deadlines(v), &v->timer_dl, v->timer_deadline);
}

static void set_deadline(struct vcpu *v, uint64_t host)
{
	v->timer_deadline = host;
	vcpu_timer_sync(v);
}

void vcpu_cancel_deadlines(struct vcpu *v)
{
	struct deadline_list *l = hart_deadlines(v);

	v->timer_deadline = VCPU_NO_DEADLINE;
	deadline_cancel(l, &v->timer_dl);
	deadline_cancel(l, &v->start_dl);
	deadline_cancel(l, &v->fence_dl);
}

void vcpu_set_timer(struct vcpu *v, uint64_t guest_deadline)
{
	set_deadline(v, to_host(v, guest_deadline));
	arch_vcpu_timer_set(v, guest_deadline);
}

void vcpu_timer_changed(struct vcpu *v, uint64_t guest_deadline)
{
	set_deadline(v, to_host(v, guest_deadline));
}

void vcpu_wait(struct vcpu *v)
{
	/* Something pending, or a deadline already due (delivered on the way
	 * back in): the WFI ends at once. */
	if (arch_vcpu_irq_pending(v) || v->timer_deadline <= arch_time_now())
		return;
	v->state = VCPU_WAITING;
	sched_remove(v);
}

void vcpu_resume(struct vcpu *v)
{
	__atomic_store_n(&v->hsm, VCPU_HSM_STARTED, __ATOMIC_RELEASE);
	if (v->resume_at_start) {
		/* A non-retentive suspend wakes like a fresh start, but keeps
		 * the interrupt that woke it pending. */
		v->resume_at_start = false;
		arch_vcpu_set_entry(v, v->start_pc, v->id, v->start_arg);
	}
}

/* On the caller's hart: drop the targets that have taken the fence (their
 * request bit is clear: they left the guest and flush before re-entry); run
 * the caller again when none is left. A later fence of the same kind
 * setting the bit again only makes it wait a little longer. */
static void fence_check(struct vcpu *v)
{
	uint64_t wait = __atomic_load_n(&v->fence_wait, __ATOMIC_ACQUIRE);

	if (v->state != VCPU_FENCING)
		return;
	for (unsigned i = 0; i < v->vm->nvcpus; i++)
		if ((wait & (1UL << i)) &&
		    !(__atomic_load_n(&v->vm->vcpus[i].requests, __ATOMIC_ACQUIRE) & v->fence_req))
			wait &= ~(1UL << i);
	__atomic_store_n(&v->fence_wait, wait, __ATOMIC_RELEASE);
	if (!wait) {
		deadline_cancel(hart_deadlines(v), &v->fence_dl);
		sched_wake(v, true);
	}
}

/* On t's hart, after t took a fence request: tell whoever waits on t. */
static void fence_acked(struct vcpu *t)
{
	struct vm *vm = t->vm;

	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].fence_wait, __ATOMIC_ACQUIRE) & (1UL << t->id))
			vcpu_request(&vm->vcpus[i], VCPU_REQ_FENCE_ACK);
}

void vcpu_request(struct vcpu *v, unsigned req)
{
	__atomic_or_fetch(&v->requests, req, __ATOMIC_ACQ_REL);
	__atomic_store_n(&harts[v->hart].requests_pending, 1, __ATOMIC_RELEASE);
	if (v->hart != arch_this_hart())
		arch_hart_kick(v->hart);
}

void vcpu_process_requests(struct vcpu *v)
{
	unsigned req = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQ_REL);

	if (!req)
		return;
	if (req & VCPU_REQ_START) {
		/* A restart with back-off waits for its time on the list. */
		if (v->vm->restart_at > arch_time_now())
			deadline_arm(hart_deadlines(v), &v->start_dl, v->vm->restart_at);
		else
			vcpu_start(v);
	}
	if (req & VCPU_REQ_RELOAD)
		sched_give_reload_turns(v->vm);
	if (req & VCPU_REQ_FENCE_ACK)
		fence_check(v);
	if (req & VCPU_REQ_IPI) {
		v->stats.ipis++;
		arch_vcpu_raise_ipi(v);
		if (v->state == VCPU_WAITING)
			sched_wake(v, true);
	}
	if (req & VCPU_REQ_IRQ) {
		bool up = vdev_irq_pending(v);

		arch_vcpu_set_ext_irq(v, up);
		if (up && v->state == VCPU_WAITING)
			sched_wake(v, true);
	}
	if (req & (VCPU_REQ_FENCE_I | VCPU_REQ_FENCE_VMA)) {
		arch_vcpu_flush(v, req & VCPU_REQ_FENCE_I, req & VCPU_REQ_FENCE_VMA);
		fence_acked(v);
	}
}

static struct vcpu *vcpu_of(struct vm *vm, unsigned id)
{
	return id < vm->nvcpus ? &vm->vcpus[id] : NULL;
}

int vcpu_hsm_start(struct vm *vm, unsigned id, uint64_t pc, uint64_t arg)
{
	struct vcpu *v = vcpu_of(vm, id);
	int expect = VCPU_HSM_STOPPED;

	if (!v)
		return HV_EINVAL;
	if (!vm_gpa_to_ptr(vm, pc, 2))
		return HV_ERANGE;
	if (!__atomic_compare_exchange_n(&v->hsm, &expect, VCPU_HSM_START_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return HV_EALREADY;
	v->start_pc = pc;
	v->start_arg = arg;
	v->start_run = __atomic_load_n(&vm->run, __ATOMIC_ACQUIRE);
	vcpu_request(v, VCPU_REQ_START);
	return 0;
}

void vcpu_start(struct vcpu *v)
{
	struct vm *vm = v->vm;

	/* Counted in before the check: a reload waits for the count to reach
	 * zero, so no restart can complete between the check and the start.
	 * A start asked for by an earlier run (a hart_start in flight when the
	 * guest restarted) is dropped here. */
	vm_vcpu_up(vm);
	if (!vm_running(vm) || v->start_run != __atomic_load_n(&vm->run, __ATOMIC_ACQUIRE)) {
		vm_vcpu_down(vm);
		return;
	}
	/* Every per-run field starts afresh: registers, CSRs, FP state and
	 * interrupt lines (arch), timer, suspend and fence state. */
	arch_vcpu_reset(v, v->start_pc, v->id, v->start_arg);
	/* The reset cleared its interrupt lines; its devices only report
	 * changes, so read the PLIC's line once. */
	arch_vcpu_set_ext_irq(v, vdev_irq_pending(v));
	vcpu_cancel_deadlines(v);
	v->resume_at_start = false;
	v->slice_left = 0;
	__atomic_store_n(&v->fence_wait, 0, __ATOMIC_RELEASE);
	v->stats.started_at = arch_time_now();
	__atomic_store_n(&v->hsm, VCPU_HSM_STARTED, __ATOMIC_RELEASE);
	v->state = VCPU_WAITING; /* counted in above; sched_wake queues it */
	sched_wake(v, false);
}

int vcpu_hsm_stop(struct vcpu *v)
{
	__atomic_store_n(&v->hsm, VCPU_HSM_STOPPED, __ATOMIC_RELEASE);
	vcpu_cancel_deadlines(v);
	v->stats.alive_ticks += arch_time_now() - v->stats.started_at;
	sched_remove(v);
	if (v->state != VCPU_STOPPED) {
		v->state = VCPU_STOPPED;
		vm_vcpu_down(v->vm);
	}
	return 0;
}

int vcpu_hsm_status(struct vm *vm, unsigned id, int *hsm)
{
	struct vcpu *v = vcpu_of(vm, id);

	if (!v)
		return HV_EINVAL;
	*hsm = __atomic_load_n(&v->hsm, __ATOMIC_ACQUIRE);
	return 0;
}

int vcpu_hsm_suspend(struct vcpu *v, bool retentive, uint64_t resume_pc, uint64_t arg)
{
	if (!retentive) {
		if (!vm_gpa_to_ptr(v->vm, resume_pc, 2))
			return HV_ERANGE;
		v->start_pc = resume_pc;
		v->start_arg = arg;
	}
	v->resume_at_start = !retentive;
	__atomic_store_n(&v->hsm, VCPU_HSM_SUSPENDED, __ATOMIC_RELEASE);
	vcpu_wait(v);
	if (v->state != VCPU_WAITING)
		vcpu_resume(v); /* something was already pending */
	return 0;
}

void vcpu_send_ipi(struct vm *vm, uint64_t targets)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (targets & (1UL << i))
			vcpu_request(&vm->vcpus[i], VCPU_REQ_IPI);
}

void vcpu_remote_fence(struct vcpu *caller, uint64_t targets, unsigned req)
{
	struct vm *vm = caller->vm;
	unsigned here = arch_this_hart();
	uint64_t remote = 0;

	/* Targets on this hart are not in the guest now: they flush before
	 * they next run. The others must leave their guest first. */
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if ((targets & (1UL << i)) && vm->vcpus[i].hart != here)
			remote |= 1UL << i;
	/* Published before the requests go out, so that a target that takes
	 * one at once finds someone to tell. */
	caller->fence_req = req;
	__atomic_store_n(&caller->fence_wait, remote, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (targets & (1UL << i))
			vcpu_request(&vm->vcpus[i], req);
	if (!remote)
		return;
	caller->state = VCPU_FENCING;
	sched_remove(caller);
	deadline_arm(hart_deadlines(caller), &caller->fence_dl,
		     arch_time_now() + VCPU_FENCE_TIMEOUT_US * sched_ticks_per_us);
	fence_check(caller);
}
