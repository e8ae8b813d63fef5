/* One guest's device tree, written with libfdt's sequential-write API: what
 * the guest sees of its machine (RAM, vCPUs, timer, console). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_model.h"

#define DTB_BUF_SIZE 16384

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
	err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	return err;
}

/* libfdt returns negative codes; OR-ing them keeps "something failed". */
static int write_tree(void *fdt, const struct cfg_guest_model *g, const struct cfg_board *b)
{
	char model[64], memname[32], isa[sizeof b->isa];
	int err = 0;

	guest_dtb_isa_without_h(b->isa, isa, sizeof isa);
	snprintf(model, sizeof model, "septa guest %s", g->name);
	snprintf(memname, sizeof memname, "memory@%llx", (unsigned long long)g->gpa_base);

	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "septa,guest");
	err |= fdt_property_string(fdt, "model", model);

	err |= fdt_begin_node(fdt, "chosen");
	err |= fdt_property_string(fdt, "stdout-path", "/console");
	err |= fdt_property_string(fdt, "septa,name", g->name);
	err |= fdt_end_node(fdt);

	/* The console is the SBI debug console: no registers to describe. */
	err |= fdt_begin_node(fdt, "console");
	err |= fdt_property_string(fdt, "compatible", "septa,sbi-console");
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
