/* A hart's deadline list: every duty that is due at a time (a guest's timer,
 * a restart's back-off, a fence's limit, the console poll) is one entry,
 * owned by the module that arms it. Each list belongs to one hart and only
 * that hart touches it, so there are no locks. Pure logic, unit-tested. */
#ifndef SEPTA_DEADLINE_H
#define SEPTA_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

#define DEADLINE_NONE UINT64_MAX

struct deadline {
	uint64_t when; /* DEADLINE_NONE while not on a list */
	/* Called on the list's hart once `when` has come, after the entry
	 * left the list: it may arm itself again. */
	void (*fire)(struct deadline *d, uint64_t now);
	struct deadline *next;
};

/* Sorted by `when`, earliest first; equal times fire in arming order. */
struct deadline_list {
	struct deadline *first;
};

void deadline_init(struct deadline *d, void (*fire)(struct deadline *d, uint64_t now));
/* Puts d on l at `when`, moving it if it was already there; DEADLINE_NONE
 * takes it off. */
void deadline_arm(struct deadline_list *l, struct deadline *d, uint64_t when);
void deadline_cancel(struct deadline_list *l, struct deadline *d);
/* deadline_run_due()'s work, when something is due. */
void deadline_fire_due(struct deadline_list *l, uint64_t now);

static inline bool deadline_armed(const struct deadline *d)
{
	return d->when != DEADLINE_NONE;
}

/* Fires, in order, every entry due at `now` (including ones a fire arms
 * for a time already come). Inline: the hart loop asks on every pass, and
 * mostly nothing is due. */
static inline void deadline_run_due(struct deadline_list *l, uint64_t now)
{
	if (l->first && l->first->when <= now)
		deadline_fire_due(l, now);
}

/* The earliest time on the list, or DEADLINE_NONE. */
static inline uint64_t deadline_next(const struct deadline_list *l)
{
	return l->first ? l->first->when : DEADLINE_NONE;
}

#endif
