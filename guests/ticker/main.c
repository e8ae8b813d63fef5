/* ticker: prints a line every 100 ms, driven by the SBI timer interrupt,
 * sleeping in wfi in between; then shuts down. */
#include <libfdt.h>
#include <stdio.h>
#include "rt.h"

#define TICKS	  20
#define PERIOD_MS 100

const char rt_guest_name[] = "ticker";

static uint64_t start, period;
/* Ticks whose deadline has passed; written only by the interrupt handler. */
static volatile int fired;

/* Deadlines are start + n * period, so a late interrupt does not delay the
 * ticks after it. */
static void on_tick(void)
{
	fired++;
	if (fired < TICKS)
		rt_timer_arm(start + (uint64_t)(fired + 1) * period, on_tick);
}

int main(unsigned long hartid, const void *fdt)
{
	int rc, shown = 0;

	(void)hartid;
	rc = rt_timer_init(fdt);
	if (rc) {
		printf("ticker: cannot read timebase from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	period = rt_ms_to_time(PERIOD_MS);
	start = rt_time();
	rt_timer_arm(start + period, on_tick);

	while (shown < TICKS) {
		/* Test and sleep with interrupts masked: wfi still wakes on the
		 * pending timer, so a tick between the test and the wfi is not lost. */
		rt_irq_disable();
		if (fired == shown)
			rt_wfi();
		/* The pending tick is taken here. */
		rt_irq_enable();
		while (shown < fired) {
			shown++;
			printf("tick %d at %lu ms\n", shown,
			       (unsigned long)rt_time_to_ms(rt_time() - start));
		}
	}
	rt_irq_disable();
	printf("ticker: %d ticks done\n", TICKS);
	return 0;
}
