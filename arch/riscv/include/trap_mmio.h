/* The rules of an emulated device access that both tiers of the device
 * path apply: trap.c's mmio() (the fast and the slow path) and the leaf
 * (mmio_leaf.c). Inline, because the leaf may call nothing. */
#ifndef SEPTA_TRAP_MMIO_H
#define SEPTA_TRAP_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"

/* The guest-physical address of a guest-page fault: htval holds it shifted
 * right by 2, and the low bits are those of the faulting address. */
static inline uint64_t mmio_fault_gpa(uint64_t htval, uint64_t stval)
{
	return (htval << 2) | (stval & 3);
}

/* Whether the guest's own load or store took the fault, rather than the walk
 * of its page table reading a PTE there (a PTE read from a device's address
 * must fault, never return a register), as far as the trap tells: 1 yes,
 * 0 no, -1 when only a walk of the guest's table can tell. htinst marks a
 * walk with a pseudoinstruction (bits 1:0 = 00); without htinst, an access
 * with no guest-virtual address (GVA clear) or under Bare translation
 * walked no table. */
static inline int mmio_explicit(uint64_t htinst, uint64_t hstatus)
{
	if (htinst)
		return (htinst & 3) != 0;
	if (!(hstatus & HSTATUS_GVA) || !(csr_read(vsatp) >> 60))
		return 1;
	return -1;
}

/* Whether an access of width bytes from start is one a device register
 * takes: whole and aligned. One that is misaligned, or that began in RAM
 * and ran into the device's page (the fault, stval, is then on its second
 * part, past its start), goes to the guest as a misaligned access, as
 * hardware may do. */
static inline bool mmio_whole(uint64_t start, uint64_t stval, unsigned width)
{
	return start == stval && !(start & ((uint64_t)width - 1));
}

#endif
