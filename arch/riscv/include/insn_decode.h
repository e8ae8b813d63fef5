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

/* Decodes the instruction as fetched from guest memory. When its low two
 * bits are not 11 it is a 16-bit instruction and bits 31:16 are ignored
 * (they belong to the next instruction). 0, or -1 for anything that is not
 * a load/store listed above. */
int insn_decode_mem(uint32_t insn, struct insn_mem *out);
/* Decodes the H extension's transformed instruction from htinst: a 32-bit
 * load/store with its immediate zeroed, rs1 replaced by an address offset
 * (ignored here), and bit 1 clear when the original was compressed (then
 * len = 2). -1 when htinst is 0, a pseudoinstruction (bits 1:0 = 00), has a
 * non-zero immediate field, or is not a load/store listed above. */
int insn_decode_htinst(uint32_t htinst, struct insn_mem *out);
/* The low width bytes of raw, zero- or sign-extended to 64 bits. Widths
 * other than 1, 2 and 4 return raw unchanged. */
uint64_t insn_load_value(uint64_t raw, unsigned width, bool sign_extend);

#endif
