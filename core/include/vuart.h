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

/* Register offsets, and the bits the inline functions below need. */
#define VUART_REG_RBR 0 /* and THR, DLL */
#define VUART_REG_IER 1 /* and DLM */
#define VUART_REG_IIR 2 /* read; FCR on write */
#define VUART_REG_LCR 3
#define VUART_REG_MCR 4
#define VUART_REG_LSR 5
#define VUART_REG_MSR 6
#define VUART_REG_SCR 7

#define VUART_LCR_DLAB 0x80
#define VUART_MCR_LOOP 0x10
#define VUART_LSR_DR   0x01
#define VUART_LSR_THRE 0x20
#define VUART_LSR_TEMT 0x40

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
/* Whether the RX FIFO holds a byte (LSR.DR). In loopback the queue is not
 * connected. A load, not a call: every LSR poll asks. */
static inline bool vuart_rx_ready(const struct vuart *u)
{
	return u->own_count ||
	       (!(u->mcr & VUART_MCR_LOOP) && __atomic_load_n(u->waiting, __ATOMIC_RELAXED));
}

/* LSR without its error bits: transmission is instant, so THR and the
 * transmitter are always empty. */
static inline uint8_t vuart_lsr(const struct vuart *u)
{
	return VUART_LSR_THRE | VUART_LSR_TEMT | (vuart_rx_ready(u) ? VUART_LSR_DR : 0);
}

/* The plain accesses: a register whose read or write changes nothing but
 * itself, calls nothing and cannot move the interrupt line (DLL, DLM, IER
 * and LCR, MCR, SCR reads; LSR while no error is latched; writes of DLL,
 * DLM, LCR, SCR, and the ignored ones of LSR and MSR). vuart_read() and
 * vuart_write() start with these; the device path's leaf
 * (arch/riscv/mmio_leaf.c) does only these. false: not plain, nothing
 * done. */
static inline bool vuart_read_plain(const struct vuart *u, unsigned offset, uint8_t *val)
{
	bool dlab = u->lcr & VUART_LCR_DLAB;

	/* The line status first: what guests poll. */
	if (offset == VUART_REG_LSR) {
		*val = vuart_lsr(u);
		return !u->lsr_err; /* else reading clears it */
	}
	switch (offset) {
	case VUART_REG_RBR:
		*val = u->dll;
		return dlab;
	case VUART_REG_IER:
		*val = dlab ? u->dlm : u->ier;
		return true;
	case VUART_REG_LCR:
		*val = u->lcr;
		return true;
	case VUART_REG_MCR:
		*val = u->mcr;
		return true;
	case VUART_REG_SCR:
		*val = u->scr;
		return true;
	default:
		return false;
	}
}

static inline bool vuart_write_plain(struct vuart *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & VUART_LCR_DLAB;

	switch (offset) {
	case VUART_REG_RBR:
		if (dlab)
			u->dll = value;
		return dlab;
	case VUART_REG_IER:
		if (dlab)
			u->dlm = value;
		return dlab;
	case VUART_REG_LCR:
		/* Kept for DLAB and read back; word length, parity and the
		 * divisor mean nothing to a UART with no wire. */
		u->lcr = value;
		return true;
	case VUART_REG_LSR:
	case VUART_REG_MSR:
		return true; /* status: the 16550A ignores writes to them */
	case VUART_REG_SCR:
		u->scr = value;
		return true;
	default:
		return false;
	}
}

/* Whether an enabled source is up; vuart_irq() without its first test. */
bool vuart_irq_source(const struct vuart *u);
/* The UART's interrupt output level (IIR would report a source). It reads
 * the queue: call it again after bytes were queued or taken elsewhere.
 * Inline: every guest access asks twice, and most guests that poll have
 * no interrupt enabled. */
static inline bool vuart_irq(const struct vuart *u)
{
	return u->ier && vuart_irq_source(u);
}

#endif
