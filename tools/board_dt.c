/* Board facts from the real machine's device tree (QEMU's dumpdtb): harts,
 * RAM, timer frequency, the ISA string guests inherit and the devices under
 * /soc that a config may grant to a guest. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "cfg_model.h"

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* QEMU virt has one memory node; the first one is RAM's start. */
static int read_memory(const void *fdt, struct cfg_board *b, struct cfg_diag *d)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node, len;
	const fdt32_t *reg;

	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof "memory");
	if (node < 0)
		return cfg_fail_io(d, "%s: no memory node in the board dtb", b->path);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (int)((ac + sc) * 4))
		return cfg_fail_io(d, "%s: memory node has no usable reg", b->path);
	b->ram_base = read_cells(reg, ac);
	b->ram_size = read_cells(reg + ac, sc);
	return 0;
}

static int read_cpus(const void *fdt, struct cfg_board *b, struct cfg_diag *d)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	const fdt32_t *tb;
	const char *isa;

	if (cpus < 0)
		return cfg_fail_io(d, "%s: no /cpus node in the board dtb", b->path);
	tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	if (!tb || len != 4)
		return cfg_fail_io(d, "%s: /cpus has no timebase-frequency", b->path);
	b->timebase = fdt32_to_cpu(*tb);
	b->harts = 0;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", &len);

		if (type && !strcmp(type, "cpu"))
			b->harts++;
	}
	node = fdt_subnode_offset(fdt, cpus, "cpu@0");
	isa = node < 0 ? NULL : fdt_getprop(fdt, node, "riscv,isa", &len);
	if (!isa || len < 2 || (size_t)len > sizeof b->isa)
		return cfg_fail_io(d, "%s: /cpus/cpu@0 has no usable riscv,isa", b->path);
	memcpy(b->isa, isa, len);
	b->isa[len - 1] = 0;
	return 0;
}

/* Every /soc child with a reg: name, first compatible, first reg entry. A
 * board without /soc simply has nothing to grant. */
static void read_devices(const void *fdt, struct cfg_board *b)
{
	int soc = fdt_path_offset(fdt, "/soc"), node, len;
	int ac = soc < 0 ? 0 : fdt_address_cells(fdt, soc);
	int sc = soc < 0 ? 0 : fdt_size_cells(fdt, soc);

	if (soc < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return;
	fdt_for_each_subnode(node, fdt, soc)
	{
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		const char *name = fdt_get_name(fdt, node, NULL);
		const char *compat;
		struct cfg_board_dev *dev;

		if (!reg || len < (ac + sc) * 4 || !name || strlen(name) >= sizeof dev->name ||
		    b->ndevs == CFG_BOARD_DEVS_MAX)
			continue;
		dev = &b->devs[b->ndevs++];
		strcpy(dev->name, name);
		compat = fdt_getprop(fdt, node, "compatible", &len);
		if (compat && len > 0)
			snprintf(dev->compat, sizeof dev->compat, "%s", compat);
		dev->base = read_cells(reg, ac);
		dev->size = read_cells(reg + ac, sc);
		/* QEMU virt's devices name the PLIC (#interrupt-cells = 1) as
		 * their interrupt-parent: one cell per line. */
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
		for (int i = 0; irq && i < len / 4 && dev->nirqs < CFG_DEV_IRQS; i++)
			dev->irqs[dev->nirqs++] = fdt32_to_cpu(irq[i]);
	}
}

int board_read(const void *fdt, size_t len, const char *path, struct cfg_board *b,
	       struct cfg_diag *d)
{
	int err;

	memset(b, 0, sizeof *b);
	b->path = path;
	if (len < sizeof(struct fdt_header))
		return cfg_fail_io(d, "%s: too short to be a device tree blob", path);
	err = fdt_check_header(fdt);
	if (err || fdt_totalsize(fdt) > len)
		return cfg_fail_io(d,
				   "%s: not a device tree blob (%s); dump one with "
				   "qemu-system-riscv64 -machine virt,dumpdtb=FILE",
				   path, err ? fdt_strerror(err) : "truncated");
	if (read_cpus(fdt, b, d) || read_memory(fdt, b, d))
		return -1;
	read_devices(fdt, b);
	return 0;
}
