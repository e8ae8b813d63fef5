/* Unit tests of septa-cfg's host-physical placement: the hypervisor region,
 * automatic first fit, guests pinned with '@', and what does not fit. */
#include "test_cfg_util.h"

#define HEAD "harts = 2\nram = 64M\n"

/* Parses text and gives every guest a 4 KiB image and a 1 KiB dtb. */
static int place(const char *text, struct cfg_model *m, struct cfg_diag *d)
{
	assert_int_equal(parse_check(text, m, d), 0);
	for (uint32_t i = 0; i < m->nguests; i++) {
		m->guests[i].img.size = 4096;
		m->guests[i].dtb_size = 1024;
	}
	return cfg_place(m, d);
}

static void duo_first_fit_in_config_order(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(place(duo_conf, &m, &d), 0);
	assert_int_equal(m.hv_base, BOARD_HV_BASE);
	/* 0x80200000 + 4 MiB core + 2 x (4K + 4K) rounds up to 0x80800000. */
	assert_int_equal(m.hv_limit, 0x80800000);
	assert_int_equal(m.guests[0].hpa_base, 0x80800000);
	assert_int_equal(m.guests[1].hpa_base, 0x81800000);
}

static void hv_limit_grows_with_images(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(parse_check(duo_conf, &m, &d), 0);
	m.guests[0].img.size = 2 * CFG_MIB + 1; /* rounds to 2 MiB + 4 KiB */
	m.guests[0].dtb_size = 900;
	assert_int_equal(cfg_place(&m, &d), 0);
	assert_int_equal(m.hv_limit, 0x80a00000);
	assert_int_equal(m.guests[0].hpa_base, 0x80a00000);
	/* Guests start on 2 MiB boundaries even after odd sizes. */
	assert_int_equal(m.guests[1].hpa_base, 0x81a00000);
}

static void odd_sizes_keep_2m_alignment(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 1028K\n"
				    "[guest b]\nimage = x\nmemory = 64K\n",
			       &m, &d),
			 0);
	assert_int_equal(m.guests[0].hpa_base, 0x80800000);
	assert_int_equal(m.guests[1].hpa_base, 0x80a00000);
}

static void pinned_guest_and_flow_around(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	/* b is pinned where a would go; a flows past it. */
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 4M\n"
				    "[guest b]\nimage = x\nmemory = 2M @ 0x80a00000\n",
			       &m, &d),
			 0);
	assert_int_equal(m.guests[1].hpa_base, 0x80a00000);
	assert_int_equal(m.guests[0].hpa_base, 0x80c00000);
}

static void small_auto_guest_fills_gap_before_pinned(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M\n"
				    "[guest b]\nimage = x\nmemory = 2M @ 0x80a00000\n",
			       &m, &d),
			 0);
	assert_int_equal(m.guests[0].hpa_base, 0x80800000);
}

static void pinned_errors(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x80100000\n", &m, &d),
			 -1);
	expect_msg(&d,
		   "t.conf:5: memory of [guest a] at 0x80100000..0x80300000 overlaps the firmware",
		   "at or above 0x80800000", NULL);
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x80600000\n", &m, &d),
			 -1);
	expect_msg(&d, "t.conf:5:", "overlaps the hypervisor 0x80200000..0x80800000", NULL);
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x83f00000\n", &m, &d),
			 -1);
	expect_msg(&d, "t.conf:5:", "is outside RAM 0x80000000..0x84000000", NULL);
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x1000\n", &m, &d), -1);
	expect_msg(&d, "outside RAM", NULL);
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 4M @ 0x81000000\n"
				    "[guest b]\nimage = x\nmemory = 2M @ 0x81200000\n",
			       &m, &d),
			 -1);
	expect_msg(&d, "t.conf:8: memory of [guest b] at 0x81200000..0x81400000 overlaps [guest a]",
		   "0x81000000..0x81400000", NULL);
}

static void does_not_fit_says_what_is_free(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;

	(void)state;
	/* 64 MiB RAM - 8 MiB for firmware and hypervisor = 56 MiB. */
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 40M\n"
				    "[guest b]\nimage = x\nmemory = 20M\n",
			       &m, &d),
			 -1);
	expect_msg(&d, "t.conf:8: memory of [guest b] (20 MiB) does not fit",
		   "16 MiB of RAM is free", "largest 2 MiB aligned block is 16 MiB",
		   "raise ram (now 64 MiB)", NULL);
	/* A pinned guest splits the free space. */
	assert_int_equal(place(HEAD "[guest a]\nimage = x\nmemory = 2M @ 0x82000000\n"
				    "[guest b]\nimage = x\nmemory = 31M\n",
			       &m, &d),
			 -1);
	expect_msg(&d, "54 MiB of RAM is free", "largest 2 MiB aligned block is 30 MiB", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(duo_first_fit_in_config_order),
	    cmocka_unit_test(hv_limit_grows_with_images),
	    cmocka_unit_test(odd_sizes_keep_2m_alignment),
	    cmocka_unit_test(pinned_guest_and_flow_around),
	    cmocka_unit_test(small_auto_guest_fills_gap_before_pinned),
	    cmocka_unit_test(pinned_errors),
	    cmocka_unit_test(does_not_fit_says_what_is_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
