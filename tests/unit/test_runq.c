/* Unit tests of the per-hart run queue (core/include/runq.h, all inline):
 * round-robin order, wake-to-front, removal anywhere, moving a queued node, and removing one
 * that is not queued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "runq.h"

#define NNODES 5

static struct runq q;
static struct runq_node n[NNODES];

static int setup(void **state)
{
	(void)state;
	runq_init(&q);
	for (int i = 0; i < NNODES; i++)
		runq_node_init(&n[i]);
	return 0;
}

static int idx(const struct runq_node *p)
{
	return p ? (int)(p - n) : -1;
}

/* One round-robin step as the scheduler takes it: the head to the back. */
static void rotate(void)
{
	struct runq_node *h = runq_peek(&q);

	if (h)
		runq_push_back(&q, h);
}

/* Checks the queue holds exactly the nodes named in want (indexes into n[],
 * head first, ended by -1): forward and backward links agree, and every
 * listed node says it is queued. */
static void expect_order(const int *want)
{
	const struct runq_node *p = &q.head;
	unsigned len = 0;

	for (; want[len] >= 0; len++) {
		assert_ptr_equal(p->next->prev, p);
		p = p->next;
		assert_int_equal(idx(p), want[len]);
		assert_true(runq_queued(p));
	}
	assert_ptr_equal(p->next, &q.head);
	assert_ptr_equal(q.head.prev, p);
	assert_int_equal(idx(runq_peek(&q)), want[0]);
}

static void empty_queue(void **state)
{
	(void)state;
	assert_null(runq_peek(&q));
	rotate();
	assert_null(runq_peek(&q));
	assert_ptr_equal(q.head.next, &q.head);
	assert_ptr_equal(q.head.prev, &q.head);
	assert_false(runq_queued(&n[0]));
}

static void round_robin_over_rotations(void **state)
{
	static const int seq[] = {0, 1, 2, 3};

	(void)state;
	for (int i = 0; i < 4; i++)
		runq_push_back(&q, &n[i]);
	expect_order((const int[]){0, 1, 2, 3, -1});
	/* Three full rotations: the head walks 0,1,2,3,0,1,... */
	for (int step = 0; step < 12; step++) {
		assert_int_equal(idx(runq_peek(&q)), seq[step % 4]);
		rotate();
	}
	expect_order((const int[]){0, 1, 2, 3, -1});
	rotate();
	expect_order((const int[]){1, 2, 3, 0, -1});
}

static void rotate_single_node(void **state)
{
	(void)state;
	runq_push_back(&q, &n[2]);
	rotate();
	rotate();
	expect_order((const int[]){2, -1});
}

static void push_front_wakes_to_head(void **state)
{
	(void)state;
	runq_push_back(&q, &n[0]);
	runq_push_back(&q, &n[1]);
	runq_push_front(&q, &n[2]);
	expect_order((const int[]){2, 0, 1, -1});
	/* An already queued node is moved to the front, not added twice. */
	runq_push_front(&q, &n[1]);
	expect_order((const int[]){1, 2, 0, -1});
	runq_push_front(&q, &n[1]);
	expect_order((const int[]){1, 2, 0, -1});
	/* Into an empty queue. */
	setup(NULL);
	runq_push_front(&q, &n[4]);
	expect_order((const int[]){4, -1});
}

static void remove_head_middle_tail(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++)
		runq_push_back(&q, &n[i]);
	runq_remove(&q, &n[2]); /* middle */
	expect_order((const int[]){0, 1, 3, 4, -1});
	assert_false(runq_queued(&n[2]));
	runq_remove(&q, &n[0]); /* head */
	expect_order((const int[]){1, 3, 4, -1});
	assert_false(runq_queued(&n[0]));
	runq_remove(&q, &n[4]); /* tail */
	expect_order((const int[]){1, 3, -1});
	runq_remove(&q, &n[1]);
	runq_remove(&q, &n[3]);
	expect_order((const int[]){-1});
	assert_null(runq_peek(&q));
	/* A removed node can be queued again. */
	runq_push_back(&q, &n[0]);
	expect_order((const int[]){0, -1});
}

static void remove_unqueued_is_noop(void **state)
{
	(void)state;
	runq_push_back(&q, &n[0]);
	runq_push_back(&q, &n[1]);
	runq_remove(&q, &n[3]); /* never queued */
	expect_order((const int[]){0, 1, -1});
	runq_remove(&q, &n[0]);
	runq_remove(&q, &n[0]); /* twice: the second is a no-op */
	expect_order((const int[]){1, -1});
	runq_remove(&q, &n[1]);
	runq_remove(&q, &n[1]);
	assert_null(runq_peek(&q));
}

static void push_back_moves_queued_node(void **state)
{
	(void)state;
	runq_push_back(&q, &n[0]);
	runq_push_back(&q, &n[1]);
	runq_push_back(&q, &n[2]);
	runq_push_back(&q, &n[0]); /* head to tail */
	expect_order((const int[]){1, 2, 0, -1});
	runq_push_back(&q, &n[2]); /* middle to tail */
	expect_order((const int[]){1, 0, 2, -1});
	runq_push_back(&q, &n[2]); /* already the tail */
	expect_order((const int[]){1, 0, 2, -1});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(empty_queue, setup),
	    cmocka_unit_test_setup(round_robin_over_rotations, setup),
	    cmocka_unit_test_setup(rotate_single_node, setup),
	    cmocka_unit_test_setup(push_front_wakes_to_head, setup),
	    cmocka_unit_test_setup(remove_head_middle_tail, setup),
	    cmocka_unit_test_setup(remove_unqueued_is_noop, setup),
	    cmocka_unit_test_setup(push_back_moves_queued_node, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
