/* Where a guest's image is found, and whether its load segments fit the
 * guest's RAM below its device tree. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfg_model.h"

static bool is_bare_name(const char *image)
{
	size_t n = strlen(image);

	return !strchr(image, '/') && !(n >= 4 && !strcmp(image + n - 4, ".elf"));
}

static void append(char *buf, size_t n, const char *s)
{
	size_t used = strlen(buf);

	if (used < n)
		snprintf(buf + used, n - used, "%s%s", used ? ", " : "", s);
}

int cfg_resolve_image(const char *conf_path, const char *image, const char *const *dirs, int ndirs,
		      char *out, size_t outlen, char *looked, size_t lookedlen)
{
	looked[0] = 0;
	if (is_bare_name(image)) {
		for (int i = 0; i < ndirs; i++) {
			snprintf(out, outlen, "%s/%s.elf", dirs[i], image);
			if (!access(out, R_OK))
				return 0;
			append(looked, lookedlen, out);
		}
		if (!ndirs)
			append(looked, lookedlen, "nowhere: no --guests-dir given");
		return -1;
	}
	/* A path: relative to the config file's folder, so configs can move. */
	const char *slash = strrchr(conf_path, '/');

	if (image[0] == '/' || !slash)
		snprintf(out, outlen, "%s", image);
	else
		snprintf(out, outlen, "%.*s/%s", (int)(slash - conf_path), conf_path, image);
	if (!access(out, R_OK))
		return 0;
	append(looked, lookedlen, out);
	return -1;
}

int cfg_check_image(const struct cfg_model *m, const struct cfg_guest_model *g,
		    const struct elf_info *info, struct cfg_diag *d)
{
	uint64_t ram_end = g->gpa_base + g->mem_size;

	for (unsigned i = 0; i < info->nseg; i++) {
		const struct elf_seg *s = &info->seg[i];
		unsigned long long lo = s->paddr, hi = s->paddr + s->memsz;

		if (lo >= g->gpa_base && hi <= g->dtb_gpa)
			continue;
		if (lo >= g->gpa_base && hi <= ram_end)
			return cfg_fail(
			    d, m->path, g->mem_line,
			    "image %s: load segment %#llx..%#llx overlaps the device "
			    "tree at %#llx..%#llx (top of [guest %s]'s RAM); raise memory",
			    g->image_path, lo, hi, (unsigned long long)g->dtb_gpa,
			    (unsigned long long)ram_end, g->name);
		return cfg_fail(
		    d, m->path, g->image_line,
		    "image %s: load segment %#llx..%#llx is outside [guest %s]'s memory "
		    "%#llx..%#llx; link the image at %#llx or raise memory",
		    g->image_path, lo, hi, g->name, (unsigned long long)g->gpa_base,
		    (unsigned long long)g->dtb_gpa, (unsigned long long)g->gpa_base);
	}
	return 0;
}
