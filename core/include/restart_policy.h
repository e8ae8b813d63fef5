/* The on-fault = restart policy as pure rules: the back-off before each
 * restart and the window that forgives the count (unit-tested on the host). */
#ifndef SEPTA_RESTART_POLICY_H
#define SEPTA_RESTART_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* The back-off stops doubling here: 10 s. */
#define RESTART_BACKOFF_MAX_US 10000000u

/* The delay before the next restart of a guest restarted `recent` times in
 * a row: base_us doubled per recent restart, never above the cap (and
 * never doubling past it, so large counts cannot overflow). */
uint64_t restart_backoff_us(uint64_t base_us, unsigned recent);

/* Whether a run that started at `started` and faulted at `now` (host
 * ticks) lasted the window (window_ticks; 0 = no window) and so proves the
 * guest healthy again: then the count of recent restarts starts over. */
bool restart_window_forgives(uint64_t started, uint64_t now, uint64_t window_ticks,
			     unsigned recent);

#endif
