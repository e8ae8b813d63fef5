/* What this RISC-V machine's harts can do, found once at boot. */
#ifndef SEPTA_CPU_H
#define SEPTA_CPU_H

#include <stdbool.h>

struct cpu_features {
	bool sstc; /* stimecmp/vstimecmp exist */
	bool fpu;  /* F and D: guests get floating point */
	unsigned vmid_bits;
};

extern struct cpu_features cpu_features;

/* Parses a riscv,isa string ("rv64imafdch_zicsr_sstc"): is the single-letter
 * extension c present, is the multi-letter one name present. Pure logic. */
bool isa_has_letter(const char *isa, char c);
bool isa_has_ext(const char *isa, const char *name);

#endif
