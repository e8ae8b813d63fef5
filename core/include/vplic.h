/* A virtual RISC-V PLIC for one guest, in QEMU virt's register layout.
 * Pure logic, unit-tested on the host.
 *
 *   0x000000 + 4*src             priority of source src (1..31; 0 reads 0)
 *   0x001000                     pending bits, sources 0..31 (read-only)
 *   0x002000 + 0x80*ctx          enable bits of context ctx, sources 0..31
 *   0x200000 + 0x1000*ctx        priority threshold of context ctx
 *   0x200004 + 0x1000*ctx        claim (read) / complete (write)
 *
 * The guest's vCPU i uses context 2*i+1, its S-mode context, as on QEMU
 * virt. Priorities and thresholds are 3-bit WARL fields (0..7), like QEMU's.
 *
 * Gateways are level-triggered: while a source's level is high and it is
 * not claimed, it is pending. Per the PLIC spec a request the gateway has
 * forwarded stays pending if the level drops before the claim; the handler
 * then finds nothing to do. A claim takes the highest-priority pending
 * source enabled for the context whose priority is above the context's
 * threshold (ties: lowest id), like QEMU; a completion, ignored unless the
 * source is enabled for the completing context (spec), re-arms the gateway. */
#ifndef SEPTA_VPLIC_H
#define SEPTA_VPLIC_H

#include <stdbool.h>
#include <stdint.h>

#define VPLIC_SOURCES  32 /* ids 0..31; id 0 means "no interrupt" */
#define VPLIC_CONTEXTS 16
#define VPLIC_PRIO_MAX 7

#define VPLIC_PRIORITY_BASE  0x0UL
#define VPLIC_PENDING_BASE   0x1000UL
#define VPLIC_ENABLE_BASE    0x2000UL
#define VPLIC_ENABLE_STRIDE  0x80UL
#define VPLIC_CONTEXT_BASE   0x200000UL
#define VPLIC_CONTEXT_STRIDE 0x1000UL
#define VPLIC_THRESHOLD	     0x0UL /* within a context block */
#define VPLIC_CLAIM	     0x4UL

/* One bit per source in each mask; bit 0 is never set. */
struct vplic {
	uint8_t priority[VPLIC_SOURCES];
	uint8_t threshold[VPLIC_CONTEXTS];
	uint32_t enable[VPLIC_CONTEXTS];
	uint32_t level;	    /* the device lines, as last set */
	uint32_t pending;   /* forwarded by the gateway, not yet claimed */
	uint32_t claimed;   /* claimed, not yet completed: the gateway is closed */
	uint32_t raised;    /* raised while claimed: one request again at completion */
	uint32_t completed; /* completions not yet taken (vplic_take_completed) */
};

/* Reset: all priorities, thresholds and enables 0, nothing pending. */
void vplic_init(struct vplic *p);
/* 32-bit guest accesses at offset from the PLIC's base. 0, or HV_EINVAL
 * (-1) when the offset is misaligned or names no register of this model:
 * the caller turns that into an access fault. Writes to the pending bits
 * are accepted and ignored. */
int vplic_read(struct vplic *p, uint64_t offset, uint32_t *value);
int vplic_write(struct vplic *p, uint64_t offset, uint32_t value);
/* A device's interrupt line; sources outside 1..VPLIC_SOURCES-1 are ignored. */
void vplic_set_level(struct vplic *p, unsigned src, bool level);
/* One request from an edge-like source (a passed-through board line that
 * the physical PLIC already latched, or a channel's doorbell): pending, or,
 * while the source is claimed, remembered and pending again at its
 * completion, as an edge-triggered gateway holds an edge that came during
 * service. So a doorbell rung after the guest looked at its ring but before
 * it completed is not lost; several rings meanwhile are one request. (A
 * passed-through line cannot be raised while claimed: its physical claim
 * is held until this completion.) */
void vplic_raise(struct vplic *p, unsigned src);
/* The sources completed since the last call, and forgets them: the caller
 * passes each completion on (to the physical PLIC for a passed-through
 * line). */
uint32_t vplic_take_completed(struct vplic *p);
/* The context's external-interrupt line: some source it would claim. */
bool vplic_ctx_pending(const struct vplic *p, unsigned ctx);

#endif
