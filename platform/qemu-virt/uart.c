/* ns16550a: polled transmit and receive. QEMU's model needs no divisor or
 * line set-up, which is why this works before anything else is initialised. */
#include "uart.h"

#define UART_RBR 0    /* receive buffer (read) */
#define UART_THR 0    /* transmit holding (write) */
#define UART_LSR 5    /* line status */
#define LSR_DR	 0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

static inline uint8_t reg_read(uintptr_t base, int reg)
{
	return *(volatile uint8_t *)(base + reg);
}

static inline void reg_write(uintptr_t base, int reg, uint8_t v)
{
	*(volatile uint8_t *)(base + reg) = v;
}

/* Polled, never by interrupt: it must work at boot and in a panic, and
 * the hypervisor's own UART interrupt goes nowhere. */
void uart_putc(uintptr_t base, char c)
{
	while (!(reg_read(base, UART_LSR) & LSR_THRE))
		;
	reg_write(base, UART_THR, (uint8_t)c);
}

int uart_getc(uintptr_t base)
{
	if (!(reg_read(base, UART_LSR) & LSR_DR))
		return -1;
	return reg_read(base, UART_RBR);
}
