/* Unit tests of the virtual ns16550a (core/vuart.c): reset values, every
 * register, DLAB, FIFO depth and resets over the console's input queue (a
 * fake here), IIR priorities and clearing, the THRE interrupt, loopback and
 * the modem status lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vuart.h"

enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define THR RBR
#define FCR IIR
#define DLL RBR
#define DLM IER

static struct vuart u;
static uint8_t sent[64];
static size_t nsent;

/* The console's input queue, as the UART sees it. */
static struct {
	uint8_t buf[512];
	unsigned head, count;
} q;

static void tx(void *ctx, uint8_t c)
{
	assert_ptr_equal(ctx, &q);
	assert_true(nsent < sizeof(sent));
	sent[nsent++] = c;
}

static int take(void *ctx)
{
	assert_ptr_equal(ctx, &q);
	if (!q.count)
		return -1;
	q.count--;
	return q.buf[q.head++ % sizeof(q.buf)];
}

static const struct vuart_ops ops = {tx, take};

/* A key typed for the guest. */
static void type(uint8_t c)
{
	assert_true(q.count < sizeof(q.buf));
	q.buf[(q.head + q.count++) % sizeof(q.buf)] = c;
}

static int setup(void **state)
{
	(void)state;
	memset(&u, 0x5a, sizeof(u));
	memset(&q, 0, sizeof(q));
	nsent = 0;
	vuart_init(&u, &ops, &q, &q.count);
	return 0;
}

static uint8_t rd(unsigned off)
{
	return vuart_read(&u, off);
}

static void wr(unsigned off, uint8_t v)
{
	vuart_write(&u, off, v);
}

static void reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(IER), 0);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(rd(LCR), 0);
	assert_int_equal(rd(MCR), 0);
	assert_int_equal(rd(LSR), 0x60); /* THRE | TEMT */
	assert_int_equal(rd(MSR), 0xb0); /* DCD | DSR | CTS, no deltas */
	assert_int_equal(rd(SCR), 0);
	assert_false(vuart_irq(&u));
}

static void scratch_reads_back(void **state)
{
	(void)state;
	for (unsigned v = 0; v < 256; v++) {
		wr(SCR, (uint8_t)v);
		assert_int_equal(rd(SCR), v);
	}
	assert_int_equal(nsent, 0);
	assert_false(vuart_irq(&u));
}

static void register_masks(void **state)
{
	(void)state;
	wr(IER, 0xff);
	assert_int_equal(rd(IER), 0x0f);
	wr(IER, 0);
	wr(MCR, 0xff);
	assert_int_equal(rd(MCR), 0x1f);
	wr(MCR, 0);
	/* Loopback on and off again: RI rose and fell, TERI is latched. */
	assert_int_equal(rd(MSR), 0xb0 | 0x04);
	wr(LCR, 0x7f);
	assert_int_equal(rd(LCR), 0x7f);
	/* LSR and MSR are status registers: writes change nothing. */
	wr(LSR, 0xff);
	wr(MSR, 0xff);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(MSR), 0xb0);
	/* Outside the eight registers: reads 0, writes vanish. */
	wr(8, 0x12);
	assert_int_equal(rd(8), 0);
	assert_int_equal(rd(100), 0);
}

static void dlab_switches_offsets(void **state)
{
	(void)state;
	wr(IER, 0x05);
	wr(LCR, 0x83);
	wr(DLL, 0x0c);
	wr(DLM, 0x34);
	assert_int_equal(rd(DLL), 0x0c);
	assert_int_equal(rd(DLM), 0x34);
	assert_int_equal(nsent, 0); /* the DLL write did not transmit */
	assert_int_equal(rd(LCR), 0x83);
	/* IIR, LSR and SCR are the same with DLAB set. */
	assert_int_equal(rd(LSR), 0x60);
	wr(SCR, 0x99);
	assert_int_equal(rd(SCR), 0x99);

	wr(LCR, 0x03);
	assert_int_equal(rd(IER), 0x05); /* untouched by the DLM write */
	wr(THR, 'x');
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], 'x');
	type('r');
	assert_int_equal(rd(RBR), 'r');

	/* The divisor survives the switch back. */
	wr(LCR, 0x80);
	assert_int_equal(rd(DLL), 0x0c);
	assert_int_equal(rd(DLM), 0x34);
	/* A DLAB-on read of offset 0 does not pop received data. */
	wr(LCR, 0x00);
	type('s');
	wr(LCR, 0x80);
	assert_int_equal(rd(DLL), 0x0c);
	wr(LCR, 0x00);
	assert_int_equal(rd(RBR), 's');
}

static void thr_transmits_in_order(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 40; i++) {
		wr(THR, (uint8_t)('A' + i));
		assert_int_equal(rd(LSR) & 0x60, 0x60); /* TX is instant */
	}
	assert_int_equal(nsent, 40);
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(sent[i], 'A' + i);
}

static void tx_callback_optional(void **state)
{
	(void)state;
	vuart_init(&u, NULL, NULL, NULL); /* nothing wired: no tx, nothing typed */
	wr(THR, 'q');			  /* dropped, no crash */
	wr(IER, 0x01);
	wr(FCR, 0x01);
	assert_int_equal(rd(LSR), 0x60);
	assert_false(vuart_irq(&u));
	assert_int_equal(nsent, 0);
}

/* Without FIFOs the receiver shows one byte; the next waits in the queue
 * and moves up when RBR is read. Typed bytes never overrun. */
static void rx_without_fifo_holds_one(void **state)
{
	(void)state;
	type('a');
	type('b');
	assert_int_equal(rd(LSR), 0x61); /* DR, no OE */
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(q.count, 1); /* 'b' still queued, not lost */
	assert_int_equal(rd(LSR), 0x61);
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(LSR), 0x60);
	/* An empty RBR reads as the last byte received. */
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(q.count, 0);

	for (unsigned i = 0; i < 300; i++)
		type((uint8_t)i);
	assert_int_equal(rd(LSR), 0x61);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(rd(RBR), (uint8_t)i);
	assert_int_equal(rd(LSR), 0x60);
}

/* Bytes taken from the queue elsewhere (SBI getchar) leave the FIFO too,
 * and the interrupt line follows. */
static void queue_taken_elsewhere(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	wr(IER, 0x01);
	type('x');
	type('y');
	assert_true(vuart_irq(&u));
	assert_int_equal(take(&q), 'x');
	assert_int_equal(rd(RBR), 'y');
	assert_false(vuart_irq(&u));
	type('z');
	assert_true(vuart_irq(&u));
	assert_int_equal(take(&q), 'z');
	assert_false(vuart_irq(&u));
	assert_int_equal(rd(LSR), 0x60);
	/* RBR still shows the last byte the guest read itself. */
	assert_int_equal(rd(RBR), 'y');
}

static void rx_fifo_holds_sixteen(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	assert_int_equal(rd(IIR), 0xc1); /* FIFOs on: bits 7:6 = 11 */
	for (unsigned i = 0; i < 16; i++)
		type((uint8_t)i);
	assert_int_equal(rd(LSR), 0x61);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(rd(RBR), i);
	assert_int_equal(rd(LSR), 0x60);

	/* The FIFO holds sixteen of the queue's bytes: an RX reset drops
	 * exactly those, and the rest move up. */
	for (unsigned i = 0; i < 20; i++)
		type((uint8_t)(100 + i));
	wr(FCR, 0x03);
	assert_int_equal(q.count, 4);
	for (unsigned i = 16; i < 20; i++)
		assert_int_equal(rd(RBR), 100 + i);
	assert_int_equal(rd(LSR) & 1, 0);
}

static void fifo_resets(void **state)
{
	(void)state;
	/* Enabling FIFOs empties the receiver. */
	type('a');
	wr(FCR, 0x01);
	assert_int_equal(rd(LSR), 0x60);

	/* RX reset empties; TX reset alone leaves RX alone. */
	type('b');
	type('c');
	wr(FCR, 0x05);
	assert_int_equal(rd(LSR), 0x61);
	wr(FCR, 0x03);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(q.count, 0);

	/* Rewriting FIFOE = 1 without a reset keeps the data. */
	type('d');
	wr(FCR, 0x01);
	assert_int_equal(rd(RBR), 'd');

	/* Leaving FIFO mode empties and drops back to a depth of one. */
	type('e');
	wr(FCR, 0x00);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(IIR), 0x01);

	/* Without FIFOE the reset bits are not programmed. */
	type('f');
	wr(FCR, 0x02);
	assert_int_equal(rd(LSR), 0x61);
	assert_int_equal(rd(RBR), 'f');

	/* Depth one: enabling FIFOs drops the one byte shown, not the queue. */
	type('g');
	type('h');
	wr(FCR, 0x01);
	assert_int_equal(rd(RBR), 'h');
	assert_int_equal(rd(LSR), 0x60);
}

static void iir_rx_data(void **state)
{
	(void)state;
	type('k');
	assert_false(vuart_irq(&u)); /* ERBFI off */
	wr(IER, 0x01);
	assert_true(vuart_irq(&u));
	assert_int_equal(rd(IIR), 0x04);
	assert_int_equal(rd(IIR), 0x04); /* reading IIR does not clear it */
	assert_int_equal(rd(RBR), 'k');
	assert_int_equal(rd(IIR), 0x01);
	assert_false(vuart_irq(&u));
}

/* Below the trigger level data reports as a character timeout; at or above
 * it, as received data. */
static void iir_trigger_and_timeout(void **state)
{
	(void)state;
	wr(IER, 0x01);
	wr(FCR, 0xc1); /* trigger 14 */
	type(0);
	assert_int_equal(rd(IIR), 0xcc);
	for (unsigned i = 1; i < 13; i++)
		type((uint8_t)i);
	assert_int_equal(rd(IIR), 0xcc); /* 13 bytes */
	type(13);
	assert_int_equal(rd(IIR), 0xc4); /* 14 bytes */
	assert_int_equal(rd(RBR), 0);
	assert_int_equal(rd(IIR), 0xcc);
	for (unsigned i = 1; i < 14; i++)
		assert_int_equal(rd(RBR), i);
	assert_int_equal(rd(IIR), 0xc1);

	static const struct {
		uint8_t fcr;
		unsigned level;
	} trig[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};
	for (size_t t = 0; t < 4; t++) {
		wr(FCR, (uint8_t)(trig[t].fcr | 0x02));
		for (unsigned i = 1; i <= trig[t].level; i++) {
			type('x');
			assert_int_equal(rd(IIR), i < trig[t].level ? 0xcc : 0xc4);
		}
	}
}

static void thre_interrupt(void **state)
{
	(void)state;
	/* Enabling ETBEI with THR empty raises THRE. */
	wr(IER, 0x02);
	assert_true(vuart_irq(&u));
	assert_int_equal(rd(IIR), 0x02);
	/* Reading IIR while THRE is reported acknowledges it. */
	assert_int_equal(rd(IIR), 0x01);
	assert_false(vuart_irq(&u));
	/* Rewriting IER with ETBEI already set is no new edge. */
	wr(IER, 0x02);
	assert_int_equal(rd(IIR), 0x01);
	/* Toggling ETBEI off and on is. */
	wr(IER, 0x00);
	wr(IER, 0x02);
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(rd(IIR), 0x01);
	/* A THR write empties at once: THRE comes back each time. */
	wr(THR, 'a');
	assert_true(vuart_irq(&u));
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(rd(IIR), 0x01);
	wr(THR, 'b');
	wr(THR, 'c');
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(rd(IIR), 0x01);
	/* Disabling ETBEI drops a pending THRE; THR writes then raise none. */
	wr(THR, 'd');
	wr(IER, 0x00);
	assert_false(vuart_irq(&u));
	wr(THR, 'e');
	assert_int_equal(rd(IIR), 0x01);
	/* Re-enabling raises it again. */
	wr(IER, 0x02);
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(nsent, 5);
	/* With FIFOs on the ID carries the FIFO bits. */
	wr(FCR, 0x01);
	wr(THR, 'f');
	assert_int_equal(rd(IIR), 0xc2);
	assert_int_equal(rd(IIR), 0xc1);
}

/* All four sources at once: each is reported in turn as the one above it
 * is cleared, and IIR reads that report a higher source leave THRE be. */
static void iir_priority_order(void **state)
{
	(void)state;
	wr(IER, 0x0f); /* THRE raised by the ETBEI edge */
	wr(MCR, 0x10); /* loopback: modem inputs change -> MSR deltas */
	wr(THR, 'a');  /* loops back into RBR */
	wr(THR, 'b');  /* RBR full: overrun */
	assert_int_equal(nsent, 0);

	assert_int_equal(rd(IIR), 0x06); /* line status */
	assert_int_equal(rd(IIR), 0x06);
	assert_int_equal(rd(LSR), 0x63); /* DR | OE | THRE | TEMT */
	assert_int_equal(rd(LSR), 0x61); /* OE clears on read */
	assert_int_equal(rd(IIR), 0x04); /* received data */
	assert_int_equal(rd(RBR), 'a');	 /* 'b' was lost */
	assert_int_equal(rd(IIR), 0x02); /* THR empty, still pending */
	assert_int_equal(rd(IIR), 0x00); /* modem status */
	assert_int_equal(rd(IIR), 0x00);
	assert_int_equal(rd(MSR), 0x0b); /* DCTS | DDSR | DDCD, inputs low */
	assert_int_equal(rd(IIR), 0x01);
	assert_false(vuart_irq(&u));
}

static void line_status_needs_elsi(void **state)
{
	(void)state;
	wr(MCR, 0x10);
	wr(THR, 1);
	wr(THR, 2);
	assert_false(vuart_irq(&u)); /* no interrupts enabled */
	wr(IER, 0x04);
	assert_int_equal(rd(IIR), 0x06);
	(void)rd(LSR);
	assert_int_equal(rd(IIR), 0x01);
}

static void loopback(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	wr(MCR, 0x10);
	/* The receiver is disconnected from the line: typed bytes wait. */
	type('z');
	assert_int_equal(rd(LSR), 0x60);
	for (unsigned i = 0; i < 16; i++)
		wr(THR, (uint8_t)('a' + i));
	assert_int_equal(nsent, 0);
	assert_int_equal(rd(LSR), 0x61);
	wr(THR, '!'); /* the 17th: overrun, byte lost */
	assert_int_equal(rd(LSR), 0x63);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(rd(RBR), 'a' + i);
	assert_int_equal(rd(LSR), 0x60);

	/* Leaving loopback reconnects the transmitter and the receiver. */
	wr(MCR, 0x00);
	wr(THR, 'y');
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], 'y');
	assert_int_equal(rd(RBR), 'z');
	assert_int_equal(rd(LSR), 0x60);
}

/* Typed bytes in the FIFO when loopback begins stay there, ahead of the
 * looped-back ones; the queue behind them waits for the end of loopback. */
static void loopback_keeps_fifo_bytes(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	type('a');
	type('b');
	wr(MCR, 0x10);
	type('c');
	wr(THR, 'x');
	assert_int_equal(q.count, 1);
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(RBR), 'x');
	assert_int_equal(rd(LSR), 0x60);
	/* A looped-back byte left unread is read before the queue. */
	wr(THR, 'y');
	wr(MCR, 0x00);
	assert_int_equal(rd(RBR), 'y');
	assert_int_equal(rd(RBR), 'c');
	assert_int_equal(rd(LSR), 0x60);
}

/* In loopback MCR's outputs drive the modem inputs: DTR->DSR, RTS->CTS,
 * OUT1->RI, OUT2->DCD. Linux's probe expects 0x90 for LOOP|OUT2|RTS. */
static void loopback_modem_lines(void **state)
{
	(void)state;
	wr(MCR, 0x1a);
	assert_int_equal(rd(MSR) & 0xf0, 0x90);
	wr(MCR, 0x1f);
	assert_int_equal(rd(MSR), 0xf0 | 0x02); /* DSR rose; RI rising is no delta */
	assert_int_equal(rd(MSR), 0xf0);
	/* TERI: only the trailing edge of RI. */
	wr(MCR, 0x1b); /* OUT1 off: RI falls */
	assert_int_equal(rd(MSR), 0xb0 | 0x04);
	wr(MCR, 0x1f); /* RI rises: no delta */
	assert_int_equal(rd(MSR), 0xf0);
	wr(MCR, 0x17); /* OUT2 off: DCD falls */
	assert_int_equal(rd(MSR), 0x70 | 0x08);
	/* Leaving loopback: the terminal's DCD|DSR|CTS again, no RI. */
	wr(MCR, 0x00);
	assert_int_equal(rd(MSR), 0xb0 | 0x04 | 0x08);
	assert_int_equal(rd(MSR), 0xb0);
	/* MCR changes outside loopback do not reach the inputs. */
	wr(MCR, 0x0f);
	assert_int_equal(rd(MSR), 0xb0);
}

static void modem_status_interrupt(void **state)
{
	(void)state;
	wr(IER, 0x08);
	assert_false(vuart_irq(&u));
	wr(MCR, 0x10 | 0x02 | 0x01 | 0x08); /* CTS, DSR, DCD stay high */
	assert_false(vuart_irq(&u));
	wr(MCR, 0x10 | 0x01 | 0x08); /* CTS falls */
	assert_true(vuart_irq(&u));
	assert_int_equal(rd(IIR), 0x00);
	assert_int_equal(rd(MSR), 0xa1);
	assert_false(vuart_irq(&u));
	/* A delta latched with EDSSI off interrupts once EDSSI is set. */
	wr(IER, 0x00);
	wr(MCR, 0x10 | 0x01); /* DCD falls */
	assert_false(vuart_irq(&u));
	wr(IER, 0x08);
	assert_int_equal(rd(IIR), 0x00);
}

/* The plain accesses (vuart_read_plain(), vuart_write_plain()), which the
 * device path's leaf does without vuart_read()/vuart_write() and without
 * looking at the interrupt line again: in every state a run of random
 * accesses reaches, a plain access gives what the full one gives, leaves
 * everything but its own register as it was, calls out to nothing and does
 * not move the line. */
static void plain_accesses_match(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245 + 12345;
		unsigned off = (seed >> 8) % 9, val = (seed >> 16) & 0xff;
		bool irq = vuart_irq(&u);
		size_t nsent0 = nsent;
		unsigned queued = q.count;
		struct vuart before = u, full = u;
		uint8_t got, want;

		if (vuart_read_plain(&u, off, &got)) {
			want = vuart_read(&full, off);
			assert_int_equal(got, want);
			assert_memory_equal(&u, &before, sizeof(u));
		}
		u = before;
		if (vuart_write_plain(&u, off, (uint8_t)val)) {
			full = before;
			vuart_write(&full, off, (uint8_t)val);
			assert_memory_equal(&u, &full, sizeof(u));
			before.lcr = u.lcr;
			before.scr = u.scr;
			before.dll = u.dll;
			before.dlm = u.dlm;
			assert_memory_equal(&u, &before, sizeof(u));
		}
		assert_int_equal(vuart_irq(&u), irq);
		assert_int_equal(nsent, nsent0);
		assert_int_equal(q.count, queued);
		/* Then a random access of any kind moves the state on. */
		u = before;
		if ((seed >> 24) & 1)
			vuart_write(&u, (seed >> 4) % 8, (uint8_t)(seed >> 12));
		else
			(void)vuart_read(&u, (seed >> 4) % 8);
		if (((seed >> 25) & 7) == 0 && q.count < 20)
			type((uint8_t)seed);
		if (nsent > 32)
			nsent = 0;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(reset_values, setup),
	    cmocka_unit_test_setup(scratch_reads_back, setup),
	    cmocka_unit_test_setup(register_masks, setup),
	    cmocka_unit_test_setup(dlab_switches_offsets, setup),
	    cmocka_unit_test_setup(thr_transmits_in_order, setup),
	    cmocka_unit_test_setup(tx_callback_optional, setup),
	    cmocka_unit_test_setup(rx_without_fifo_holds_one, setup),
	    cmocka_unit_test_setup(rx_fifo_holds_sixteen, setup),
	    cmocka_unit_test_setup(fifo_resets, setup),
	    cmocka_unit_test_setup(iir_rx_data, setup),
	    cmocka_unit_test_setup(iir_trigger_and_timeout, setup),
	    cmocka_unit_test_setup(thre_interrupt, setup),
	    cmocka_unit_test_setup(iir_priority_order, setup),
	    cmocka_unit_test_setup(line_status_needs_elsi, setup),
	    cmocka_unit_test_setup(queue_taken_elsewhere, setup),
	    cmocka_unit_test_setup(loopback, setup),
	    cmocka_unit_test_setup(loopback_keeps_fifo_bytes, setup),
	    cmocka_unit_test_setup(loopback_modem_lines, setup),
	    cmocka_unit_test_setup(modem_status_interrupt, setup),
	    cmocka_unit_test_setup(plain_accesses_match, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
