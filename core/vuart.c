/* The virtual ns16550a's registers and interrupt logic. No timing is
 * modelled: transmission is instant, and received bytes wait in the
 * console's queue, of which the RX FIFO shows the head. */
#include "vuart.h"

#include <stddef.h>

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* THR empty */
#define IER_ELSI  0x04 /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK  0x0f /* bits 7:4 always read 0 on the 16550A */

#define IIR_MSI	    0x00
#define IIR_NONE    0x01
#define IIR_THRE    0x02
#define IIR_RDA	    0x04
#define IIR_RLS	    0x06
#define IIR_CTI	    0x0c
#define IIR_FIFO_ON 0xc0

#define FCR_FIFOE     0x01
#define FCR_RXRST     0x02
#define FCR_TRIG_MASK 0xc0

#define MCR_DTR	 0x01
#define MCR_RTS	 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_MASK 0x1f

#define LSR_OE 0x02

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS	 0x10
#define MSR_DSR	 0x20
#define MSR_RI	 0x40
#define MSR_DCD	 0x80

static bool fifo_on(const struct vuart *u)
{
	return u->fcr & FCR_FIFOE;
}

static unsigned rx_depth(const struct vuart *u)
{
	/* Without FIFOs the 8250-style receiver holds a single byte in RBR. */
	return fifo_on(u) ? VUART_FIFO : 1;
}

static unsigned rx_trigger(const struct vuart *u)
{
	static const unsigned level[4] = {1, 4, 8, 14};

	return level[(u->fcr & FCR_TRIG_MASK) >> 6];
}

/* Nothing wired: what vuart_init(NULL) gives. */
static void no_tx(void *ctx, uint8_t c)
{
	(void)ctx;
	(void)c;
}

static int none_to_take(void *ctx)
{
	(void)ctx;
	return -1;
}

static const struct vuart_ops no_ops = {no_tx, none_to_take};
static const unsigned none_waiting;

/* Bytes in the RX FIFO: its own first, then as much of the queue's head as
 * fits. In loopback the queue is not connected. A load, not a call: every
 * LSR poll asks, and each instruction there is on a guest's trap path. */
static unsigned rx_count(const struct vuart *u)
{
	unsigned n = u->own_count, room = rx_depth(u) - n;

	if (u->mcr & VUART_MCR_LOOP)
		return n;
	unsigned w = __atomic_load_n(u->waiting, __ATOMIC_RELAXED);
	return n + (w < room ? w : room);
}

static void own_put(struct vuart *u, uint8_t c)
{
	u->own[(u->own_head + u->own_count) % VUART_FIFO] = c;
	u->own_count++;
}

/* The oldest byte in the RX FIFO, taken out of it, or -1. */
static int rx_pop(struct vuart *u)
{
	if (u->own_count) {
		uint8_t c = u->own[u->own_head];

		u->own_head = (u->own_head + 1) % VUART_FIFO;
		u->own_count--;
		return c;
	}
	if (u->mcr & VUART_MCR_LOOP)
		return -1;
	return u->ops->take(u->ctx);
}

/* Empties the RX FIFO: what it shows of the queue is dropped from the
 * queue, as the chip drops what its FIFO holds; the rest of the queue then
 * moves up into the FIFO, as it did when the FIFO was a copy. */
static void rx_clear(struct vuart *u)
{
	unsigned from_queue = rx_count(u) - u->own_count;

	u->own_head = 0;
	u->own_count = 0;
	while (from_queue--)
		u->ops->take(u->ctx);
}

/* The modem inputs as MSR bits 7:4. Outside loopback the "cable" is a
 * terminal that is always there: carrier, data set ready and clear to send
 * asserted, no ring. In loopback the chip wires its own MCR outputs to
 * them: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
static uint8_t modem_inputs(const struct vuart *u)
{
	uint8_t m = 0;

	if (!(u->mcr & VUART_MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	if (u->mcr & MCR_DTR)
		m |= MSR_DSR;
	if (u->mcr & MCR_RTS)
		m |= MSR_CTS;
	if (u->mcr & MCR_OUT1)
		m |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		m |= MSR_DCD;
	return m;
}

/* The source IIR reports, highest priority first. Character timeout shares
 * the received-data level: with no character time to wait, data below the
 * trigger level is treated as having timed out already, so a guest that set
 * a trigger of 14 still hears about one typed key. */
static uint8_t iir_source(const struct vuart *u)
{
	if ((u->ier & IER_ELSI) && u->lsr_err)
		return IIR_RLS;
	if (u->ier & IER_ERBFI) {
		unsigned n = rx_count(u);

		if (n)
			return fifo_on(u) && n < rx_trigger(u) ? IIR_CTI : IIR_RDA;
	}
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE;
	if ((u->ier & IER_EDSSI) && u->msr_delta)
		return IIR_MSI;
	return IIR_NONE;
}

void vuart_init(struct vuart *u, const struct vuart_ops *ops, void *ctx, const unsigned *waiting)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->scr = 0;
	u->dll = 0;
	u->dlm = 0;
	u->fcr = 0;
	u->lsr_err = 0;
	u->msr_delta = 0;
	u->rbr = 0;
	u->thre_pending = false;
	u->own_head = 0;
	u->own_count = 0;
	u->ops = ops ? ops : &no_ops;
	u->ctx = ctx;
	u->waiting = ops ? waiting : &none_waiting;
}

/* Not inlined, nor are read_msr() and the writes below that call out:
 * vuart_read() and vuart_write() then need no stack frame for the line
 * status and scratch registers, which guests access most. */
static __attribute__((noinline)) uint8_t read_rbr(struct vuart *u)
{
	/* An empty RBR still holds the last byte received, as on the chip. */
	int c = rx_pop(u);

	if (c >= 0)
		u->rbr = (uint8_t)c;
	return u->rbr;
}

static uint8_t read_iir(struct vuart *u)
{
	uint8_t id = iir_source(u);

	/* Reading IIR acknowledges THRE only when THRE is what it reports; a
	 * higher-priority source hides it and leaves it pending. */
	if (id == IIR_THRE)
		u->thre_pending = false;
	return id | (fifo_on(u) ? IIR_FIFO_ON : 0);
}

static uint8_t read_lsr(struct vuart *u)
{
	uint8_t v = vuart_lsr(u) | u->lsr_err;

	/* Reading LSR clears its error bits, as on the chip: an overrun is
	 * reported once. */
	u->lsr_err = 0;
	return v;
}

static __attribute__((noinline)) uint8_t read_msr(struct vuart *u)
{
	uint8_t v = modem_inputs(u) | u->msr_delta;

	u->msr_delta = 0;
	return v;
}

uint8_t vuart_read(struct vuart *u, unsigned offset)
{
	uint8_t v;

	if (vuart_read_plain(u, offset, &v))
		return v;
	switch (offset) {
	case VUART_REG_RBR: /* DLAB clear: DLL is plain */
		return read_rbr(u);
	case VUART_REG_IIR:
		return read_iir(u);
	case VUART_REG_LSR: /* with an error latched */
		return read_lsr(u);
	case VUART_REG_MSR:
		return read_msr(u);
	default:
		return 0;
	}
}

static __attribute__((noinline)) void write_thr(struct vuart *u, uint8_t c)
{
	if (u->mcr & VUART_MCR_LOOP) {
		/* The transmitter feeds the receiver. With no room the chip
		 * loses the byte and flags an overrun; so do we. */
		if (u->own_count < rx_depth(u))
			own_put(u, c);
		else
			u->lsr_err |= LSR_OE;
	} else {
		u->ops->tx(u->ctx, c);
	}
	/* Writing THR clears the THRE interrupt, but the byte leaves at once
	 * and THR is empty again: on the chip that is a fresh THRE event, and
	 * drivers that refill THR from the THRE interrupt rely on it. */
	u->thre_pending = u->ier & IER_ETBEI;
}

static void write_ier(struct vuart *u, uint8_t v)
{
	bool was = u->ier & IER_ETBEI;

	u->ier = v & IER_MASK;
	/* Enabling ETBEI while THR is empty (always, here) raises THRE; only
	 * the rising edge does, so rewriting IER with ETBEI already set does
	 * not undo an acknowledgement through IIR. Disabling drops the latch. */
	if (!(u->ier & IER_ETBEI))
		u->thre_pending = false;
	else if (!was)
		u->thre_pending = true;
}

static __attribute__((noinline)) void write_fcr(struct vuart *u, uint8_t v)
{
	bool was = fifo_on(u);

	/* Clearing FIFOE leaves 16550 mode and empties the FIFOs; the other
	 * bits are only programmed when FIFOE is written as 1. */
	if (!(v & FCR_FIFOE)) {
		if (was)
			rx_clear(u);
		u->fcr = 0;
		return;
	}
	/* Switching modes empties the FIFOs; RX reset empties the RX FIFO
	 * (the TX FIFO is always empty, so TX reset has nothing to do). */
	if (!was || (v & FCR_RXRST))
		rx_clear(u);
	u->fcr = v & (FCR_FIFOE | FCR_TRIG_MASK);
}

static __attribute__((noinline)) void write_mcr(struct vuart *u, uint8_t v)
{
	uint8_t before = modem_inputs(u);
	uint8_t after, changed;

	/* Entering loopback disconnects the queue; the bytes the FIFO shows
	 * of it stay in the FIFO, ahead of the looped-back ones. */
	if ((v & VUART_MCR_LOOP) && !(u->mcr & VUART_MCR_LOOP)) {
		int c;

		/* take() may find fewer: an SBI read may have taken some. */
		for (unsigned n = rx_count(u) - u->own_count; n && (c = u->ops->take(u->ctx)) >= 0;
		     n--)
			own_put(u, (uint8_t)c);
	}
	u->mcr = v & MCR_MASK;
	after = modem_inputs(u);
	changed = before ^ after;
	if (changed & MSR_CTS)
		u->msr_delta |= MSR_DCTS;
	if (changed & MSR_DSR)
		u->msr_delta |= MSR_DDSR;
	if (changed & MSR_DCD)
		u->msr_delta |= MSR_DDCD;
	/* TERI flags only the trailing edge of RI. */
	if ((before & MSR_RI) && !(after & MSR_RI))
		u->msr_delta |= MSR_TERI;
}

void vuart_write(struct vuart *u, unsigned offset, uint8_t value)
{
	if (vuart_write_plain(u, offset, value))
		return;
	switch (offset) {
	case VUART_REG_RBR: /* DLAB clear: DLL is plain */
		write_thr(u, value);
		break;
	case VUART_REG_IER: /* DLAB clear: DLM is plain */
		write_ier(u, value);
		break;
	case VUART_REG_IIR:
		write_fcr(u, value);
		break;
	case VUART_REG_MCR:
		write_mcr(u, value);
		break;
	default:
		break; /* offsets past SCR */
	}
}

bool vuart_irq_source(const struct vuart *u)
{
	/* iir_source()'s answer, without ranking the sources: the queue, the
	 * one source behind a load through a pointer, comes last. */
	uint8_t ier = u->ier;

	if (((ier & IER_ELSI) && u->lsr_err) || ((ier & IER_ETBEI) && u->thre_pending) ||
	    ((ier & IER_EDSSI) && u->msr_delta))
		return true;
	return (ier & IER_ERBFI) && vuart_rx_ready(u);
}
