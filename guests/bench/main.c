/* bench: how much a trap costs, how late an interrupt arrives, and what
 * ordinary work costs, measured the same way natively (S-mode on OpenSBI)
 * and under septa (VS-mode).  Each measure is taken bench_iters times (the
 * bootargs' iters=N) and printed as one line:
 *
 *   bench: <measure> unit=<ticks|instret> n=<N> min=<..> median=<..> max=<..>
 *
 * then "bench: done", and the machine shuts down.  With only=timer in the
 * bootargs it takes the timer latency alone (for configs/bench-crowd.conf).
 * tools/bench.py parses these lines; doc/benchmarks.md says what each one
 * means. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rt.h"

#define DEFAULT_ITERS 1000
#define MAX_ITERS     10000
/* The timer measure sets its deadline TIMER_AHEAD_CALLS times the longest
 * set_timer call ahead (plus TIMER_AHEAD_MIN ticks): well after the call and
 * the way into wfi are done, yet no further, since idle virtual time is not
 * free for QEMU with two harts at -icount shift=0. */
#define TIMER_AHEAD_CALLS 10
#define TIMER_AHEAD_MIN	  20
/* SBI BASE: the implementation id says whether septa answers us. */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID	  1
#define SBI_BASE_PROBE_EXT	  3
#define SBI_IMPL_SEPTA		  0x53455054 /* "SEPT" */
/* 16550 registers (byte offsets): line status, scratch. */
#define UART_LSR 5
#define UART_SCR 7

const char rt_guest_name[] = "bench";

unsigned long bench_iters = DEFAULT_ITERS;
static uint64_t samples[MAX_ITERS];
uint64_t bench_overhead[UNIT_COUNT];
static const char *const unit_names[UNIT_COUNT] = {"ticks", "instret"};
static volatile uint8_t *uart;
static uint64_t timer_ahead;
/* bootargs only=NAME: that measure alone (only=timer_latency for a run where
 * other guests share the hart, configs/bench-crowd.conf, so it ends early). */
static char only[32];

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	printf("bench: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	rt_exit();
}

uint64_t bench_read(enum unit u)
{
	return u == UNIT_TICKS ? csr_read(time) : csr_read(instret);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void bench_measure(const char *name, enum unit u, unsigned long n, bench_probe probe)
{
	probe(u); /* warm-up */
	for (unsigned long i = 0; i < n; i++) {
		uint64_t s = probe(u);

		samples[i] = s > bench_overhead[u] ? s - bench_overhead[u] : 0;
	}
	qsort(samples, n, sizeof(samples[0]), cmp_u64);
	printf("bench: %s unit=%s n=%lu min=%lu median=%lu max=%lu\n", name, unit_names[u], n,
	       (unsigned long)samples[0], (unsigned long)samples[n / 2],
	       (unsigned long)samples[n - 1]);
}

void bench_na(const char *name, const char *why)
{
	printf("bench: %s n/a (%s)\n", name, why);
}

/* The empty probe, whose minimum every other figure has taken off. */
static void measure_overhead(void)
{
	for (int u = 0; u < UNIT_COUNT; u++) {
		uint64_t min = UINT64_MAX;

		for (unsigned long i = 0; i < bench_iters; i++) {
			uint64_t s = u == UNIT_TICKS ? bench_empty_time() : bench_empty_instret();

			samples[i] = s;
			if (s < min)
				min = s;
		}
		qsort(samples, bench_iters, sizeof(samples[0]), cmp_u64);
		printf("bench: overhead unit=%s n=%lu min=%lu median=%lu max=%lu\n", unit_names[u],
		       bench_iters, (unsigned long)samples[0],
		       (unsigned long)samples[bench_iters / 2],
		       (unsigned long)samples[bench_iters - 1]);
		bench_overhead[u] = min;
	}
}

static uint64_t sbi_call(enum unit u, unsigned long fid)
{
	return u == UNIT_TICKS ? bench_ecall_time(SBI_EXT_BASE, fid)
			       : bench_ecall_instret(SBI_EXT_BASE, fid);
}

static uint64_t sbi_null_probe(enum unit u)
{
	return sbi_call(u, SBI_BASE_GET_SPEC_VERSION);
}

/* set_timer to the far future: the deadline a guest that wants no timer
 * sets, and a call that never raises the interrupt it would measure. */
static uint64_t sbi_set_timer_probe(enum unit u)
{
	return u == UNIT_TICKS ? bench_ecall1_time(SBI_EXT_TIME, 0, UINT64_MAX)
			       : bench_ecall1_instret(SBI_EXT_TIME, 0, UINT64_MAX);
}

/* probe_extension for TIME, which both septa and OpenSBI offer. */
static uint64_t sbi_probe_probe(enum unit u)
{
	return u == UNIT_TICKS
		   ? bench_ecall1_time(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_TIME)
		   : bench_ecall1_instret(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_TIME);
}

static uint64_t sbi_forward_probe(enum unit u)
{
	return sbi_call(u, SBI_BASE_GET_IMPL_ID);
}

static uint64_t lsr_probe(enum unit u)
{
	return u == UNIT_TICKS ? bench_load8_time(uart + UART_LSR)
			       : bench_load8_instret(uart + UART_LSR);
}

static uint64_t scr_probe(enum unit u)
{
	return u == UNIT_TICKS ? bench_store8_time(uart + UART_SCR, 0x5a)
			       : bench_store8_instret(uart + UART_SCR, 0x5a);
}

/* One timer interrupt: the time the vector saw minus the deadline, the
 * guest asleep in wfi or (busy) spinning.  Only the timer is enabled in sie
 * meanwhile, so nothing else can end the wait. */
static uint64_t timer_latency(enum unit u, int busy)
{
	unsigned long sie = csr_read(sie);
	uint64_t deadline, before, seen;

	if (u != UNIT_TICKS)
		bench_fail("timer latency is measured in ticks only");
	rt_irq_disable();
	csr_write(sie, SIE_STIE);
	deadline = rt_time() + timer_ahead;
	sbi_set_timer(deadline);
	seen = bench_timer_wait(&before, busy);
	if (csr_read(scause) != (SCAUSE_INTR | IRQ_S_TIMER))
		bench_fail("timer wait ended by scause 0x%lx", csr_read(scause));
	sbi_set_timer(UINT64_MAX); /* clears the pending interrupt */
	csr_write(sie, sie);
	if (before >= deadline)
		bench_fail("timer armed too late: %lu ticks ahead were not enough",
			   (unsigned long)timer_ahead);
	if (seen < deadline)
		bench_fail("timer interrupt %lu ticks early", (unsigned long)(deadline - seen));
	return seen - deadline;
}

static uint64_t timer_probe(enum unit u)
{
	return timer_latency(u, 0);
}

static uint64_t timer_busy_probe(enum unit u)
{
	return timer_latency(u, 1);
}

/* Sets timer_ahead from the longest of a few set_timer calls. */
static void timer_calibrate(void)
{
	uint64_t longest = 0;

	for (int i = 0; i < 10; i++) {
		uint64_t t0 = rt_time();

		sbi_set_timer(UINT64_MAX);
		if (rt_time() - t0 > longest)
			longest = rt_time() - t0;
	}
	timer_ahead = TIMER_AHEAD_CALLS * longest + TIMER_AHEAD_MIN;
}

/* Finds the console UART in the device tree: the first ns16550a node; reg
 * under /soc has two address cells on QEMU virt and under septa. */
static volatile uint8_t *find_uart(const void *fdt)
{
	const fdt32_t *reg;
	int node, len;

	node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
	if (node < 0)
		return NULL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 8)
		return NULL;
	return (volatile uint8_t *)(uintptr_t)((uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1));
}

/* The value of `key=` in the bootargs (a word of its own), or NULL. */
static const char *arg_value(const char *args, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strstr(args, key); p; p = strstr(p + 1, key))
		if ((p == args || p[-1] == ' ') && p[len] == '=')
			return p + len + 1;
	return NULL;
}

static void parse_args(const char *args)
{
	const char *p = arg_value(args, "iters");

	if (p) {
		unsigned long n = strtoul(p, NULL, 0);

		if (n < 1 || n > MAX_ITERS)
			bench_fail("iters=%lu: want 1 to %d", n, MAX_ITERS);
		bench_iters = n;
	}
	p = arg_value(args, "only");
	if (p) {
		size_t n = strcspn(p, " ");

		if (n >= sizeof(only))
			bench_fail("only=%s: too long", p);
		memcpy(only, p, n);
		only[n] = 0;
	}
}

/* Whether measure name runs: every one, or the one bootargs only= names
 * (one measure alone, for a crowded run or for tools/trace_profile.py);
 * only=timer is short for only=timer_latency. */
static bool wanted(const char *name)
{
	return !only[0] || !strcmp(only, name) ||
	       (!strcmp(only, "timer") && !strcmp(name, "timer_latency"));
}

int main(unsigned long hartid, const void *fdt)
{
	int rc = rt_timer_init(fdt);
	struct sbiret impl = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0);
	int septa = !impl.error && impl.value == SBI_IMPL_SEPTA;
	unsigned long crc_iters;

	if (rc)
		bench_fail("cannot read timebase from device tree: %s", fdt_strerror(rc));
	parse_args(rt_bootargs(fdt));
	uart = find_uart(fdt);
	/* The kernel is long: a hundredth of the samples, at least 3. */
	crc_iters = bench_iters / 100 < 3 ? 3 : bench_iters / 100;
	printf("bench: env under=%s sbi_impl=%ld hart=%lu iters=%lu%s%s\n",
	       septa ? "septa" : "firmware", impl.value, hartid, bench_iters,
	       only[0] ? " only=" : "", only);

	measure_overhead();
	for (int u = 0; u < UNIT_COUNT && wanted("sbi_null"); u++)
		bench_measure("sbi_null", u, bench_iters, sbi_null_probe);
	/* septa answers every call itself; natively OpenSBI answers this one
	 * exactly as it does get_spec_version. */
	if (septa && wanted("sbi_forward"))
		bench_na("sbi_forward", "septa forwards no SBI call to firmware");
	else
		for (int u = 0; u < UNIT_COUNT && wanted("sbi_forward"); u++)
			bench_measure("sbi_forward", u, bench_iters, sbi_forward_probe);
	for (int u = 0; u < UNIT_COUNT && wanted("sbi_set_timer"); u++)
		bench_measure("sbi_set_timer", u, bench_iters, sbi_set_timer_probe);
	for (int u = 0; u < UNIT_COUNT && wanted("sbi_probe"); u++)
		bench_measure("sbi_probe", u, bench_iters, sbi_probe_probe);
	if (uart) {
		for (int u = 0; u < UNIT_COUNT && wanted("mmio_read"); u++)
			bench_measure("mmio_read", u, bench_iters, lsr_probe);
		for (int u = 0; u < UNIT_COUNT && wanted("mmio_write"); u++)
			bench_measure("mmio_write", u, bench_iters, scr_probe);
	} else if (!only[0]) {
		bench_na("mmio_read", "no ns16550a in the device tree");
		bench_na("mmio_write", "no ns16550a in the device tree");
	}
	if (wanted("timer_latency") || wanted("timer_latency_busy"))
		timer_calibrate();
	if (wanted("timer_latency"))
		bench_measure("timer_latency", UNIT_TICKS, bench_iters, timer_probe);
	if (wanted("timer_latency_busy"))
		bench_measure("timer_latency_busy", UNIT_TICKS, bench_iters, timer_busy_probe);

	if (wanted("crc32")) {
		crc_init();
		for (int u = 0; u < UNIT_COUNT; u++)
			bench_measure("crc32", u, crc_iters, crc_probe);
		printf("bench: crc32 bytes=%lu value=0x%08lx\n", CRC_BYTES,
		       (unsigned long)crc_value());
	}

	if (wanted("ipi_round_trip")) {
		peer_start(hartid, ipi_peer);
		for (int u = 0; u < UNIT_COUNT; u++)
			bench_measure("ipi_round_trip", u, bench_iters, ipi_probe);
		peer_stop();
	}

	/* Natively each hart is a CPU of its own: there is nothing to switch. */
	if (!wanted("vcpu_switch")) {
	} else if (septa) {
		switch_start(hartid);
		bench_measure("vcpu_switch", UNIT_INSTRET, bench_iters, switch_probe);
		switch_stop();
	} else {
		bench_na("vcpu_switch", "no hypervisor, no vCPUs to switch");
	}

	printf("bench: done\n");
	return 0;
}
