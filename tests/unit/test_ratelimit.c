/* Unit tests of the console token bucket (core/ratelimit.c): burst then
 * steady rate, exact refill, the idle cap, dropped accounting, a clock that
 * goes backwards, and saturation at extreme values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ratelimit.h"

#define TPS	   10000000ULL /* QEMU virt's timebase */
#define RATE	   100ULL
#define BURST	   10ULL
#define BYTE_TICKS (TPS / RATE) /* one byte's worth of time */

static struct ratelimit rl;

static int setup(void **state)
{
	(void)state;
	memset(&rl, 0x5a, sizeof(rl));
	ratelimit_init(&rl, RATE, BURST, TPS, 1000);
	return 0;
}

static void burst_then_steady(void **state)
{
	(void)state;
	for (unsigned i = 0; i < BURST; i++)
		assert_true(ratelimit_take(&rl, 1000, 1));
	assert_false(ratelimit_take(&rl, 1000, 1));
	assert_int_equal(ratelimit_dropped_take(&rl), 1);
	/* At the steady rate every byte gets through, and no more. */
	uint64_t t = 1000;
	for (unsigned i = 0; i < 3 * RATE; i++) {
		t += BYTE_TICKS;
		assert_true(ratelimit_take(&rl, t, 1));
		assert_false(ratelimit_take(&rl, t, 1));
	}
	assert_int_equal(ratelimit_dropped_take(&rl), 3 * RATE);
}

static void refill_is_exact(void **state)
{
	(void)state;
	assert_true(ratelimit_take(&rl, 1000, BURST));
	assert_false(ratelimit_take(&rl, 1000 + BYTE_TICKS - 1, 1));
	assert_true(ratelimit_take(&rl, 1000 + BYTE_TICKS, 1));
	assert_false(ratelimit_take(&rl, 1000 + BYTE_TICKS, 1));
	/* Many one-tick steps add up with nothing lost to rounding. */
	uint64_t t = 1000 + BYTE_TICKS;
	for (unsigned i = 0; i < 2 * BYTE_TICKS; i++)
		assert_true(ratelimit_take(&rl, ++t, 0));
	assert_true(ratelimit_take(&rl, t, 2));
	assert_false(ratelimit_take(&rl, t, 1));
}

static void all_or_nothing(void **state)
{
	(void)state;
	assert_true(ratelimit_take(&rl, 1000, 6));
	assert_false(ratelimit_take(&rl, 1000, 5)); /* 4 left: nothing taken */
	assert_int_equal(ratelimit_dropped_take(&rl), 5);
	assert_true(ratelimit_take(&rl, 1000, 4));
	assert_false(ratelimit_take(&rl, 1000, 1));
	/* More than a bucket never fits. */
	ratelimit_init(&rl, RATE, BURST, TPS, 0);
	assert_false(ratelimit_take(&rl, 1000 * TPS, BURST + 1));
	assert_true(ratelimit_take(&rl, 1000 * TPS, BURST));
}

static void idle_caps_at_burst(void **state)
{
	(void)state;
	assert_true(ratelimit_take(&rl, 1000, BURST));
	/* A day of silence refills one bucket, no more. */
	uint64_t t = 1000 + 86400 * TPS;
	for (unsigned i = 0; i < BURST; i++)
		assert_true(ratelimit_take(&rl, t, 1));
	assert_false(ratelimit_take(&rl, t, 1));
}

static void dropped_accounting(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_dropped_take(&rl), 0);
	assert_true(ratelimit_take(&rl, 1000, BURST));
	assert_false(ratelimit_take(&rl, 1000, 1));
	assert_false(ratelimit_take(&rl, 1000, 7));
	assert_false(ratelimit_take(&rl, 1000, 100));
	assert_int_equal(rl.dropped, 108);
	assert_int_equal(ratelimit_dropped_take(&rl), 108);
	assert_int_equal(ratelimit_dropped_take(&rl), 0);
	/* Allowed bytes are not counted. */
	assert_true(ratelimit_take(&rl, 1000 + BYTE_TICKS, 1));
	assert_int_equal(ratelimit_dropped_take(&rl), 0);
}

static void clock_backwards_refills_nothing(void **state)
{
	(void)state;
	assert_true(ratelimit_take(&rl, 1000 + BYTE_TICKS, BURST));
	assert_false(ratelimit_take(&rl, 1000, 1));
	assert_false(ratelimit_take(&rl, 0, 1));
	/* Time is credited from the latest "now", once. */
	assert_false(ratelimit_take(&rl, 1000 + 2 * BYTE_TICKS - 1, 1));
	assert_true(ratelimit_take(&rl, 1000 + 2 * BYTE_TICKS, 1));
	assert_false(ratelimit_take(&rl, 1000 + 2 * BYTE_TICKS, 1));
}

static void zero_rate_is_burst_only(void **state)
{
	(void)state;
	ratelimit_init(&rl, 0, 3, TPS, 0);
	assert_true(ratelimit_take(&rl, 0, 3));
	assert_false(ratelimit_take(&rl, UINT64_MAX, 1));
}

static void extreme_values_saturate(void **state)
{
	(void)state;
	/* A clock near its end, and the longest possible gap. */
	ratelimit_init(&rl, RATE, BURST, TPS, UINT64_MAX - 5);
	assert_true(ratelimit_take(&rl, UINT64_MAX, BURST));
	assert_false(ratelimit_take(&rl, UINT64_MAX, 1));
	ratelimit_init(&rl, RATE, BURST, TPS, 0);
	assert_true(ratelimit_take(&rl, 0, BURST));
	assert_true(ratelimit_take(&rl, UINT64_MAX, BURST));
	assert_false(ratelimit_take(&rl, UINT64_MAX, 1));
	/* A huge rate over a huge gap: still one bucket. */
	ratelimit_init(&rl, UINT64_MAX / 3, BURST, TPS, 0);
	assert_true(ratelimit_take(&rl, 0, BURST));
	assert_true(ratelimit_take(&rl, UINT64_MAX / 2, BURST));
	assert_false(ratelimit_take(&rl, UINT64_MAX / 2, 1));
	/* A huge byte count is refused and the dropped count saturates. */
	ratelimit_init(&rl, RATE, BURST, TPS, 0);
	assert_false(ratelimit_take(&rl, 0, UINT64_MAX));
	assert_false(ratelimit_take(&rl, 0, UINT64_MAX));
	assert_int_equal(ratelimit_dropped_take(&rl), UINT64_MAX);
	assert_true(ratelimit_take(&rl, 0, BURST));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(burst_then_steady, setup),
	    cmocka_unit_test_setup(refill_is_exact, setup),
	    cmocka_unit_test_setup(all_or_nothing, setup),
	    cmocka_unit_test_setup(idle_caps_at_burst, setup),
	    cmocka_unit_test_setup(dropped_accounting, setup),
	    cmocka_unit_test_setup(clock_backwards_refills_nothing, setup),
	    cmocka_unit_test_setup(zero_rate_is_burst_only, setup),
	    cmocka_unit_test_setup(extreme_values_saturate, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
