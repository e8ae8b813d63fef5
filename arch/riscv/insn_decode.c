/* Load/store decoding for MMIO emulation: the RVC forms and the H
 * extension's transformed instructions (the 32-bit forms are inline in
 * insn_decode.h).
 *
 *   15 13 12    10 9  7 6  5 4  2 1 0
 *   |fun3| imm   | rs1'| imm | rd'| 00|   C.LW/C.LD (rd'), C.SW/C.SD (rs2')
 *   |fun3|i| rd       | imm      | 10|   C.LWSP/C.LDSP
 *   |fun3| imm        | rs2      | 10|   C.SWSP/C.SDSP
 * The 3-bit rd'/rs1'/rs2' name x8..x15. */
#include "insn_decode.h"

#include "hv.h"

#define OP_LOAD	 0x03
#define OP_STORE 0x23

#define C_Q0 0x0
#define C_Q2 0x2

/* funct3 of the RVC forms we emulate; the others in those quadrants are
 * ADDI4SPN, FLD/FSD(SP), reserved, or ALU forms. */
#define C_LW 2
#define C_LD 3
#define C_SW 6
#define C_SD 7

/* The width and extension of LW and LD, which the 16-bit forms take. */
struct width_sign {
	unsigned width;
	bool sign_extend;
};

static const struct width_sign lw = {4, true}, ld = {8, false};

static unsigned bits(uint32_t v, unsigned lo, unsigned n)
{
	return (v >> lo) & ((1U << n) - 1);
}

static int set_out(struct insn_mem *out, bool store, struct width_sign ws, unsigned reg,
		   unsigned base, int64_t imm)
{
	out->store = store;
	out->width = ws.width;
	out->sign_extend = store ? false : ws.sign_extend;
	out->reg = reg;
	out->len = 2;
	out->base = base;
	out->imm = imm;
	out->addr_offset = 0;
	return 0;
}

int insn_decode_16(uint32_t c, struct insn_mem *out)
{
	unsigned f3 = bits(c, 13, 3);
	unsigned creg = 8 + bits(c, 2, 3); /* rd' or rs2' */
	unsigned rd = bits(c, 7, 5);
	unsigned rs2 = bits(c, 2, 5);
	unsigned crs1 = 8 + bits(c, 7, 3); /* rs1' */
	/* The scaled, zero-extended offsets of the word and doubleword forms. */
	int64_t off_w = bits(c, 10, 3) << 3 | bits(c, 6, 1) << 2 | bits(c, 5, 1) << 6;
	int64_t off_d = bits(c, 10, 3) << 3 | bits(c, 5, 2) << 6;
	int64_t lwsp = bits(c, 12, 1) << 5 | bits(c, 4, 3) << 2 | bits(c, 2, 2) << 6;
	int64_t ldsp = bits(c, 12, 1) << 5 | bits(c, 5, 2) << 3 | bits(c, 2, 3) << 6;
	int64_t swsp = bits(c, 9, 4) << 2 | bits(c, 7, 2) << 6;
	int64_t sdsp = bits(c, 10, 3) << 3 | bits(c, 7, 3) << 6;

	switch (bits(c, 0, 2)) {
	case C_Q0:
		switch (f3) {
		case C_LW:
			return set_out(out, false, lw, creg, crs1, off_w);
		case C_LD:
			return set_out(out, false, ld, creg, crs1, off_d);
		case C_SW:
			return set_out(out, true, lw, creg, crs1, off_w);
		case C_SD:
			return set_out(out, true, ld, creg, crs1, off_d);
		}
		return HV_EINVAL;
	case C_Q2:
		/* C.LWSP/C.LDSP with rd = x0 are reserved encodings. */
		if ((f3 == C_LW || f3 == C_LD) && !rd)
			return HV_EINVAL;
		switch (f3) {
		case C_LW:
			return set_out(out, false, lw, rd, 2, lwsp);
		case C_LD:
			return set_out(out, false, ld, rd, 2, ldsp);
		case C_SW:
			return set_out(out, true, lw, rs2, 2, swsp);
		case C_SD:
			return set_out(out, true, ld, rs2, 2, sdsp);
		}
		return HV_EINVAL;
	default:
		return HV_EINVAL; /* quadrant 1 holds no loads or stores */
	}
}

int insn_decode_htinst(uint32_t htinst, struct insn_mem *out)
{
	uint32_t insn = htinst | 2; /* decode it as the 32-bit form */
	unsigned len = (htinst & 2) ? 4 : 2;

	/* Bit 0 is set in every transformed standard instruction; 0 means "no
	 * information" and bits 1:0 = 00 mark the VS-stage page-table
	 * pseudoinstructions. Bit 1 tells the original's length. */
	if (!(htinst & 1))
		return HV_EINVAL;
	/* The spec zeroes the offset fields; anything else is not a
	 * transformed load/store. */
	switch (bits(insn, 0, 7)) {
	case OP_LOAD:
		if (bits(insn, 20, 12))
			return HV_EINVAL;
		break;
	case OP_STORE:
		if (bits(insn, 25, 7) || bits(insn, 7, 5))
			return HV_EINVAL;
		break;
	default:
		return HV_EINVAL;
	}
	if (insn_decode_32(insn, out))
		return HV_EINVAL;
	out->len = len;
	/* rs1's place holds the faulting address's offset from the start of
	 * the access: nonzero for the second part of a split access. */
	out->base = 0;
	out->imm = 0;
	out->addr_offset = bits(htinst, 15, 5);
	return 0;
}
