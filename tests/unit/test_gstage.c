/* Unit tests of the Sv39x4 G-stage builder (arch/riscv/gstage.c), on host
 * pages: every page of a mapping translates right, everything else does
 * not, leaves carry the right bits, and bad requests are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gstage.h"
#include "hv.h"

#define KIB	  1024UL
#define MIB	  (1024 * KIB)
#define GIB	  (1024 * MIB)
#define GPA_TOP	  (1UL << GSTAGE_GPA_BITS)
#define PTE_FLAGS 0x3ffUL
#define LEAF_BITS (PTE_V | PTE_U | PTE_A | PTE_D)

#define MAX_PAGES 64

/* The page allocator: counts its calls, fails once the budget is spent, and
 * remembers every page so that the tests leak nothing. */
static struct {
	unsigned calls, budget, npages;
	void *pages[MAX_PAGES];
} pool;

static struct gstage g;

static void *alloc_page(void *ctx)
{
	void *p;

	assert_ptr_equal(ctx, &pool);
	pool.calls++;
	if (pool.npages == pool.budget)
		return NULL;
	assert_true(pool.npages < MAX_PAGES);
	p = aligned_alloc(4096, 4096);
	assert_non_null(p);
	memset(p, 0, 4096);
	pool.pages[pool.npages++] = p;
	return p;
}

static int setup(void **state)
{
	(void)state;
	memset(&pool, 0, sizeof(pool));
	pool.budget = MAX_PAGES;
	g.root = aligned_alloc(GSTAGE_ROOT_SIZE, GSTAGE_ROOT_SIZE);
	assert_non_null(g.root);
	memset(g.root, 0, GSTAGE_ROOT_SIZE);
	g.alloc.page = alloc_page;
	g.alloc.ctx = &pool;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < pool.npages; i++)
		free(pool.pages[i]);
	free(g.root);
	return 0;
}

/* The table a non-leaf PTE points at. */
static uint64_t *next_table(uint64_t pte)
{
	assert_int_equal(pte & PTE_FLAGS, PTE_V); /* valid, not a leaf */
	return (uint64_t *)(uintptr_t)((pte >> 10) << 12);
}

static unsigned root_index(uint64_t gpa)
{
	return (unsigned)(gpa >> 30) & 0x7ff;
}

static unsigned l1_index(uint64_t gpa)
{
	return (unsigned)(gpa >> 21) & 0x1ff;
}

static unsigned l0_index(uint64_t gpa)
{
	return (unsigned)(gpa >> 12) & 0x1ff;
}

static void expect_unmapped(uint64_t gpa)
{
	uint64_t hpa = 0xdead, perm = 0xbeef;

	assert_int_equal(gstage_translate(&g, gpa, &hpa, &perm), HV_ERANGE);
}

static void expect_mapped(uint64_t gpa, uint64_t want_hpa, uint64_t want_perm)
{
	uint64_t hpa = 0, perm = 0;

	assert_int_equal(gstage_translate(&g, gpa, &hpa, &perm), 0);
	assert_int_equal(hpa, want_hpa);
	assert_int_equal(perm, want_perm);
}

/* Every page of [gpa, gpa+size) translates to hpa + offset, at the page's
 * start, an odd offset and its last byte. */
static void expect_region(uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t perm)
{
	for (uint64_t off = 0; off < size; off += 4096) {
		expect_mapped(gpa + off, hpa + off, perm);
		expect_mapped(gpa + off + 0x123, hpa + off + 0x123, perm);
		expect_mapped(gpa + off + 4095, hpa + off + 4095, perm);
	}
}

/* The 2 MiB-aligned 16 MiB region plus a 4 KiB-aligned-only one. */
#define R1_GPA	0x80000000UL
#define R1_HPA	0x90000000UL
#define R1_SIZE (16 * MIB)
#define R1_PERM PTE_RWX
#define R2_GPA	0x82000000UL
#define R2_HPA	0x90001000UL
#define R2_SIZE (2 * MIB + 64 * KIB)
#define R2_PERM (PTE_R | PTE_X)

static void map_two_regions(void)
{
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, R1_SIZE, R1_PERM), 0);
	/* One level-1 table under root entry 2; 2 MiB leaves need no more. */
	assert_int_equal(pool.calls, 1);
	assert_int_equal(gstage_map(&g, R2_GPA, R2_HPA, R2_SIZE, R2_PERM), 0);
	/* Two level-0 tables: R2 spans two 2 MiB windows. */
	assert_int_equal(pool.calls, 3);
}

static void translate_every_page(void **state)
{
	(void)state;
	map_two_regions();
	expect_region(R1_GPA, R1_HPA, R1_SIZE, R1_PERM);
	expect_region(R2_GPA, R2_HPA, R2_SIZE, R2_PERM);
	/* Just outside each region, the gap between them, and far away. */
	expect_unmapped(R1_GPA - 1);
	expect_unmapped(R1_GPA - 4096);
	expect_unmapped(R1_GPA + R1_SIZE);
	expect_unmapped(R2_GPA - 1);
	expect_unmapped(R2_GPA + R2_SIZE);
	expect_unmapped(R2_GPA + R2_SIZE + 4095);
	expect_unmapped(R2_GPA + 4 * MIB); /* l1 entry next to R2's tables */
	for (uint64_t gpa = R1_GPA + R1_SIZE; gpa < R2_GPA; gpa += 4096)
		expect_unmapped(gpa);
	expect_unmapped(0x0);
	expect_unmapped(0x10000000UL);
	expect_unmapped(0x100000000UL);
	expect_unmapped(0xC0000000UL); /* root entry 3: next to R1's */
	expect_unmapped(GPA_TOP - 4096);
	expect_unmapped(GPA_TOP - 1);
	/* Beyond the 41-bit space: never mapped, however the bits alias. */
	expect_unmapped(GPA_TOP);
	expect_unmapped(GPA_TOP + R1_GPA);
	expect_unmapped(UINT64_MAX);
	/* No lookup allocated anything. */
	assert_int_equal(pool.calls, 3);
}

static void leaf_bits_in_raw_tables(void **state)
{
	(void)state;
	map_two_regions();

	/* R1: 2 MiB leaves in the level-1 table under root entry 2. */
	uint64_t *l1 = next_table(g.root[root_index(R1_GPA)]);
	for (unsigned i = 0; i < R1_SIZE / (2 * MIB); i++) {
		uint64_t pte = l1[l1_index(R1_GPA) + i];

		assert_int_equal(pte & PTE_FLAGS, LEAF_BITS | R1_PERM);
		assert_int_equal(pte >> 10, (R1_HPA + i * 2 * MIB) >> 12);
	}
	assert_int_equal(l1[l1_index(R1_GPA + R1_SIZE)], 0);

	/* R2: 4 KiB leaves, 512 in the first level-0 table, 16 in the next. */
	uint64_t *l0 = next_table(l1[l1_index(R2_GPA)]);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t pte = l0[l0_index(R2_GPA + i * 4096UL)];

		assert_int_equal(pte & PTE_FLAGS, LEAF_BITS | R2_PERM);
		assert_int_equal(pte >> 10, (R2_HPA >> 12) + i);
	}
	l0 = next_table(l1[l1_index(R2_GPA + 2 * MIB)]);
	for (unsigned i = 0; i < 512; i++) {
		if (i < 16)
			assert_int_equal(l0[i], ((((R2_HPA + 2 * MIB) >> 12) + i) << 10) |
						    LEAF_BITS | R2_PERM);
		else
			assert_int_equal(l0[i], 0);
	}
	/* Nothing else in the root. */
	for (unsigned i = 0; i < 2048; i++)
		if (i != root_index(R1_GPA))
			assert_int_equal(g.root[i], 0);
}

static void alignment_picks_leaf_size(void **state)
{
	(void)state;
	/* 4 KiB until gpa and hpa reach 2 MiB alignment, then 2 MiB leaves
	 * while 2 MiB remain, then 4 KiB again for the tail. */
	uint64_t gpa = 2 * MIB - 4096, hpa = 0x40000000UL - 4096, size = 4 * MIB + 8192;

	assert_int_equal(gstage_map(&g, gpa, hpa, size, PTE_R | PTE_W), 0);
	expect_region(gpa, hpa, size, PTE_R | PTE_W);
	expect_unmapped(gpa - 1);
	expect_unmapped(gpa + size);

	uint64_t *l1 = next_table(g.root[0]);
	uint64_t *first = next_table(l1[0]);
	assert_int_equal(first[511] & PTE_FLAGS, LEAF_BITS | PTE_R | PTE_W);
	assert_int_equal(first[510], 0);
	for (unsigned i = 1; i <= 2; i++) { /* two 2 MiB leaves */
		assert_int_equal(l1[i] & PTE_FLAGS, LEAF_BITS | PTE_R | PTE_W);
		assert_int_equal(l1[i] >> 10, (0x40000000UL + (i - 1) * 2 * MIB) >> 12);
	}
	uint64_t *last = next_table(l1[3]);
	assert_int_equal(last[0] >> 10, (0x40000000UL + 4 * MIB) >> 12);
	assert_int_equal(last[1], 0);
	assert_int_equal(pool.calls, 3); /* l1, and two l0 tables */

	/* gpa 2 MiB-aligned but hpa only 4 KiB: 4 KiB leaves throughout. */
	assert_int_equal(gstage_map(&g, 0x10000000UL, 0x20001000UL, 2 * MIB, PTE_R), 0);
	expect_region(0x10000000UL, 0x20001000UL, 2 * MIB, PTE_R);
	l1 = next_table(g.root[0]);
	assert_int_equal(l1[l1_index(0x10000000UL)] & PTE_FLAGS, PTE_V);
}

static void gigabyte_leaf_at_root(void **state)
{
	(void)state;
	assert_int_equal(gstage_map(&g, 1 * GIB, 3 * GIB, 1 * GIB, PTE_RWX), 0);
	assert_int_equal(pool.calls, 0);
	assert_int_equal(g.root[1], (3 * GIB >> 12) << 10 | LEAF_BITS | PTE_RWX);
	expect_mapped(1 * GIB, 3 * GIB, PTE_RWX);
	expect_mapped(1 * GIB + 0x12345678UL, 3 * GIB + 0x12345678UL, PTE_RWX);
	expect_mapped(2 * GIB - 1, 4 * GIB - 1, PTE_RWX);
	expect_unmapped(1 * GIB - 1);
	expect_unmapped(2 * GIB);

	/* The x4 root: the last entry (index 2047) is usable. */
	assert_int_equal(gstage_map(&g, GPA_TOP - GIB, 5 * GIB, GIB, PTE_R), 0);
	assert_int_equal(pool.calls, 0);
	assert_int_equal(g.root[2047] & PTE_FLAGS, LEAF_BITS | PTE_R);
	expect_mapped(GPA_TOP - 1, 6 * GIB - 1, PTE_R);
	expect_unmapped(GPA_TOP);
}

static void last_page_of_space(void **state)
{
	(void)state;
	assert_int_equal(gstage_map(&g, GPA_TOP - 4096, 0x90000000UL, 4096, PTE_R), 0);
	assert_int_equal(pool.calls, 2);
	expect_mapped(GPA_TOP - 4096, 0x90000000UL, PTE_R);
	expect_mapped(GPA_TOP - 1, 0x90000fffUL, PTE_R);
	expect_unmapped(GPA_TOP - 8192);
	expect_unmapped(0); /* the same low index bits, another root entry */
}

static void bad_arguments(void **state)
{
	(void)state;
	/* Unaligned gpa, hpa or size. */
	assert_int_equal(gstage_map(&g, R1_GPA + 1, R1_HPA, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA + 0x800, R1_HPA, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA + 8, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4097, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 100, PTE_R), HV_EINVAL);
	/* No permission, or bits other than R/W/X. */
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, 0), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, PTE_R | PTE_U), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, PTE_R | PTE_V), HV_EINVAL);
	/* Beyond the 41-bit guest-physical space, or running past its end. */
	assert_int_equal(gstage_map(&g, GPA_TOP, R1_HPA, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, 1UL << 63, R1_HPA, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, GPA_TOP - 4096, R1_HPA, 8192, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, 0x1000, R1_HPA, (uint64_t)-4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, 0, 0, GPA_TOP + 4096, PTE_R), HV_EINVAL);
	/* Nothing was touched. */
	assert_int_equal(pool.calls, 0);
	for (unsigned i = 0; i < 2048; i++)
		assert_int_equal(g.root[i], 0);
}

static void overlap_refused(void **state)
{
	(void)state;
	map_two_regions();
	/* The same region again, a 4 KiB page inside a 2 MiB leaf, a 2 MiB
	 * leaf over a level-0 table, a 1 GiB leaf over the level-1 table, and
	 * one page of R2. */
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, R1_SIZE, R1_PERM), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R1_GPA + 0x5000, 0x1000, 4096, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R2_GPA, 0, 2 * MIB, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, 2 * GIB, 0, GIB, PTE_R), HV_EINVAL);
	assert_int_equal(gstage_map(&g, R2_GPA + R2_SIZE - 4096, 0, 4096, PTE_R), HV_EINVAL);
	/* The existing mappings are intact, and no table was added. */
	assert_int_equal(pool.calls, 3);
	expect_region(R1_GPA, R1_HPA, R1_SIZE, R1_PERM);
	expect_region(R2_GPA, R2_HPA, R2_SIZE, R2_PERM);
	/* Right next to R2 is still free. */
	assert_int_equal(gstage_map(&g, R2_GPA + R2_SIZE, 0x1000, 4096, PTE_W | PTE_R), 0);
	expect_mapped(R2_GPA + R2_SIZE, 0x1000, PTE_W | PTE_R);
}

static void allocator_failure(void **state)
{
	(void)state;
	pool.budget = 0;
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, PTE_R), HV_ENOMEM);
	assert_int_equal(pool.calls, 1);
	expect_unmapped(R1_GPA);

	/* The level-1 table comes, the level-0 one does not. */
	pool.budget = 1;
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, PTE_R), HV_ENOMEM);
	assert_int_equal(pool.calls, 3);
	expect_unmapped(R1_GPA);

	/* With pages again, the half-built path is reused. */
	pool.budget = MAX_PAGES;
	assert_int_equal(gstage_map(&g, R1_GPA, R1_HPA, 4096, PTE_R), 0);
	assert_int_equal(pool.calls, 4);
	assert_int_equal(pool.npages, 2);
	expect_mapped(R1_GPA, R1_HPA, PTE_R);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(translate_every_page),  T(leaf_bits_in_raw_tables), T(alignment_picks_leaf_size),
	    T(gigabyte_leaf_at_root), T(last_page_of_space),	  T(bad_arguments),
	    T(overlap_refused),	      T(allocator_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
