/* A virtual hart: where it runs, its timer, its statistics. */
#ifndef SEPTA_VCPU_H
#define SEPTA_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "runq.h"

#define VCPU_NO_DEADLINE UINT64_MAX

enum vcpu_state {
	VCPU_STOPPED,  /* not started (HSM) or its VM stopped */
	VCPU_RUNNABLE, /* on its hart's run queue */
	VCPU_WAITING,  /* in WFI with nothing pending: off the queue */
};

struct vcpu_stats {
	uint64_t run_ticks; /* timebase ticks spent in the guest */
	uint64_t slices;    /* times it was switched in */
	uint64_t traps;
	uint64_t sbi_calls;
	uint64_t timer_irqs; /* virtual timer interrupts delivered */
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned id;		 /* the guest's hart id for it */
	unsigned hart;		 /* the physical hart it runs on */
	int state;		 /* enum vcpu_state */
	uint64_t timer_deadline; /* guest's SBI timer, or VCPU_NO_DEADLINE */
	struct runq_node node;
	struct vcpu_stats stats;
	void *arch; /* the arch layer's register state */
};

/* The guest set its timer: deadline in timebase ticks. Clears the pending
 * timer interrupt, as SBI set_timer requires. */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);
/* A WFI: leave the run queue until the timer or an interrupt. */
void vcpu_wait(struct vcpu *v);

#endif
