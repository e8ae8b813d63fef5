/* Unit tests of septa-cfg's channels: [channel NAME] parsed, checked
 * (members, writers, windows, doorbell sources), placed in host RAM and
 * described in each member's device tree. */
#include <libfdt.h>

#include "test_cfg_util.h"

#define HEAD                                                                                       \
	"harts = 2\nram = 64M\n[guest a]\nimage = x\nmemory = 2M\n[guest b]\nimage = x\n"          \
	"memory = 2M\n[guest c]\nimage = x\nmemory = 2M\n"

/* Parse, check and check channels (no board devices are granted). */
static int chan_check(const char *text, struct cfg_model *m, struct cfg_diag *d)
{
	if (parse_check(text, m, d))
		return -1;
	return cfg_check_channels(m, d);
}

#define EXPECT_CHAN_ERROR(text, ...) EXPECT_ERROR_FROM(chan_check, text, __VA_ARGS__)

static void parses_and_lays_out(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(chan_check(HEAD
				    "[channel one]\nsize = 8K\nmembers = a, b\n"
				    "[channel two]\nsize = 4K\nmembers = c, b, a\nwriters = c\n",
				    &m, &d),
			 0);
	assert_int_equal(m.nchannels, 2);
	const struct cfg_channel_model *one = &m.channels[0], *two = &m.channels[1];
	/* One after the other in the window. */
	assert_int_equal(one->gpa, BOARD_CHAN_BASE);
	assert_int_equal(two->gpa, BOARD_CHAN_BASE + 0x2000);
	assert_int_equal(one->guest[0], 0);
	assert_int_equal(one->guest[1], 1);
	assert_true(one->writable[0] && one->writable[1]);
	assert_int_equal(two->guest[0], 2);
	assert_true(two->writable[0] && !two->writable[1] && !two->writable[2]);
	/* Doorbells from the top; b is in both, so they differ. */
	assert_int_equal(one->irq, 31);
	assert_int_equal(two->irq, 30);
	/* Each guest's list: which member, and may it write. */
	assert_int_equal(m.guests[1].nchans, 2);
	assert_int_equal(m.guests[1].chans[1].member, 1);
	assert_false(m.guests[1].chans[1].writable);
	assert_int_equal(m.guests[2].nchans, 1);
	assert_true(m.guests[2].chans[0].writable);

	/* Host placement: after the guests, 4 KiB aligned, not overlapping. */
	for (uint32_t i = 0; i < m.nguests; i++) {
		m.guests[i].img.size = 4096;
		m.guests[i].dtb_size = 1024;
	}
	assert_int_equal(cfg_place(&m, &d), 0);
	assert_int_equal(one->hpa, m.guests[2].hpa_base + 2 * CFG_MIB);
	assert_int_equal(two->hpa, one->hpa + 0x2000);
}

static void pinned_address_and_interrupt(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(chan_check(HEAD "[channel p]\nsize = 4K\nmembers = a, b\naddress = "
					 "0xb0000000\ninterrupt = 5\n[channel q]\nsize = 4K\n"
					 "members = b, c\n",
				    &m, &d),
			 0);
	assert_int_equal(m.channels[0].gpa, 0xb0000000);
	assert_int_equal(m.channels[0].irq, 5);
	/* The next automatic one goes after every window so far. */
	assert_int_equal(m.channels[1].gpa, 0xb0001000);
	assert_int_equal(m.channels[1].irq, 31);
}

static void mistakes(void **state)
{
	(void)state;
	EXPECT_CONF_ERROR(HEAD "[channel x]\nsize = 6K\n", "t.conf:13:", "not a multiple of 4 KiB");
	EXPECT_CONF_ERROR(HEAD "[channel x]\nmembers = a, a\n", "named twice in members");
	EXPECT_CONF_ERROR(HEAD "[channel x]\nmembers = a, b\nmembers = a, b\n", "duplicate key");
	EXPECT_CONF_ERROR(HEAD "[channel x]\ninterrupt = 32\n", "use 1 to 31");
	EXPECT_CONF_ERROR(HEAD "[channel x]\naddress = 0xa0000100\n", "not 4 KiB aligned");
	EXPECT_CONF_ERROR(HEAD "[channel x]\n[channel x]\n", "two channels named 'x'");
	EXPECT_CONF_ERROR(HEAD "[channel x]\nimage = y\n", "unknown key 'image' in [channel x]");
	EXPECT_CONF_ERROR(HEAD "[channel a.b]\n", "bad channel name 'a.b'");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a\n",
			  "t.conf:14:", "has 1 member; a channel joins at least two");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\n", "t.conf:12:", "has 0 members");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nmembers = a, b\n", "missing required key 'size'");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, z\n", "unknown guest 'z'");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, b\nwriters = c\n",
			  "writer 'c' of [channel x] is not one of its members");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 8K\nmembers = a, b\n[channel y]\nsize = 4K\n"
			       "members = b, c\naddress = 0xa0001000\n",
			  "t.conf:18:", "overlaps [channel x] at 0xa0000000..0xa0002000 (line 12)");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, b\naddress = 0x80100000\n",
			  "t.conf:5:", "RAM of [guest a] at 0x80000000..0x80200000 overlaps");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, b\naddress = 0xc000000\n",
			  "overlaps the virtual PLIC or UART of [guest a]");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, b\ninterrupt = 10\n",
			  "interrupt 10 of [channel x] is already the virtual UART's");
	EXPECT_CHAN_ERROR(HEAD "[channel x]\nsize = 4K\nmembers = a, b\ninterrupt = 7\n"
			       "[channel y]\nsize = 4K\nmembers = b, c\ninterrupt = 7\n",
			  "interrupt 7 of [channel y] is already the doorbell of [channel x] in "
			  "[guest b]");
}

/* Two channels may share a source when no guest is in both. */
static void disjoint_channels_may_share_a_source(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(chan_check("harts = 1\nram = 64M\n[guest a]\nimage = x\nmemory = 2M\n"
				    "[guest b]\nimage = x\nmemory = 2M\n[guest c]\nimage = x\n"
				    "memory = 2M\n[guest e]\nimage = x\nmemory = 2M\n"
				    "[channel x]\nsize = 4K\nmembers = a, b\n"
				    "[channel y]\nsize = 4K\nmembers = c, e\n",
				    &m, &d),
			 0);
	assert_int_equal(m.channels[0].irq, 31);
	assert_int_equal(m.channels[1].irq, 31);
}

static uint32_t u32_prop(const void *fdt, int node, const char *name)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 4);
	return fdt32_ld(p);
}

static void member_device_tree(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;
	struct cfg_board b = test_board();
	uint8_t *fdt;
	uint64_t size;
	int len;

	(void)state;
	assert_int_equal(chan_check(HEAD "[channel link]\nsize = 8K\nmembers = a, b\n"
					 "writers = a\n",
				    &m, &d),
			 0);
	m.guests[1].gpa_base = BOARD_GUEST_RAM_BASE;
	assert_int_equal(guest_dtb_build(&m.guests[1], &b, &fdt, &size), 0);
	int node = fdt_path_offset(fdt, "/soc/channel@a0000000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "compatible", NULL), "septa,channel");
	assert_string_equal(fdt_getprop(fdt, node, "label", NULL), "link");
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt32_ld(reg + 1), 0xa0000000);
	assert_int_equal(fdt32_ld(reg + 3), 0x2000);
	assert_int_equal(u32_prop(fdt, node, "interrupts"), 31);
	int plic = fdt_node_offset_by_phandle(fdt, u32_prop(fdt, node, "interrupt-parent"));
	assert_int_equal(plic, fdt_path_offset(fdt, "/soc/plic@c000000"));
	assert_int_equal(u32_prop(fdt, node, "septa,channel"), 0);
	assert_int_equal(u32_prop(fdt, node, "septa,member"), 1);
	assert_int_equal(u32_prop(fdt, node, "septa,members"), 2);
	assert_non_null(fdt_getprop(fdt, node, "read-only", NULL));
	free(fdt);
	/* Not a member: no node. */
	m.guests[2].gpa_base = BOARD_GUEST_RAM_BASE;
	assert_int_equal(guest_dtb_build(&m.guests[2], &b, &fdt, &size), 0);
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "septa,channel") < 0);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_and_lays_out),
	    cmocka_unit_test(pinned_address_and_interrupt),
	    cmocka_unit_test(mistakes),
	    cmocka_unit_test(disjoint_channels_may_share_a_source),
	    cmocka_unit_test(member_device_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
