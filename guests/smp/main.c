/* smp: a two-vCPU guest.  vCPU 0 starts vCPU 1 through SBI HSM, then the two
 * play IPI ping-pong for ROUNDS rounds, timing each round trip; then vCPU 0
 * checks the remote fences and a send_ipi to a hart it does not have, stops
 * vCPU 1 and shuts down.  Any failure prints "smp: FAIL <what>". */
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include "rt.h"

#define ROUNDS 32
/* How long to wait for a reply, a start or a stop before calling it failed. */
#define TIMEOUT_MS 1000
/* Between two polls of the peer (see rt_nap_us). */
#define NAP_US 1000
/* A hart id the guest does not have (septa: vcpus = 2; natively: -smp 2). */
#define ABSENT_HART 5

const char rt_guest_name[] = "smp";

static unsigned long boot_hart, peer_hart;
/* Pings the peer has answered, and the peer's flags. */
static int counter, peer_up, peer_quit;
/* Set by the boot hart's watchdog timer. */
static volatile bool timed_out;
static int main_entered;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("smp: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	rt_exit();
}

static void on_watchdog(void)
{
	timed_out = true;
}

/* vCPU 1: answer every IPI by counting it and sending one back, until told
 * to quit; returning stops this hart (HSM hart_stop). */
static void peer_main(unsigned long hartid, void *arg)
{
	unsigned long seen = 0;

	(void)arg;
	printf("smp: vcpu %lu up\n", hartid);
	rt_ipi_handler(NULL);
	__atomic_store_n(&peer_up, 1, __ATOMIC_RELEASE);
	for (;;) {
		seen = rt_wait_ipi(seen, &timed_out);
		if (__atomic_load_n(&peer_quit, __ATOMIC_ACQUIRE))
			return;
		__atomic_fetch_add(&counter, 1, __ATOMIC_ACQ_REL);
		if (rt_send_ipi(boot_hart))
			fail("send_ipi from vcpu %lu to vcpu %lu", hartid, boot_hart);
	}
}

/* Polls the peer's HSM state until it is `want`, accepting the states in
 * the mask `passing` (bit n: state n) on the way, for at most TIMEOUT_MS. */
static void wait_status(long want, unsigned long passing, const char *what)
{
	uint64_t end = rt_time() + rt_ms_to_time(TIMEOUT_MS);
	long status;

	do {
		status = rt_hart_status(peer_hart);
		if (status == want)
			return;
		if (status < 0 || !(passing & 1UL << status))
			break;
		rt_nap_us(NAP_US);
	} while (rt_time() < end);
	fail("vcpu %lu did not %s: hart_get_status %ld", peer_hart, what, status);
}

static void start_peer(void)
{
	long status = rt_hart_status(peer_hart), rc;

	if (status != SBI_HSM_STOPPED)
		fail("vcpu %lu not STOPPED before hart_start: hart_get_status %ld", peer_hart,
		     status);
	rc = rt_hart_start(peer_hart, peer_main, NULL);
	if (rc)
		fail("hart_start of vcpu %lu: error %ld", peer_hart, rc);
	wait_status(SBI_HSM_STARTED, 1UL << SBI_HSM_START_PENDING, "start");

	uint64_t end = rt_time() + rt_ms_to_time(TIMEOUT_MS);

	while (!__atomic_load_n(&peer_up, __ATOMIC_ACQUIRE)) {
		if (rt_time() >= end)
			fail("vcpu %lu STARTED but never ran its function", peer_hart);
		rt_nap_us(NAP_US);
	}
}

/* ROUNDS round trips boot hart -> peer -> boot hart, each timed. */
static void ping_pong(void)
{
	unsigned long seen = 0;
	uint64_t min = UINT64_MAX, max = 0;

	rt_ipi_handler(NULL);
	for (int round = 1; round <= ROUNDS; round++) {
		uint64_t t0, t1;
		long rc;

		timed_out = false;
		rt_timer_arm(rt_time() + rt_ms_to_time(TIMEOUT_MS), on_watchdog);
		t0 = rt_time();
		rc = rt_send_ipi(peer_hart);
		if (rc)
			fail("send_ipi to vcpu %lu: error %ld", peer_hart, rc);
		if (rt_wait_ipi(seen, &timed_out) == seen)
			fail("no reply from vcpu %lu in round %d", peer_hart, round);
		t1 = rt_time();
		rt_timer_cancel();
		seen = rt_ipis_taken();
		int count = __atomic_load_n(&counter, __ATOMIC_ACQUIRE);

		if (count != round)
			fail("counter %d after round %d", count, round);
		if (t1 - t0 < min)
			min = t1 - t0;
		if (t1 - t0 > max)
			max = t1 - t0;
	}
	printf("smp: %d rounds ok, round trip min %lu max %lu us\n", ROUNDS,
	       (unsigned long)rt_time_to_us(min), (unsigned long)rt_time_to_us(max));
}

static void check_sbi_errors(void)
{
	struct sbiret ret;

	ret = sbi_remote_fence_i(1, peer_hart);
	if (ret.error)
		fail("remote_fence_i to vcpu %lu: error %ld", peer_hart, ret.error);
	/* start 0, size 0: the whole address space. */
	ret = sbi_remote_sfence_vma(1, peer_hart, 0, 0);
	if (ret.error)
		fail("remote_sfence_vma to vcpu %lu: error %ld", peer_hart, ret.error);
	ret = sbi_send_ipi(1, ABSENT_HART);
	if (ret.error != SBI_ERR_INVALID_PARAM)
		fail("send_ipi to absent hart %d: error %ld, expected %d", ABSENT_HART, ret.error,
		     SBI_ERR_INVALID_PARAM);
}

static void stop_peer(void)
{
	long rc;

	__atomic_store_n(&peer_quit, 1, __ATOMIC_RELEASE);
	rc = rt_send_ipi(peer_hart);
	if (rc)
		fail("send_ipi to vcpu %lu: error %ld", peer_hart, rc);
	/* The peer may still be on its way to hart_stop. */
	wait_status(SBI_HSM_STOPPED, 1UL << SBI_HSM_STARTED | 1UL << SBI_HSM_STOP_PENDING, "stop");
}

int main(unsigned long hartid, const void *fdt)
{
	int rc;

	/* Under HSM only the boot hart enters at the image entry; the others
	 * wait STOPPED for hart_start. */
	if (__atomic_exchange_n(&main_entered, 1, __ATOMIC_ACQ_REL))
		fail("vcpu %lu entered at the boot entry, not through hart_start", hartid);
	rc = rt_timer_init(fdt);
	if (rc)
		fail("cannot read timebase from device tree: %s", fdt_strerror(rc));
	/* vCPU 0 under septa; natively, whichever hart OpenSBI booted. */
	boot_hart = hartid;
	peer_hart = hartid == 0 ? 1 : 0;
	printf("smp: vcpu %lu up\n", hartid);

	start_peer();
	ping_pong();
	check_sbi_errors();
	stop_peer();
	printf("smp: done\n");
	return 0;
}
