/* Decoding the load or store that trapped on an MMIO address, so the
 * hypervisor can perform it on the guest's behalf. Pure logic, unit-tested
 * on the host.
 *
 * Emulated: RV64I LB LH LW LD LBU LHU LWU SB SH SW SD and RVC C.LW C.LD C.SW
 * C.SD C.LWSP C.LDSP C.SWSP C.SDSP. Not emulated (-1): floating-point loads
 * and stores, AMOs, LR/SC, the hypervisor's HLV/HSV, and everything else.
 * "-1" below is HV_EINVAL.
 * The address is not decoded: the caller has it from htval/stval. */
#ifndef SEPTA_INSN_DECODE_H
#define SEPTA_INSN_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv.h"

struct insn_mem {
	bool store;
	unsigned width;	  /* 1, 2, 4 or 8 bytes */
	bool sign_extend; /* loads: LB/LH/LW sign-extend; LBU/LHU/LWU/LD don't */
	unsigned reg;	  /* rd for loads, rs2 for stores (x0..x31); a load
			   * into x0 is legal: do the read, discard the value */
	unsigned len;	  /* 2 (compressed) or 4: how far to step the pc */
	/* Where the access starts. From the instruction: x[base] + imm. From
	 * htinst: the faulting address minus addr_offset (base and imm 0). A
	 * split access (one that crosses into another page) faults on its
	 * second part, so the start tells it apart. */
	unsigned base;
	int64_t imm;
	uint64_t addr_offset;
};

/* The 16-bit forms, for insn_decode_mem(). */
int insn_decode_16(uint32_t c, struct insn_mem *out);

/* The 32-bit forms (LOAD and STORE opcodes), for insn_decode_mem() and
 * insn_decode_htinst(). Inline because every emulated device access of a
 * guest decodes one, and the caller can then keep *out in registers.
 *   31      25 24  20 19  15 14 12 11      7 6      0
 *   | imm[11:0]      |  rs1 |funct3|   rd    | 0000011 |   load
 *   | imm[11:5]| rs2 |  rs1 |funct3| imm[4:0]| 0100011 |   store
 * funct3's low two bits give the width (1 << f3); bit 2 set is unsigned.
 * funct3 7 is reserved for loads and 4..7 for stores (RV128's SQ uses
 * another opcode). */
static inline int insn_decode_32(uint32_t insn, struct insn_mem *out)
{
	unsigned f3 = (insn >> 12) & 7;
	bool store = (insn & 0x7f) == 0x23;

	if ((!store && (insn & 0x7f) != 0x03) || f3 == 7 || (store && f3 > 3))
		return HV_EINVAL; /* FP loads/stores, AMO, LR/SC, HLV/HSV, ... */
	out->store = store;
	out->width = 1u << (f3 & 3);
	out->sign_extend = !store && f3 < 3; /* LB LH LW; LD has nothing to extend */
	out->reg = (insn >> (store ? 20 : 7)) & 31;
	out->len = 4;
	out->base = (insn >> 15) & 31;
	/* Arithmetic shifts of the top bits sign-extend the 12-bit offset. */
	out->imm = store ? (int32_t)(insn & 0xfe000000) >> 20 | (int32_t)((insn >> 7) & 31)
			 : (int32_t)insn >> 20;
	out->addr_offset = 0;
	return 0;
}

/* Decodes the instruction as fetched from guest memory. When its low two
 * bits are not 11 it is a 16-bit instruction and bits 31:16 are ignored
 * (they belong to the next instruction). 0, or -1 for anything that is not
 * a load/store listed above. */
static inline int insn_decode_mem(uint32_t insn, struct insn_mem *out)
{
	struct insn_mem c;
	int rc;

	if ((insn & 3) == 3)
		return insn_decode_32(insn, out);
	/* Through a copy, so that the caller's *out, whose address then goes
	 * nowhere, may live in registers. */
	rc = insn_decode_16(insn & 0xffff, &c);
	*out = c;
	return rc;
}

/* Decodes the H extension's transformed instruction from htinst: a 32-bit
 * load/store with its immediate zeroed, rs1 replaced by an address offset
 * (ignored here), and bit 1 clear when the original was compressed (then
 * len = 2). -1 when htinst is 0, a pseudoinstruction (bits 1:0 = 00), has a
 * non-zero immediate field, or is not a load/store listed above. */
int insn_decode_htinst(uint32_t htinst, struct insn_mem *out);
/* The low width bytes of raw, zero- or sign-extended to 64 bits. Widths
 * other than 1, 2 and 4 return raw unchanged. Inline: on every emulated
 * load. */
static inline uint64_t insn_load_value(uint64_t raw, unsigned width, bool sign_extend)
{
	unsigned shift = 64 - 8 * width;

	if (width != 1 && width != 2 && width != 4)
		return raw;
	/* The value's top bit moved to bit 63, then shifted back: arithmetic
	 * (sign-extending) or logical (zero-extending). */
	raw <<= shift;
	return sign_extend ? (uint64_t)((int64_t)raw >> shift) : raw >> shift;
}

#endif
