/* The hypervisor around core/console.c and core/monitor.c, faked for their
 * host tests (test_console, test_monitor): three guests, a terminal that
 * records what is printed and types from a script, a settable clock, and
 * recorded VM actions. */
#ifndef SEPTA_TEST_CONSOLE_FAKES_H
#define SEPTA_TEST_CONSOLE_FAKES_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

#define FAKE_GUESTS 3 /* alpha, beta, gamma */

struct fakes {
	char out[65536]; /* everything printed on the terminal */
	size_t out_len;
	const char *keys; /* bytes the terminal hands out, NUL-ended */
	size_t keys_len;
	uint64_t now;			     /* arch_time_now() */
	uint64_t run_ticks[FAKE_GUESTS];     /* vm_run_ticks() */
	bool runnable[FAKE_GUESTS];	     /* vm_runnable() */
	unsigned irq_input[FAKE_GUESTS];     /* vdev_irq_input() calls */
	unsigned stats;			     /* stats_print() calls */
	unsigned stops, restarts, poweroffs; /* VM actions asked for */
	struct vm *acted_on;		     /* the last stop or restart's guest */
	const char *why;		     /* and its reason */
	bool off_failure;		     /* arch_machine_off's argument */
	jmp_buf off;			     /* arch_machine_off returns here */
};

extern struct fakes fk;

/* Three stopped-clock guests, an empty terminal, no keys; the console wired
 * to the fake terminal (colour as asked). */
void fakes_reset(bool color);
/* What was printed since the last call, NUL-ended; then forgets it. */
const char *fakes_take_output(void);
/* Types keys (a NUL-ended string; bytes with len) and routes them through
 * console_poll(). */
void fakes_type(const char *keys);
void fakes_type_bytes(const char *keys, size_t len);

#endif
