/* clock: reads the board's real-time clock (QEMU virt's goldfish RTC) when
 * its config grants it (devices = rtc@101000): septa then maps the RTC's
 * registers into this guest and puts the node in its device tree. Prints
 * the time twice, 100 ms apart, and shuts down.
 *
 *   clock: rtc@101000 says 1764100000 s since 1970
 *   clock: 100 ms later it had moved on by 100 ms
 *
 * bootargs peek=ADDR: reads ADDR as if it were the RTC without asking the
 * device tree, to show that an RTC not granted is not there.
 *
 * bootargs alarm: takes the RTC's alarm interrupt ALARMS times through the
 * PLIC its device tree names (septa's virtual one, which the board line
 * reaches through septa), each 100 ms after arming it, the odd ones while
 * it sleeps in wfi, the even ones while it spins:
 *
 *   clock: alarm 1: interrupt 11 after 100 ms
 *   clock: 3 alarms, 3 interrupts
 *
 * bootargs bench: the latency of the passed-through interrupt, natively or
 * under septa: LATENCY_RUNS alarms, each for an RTC time T 1 ms ahead while
 * it sleeps in wfi; the handler's first act reads the RTC, and latency is
 * that reading minus T, in ns of the RTC (of virtual time when QEMU runs
 * with -rtc clock=vm; at -icount shift=0 a ns is an instruction):
 *
 *   clock: alarm latency n=50 min=1520 median=1530 max=1610 ns */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

/* Goldfish RTC: nanoseconds since 1970; reading TIME_LOW latches the high
 * half into TIME_HIGH. */
#define RTC_TIME_LOW	    0x00
#define RTC_TIME_HIGH	    0x04
#define RTC_ALARM_LOW	    0x08 /* writing it arms the alarm */
#define RTC_ALARM_HIGH	    0x0c
#define RTC_IRQ_ENABLED	    0x10
#define RTC_CLEAR_INTERRUPT 0x1c

#define ALARMS	     3
#define ALARM_MS     100
#define LATENCY_RUNS 50

/* PLIC registers (SiFive layout), as offsets from its base. */
#define PLIC_PRIO(src)	 (4 * (uintptr_t)(src))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (uintptr_t)(ctx))
#define PLIC_THRESH(ctx) (0x200000 + 0x1000 * (uintptr_t)(ctx))
#define PLIC_CLAIM(ctx)	 (PLIC_THRESH(ctx) + 4)

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

static void reg_write(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uintptr_t alarm_rtc, alarm_claim;
static uint32_t alarm_irq;
static volatile unsigned alarms_taken;
static volatile uint64_t alarm_at, alarm_rtc_at;

/* Claim, serve, complete. The RTC's line is lowered before the completion,
 * so the PLIC does not forward the same request again. */
static void on_alarm(void)
{
	uint32_t src;

	/* First, so the latency bench counts only the way here. */
	alarm_rtc_at = rtc_ns(alarm_rtc);
	while ((src = *(volatile uint32_t *)alarm_claim) != 0) {
		if (src == alarm_irq) {
			reg_write(alarm_rtc + RTC_CLEAR_INTERRUPT, 1);
			alarm_at = rt_time();
			alarms_taken++;
		} else {
			printf("clock: unexpected interrupt %u\n", (unsigned)src);
		}
		reg_write(alarm_claim, src);
	}
}

/* The reg of the node the RTC's interrupt-parent names: its PLIC. */
static uintptr_t irq_parent_base(const void *fdt, int node)
{
	int len;
	const fdt32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", &len);
	int plic = ph && len == 4 ? fdt_node_offset_by_phandle(fdt, fdt32_ld(ph)) : -1;
	const fdt32_t *reg = plic >= 0 ? fdt_getprop(fdt, plic, "reg", &len) : NULL;

	if (!reg || len < 8)
		return 0;
	return (uintptr_t)((uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1));
}

static void give_up_wake(void)
{
}

/* Routes the RTC's alarm to on_alarm through the PLIC its device tree
 * names, for this hart's S-mode context; false when it has no interrupt. */
static bool alarm_setup(const void *fdt, uintptr_t rtc, unsigned long hartid)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc"), len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	uintptr_t plic = irq_parent_base(fdt, node);
	uintptr_t ctx = 2 * hartid + 1; /* this hart's S-mode context */

	if (!irq || len < 4 || !plic) {
		printf("clock: my rtc has no interrupt in my device tree\n");
		return false;
	}
	alarm_irq = fdt32_ld(irq);
	alarm_rtc = rtc;
	alarm_claim = plic + PLIC_CLAIM(ctx);
	reg_write(plic + PLIC_PRIO(alarm_irq), 1);
	reg_write(plic + PLIC_ENABLE(ctx) + 4 * (alarm_irq / 32), 1u << (alarm_irq % 32));
	reg_write(plic + PLIC_THRESH(ctx), 0);
	reg_write(rtc + RTC_IRQ_ENABLED, 1);
	rt_ext_irq_handler(on_alarm);
	return true;
}

/* Arms the alarm for RTC time due and waits for the n-th alarm taken,
 * asleep in wfi or spinning with interrupts on; false (said) when it did
 * not come in 10 * ALARM_MS. */
static bool alarm_wait(uintptr_t rtc, unsigned n, uint64_t due, bool sleep)
{
	uint64_t give_up = rt_time() + rt_ms_to_time(10 * ALARM_MS);

	reg_write(rtc + RTC_ALARM_HIGH, (uint32_t)(due >> 32));
	reg_write(rtc + RTC_ALARM_LOW, (uint32_t)due);
	/* A timer wakes the wait below should the interrupt never come. */
	rt_timer_arm(give_up, give_up_wake);
	/* Test and wfi with interrupts masked: wfi still wakes. */
	rt_irq_disable();
	while (alarms_taken < n && rt_time() < give_up) {
		if (sleep)
			rt_wfi();
		rt_irq_enable();
		rt_irq_disable();
	}
	rt_timer_cancel();
	if (alarms_taken < n)
		printf("clock: alarm %u: no interrupt in %u ms\n", n, 10 * ALARM_MS);
	return alarms_taken >= n;
}

static int alarm_test(const void *fdt, uintptr_t rtc, unsigned long hartid)
{
	if (!alarm_setup(fdt, rtc, hartid))
		return 1;
	for (unsigned n = 1; n <= ALARMS; n++) {
		uint64_t armed = rt_time();

		/* Odd alarms come while this vCPU sleeps, even ones while it
		 * spins with interrupts on, so the line arrives both ways. */
		if (!alarm_wait(rtc, n, rtc_ns(rtc) + ALARM_MS * 1000000ULL, n % 2))
			return 1;
		printf("clock: alarm %u: interrupt %u after %llu ms\n", n, (unsigned)alarm_irq,
		       (unsigned long long)rt_time_to_ms(alarm_at - armed));
	}
	printf("clock: %u alarms, %u interrupts\n", ALARMS, alarms_taken);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int latency_bench(const void *fdt, uintptr_t rtc, unsigned long hartid)
{
	static uint64_t ns[LATENCY_RUNS];

	if (!alarm_setup(fdt, rtc, hartid))
		return 1;
	for (unsigned n = 1; n <= LATENCY_RUNS; n++) {
		uint64_t due = rtc_ns(rtc) + 1000000ULL;

		/* Asleep when it fires, the common case for a device wait. */
		if (!alarm_wait(rtc, n, due, true))
			return 1;
		ns[n - 1] = alarm_rtc_at - due;
	}
	qsort(ns, LATENCY_RUNS, sizeof ns[0], cmp_u64);
	printf("clock: alarm latency n=%u min=%llu median=%llu max=%llu ns\n", LATENCY_RUNS,
	       (unsigned long long)ns[0], (unsigned long long)ns[LATENCY_RUNS / 2],
	       (unsigned long long)ns[LATENCY_RUNS - 1]);
	return 0;
}

int main(unsigned long hartid, const void *fdt)
{
	const char *peek = strstr(rt_bootargs(fdt), "peek="), *name = "rtc";
	uintptr_t rtc;
	int rc;

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
	if (strstr(rt_bootargs(fdt), "bench"))
		return latency_bench(fdt, rtc, hartid);
	if (strstr(rt_bootargs(fdt), "alarm"))
		return alarm_test(fdt, rtc, hartid);
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
