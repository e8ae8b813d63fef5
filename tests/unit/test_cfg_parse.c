/* Unit tests of septa-cfg's parser and cross-key checks: the duo example,
 * defaults, value syntax and every config mistake's message. */
#include "test_cfg_util.h"

#define HEAD "harts = 2\nram = 512M\n"

static void duo_parses_with_defaults(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(duo_conf, &m, &d), 0);
	assert_string_equal(m.platform, "qemu-virt");
	assert_int_equal(m.harts, 2);
	assert_int_equal(m.ram_size, 512 * CFG_MIB);
	assert_int_equal(m.timeslice_us, 10000);
	assert_int_equal(m.nguests, 2);
	assert_string_equal(m.guests[0].name, "alpha");
	assert_string_equal(m.guests[0].image, "hello");
	assert_int_equal(m.guests[0].mem_size, 16 * CFG_MIB);
	assert_false(m.guests[0].fixed);
	assert_string_equal(m.guests[0].color, "36");
	assert_int_equal(m.guests[0].nvcpus, 1);
	assert_int_equal(m.guests[0].harts[0], 0);
	assert_int_equal(m.guests[0].line, 7);
	assert_int_equal(m.guests[1].harts[0], 1);
	assert_null(m.guests[1].color);
	/* vcpus defaults to 1, timeslice to the global one */
	assert_int_equal(m.guests[1].nvcpus, 1);
	assert_int_equal(m.guests[1].timeslice_us, 10000);
}

static void default_harts_spread_round_robin(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(HEAD "[guest a]\nimage = x\nmemory = 1M\nvcpus = 3\n", &m, &d),
			 0);
	assert_int_equal(m.guests[0].nharts, 3);
	assert_int_equal(m.guests[0].harts[0], 0);
	assert_int_equal(m.guests[0].harts[1], 1);
	assert_int_equal(m.guests[0].harts[2], 0);
	assert_int_equal(m.timeslice_us, CFG_DEFAULT_TIMESLICE_US);
}

static void harts_list_implies_vcpus(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(HEAD "[guest a]\nimage = x\nmemory = 1M\nharts = 1, 0,1\n"
					  "timeslice = 500us\ncolor = bright-red\n",
				     &m, &d),
			 0);
	assert_int_equal(m.guests[0].nvcpus, 3);
	assert_int_equal(m.guests[0].harts[0], 1);
	assert_int_equal(m.guests[0].harts[2], 1);
	assert_int_equal(m.guests[0].timeslice_us, 500);
	assert_string_equal(m.guests[0].color, "91");
}

static void memory_at_host_address(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(
	    parse_check(HEAD "[guest a]\nimage = x\nmemory = 0x200000 @ 0x90000000\n", &m, &d), 0);
	assert_true(m.guests[0].fixed);
	assert_int_equal(m.guests[0].fixed_hpa, 0x90000000);
	assert_int_equal(m.guests[0].mem_size, 2 * CFG_MIB);
	assert_false(m.guests[0].identity);
	assert_int_equal(
	    parse_check(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x90000000  identity\n", &m, &d),
	    0);
	assert_true(m.guests[0].identity);
	assert_int_equal(m.guests[0].fixed_hpa, 0x90000000);
	assert_int_equal(parse_check(HEAD "[guest a]\nimage = x\nmemory = 2M identity\n", &m, &d),
			 -1);
	assert_non_null(strstr(d.msg, "needs a host address"));
	assert_int_equal(
	    parse_check(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x90000000 same\n", &m, &d), -1);
	assert_non_null(strstr(d.msg, "unexpected 'same' after the address"));
}

static void units(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cfg_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cfg_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cfg_parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(cfg_parse_size("16MiB", &v), 0);
	assert_int_equal(v, 16 * CFG_MIB);
	assert_int_equal(cfg_parse_size("2g", &v), 0);
	assert_int_equal(v, 2 * CFG_GIB);
	assert_int_equal(cfg_parse_size("010", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cfg_parse_size("16X", &v), -1);
	assert_int_equal(cfg_parse_size("M", &v), -1);
	assert_int_equal(cfg_parse_size("-1", &v), -1);
	assert_int_equal(cfg_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(cfg_parse_size("17179869184G", &v), -1);
	assert_int_equal(cfg_parse_time_us("10ms", &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(cfg_parse_time_us("2s", &v), 0);
	assert_int_equal(v, 2000000);
	assert_int_equal(cfg_parse_time_us("250us", &v), 0);
	assert_int_equal(v, 250);
	assert_int_equal(cfg_parse_time_us("10", &v), -1);
	assert_int_equal(cfg_parse_time_us("10min", &v), -1);
	assert_int_equal(cfg_parse_u64("0x", &v), -1);

	char buf[32];

	cfg_fmt_size(buf, sizeof buf, 16 * CFG_MIB);
	assert_string_equal(buf, "16 MiB");
	cfg_fmt_size(buf, sizeof buf, 1536 * CFG_KIB);
	assert_string_equal(buf, "1.5 MiB");
	cfg_fmt_size(buf, sizeof buf, 153040);
	assert_string_equal(buf, "149.5 KiB");
	cfg_fmt_size(buf, sizeof buf, 850);
	assert_string_equal(buf, "850 B");
}

static void syntax_errors(void **state)
{
	(void)state;
	EXPECT_CONF_ERROR(HEAD "[guest alpha]\nimage = x\ncolour = red\n",
			  "t.conf:5: unknown key 'colour' in [guest alpha]",
			  "known keys are image, memory, vcpus, harts, color, timeslice");
	EXPECT_CONF_ERROR("harts = 2\nrams = 1G\n", "t.conf:2: unknown key 'rams' in the global",
			  "platform, harts, ram, timeslice");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nram = 1G\n", "t.conf:4: unknown key 'ram'",
			  "before the first [guest]");
	EXPECT_CONF_ERROR(HEAD "[host a]\n", "t.conf:3: unknown section '[host a]'",
			  "[guest NAME]");
	EXPECT_CONF_ERROR(HEAD "[guest a\n", "t.conf:3:", "no closing ']'");
	EXPECT_CONF_ERROR(HEAD "[guest]\n", "t.conf:3: bad guest name ''", "1 to 15");
	EXPECT_CONF_ERROR(HEAD "[guest a.b]\n", "t.conf:3: bad guest name 'a.b'");
	EXPECT_CONF_ERROR(HEAD "[guest abcdefghijklmnop]\n", "t.conf:3: bad guest name");
	EXPECT_CONF_ERROR("harts 2\n", "t.conf:1: missing '=' in 'harts 2'", "key = value");
	EXPECT_CONF_ERROR("harts =   # none\n", "t.conf:1: missing value after 'harts ='");
	EXPECT_CONF_ERROR("= 2\n", "t.conf:1: missing key");
	EXPECT_CONF_ERROR(
	    "harts = 2\nharts = 3\n",
	    "t.conf:2: duplicate key 'harts' in the global section (first set on line 1)");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 1M\nmemory = 2M\n",
			  "t.conf:5: duplicate key 'memory' in [guest a] (first set on line 4)");
	EXPECT_CONF_ERROR("platform = spike\n", "t.conf:1: unknown platform 'spike'", "qemu-virt");
}

static void value_errors(void **state)
{
	(void)state;
	EXPECT_CONF_ERROR("harts = two\n", "t.conf:1: bad number 'two' for harts", "0x hex");
	EXPECT_CONF_ERROR("harts = 9\n", "t.conf:1: value out of range: harts = 9; use 1 to 8");
	EXPECT_CONF_ERROR("harts = 0\n", "value out of range: harts = 0");
	EXPECT_CONF_ERROR("harts = 1\nram = 512Q\n", "t.conf:2: bad size '512Q' for ram",
			  "K, M or G");
	EXPECT_CONF_ERROR("ram = 1M\n", "t.conf:1: value out of range: ram = 1M", "16M to 64G");
	EXPECT_CONF_ERROR("ram = 0x1080000\n", "t.conf:1:", "whole number of MiB");
	EXPECT_CONF_ERROR("timeslice = 10\n", "t.conf:1: bad time '10' for timeslice",
			  "us, ms or s");
	EXPECT_CONF_ERROR("timeslice = 11s\n", "t.conf:1: value out of range: timeslice",
			  "100us to 10s");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nvcpus = 9\n", "t.conf:4: value out of range: vcpus = 9",
			  "1 to 8");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = lots\n",
			  "t.conf:4: bad size 'lots' for memory");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 1000\n", "t.conf:4:", "multiple of 4 KiB");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 32K\n", "t.conf:4:", "at least 64K");
	EXPECT_CONF_ERROR(
	    HEAD "[guest a]\nmemory = 0xfffffffffffff000\n",
	    "t.conf:4: value out of range: memory = 0xfffffffffffff000; use 64K to 64G");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 1M @ 0x90000800\n",
			  "t.conf:4: memory placed at 0x90000800 is not 4 KiB aligned",
			  "such as 0x90200000");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 1M @ there\n", "t.conf:4: bad host address");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nharts = 0, x\n", "t.conf:4: bad hart number 'x'");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nharts = 8\n", "t.conf:4: value out of range: hart 8");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nharts = 0,0,0,0,0,0,0,0,0\n",
			  "t.conf:4: too many harts");
	EXPECT_CONF_ERROR(HEAD "[guest a]\ncolor = teal\n", "t.conf:4: unknown color 'teal'",
			  "cyan");
}

static void cross_key_errors(void **state)
{
	(void)state;
	EXPECT_CONF_ERROR(HEAD "[guest a]\nimage = x\nmemory = 1M\nvcpus = 2\nharts = 1\n",
			  "t.conf:7: [guest a] has vcpus = 2 but harts lists 1 hart",
			  "one hart per vCPU");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nimage = x\nmemory = 1M\nharts = 0, 2\n",
			  "t.conf:6: hart 2 does not exist: the machine has 2 harts (0 to 1)");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nimage = x\nmemory = 1M\n[guest a]\n",
			  "t.conf:6: two guests named 'a' (the first on line 3)");
	EXPECT_CONF_ERROR(HEAD "\n# nothing\n", "t.conf:4: no guests", "[guest NAME]");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nmemory = 1M\n",
			  "t.conf:3: missing required key 'image' in [guest a]");
	EXPECT_CONF_ERROR(HEAD "[guest a]\nimage = x\n",
			  "t.conf:3: missing required key 'memory' in [guest a]", "memory = 16M");
	EXPECT_CONF_ERROR("ram = 512M\n[guest a]\n", "t.conf:1: missing required key 'harts'");
	EXPECT_CONF_ERROR("harts = 1\n[guest a]\n", "t.conf:1: missing required key 'ram'");
	EXPECT_CONF_ERROR(HEAD "[guest a]\n[guest b]\n[guest c]\n[guest d]\n[guest e]\n[guest f]\n"
			       "[guest g]\n[guest h]\n[guest i]\n",
			  "t.conf:11: too many guests: at most 8");
}

#define GUEST_A HEAD "[guest a]\nimage = x\nmemory = 1M\n"

static void fault_and_console_defaults(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(GUEST_A, &m, &d), 0);
	assert_int_equal(m.guests[0].console, CFG_CONSOLE_UART);
	assert_int_equal(m.guests[0].on_fault, CFG_FAULT_STOP);
	assert_int_equal(m.guests[0].restart_limit, 5);
	assert_int_equal(m.guests[0].restart_delay_us, 100000);
	assert_int_equal(m.guests[0].restart_window_us, 0);
	assert_false(m.guests[0].fault_dump);
	assert_int_equal(m.guests[0].bootargs_line, 0);
	assert_string_equal(m.guests[0].bootargs, "");
}

static void fault_and_console_keys(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(GUEST_A
				     "console = none\non-fault = restart\n"
				     "restart-limit = 1000\nrestart-delay = 10s\n"
				     "restart-window = 3600s\nfault-dump = yes\n"
				     "[guest b]\nimage = x\nmemory = 1M\non-fault = halt\n"
				     "console = uart\nfault-dump = no\n"
				     "[guest c]\nimage = x\nmemory = 1M\non-fault = restart\n"
				     "restart-limit = 0\nrestart-delay = 0\nrestart-window = 0\n"
				     "[guest d]\nimage = x\nmemory = 1M\non-fault = restart\n"
				     "restart-delay = 0ms\n",
				     &m, &d),
			 0);
	assert_int_equal(m.guests[0].console, CFG_CONSOLE_NONE);
	assert_int_equal(m.guests[0].on_fault, CFG_FAULT_RESTART);
	assert_int_equal(m.guests[0].restart_limit, 1000);
	assert_int_equal(m.guests[0].restart_delay_us, 10000000);
	assert_int_equal(m.guests[0].restart_window_us, 3600000000ull);
	assert_true(m.guests[0].fault_dump);
	assert_int_equal(m.guests[1].console, CFG_CONSOLE_UART);
	assert_int_equal(m.guests[1].on_fault, CFG_FAULT_HALT);
	assert_false(m.guests[1].fault_dump);
	assert_int_equal(m.guests[2].restart_limit, 0);
	assert_int_equal(m.guests[2].restart_delay_us, 0);
	assert_int_equal(m.guests[2].restart_window_us, 0);
	assert_int_equal(m.guests[3].restart_limit, 5);
	assert_int_equal(m.guests[3].restart_delay_us, 0);
}

static void bootargs_quoted_or_rest_of_line(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;
	char text[1024], big[CFG_BOOTARGS_MAX];

	(void)state;
	assert_int_equal(parse_check(GUEST_A "bootargs = mode=fault  count=3   # a comment\n"
					     "[guest b]\nimage = x\nmemory = 1M\n"
					     "bootargs = \"  keep # this = too \"  # comment\n"
					     "[guest c]\nimage = x\nmemory = 1M\nbootargs = \"\"\n",
				     &m, &d),
			 0);
	assert_string_equal(m.guests[0].bootargs, "mode=fault  count=3");
	assert_string_equal(m.guests[1].bootargs, "  keep # this = too ");
	assert_string_equal(m.guests[2].bootargs, "");
	assert_int_equal(m.guests[2].bootargs_line, 14);

	/* 255 characters is the most. */
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = 0;
	snprintf(text, sizeof text, GUEST_A "bootargs = %s\n", big);
	assert_int_equal(parse_check(text, &m, &d), 0);
	assert_string_equal(m.guests[0].bootargs, big);
	snprintf(text, sizeof text, GUEST_A "bootargs = \"%sb\"\n", big);
	EXPECT_CONF_ERROR(text, "t.conf:6: bootargs is 256 characters long; use at most 255");
}

static void fault_and_console_errors(void **state)
{
	(void)state;
	EXPECT_CONF_ERROR(GUEST_A "console = serial\n", "t.conf:6: unknown console 'serial'",
			  "use uart", "or none");
	EXPECT_CONF_ERROR(GUEST_A "console = uart\nconsole = none\n",
			  "t.conf:7: duplicate key 'console' in [guest a]");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = reboot\n", "t.conf:6: unknown on-fault 'reboot'",
			  "use stop", "restart", "halt");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = restart\nrestart-limit = 1001\n",
			  "t.conf:7: value out of range: restart-limit = 1001; use 0 to 1000");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = restart\nrestart-limit = lots\n",
			  "t.conf:7: bad number 'lots' for restart-limit");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = restart\nrestart-delay = 100\n",
			  "t.conf:7: bad time '100' for restart-delay", "or 0 for no back-off");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = restart\nrestart-delay = 11s\n",
			  "t.conf:7: value out of range: restart-delay = 11s; use 0 to 10s");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = restart\nrestart-delay = 10000001us\n",
			  "t.conf:7: value out of range: restart-delay");
	EXPECT_CONF_ERROR(GUEST_A "restart-limit = 3\n",
			  "t.conf:6: restart-limit in [guest a] is only meaningful with on-fault = "
			  "restart; set on-fault = restart or remove restart-limit");
	EXPECT_CONF_ERROR(GUEST_A "on-fault = halt\nrestart-delay = 1s\nrestart-limit = 2\n",
			  "t.conf:7: restart-delay in [guest a] is only meaningful with on-fault = "
			  "restart");
	EXPECT_CONF_ERROR(GUEST_A "restart-limit = 2\non-fault = stop\nrestart-delay = 1s\n",
			  "t.conf:6: restart-limit in [guest a] is only meaningful");
	EXPECT_CONF_ERROR(GUEST_A "fault-dump = true\n", "t.conf:6: unknown fault-dump 'true'",
			  "use yes or no");
	EXPECT_CONF_ERROR(GUEST_A "bootargs = \"open\n", "t.conf:6: bootargs \"open has no closing",
			  "bootargs = \"TEXT\"");
	EXPECT_CONF_ERROR(GUEST_A "bootargs = \"a\" b\n",
			  "t.conf:6: unexpected ' b' after the closing quote of bootargs");
	EXPECT_CONF_ERROR(GUEST_A "bootargs = a\"b\"\n", "t.conf:6: bootargs a\"b\" holds a '\"'",
			  "quote the whole text");
	EXPECT_CONF_ERROR(
	    GUEST_A "bootargs = a\tb\n",
	    "t.conf:6: bootargs has a non-printable character (byte 0x9 at position 2)");
	EXPECT_CONF_ERROR(GUEST_A "bootargs = \"caf\xc3\xa9\"\n",
			  "t.conf:6: bootargs has a non-printable character (byte 0xc3");
	EXPECT_CONF_ERROR(GUEST_A "bootargs =\n", "t.conf:6: missing value after 'bootargs ='");
	EXPECT_CONF_ERROR(HEAD "console = none\n", "t.conf:3: unknown key 'console' in the global");
}

static void board_mismatch(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;
	struct cfg_board b = test_board();

	(void)state;
	assert_int_equal(parse_check(duo_conf, &m, &d), 0);
	assert_int_equal(cfg_check_board(&m, &b, &d), 0);
	b.harts = 4;
	assert_int_equal(cfg_check_board(&m, &b, &d), -1);
	expect_msg(&d, "t.conf:3: board mismatch: harts = 2 but the board dtb board.dtb has 4",
		   "-smp 2", NULL);
	b = test_board();
	b.ram_size = 256 * CFG_MIB;
	memset(&d, 0, sizeof d);
	assert_int_equal(cfg_check_board(&m, &b, &d), -1);
	expect_msg(&d, "t.conf:4: board mismatch: ram is 512 MiB", "has 256 MiB", "-m 512M", NULL);
}

static void only_first_error_kept(void **state)
{
	struct cfg_diag d = {0};

	(void)state;
	assert_int_equal(cfg_fail(&d, "a.conf", 3, "first %d", 1), -1);
	assert_int_equal(cfg_fail(&d, "a.conf", 4, "second"), -1);
	assert_string_equal(d.msg, "a.conf:3: first 1");
	assert_int_equal(d.status, CFG_EXIT_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(duo_parses_with_defaults),
	    cmocka_unit_test(default_harts_spread_round_robin),
	    cmocka_unit_test(harts_list_implies_vcpus),
	    cmocka_unit_test(memory_at_host_address),
	    cmocka_unit_test(units),
	    cmocka_unit_test(syntax_errors),
	    cmocka_unit_test(value_errors),
	    cmocka_unit_test(cross_key_errors),
	    cmocka_unit_test(fault_and_console_defaults),
	    cmocka_unit_test(fault_and_console_keys),
	    cmocka_unit_test(bootargs_quoted_or_rest_of_line),
	    cmocka_unit_test(fault_and_console_errors),
	    cmocka_unit_test(board_mismatch),
	    cmocka_unit_test(only_first_error_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
