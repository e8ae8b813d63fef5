/* A per-hart run queue: an intrusive circular doubly linked list of
 * runnable vCPUs with a sentinel head, head first. A node not on any queue
 * points at itself, so "is it queued" is one comparison. Pure logic,
 * unit-tested on the host. */
#ifndef SEPTA_RUNQ_H
#define SEPTA_RUNQ_H

#include <stdbool.h>
#include <stddef.h>

struct runq_node {
	struct runq_node *next, *prev;
};

struct runq {
	struct runq_node head;
};

/* All inline: the hart loop links and unlinks on every switch. */
static inline void runq_init(struct runq *q)
{
	q->head.next = q->head.prev = &q->head;
}

static inline void runq_node_init(struct runq_node *n)
{
	n->next = n->prev = n;
}

static inline bool runq_queued(const struct runq_node *n)
{
	return n->next != n;
}

static inline void runq_remove(struct runq *q, struct runq_node *n)
{
	(void)q; /* the list is doubly linked: the node knows its place */
	n->prev->next = n->next;
	n->next->prev = n->prev;
	runq_node_init(n); /* a node not queued points at itself: a no-op */
}

static inline void runq_link_between(struct runq_node *n, struct runq_node *prev,
				     struct runq_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

/* Adding a node that is already queued moves it. */
static inline void runq_push_back(struct runq *q, struct runq_node *n)
{
	runq_remove(q, n);
	runq_link_between(n, q->head.prev, &q->head);
}

static inline void runq_push_front(struct runq *q, struct runq_node *n)
{
	runq_remove(q, n);
	runq_link_between(n, &q->head, q->head.next);
}

/* The next to run, or NULL when the queue is empty. */
static inline struct runq_node *runq_peek(const struct runq *q)
{
	return q->head.next == &q->head ? NULL : q->head.next;
}

#endif
