/* Device-tree helpers shared by the demo guests (libfdt underneath). */
#include <libfdt.h>

#include "rt.h"

/* Reads 1 or 2 big-endian cells as one number. */
static int read_cells(const fdt32_t *cells, int count, uint64_t *out)
{
	if (count == 1)
		*out = fdt32_ld(cells);
	else if (count == 2)
		*out = (uint64_t)fdt32_ld(cells) << 32 | fdt32_ld(cells + 1);
	else
		return -FDT_ERR_BADNCELLS;
	return 0;
}

/* The first (base, size) pair of the node whose device_type is "memory". */
int rt_fdt_memory(const void *fdt, uint64_t *base, uint64_t *size)
{
	const fdt32_t *reg;
	int rc, node, parent, ac, sc, len;

	if (!fdt)
		return -FDT_ERR_BADMAGIC;
	rc = fdt_check_header(fdt);
	if (rc)
		return rc;
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	if (node < 0)
		return node;

	/* reg is laid out by the parent's #address-cells and #size-cells
	 * (2 and 2 on QEMU virt). */
	parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(fdt, parent);
	if (sc < 0)
		return sc;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len;
	if (len < (ac + sc) * (int)sizeof(fdt32_t))
		return -FDT_ERR_BADVALUE;
	rc = read_cells(reg, ac, base);
	if (rc)
		return rc;
	return read_cells(reg + ac, sc, size);
}

const char *rt_bootargs(const void *fdt)
{
	const char *args;
	int node, len;

	if (!fdt || fdt_check_header(fdt))
		return "";
	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0)
		return "";
	args = fdt_getprop(fdt, node, "bootargs", &len);
	/* A string property includes its NUL; anything else is not a string. */
	if (!args || len < 1 || args[len - 1] != '\0')
		return "";
	return args;
}
