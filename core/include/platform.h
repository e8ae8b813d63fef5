/* What the core needs from the board: a name, a console, and a boot-time
 * cross-check of the board description against the device tree. */
#ifndef SEPTA_PLATFORM_H
#define SEPTA_PLATFORM_H

#include <stdint.h>

const char *platform_name(void);

/* Where guests find their console devices: the board's UART and PLIC
 * addresses, which septa emulates for each guest. Data, not a call: every
 * emulated device access looks. */
struct platform_guest_devices {
	uint64_t uart_base, uart_size;
	unsigned uart_irq;
	uint64_t plic_base, plic_size;
};
extern const struct platform_guest_devices platform_guest_devices;
/* The board's console UART; usable from the first instruction. */
void platform_console_putc(char c);
/* A received byte, or -1 when none is waiting. */
int platform_console_getc(void);
/* The board's interrupt controller, for the lines septa passes through to
 * guests. init (once): every source at priority 0. hart_init (on that hart,
 * after the firmware set up its contexts): its S-mode context enables
 * nothing, threshold 0. enable: src on that hart's S-mode context. claim
 * returns 0 when nothing is waiting; complete goes to the context the
 * source is enabled on. */
void platform_irq_init(void);
void platform_irq_hart_init(unsigned hart);
void platform_irq_priority(unsigned src, unsigned prio);
void platform_irq_enable(unsigned src, unsigned hart);
unsigned platform_irq_claim(unsigned hart);
void platform_irq_complete(unsigned hart, unsigned src);
/* 0, or says which device we rely on is not where the board description
 * says and returns HV_EINVAL: the caller decides what that means. */
int platform_check(const void *fdt);

#endif
