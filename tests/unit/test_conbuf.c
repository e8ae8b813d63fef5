/* Unit tests of the console line buffer (core/conbuf.c): what completes a
 * line, what is stored, and the full-buffer cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conbuf.h"

static struct conbuf b;

static int setup(void **state)
{
	(void)state;
	memset(&b, 0x5a, sizeof(b));
	conbuf_clear(&b);
	return 0;
}

/* Puts every byte of s; each but the last must not complete a line. Returns
 * what the last put said. */
static bool put_str(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + 1 < n; i++)
		assert_false(conbuf_put(&b, s[i]));
	return conbuf_put(&b, s[n - 1]);
}

static void newline_completes_line(void **state)
{
	(void)state;
	assert_true(put_str("hello\n"));
	assert_int_equal(b.len, 5); /* the newline is not stored */
	assert_memory_equal(b.buf, "hello", 5);
	conbuf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_true(put_str("ok\n"));
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.buf, "ok", 2);
}

static void empty_line(void **state)
{
	(void)state;
	assert_true(conbuf_put(&b, '\n'));
	assert_int_equal(b.len, 0);
}

static void carriage_return_dropped(void **state)
{
	(void)state;
	assert_false(conbuf_put(&b, '\r'));
	assert_int_equal(b.len, 0);
	assert_true(put_str("a\rb\r\n"));
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.buf, "ab", 2);
}

static void full_buffer_is_a_line(void **state)
{
	(void)state;
	for (int i = 0; i < CONBUF_LINE - 1; i++) {
		assert_false(conbuf_put(&b, (char)('a' + i % 26)));
		assert_int_equal(b.len, (size_t)i + 1);
	}
	assert_true(conbuf_put(&b, 'Z'));
	assert_int_equal(b.len, CONBUF_LINE);
	for (int i = 0; i < CONBUF_LINE - 1; i++)
		assert_int_equal(b.buf[i], 'a' + i % 26);
	assert_int_equal(b.buf[CONBUF_LINE - 1], 'Z');
	/* After the caller prints and clears, the rest continues from 0. */
	conbuf_clear(&b);
	assert_false(conbuf_put(&b, 'x'));
	assert_int_equal(b.len, 1);
	assert_int_equal(b.buf[0], 'x');
}

static void bytes_kept_verbatim(void **state)
{
	(void)state;
	assert_false(conbuf_put(&b, '\t'));
	assert_false(conbuf_put(&b, '\0'));
	assert_false(conbuf_put(&b, (char)0xff));
	assert_true(conbuf_put(&b, '\n'));
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.buf, "\t\0\xff", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(newline_completes_line, setup),
	    cmocka_unit_test_setup(empty_line, setup),
	    cmocka_unit_test_setup(carriage_return_dropped, setup),
	    cmocka_unit_test_setup(full_buffer_is_a_line, setup),
	    cmocka_unit_test_setup(bytes_kept_verbatim, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
