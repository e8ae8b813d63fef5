/* Run queue: circular doubly linked list with a sentinel head. A node not on
 * any queue points at itself, so "is it queued" is one comparison. */
#include "runq.h"

#include <stddef.h>

void runq_init(struct runq *q)
{
	q->head.next = q->head.prev = &q->head;
}

void runq_node_init(struct runq_node *n)
{
	n->next = n->prev = n;
}

bool runq_queued(const struct runq_node *n)
{
	return n->next != n;
}

static void link_between(struct runq_node *n, struct runq_node *prev, struct runq_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

void runq_remove(struct runq *q, struct runq_node *n)
{
	(void)q; /* the list is doubly linked: the node knows its place */
	if (!runq_queued(n))
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	runq_node_init(n);
}

void runq_push_back(struct runq *q, struct runq_node *n)
{
	runq_remove(q, n);
	link_between(n, q->head.prev, &q->head);
}

void runq_push_front(struct runq *q, struct runq_node *n)
{
	runq_remove(q, n);
	link_between(n, &q->head, q->head.next);
}

struct runq_node *runq_peek(const struct runq *q)
{
	return q->head.next == &q->head ? NULL : q->head.next;
}
