/* Board interrupt lines passed through to the guest that owns them (the
 * lines of its granted devices): physical claim, virtual request, and the
 * guest's completion passed back to the board's PLIC. */
#ifndef SEPTA_IRQPASS_H
#define SEPTA_IRQPASS_H

#include <stdint.h>

/* Boot, after the VMs are built: every board line off (priority 0) but the
 * owned ones (priority 1). */
void irqpass_init(void);
/* On each hart as it enters the scheduler (after the firmware's own set-up
 * of its contexts, which masks them): its S-mode context takes the owned
 * lines routed to it (those of guests whose vCPU 0 runs here). */
void irqpass_hart_init(unsigned hart);
/* The hart took its supervisor external interrupt (in a guest or idle):
 * claim every line waiting on its context and raise each in its owner's
 * virtual PLIC. The physical claim is held until the guest completes. */
void irqpass_host_irq(unsigned hart);
/* Completes the physical claims of the sources in mask (bit n: source n),
 * which the owner completed on its virtual PLIC or left behind at a
 * reload. */
void irqpass_complete(uint32_t mask);

#endif
