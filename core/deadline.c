/* A hart's deadline list: a singly linked list kept sorted. A hart has a few
 * entries per vCPU at most, so a walk to insert costs less than a heap. */
#include "deadline.h"

#include <stddef.h>

void deadline_init(struct deadline *d, void (*fire)(struct deadline *d, uint64_t now))
{
	d->when = DEADLINE_NONE;
	d->fire = fire;
	d->next = NULL;
}

void deadline_cancel(struct deadline_list *l, struct deadline *d)
{
	if (!deadline_armed(d))
		return;
	for (struct deadline **p = &l->first; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	d->when = DEADLINE_NONE;
	d->next = NULL;
}

void deadline_arm(struct deadline_list *l, struct deadline *d, uint64_t when)
{
	if (d->when == when)
		return; /* the common case: the guest left its timer alone */
	deadline_cancel(l, d);
	if (when == DEADLINE_NONE)
		return;
	struct deadline **p = &l->first;

	/* After every entry due no later: equal times keep arming order. */
	while (*p && (*p)->when <= when)
		p = &(*p)->next;
	d->when = when;
	d->next = *p;
	*p = d;
}

void deadline_fire_due(struct deadline_list *l, uint64_t now)
{
	struct deadline *d;

	while ((d = l->first) && d->when <= now) {
		l->first = d->next;
		d->when = DEADLINE_NONE;
		d->next = NULL;
		d->fire(d, now);
	}
}
