/* A virtual hart: where it runs, its HSM state, its timer, the requests other
 * vCPUs leave for it, and its statistics. */
#ifndef SEPTA_VCPU_H
#define SEPTA_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "runq.h"

#define VCPU_NO_DEADLINE UINT64_MAX

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
	bool start_delayed;	      /* a restart waits for its back-off */
	uint64_t timer_deadline;      /* guest's timer in host ticks, or VCPU_NO_DEADLINE */
	uint64_t slice_left;	      /* of a slice a woken vCPU cut short; 0: none */
	uint64_t running_since;	      /* when its current stint began; 0 when not in the guest */
	/* A remote fence it waits for (VCPU_FENCING): the vCPUs that have not
	 * taken it yet (atomic: their harts read it), the request, the limit. */
	uint64_t fence_wait;
	unsigned fence_req;
	uint64_t fence_deadline;
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

/* The guest set its timer (guest time). Clears the pending timer interrupt,
 * as SBI set_timer requires. */
void vcpu_set_timer(struct vcpu *v, uint64_t guest_deadline);
/* The guest changed its timer behind our back (Sstc): note the deadline. */
void vcpu_timer_changed(struct vcpu *v, uint64_t guest_deadline);
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
/* On the caller's hart: a fence that waited past its deadline is reported,
 * fails (SBI_ERR_FAILED to the guest) and the caller runs again; true if
 * that happened. */
bool vcpu_fence_expire(struct vcpu *v, uint64_t now);

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
