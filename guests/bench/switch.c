/* The cost of one vCPU switch, in instructions: vCPU 0 and vCPU 1 share a
 * hart under septa, and instret counts that hart's instructions whichever
 * vCPU runs, so vCPU 0 reads it and sleeps in wfi while vCPU 1, runnable,
 * reads it as its first act when it gets the hart.  Under septa only. */
#include <stdint.h>
#include "bench.h"
#include "rt.h"

/* Guest instructions between the two instret reads that are not the switch:
 * vCPU 0's store of the sequence number before its wfi, and vCPU 1's load
 * and branch on it (probes.S, bench_switch_leave and bench_switch_enter). */
#define GUEST_INSNS 3
/* How far ahead vCPU 0's timer ends its wait.  Long enough for the switch,
 * vCPU 1's part and its own wfi even at -icount shift=7 (7812 instructions
 * a millisecond); the hart is idle for the rest, which under -icount
 * sleep=off costs no host time. */
#define ROUND_US 1000
/* The value of seq that tells vCPU 1 to stop. */
#define QUIT UINT64_MAX

/* Bumped by vCPU 0 just before its wfi; vCPU 1 spins on it. */
static volatile uint64_t seq;
/* vCPU 1's instret when it saw seq change, and the seq it saw (written
 * after the stamp, so vCPU 0 knows the stamp is this round's). */
static volatile uint64_t stamp, ack;

/* vCPU 1: sleeps with interrupts masked until vCPU 0's IPI makes it
 * runnable, then, when it next gets the hart, finds seq changed at once.
 * Sleeping instead of spinning between rounds keeps it out of the way of
 * vCPU 0's own part of the round. */
static void switch_peer(unsigned long hartid, void *arg)
{
	uint64_t seen = seq;

	(void)hartid;
	(void)arg;
	peer_up();
	for (;;) {
		/* The IPI that woke us: cleared, or our next wfi would not wait. */
		csr_clear(sip, SIP_SSIP);
		if (seen == QUIT)
			return;
		stamp = bench_switch_enter(&seq, seen);
		seen = seq;
		ack = seen;
	}
}

void switch_start(unsigned long boot_hart)
{
	seq = ack = 0;
	peer_start(boot_hart, switch_peer);
}

/*
 * One round: vCPU 1 is asleep.  The IPI makes it runnable, but vCPU 0, just
 * switched in, keeps the hart for septa's minimum run.  vCPU 0 then reads
 * instret, bumps seq and sleeps in wfi until its timer, with only the timer
 * enabled; septa switches to vCPU 1, which reads instret, and sleeps again,
 * and the hart is idle until vCPU 0's timer.
 */
uint64_t switch_probe(enum unit u)
{
	unsigned long sie = csr_read(sie);
	uint64_t before, deadline;

	if (u != UNIT_INSTRET)
		bench_fail("the vCPU switch is measured in instret only");
	rt_irq_disable();
	csr_write(sie, SIE_STIE);
	if (rt_send_ipi(peer_hart()))
		bench_fail("send_ipi to hart %lu", peer_hart());
	deadline = rt_time() + rt_ms_to_time(1) * ROUND_US / 1000;
	sbi_set_timer(deadline);
	bench_switch_leave(&seq, &before, deadline);
	sbi_set_timer(UINT64_MAX); /* clears the pending interrupt */
	csr_write(sie, sie);
	if (ack != seq)
		bench_fail("vcpu_switch: hart %lu did not run while hart %lu slept", peer_hart(),
			   rt_hartid());
	return stamp - before - GUEST_INSNS * bench_overhead[UNIT_INSTRET];
}

void switch_stop(void)
{
	seq = QUIT;
	peer_stop();
}
