/* Unit tests of vm_gpa_to_ptr (core/vm_mem.c): a guest range is accepted
 * only when every byte is the guest's RAM, with no wrap-around tricks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vm.h"

#define BASE 0x80000000UL
#define HPA  0x90200000UL
#define SIZE 0x100000UL /* 1 MiB */

static const struct cfg_guest guest = {
    .name = "t", .gpa_base = BASE, .hpa_base = HPA, .mem_size = SIZE};
static const struct vm vm = {.cfg = &guest};

/* The pointer vm_gpa_to_ptr should give for gpa. */
static void *host(uint64_t hpa_base, uint64_t off)
{
	return (void *)(uintptr_t)(hpa_base + off);
}

static void inside(void **state)
{
	(void)state;
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE, 1), host(HPA, 0));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE, SIZE), host(HPA, 0));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + 0x1234, 16), host(HPA, 0x1234));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + 0x1234, SIZE - 0x1234), host(HPA, 0x1234));
	/* Ending exactly at the end of RAM. */
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + SIZE - 1, 1), host(HPA, SIZE - 1));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + SIZE - 64, 64), host(HPA, SIZE - 64));
}

static void past_the_end(void **state)
{
	(void)state;
	assert_null(vm_gpa_to_ptr(&vm, BASE, SIZE + 1));
	assert_null(vm_gpa_to_ptr(&vm, BASE + SIZE - 1, 2));
	assert_null(vm_gpa_to_ptr(&vm, BASE + SIZE - 64, 65));
	assert_null(vm_gpa_to_ptr(&vm, BASE + SIZE, 1));
	assert_null(vm_gpa_to_ptr(&vm, BASE + SIZE + 1, 1));
	assert_null(vm_gpa_to_ptr(&vm, BASE + 2 * SIZE, 16));
}

static void below_base(void **state)
{
	(void)state;
	assert_null(vm_gpa_to_ptr(&vm, BASE - 1, 1));
	assert_null(vm_gpa_to_ptr(&vm, BASE - 1, 2)); /* would end inside */
	assert_null(vm_gpa_to_ptr(&vm, BASE - 0x1000, 0x2000));
	assert_null(vm_gpa_to_ptr(&vm, 0, 16));
	assert_null(vm_gpa_to_ptr(&vm, 0, BASE + SIZE)); /* covers all of RAM */
}

static void zero_length(void **state)
{
	(void)state;
	/* No byte to check: fine anywhere in RAM, up to its end... */
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE, 0), host(HPA, 0));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + 0x800, 0), host(HPA, 0x800));
	assert_ptr_equal(vm_gpa_to_ptr(&vm, BASE + SIZE, 0), host(HPA, SIZE));
	/* ...but not outside it. */
	assert_null(vm_gpa_to_ptr(&vm, BASE + SIZE + 1, 0));
	assert_null(vm_gpa_to_ptr(&vm, BASE - 1, 0));
	assert_null(vm_gpa_to_ptr(&vm, 0, 0));
}

static void wrap_around(void **state)
{
	(void)state;
	/* gpa + len overflows to a small number inside RAM. */
	assert_null(vm_gpa_to_ptr(&vm, BASE, UINT64_MAX));
	assert_null(vm_gpa_to_ptr(&vm, BASE + 0x10, UINT64_MAX - 0xf));
	assert_null(vm_gpa_to_ptr(&vm, BASE + 0x10, UINT64_MAX - 0x1f));
	assert_null(vm_gpa_to_ptr(&vm, UINT64_MAX - 0xf, 0x20));
	assert_null(vm_gpa_to_ptr(&vm, UINT64_MAX, 1));
	assert_null(vm_gpa_to_ptr(&vm, UINT64_MAX, BASE + 2));
	assert_null(vm_gpa_to_ptr(&vm, UINT64_MAX - 0xf, UINT64_MAX));
	assert_null(vm_gpa_to_ptr(&vm, BASE + 1, UINT64_MAX));
}

static void ram_at_the_edges(void **state)
{
	/* RAM at guest-physical 0, and RAM ending at the top of the 64-bit
	 * space, where gpa_base + mem_size itself wraps to 0. */
	static const struct cfg_guest low = {.gpa_base = 0, .hpa_base = HPA, .mem_size = SIZE};
	static const struct cfg_guest top = {
	    .gpa_base = 0 - SIZE, .hpa_base = HPA, .mem_size = SIZE};
	const struct vm vl = {.cfg = &low}, vt = {.cfg = &top};

	(void)state;
	assert_ptr_equal(vm_gpa_to_ptr(&vl, 0, SIZE), host(HPA, 0));
	assert_ptr_equal(vm_gpa_to_ptr(&vl, 0x10, 0x10), host(HPA, 0x10));
	assert_null(vm_gpa_to_ptr(&vl, 0, SIZE + 1));
	assert_null(vm_gpa_to_ptr(&vl, SIZE, 1));

	assert_ptr_equal(vm_gpa_to_ptr(&vt, 0 - SIZE, SIZE), host(HPA, 0));
	assert_ptr_equal(vm_gpa_to_ptr(&vt, UINT64_MAX, 1), host(HPA, SIZE - 1));
	assert_null(vm_gpa_to_ptr(&vt, UINT64_MAX, 2));
	assert_null(vm_gpa_to_ptr(&vt, 0 - SIZE - 1, 1));
	assert_null(vm_gpa_to_ptr(&vt, 0, 1));
}

/* vm_mem_zero clears exactly [p, p + len) for every alignment and length
 * around its 8-byte and 64-byte steps. */
static void zero_exact_range(void **state)
{
	static uint8_t buf[256];

	(void)state;
	for (size_t start = 0; start < 16; start++) {
		for (size_t len = 0; len < 160; len++) {
			memset(buf, 0xa5, sizeof(buf));
			vm_mem_zero(buf + start, len);
			for (size_t i = 0; i < sizeof(buf); i++)
				assert_int_equal(buf[i], i >= start && i < start + len ? 0 : 0xa5);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(inside),		cmocka_unit_test(past_the_end),
	    cmocka_unit_test(below_base),	cmocka_unit_test(zero_length),
	    cmocka_unit_test(wrap_around),	cmocka_unit_test(ram_at_the_edges),
	    cmocka_unit_test(zero_exact_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
