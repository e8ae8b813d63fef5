/* A virtual hart: where it runs, its HSM state, its timer, the requests other
 * vCPUs leave for it, and its statistics. */
#ifndef SEPTA_VCPU_H
#define SEPTA_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "runq.h"

#define VCPU_NO_DEADLINE DEADLINE_NONE

/* Scheduling state, owned by the vCPU's hart. */
enum vcpu_state {
	VCPU_STOPPED,  /* not started (HSM) or its VM stopped */
	VCPU_RUNNABLE, /* on its hart's run queue */
	VCPU_WAITING,  /* in WFI or suspended with nothing pending: off the queue */
	VCPU_FENCING,  /* waits for other harts to take its remote fence: off the queue */
};

/* The guest-visible hart state (SBI HSM), changed by any hart atomically. */
enum vcpu_hsm {
	VCPU_HSM_STARTED,
	VCPU_HSM_STOPPED,
	VCPU_HSM_START_PENDING,
	VCPU_HSM_SUSPENDED,
};

/* Requests other harts leave for a vCPU; its own hart acts on them. */
#define VCPU_REQ_START	   (1u << 0)
#define VCPU_REQ_IPI	   (1u << 1)
#define VCPU_REQ_FENCE_I   (1u << 2)
#define VCPU_REQ_FENCE_VMA (1u << 3)
#define VCPU_REQ_IRQ	   (1u << 4) /* its external interrupt line may have moved */
#define VCPU_REQ_FENCE_ACK (1u << 5) /* a vCPU it fences took the request: look again */
#define VCPU_REQ_LEAVE	   (1u << 6) /* its VM stopped or restarts: off the hart if asleep */
#define VCPU_REQ_RELOAD	   (1u << 7) /* (vCPU 0) its VM waits to be reloaded on this hart */

/* How long a remote fence may wait for the other harts before it fails. */
#define VCPU_FENCE_TIMEOUT_US 1000000

/* Why a vCPU left the guest, for the statistics. */
enum vcpu_trap_kind {
	VCPU_TRAP_TIMER, /* the hart's timer: slice end or a deadline */
	VCPU_TRAP_IRQ,	 /* another host interrupt (IPI from another hart) */
	VCPU_TRAP_SBI,
	VCPU_TRAP_WFI,
	VCPU_TRAP_MMIO, /* an emulated device access */
	VCPU_TRAP_FAULT,
	VCPU_TRAP_OTHER,
	VCPU_TRAP_KINDS
};

struct vcpu_stats {
	uint64_t run_ticks;   /* timebase ticks spent in the guest */
	uint64_t alive_ticks; /* ticks from its start to its stop (or now) */
	uint64_t started_at;
	uint64_t slices; /* times it was switched in */
	uint64_t traps[VCPU_TRAP_KINDS];
	uint64_t timer_irqs; /* virtual timer interrupts delivered */
	uint64_t ipis;	     /* software interrupts delivered */
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned id;		      /* the guest's hart id for it */
	unsigned hart;		      /* the physical hart it runs on */
	int state;		      /* enum vcpu_state */
	int hsm;		      /* enum vcpu_hsm */
	unsigned requests;	      /* VCPU_REQ_*, atomic */
	uint64_t start_pc, start_arg; /* for VCPU_REQ_START and a non-retentive resume */
	unsigned start_run;	      /* the VM run (vm->run) that asked for the start */
	bool resume_at_start;	      /* suspended non-retentively */
	/* The guest's timer in host ticks, or VCPU_NO_DEADLINE. The leaf SBI
	 * path writes it without a call, so timer_dl follows it only when
	 * vcpu_timer_sync() runs (after each stint, and on every slow path
	 * that sets it). */
	uint64_t timer_deadline;
	struct deadline timer_dl; /* on its hart's list: timer_deadline */
	struct deadline start_dl; /* a restart's start, waiting for its back-off */
	struct deadline fence_dl; /* the limit of the remote fence it waits for */
	uint64_t slice_left;	  /* of a slice a woken vCPU cut short; 0: none */
	uint64_t running_since;	  /* when its current stint began; 0 when not in the guest */
	/* A remote fence it waits for (VCPU_FENCING): the vCPUs that have not
	 * taken it yet (atomic: their harts read it) and the request. */
	uint64_t fence_wait;
	unsigned fence_req;
	struct runq_node node;
	struct vcpu_stats stats;
	void *arch; /* the arch layer's register state */
};

/* A guest deadline (its own time, from its VM's start) in host time,
 * saturating: the one conversion, also used by the leaf SBI path. */
static inline uint64_t vcpu_deadline_to_host(uint64_t guest, uint64_t time_base)
{
	return guest > VCPU_NO_DEADLINE - time_base ? VCPU_NO_DEADLINE : guest + time_base;
}

/* Its deadlines, empty; once, before it is placed on its hart. */
void vcpu_init_deadlines(struct vcpu *v);
/* The guest set its timer (guest time). Clears the pending timer interrupt,
 * as SBI set_timer requires. */
void vcpu_set_timer(struct vcpu *v, uint64_t guest_deadline);
/* The guest changed its timer behind our back (Sstc): note the deadline. */
void vcpu_timer_changed(struct vcpu *v, uint64_t guest_deadline);
void vcpu_timer_rearm(struct vcpu *v);
/* On its hart: timer_dl follows timer_deadline again (the leaf SBI path
 * and the host tests' scripts change the field alone). Inline: the hart
 * loop asks after every stint, and mostly the timer did not move. */
static inline void vcpu_timer_sync(struct vcpu *v)
{
	if (v->timer_dl.when != v->timer_deadline)
		vcpu_timer_rearm(v);
}
/* Takes every deadline of v off its hart's list (it stopped). */
void vcpu_cancel_deadlines(struct vcpu *v);
/* A WFI: leave the run queue until the timer or an interrupt. */
void vcpu_wait(struct vcpu *v);

/* SBI HSM on the guest's own vCPUs; 0 or HV_E*. */
int vcpu_hsm_start(struct vm *vm, unsigned id, uint64_t pc, uint64_t arg);
int vcpu_hsm_stop(struct vcpu *v);
int vcpu_hsm_status(struct vm *vm, unsigned id, int *hsm);
int vcpu_hsm_suspend(struct vcpu *v, bool retentive, uint64_t resume_pc, uint64_t arg);

/* IPIs and remote fences to a set of the guest's own vCPUs (bit i = vCPU
 * i, already checked against the VM). A fence is done before the caller
 * runs again: every target has left the guest and flushes before re-entry.
 * While targets on other harts have not taken it, the caller waits off its
 * hart's queue (VCPU_FENCING), so the hart runs others meanwhile. */
void vcpu_send_ipi(struct vm *vm, uint64_t targets);
void vcpu_remote_fence(struct vcpu *caller, uint64_t targets, unsigned req);

/* Leaves a request for v and makes sure its hart looks soon. */
void vcpu_request(struct vcpu *v, unsigned req);
/* On v's own hart: act on what other harts asked of v. */
void vcpu_process_requests(struct vcpu *v);
/* On its hart: enter at start_pc with a0 = id, a1 = start_arg. */
void vcpu_start(struct vcpu *v);
/* A suspended vCPU is woken: it is STARTED again (at its resume address if
 * the suspend was non-retentive). */
void vcpu_resume(struct vcpu *v);

#endif
