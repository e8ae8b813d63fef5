/* clock: reads the board's real-time clock (QEMU virt's goldfish RTC) when
 * its config grants it (devices = rtc@101000): septa then maps the RTC's
 * registers into this guest and puts the node in its device tree. Prints
 * the time twice, 100 ms apart, and shuts down.
 *
 *   clock: rtc@101000 says 1764100000 s since 1970
 *   clock: 100 ms later it had moved on by 100 ms
 *
 * bootargs peek=ADDR: reads ADDR as if it were the RTC without asking the
 * device tree, to show that an RTC not granted is not there. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

/* Goldfish RTC: nanoseconds since 1970; reading TIME_LOW latches the high
 * half into TIME_HIGH. */
#define RTC_TIME_LOW  0x00
#define RTC_TIME_HIGH 0x04

const char rt_guest_name[] = "clock";

static uint64_t rtc_ns(uintptr_t base)
{
	uint32_t lo = *(volatile uint32_t *)(base + RTC_TIME_LOW);
	uint32_t hi = *(volatile uint32_t *)(base + RTC_TIME_HIGH);

	return (uint64_t)hi << 32 | lo;
}

/* The RTC's address from the device tree, or 0 when there is none. */
static uintptr_t find_rtc(const void *fdt, const char **name)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc"), len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;

	if (!reg || len < 8)
		return 0;
	*name = fdt_get_name(fdt, node, NULL);
	/* /soc has two address cells. */
	return (uintptr_t)((uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1));
}

int main(unsigned long hartid, const void *fdt)
{
	const char *peek = strstr(rt_bootargs(fdt), "peek="), *name = "rtc";
	uintptr_t rtc;
	int rc;

	(void)hartid;
	if ((rc = rt_timer_init(fdt))) {
		printf("clock: cannot read timebase: %s\n", fdt_strerror(rc));
		return 1;
	}
	if (peek) {
		rtc = (uintptr_t)strtoul(peek + strlen("peek="), NULL, 0);
		printf("clock: peeking at 0x%lx, which my device tree does not give me\n",
		       (unsigned long)rtc);
		fflush(stdout);
		printf("clock: read 0x%llx: isolation is broken\n",
		       (unsigned long long)rtc_ns(rtc));
		return 1;
	}
	rtc = find_rtc(fdt, &name);
	if (!rtc) {
		printf("clock: no rtc in my device tree (grant one with devices = ...)\n");
		return 0;
	}
	uint64_t t0 = rtc_ns(rtc);
	printf("clock: %s says %llu s since 1970\n", name,
	       (unsigned long long)(t0 / 1000000000ULL));
	uint64_t end = rt_time() + rt_ms_to_time(100);
	while (rt_time() < end)
		;
	uint64_t t1 = rtc_ns(rtc);
	printf("clock: 100 ms later it had moved on by %llu ms\n",
	       (unsigned long long)((t1 - t0) / 1000000ULL));
	return 0;
}
