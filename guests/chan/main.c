/* chan: two members of a channel ([channel NAME] in the config) pass
 * numbered messages both ways through rings in its shared memory, each
 * ringing the other's doorbell (septa's SBI extension) and sleeping in wfi
 * for its own; a third, not a member, peeks at the window and must fault.
 *
 *   chan: channel@a0000000 label ring compatible septa,channel reg
 *         0xa0000000+0x2000 interrupt 31 member 0 of 2 rw
 *   chan: member 0: sent 1000, received 1000 in order, 57 doorbells
 *
 * bootargs peek=ADDR: rings channel 0's doorbell as a stranger (septa must
 * refuse it), then reads ADDR without asking the device tree.
 * bootargs poke: a member that may only read its channel writes to it.
 * bootargs poll: the messages without doorbells, for a peer that cannot
 * ring (Linux's /init, from user space): it spins on the indexes, and waits
 * POLL_GIVE_UP_S for a peer that is still booting.
 * bootargs bench: instead of messages, member 0 times ROUND_TRIPS doorbell
 * round trips (it rings, member 1 wakes from wfi and rings back):
 *
 *   chan: doorbell round trip n=200 min=41000 median=52000 max=90000 ns
 *
 * then streams STREAM_BYTES one way through a ring of STREAM_SLOTS slots in
 * the channel (member 0 fills slots and rings, member 1 checks every word,
 * frees the slots and rings back for room), timed by member 0 from its
 * first slot to the ring that frees its last:
 *
 *   chan: channel throughput bytes=262144 ns=1291500 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

#define CHAN_EID       0x0943484eUL /* SEPTA_CHAN_EID: fid 0 = ring(channel, member) */
#define MESSAGES       1000u
#define SLOTS	       32u /* small, so each side also waits for room */
#define GIVE_UP_S      20u
#define POLL_GIVE_UP_S 300u
#define ROUND_TRIPS    200u
/* The stream: slots big enough that a doorbell carries a useful batch, as
 * many as fit in a 4 KiB channel beside the indexes. */
#define STREAM_BYTES (256u << 10)
#define SLOT_BYTES   256u
#define STREAM_SLOTS 15u

/* PLIC registers (SiFive layout), as offsets from its base. */
#define PLIC_PRIO(src)	 (4 * (uintptr_t)(src))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (uintptr_t)(ctx))
#define PLIC_THRESH(ctx) (0x200000 + 0x1000 * (uintptr_t)(ctx))
#define PLIC_CLAIM(ctx)	 (PLIC_THRESH(ctx) + 4)

const char rt_guest_name[] = "chan";

/* One direction: member m produces into ring m. head is written by the
 * producer only, tail by the consumer only, each on its own cache line. */
struct msg {
	uint32_t seq, check;
};
struct ring {
	volatile uint32_t head;
	uint32_t pad0[15];
	volatile uint32_t tail;
	uint32_t pad1[15];
	struct msg slot[SLOTS];
};

/* The stream's ring: indexes count slots, never wrap in a run. */
struct stream {
	volatile uint32_t head;
	uint32_t pad0[15];
	volatile uint32_t tail;
	uint32_t pad1[15];
	uint64_t slot[STREAM_SLOTS][SLOT_BYTES / 8];
};
_Static_assert(sizeof(struct stream) <= 4096, "the stream must fit a 4 KiB channel");

static uint32_t check_of(uint32_t seq)
{
	return seq * 2654435761u ^ 0x5e9a;
}

static uintptr_t claim_reg;
static uint32_t bell_irq;
static volatile unsigned long bells;

/* The doorbell is a request per ring, not a level: claim and complete
 * until nothing is left. */
static void on_bell(void)
{
	uint32_t src;

	while ((src = *(volatile uint32_t *)claim_reg) != 0) {
		if (src == bell_irq)
			bells++;
		else
			printf("chan: unexpected interrupt %u\n", (unsigned)src);
		*(volatile uint32_t *)claim_reg = src;
	}
}

static void give_up_wake(void)
{
}

static uint64_t reg_of(const void *fdt, int node, const char *prop, int cell)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p || len < 4 * (cell + 1))
		return ~0ULL;
	return fdt32_ld(p + cell);
}

static uint64_t reg64(const void *fdt, int node, int idx)
{
	return reg_of(fdt, node, "reg", 2 * idx) << 32 | reg_of(fdt, node, "reg", 2 * idx + 1);
}

static void ring_bell(uint32_t channel, uint32_t member)
{
	struct sbiret r = sbi_ecall(CHAN_EID, 0, channel, member, 0);

	if (r.error)
		printf("chan: ring(%u, %u) failed: %ld\n", channel, member, r.error);
}

static int exchange(uintptr_t base, uint64_t size, uint32_t channel, uint32_t me, bool poll)
{
	struct ring *out = (struct ring *)(base + me * (size / 2));
	struct ring *in = (struct ring *)(base + (1 - me) * (size / 2));
	uint32_t peer = 1 - me, sent = 0, got = 0;
	uint64_t give_up = rt_time() + rt_ms_to_time((poll ? POLL_GIVE_UP_S : GIVE_UP_S) * 1000ULL);

	rt_timer_arm(give_up, give_up_wake);
	while (sent < MESSAGES || got < MESSAGES) {
		bool pushed = false, popped = false;

		while (sent < MESSAGES && out->head - out->tail < SLOTS) {
			uint32_t h = out->head;

			out->slot[h % SLOTS] = (struct msg){sent + 1, check_of(sent + 1)};
			__asm__ volatile("fence w, w" ::: "memory");
			out->head = h + 1;
			sent++;
			pushed = true;
		}
		if (pushed && !poll)
			ring_bell(channel, peer);
		while (in->tail != in->head) {
			__asm__ volatile("fence r, r" ::: "memory");
			uint32_t t = in->tail;
			struct msg msg = in->slot[t % SLOTS];

			if (msg.seq != got + 1 || msg.check != check_of(msg.seq)) {
				printf("chan: member %u: message %u out of order or broken: seq %u "
				       "check 0x%x\n",
				       me, got + 1, msg.seq, msg.check);
				return 1;
			}
			__asm__ volatile("fence rw, w" ::: "memory");
			in->tail = t + 1;
			got++;
			popped = true;
		}
		/* The peer may be waiting for room. */
		if (popped && !poll)
			ring_bell(channel, peer);
		if (pushed || popped || (poll && rt_time() < give_up))
			continue;
		if (rt_time() >= give_up) {
			printf("chan: member %u: stuck after sending %u and receiving %u\n", me,
			       sent, got);
			return 1;
		}
		/* Nothing to do: sleep. A doorbell that came since the checks
		 * is still pending in the PLIC (unclaimed), so wfi returns. */
		rt_irq_disable();
		rt_wfi();
		rt_irq_enable();
		rt_irq_disable();
	}
	rt_timer_cancel();
	printf("chan: member %u: sent %u, received %u in order, %lu doorbells\n", me, sent, got,
	       bells);
	return 0;
}

/* Sleeps until a doorbell after the first `seen` has been taken, or the
 * give-up timer fired; false then. */
static bool wait_bell(unsigned long seen, uint64_t give_up)
{
	rt_irq_disable();
	while (bells == seen && rt_time() < give_up) {
		rt_wfi();
		rt_irq_enable();
		rt_irq_disable();
	}
	return bells != seen;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Member 1 echoes every ring; member 0 times ring -> ring back. A ring
 * that comes before the peer enabled its source stays pending, so the
 * first round trip is not lost to start-up order. */
static int round_trips(uint32_t channel, uint32_t me)
{
	static uint64_t ns[ROUND_TRIPS];
	uint64_t give_up = rt_time() + rt_ms_to_time(GIVE_UP_S * 1000ULL);

	rt_timer_arm(give_up, give_up_wake);
	for (unsigned i = 0; i < ROUND_TRIPS; i++) {
		unsigned long seen = bells;
		uint64_t t0 = rt_time();

		if (me == 0)
			ring_bell(channel, 1);
		if (!wait_bell(seen, give_up)) {
			printf("chan: member %u: no doorbell in round trip %u\n", me, i + 1);
			return 1;
		}
		if (me == 1)
			ring_bell(channel, 0);
		/* Ticks -> ns without overflow for any sane round trip. */
		ns[i] = rt_time_to_us((rt_time() - t0) * 1000);
	}
	rt_timer_cancel();
	if (me == 0) {
		qsort(ns, ROUND_TRIPS, sizeof ns[0], cmp_u64);
		printf("chan: doorbell round trip n=%u min=%llu median=%llu max=%llu ns\n",
		       ROUND_TRIPS, (unsigned long long)ns[0],
		       (unsigned long long)ns[ROUND_TRIPS / 2],
		       (unsigned long long)ns[ROUND_TRIPS - 1]);
	} else {
		printf("chan: member 1: answered %u rings\n", ROUND_TRIPS);
	}
	return 0;
}

/* Word w of the stream: a value the receiver can check without a copy of
 * what was sent. */
static uint64_t word_of(uint32_t w)
{
	return w * 0x9e3779b97f4a7c15ULL;
}

/* Sleeps until a doorbell is pending, then takes it. Interrupts are off
 * between the caller's checks and the wfi: a doorbell that came since is
 * still unclaimed in the PLIC, so wfi returns. */
static void doze(void)
{
	rt_wfi();
	rt_irq_enable();
	rt_irq_disable();
}

/* Member 0 sends STREAM_BYTES through the ring at base, member 1 receives
 * and checks them; each rings the other when it moved something. */
static int stream(uintptr_t base, uint32_t channel, uint32_t me)
{
	struct stream *s = (struct stream *)base;
	const uint32_t total = STREAM_BYTES / SLOT_BYTES, words = SLOT_BYTES / 8;
	uint64_t give_up = rt_time() + rt_ms_to_time(GIVE_UP_S * 1000ULL);
	uint64_t t0 = rt_time();
	uint32_t moved = 0;

	rt_timer_arm(give_up, give_up_wake);
	rt_irq_disable();
	/* The sender is done when the receiver freed the last slot. */
	while (me == 0 ? s->tail < total : moved < total) {
		bool any = false;

		if (me == 0) {
			while (moved < total && moved - s->tail < STREAM_SLOTS) {
				uint64_t *d = s->slot[moved % STREAM_SLOTS];

				for (uint32_t w = 0; w < words; w++)
					d[w] = word_of(moved * words + w);
				moved++;
				any = true;
			}
			__asm__ volatile("fence w, w" ::: "memory");
			s->head = moved;
		} else {
			uint32_t h = s->head;

			__asm__ volatile("fence r, r" ::: "memory");
			for (; moved < h; moved++, any = true) {
				const uint64_t *d = s->slot[moved % STREAM_SLOTS];

				for (uint32_t w = 0; w < words; w++) {
					if (d[w] != word_of(moved * words + w)) {
						printf("chan: member 1: stream word %u broken\n",
						       (unsigned)(moved * words + w));
						return 1;
					}
				}
			}
			__asm__ volatile("fence rw, w" ::: "memory");
			s->tail = moved;
		}
		if (any) {
			ring_bell(channel, 1 - me);
			continue;
		}
		if (rt_time() >= give_up) {
			printf("chan: member %u: stream stuck at slot %u\n", me, moved);
			return 1;
		}
		doze();
	}
	uint64_t ns = rt_time_to_us((rt_time() - t0) * 1000);

	rt_timer_cancel();
	if (me == 0)
		printf("chan: channel throughput bytes=%u ns=%llu\n", STREAM_BYTES,
		       (unsigned long long)ns);
	else
		printf("chan: member 1: received %u bytes intact\n", STREAM_BYTES);
	return 0;
}

int main(unsigned long hartid, const void *fdt)
{
	const char *peek = strstr(rt_bootargs(fdt), "peek=");
	int rc;

	if ((rc = rt_timer_init(fdt))) {
		printf("chan: cannot read timebase: %s\n", fdt_strerror(rc));
		return 1;
	}
	if (peek) {
		uintptr_t a = (uintptr_t)strtoul(peek + strlen("peek="), NULL, 0);

		struct sbiret r = sbi_ecall(CHAN_EID, 0, 0, 0, 0);

		printf("chan: ring(0, 0) as a stranger: error %ld\n", r.error);
		printf("chan: peeking at 0x%lx, which my device tree does not give me\n",
		       (unsigned long)a);
		fflush(stdout);
		printf("chan: read 0x%x: isolation is broken\n", *(volatile uint32_t *)a);
		return 1;
	}
	int node = fdt_node_offset_by_compatible(fdt, -1, "septa,channel");
	if (node < 0) {
		printf("chan: no channel in my device tree\n");
		return 0;
	}
	uintptr_t base = (uintptr_t)reg64(fdt, node, 0);
	uint64_t size = reg64(fdt, node, 1);
	const char *label = fdt_getprop(fdt, node, "label", NULL);
	uint32_t irq = (uint32_t)reg_of(fdt, node, "interrupts", 0);
	uint32_t channel = (uint32_t)reg_of(fdt, node, "septa,channel", 0);
	uint32_t me = (uint32_t)reg_of(fdt, node, "septa,member", 0);
	uint32_t members = (uint32_t)reg_of(fdt, node, "septa,members", 0);
	bool ro = fdt_getprop(fdt, node, "read-only", NULL) != NULL;
	int parent =
	    fdt_node_offset_by_phandle(fdt, (uint32_t)reg_of(fdt, node, "interrupt-parent", 0));
	const char *pcompat = parent >= 0 ? fdt_getprop(fdt, parent, "compatible", NULL) : NULL;

	printf("chan: %s label %s compatible %s reg 0x%lx+0x%llx interrupt %u parent %s "
	       "channel %u member %u of %u %s\n",
	       fdt_get_name(fdt, node, NULL), label ? label : "?",
	       (const char *)fdt_getprop(fdt, node, "compatible", NULL), (unsigned long)base,
	       (unsigned long long)size, irq, pcompat ? pcompat : "?", channel, me, members,
	       ro ? "ro" : "rw");
	if (ro && strstr(rt_bootargs(fdt), "poke")) {
		printf("chan: writing to my read-only channel\n");
		fflush(stdout);
		*(volatile uint32_t *)base = 1;
		printf("chan: wrote it: isolation is broken\n");
		return 1;
	}
	if (members != 2 || me > 1 || ro || parent < 0) {
		printf("chan: need a writable channel of two members\n");
		return 1;
	}
	uintptr_t plic = (uintptr_t)reg64(fdt, parent, 0), ctx = 2 * hartid + 1;

	bell_irq = irq;
	claim_reg = plic + PLIC_CLAIM(ctx);
	*(volatile uint32_t *)(plic + PLIC_PRIO(irq)) = 1;
	*(volatile uint32_t *)(plic + PLIC_ENABLE(ctx)) = 1u << irq;
	*(volatile uint32_t *)(plic + PLIC_THRESH(ctx)) = 0;
	rt_ext_irq_handler(on_bell);
	if (strstr(rt_bootargs(fdt), "bench")) {
		if (size < sizeof(struct stream)) {
			printf("chan: the stream needs a channel of 4 KiB\n");
			return 1;
		}
		return round_trips(channel, me) || stream(base, channel, me);
	}
	return exchange(base, size, channel, me, strstr(rt_bootargs(fdt), "poll") != NULL);
}
