/* Guest images from their source (files, or memory for the fuzzer): read,
 * flattened, and checked against the guest-physical layout cfg_layout()
 * has decided. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_model.h"

/* One file a config names, found in the --guests-dir folders or as a path,
 * read whole. what is "image" or "initrd"; fix says how to get it. */
typedef int (*resolve_fn)(const char *conf_path, const char *name, const char *const *dirs,
			  int ndirs, char *out, size_t outlen, char *looked, size_t lookedlen);
static int fetch_file(const struct cfg_image_source *src, const struct cfg_model *m,
		      const char *what, const char *name, int line, resolve_fn resolve, char *path,
		      const char *fix, uint8_t **buf, size_t *len, struct cfg_diag *d)
{
	char looked[CFG_MSG_MAX / 2];

	if (resolve(m->path, name, src->dirs, src->ndirs, path, CFG_PATH_MAX, looked,
		    sizeof looked))
		return cfg_fail(d, m->path, line,
				"%s '%s' not found (looked for %s); %s or fix the name or path",
				what, name, looked, fix);
	if (cfg_read_file(path, buf, len))
		return cfg_fail(d, m->path, line, "cannot read %s %s: %s", what, path,
				strerror(errno));
	return 0;
}

/* The tool's image source: NAME in the --guests-dir folders, or a path. */
static int fetch_from_disk(const struct cfg_image_source *src, const struct cfg_model *m,
			   struct cfg_guest_model *g, uint8_t **buf, size_t *len,
			   struct cfg_diag *d)
{
	return fetch_file(src, m, "image", g->image, g->image_line, cfg_resolve_image,
			  g->image_path, "build the guests", buf, len, d);
}

/* The guest's initrd from disk, found as cfg_resolve_initrd() says. */
static int fetch_initrd_from_disk(const struct cfg_image_source *src, const struct cfg_model *m,
				  struct cfg_guest_model *g, uint8_t **buf, size_t *len,
				  struct cfg_diag *d)
{
	return fetch_file(src, m, "initrd", g->initrd, g->initrd_line, cfg_resolve_initrd,
			  g->initrd_path, "run make linux", buf, len, d);
}

/* The smallest memory that holds what ends at `need` bytes into RAM plus
 * the device tree and initrd at the top, in whole MiB, for messages. */
static void min_memory(const struct cfg_guest_model *g, uint64_t need, char *buf, size_t n)
{
	uint64_t top = g->gpa_base + g->mem_size - g->dtb_gpa;

	cfg_fmt_size(buf, n, cfg_align_up(need + top, CFG_MIB));
}

/* A Linux Image: everything up to image_size (bss included) must lie below
 * the device tree, and an initrd above it. */
static int check_linux_image(const struct cfg_model *m, const struct cfg_guest_model *g,
			     struct cfg_diag *d)
{
	unsigned long long lo = g->img.gpa, hi = g->img.end;
	char need[32];

	if (hi <= g->dtb_gpa)
		return 0;
	min_memory(g, hi - g->gpa_base, need, sizeof need);
	if (g->initrd_gpa && hi <= g->gpa_base + g->mem_size)
		return cfg_fail(d, m->path, g->initrd_line,
				"initrd %s at %#llx..%#llx overlaps image %s, which reaches %#llx "
				"(image_size included); raise memory to at least %s",
				g->initrd_path, (unsigned long long)g->initrd_gpa,
				(unsigned long long)(g->initrd_gpa + g->initrd_size), g->image_path,
				hi, need);
	return cfg_fail(d, m->path, g->mem_line,
			"image %s: Linux Image needs %#llx..%#llx (text_offset %#llx plus "
			"image_size %#llx) but [guest %s]'s RAM below its device tree ends at "
			"%#llx; raise memory to at least %s",
			g->image_path, lo, hi, (unsigned long long)g->text_offset,
			(unsigned long long)(g->img.end - g->img.gpa), g->name,
			(unsigned long long)g->dtb_gpa, need);
}

/* An ELF guest with an initrd: name the initrd when it is what is in the way. */
static int check_elf_below_initrd(const struct cfg_model *m, const struct cfg_guest_model *g,
				  const struct elf_info *info, struct cfg_diag *d)
{
	char need[32];

	for (unsigned i = 0; g->initrd_gpa && i < info->nseg; i++) {
		uint64_t hi = info->seg[i].paddr + info->seg[i].memsz;

		if (info->seg[i].paddr >= g->gpa_base && hi > g->dtb_gpa &&
		    hi <= g->gpa_base + g->mem_size) {
			min_memory(g, hi - g->gpa_base, need, sizeof need);
			return cfg_fail(d, m->path, g->initrd_line,
					"initrd %s at %#llx..%#llx overlaps image %s, which "
					"reaches %#llx; raise memory to at least %s",
					g->initrd_path, (unsigned long long)g->initrd_gpa,
					(unsigned long long)(g->initrd_gpa + g->initrd_size),
					g->image_path, (unsigned long long)hi, need);
		}
	}
	return 0;
}

int cfg_load_image(struct cfg_model *m, struct cfg_guest_model *g,
		   const struct cfg_image_source *src, struct cfg_diag *d)
{
	char why[160], lwhy[160];
	struct elf_info info;
	struct linux_image li;
	uint8_t *buf;
	size_t len;
	int rc;

	if (src->fetch(src, m, g, &buf, &len, d))
		return -1;
	rc = linux_image_read(buf, len, &li, lwhy, sizeof lwhy);
	if (rc < 0) {
		free(buf);
		return cfg_fail(d, m->path, g->image_line,
				"image %s is a broken RISC-V Linux Image: %s; rebuild the kernel "
				"(make linux)",
				g->image_path, lwhy);
	}
	if (rc == 1) {
		g->linux_image = true;
		g->text_offset = li.text_offset;
		if (linux_image_flatten(buf, &li, g->gpa_base, &g->img))
			rc = cfg_fail_io(d, "out of memory loading %s", g->image_path);
		else
			rc = check_linux_image(m, g, d);
		free(buf);
		return rc;
	}
	if (elf_read(buf, len, &info, why, sizeof why)) {
		free(buf);
		return cfg_fail(d, m->path, g->image_line,
				"image %s is not a RISC-V ELF64 executable: %s; point image at a "
				"guest built with riscv64-unknown-elf-gcc or at a RISC-V Linux "
				"Image",
				g->image_path, why);
	}
	rc = check_elf_below_initrd(m, g, &info, d);
	if (!rc)
		rc = cfg_check_image(m, g, &info, d);
	if (!rc && elf_flatten(buf, &info, &g->img))
		rc = cfg_fail_io(d, "out of memory flattening %s", g->image_path);
	free(buf);
	return rc;
}

struct cfg_image_source cfg_disk_source(const char *const *dirs, int ndirs)
{
	return (struct cfg_image_source){.fetch = fetch_from_disk,
					 .fetch_initrd = fetch_initrd_from_disk,
					 .dirs = dirs,
					 .ndirs = ndirs};
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
