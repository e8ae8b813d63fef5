/* ns16550a driver for the hypervisor's own console; the base address is an
 * argument so the driver knows nothing of the board. */
#ifndef SEPTA_UART_H
#define SEPTA_UART_H

#include <stdint.h>

void uart_putc(uintptr_t base, char c);
int uart_getc(uintptr_t base);

#endif
