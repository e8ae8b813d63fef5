/* echo: an interactive guest that drives its 16550 UART itself, as a small
 * kernel would. It finds the UART and the PLIC in its device tree, takes
 * received bytes from the UART's interrupt through the PLIC, and edits a
 * line: "echo> " prompt, typed keys echoed, backspace, Enter answers
 * "ECHO: <line in upper case>"; "quit" shuts down.
 *
 * With bootargs "input=sbi" it reads keys through the SBI legacy
 * console_getchar instead (polling every 10 ms) and leaves the UART's
 * receiver alone; output still goes to the UART. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "rt.h"

const char rt_guest_name[] = "echo";

#define LINE_LEN 120
#define RING	 256 /* received bytes waiting for the main loop */
#define POLL_MS	 10  /* SBI getchar polling period */

/* 16550 registers (byte wide, reg-shift 0) and bits. */
#define UART_RBR     0
#define UART_THR     0
#define UART_IER     1
#define UART_FCR     2
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define IER_ERBFI    0x01
#define FCR_FIFO_ON  0x07 /* enable, clear RX and TX */
#define LCR_8N1	     0x03
#define MCR_DTR_RTS  0x03
#define MCR_OUT2     0x08 /* gates the interrupt output on a PC-style board */
#define LSR_DR	     0x01
#define LSR_THRE     0x20
#define PLIC_ENABLE  0x2000UL
#define PLIC_CONTEXT 0x200000UL
#define PLIC_CLAIM   4

static volatile uint8_t *uart;
static volatile uint32_t *plic_claim;
static uint32_t uart_irq;

/* Bytes from the interrupt handler to the main loop. Only this hart touches
 * the ring, and the main loop takes bytes with interrupts masked. */
static uint8_t ring[RING];
static unsigned ring_head, ring_count;
static unsigned long overruns;

static void plic_write(uintptr_t base, uintptr_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static void uart_putc(char c)
{
	while (!(uart[UART_LSR] & LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

/* The terminal is raw: a new line is CR LF (septa drops the CR). */
static void uart_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void uart_printf(const char *fmt, ...)
{
	char buf[LINE_LEN + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	uart_puts(buf);
}

/* The base address of a node's first reg entry, read by its parent's
 * #address-cells; 0 or a negative libfdt error. */
static int node_base(const void *fdt, int node, uintptr_t *base)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = parent < 0 ? parent : fdt_address_cells(fdt, parent);
	const fdt32_t *reg;
	int len;

	if (ac < 0)
		return ac;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len;
	if (ac < 1 || ac > 2 || len < ac * (int)sizeof(fdt32_t))
		return -FDT_ERR_BADNCELLS;
	*base = ac == 1 ? fdt32_ld(reg)
			: (uintptr_t)((uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1));
	return 0;
}

/* The UART from its compatible string, its interrupt and the PLIC it names
 * as interrupt-parent. septa puts them where QEMU virt has them
 * (0x10000000, source 10, 0xc000000), but a guest should not care. */
static int find_devices(const void *fdt, uintptr_t *uart_base, uintptr_t *plic_base)
{
	const fdt32_t *irq, *parent;
	int node, plic, len, rc;

	node = fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
	if (node < 0)
		return node;
	rc = node_base(fdt, node, uart_base);
	if (rc)
		return rc;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < (int)sizeof(fdt32_t))
		return -FDT_ERR_NOTFOUND;
	uart_irq = fdt32_ld(irq);
	parent = fdt_getprop(fdt, node, "interrupt-parent", &len);
	plic = parent && len == sizeof(fdt32_t)
		   ? fdt_node_offset_by_phandle(fdt, fdt32_ld(parent))
		   : fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	if (plic < 0)
		return plic;
	return node_base(fdt, plic, plic_base);
}

/* The external interrupt: claim, serve, complete, until nothing is left.
 * Draining RBR while LSR.DR lowers the UART's line before the completion,
 * so the PLIC does not forward the same request again. */
static void on_external(void)
{
	uint32_t src;

	while ((src = *plic_claim) != 0) {
		if (src == uart_irq) {
			while (uart[UART_LSR] & LSR_DR) {
				uint8_t c = uart[UART_RBR];

				if (ring_count < RING)
					ring[(ring_head + ring_count++) % RING] = c;
				else
					overruns++;
			}
		}
		*plic_claim = src;
	}
}

/* PLIC: the UART's source at priority 1, enabled for this hart's S-mode
 * context (2 * hart + 1 on QEMU virt and under septa), threshold 0; then the
 * UART's receive interrupt and sie.SEIE. */
static void irq_setup(unsigned long hartid, uintptr_t plic)
{
	uintptr_t ctx = 2 * hartid + 1;

	plic_write(plic, 4 * uart_irq, 1);
	plic_write(plic, PLIC_ENABLE + 0x80 * ctx + 4 * (uart_irq / 32), 1u << (uart_irq % 32));
	plic_write(plic, PLIC_CONTEXT + 0x1000 * ctx, 0);
	plic_claim = (volatile uint32_t *)(plic + PLIC_CONTEXT + 0x1000 * ctx + PLIC_CLAIM);
	uart[UART_IER] = IER_ERBFI;
	rt_ext_irq_handler(on_external);
}

static void nothing(void)
{
}

/* The next typed byte, sleeping until there is one. */
static int next_key(bool sbi_input)
{
	for (;;) {
		if (sbi_input) {
			long c = sbi_console_getchar();

			if (c >= 0)
				return (int)c;
			/* Nothing typed: sleep one polling period. */
			rt_timer_arm(rt_time() + rt_ms_to_time(POLL_MS), nothing);
		}
		/* Test and sleep with interrupts masked, so a byte that
		 * arrives in between still wakes the wfi. */
		rt_irq_disable();
		if (!sbi_input && ring_count) {
			int c = ring[ring_head];

			ring_head = (ring_head + 1) % RING;
			ring_count--;
			rt_irq_enable();
			return c;
		}
		rt_wfi();
		rt_irq_enable();
	}
}

static void answer(const char *line)
{
	char up[LINE_LEN + 1];
	size_t i;

	for (i = 0; line[i]; i++)
		up[i] = line[i] >= 'a' && line[i] <= 'z' ? (char)(line[i] - 'a' + 'A') : line[i];
	up[i] = '\0';
	uart_printf("ECHO: %s\r\n", up);
}

int main(unsigned long hartid, const void *fdt)
{
	bool sbi_input = strstr(rt_bootargs(fdt), "input=sbi") != NULL;
	uintptr_t uart_base, plic_base;
	char line[LINE_LEN + 1];
	size_t len = 0;
	int rc, prev = 0;

	rc = rt_timer_init(fdt);
	if (!rc)
		rc = find_devices(fdt, &uart_base, &plic_base);
	if (rc) {
		printf("echo: no UART and PLIC in the device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	uart = (volatile uint8_t *)uart_base;
	if (!sbi_input) {
		uart[UART_LCR] = LCR_8N1;
		uart[UART_FCR] = FCR_FIFO_ON;
		uart[UART_MCR] = MCR_DTR_RTS | MCR_OUT2;
		irq_setup(hartid, plic_base);
	}
	uart_printf("echo: uart 0x%lx irq %u, plic 0x%lx context %lu, input %s\r\n",
		    (unsigned long)uart_base, uart_irq, (unsigned long)plic_base, 2 * hartid + 1,
		    sbi_input ? "SBI getchar" : "UART interrupt");
	uart_puts("echo> ");
	for (;;) {
		int c = next_key(sbi_input);

		if (c == '\n' && prev == '\r') {
			prev = c; /* the LF of a CR LF: Enter was already handled */
			continue;
		}
		prev = c;
		if (c == '\r' || c == '\n') {
			line[len] = '\0';
			uart_puts("\r\n");
			if (!strcmp(line, "quit")) {
				uart_puts("echo: bye\r\n");
				return 0;
			}
			if (len)
				answer(line);
			len = 0;
			uart_puts("echo> ");
		} else if (c == 0x7f || c == 0x08) {
			if (len) {
				len--;
				uart_puts("\b \b");
			}
		} else if (c >= 0x20 && c < 0x7f && len < LINE_LEN) {
			line[len++] = (char)c;
			uart_putc((char)c);
		}
	}
}
