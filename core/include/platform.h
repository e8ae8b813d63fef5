/* What the core needs from the board: a name, a console, and a boot-time
 * cross-check of the board description against the device tree. */
#ifndef SEPTA_PLATFORM_H
#define SEPTA_PLATFORM_H

#include <stdint.h>

const char *platform_name(void);

/* Where guests find their console devices: the board's UART and PLIC
 * addresses, which septa emulates for each guest. */
struct platform_guest_devices {
	uint64_t uart_base, uart_size;
	unsigned uart_irq;
	uint64_t plic_base, plic_size;
};
const struct platform_guest_devices *platform_guest_devices(void);
/* The board's console UART; usable from the first instruction. */
void platform_console_putc(char c);
/* A received byte, or -1 when none is waiting. */
int platform_console_getc(void);
/* Panics when a device we rely on is not where the board description says. */
void platform_check(const void *fdt);

#endif
