/* One guest's device tree, written with libfdt's sequential-write API: what
 * the guest sees of its machine (RAM, vCPUs, timer, UART and PLIC).
 *
 * The sequential-write API cannot patch a property later, so phandles are
 * fixed up front: cpu@I's interrupt-controller is I + 1, the PLIC comes
 * after the last vCPU's. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

#define DTB_BUF_SIZE 16384
/* Interrupt numbers on a hart's local controller (the mcause/scause codes)
 * that the PLIC's contexts drive: context 2I is hart I's M-mode external
 * interrupt, 2I + 1 its S-mode one, as on QEMU virt. */
#define INTC_M_EXT 11
#define INTC_S_EXT 9

static uint32_t intc_phandle(uint32_t vcpu)
{
	return vcpu + 1;
}

static uint32_t plic_phandle(const struct cfg_guest_model *g)
{
	return g->nvcpus + 1;
}

void guest_dtb_isa_without_h(const char *isa, char *out, size_t n)
{
	/* Single-letter extensions run from after "rv64" to the first '_';
	 * only there is 'h' the hypervisor extension, which a guest lacks. */
	const char *letters = strncmp(isa, "rv", 2) ? isa : isa + 4;
	const char *multi = strchr(isa, '_');
	size_t o = 0;

	for (const char *s = isa; *s && o + 1 < n; s++) {
		if (s >= letters && (!multi || s < multi) && *s == 'h')
			continue;
		out[o++] = *s;
	}
	if (n)
		out[o] = 0;
}

static int prop_reg64(void *fdt, uint64_t addr, uint64_t size)
{
	fdt64_t reg[2] = {cpu_to_fdt64(addr), cpu_to_fdt64(size)};

	return fdt_property(fdt, "reg", reg, sizeof reg);
}

static int cpu_node(void *fdt, uint32_t id, const char *isa)
{
	char name[32];
	int err = 0;

	snprintf(name, sizeof name, "cpu@%u", id);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "device_type", "cpu");
	err |= fdt_property_u32(fdt, "reg", id);
	err |= fdt_property_string(fdt, "compatible", "riscv");
	err |= fdt_property_string(fdt, "status", "okay");
	err |= fdt_property_string(fdt, "mmu-type", "riscv,sv39");
	err |= fdt_property_string(fdt, "riscv,isa", isa);
	err |= fdt_begin_node(fdt, "interrupt-controller");
	err |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
	err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "phandle", intc_phandle(id));
	err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	return err;
}

static int plic_node(void *fdt, const struct cfg_guest_model *g)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	fdt32_t ext[CFG_MAX_VCPUS * 4];
	char name[32];
	int err = 0;

	/* Each vCPU's M- and S-mode external lines in turn, as QEMU virt lists
	 * them: context 2I + 1 is vCPU I's S-mode one, the numbering
	 * core/vdev.c's plic_ctx() relies on. */
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		ext[4 * i + 0] = cpu_to_fdt32(intc_phandle(i));
		ext[4 * i + 1] = cpu_to_fdt32(INTC_M_EXT);
		ext[4 * i + 2] = cpu_to_fdt32(intc_phandle(i));
		ext[4 * i + 3] = cpu_to_fdt32(INTC_S_EXT);
	}
	snprintf(name, sizeof name, "plic@%llx", (unsigned long long)BOARD_PLIC_BASE);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property(fdt, "compatible", compat, sizeof compat);
	err |= prop_reg64(fdt, BOARD_PLIC_BASE, BOARD_VPLIC_SIZE);
	err |= fdt_property_u32(fdt, "#address-cells", 0);
	err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "riscv,ndev", CFG_VPLIC_NDEV);
	err |= fdt_property(fdt, "interrupts-extended", ext, g->nvcpus * 4 * sizeof ext[0]);
	err |= fdt_property_u32(fdt, "phandle", plic_phandle(g));
	err |= fdt_end_node(fdt);
	return err;
}

static int uart_node(void *fdt, const struct cfg_guest_model *g)
{
	char name[32];
	int err = 0;

	snprintf(name, sizeof name, "serial@%llx", (unsigned long long)BOARD_UART_BASE);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", "ns16550a");
	err |= prop_reg64(fdt, BOARD_UART_BASE, BOARD_VUART_SIZE);
	err |= fdt_property_u32(fdt, "clock-frequency", BOARD_VUART_CLOCK_HZ);
	err |= fdt_property_u32(fdt, "interrupts", BOARD_UART_IRQ);
	err |= fdt_property_u32(fdt, "interrupt-parent", plic_phandle(g));
	err |= fdt_end_node(fdt);
	return err;
}

/* A granted board device, as the board names it: its compatible, its
 * registers and its interrupt lines, which septa passes through to the
 * guest's virtual PLIC under the same numbers. */
static int device_node(void *fdt, const struct cfg_guest_model *g, const struct cfg_board_dev *dev)
{
	fdt32_t irqs[CFG_DEV_IRQS];
	int err = 0;

	err |= fdt_begin_node(fdt, dev->name);
	if (dev->compat[0])
		err |= fdt_property_string(fdt, "compatible", dev->compat);
	err |= prop_reg64(fdt, dev->base, dev->size);
	if (dev->nirqs) {
		for (uint32_t i = 0; i < dev->nirqs; i++)
			irqs[i] = cpu_to_fdt32(dev->irqs[i]);
		err |= fdt_property(fdt, "interrupts", irqs, dev->nirqs * sizeof irqs[0]);
		err |= fdt_property_u32(fdt, "interrupt-parent", plic_phandle(g));
	}
	err |= fdt_end_node(fdt);
	return err;
}

/* A channel this guest is a member of: the shared window, its name, the
 * doorbell source in the virtual PLIC, and what the guest passes to the
 * doorbell call (SEPTA_CHAN_EID): the channel's index and member numbers. */
static int channel_node(void *fdt, const struct cfg_guest_model *g, const struct cfg_guest_chan *gc)
{
	const struct cfg_channel_model *c = gc->ch;
	char name[40];
	int err = 0;

	snprintf(name, sizeof name, "channel@%llx", (unsigned long long)c->gpa);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", "septa,channel");
	err |= prop_reg64(fdt, c->gpa, c->size);
	err |= fdt_property_string(fdt, "label", c->name);
	err |= fdt_property_u32(fdt, "interrupts", c->irq);
	err |= fdt_property_u32(fdt, "interrupt-parent", plic_phandle(g));
	err |= fdt_property_u32(fdt, "septa,channel", gc->channel);
	err |= fdt_property_u32(fdt, "septa,member", gc->member);
	err |= fdt_property_u32(fdt, "septa,members", c->nmembers);
	if (!gc->writable)
		err |= fdt_property(fdt, "read-only", NULL, 0);
	err |= fdt_end_node(fdt);
	return err;
}

/* /soc, as on QEMU virt: a simple-bus whose children use CPU addresses. */
static int soc_node(void *fdt, const struct cfg_guest_model *g)
{
	int err = 0;

	err |= fdt_begin_node(fdt, "soc");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "simple-bus");
	err |= fdt_property(fdt, "ranges", NULL, 0);
	if (g->console == CFG_CONSOLE_UART) {
		err |= plic_node(fdt, g);
		err |= uart_node(fdt, g);
	}
	for (uint32_t i = 0; i < g->ndevices; i++)
		err |= device_node(fdt, g, g->dev[i]);
	for (uint32_t i = 0; i < g->nchans; i++)
		err |= channel_node(fdt, g, &g->chans[i]);
	err |= fdt_end_node(fdt);
	return err;
}

/* libfdt returns negative codes; OR-ing them keeps "something failed". */
static int write_tree(void *fdt, const struct cfg_guest_model *g, const struct cfg_board *b)
{
	char model[64], memname[32], stdout_path[48], isa[sizeof b->isa];
	bool uart = g->console == CFG_CONSOLE_UART;
	int err = 0;

	guest_dtb_isa_without_h(b->isa, isa, sizeof isa);
	snprintf(model, sizeof model, "septa guest %s", g->name);
	snprintf(memname, sizeof memname, "memory@%llx", (unsigned long long)g->gpa_base);
	snprintf(stdout_path, sizeof stdout_path, "/soc/serial@%llx",
		 (unsigned long long)BOARD_UART_BASE);

	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "septa,guest");
	err |= fdt_property_string(fdt, "model", model);

	/* With console = none there is no stdout-path: the guest has nowhere
	 * to write, and SBI console calls are dropped too. */
	err |= fdt_begin_node(fdt, "chosen");
	if (uart)
		err |= fdt_property_string(fdt, "stdout-path", stdout_path);
	if (g->bootargs_line)
		err |= fdt_property_string(fdt, "bootargs", g->bootargs);
	/* 64-bit cells whatever the values, so the tree's size does not depend
	 * on where the initrd lands (cfg_layout.c places it by that size). */
	if (g->initrd_gpa) {
		err |= fdt_property_u64(fdt, "linux,initrd-start", g->initrd_gpa);
		err |= fdt_property_u64(fdt, "linux,initrd-end", g->initrd_gpa + g->initrd_size);
	}
	err |= fdt_property_string(fdt, "septa,name", g->name);
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, memname);
	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= prop_reg64(fdt, g->gpa_base, g->mem_size);
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, "cpus");
	err |= fdt_property_u32(fdt, "#address-cells", 1);
	err |= fdt_property_u32(fdt, "#size-cells", 0);
	err |= fdt_property_u32(fdt, "timebase-frequency", b->timebase);
	for (uint32_t i = 0; i < g->nvcpus; i++)
		err |= cpu_node(fdt, i, isa);
	err |= fdt_end_node(fdt);

	if (uart || g->ndevices)
		err |= soc_node(fdt, g);

	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	return err;
}

int guest_dtb_build(const struct cfg_guest_model *g, const struct cfg_board *b, uint8_t **out,
		    uint64_t *size)
{
	void *fdt = calloc(1, DTB_BUF_SIZE);

	if (!fdt)
		return -1;
	if (fdt_create(fdt, DTB_BUF_SIZE) || write_tree(fdt, g, b)) {
		free(fdt);
		return -1;
	}
	*out = fdt;
	*size = fdt_totalsize(fdt);
	return 0;
}
