/* flood: prints long numbered lines as fast as it can, through the runtime's
 * printf (one SBI DBCN call per line), to show that septa's console rate
 * limit keeps one guest from drowning the others. Then it rests a moment,
 * so its last line finds budget again, says it is done and shuts down.
 * bootargs "count=N" sets the number of lines (default LINES). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

#define LINES	10000
#define XS	100
#define REST_MS 200

const char rt_guest_name[] = "flood";

static volatile int rested;

static void wake(void)
{
	rested = 1;
}

int main(unsigned long hartid, const void *fdt)
{
	const char *arg = strstr(rt_bootargs(fdt), "count=");
	int lines = arg ? atoi(arg + 6) : LINES;
	char xs[XS + 1];

	(void)hartid;
	memset(xs, 'x', XS);
	xs[XS] = '\0';
	for (int i = 1; i <= lines; i++)
		printf("flood %06d %s\n", i, xs);

	/* Sleep, do not spin: the rate limit refills with time. */
	if (rt_timer_init(fdt) == 0) {
		rt_timer_arm(rt_time() + rt_ms_to_time(REST_MS), wake);
		while (!rested) {
			rt_irq_disable();
			if (!rested)
				rt_wfi();
			rt_irq_enable();
		}
		rt_irq_disable();
	}
	printf("flood: done\n");
	return 0;
}
