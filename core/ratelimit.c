/* The console token bucket: saturating integer arithmetic in scaled units
 * (see ratelimit.h). */
#include "ratelimit.h"

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t capacity(const struct ratelimit *r)
{
	return mul_sat(r->burst, r->ticks_per_sec);
}

void ratelimit_init(struct ratelimit *r, uint64_t rate, uint64_t burst, uint64_t ticks_per_sec,
		    uint64_t now)
{
	r->rate = rate;
	r->burst = burst;
	r->ticks_per_sec = ticks_per_sec;
	r->tokens_scaled = capacity(r);
	r->last = now;
	r->dropped = 0;
}

static void refill(struct ratelimit *r, uint64_t now)
{
	uint64_t cap = capacity(r);

	/* A clock behind last adds nothing and leaves last alone, so time is
	 * never credited twice. */
	if (now <= r->last)
		return;
	r->tokens_scaled = add_sat(r->tokens_scaled, mul_sat(now - r->last, r->rate));
	if (r->tokens_scaled > cap)
		r->tokens_scaled = cap;
	r->last = now;
}

bool ratelimit_take(struct ratelimit *r, uint64_t now, uint64_t bytes)
{
	uint64_t need = mul_sat(bytes, r->ticks_per_sec);

	refill(r, now);
	/* More than a full bucket is never allowed, even if saturation made
	 * need equal a saturated capacity. */
	if (bytes <= r->burst && need <= r->tokens_scaled) {
		r->tokens_scaled -= need;
		return true;
	}
	r->dropped = add_sat(r->dropped, bytes);
	return false;
}

uint64_t ratelimit_dropped_take(struct ratelimit *r)
{
	uint64_t n = r->dropped;

	r->dropped = 0;
	return n;
}
