/* mallory, the hostile guest: one table of attacks, each a step. Steps that
 * must fault end the boot (the hypervisor restarts mallory with on-fault =
 * restart); the next boot reads its restart count from the device tree and
 * goes on after the step that faulted. */
#ifndef MALLORY_H
#define MALLORY_H

#include <stdint.h>

/* What a step expects of the hypervisor. */
enum step_kind {
	STEP_CONTAINED, /* an error code or no visible effect; the boot goes on */
	STEP_FAULTS,	/* must fault: septa restarts us; returning is a breach */
	STEP_MAY_FAULT, /* may fault or not (misaligned access): only the last step */
};

/* What every step may need to know about the machine as we see it. */
struct target {
	uint64_t ram_base, ram_size;
	uint64_t vault_hpa; /* bootargs vault=0x...: another guest's host address */
};

struct step {
	const char *name;
	enum step_kind kind;
	void (*run)(unsigned n, const struct step *s, const struct target *t);
	uint64_t arg; /* the step's own parameter: an address, a CSR, ... */
};

/* The outcome lines the boot test parses:
 *   mallory: step N NAME: attempting <what>
 *   mallory: step N NAME: contained (<how>)
 *   mallory: step N NAME: BREACH (<what happened>) */
void say_attempt(unsigned n, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void say_contained(unsigned n, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void say_breach(unsigned n, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The step tables of each file, and their lengths. */
extern const struct step mem_steps[], cpu_steps[], sbi_steps[], state_steps[], last_steps[];
extern const unsigned n_mem_steps, n_cpu_steps, n_sbi_steps, n_state_steps, n_last_steps;

/* A step of state.c's table whose page tables live in mem.c. */
void misaligned_into_uart(unsigned n, const struct step *s, const struct target *t);

#endif
