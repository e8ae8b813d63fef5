/* The `build` pipeline short of writing files: board check, then per guest
 * its device tree and image, then placement in host RAM. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

/* The tool's image source: NAME in the --guests-dir folders, or a path. */
static int fetch_from_disk(const struct cfg_image_source *src, const struct cfg_model *m,
			   struct cfg_guest_model *g, uint8_t **buf, size_t *len,
			   struct cfg_diag *d)
{
	char looked[CFG_MSG_MAX / 2];

	if (cfg_resolve_image(m->path, g->image, src->dirs, src->ndirs, g->image_path,
			      sizeof g->image_path, looked, sizeof looked))
		return cfg_fail(d, m->path, g->image_line,
				"image '%s' not found (looked for %s); build the guests or fix the "
				"name or path",
				g->image, looked);
	if (cfg_read_file(g->image_path, buf, len))
		return cfg_fail(d, m->path, g->image_line, "cannot read image %s: %s",
				g->image_path, strerror(errno));
	return 0;
}

static int load_image(struct cfg_model *m, struct cfg_guest_model *g,
		      const struct cfg_image_source *src, struct cfg_diag *d)
{
	char why[160];
	struct elf_info info;
	uint8_t *buf;
	size_t len;
	int rc;

	if (src->fetch(src, m, g, &buf, &len, d))
		return -1;
	if (elf_read(buf, len, &info, why, sizeof why)) {
		free(buf);
		return cfg_fail(d, m->path, g->image_line,
				"image %s is not a RISC-V ELF64 executable: %s; point image at a "
				"guest built with riscv64-unknown-elf-gcc",
				g->image_path, why);
	}
	rc = cfg_check_image(m, g, &info, d);
	if (!rc && elf_flatten(buf, &info, &g->img))
		rc = cfg_fail_io(d, "out of memory flattening %s", g->image_path);
	free(buf);
	return rc;
}

int cfg_compile_from(struct cfg_model *m, const struct cfg_board *b,
		     const struct cfg_image_source *src, struct cfg_diag *d)
{
	if (cfg_check_board(m, b, d) || cfg_grant_devices(m, b, d))
		return -1;
	for (uint32_t i = 0; i < m->nguests; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		g->gpa_base = BOARD_GUEST_RAM_BASE;
		if (guest_dtb_build(g, b, &g->dtb, &g->dtb_size))
			return cfg_fail_io(d, "cannot build the device tree of guest %s", g->name);
		/* The dtb sits at the top of guest RAM, out of the image's way. */
		g->dtb_gpa = g->gpa_base + g->mem_size - cfg_align_up(g->dtb_size, CFG_PAGE);
		if (load_image(m, g, src, d))
			return -1;
	}
	return cfg_place(m, d);
}

int cfg_compile(struct cfg_model *m, const struct cfg_board *b, const char *const *dirs, int ndirs,
		struct cfg_diag *d)
{
	const struct cfg_image_source disk = {
	    .fetch = fetch_from_disk, .dirs = dirs, .ndirs = ndirs};

	return cfg_compile_from(m, b, &disk, d);
}

void cfg_model_free(struct cfg_model *m)
{
	for (uint32_t i = 0; i < m->nguests; i++) {
		free(m->guests[i].img.data);
		free(m->guests[i].dtb);
		m->guests[i].img.data = NULL;
		m->guests[i].dtb = NULL;
	}
}
