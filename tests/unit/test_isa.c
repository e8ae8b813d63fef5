/* Unit tests of riscv,isa string parsing (arch/riscv/isa.c): single letters
 * only before the first '_', multi-letter names matched whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpu.h"

#define QEMU_ISA "rv64imafdch_zicsr_zifencei_sstc"

static void letters(void **state)
{
	(void)state;
	assert_true(isa_has_letter(QEMU_ISA, 'h'));
	assert_true(isa_has_letter(QEMU_ISA, 'i'));
	assert_true(isa_has_letter(QEMU_ISA, 'c'));
	assert_false(isa_has_letter(QEMU_ISA, 'v'));
	/* Letters of the prefix and of multi-letter names do not count. */
	assert_false(isa_has_letter(QEMU_ISA, 'r'));
	assert_false(isa_has_letter(QEMU_ISA, '6'));
	assert_false(isa_has_letter(QEMU_ISA, 'z'));
	assert_false(isa_has_letter(QEMU_ISA, 's'));
	assert_false(isa_has_letter("rv64imafdc_zicsr", 'h'));
	assert_true(isa_has_letter("rv64imafdc_zicsr", 'd'));
	assert_false(isa_has_letter("rv64imac_zhinx", 'h'));
	assert_false(isa_has_letter("rv64imac_zicsr_h", 'h'));
	assert_true(isa_has_letter("rv32imac", 'm'));
	assert_true(isa_has_letter("rv64h", 'h'));
	assert_false(isa_has_letter("rv64", 'i'));
}

static void bad_prefix(void **state)
{
	(void)state;
	assert_false(isa_has_letter("", 'i'));
	assert_false(isa_has_letter("rv", 'i'));
	assert_false(isa_has_letter("rv6", '6'));
	assert_false(isa_has_letter("rv128imach", 'h'));
	assert_false(isa_has_letter("x64imach", 'h'));
	assert_false(isa_has_letter("imach", 'h'));
	assert_false(isa_has_letter("rV64imach", 'h'));
}

static void multi_letter(void **state)
{
	(void)state;
	assert_true(isa_has_ext(QEMU_ISA, "sstc"));	/* last */
	assert_true(isa_has_ext(QEMU_ISA, "zicsr"));	/* first */
	assert_true(isa_has_ext(QEMU_ISA, "zifencei")); /* middle */
	/* Prefixes and longer names are other extensions. */
	assert_false(isa_has_ext(QEMU_ISA, "sst"));
	assert_false(isa_has_ext(QEMU_ISA, "zics"));
	assert_false(isa_has_ext(QEMU_ISA, "zifence"));
	assert_false(isa_has_ext(QEMU_ISA, "sstcx"));
	assert_false(isa_has_ext(QEMU_ISA, "zicsr_zifencei_sstcx"));
	/* Suffixes and the single-letter part are not names either. */
	assert_false(isa_has_ext(QEMU_ISA, "stc"));
	assert_false(isa_has_ext(QEMU_ISA, "csr"));
	assert_false(isa_has_ext(QEMU_ISA, "h"));
	assert_false(isa_has_ext(QEMU_ISA, "rv64imafdch"));
	assert_false(isa_has_ext(QEMU_ISA, "svpbmt"));
	assert_false(isa_has_ext("rv64imafdch", "sstc"));
	assert_true(isa_has_ext("rv64imac_zhinx", "zhinx"));
	assert_false(isa_has_ext("rv64imac_zhinx", "zhinxmin"));
	assert_true(isa_has_ext("rv64imac_zhinxmin_zhinx", "zhinx"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(letters),
	    cmocka_unit_test(bad_prefix),
	    cmocka_unit_test(multi_letter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
