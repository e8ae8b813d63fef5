/* The virtual PLIC's gateways, claim/complete arbitration and register
 * decoding. Sources are bits of 32-bit masks, so one word covers them all. */
#include "vplic.h"

#include <string.h>

#include "hv.h"

_Static_assert(VPLIC_SOURCES <= 32, "source masks are one 32-bit word");

/* Bit 0 is source 0, which does not exist. */
#define SOURCE_MASK ((uint32_t)(((uint64_t)1 << VPLIC_SOURCES) - 2))

static uint32_t bit(unsigned src)
{
	return (uint32_t)1 << src;
}

void vplic_init(struct vplic *p)
{
	memset(p, 0, sizeof(*p));
}

/* The source the context would claim now, or 0. Priority must be strictly
 * above the threshold, so priority 0 never interrupts and threshold 7
 * masks everything. Scanning up with a strict ">" keeps the lowest id on a
 * tie. */
static unsigned best_source(const struct vplic *p, unsigned ctx)
{
	uint32_t ready = p->pending & p->enable[ctx] & ~bit(0);
	unsigned best = 0;
	unsigned best_prio = p->threshold[ctx];

	/* Asked on every interrupt check of every vCPU: stop after the
	 * highest ready source (at once when none is). */
	for (unsigned src = 1; src < VPLIC_SOURCES && (ready >> src); src++) {
		if ((ready & bit(src)) && p->priority[src] > best_prio) {
			best = src;
			best_prio = p->priority[src];
		}
	}
	return best;
}

/* A claim closes the source's gateway until its completion: a level that
 * stays high, or a raise meanwhile, makes no second request before it (a
 * raise is remembered for the completion, see vplic_raise()). */
static uint32_t claim(struct vplic *p, unsigned ctx)
{
	unsigned src = best_source(p, ctx);

	if (src) {
		p->pending &= ~bit(src);
		p->claimed |= bit(src);
	}
	return src;
}

static void complete(struct vplic *p, unsigned ctx, uint32_t src)
{
	/* The spec does not check the id against the last claim, only that the
	 * source is enabled for this context; anything else is ignored. */
	if (src == 0 || src >= VPLIC_SOURCES || !(p->enable[ctx] & bit(src)))
		return;
	/* Only a claimed source's completion is passed on: one physical
	 * completion per request the guest took. */
	if (p->claimed & bit(src))
		p->completed |= bit(src);
	p->claimed &= ~bit(src);
	/* The gateway is open again: a line still high, or an edge that came
	 * during service, is a new request. */
	if ((p->level | p->raised) & bit(src))
		p->pending |= bit(src);
	p->raised &= ~bit(src);
}

void vplic_set_level(struct vplic *p, unsigned src, bool level)
{
	if (src == 0 || src >= VPLIC_SOURCES)
		return;
	if (!level) {
		/* A forwarded request is not withdrawn (see vplic.h). */
		p->level &= ~bit(src);
		return;
	}
	p->level |= bit(src);
	if (!(p->claimed & bit(src)))
		p->pending |= bit(src);
}

void vplic_raise(struct vplic *p, unsigned src)
{
	if (src == 0 || src >= VPLIC_SOURCES)
		return;
	if (p->claimed & bit(src))
		p->raised |= bit(src);
	else
		p->pending |= bit(src);
}

uint32_t vplic_take_completed(struct vplic *p)
{
	uint32_t done = p->completed;

	p->completed = 0;
	return done;
}

bool vplic_ctx_pending(const struct vplic *p, unsigned ctx)
{
	return ctx < VPLIC_CONTEXTS && best_source(p, ctx) != 0;
}

/* Which register an offset names. */
enum reg_kind { REG_NONE, REG_PRIORITY, REG_PENDING, REG_ENABLE, REG_THRESHOLD, REG_CLAIM };

/* Every register is one aligned 32-bit word; an offset that names none is
 * HV_EINVAL, an access fault to the guest, as on a real PLIC's holes. */
static enum reg_kind decode(uint64_t off, unsigned *index)
{
	if (off & 3)
		return REG_NONE;
	if (off < VPLIC_PRIORITY_BASE + 4 * VPLIC_SOURCES) {
		*index = (unsigned)(off / 4);
		return REG_PRIORITY;
	}
	if (off == VPLIC_PENDING_BASE)
		return REG_PENDING;
	/* Only the first enable word of each context exists: 32 sources. */
	if (off >= VPLIC_ENABLE_BASE &&
	    off < VPLIC_ENABLE_BASE + VPLIC_ENABLE_STRIDE * VPLIC_CONTEXTS) {
		uint64_t rel = off - VPLIC_ENABLE_BASE;

		if (rel % VPLIC_ENABLE_STRIDE)
			return REG_NONE;
		*index = (unsigned)(rel / VPLIC_ENABLE_STRIDE);
		return REG_ENABLE;
	}
	if (off >= VPLIC_CONTEXT_BASE &&
	    off < VPLIC_CONTEXT_BASE + VPLIC_CONTEXT_STRIDE * VPLIC_CONTEXTS) {
		uint64_t rel = off - VPLIC_CONTEXT_BASE;

		*index = (unsigned)(rel / VPLIC_CONTEXT_STRIDE);
		switch (rel % VPLIC_CONTEXT_STRIDE) {
		case VPLIC_THRESHOLD:
			return REG_THRESHOLD;
		case VPLIC_CLAIM:
			return REG_CLAIM;
		default:
			return REG_NONE;
		}
	}
	return REG_NONE;
}

int vplic_read(struct vplic *p, uint64_t offset, uint32_t *value)
{
	unsigned i = 0;

	switch (decode(offset, &i)) {
	case REG_PRIORITY:
		*value = p->priority[i]; /* source 0 stays 0 */
		return 0;
	case REG_PENDING:
		*value = p->pending;
		return 0;
	case REG_ENABLE:
		*value = p->enable[i];
		return 0;
	case REG_THRESHOLD:
		*value = p->threshold[i];
		return 0;
	case REG_CLAIM:
		*value = claim(p, i);
		return 0;
	default:
		return HV_EINVAL;
	}
}

int vplic_write(struct vplic *p, uint64_t offset, uint32_t value)
{
	unsigned i = 0;

	switch (decode(offset, &i)) {
	case REG_PRIORITY:
		/* WARL: keep the implemented low bits; source 0 has none. */
		if (i)
			p->priority[i] = (uint8_t)(value & VPLIC_PRIO_MAX);
		return 0;
	case REG_PENDING:
		return 0; /* read-only: pending bits change only by gateway and claim */
	case REG_ENABLE:
		p->enable[i] = value & SOURCE_MASK;
		return 0;
	case REG_THRESHOLD:
		p->threshold[i] = (uint8_t)(value & VPLIC_PRIO_MAX);
		return 0;
	case REG_CLAIM:
		complete(p, i, value);
		return 0;
	default:
		return HV_EINVAL;
	}
}
