/* Unit tests of the MMIO load/store decoder (arch/riscv/insn_decode.c):
 * every RV64I and RVC form, htinst transformed instructions, rejects, and
 * load-value extension. Encodings are built from the spec's bit layouts;
 * a few are cross-checked against riscv64-unknown-elf-as. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "insn_decode.h"

#define OP_LOAD	    0x03
#define OP_LOAD_FP  0x07
#define OP_STORE    0x23
#define OP_STORE_FP 0x27
#define OP_IMM	    0x13

static uint32_t i_type(uint32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
	return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t s_type(uint32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
	return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1f) << 7 |
	       op;
}

/* Quadrant 0 CL/CS layout: f3 | 12:10 | rs1' | 6:5 | rd'/rs2' | 00. The
 * immediate fields are passed raw. */
static uint32_t c_q0(unsigned f3, unsigned hi3, unsigned rs1p, unsigned lo2, unsigned rp)
{
	return f3 << 13 | hi3 << 10 | rs1p << 7 | lo2 << 5 | rp << 2 | 0x0;
}

/* Quadrant 2 CI layout (LWSP/LDSP): f3 | 12 | rd | 6:2 | 10. */
static uint32_t c_ci(unsigned f3, unsigned b12, unsigned rd, unsigned lo5)
{
	return f3 << 13 | b12 << 12 | rd << 7 | lo5 << 2 | 0x2;
}

/* Quadrant 2 CSS layout (SWSP/SDSP): f3 | 12:7 | rs2 | 10. */
static uint32_t c_css(unsigned f3, unsigned imm6, unsigned rs2)
{
	return f3 << 13 | imm6 << 7 | rs2 << 2 | 0x2;
}

static void expect(uint32_t insn, bool store, unsigned width, bool sx, unsigned reg, unsigned len)
{
	struct insn_mem m;

	memset(&m, 0xa5, sizeof(m));
	assert_int_equal(insn_decode_mem(insn, &m), 0);
	assert_int_equal(m.store, store);
	assert_int_equal(m.width, width);
	assert_int_equal(m.sign_extend, sx);
	assert_int_equal(m.reg, reg);
	assert_int_equal(m.len, len);
}

static void expect_reject(uint32_t insn)
{
	struct insn_mem m;

	assert_int_equal(insn_decode_mem(insn, &m), -1);
}

static const struct {
	unsigned f3, width;
	bool sx;
} loads[] = {
    {0, 1, true},  /* LB */
    {1, 2, true},  /* LH */
    {2, 4, true},  /* LW */
    {3, 8, false}, /* LD */
    {4, 1, false}, /* LBU */
    {5, 2, false}, /* LHU */
    {6, 4, false}, /* LWU */
};

static void rv64_loads(void **state)
{
	static const uint32_t imms[] = {0, 1, 0x7ff, 0x800, 0xfff};

	(void)state;
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
		for (unsigned rd = 0; rd < 32; rd++)
			for (size_t k = 0; k < 5; k++)
				expect(i_type(imms[k], (rd * 7) % 32, loads[i].f3, rd, OP_LOAD),
				       false, loads[i].width, loads[i].sx, rd, 4);
}

static void rv64_stores(void **state)
{
	static const uint32_t imms[] = {0, 1, 0x7ff, 0x800, 0xfff};
	static const unsigned widths[] = {1, 2, 4, 8};

	(void)state;
	for (unsigned f3 = 0; f3 < 4; f3++)
		for (unsigned rs2 = 0; rs2 < 32; rs2++)
			for (size_t k = 0; k < 5; k++)
				expect(s_type(imms[k], rs2, 31 - rs2, f3, OP_STORE), true,
				       widths[f3], false, rs2, 4);
}

/* Encodings printed by riscv64-unknown-elf-objdump for hand-written asm. */
static void assembler_cross_check(void **state)
{
	(void)state;
	expect(0xfff58503, false, 1, true, 10, 4);  /* lb a0,-1(a1) */
	expect(0x0024d283, false, 2, false, 5, 4);  /* lhu t0,2(s1) */
	expect(0x7ff16d83, false, 4, false, 27, 4); /* lwu s11,2047(sp) */
	expect(0x800fb083, false, 8, false, 1, 4);  /* ld ra,-2048(t6) */
	expect(0x000502a3, true, 1, false, 0, 4);   /* sb zero,5(a0) */
	expect(0xfe641d23, true, 2, false, 6, 4);   /* sh t1,-6(s0) */
	expect(0x0711a223, true, 4, false, 17, 4);  /* sw a7,100(gp) */
	expect(0x01223423, true, 8, false, 18, 4);  /* sd s2,8(tp) */
	expect(0x41c8, false, 4, true, 10, 2);	    /* c.lw a0,4(a1) */
	expect(0x7fe4, false, 8, false, 9, 2);	    /* c.ld s1,248(a5) */
	expect(0xdc70, true, 4, false, 12, 2);	    /* c.sw a2,124(s0) */
	expect(0xe314, true, 8, false, 13, 2);	    /* c.sd a3,0(a4) */
	expect(0x53fe, false, 4, true, 7, 2);	    /* c.lwsp t2,252(sp) */
	expect(0x79fe, false, 8, false, 19, 2);	    /* c.ldsp s3,504(sp) */
	expect(0xc07e, true, 4, false, 31, 2);	    /* c.swsp t6,0(sp) */
	expect(0xe406, true, 8, false, 1, 2);	    /* c.sdsp ra,8(sp) */
	expect_reject(0x00052507);		    /* flw fa0,0(a0) */
	expect_reject(0x00b6252f);		    /* amoadd.w a0,a1,(a2) */
	expect_reject(0x1005b52f);		    /* lr.d a0,(a1) */
}

/* C.LW/C.LD/C.SW/C.SD: rd'/rs2' map to x8..x15 whatever the base register
 * and immediate bits say. */
static void compressed_cl_cs(void **state)
{
	static const struct {
		unsigned f3;
		bool store;
		unsigned width;
		bool sx;
	} forms[] = {
	    {2, false, 4, true}, {3, false, 8, false}, {6, true, 4, false}, {7, true, 8, false}};

	(void)state;
	for (size_t f = 0; f < 4; f++)
		for (unsigned rp = 0; rp < 8; rp++)
			for (unsigned rs1p = 0; rs1p < 8; rs1p++)
				for (unsigned imm = 0; imm < 32; imm++)
					expect(c_q0(forms[f].f3, imm >> 2, rs1p, imm & 3, rp),
					       forms[f].store, forms[f].width, forms[f].sx, 8 + rp,
					       2);
}

/* C.LWSP/C.LDSP/C.SWSP/C.SDSP: full 5-bit registers, any immediate. */
static void compressed_sp(void **state)
{
	(void)state;
	for (unsigned r = 0; r < 32; r++) {
		for (unsigned imm = 0; imm < 64; imm++) {
			if (r) {
				expect(c_ci(2, imm >> 5, r, imm & 0x1f), false, 4, true, r, 2);
				expect(c_ci(3, imm >> 5, r, imm & 0x1f), false, 8, false, r, 2);
			}
			expect(c_css(6, imm, r), true, 4, false, r, 2);
			expect(c_css(7, imm, r), true, 8, false, r, 2);
		}
	}
	/* rd = x0 is a reserved encoding of C.LWSP and C.LDSP. */
	expect_reject(c_ci(2, 0, 0, 4));
	expect_reject(c_ci(3, 1, 0, 4));
}

/* A 16-bit instruction fetched as a word carries the next instruction in
 * bits 31:16; they must not matter. */
static void compressed_ignores_upper_half(void **state)
{
	(void)state;
	expect(0xdead0000 | 0x41c8, false, 4, true, 10, 2);
	expect(0xffff0000 | 0xe406, true, 8, false, 1, 2);
	expect_reject(0x41c80000); /* the low half is 0: illegal */
}

static void rejects(void **state)
{
	(void)state;
	expect_reject(0x00000000);
	expect_reject(0xffffffff);
	expect_reject(i_type(5, 1, 7, 10, OP_LOAD)); /* load funct3 7 is reserved */
	for (unsigned f3 = 4; f3 < 8; f3++)
		expect_reject(s_type(0, 3, 4, f3, OP_STORE));
	expect_reject(i_type(1, 2, 0, 3, OP_IMM));	  /* addi */
	expect_reject(0x000005b7);			  /* lui a1,0 */
	expect_reject(i_type(0, 10, 2, 10, OP_LOAD_FP));  /* flw */
	expect_reject(i_type(0, 10, 3, 10, OP_LOAD_FP));  /* fld */
	expect_reject(s_type(0, 10, 11, 2, OP_STORE_FP)); /* fsw */
	expect_reject(s_type(0, 10, 11, 3, OP_STORE_FP)); /* fsd */
	expect_reject(0x0805352f);			  /* amoswap.d a0,zero,(a0) */
	expect_reject(0x18c5b52f);			  /* sc.d a0,a2,(a1) */
	expect_reject(0x6805c573);			  /* hlv.w a0,(a1) */
	/* Quadrant 0's other slots: ADDI4SPN, FLD, reserved, FSD. */
	expect_reject(c_q0(0, 1, 2, 3, 4));
	expect_reject(c_q0(1, 1, 2, 3, 4));
	expect_reject(c_q0(4, 1, 2, 3, 4));
	expect_reject(c_q0(5, 1, 2, 3, 4));
	/* Quadrant 1 has no memory access at all. */
	for (unsigned f3 = 0; f3 < 8; f3++)
		expect_reject(f3 << 13 | 0x0505);
	/* Quadrant 2's others: SLLI, FLDSP, JR/MV/ADD, FSDSP. */
	expect_reject(c_ci(0, 0, 5, 1));
	expect_reject(c_ci(1, 0, 5, 1));
	expect_reject(c_ci(4, 1, 5, 6));
	expect_reject(c_css(5, 3, 8));
}

static void expect_ht(uint32_t ht, bool store, unsigned width, bool sx, unsigned reg, unsigned len)
{
	struct insn_mem m;

	memset(&m, 0xa5, sizeof(m));
	assert_int_equal(insn_decode_htinst(ht, &m), 0);
	assert_int_equal(m.store, store);
	assert_int_equal(m.width, width);
	assert_int_equal(m.sign_extend, sx);
	assert_int_equal(m.reg, reg);
	assert_int_equal(m.len, len);
}

static void expect_ht_reject(uint32_t ht)
{
	struct insn_mem m;

	assert_int_equal(insn_decode_htinst(ht, &m), -1);
}

/* Transformed instructions: immediate zeroed, rs1 replaced by the address
 * offset, bit 1 cleared for an original 16-bit instruction. */
static void htinst_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		uint32_t t = i_type(0, 0, loads[i].f3, 17, OP_LOAD);

		expect_ht(t, false, loads[i].width, loads[i].sx, 17, 4);
		expect_ht(t & ~2u, false, loads[i].width, loads[i].sx, 17, 2);
	}
	for (unsigned f3 = 0; f3 < 4; f3++) {
		uint32_t t = s_type(0, 9, 0, f3, OP_STORE);

		expect_ht(t, true, 1u << f3, false, 9, 4);
		expect_ht(t & ~2u, true, 1u << f3, false, 9, 2);
	}
	/* A non-zero address offset (misaligned access) sits in rs1. */
	expect_ht(i_type(0, 3, 2, 10, OP_LOAD), false, 4, true, 10, 4);
	expect_ht(s_type(0, 12, 7, 3, OP_STORE), true, 8, false, 12, 4);
	/* C.SDSP ra expands to SD ra with the 16-bit marker. */
	expect_ht(s_type(0, 1, 0, 3, OP_STORE) & ~2u, true, 8, false, 1, 2);
}

static void htinst_rejects(void **state)
{
	(void)state;
	expect_ht_reject(0);
	/* VS-stage page-table pseudoinstructions (bits 1:0 = 00). */
	expect_ht_reject(0x00002000);
	expect_ht_reject(0x00003000);
	expect_ht_reject(0x00002020);
	expect_ht_reject(0x00003020);
	/* Untransformed: offset fields still set. */
	expect_ht_reject(0xfff58503); /* lb a0,-1(a1) */
	expect_ht_reject(0x000502a3); /* sb zero,5(a0): imm[4:0] = 5 */
	expect_ht_reject(s_type(0x20, 1, 0, 3, OP_STORE));
	/* Transformed, but not something we emulate. */
	expect_ht_reject(i_type(0, 0, 2, 10, OP_LOAD_FP));
	expect_ht_reject(s_type(0, 10, 0, 3, OP_STORE_FP));
	expect_ht_reject(0x00b0252f); /* amoadd.w a0,a1 with rs1 = offset 0 */
	expect_ht_reject(i_type(0, 0, 7, 10, OP_LOAD));
	expect_ht_reject(s_type(0, 1, 0, 5, OP_STORE));
	expect_ht_reject(i_type(0, 0, 0, 3, OP_IMM));
	expect_ht_reject(0x6800c573); /* hlv.w: a system instruction */
}

static void load_value_extension(void **state)
{
	(void)state;
	assert_int_equal(insn_load_value(0x80, 1, true), 0xffffffffffffff80ULL);
	assert_int_equal(insn_load_value(0x80, 1, false), 0x80);
	assert_int_equal(insn_load_value(0x7f, 1, true), 0x7f);
	assert_int_equal(insn_load_value(0x8000, 2, true), 0xffffffffffff8000ULL);
	assert_int_equal(insn_load_value(0x8000, 2, false), 0x8000);
	assert_int_equal(insn_load_value(0x7fff, 2, true), 0x7fff);
	assert_int_equal(insn_load_value(0x80000000, 4, true), 0xffffffff80000000ULL);
	assert_int_equal(insn_load_value(0x80000000, 4, false), 0x80000000);
	assert_int_equal(insn_load_value(0x7fffffff, 4, true), 0x7fffffff);
	/* Bytes above the width are dropped before extending. */
	assert_int_equal(insn_load_value(0x123456789abcde80ULL, 1, false), 0x80);
	assert_int_equal(insn_load_value(0x123456789abcde7fULL, 1, true), 0x7f);
	assert_int_equal(insn_load_value(0x1234567800008001ULL, 2, true), 0xffffffffffff8001ULL);
	assert_int_equal(insn_load_value(0xffffffff00000001ULL, 4, true), 1);
	/* Width 8 (and anything unexpected) passes raw through. */
	assert_int_equal(insn_load_value(0x8000000000000000ULL, 8, true), 0x8000000000000000ULL);
	assert_int_equal(insn_load_value(0x8000000000000000ULL, 8, false), 0x8000000000000000ULL);
	assert_int_equal(insn_load_value(0xabcdULL, 3, true), 0xabcdULL);
}

/* Where each access starts (base register and offset), checked against
 * encodings the GNU assembler produced for the instructions in the
 * comments: a split access is told apart by comparing this start with the
 * faulting address. */
static void address_operands(void **state)
{
	static const struct {
		uint32_t insn;
		unsigned base;
		int64_t imm;
	} cases[] = {
	    {0xff84b503, 9, -8},    /* ld a0, -8(s1) */
	    {0x7e57bfa3, 15, 2047}, /* sd t0, 2047(a5) */
	    {0x80032283, 6, -2048}, /* lw t0, -2048(t1) */
	    {0xfea00fa3, 0, -1},    /* sb a0, -1(zero) */
	    {0x7de8, 11, 248},	    /* c.ld a0, 248(a1) */
	    {0x5ef0, 13, 124},	    /* c.lw a2, 124(a3) */
	    {0xc038, 8, 64},	    /* c.sw a4, 64(s0) */
	    {0xe7c4, 15, 136},	    /* c.sd s1, 136(a5) */
	    {0x557e, 2, 252},	    /* c.lwsp a0, 252(sp) */
	    {0x757e, 2, 504},	    /* c.ldsp a0, 504(sp) */
	    {0xdfae, 2, 252},	    /* c.swsp a1, 252(sp) */
	    {0xffae, 2, 504},	    /* c.sdsp a1, 504(sp) */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct insn_mem m;

		memset(&m, 0xa5, sizeof(m));
		assert_int_equal(insn_decode_mem(cases[i].insn, &m), 0);
		assert_int_equal(m.base, cases[i].base);
		assert_int_equal(m.imm, cases[i].imm);
		assert_int_equal(m.addr_offset, 0);
	}
}

/* htinst's rs1 field is the faulting address's offset from the access's
 * start: nonzero on the second part of a split access. */
static void htinst_address_offset(void **state)
{
	struct insn_mem m;

	(void)state;
	/* ld a0 (transformed: rs1 = 0, imm = 0), then with offset 4 in rs1. */
	assert_int_equal(insn_decode_htinst(0x00003503, &m), 0);
	assert_int_equal(m.addr_offset, 0);
	assert_int_equal(insn_decode_htinst(0x00023503, &m), 0);
	assert_int_equal(m.addr_offset, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rv64_loads),
	    cmocka_unit_test(rv64_stores),
	    cmocka_unit_test(assembler_cross_check),
	    cmocka_unit_test(compressed_cl_cs),
	    cmocka_unit_test(compressed_sp),
	    cmocka_unit_test(compressed_ignores_upper_half),
	    cmocka_unit_test(rejects),
	    cmocka_unit_test(htinst_forms),
	    cmocka_unit_test(htinst_rejects),
	    cmocka_unit_test(load_value_extension),
	    cmocka_unit_test(address_operands),
	    cmocka_unit_test(htinst_address_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
