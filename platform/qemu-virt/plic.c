/* The board's PLIC (SiFive layout, as on QEMU virt), driven by septa only
 * for the interrupt lines of devices granted to guests. Hart H has context
 * 2H (M-mode, the firmware's) and 2H + 1 (S-mode, ours). */
#include <stdint.h>

#include "board.h"
#include "platform.h"

#define PLIC_PRIORITY(src)     (BOARD_PLIC_BASE + 4 * (uint64_t)(src))
#define PLIC_ENABLE(ctx, word) (BOARD_PLIC_BASE + 0x2000 + 0x80 * (uint64_t)(ctx) + 4 * (word))
#define PLIC_THRESHOLD(ctx)    (BOARD_PLIC_BASE + 0x200000 + 0x1000 * (uint64_t)(ctx))
#define PLIC_CLAIM(ctx)	       (PLIC_THRESHOLD(ctx) + 4)

static void wr(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static uint32_t rd(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static unsigned s_context(unsigned hart)
{
	return 2 * hart + 1;
}

void platform_irq_init(void)
{
	/* The firmware may have left priorities at 1 (OpenSBI's default);
	 * a line nobody owns must never reach a hart. */
	for (unsigned s = 1; s <= BOARD_PLIC_NDEV; s++)
		wr(PLIC_PRIORITY(s), 0);
}

/* Nothing enabled: a line reaches this hart only once irqpass enables it
 * for an owner here. Threshold 0 lets every line of priority 1 or more
 * through. */
void platform_irq_hart_init(unsigned hart)
{
	for (unsigned w = 0; w <= BOARD_PLIC_NDEV / 32; w++)
		wr(PLIC_ENABLE(s_context(hart), w), 0);
	wr(PLIC_THRESHOLD(s_context(hart)), 0);
}

void platform_irq_priority(unsigned src, unsigned prio)
{
	if (src && src <= BOARD_PLIC_NDEV)
		wr(PLIC_PRIORITY(src), prio);
}

void platform_irq_enable(unsigned src, unsigned hart)
{
	uint64_t en = PLIC_ENABLE(s_context(hart), src / 32);

	/* Read-modify-write without a lock: only this hart writes its own
	 * context's enables, once, as it enters the scheduler. */
	wr(en, rd(en) | 1u << (src % 32));
}

/* Claim and complete go to the same context: the PLIC ignores a
 * completion for a source not enabled on the completing context. */
unsigned platform_irq_claim(unsigned hart)
{
	return rd(PLIC_CLAIM(s_context(hart)));
}

void platform_irq_complete(unsigned hart, unsigned src)
{
	wr(PLIC_CLAIM(s_context(hart)), src);
}
