/* A per-hart run queue: an intrusive circular list of runnable vCPUs, head
 * first. Pure logic, unit-tested on the host. */
#ifndef SEPTA_RUNQ_H
#define SEPTA_RUNQ_H

#include <stdbool.h>

struct runq_node {
	struct runq_node *next, *prev;
};

struct runq {
	struct runq_node head;
};

void runq_init(struct runq *q);
void runq_node_init(struct runq_node *n);
bool runq_queued(const struct runq_node *n);
/* Adding a node that is already queued moves it. */
void runq_push_back(struct runq *q, struct runq_node *n);
void runq_push_front(struct runq *q, struct runq_node *n);
void runq_remove(struct runq *q, struct runq_node *n);
/* The next to run, or NULL when the queue is empty. */
struct runq_node *runq_peek(const struct runq *q);

#endif
