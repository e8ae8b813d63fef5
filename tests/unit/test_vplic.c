/* Unit tests of the virtual PLIC (core/vplic.c): register layout and WARL
 * masks, level-triggered gateways, claim ordering, thresholds, per-context
 * enables, completion re-arming, and offsets outside the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vplic.h"

#define PRIO(src)   (4 * (uint64_t)(src))
#define PENDING	    0x1000
#define ENABLE(ctx) (0x2000 + 0x80 * (uint64_t)(ctx))
#define THRESH(ctx) (0x200000 + 0x1000 * (uint64_t)(ctx))
#define CLAIM(ctx)  (0x200004 + 0x1000 * (uint64_t)(ctx))

static struct vplic p;

static int setup(void **state)
{
	(void)state;
	memset(&p, 0x5a, sizeof(p));
	vplic_init(&p);
	return 0;
}

static uint32_t rd(uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(vplic_read(&p, off, &v), 0);
	return v;
}

static void wr(uint64_t off, uint32_t v)
{
	assert_int_equal(vplic_write(&p, off, v), 0);
}

static uint32_t claim(unsigned ctx)
{
	return rd(CLAIM(ctx));
}

static void complete(unsigned ctx, uint32_t src)
{
	wr(CLAIM(ctx), src);
}

/* Gives src priority prio and enables it for ctx. */
static void arm(unsigned src, uint32_t prio, unsigned ctx)
{
	wr(PRIO(src), prio);
	wr(ENABLE(ctx), rd(ENABLE(ctx)) | 1u << src);
}

static void reset_state(void **state)
{
	(void)state;
	for (unsigned s = 0; s < VPLIC_SOURCES; s++)
		assert_int_equal(rd(PRIO(s)), 0);
	assert_int_equal(rd(PENDING), 0);
	for (unsigned c = 0; c < VPLIC_CONTEXTS; c++) {
		assert_int_equal(rd(ENABLE(c)), 0);
		assert_int_equal(rd(THRESH(c)), 0);
		assert_int_equal(claim(c), 0);
		assert_false(vplic_ctx_pending(&p, c));
	}
}

static void register_warl(void **state)
{
	(void)state;
	for (unsigned s = 1; s < VPLIC_SOURCES; s++) {
		wr(PRIO(s), s);
		assert_int_equal(rd(PRIO(s)), s & 7);
	}
	wr(PRIO(5), 0xffffffff);
	assert_int_equal(rd(PRIO(5)), 7);
	/* Source 0 does not exist: its priority stays 0. */
	wr(PRIO(0), 5);
	assert_int_equal(rd(PRIO(0)), 0);
	/* Enable bit 0 is hardwired to 0. */
	wr(ENABLE(3), 0xffffffff);
	assert_int_equal(rd(ENABLE(3)), 0xfffffffe);
	assert_int_equal(rd(ENABLE(2)), 0);
	assert_int_equal(rd(ENABLE(4)), 0);
	wr(THRESH(15), 0xff);
	assert_int_equal(rd(THRESH(15)), 7);
	wr(THRESH(15), 3);
	assert_int_equal(rd(THRESH(15)), 3);
	assert_int_equal(rd(THRESH(14)), 0);
	/* Pending bits are read-only. */
	wr(PENDING, 0xffffffff);
	assert_int_equal(rd(PENDING), 0);
}

static void claim_and_complete(void **state)
{
	(void)state;
	arm(10, 1, 1);
	vplic_set_level(&p, 10, true);
	assert_int_equal(rd(PENDING), 1u << 10);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_false(vplic_ctx_pending(&p, 0)); /* not enabled there */
	assert_int_equal(claim(1), 10);
	assert_int_equal(rd(PENDING), 0);
	assert_false(vplic_ctx_pending(&p, 1));
	/* Claimed: a line that stays or goes high again is not a new request. */
	vplic_set_level(&p, 10, true);
	assert_int_equal(rd(PENDING), 0);
	assert_int_equal(claim(1), 0);
	/* Completion with the line still high re-arms at once. */
	complete(1, 10);
	assert_int_equal(rd(PENDING), 1u << 10);
	assert_int_equal(claim(1), 10);
	/* Line low before completion: completion leaves it idle. */
	vplic_set_level(&p, 10, false);
	complete(1, 10);
	assert_int_equal(rd(PENDING), 0);
	assert_false(vplic_ctx_pending(&p, 1));
	/* And the gateway is open for the next rising level. */
	vplic_set_level(&p, 10, true);
	assert_int_equal(claim(1), 10);
}

/* A forwarded request stays pending if the line drops before the claim. */
static void request_survives_deassert(void **state)
{
	(void)state;
	arm(3, 2, 1);
	vplic_set_level(&p, 3, true);
	vplic_set_level(&p, 3, false);
	assert_int_equal(rd(PENDING), 1u << 3);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 3);
	complete(1, 3);
	assert_int_equal(rd(PENDING), 0);
}

static void priority_zero_never_interrupts(void **state)
{
	(void)state;
	arm(4, 0, 1);
	vplic_set_level(&p, 4, true);
	assert_int_equal(rd(PENDING), 1u << 4); /* pending, but... */
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	wr(PRIO(4), 1); /* ...a priority makes it claimable */
	assert_true(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 4);
}

static void threshold_masks(void **state)
{
	(void)state;
	arm(6, 3, 1);
	vplic_set_level(&p, 6, true);
	wr(THRESH(1), 3); /* priority must be strictly above */
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	assert_int_equal(rd(PENDING), 1u << 6); /* a masked claim takes nothing */
	wr(THRESH(1), 2);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 6);
	complete(1, 6);
	/* Threshold 7 masks even priority 7. */
	wr(PRIO(6), 7);
	wr(THRESH(1), 7);
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	wr(THRESH(1), 6);
	assert_int_equal(claim(1), 6);
}

/* Highest priority first; equal priorities by lowest id. */
static void claim_order(void **state)
{
	(void)state;
	arm(3, 2, 1);
	arm(5, 5, 1);
	arm(7, 5, 1);
	arm(9, 1, 1);
	arm(31, 2, 1);
	arm(1, 5, 1);
	for (unsigned s = 1; s < VPLIC_SOURCES; s++)
		vplic_set_level(&p, s, true);
	assert_int_equal(claim(1), 1);
	assert_int_equal(claim(1), 5);
	assert_int_equal(claim(1), 7);
	assert_int_equal(claim(1), 3);
	assert_int_equal(claim(1), 31);
	assert_int_equal(claim(1), 9);
	assert_int_equal(claim(1), 0);
	assert_false(vplic_ctx_pending(&p, 1));
	/* Sources not enabled for the context stayed pending. */
	assert_int_equal(rd(PENDING), 0xfffffffe & ~(1u << 1 | 1u << 3 | 1u << 5 | 1u << 7 |
						     1u << 9 | 1u << 31));
	/* Completing out of order re-arms each, since the lines are high. */
	complete(1, 9);
	complete(1, 5);
	assert_int_equal(claim(1), 5);
	assert_int_equal(claim(1), 9);
}

static void enables_per_context(void **state)
{
	(void)state;
	arm(3, 1, 1);
	arm(5, 1, 3);
	vplic_set_level(&p, 3, true);
	vplic_set_level(&p, 5, true);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_true(vplic_ctx_pending(&p, 3));
	assert_false(vplic_ctx_pending(&p, 5));
	assert_int_equal(claim(3), 5);
	assert_int_equal(claim(3), 0); /* 3 is not ctx 3's */
	assert_int_equal(claim(1), 3);
	/* Completion only counts from a context that has the source enabled. */
	complete(3, 3);
	assert_int_equal(rd(PENDING), 0);
	assert_int_equal(claim(1), 0);
	complete(1, 3);
	assert_int_equal(claim(1), 3);
	/* A source enabled for two contexts is claimed once. */
	arm(8, 2, 1);
	arm(8, 2, 3);
	vplic_set_level(&p, 8, true);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_true(vplic_ctx_pending(&p, 3));
	assert_int_equal(claim(3), 8);
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	/* Disabling hides a pending source without dropping it. */
	vplic_set_level(&p, 12, true);
	arm(12, 1, 1);
	wr(ENABLE(1), rd(ENABLE(1)) & ~(1u << 12));
	assert_int_equal(claim(1), 0);
	assert_int_equal(rd(PENDING), 1u << 12);
	wr(ENABLE(1), rd(ENABLE(1)) | 1u << 12);
	assert_int_equal(claim(1), 12);
}

static void bogus_completions_ignored(void **state)
{
	(void)state;
	wr(ENABLE(1), 0xfffffffe);
	arm(2, 1, 1);
	vplic_set_level(&p, 2, true);
	assert_int_equal(claim(1), 2);
	complete(1, 0);
	complete(1, 32);
	complete(1, 1000);
	complete(1, 0xffffffff);
	complete(1, 4); /* enabled but never claimed: harmless */
	assert_int_equal(rd(PENDING), 0);
	assert_int_equal(claim(1), 0);
	complete(1, 2);
	assert_int_equal(claim(1), 2);
}

static void bad_sources_and_contexts(void **state)
{
	(void)state;
	wr(ENABLE(1), 0xfffffffe);
	vplic_set_level(&p, 0, true);
	vplic_set_level(&p, VPLIC_SOURCES, true);
	vplic_set_level(&p, 1000, true);
	assert_int_equal(rd(PENDING), 0);
	assert_false(vplic_ctx_pending(&p, VPLIC_CONTEXTS));
	assert_false(vplic_ctx_pending(&p, 0xffffffff));
}

static void expect_fault(uint64_t off)
{
	uint32_t v = 0x12345678;

	assert_int_equal(vplic_read(&p, off, &v), -1);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(vplic_write(&p, off, 1), -1);
}

static void offsets_outside_model(void **state)
{
	(void)state;
	expect_fault(PRIO(VPLIC_SOURCES)); /* source 32 */
	expect_fault(0xffc);
	expect_fault(PENDING + 4); /* sources 32..63 */
	expect_fault(0x1ffc);
	expect_fault(ENABLE(0) + 4);
	expect_fault(ENABLE(1) + 0x7c);
	expect_fault(ENABLE(VPLIC_CONTEXTS));
	expect_fault(0x1ffffc);
	expect_fault(THRESH(0) + 8);
	expect_fault(THRESH(2) + 0xffc);
	expect_fault(THRESH(VPLIC_CONTEXTS));
	expect_fault(CLAIM(VPLIC_CONTEXTS));
	expect_fault(0x4000000);
	expect_fault(0xfffffffffffffffcULL);
	/* Misaligned: only whole 32-bit registers exist. */
	expect_fault(PRIO(1) + 1);
	expect_fault(PRIO(1) + 2);
	expect_fault(PENDING + 3);
	expect_fault(ENABLE(1) + 2);
	expect_fault(THRESH(1) + 1);
	expect_fault(CLAIM(1) + 2);
	/* The last register of each block is inside. */
	assert_int_equal(rd(PRIO(VPLIC_SOURCES - 1)), 0);
	assert_int_equal(rd(ENABLE(VPLIC_CONTEXTS - 1)), 0);
	assert_int_equal(rd(CLAIM(VPLIC_CONTEXTS - 1)), 0);
}

/* A passed-through line or a doorbell: each raise is one request, and
 * only the completion of a claimed request is handed back (to complete the
 * physical claim), once. */
static void raised_sources_complete_once(void **state)
{
	(void)state;
	arm(11, 1, 1);
	assert_int_equal(vplic_take_completed(&p), 0);
	vplic_raise(&p, 11);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 11);
	complete(1, 11);
	assert_int_equal(vplic_take_completed(&p), 1u << 11);
	assert_int_equal(vplic_take_completed(&p), 0);
	/* No level is left high: nothing pends again after the completion. */
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	/* Completing what was never claimed passes nothing on. */
	complete(1, 11);
	assert_int_equal(vplic_take_completed(&p), 0);
	vplic_raise(&p, 0);
	vplic_raise(&p, VPLIC_SOURCES);
	assert_int_equal(rd(PENDING), 0);
}

/* A doorbell rung while its source is in service (the guest claimed it and
 * may already have looked at its ring) is not lost: no second request
 * during service, one when the guest completes; several rings meanwhile
 * are one request, as several before a claim are. */
static void raise_during_service_comes_back(void **state)
{
	(void)state;
	arm(31, 1, 1);
	vplic_raise(&p, 31);
	assert_int_equal(claim(1), 31);
	vplic_raise(&p, 31);
	vplic_raise(&p, 31);
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
	complete(1, 31);
	assert_int_equal(vplic_take_completed(&p), 1u << 31);
	assert_true(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 31);
	complete(1, 31);
	assert_false(vplic_ctx_pending(&p, 1));
	assert_int_equal(claim(1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(reset_state, setup),
	    cmocka_unit_test_setup(register_warl, setup),
	    cmocka_unit_test_setup(claim_and_complete, setup),
	    cmocka_unit_test_setup(request_survives_deassert, setup),
	    cmocka_unit_test_setup(priority_zero_never_interrupts, setup),
	    cmocka_unit_test_setup(threshold_masks, setup),
	    cmocka_unit_test_setup(claim_order, setup),
	    cmocka_unit_test_setup(enables_per_context, setup),
	    cmocka_unit_test_setup(bogus_completions_ignored, setup),
	    cmocka_unit_test_setup(bad_sources_and_contexts, setup),
	    cmocka_unit_test_setup(offsets_outside_model, setup),
	    cmocka_unit_test_setup(raised_sources_complete_once, setup),
	    cmocka_unit_test_setup(raise_during_service_comes_back, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
