/* A virtual ns16550a: the register file a guest sees at its console UART's
 * MMIO address (byte registers at offsets 0..7). Pure logic, unit-tested on the host.
 *
 * Offset  DLAB=0 read / write   DLAB=1          Notes
 *   0     RBR    / THR          DLL
 *   1     IER    / IER          DLM             IER bits 3:0 only
 *   2     IIR    / FCR                          FCR is write-only
 *   3     LCR                                   bit 7 = DLAB
 *   4     MCR                                   bits 4:0; bit 4 = loopback
 *   5     LSR    / (ignored)
 *   6     MSR    / (ignored)
 *   7     SCR                                   scratch
 *
 * Model choices (see vuart.c for the reasoning):
 *  - Transmission is instant: THR and the TX FIFO are always empty, so LSR
 *    THRE and TEMT always read 1. Each THR write clears the THRE interrupt
 *    and raises it again at once, as the chip does when THR empties.
 *  - The THRE interrupt is also raised by a 0->1 edge of IER.ETBEI and
 *    cleared by reading IIR while THRE is the reported source.
 *  - vuart_rx_push never overruns: a full FIFO refuses the byte and the
 *    caller keeps it (flow control). LSR.OE is set only by a byte looped
 *    back in loopback mode that found the FIFO full; that byte is lost.
 *  - In FIFO mode, data below the FCR trigger level is reported as a
 *    character timeout (IIR 0x0C) at once: the model has no character time.
 *  - The interrupt output is not gated by MCR.OUT2. */
#ifndef SEPTA_VUART_H
#define SEPTA_VUART_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_FIFO 16 /* RX FIFO depth with FCR.FIFOE set; 1 without */

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;	   /* FIFOE and RX trigger bits as last programmed */
	uint8_t lsr_err;   /* OE, latched until LSR is read */
	uint8_t msr_delta; /* MSR bits 3:0, latched until MSR is read */
	uint8_t rbr;	   /* the last byte read: what an empty RBR reads as */
	bool thre_pending; /* the THRE interrupt latch */
	uint8_t rx[VUART_FIFO];
	unsigned rx_head; /* index of the oldest byte */
	unsigned rx_count;
	void (*tx)(void *ctx, uint8_t c); /* each byte the guest transmits */
	void *tx_ctx;
};

/* Power-on reset: interrupts off, FIFOs off, 8250 mode, RX empty. */
void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t c), void *tx_ctx);
/* A guest read of the register at offset (0..7; others read 0). Reads have
 * side effects: RBR pops a byte, IIR clears the THRE interrupt when it
 * reports it, LSR clears OE, MSR clears its delta bits. */
uint8_t vuart_read(struct vuart *u, unsigned offset);
/* A guest write; offsets outside 0..7 and writes to LSR/MSR are ignored. */
void vuart_write(struct vuart *u, unsigned offset, uint8_t value);
/* A byte typed for this guest. False when it cannot be taken now (RX FIFO
 * full, or loopback mode disconnects the receiver): the caller keeps it and
 * retries later. */
bool vuart_rx_push(struct vuart *u, uint8_t c);
/* The oldest received byte, taken out of the FIFO without touching RBR, or
 * -1: the SBI console reads a guest's input from here first, so that a byte
 * already handed to the UART is not lost to a guest that reads through SBI. */
int vuart_rx_pop(struct vuart *u);
/* How many bytes vuart_rx_push would take now. */
unsigned vuart_rx_space(const struct vuart *u);
/* The UART's interrupt output level (IIR would report a source). */
bool vuart_irq(const struct vuart *u);

#endif
