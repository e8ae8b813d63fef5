/* Where a guest's image, initrd and disk are found, and whether the image
 * fits the guest's RAM below its device tree. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfg_model.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static bool is_bare_name(const char *name, const char *const *suffixes, int nsuf)
{
	if (strchr(name, '/'))
		return false;
	for (int i = 0; i < nsuf; i++)
		if (ends_with(name, suffixes[i]))
			return false;
	return true;
}

static void append(char *buf, size_t n, const char *s)
{
	size_t used = strlen(buf);

	if (used < n)
		snprintf(buf + used, n - used, "%s%s", used ? ", " : "", s);
}

/* A path: relative to the config file's folder, so configs can move. */
static void beside_config(const char *conf_path, const char *name, char *out, size_t outlen)
{
	const char *slash = strrchr(conf_path, '/');

	if (name[0] == '/' || !slash)
		snprintf(out, outlen, "%s", name);
	else
		snprintf(out, outlen, "%.*s/%s", (int)(slash - conf_path), conf_path, name);
}

static int resolve(const char *conf_path, const char *image, const char *const *dirs, int ndirs,
		   const char *const *suffixes, int nsuf, char *out, size_t outlen, char *looked,
		   size_t lookedlen)
{
	looked[0] = 0;
	if (is_bare_name(image, suffixes, nsuf)) {
		for (int i = 0; i < ndirs; i++)
			for (int k = 0; k < nsuf; k++) {
				snprintf(out, outlen, "%s/%s%s", dirs[i], image, suffixes[k]);
				if (!access(out, R_OK))
					return 0;
				append(looked, lookedlen, out);
			}
		if (!ndirs)
			append(looked, lookedlen, "nowhere: no --guests-dir given");
		return -1;
	}
	beside_config(conf_path, image, out, outlen);
	if (!access(out, R_OK))
		return 0;
	append(looked, lookedlen, out);
	return -1;
}

int cfg_resolve_image(const char *conf_path, const char *image, const char *const *dirs, int ndirs,
		      char *out, size_t outlen, char *looked, size_t lookedlen)
{
	/* A guest built here is an ELF; a kernel built here (make linux) is a
	 * Linux Image beside them. */
	static const char *const suffixes[] = {".elf", ".Image"};

	return resolve(conf_path, image, dirs, ndirs, suffixes, 2, out, outlen, looked, lookedlen);
}

int cfg_resolve_initrd(const char *conf_path, const char *initrd, const char *const *dirs,
		       int ndirs, char *out, size_t outlen, char *looked, size_t lookedlen)
{
	static const char *const suffixes[] = {".initrd"};

	return resolve(conf_path, initrd, dirs, ndirs, suffixes, 1, out, outlen, looked, lookedlen);
}

int cfg_resolve_disks(struct cfg_model *m, struct cfg_diag *d)
{
	for (uint32_t i = 0; i < m->nguests; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		if (!g->disk_line)
			continue;
		/* Always a path, never a name to look for in the guests' folders. */
		beside_config(m->path, g->disk, g->disk_path, sizeof g->disk_path);
		if (access(g->disk_path, R_OK | (g->disk_ro ? 0 : W_OK)))
			return cfg_fail(d, m->path, g->disk_line,
					"disk '%s' not found or not %s (looked for %s); create the "
					"image (e.g. truncate -s 16M FILE) or fix the path",
					g->disk, g->disk_ro ? "readable" : "writable",
					g->disk_path);
		/* QEMU's option and the run line cannot carry these. */
		if (strpbrk(g->disk_path, ", \t"))
			return cfg_fail(d, m->path, g->disk_line,
					"disk path %s holds a comma or a space, which QEMU's "
					"options cannot carry; move the image",
					g->disk_path);
	}
	return 0;
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
		if (g->identity)
			return cfg_fail(
			    d, m->path, g->image_line,
			    "image %s: load segment %#llx..%#llx is outside [guest %s]'s memory "
			    "%#llx..%#llx, which is identity-mapped (guest-physical = host); "
			    "an ELF image is not relocated: link it at %#llx, use a Linux "
			    "Image (position-independent), or drop identity",
			    g->image_path, lo, hi, g->name, (unsigned long long)g->gpa_base,
			    (unsigned long long)g->dtb_gpa, (unsigned long long)g->gpa_base);
		return cfg_fail(
		    d, m->path, g->image_line,
		    "image %s: load segment %#llx..%#llx is outside [guest %s]'s memory "
		    "%#llx..%#llx; link the image at %#llx or raise memory",
		    g->image_path, lo, hi, g->name, (unsigned long long)g->gpa_base,
		    (unsigned long long)g->dtb_gpa, (unsigned long long)g->gpa_base);
	}
	return 0;
}
