/* Unit tests of the input router (core/input.c): plain routing, the Ctrl-]
 * commands, focus cycling both ways, digits, the monitor, double escape,
 * and the no-guest case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "input.h"

#define ESC INPUT_ESCAPE
#define MON INPUT_MONITOR

static struct input_router r;

static void expect(uint8_t c, enum input_kind kind, int target)
{
	struct input_event e = input_feed(&r, c);

	assert_int_equal(e.kind, kind);
	assert_int_equal(e.target, target);
	assert_int_equal(e.c, c);
}

/* Ctrl-] then key: the escape itself is swallowed. */
static void expect_cmd(uint8_t key, enum input_kind kind, int target)
{
	expect(ESC, INPUT_NONE, r.focus);
	expect(key, kind, target);
}

static void plain_bytes_follow_focus(void **state)
{
	(void)state;
	input_init(&r, 3);
	assert_int_equal(r.focus, 0);
	for (unsigned c = 0; c < 256; c++)
		if (c != ESC)
			expect((uint8_t)c, INPUT_TO_GUEST, 0);
	expect_cmd('m', INPUT_FOCUS, MON);
	expect('a', INPUT_TO_MONITOR, MON);
	expect('\r', INPUT_TO_MONITOR, MON);
}

static void next_cycles_through_monitor(void **state)
{
	(void)state;
	input_init(&r, 3);
	expect_cmd('n', INPUT_FOCUS, 1);
	expect('x', INPUT_TO_GUEST, 1);
	expect_cmd('n', INPUT_FOCUS, 2);
	expect_cmd('n', INPUT_FOCUS, MON);
	expect('x', INPUT_TO_MONITOR, MON);
	expect_cmd('n', INPUT_FOCUS, 0);
	expect_cmd('N', INPUT_FOCUS, 1);
}

static void previous_cycles_backwards(void **state)
{
	(void)state;
	input_init(&r, 3);
	expect_cmd('p', INPUT_FOCUS, MON);
	expect_cmd('p', INPUT_FOCUS, 2);
	expect_cmd('p', INPUT_FOCUS, 1);
	expect_cmd('p', INPUT_FOCUS, 0);
	expect_cmd('P', INPUT_FOCUS, MON);
}

static void one_guest_cycle(void **state)
{
	(void)state;
	input_init(&r, 1);
	expect_cmd('n', INPUT_FOCUS, MON);
	expect_cmd('n', INPUT_FOCUS, 0);
	expect_cmd('p', INPUT_FOCUS, MON);
	expect_cmd('p', INPUT_FOCUS, 0);
}

static void digits_pick_guests(void **state)
{
	(void)state;
	input_init(&r, 3);
	expect_cmd('3', INPUT_FOCUS, 2);
	expect('z', INPUT_TO_GUEST, 2);
	expect_cmd('1', INPUT_FOCUS, 0);
	expect_cmd('1', INPUT_FOCUS, 0); /* already there: still confirmed */
	expect_cmd('2', INPUT_FOCUS, 1);
	/* No such guest: swallowed, focus kept, and not delivered. */
	expect_cmd('4', INPUT_NONE, 1);
	expect_cmd('9', INPUT_NONE, 1);
	expect_cmd('0', INPUT_NONE, 1);
	expect('4', INPUT_TO_GUEST, 1);
	/* From the monitor too. */
	expect_cmd('m', INPUT_FOCUS, MON);
	expect_cmd('2', INPUT_FOCUS, 1);
}

static void digits_reach_nine_of_many(void **state)
{
	(void)state;
	input_init(&r, 12);
	expect_cmd('9', INPUT_FOCUS, 8);
	/* Guests past the ninth are reached with n/p. */
	expect_cmd('n', INPUT_FOCUS, 9);
	expect_cmd('n', INPUT_FOCUS, 10);
	expect_cmd('n', INPUT_FOCUS, 11);
	expect_cmd('n', INPUT_FOCUS, MON);
	expect_cmd('p', INPUT_FOCUS, 11);
}

static void monitor_key(void **state)
{
	(void)state;
	input_init(&r, 2);
	expect_cmd('m', INPUT_FOCUS, MON);
	expect_cmd('M', INPUT_FOCUS, MON);
	expect_cmd('n', INPUT_FOCUS, 0);
}

static void double_escape_is_literal(void **state)
{
	(void)state;
	input_init(&r, 2);
	expect_cmd(ESC, INPUT_TO_GUEST, 0);
	/* The escape state is over: the next byte is plain. */
	expect('n', INPUT_TO_GUEST, 0);
	/* Three escapes: a literal, then a new escape pending. */
	expect(ESC, INPUT_NONE, 0);
	expect(ESC, INPUT_TO_GUEST, 0);
	expect(ESC, INPUT_NONE, 0);
	expect('n', INPUT_FOCUS, 1);
	/* At the monitor the literal goes to the monitor. */
	expect_cmd('m', INPUT_FOCUS, MON);
	expect_cmd(ESC, INPUT_TO_MONITOR, MON);
}

static void help_and_unknown_keys(void **state)
{
	(void)state;
	input_init(&r, 2);
	expect_cmd('h', INPUT_HELP, 0);
	expect_cmd('H', INPUT_HELP, 0);
	expect_cmd('?', INPUT_HELP, 0);
	expect('h', INPUT_TO_GUEST, 0);
	expect_cmd('x', INPUT_NONE, 0);
	expect('x', INPUT_TO_GUEST, 0); /* only the key after Ctrl-] is eaten */
	expect_cmd('\r', INPUT_NONE, 0);
	expect_cmd(0x00, INPUT_NONE, 0);
	expect_cmd(0xff, INPUT_NONE, 0);
	assert_int_equal(r.focus, 0);
	assert_false(r.escape);

	const char *h = input_help();
	assert_non_null(h);
	assert_true(strlen(h) > 10);
	assert_null(strchr(h, '\n'));
	assert_non_null(strstr(h, "Ctrl-]"));
}

static void no_guests(void **state)
{
	(void)state;
	input_init(&r, 0);
	assert_int_equal(r.focus, MON);
	expect('a', INPUT_TO_MONITOR, MON);
	expect_cmd('n', INPUT_FOCUS, MON);
	expect_cmd('p', INPUT_FOCUS, MON);
	expect_cmd('1', INPUT_NONE, MON);
	expect_cmd('m', INPUT_FOCUS, MON);
	expect_cmd(ESC, INPUT_TO_MONITOR, MON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_bytes_follow_focus),
	    cmocka_unit_test(next_cycles_through_monitor),
	    cmocka_unit_test(previous_cycles_backwards),
	    cmocka_unit_test(one_guest_cycle),
	    cmocka_unit_test(digits_pick_guests),
	    cmocka_unit_test(digits_reach_nine_of_many),
	    cmocka_unit_test(monitor_key),
	    cmocka_unit_test(double_escape_is_literal),
	    cmocka_unit_test(help_and_unknown_keys),
	    cmocka_unit_test(no_guests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
