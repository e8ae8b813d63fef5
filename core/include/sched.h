/* Per-hart scheduling: each physical hart runs its own vCPUs round-robin. */
#ifndef SEPTA_SCHED_H
#define SEPTA_SCHED_H

#include <stdint.h>

#include "cfg_table.h"
#include "deadline.h"
#include "runq.h"

struct vcpu;
struct vm;

struct hart {
	unsigned id;
	struct runq rq;
	struct vcpu *current;
	uint64_t slice_end;   /* when current must give up the hart */
	uint64_t min_run_end; /* before this, a woken vCPU does not preempt current */
	uint64_t idle_ticks;
	uint64_t idle_since; /* nonzero while it sleeps in WFI */
	/* Everything due at a time on this hart: its vCPUs' timers, delayed
	 * starts and fence limits, and (hart 0) the console poll. */
	struct deadline_list deadlines;
	uint32_t reloads; /* bit i: VM i waits to be reloaded here (its vCPU 0 is here) */
	bool load_turn;	  /* a waiting reload goes before the next vCPU */
	/* Set (after the request bits) whenever a request is left for one of
	 * its vCPUs, cleared by the loop before it looks at them: one word to
	 * read instead of every vCPU's. */
	int requests_pending;
	unsigned nvcpus; /* every vCPU placed here, runnable or not */
	struct vcpu *vcpus[CFG_MAX_GUESTS * CFG_MAX_VCPUS];
};

extern struct hart harts[CFG_MAX_HARTS];

/* A vCPU switched in runs at least this fraction of its slice before a
 * woken vCPU takes the hart (1/8: 1.25 ms of a 10 ms slice). */
#define SCHED_MIN_RUN_DIV 8

/* The hart that owns the console: it polls the keyboard. */
#define SCHED_CONSOLE_HART 0

/* Timebase ticks per microsecond, from the device tree. */
extern uint64_t sched_ticks_per_us;

/* Empty queues on every hart; before any vCPU is added. */
void sched_init(void);
void sched_add_vcpu(struct vcpu *v);
/* Makes v runnable on its hart (front = it has something urgent). */
void sched_wake(struct vcpu *v, bool front);
/* Would a pass of the loop leave the running vCPU v in its guest? True when
 * v is still runnable, its VM runs, and no vCPU of hart h has a request
 * waiting. Trap paths that skip the loop ask this (the hart timer, which
 * stays armed, covers deadlines). */
bool sched_quiet(const struct hart *h, const struct vcpu *v);
/* Takes v off its hart's queue. */
void sched_remove(struct vcpu *v);
/* On vCPU 0's hart: vm waits to be reloaded; the loop gives it turns
 * beside the hart's vCPUs until vm_load_wanted() says it is done. */
void sched_give_reload_turns(struct vm *vm);
/* One pass of a hart's loop: requests, whatever on its deadline list is
 * due, a turn of a waiting reload, then one stint of a vCPU or an idle wait
 * until the next deadline. Host unit tests drive it with injected time. */
void sched_pass(struct hart *h);
/* This hart's loop: sched_pass(), forever. */
void sched_run_hart(struct hart *h) __attribute__((noreturn));

#endif
