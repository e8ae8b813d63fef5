/* The back-off and window rules of on-fault = restart (restart_policy.h). */
#include "restart_policy.h"

uint64_t restart_backoff_us(uint64_t base_us, unsigned recent)
{
	uint64_t delay = base_us;

	/* Doubling stops at the cap, so no count of restarts overflows. */
	for (unsigned i = 0; i < recent && delay < RESTART_BACKOFF_MAX_US; i++)
		delay *= 2;
	return delay < RESTART_BACKOFF_MAX_US ? delay : RESTART_BACKOFF_MAX_US;
}

bool restart_window_forgives(uint64_t started, uint64_t now, uint64_t window_ticks, unsigned recent)
{
	return window_ticks && recent && now - started >= window_ticks;
}
