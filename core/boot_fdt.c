/* Reads the boot device tree (libfdt) and checks the machine against the
 * config the hypervisor was built with. */
#include "boot.h"

#include <libfdt.h>
#include <string.h>

#include "cfg_table.h"
#include "hv.h"

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* The first memory node's first range: QEMU virt describes its RAM as one.
 * boot_check_machine() compares it with the config. */
static int read_memory(const void *fdt, struct boot_info *bi)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;

	if (node < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return HV_EINVAL;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (ac + sc) * 4)
		return HV_EINVAL;
	bi->ram_base = read_cells(reg, ac);
	bi->ram_size = read_cells(reg + ac, sc);
	return 0;
}

static int read_cpus(const void *fdt, struct boot_info *bi)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;

	if (cpus < 0)
		return HV_EINVAL;
	const fdt32_t *tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	if (!tb || len != 4)
		return HV_EINVAL;
	bi->timebase_hz = fdt32_to_cpu(*tb);
	bi->harts = 0;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && !strcmp(type, "cpu"))
			bi->harts++;
	}
	return 0;
}

int boot_read_fdt(const void *fdt, struct boot_info *bi, const char **why)
{
	memset(bi, 0, sizeof(*bi));
	if (fdt_check_header(fdt)) {
		*why = "no valid device tree in a1";
		return HV_EINVAL;
	}
	if (read_cpus(fdt, bi)) {
		*why = "no /cpus with timebase-frequency in the device tree";
		return HV_EINVAL;
	}
	if (read_memory(fdt, bi)) {
		*why = "no memory node in the device tree";
		return HV_EINVAL;
	}
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	/* mk/run.sh adds "color" when the terminal is a TTY: escape codes
	 * would litter a log file or a test's transcript. */
	bi->color = args && strstr(args, "color");
	return 0;
}

void boot_check_machine(const struct boot_info *bi)
{
	const struct cfg_machine *m = &cfg_machine;

	if (bi->harts != m->harts)
		panic("%s says harts = %u but this machine has %u; run QEMU with -smp %u "
		      "or rebuild for this machine",
		      m->config_path, m->harts, bi->harts, m->harts);
	if (bi->ram_base != m->ram_base || bi->ram_size != m->ram_size)
		panic("%s says ram = %lu MiB at 0x%lx but this machine has %lu MiB at 0x%lx; "
		      "run QEMU with -m %luM",
		      m->config_path, (unsigned long)(m->ram_size >> 20),
		      (unsigned long)m->ram_base, (unsigned long)(bi->ram_size >> 20),
		      (unsigned long)bi->ram_base, (unsigned long)(m->ram_size >> 20));
}
