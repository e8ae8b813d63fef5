/* Unit tests of a hart's deadline list (core/deadline.c): order, moving and
 * cancelling an entry, firing what is due and only that, and an entry that
 * arms itself again from its fire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "deadline.h"

static struct deadline_list list;
static struct deadline d[4];
static char fired[8];
static unsigned nfired;
static uint64_t fired_at;

static void record(struct deadline *e, uint64_t now)
{
	fired[nfired++] = (char)('a' + (e - d));
	fired[nfired] = '\0';
	fired_at = now;
}

/* d[3] is a poll: it comes back every 100 ticks. */
static void every_100(struct deadline *e, uint64_t now)
{
	record(e, now);
	deadline_arm(&list, e, now + 100);
}

static int setup(void **state)
{
	(void)state;
	list.first = NULL;
	for (unsigned i = 0; i < 3; i++)
		deadline_init(&d[i], record);
	deadline_init(&d[3], every_100);
	nfired = 0;
	fired[0] = '\0';
	return 0;
}

/* Earliest first, whatever the arming order; equal times in arming order;
 * only what is due fires. */
static void fires_in_time_order(void **state)
{
	(void)state;
	assert_int_equal(deadline_next(&list), DEADLINE_NONE);
	deadline_arm(&list, &d[0], 30);
	deadline_arm(&list, &d[1], 10);
	deadline_arm(&list, &d[2], 30);
	assert_int_equal(deadline_next(&list), 10);
	deadline_run_due(&list, 9);
	assert_string_equal(fired, "");
	deadline_run_due(&list, 30);
	assert_string_equal(fired, "bac");
	assert_int_equal(fired_at, 30);
	assert_false(deadline_armed(&d[0]));
	assert_int_equal(deadline_next(&list), DEADLINE_NONE);
}

/* Arming an armed entry moves it; DEADLINE_NONE and cancel take it off;
 * cancelling what is not armed is harmless. */
static void moves_and_cancels(void **state)
{
	(void)state;
	deadline_arm(&list, &d[0], 50);
	deadline_arm(&list, &d[1], 60);
	deadline_arm(&list, &d[0], 70); /* later than b now */
	assert_int_equal(deadline_next(&list), 60);
	deadline_arm(&list, &d[1], DEADLINE_NONE);
	assert_false(deadline_armed(&d[1]));
	assert_int_equal(deadline_next(&list), 70);
	deadline_cancel(&list, &d[1]);
	deadline_cancel(&list, &d[0]);
	assert_int_equal(deadline_next(&list), DEADLINE_NONE);
	deadline_run_due(&list, 1000);
	assert_string_equal(fired, "");
}

/* A poll that re-arms from its fire runs once per call, not in a loop,
 * unless the new time is also due. */
static void rearms_from_fire(void **state)
{
	(void)state;
	deadline_arm(&list, &d[3], 100);
	deadline_arm(&list, &d[0], 150);
	deadline_run_due(&list, 100);
	assert_string_equal(fired, "d");
	assert_int_equal(deadline_next(&list), 150);
	deadline_run_due(&list, 250); /* a's 150, then d's 200 */
	assert_string_equal(fired, "dad");
	assert_int_equal(deadline_next(&list), 350);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(fires_in_time_order),
	    T(moves_and_cancels),
	    T(rearms_from_fire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
