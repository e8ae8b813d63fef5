/* QEMU virt, described as data and checked against the device tree that
 * OpenSBI passes at boot. */
#include "platform.h"

#include <libfdt.h>

#include "board.h"
#include "hv.h"
#include "uart.h"

/* The board as data: the one place the hypervisor's own devices are
 * named; platform_check() holds them against the device tree. */
static const struct board_desc {
	const char *name;
	uintptr_t uart_base;
	const char *uart_compatible;
} board = {
    .name = BOARD_NAME,
    .uart_base = BOARD_UART_BASE,
    .uart_compatible = "ns16550a",
};

/* A guest's emulated UART and PLIC sit where the board has the real ones,
 * so a guest's unmodified QEMU virt drivers find them (core/vdev.c). */
const struct platform_guest_devices platform_guest_devices = {
    .uart_base = BOARD_UART_BASE,
    .uart_size = BOARD_VUART_SIZE,
    .uart_irq = BOARD_UART_IRQ,
    .plic_base = BOARD_PLIC_BASE,
    .plic_size = BOARD_VPLIC_SIZE,
};

const char *platform_name(void)
{
	return board.name;
}

void platform_console_putc(char c)
{
	uart_putc(board.uart_base, c);
}

int platform_console_getc(void)
{
	return uart_getc(board.uart_base);
}

int platform_check(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, board.uart_compatible);
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;

	/* QEMU virt uses two address cells under /soc; properties are only
	 * 4-byte aligned, so read them as 32-bit cells. */
	if (!reg || len < 8 ||
	    (((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1])) != board.uart_base) {
		hv_log("no %s UART at 0x%lx in the device tree: is this QEMU virt?",
		       board.uart_compatible, (unsigned long)board.uart_base);
		return HV_EINVAL;
	}
	return 0;
}
