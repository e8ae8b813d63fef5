/* spinner: counts in a tight loop with interrupts off and no timer armed,
 * printing the count of each second of virtual time, found by polling the
 * time CSR.  It never yields: the hypervisor must take the hart back from it
 * at the end of its slice by itself. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

/* How long it spins unless the bootargs say seconds=N (1 to MAX_SECONDS):
 * the bench's crowded run wants spinners that end soon after it does. */
#define SECONDS	    5
#define MAX_SECONDS 3600

const char rt_guest_name[] = "spinner";

int main(unsigned long hartid, const void *fdt)
{
	uint64_t second, next;
	unsigned long count, seconds = SECONDS;
	const char *args;
	int rc;

	(void)hartid;
	rc = rt_timer_init(fdt);
	if (rc) {
		printf("spinner: cannot read timebase from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	args = strstr(rt_bootargs(fdt), "seconds=");
	if (args) {
		seconds = strtoul(args + strlen("seconds="), NULL, 10);
		if (seconds < 1 || seconds > MAX_SECONDS) {
			printf("spinner: seconds=%lu: want 1 to %d\n", seconds, MAX_SECONDS);
			return 1;
		}
	}
	/* main starts with sstatus.SIE clear and no timer armed; make sure. */
	rt_irq_disable();
	second = rt_ms_to_time(1000);
	next = rt_time() + second;
	for (unsigned long n = 1; n <= seconds; n++) {
		/* The work: one iteration per time CSR read. */
		for (count = 0; rt_time() < next; count++)
			;
		printf("spin %lu: %lu\n", n, count / 1000);
		/* Seconds end at fixed deadlines: the time spent printing comes out
		 * of the next second's count instead of shifting every second. */
		next += second;
	}
	printf("spinner: done\n");
	return 0;
}
