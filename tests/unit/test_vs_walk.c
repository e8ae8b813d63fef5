/* The software VS-stage walk: translations at every level, and every way a
 * walk must refuse (PTE outside RAM, invalid, W without R, misaligned
 * superpage, pointer at the last level, unknown mode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vs_walk.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64 * 4096ull)
#define V	 1ull
#define R	 2ull
#define W	 4ull
#define X	 8ull
#define SV39	 (8ull << 60)
#define SV48	 (9ull << 60)

static uint64_t ram[RAM_SIZE / 8];

static bool read_pte(void *ctx, uint64_t gpa, uint64_t *pte)
{
	(void)ctx;
	if (gpa < RAM_BASE || gpa - RAM_BASE >= RAM_SIZE)
		return false;
	*pte = ram[(gpa - RAM_BASE) / 8];
	return true;
}

/* Page n of the fake RAM, as a guest-physical address. */
static uint64_t page(unsigned n)
{
	return RAM_BASE + n * 4096ull;
}

static void set_pte(uint64_t table, unsigned index, uint64_t pte)
{
	ram[(table - RAM_BASE) / 8 + index] = pte;
}

static uint64_t pte_to(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << 10) | flags;
}

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	return 0;
}

static void bare_is_identity(void **state)
{
	uint64_t gpa;

	(void)state;
	assert_int_equal(vs_walk(0, 0x10000005, read_pte, NULL, &gpa), 0);
	assert_int_equal(gpa, 0x10000005);
}

static void sv39_4k_leaf(void **state)
{
	uint64_t gpa, va = 0x40201123; /* VPN2 1, VPN1 1, VPN0 1 */

	(void)state;
	set_pte(page(0), 1, pte_to(page(1), V));
	set_pte(page(1), 1, pte_to(page(2), V));
	set_pte(page(2), 1, pte_to(0x10000000, V | R | W));
	assert_int_equal(vs_walk(SV39 | (page(0) >> 12), va, read_pte, NULL, &gpa), 0);
	assert_int_equal(gpa, 0x10000123);
}

static void sv39_gigapage(void **state)
{
	uint64_t gpa;

	(void)state;
	set_pte(page(0), 3, pte_to(0x80000000, V | R | X));
	assert_int_equal(vs_walk(SV39 | (page(0) >> 12), 0xc0123456, read_pte, NULL, &gpa), 0);
	assert_int_equal(gpa, 0x80123456);
}

static void sv48_megapage(void **state)
{
	uint64_t gpa, va = (1ull << 39) | (2ull << 21) | 0x1234;

	(void)state;
	set_pte(page(0), 1, pte_to(page(1), V));
	set_pte(page(1), 0, pte_to(page(2), V));
	set_pte(page(2), 2, pte_to(0x10200000, V | R));
	assert_int_equal(vs_walk(SV48 | (page(0) >> 12), va, read_pte, NULL, &gpa), 0);
	assert_int_equal(gpa, 0x10201234);
}

/* The case that matters: a table pointer to a device address. The walk
 * itself would read the device, so there is no translation to emulate. */
static void pointer_outside_ram_refused(void **state)
{
	uint64_t gpa = 0;

	(void)state;
	set_pte(page(0), 3, pte_to(0x10000000, V));
	assert_int_equal(vs_walk(SV39 | (page(0) >> 12), 0xc0000000, read_pte, NULL, &gpa), -1);
	/* And a root outside RAM. */
	assert_int_equal(vs_walk(SV39 | (0x10000000 >> 12), 0, read_pte, NULL, &gpa), -1);
}

static void malformed_entries_refused(void **state)
{
	uint64_t gpa, satp = SV39 | (page(0) >> 12);

	(void)state;
	/* Invalid. */
	set_pte(page(0), 0, pte_to(0x80000000, R));
	assert_int_equal(vs_walk(satp, 0x1000, read_pte, NULL, &gpa), -1);
	/* Writable but not readable: reserved. */
	set_pte(page(0), 0, pte_to(0x80000000, V | W));
	assert_int_equal(vs_walk(satp, 0x1000, read_pte, NULL, &gpa), -1);
	/* A gigapage whose PPN is not 1 GiB aligned. */
	set_pte(page(0), 0, pte_to(0x80001000, V | R));
	assert_int_equal(vs_walk(satp, 0x1000, read_pte, NULL, &gpa), -1);
	/* A pointer at the last level. */
	set_pte(page(0), 0, pte_to(page(1), V));
	set_pte(page(1), 0, pte_to(page(2), V));
	set_pte(page(2), 1, pte_to(page(3), V));
	assert_int_equal(vs_walk(satp, 0x1000, read_pte, NULL, &gpa), -1);
	/* An unknown mode. */
	assert_int_equal(vs_walk((5ull << 60) | (page(0) >> 12), 0x1000, read_pte, NULL, &gpa), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(bare_is_identity, setup),
	    cmocka_unit_test_setup(sv39_4k_leaf, setup),
	    cmocka_unit_test_setup(sv39_gigapage, setup),
	    cmocka_unit_test_setup(sv48_megapage, setup),
	    cmocka_unit_test_setup(pointer_outside_ram_refused, setup),
	    cmocka_unit_test_setup(malformed_entries_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
