/* The devices septa emulates for a guest (console = uart): a virtual 16550
 * and a virtual PLIC at the board's own UART and PLIC addresses. The PLIC
 * carries every interrupt the guest gets from outside: its UART's, the
 * board lines of its granted devices (irqpass) and its channels' doorbells
 * (chan), which is why septa-cfg refuses devices or channels for a guest
 * with console = none. */
#ifndef SEPTA_VDEV_H
#define SEPTA_VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"
#include "spinlock.h"
#include "vm.h"

struct vcpu;

/* Power-on state of the VM's devices. */
void vdev_init(struct vm *vm);
/* A guest access at guest-physical gpa that is not its RAM: 0 when a device
 * took it (*val read, or written from *val), HV_ERANGE when no device is
 * there, HV_EINVAL for an access the device does not take (width). */
int vdev_mmio(struct vcpu *v, uint64_t gpa, unsigned width, bool store, uint64_t *val);
/* platform_guest_devices, for the inline functions below: arch's device
 * leaf compiles them in and may read nothing of the board's itself. */
extern const struct platform_guest_devices *const vdev_board;

/* Whether gpa is in the guest's UART (console = uart), and at which
 * register offset. */
static inline bool vdev_uart_reg(const struct vm *vm, uint64_t gpa, unsigned *off)
{
	const struct platform_guest_devices *d = vdev_board;

	*off = (unsigned)(gpa - d->uart_base);
	return vm->cfg->console == CFG_CONSOLE_UART && gpa - d->uart_base < d->uart_size;
}

/* vdev_mmio() for the accesses that need no call: a plain register
 * (vuart_read_plain()) at offset off of the guest's UART (vdev_uart_reg()),
 * under the devices' lock; the UART's interrupt line stays where it was.
 * false: not plain, nothing done (ask vdev_mmio()). Inline for the device
 * path's leaf, which calls nothing. */
static inline bool vdev_uart_plain(struct vm *vm, unsigned off, bool store, uint64_t *val)
{
	uint8_t byte = (uint8_t)*val;
	bool done;

	spin_lock(&vm->dev.lock);
	done = store ? vuart_write_plain(&vm->dev.uart, off, byte)
		     : vuart_read_plain(&vm->dev.uart, off, &byte);
	spin_unlock(&vm->dev.lock);
	if (done && !store)
		*val = byte;
	return done;
}

/* The guest's console input queue changed (a key typed, bytes taken by an
 * SBI read): its UART's interrupt line follows. */
void vdev_irq_input(struct vm *vm);
/* A board line the guest owns fired and was claimed on the board's PLIC:
 * one request in its virtual PLIC. Its completion there completes the
 * physical claim (irqpass_complete). */
void vdev_hw_irq(struct vm *vm, unsigned src);
/* A channel's doorbell rang for the guest's run `run` (vm->run when the
 * ring was judged): one request on source src of its virtual PLIC,
 * completed by the guest alone (no board line behind it). Dropped when the
 * guest is no longer running that run: a ring for the last run must not
 * land in a restarted guest. */
void vdev_doorbell(struct vm *vm, unsigned src, unsigned run);
/* On v's hart: is the guest's external interrupt line up for v? */
bool vdev_irq_pending(struct vcpu *v);

#endif
