/* chaos's other role: the victim ticker beside a long chaos run on the same
 * hart. A tick every 100 ms from the timer interrupt, for as long as the
 * machine runs; every 50 ticks one line with the worst lateness so far (the
 * time from a deadline to its interrupt handler), which must stay under one
 * slice however chaos behaves:
 *
 *   chaos: victim: N ticks, worst late U us (tick T) */
#include <stdio.h>

#include "chaos.h"
#include "rt.h"

#define PERIOD_MS    100
#define REPORT_EVERY 50

static uint64_t start, period;
static volatile unsigned long fired;
static volatile uint64_t worst;
static volatile unsigned long worst_tick;
static const volatile bool never;

static void on_tick(void)
{
	uint64_t due = start + (fired + 1) * period, late = rt_time() - due;

	fired++;
	if (late > worst) {
		worst = late;
		worst_tick = fired;
	}
	rt_timer_arm(start + (fired + 1) * period, on_tick);
}

int chaos_victim(void)
{
	unsigned long shown = 0;

	period = rt_ms_to_time(PERIOD_MS);
	start = rt_time();
	rt_timer_arm(start + period, on_tick);
	for (;;) {
		unsigned long now = rt_wait_change(&fired, shown, &never);

		if (now / REPORT_EVERY != shown / REPORT_EVERY)
			printf("chaos: victim: %lu ticks, worst late %lu us (tick %lu)\n", now,
			       (unsigned long)rt_time_to_us(worst), worst_tick);
		shown = now;
		rt_irq_enable();
	}
}
