/* A guest's emulated devices: its 16550 and the PLIC that carries the
 * UART's, its granted devices' and its doorbells' interrupts. Accesses come
 * from the guest's vCPUs on any hart, typed input from the console hart,
 * board lines from the hart that claimed them, doorbells from the ringing
 * guest's hart, so each VM's devices sit behind one lock. A change of a
 * vCPU's external interrupt line reaches it as a request its own hart acts
 * on (only that hart may touch its hvip). */
#include "vdev.h"

#include "console.h"
#include "hv.h"
#include "irqpass.h"
#include "platform.h"
#include "vm.h"

const struct platform_guest_devices *const vdev_board = &platform_guest_devices;

static void uart_tx(void *ctx, uint8_t c)
{
	console_guest_putc(ctx, (char)c);
}

/* The UART's receiver reads the console's input queue itself. */
static int uart_take(void *ctx)
{
	return console_take_input(ctx);
}

static const struct vuart_ops uart_ops = {uart_tx, uart_take};

void vdev_init(struct vm *vm)
{
	/* A line the last run took and never completed would stay silent
	 * for good: hand its claim back to the board. */
	spin_lock(&vm->dev.lock);
	irqpass_complete(vm->dev.hw_claimed);
	vm->dev.hw_claimed = 0;
	spin_unlock(&vm->dev.lock);
	vuart_init(&vm->dev.uart, &uart_ops, vm, console_input_counter(vm));
	vplic_init(&vm->dev.plic);
	vm->dev.irq_out = 0;
}

/* vCPU i's S-mode context on the PLIC, as on QEMU virt. */
static unsigned plic_ctx(unsigned vcpu)
{
	return 2 * vcpu + 1;
}

/* With dev.lock held: carry the UART's line to the PLIC and ask each vCPU
 * whose external interrupt line changed to look at it again (most accesses
 * change nothing, and a request costs its hart a pass of the scheduler). */
static void irq_update(struct vm *vm)
{
	vplic_set_level(&vm->dev.plic, platform_guest_devices.uart_irq, vuart_irq(&vm->dev.uart));
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		uint32_t bit = 1u << i;
		uint32_t up = vplic_ctx_pending(&vm->dev.plic, plic_ctx(i)) ? bit : 0;

		if ((vm->dev.irq_out & bit) != up) {
			vm->dev.irq_out ^= bit;
			vcpu_request(&vm->vcpus[i], VCPU_REQ_IRQ);
		}
	}
}

static bool inside(uint64_t gpa, uint64_t base, uint64_t size)
{
	return gpa >= base && gpa - base < size;
}

/* A UART register: bytes (reg-shift 0); a wider access acts on the byte at
 * its address, as on a 16550 wired to a wide bus. */
static void uart_access(struct vm *vm, unsigned off, bool store, uint64_t *val)
{
	struct vuart *u = &vm->dev.uart;

	spin_lock(&vm->dev.lock);
	bool was = vuart_irq(u);
	if (store)
		vuart_write(u, off, (uint8_t)*val);
	else
		*val = vuart_read(u, off);
	/* Most accesses (a status poll, a byte out) leave the line where it
	 * was; then the PLIC has nothing new to see. */
	if (vuart_irq(u) != was)
		irq_update(vm);
	spin_unlock(&vm->dev.lock);
}

/* A PLIC register: 32-bit accesses only. */
static int plic_access(struct vm *vm, uint64_t off, unsigned width, bool store, uint64_t *val)
{
	uint32_t word = (uint32_t)*val;
	int rc;

	if (width != 4)
		return HV_EINVAL;
	spin_lock(&vm->dev.lock);
	rc = store ? vplic_write(&vm->dev.plic, off, word) : vplic_read(&vm->dev.plic, off, &word);
	if (!store)
		*val = word;
	/* A passed-through line completed in the guest: now, and not before,
	 * the board's PLIC may forward it again. */
	uint32_t done = vplic_take_completed(&vm->dev.plic) & vm->dev.hw_claimed;
	if (done) {
		vm->dev.hw_claimed &= ~done;
		irqpass_complete(done);
	}
	irq_update(vm);
	spin_unlock(&vm->dev.lock);
	return rc ? HV_EINVAL : 0;
}

int vdev_mmio(struct vcpu *v, uint64_t gpa, unsigned width, bool store, uint64_t *val)
{
	const struct platform_guest_devices *d = &platform_guest_devices;
	struct vm *vm = v->vm;
	unsigned off;

	if (vdev_uart_reg(vm, gpa, &off)) {
		uart_access(vm, off, store, val);
		return 0;
	}
	if (vm->cfg->console == CFG_CONSOLE_UART && inside(gpa, d->plic_base, d->plic_size))
		return plic_access(vm, gpa - d->plic_base, width, store, val);
	return HV_ERANGE;
}

void vdev_irq_input(struct vm *vm)
{
	if (vm->cfg->console != CFG_CONSOLE_UART)
		return;
	spin_lock(&vm->dev.lock);
	irq_update(vm);
	spin_unlock(&vm->dev.lock);
}

void vdev_hw_irq(struct vm *vm, unsigned src)
{
	spin_lock(&vm->dev.lock);
	vm->dev.hw_claimed |= 1u << src;
	vplic_raise(&vm->dev.plic, src);
	irq_update(vm);
	spin_unlock(&vm->dev.lock);
}

void vdev_doorbell(struct vm *vm, unsigned src, unsigned run)
{
	spin_lock(&vm->dev.lock);
	/* Under the lock: a reload bumps the run before the VM runs again,
	 * so a ring judged in the last run cannot reach the new one. */
	if (__atomic_load_n(&vm->run, __ATOMIC_ACQUIRE) == run && vm_running(vm)) {
		vplic_raise(&vm->dev.plic, src);
		irq_update(vm);
	}
	spin_unlock(&vm->dev.lock);
}

bool vdev_irq_pending(struct vcpu *v)
{
	struct vm *vm = v->vm;

	if (vm->cfg->console != CFG_CONSOLE_UART)
		return false;
	spin_lock(&vm->dev.lock);
	bool up = vplic_ctx_pending(&vm->dev.plic, plic_ctx(v->id));
	spin_unlock(&vm->dev.lock);
	return up;
}
