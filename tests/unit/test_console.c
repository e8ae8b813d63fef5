/* Unit tests of console routing (core/console.c with the real input router,
 * line buffer, rate limiter and monitor, over console_fakes.c): the focus
 * keys, where typed keys go and the one input queue per guest, tagged and
 * coloured lines, lines cut by another guest, quiet partial lines, the rate
 * limit and console = none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "deadline.h"
#include "sched.h"
#include "console_fakes.h"
#include "input.h"

#define ESC   "\x1d"
#define QUIET (50000 * 10) /* 50 ms in ticks of 100 ns */
#define ALPHA (&vms[0])
#define BETA  (&vms[1])
#define GAMMA (&vms[2])
#define HELPLINE                                                                                   \
	"[septa] Ctrl-] then: n next, p previous, 1-9 guest N, m monitor, h/? help, "              \
	"Ctrl-] sends Ctrl-]\r\n"

static int setup(void **state)
{
	(void)state;
	fakes_reset(false);
	console_set_focus(0);
	fakes_take_output();
	return 0;
}

static void expect_out(const char *want)
{
	assert_string_equal(fakes_take_output(), want);
}

/* Every byte a guest's queue holds, in order, through the SBI read. */
static void expect_queue(struct vm *vm, const char *want)
{
	char got[300];
	size_t n = console_read_input(vm, got, sizeof(got) - 1);

	got[n] = '\0';
	assert_string_equal(got, want);
	assert_int_equal(console_input_waiting(vm), 0);
}

/* Runs first: the boot line names who gets the keys, and the poll goes on
 * the console hart's deadline list, due at once and then every period. */
static void boot_line(void **state)
{
	struct deadline_list hart0 = {0};

	(void)state;
	fakes_reset(false);
	console_start_polling(&hart0, 0);
	expect_out("[septa] keys go to alpha; Ctrl-] n: next guest, Ctrl-] m: monitor, Ctrl-] h: "
		   "help\r\n");
	assert_int_equal(deadline_next(&hart0), 0);
	deadline_run_due(&hart0, 0);
	assert_int_equal(deadline_next(&hart0), CONSOLE_POLL_US * sched_ticks_per_us);
	deadline_run_due(&hart0, CONSOLE_POLL_US * sched_ticks_per_us - 1);
	assert_int_equal(deadline_next(&hart0), CONSOLE_POLL_US * sched_ticks_per_us);
	expect_out("");
}

static void focus_keys(void **state)
{
	(void)state;
	fakes_type(ESC "n");
	expect_out("[septa] focus: beta\r\n");
	assert_int_equal(console_focus(), 1);
	fakes_type(ESC "N");
	expect_out("[septa] focus: gamma\r\n");
	fakes_type(ESC "n"); /* after the last guest: the monitor */
	expect_out("[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	assert_int_equal(console_focus(), INPUT_MONITOR);
	fakes_type(ESC "n"); /* and round to the first */
	expect_out("\r\n[septa] focus: alpha\r\n");
	fakes_type(ESC "p");
	expect_out("[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	fakes_type(ESC "P");
	expect_out("\r\n[septa] focus: gamma\r\n");
	fakes_type(ESC "2");
	expect_out("[septa] focus: beta\r\n");
	fakes_type(ESC "2"); /* the same target again is confirmed */
	expect_out("[septa] focus: beta\r\n");
	fakes_type(ESC "9" ESC "4" ESC "x"); /* no such guest, unknown key: nothing */
	expect_out("");
	assert_int_equal(console_focus(), 1);
	fakes_type(ESC "1");
	expect_out("[septa] focus: alpha\r\n");
	fakes_type(ESC "h");
	expect_out(HELPLINE);
	fakes_type(ESC "?" ESC "H");
	expect_out(HELPLINE HELPLINE);
	fakes_type(ESC "m");
	expect_out("[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	fakes_type(ESC "M");
	expect_out("\r\n[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	console_set_focus(2);
	expect_out("\r\n[septa] focus: gamma\r\n");
	/* None of it reached a guest. */
	for (unsigned i = 0; i < FAKE_GUESTS; i++)
		assert_int_equal(console_input_waiting(&vms[i]), 0);
}

static void keys_go_to_the_focus_only(void **state)
{
	(void)state;
	fakes_type("ab");
	fakes_type(ESC "n"
		       "xyz" ESC "p"
		       "c\r");
	expect_out("[septa] focus: beta\r\n[septa] focus: alpha\r\n");
	expect_queue(ALPHA, "abc\r");
	expect_queue(BETA, "xyz");
	expect_queue(GAMMA, "");
	/* Each key raised the guest's UART line; each read let it fall. */
	assert_int_equal(fk.irq_input[0], 4 + 1);
	assert_int_equal(fk.irq_input[1], 3 + 1);
	assert_int_equal(fk.irq_input[2], 0);
}

/* Ctrl-] twice sends one Ctrl-] to the focus; the escape never leaks. */
static void escape_doubled(void **state)
{
	(void)state;
	fakes_type(ESC ESC "q" ESC);
	expect_queue(ALPHA, ESC "q");
	fakes_type(ESC); /* completes the escape: a literal Ctrl-] */
	expect_queue(ALPHA, ESC);
	fakes_type(ESC "m" ESC ESC);
	fakes_take_output();
	fakes_type(ESC "1"); /* the monitor took its Ctrl-] as nothing */
	expect_out("\r\n[septa] focus: alpha\r\n");
	expect_queue(ALPHA, "");
}

static void one_queue_for_every_reader(void **state)
{
	(void)state;
	char buf[4];

	fakes_type("hello");
	assert_int_equal(console_input_waiting(ALPHA), 5);
	assert_int_equal(*console_input_counter(ALPHA), 5);
	assert_int_equal(console_take_input(ALPHA), 'h');	/* the UART's RBR */
	assert_int_equal(console_read_input(ALPHA, buf, 1), 1); /* SBI getchar */
	assert_int_equal(buf[0], 'e');
	assert_int_equal(console_read_input(ALPHA, buf, sizeof(buf)), 3); /* DBCN read */
	assert_memory_equal(buf, "llo", 3);
	assert_int_equal(console_take_input(ALPHA), -1);
	assert_int_equal(console_read_input(ALPHA, buf, sizeof(buf)), 0);
	/* A restart empties it. */
	fakes_type("zz");
	console_vm_reset(ALPHA);
	assert_int_equal(console_input_waiting(ALPHA), 0);
	fakes_type("k");
	expect_queue(ALPHA, "k");
}

static void queue_is_bounded(void **state)
{
	(void)state;
	char keys[VM_INQ + 2];

	memset(keys, 'k', sizeof(keys));
	keys[VM_INQ] = 'L'; /* the first that finds it full */
	fakes_type_bytes(keys, sizeof(keys));
	assert_int_equal(console_input_waiting(ALPHA), VM_INQ);
	expect_out("[septa] guest alpha is not reading its console: input dropped\r\n"
		   "[septa] guest alpha is not reading its console: input dropped\r\n");
	for (unsigned i = 0; i < VM_INQ; i++)
		assert_int_equal(console_take_input(ALPHA), 'k');
	/* Room again: keys are kept. */
	fakes_type("ok");
	expect_queue(ALPHA, "ok");
	expect_out("");
}

static void lines_are_tagged(void **state)
{
	(void)state;
	console_guest_write(ALPHA, "one\ntwo\r\n", 9);
	expect_out("[alpha] one\r\n[alpha] two\r\n");
	console_guest_putc(BETA, 'b');
	expect_out(""); /* a partial line waits */
	console_guest_putc(BETA, '\n');
	expect_out("[beta] b\r\n");
	hv_log("n=%d", 7);
	expect_out("[septa] n=7\r\n");
	console_route_line("x", NULL, "raw", 3);
	expect_out("[x] raw\r\n");
	/* A long line is cut into pieces of CONBUF_LINE. */
	char big[CONBUF_LINE + 3];
	memset(big, 'z', sizeof(big));
	console_guest_write(ALPHA, big, sizeof(big));
	console_guest_flush(ALPHA);
	const char *out = fakes_take_output();
	assert_int_equal(strlen(out), 2 * strlen("[alpha] \r\n") + sizeof(big));
	assert_memory_equal(out + 8 + CONBUF_LINE, "\r\n[alpha] zzz\r\n", 15);
}

static void colours_on_a_terminal(void **state)
{
	(void)state;
	fakes_reset(true);
	console_guest_write(ALPHA, "hi\n", 3);
	expect_out("\x1b[32m[alpha]\x1b[0m hi\r\n");
	hv_log("up");
	expect_out("\x1b[1m[septa]\x1b[0m up\r\n");
	console_guest_write(GAMMA, "hid\n", 4); /* console = none: never shown */
	console_route_line("plain", NULL, "p", 1);
	expect_out("[plain] p\r\n");
}

/* A partial line shows once the guest has been quiet for 50 ms and stays
 * open: the guest's next bytes continue it; anyone else's output ends it. */
static void quiet_partial_line(void **state)
{
	(void)state;
	fk.now = 1000;
	console_guest_write(ALPHA, "echo> ", 6);
	fk.now += QUIET - 1;
	console_poll(fk.now);
	expect_out("");
	fk.now++;
	console_poll(fk.now);
	expect_out("[alpha] echo> ");
	console_poll(fk.now + QUIET);
	expect_out("");
	console_guest_write(ALPHA, "abc\n", 4);
	expect_out("abc\r\n");

	/* Cut by another guest's line, then continued on a fresh tag. */
	console_guest_write(ALPHA, "x", 1);
	fk.now += QUIET;
	console_poll(fk.now);
	console_guest_write(BETA, "tick\n", 5);
	console_guest_write(ALPHA, "y\n", 2);
	expect_out("[alpha] x\r\n[beta] tick\r\n[alpha] y\r\n");

	/* ... and by a hypervisor line. */
	console_guest_write(BETA, "b> ", 3);
	fk.now += QUIET;
	console_poll(fk.now);
	hv_log("note");
	console_guest_write(BETA, "z", 1);
	console_guest_flush(BETA);
	expect_out("[beta] b> \r\n[septa] note\r\n[beta] z\r\n");

	/* Two guests' partial lines each start their own line. */
	console_guest_write(ALPHA, "p1", 2);
	console_guest_write(BETA, "p2", 2);
	fk.now += QUIET;
	console_poll(fk.now);
	expect_out("[alpha] p1\r\n[beta] p2");
	console_guest_write(ALPHA, "!\n", 2);
	expect_out("\r\n[alpha] !\r\n");
}

/* While a guest can run, its own run time must pass, not the clock's: a
 * preempted guest has not gone quiet. */
static void quiet_counts_run_time(void **state)
{
	(void)state;
	fk.runnable[0] = true;
	fk.now = 5000;
	fk.run_ticks[0] = 100;
	console_guest_write(ALPHA, "half", 4);
	fk.now += 10 * QUIET;
	console_poll(fk.now);
	expect_out("");
	fk.run_ticks[0] += QUIET - 1;
	console_poll(fk.now);
	expect_out("");
	fk.run_ticks[0]++;
	console_poll(fk.now);
	expect_out("[alpha] half");
	/* Not runnable (waiting for a key): the clock counts again. */
	fk.runnable[0] = false;
	console_guest_write(ALPHA, " more", 5);
	fk.now += QUIET;
	console_poll(fk.now);
	expect_out(" more");
	console_guest_flush(ALPHA); /* nothing buffered: the line stays open */
	console_guest_putc(ALPHA, '\n');
	expect_out("\r\n");
}

static void monitor_prompt_cut_and_redrawn(void **state)
{
	(void)state;
	fakes_type(ESC "m");
	expect_out("[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	fakes_type("li");
	expect_out("li");
	console_guest_write(BETA, "tick\n", 5);
	fakes_type("s");
	expect_out("\r\n[beta] tick\r\n[septa] septa> lis");
	fakes_type("\x7f"
		   "st\r");
	assert_string_equal(
	    fakes_take_output(),
	    "\b \bst\r\n"
	    "[septa]   1 alpha           running    harts 0  16384 KiB at 0x80800000  "
	    "restarts 0\r\n"
	    "[septa]   2 beta            running    harts 1,2   8192 KiB at 0x81800000  "
	    "restarts 0\r\n"
	    "[septa]   3 gamma           running    harts 1   4096 KiB at 0x82000000  "
	    "restarts 0  console none\r\n"
	    "[septa] focus: monitor\r\n[septa] septa> ");
	assert_int_equal(fk.irq_input[0] + fk.irq_input[1], 0);
	fakes_type(ESC "1");
	fakes_take_output();
}

static void rate_limit(void **state)
{
	(void)state;
	char line[201];

	memset(line, 'f', sizeof(line));
	line[200] = '\n';
	fk.now = 0;
	fakes_reset(false);
	/* 16 KiB of burst: 81 lines of 201 bytes fit, the 82nd does not. */
	for (unsigned i = 0; i < 90; i++)
		console_guest_write(ALPHA, line, sizeof(line));
	const char *out = fakes_take_output();
	assert_int_equal(strlen(out), 81 * (8 + 200 + 2));
	/* Beta has a budget of its own. */
	console_guest_write(BETA, "ok\n", 3);
	expect_out("[beta] ok\r\n");
	/* A second later 8 KiB came back: the loss is told first. */
	fk.now = 10000000;
	console_guest_write(ALPHA, "back\n", 5);
	expect_out("[septa] guest alpha: 1809 bytes dropped by the console rate limit (8192 "
		   "bytes/s)\r\n[alpha] back\r\n");
}

static void console_none_is_silent(void **state)
{
	(void)state;
	console_guest_write(GAMMA, "a\nbc", 4);
	fk.now += 10 * QUIET;
	console_poll(fk.now);
	console_guest_flush(GAMMA);
	expect_out("");
	assert_int_equal(GAMMA->con.silenced, 4); /* the newline counts */
	/* Its keys still reach it. */
	fakes_type(ESC "3"
		       "k");
	expect_out("[septa] focus: gamma\r\n");
	expect_queue(GAMMA, "k");
	fakes_type(ESC "1");
	fakes_take_output();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(boot_line),
	    cmocka_unit_test_setup(focus_keys, setup),
	    cmocka_unit_test_setup(keys_go_to_the_focus_only, setup),
	    cmocka_unit_test_setup(escape_doubled, setup),
	    cmocka_unit_test_setup(one_queue_for_every_reader, setup),
	    cmocka_unit_test_setup(queue_is_bounded, setup),
	    cmocka_unit_test_setup(lines_are_tagged, setup),
	    cmocka_unit_test_setup(colours_on_a_terminal, setup),
	    cmocka_unit_test_setup(quiet_partial_line, setup),
	    cmocka_unit_test_setup(quiet_counts_run_time, setup),
	    cmocka_unit_test_setup(monitor_prompt_cut_and_redrawn, setup),
	    cmocka_unit_test_setup(rate_limit, setup),
	    cmocka_unit_test_setup(console_none_is_silent, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
