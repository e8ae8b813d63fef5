/* A software walk of a guest's own (VS-stage) page table: where a guest
 * virtual address leads, read through the guest's RAM. Pure logic, tested
 * on the host. */
#ifndef SEPTA_VS_WALK_H
#define SEPTA_VS_WALK_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the 8-byte PTE at guest-physical gpa; false when gpa is not the
 * guest's RAM (the hardware walk would have taken a guest-page fault). */
typedef bool (*vs_walk_read_fn)(void *ctx, uint64_t gpa, uint64_t *pte);

/* Translates gva with the table vsatp names (Bare, Sv39, Sv48, Sv57).
 * Returns 0 and the guest-physical address, or -1 when the walk reads a PTE
 * outside RAM, finds an invalid or malformed entry, or the mode is unknown. */
int vs_walk(uint64_t vsatp, uint64_t gva, vs_walk_read_fn read, void *ctx, uint64_t *gpa);

#endif
