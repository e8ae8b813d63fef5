/* vCPU events the guest causes through its SBI calls and WFI. */
#include "vcpu.h"

#include "arch_hooks.h"
#include "sched.h"

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	v->timer_deadline = deadline;
	arch_vcpu_set_timer_irq(v, false);
}

void vcpu_wait(struct vcpu *v)
{
	/* A deadline already due will be delivered on the way back in; only a
	 * vCPU with nothing coming in leaves the queue. */
	if (v->timer_deadline <= arch_time_now())
		return;
	v->state = VCPU_WAITING;
	sched_remove(v);
}
