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
 *  - Typed bytes wait in one queue outside the UART (the console's, per
 *    guest): the UART reads its count (a relaxed atomic load, as the UART is
 *    asked on every status read) and takes bytes through struct vuart_ops.
 *    The RX FIFO is a window on
 *    the head of that queue: it holds min(waiting, depth) bytes, RBR pops
 *    the queue, and the queue is flow control, so typed bytes never overrun.
 *    LSR.OE is set only by a byte looped back in loopback mode that found
 *    the FIFO full; that byte is lost.
 *  - Loopback disconnects the receiver from the queue. The bytes the FIFO
 *    held when loopback began, and the looped-back bytes, sit in a small
 *    FIFO of the UART's own, read before the queue.
 *  - In FIFO mode, data below the FCR trigger level is reported as a
 *    character timeout (IIR 0x0C) at once: the model has no character time.
 *  - The interrupt output is not gated by MCR.OUT2. */
#ifndef SEPTA_VUART_H
#define SEPTA_VUART_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_FIFO 16 /* RX FIFO depth with FCR.FIFOE set; 1 without */

/* What the UART is wired to. ctx is vuart_init's. */
struct vuart_ops {
	void (*tx)(void *ctx, uint8_t c); /* each byte the guest transmits */
	int (*take)(void *ctx);		  /* the oldest typed byte, or -1 */
};

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;		 /* FIFOE and RX trigger bits as last programmed */
	uint8_t lsr_err;	 /* OE, latched until LSR is read */
	uint8_t msr_delta;	 /* MSR bits 3:0, latched until MSR is read */
	uint8_t rbr;		 /* the last byte read: what an empty RBR reads as */
	bool thre_pending;	 /* the THRE interrupt latch */
	uint8_t own[VUART_FIFO]; /* RX bytes not in the queue (loopback) */
	unsigned own_head;	 /* index of the oldest byte */
	unsigned own_count;
	const struct vuart_ops *ops;
	void *ctx;
	const unsigned *waiting; /* typed bytes queued for the guest */
};

/* Power-on reset: interrupts off, FIFOs off, 8250 mode, nothing of its own
 * received. ops NULL: transmitted bytes vanish and nothing is ever typed
 * (waiting is then ignored). */
void vuart_init(struct vuart *u, const struct vuart_ops *ops, void *ctx, const unsigned *waiting);
/* A guest read of the register at offset (0..7; others read 0). Reads have
 * side effects: RBR pops a byte, IIR clears the THRE interrupt when it
 * reports it, LSR clears OE, MSR clears its delta bits. */
uint8_t vuart_read(struct vuart *u, unsigned offset);
/* A guest write; offsets outside 0..7 and writes to LSR/MSR are ignored. */
void vuart_write(struct vuart *u, unsigned offset, uint8_t value);
/* The UART's interrupt output level (IIR would report a source). It reads
 * the queue: call it again after bytes were queued or taken elsewhere. */
bool vuart_irq(const struct vuart *u);

#endif
