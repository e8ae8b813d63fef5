/* The second vCPU (the other QEMU hart natively), started through SBI HSM
 * for the measures that need it and stopped after each, so it costs the
 * other measures nothing; and the IPI round trip to it: the boot hart sends
 * an IPI, the peer sleeps in wfi, wakes and sends one back, and the boot
 * hart times from before its send_ipi until it has taken the reply. */
#include <stdbool.h>
#include <stdint.h>
#include "bench.h"
#include "rt.h"

/* How long to wait for a start, a stop or a reply before calling it failed. */
#define TIMEOUT_MS 1000
/* How long to sleep between two polls of the peer's state.  Generous: at
 * -icount shift=7 a millisecond is under 8000 instructions, and a nap
 * shorter than a vCPU switch would leave the peer no time to run at all. */
#define NAP_US 1000

static unsigned long boot, peer;
static int peer_quit;
static volatile bool timed_out;

static void on_watchdog(void)
{
	timed_out = true;
}

unsigned long peer_hart(void)
{
	return peer;
}

void peer_up(void)
{
	rt_ipi_handler(NULL);
	if (rt_send_ipi(boot))
		bench_fail("send_ipi from hart %lu to hart %lu", peer, boot);
}

/* The round trip's peer answers every IPI with one back until told to
 * quit; returning stops it (HSM hart_stop). */
void ipi_peer(unsigned long hartid, void *arg)
{
	unsigned long seen = 0;

	(void)hartid;
	(void)arg;
	peer_up();
	for (;;) {
		seen = rt_wait_ipi(seen, &timed_out);
		if (__atomic_load_n(&peer_quit, __ATOMIC_ACQUIRE))
			return;
		if (rt_send_ipi(boot))
			bench_fail("send_ipi from hart %lu to hart %lu", peer, boot);
	}
}

/* Polls the peer's HSM state until it is `want`, for at most TIMEOUT_MS. */
static void wait_status(long want, const char *what)
{
	uint64_t end = rt_time() + rt_ms_to_time(TIMEOUT_MS);
	long status;

	for (;;) {
		status = rt_hart_status(peer);
		if (status == want)
			return;
		if (rt_time() >= end)
			break;
		rt_nap_us(NAP_US);
	}
	bench_fail("hart %lu did not %s: hart_get_status %ld", peer, what, status);
}

/* Starts the peer and waits, asleep, for its first IPI: polling instead
 * would take the turn from the peer (see rt_nap_us). */
void peer_start(unsigned long boot_hart, rt_hart_fn fn)
{
	unsigned long seen;
	long rc;

	boot = boot_hart;
	peer = boot_hart == 0 ? 1 : 0;
	__atomic_store_n(&peer_quit, 0, __ATOMIC_RELEASE);
	rt_ipi_handler(NULL);
	seen = rt_ipis_taken();
	timed_out = false;
	rt_timer_arm(rt_time() + rt_ms_to_time(TIMEOUT_MS), on_watchdog);
	rc = rt_hart_start(peer, fn, NULL);
	if (rc)
		bench_fail("hart_start of hart %lu: error %ld (two harts needed: natively -smp 2)",
			   peer, rc);
	if (rt_wait_ipi(seen, &timed_out) == seen)
		bench_fail("hart %lu started but never sent its first IPI", peer);
	rt_timer_cancel();
}

uint64_t ipi_probe(enum unit u)
{
	unsigned long seen = rt_ipis_taken();
	uint64_t t0, t1;

	/* A watchdog outside the timed window: without it a lost IPI would
	 * hang QEMU for good under -icount sleep=off. */
	timed_out = false;
	rt_timer_arm(rt_time() + rt_ms_to_time(TIMEOUT_MS), on_watchdog);
	t0 = bench_read(u);
	if (rt_send_ipi(peer))
		bench_fail("send_ipi to hart %lu", peer);
	if (rt_wait_ipi(seen, &timed_out) == seen)
		bench_fail("no reply from hart %lu", peer);
	t1 = bench_read(u);
	rt_timer_cancel();
	return t1 - t0;
}

void peer_stop(void)
{
	__atomic_store_n(&peer_quit, 1, __ATOMIC_RELEASE);
	if (rt_send_ipi(peer))
		bench_fail("send_ipi to hart %lu", peer);
	wait_status(SBI_HSM_STOPPED, "stop");
}
