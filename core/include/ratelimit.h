/* A token bucket per guest console, so one guest flooding its UART cannot
 * starve the others' output. Pure logic, unit-tested on the host.
 *
 * The bucket holds up to burst bytes and refills at rate bytes per second.
 * Time is in timebase ticks (10,000,000 per second on QEMU virt). Tokens are
 * kept in units of 1/ticks_per_sec byte, so a refill of dt ticks adds
 * exactly dt * rate units: no division, no rounding drift, no floating
 * point. Products saturate, so long idle gaps and huge clock values are
 * safe; the bucket never holds more than burst bytes. */
#ifndef SEPTA_RATELIMIT_H
#define SEPTA_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint64_t rate;		/* bytes per second */
	uint64_t burst;		/* bucket size, bytes */
	uint64_t ticks_per_sec; /* the scale of tokens_scaled */
	uint64_t tokens_scaled; /* bytes * ticks_per_sec */
	uint64_t last;		/* the time of the last refill */
	uint64_t dropped;	/* bytes refused since the last dropped_take */
};

/* Starts with a full bucket at time now. ticks_per_sec must not be 0. */
void ratelimit_init(struct ratelimit *r, uint64_t rate, uint64_t burst, uint64_t ticks_per_sec,
		    uint64_t now);
/* Takes bytes tokens at time now, all or nothing: true = allowed; false =
 * over the limit, and bytes are added to the dropped count. A clock that
 * goes backwards refills nothing. */
bool ratelimit_take(struct ratelimit *r, uint64_t now, uint64_t bytes);
/* The dropped count, reset to 0, so the caller can say "N bytes dropped"
 * once. */
uint64_t ratelimit_dropped_take(struct ratelimit *r);

#endif
