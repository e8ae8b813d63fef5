/* Unit tests of the monitor (core/monitor.c over the real console and input
 * router, with the VM actions faked and recorded in console_fakes.c): each
 * command, a wrong name, and the line editor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "deadline.h"
#include "console_fakes.h"
#include "input.h"
#include "monitor.h"

static int setup(void **state)
{
	struct deadline_list hart0 = {0};

	(void)state;
	fakes_reset(false);
	console_start_polling(&hart0, 0); /* the boot line */
	console_set_focus(INPUT_MONITOR);
	console_monitor_end_line(); /* each command's output alone */
	fakes_take_output();
	return 0;
}

/* Runs one command line, as monitor_key does on Enter. */
static const char *run(const char *cmd)
{
	char line[80];

	strcpy(line, cmd);
	monitor_run(line);
	return fakes_take_output();
}

static void help(void **state)
{
	(void)state;
	assert_string_equal(run("help"),
			    "[septa] commands: help, list, stats, stop NAME, start NAME, restart "
			    "NAME, focus NAME|monitor, poweroff\r\n"
			    "[septa] Ctrl-] then: n next, p previous, 1-9 guest N, m monitor, h/? "
			    "help, Ctrl-] sends Ctrl-]\r\n");
	assert_string_equal(run("  help   extra"), run("help"));
	assert_string_equal(run(""), "");
	assert_string_equal(run(" \t "), "");
	assert_string_equal(run("frobnicate now"),
			    "[septa] unknown command 'frobnicate' (try help)\r\n");
}

static void list(void **state)
{
	(void)state;
	vms[1].state = VM_STOPPED;
	vms[2].restarts = 3;
	console_set_focus(1);
	fakes_take_output();
	assert_string_equal(
	    run("list"),
	    "[septa]   1 alpha           running    harts 0  16384 KiB at 0x80800000  "
	    "restarts 0\r\n"
	    "[septa] * 2 beta            stopped    harts 1,2   8192 KiB at 0x81800000  "
	    "restarts 0\r\n"
	    "[septa]   3 gamma           running    harts 1   4096 KiB at 0x82000000  "
	    "restarts 3  console none\r\n"
	    "[septa] focus: beta\r\n");
}

static void stats(void **state)
{
	(void)state;
	assert_string_equal(run("stats"), "[septa] stats (fake)\r\n");
	assert_int_equal(fk.stats, 1);
}

static void stop(void **state)
{
	(void)state;
	assert_string_equal(run("stop beta"),
			    "[septa] guest beta stopped: stopped from the monitor\r\n");
	assert_int_equal(fk.stops, 1);
	assert_ptr_equal(fk.acted_on, &vms[1]);
	assert_string_equal(fk.why, "stopped from the monitor");
	assert_string_equal(run("stop"), "[septa] stop: no guest named '' (try list)\r\n");
	assert_string_equal(run("stop delta"),
			    "[septa] stop: no guest named 'delta' (try list)\r\n");
	assert_int_equal(fk.stops, 1);
	assert_int_equal(fk.restarts + fk.poweroffs, 0);
}

static void start(void **state)
{
	(void)state;
	assert_string_equal(run("start alpha"),
			    "[septa] start: alpha is already running (restart reloads it)\r\n");
	assert_int_equal(fk.restarts, 0);
	vms[0].state = VM_STOPPED;
	assert_string_equal(run("start alpha"),
			    "[septa] guest alpha restarting: started from the monitor\r\n");
	assert_int_equal(fk.restarts, 1);
	assert_ptr_equal(fk.acted_on, &vms[0]);
	assert_string_equal(fk.why, "started from the monitor");
	assert_string_equal(run("start omega"),
			    "[septa] start: no guest named 'omega' (try list)\r\n");
	assert_int_equal(fk.restarts, 1);
}

static void restart(void **state)
{
	(void)state;
	assert_string_equal(run("restart gamma"),
			    "[septa] guest gamma restarting: restarted from the monitor\r\n");
	assert_int_equal(fk.restarts, 1);
	assert_ptr_equal(fk.acted_on, &vms[2]);
	assert_string_equal(fk.why, "restarted from the monitor");
	vms[2].state = VM_STOPPED; /* a stopped guest restarts too */
	run("restart gamma");
	assert_int_equal(fk.restarts, 2);
	run("restart");
	assert_int_equal(fk.restarts, 2);
	assert_int_equal(fk.stops, 0);
}

static void focus(void **state)
{
	(void)state;
	assert_string_equal(run("focus beta"), "[septa] focus: beta\r\n");
	assert_int_equal(console_focus(), 1);
	assert_string_equal(run("focus nobody"),
			    "[septa] focus: no guest named 'nobody' (try list)\r\n");
	assert_int_equal(console_focus(), 1);
	assert_string_equal(
	    run("focus monitor"),
	    "[septa] focus: monitor (type help; Ctrl-] h for keys)\r\n[septa] septa> ");
	assert_int_equal(console_focus(), INPUT_MONITOR);
}

static void poweroff(void **state)
{
	(void)state;
	if (!setjmp(fk.off)) {
		run("poweroff");
		fail_msg("arch_machine_off returned");
	}
	assert_int_equal(fk.poweroffs, 1);
	assert_false(fk.off_failure);
	assert_int_equal(fk.stats, 1);
	assert_string_equal(fakes_take_output(),
			    "[septa] stats (fake)\r\n[septa] powering off (monitor)\r\n");
}

/* The line editor: echo, backspace, printable keys only, a length cap, and
 * Enter running the line and drawing the prompt again. */
static void line_editor(void **state)
{
	(void)state;
	monitor_prompt();
	fakes_type("stop  x\x7f\x08"
		   "b\x01\x1b"
		   "eta");
	assert_string_equal(fakes_take_output(), "[septa] septa> stop  x\b \b\b \bbeta");
	fakes_type("\r");
	assert_string_equal(fakes_take_output(), "\r\n[septa] guest beta stopped: stopped from the "
						 "monitor\r\n[septa] septa> ");
	assert_int_equal(fk.stops, 1);
	assert_ptr_equal(fk.acted_on, &vms[1]);
	/* Backspace on an empty line does nothing. */
	fakes_type("\x7f\n");
	assert_string_equal(fakes_take_output(), "\r\n[septa] septa> ");
	/* At most 79 characters are kept. */
	char many[100];
	memset(many, 'x', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	fakes_type(many);
	assert_int_equal(strlen(fakes_take_output()), 79);
	fakes_type("\r");
	assert_string_equal(fakes_take_output(),
			    "\r\n[septa] unknown command "
			    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			    "xxxxxxxxxxxxxxxxxxxxxxxxx' (try help)\r\n[septa] septa> ");
	/* A command that moves the focus away leaves no prompt behind. */
	fakes_type("focus alpha\r");
	assert_string_equal(fakes_take_output(), "focus alpha\r\n[septa] focus: alpha\r\n");
	fakes_type("k");
	assert_int_equal(console_take_input(&vms[0]), 'k');
	assert_string_equal(fakes_take_output(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(help, setup),	cmocka_unit_test_setup(list, setup),
	    cmocka_unit_test_setup(stats, setup),	cmocka_unit_test_setup(stop, setup),
	    cmocka_unit_test_setup(start, setup),	cmocka_unit_test_setup(restart, setup),
	    cmocka_unit_test_setup(focus, setup),	cmocka_unit_test_setup(poweroff, setup),
	    cmocka_unit_test_setup(line_editor, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
