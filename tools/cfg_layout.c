/* The layout stage, guest-physical and host-physical together, entered by
 * cfg_layout(). Inside each guest: RAM at BOARD_GUEST_RAM_BASE (or where it
 * is, for identity), the device tree and an initrd at its top, the image
 * below. Then in host RAM: the hypervisor region (sized by the images and
 * dtbs it embeds), guests pinned with '@', then the rest first fit, then
 * the channels.
 *
 *   RAM base                                                       RAM end
 *   | firmware 2M | hypervisor + images + dtbs | guest | guest | ... free |
 *                 ^ BOARD_HV_BASE              ^ hv_limit (2 MiB aligned)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

int cfg_place_initrd(uint64_t ram_lo, uint64_t ram_hi, uint64_t fdt_size, uint64_t initrd_size,
		     uint64_t *dtb_gpa, uint64_t *initrd_gpa)
{
	/* The device tree, room for what the hypervisor adds to it at each
	 * start, then the initrd on a page of its own: one blob copied at
	 * dtb_gpa, at the top of RAM. */
	uint64_t fdt_room = cfg_align_up(fdt_size + CFG_DTB_SLACK, CFG_PAGE);
	uint64_t blob = fdt_room + cfg_align_up(initrd_size, CFG_PAGE);

	if (blob < fdt_room || blob > ram_hi - ram_lo)
		return -1;
	*dtb_gpa = ram_hi - blob;
	*initrd_gpa = *dtb_gpa + fdt_room;
	return 0;
}

/* The device tree at the top of guest RAM, with the initrd (if any) right
 * after it in the same blob, and /chosen/linux,initrd-* pointing at it. */
static int place_dtb(struct cfg_model *m, struct cfg_guest_model *g, const struct cfg_board *b,
		     const struct cfg_image_source *src, struct cfg_diag *d)
{
	uint64_t ram_hi = g->gpa_base + g->mem_size;
	uint8_t *initrd = NULL;
	size_t initrd_len = 0;

	if (g->initrd_line) {
		if (!src->fetch_initrd)
			return cfg_fail(d, m->path, g->initrd_line,
					"initrd is not available here; remove the initrd key");
		if (src->fetch_initrd(src, m, g, &initrd, &initrd_len, d))
			return -1;
		g->initrd_size = initrd_len;
		/* Any address of the same size: the tree's size does not depend on
		 * the value, so the placement below holds for the final tree. */
		g->initrd_gpa = g->gpa_base;
	}
	if (guest_dtb_build(g, b, &g->dtb, &g->dtb_size))
		goto io;
	g->fdt_size = g->dtb_size;
	if (!g->initrd_line) {
		/* The dtb sits at the top of guest RAM, out of the image's way. */
		g->dtb_gpa = ram_hi - cfg_align_up(g->dtb_size, CFG_PAGE);
		return 0;
	}
	if (cfg_place_initrd(g->gpa_base, ram_hi, g->fdt_size, g->initrd_size, &g->dtb_gpa,
			     &g->initrd_gpa)) {
		char isz[32], msz[32];

		free(initrd);
		cfg_fmt_size(isz, sizeof isz, g->initrd_size);
		cfg_fmt_size(msz, sizeof msz, g->mem_size);
		return cfg_fail(d, m->path, g->initrd_line,
				"initrd %s (%s) and the device tree do not fit in [guest %s]'s "
				"%s of memory; raise memory or use a smaller initrd",
				g->initrd_path, isz, g->name, msz);
	}
	free(g->dtb);
	g->dtb = NULL;
	if (guest_dtb_build(g, b, &g->dtb, &g->dtb_size) || g->dtb_size != g->fdt_size)
		goto io;
	uint64_t blob = ram_hi - g->dtb_gpa;
	uint8_t *all = realloc(g->dtb, blob);

	if (!all)
		goto io;
	g->dtb = all;
	memset(all + g->fdt_size, 0, blob - g->fdt_size);
	memcpy(all + (g->initrd_gpa - g->dtb_gpa), initrd, initrd_len);
	g->dtb_size = blob;
	free(initrd);
	return 0;
io:
	free(initrd);
	return cfg_fail_io(d, "cannot build the device tree of guest %s", g->name);
}

struct span {
	uint64_t lo, hi;
};

static bool overlaps(uint64_t lo, uint64_t hi, struct span s)
{
	return lo < s.hi && s.lo < hi;
}

static void describe_free(const struct cfg_model *m, const struct span *used, int nused,
			  uint64_t *total, uint64_t *largest)
{
	uint64_t end = m->ram_base + m->ram_size, cur = m->hv_limit;

	*total = *largest = 0;
	/* Walk the gaps in address order; used[] is short, so pick minima. */
	for (;;) {
		uint64_t next = end, next_hi = end;

		for (int i = 0; i < nused; i++)
			if (used[i].lo >= cur && used[i].lo < next) {
				next = used[i].lo;
				next_hi = used[i].hi;
			}
		*total += next - cur;
		uint64_t start = cfg_align_up(cur, CFG_GUEST_ALIGN);

		if (start < next && next - start > *largest)
			*largest = next - start;
		if (next == end)
			return;
		cur = next_hi;
	}
}

static int check_fixed(struct cfg_model *m, struct cfg_guest_model *g, const struct span *used,
		       int nused, struct cfg_diag *d)
{
	unsigned long long lo = g->fixed_hpa, hi = g->fixed_hpa + g->mem_size;
	uint64_t ram_hi = m->ram_base + m->ram_size;
	const struct {
		struct span s;
		const char *what;
	} below[2] = {{{m->ram_base, m->ram_base + BOARD_FW_SIZE}, "firmware"},
		      {{m->hv_base, m->hv_limit}, "hypervisor"}};

	if (hi < lo || lo < m->ram_base || hi > ram_hi)
		return cfg_fail(d, m->path, g->mem_line,
				"memory of [guest %s] at %#llx..%#llx is outside RAM %#llx..%#llx; "
				"place it inside RAM at or above %#llx",
				g->name, lo, hi, (unsigned long long)m->ram_base,
				(unsigned long long)ram_hi, (unsigned long long)m->hv_limit);
	/* What lies below hv_limit: the same message for each. */
	for (int k = 0; k < 2; k++)
		if (overlaps(lo, hi, below[k].s))
			return cfg_fail(
			    d, m->path, g->mem_line,
			    "memory of [guest %s] at %#llx..%#llx overlaps the %s "
			    "%#llx..%#llx; place it at or above %#llx",
			    g->name, lo, hi, below[k].what, (unsigned long long)below[k].s.lo,
			    (unsigned long long)below[k].s.hi, (unsigned long long)m->hv_limit);
	for (int i = 0; i < nused; i++) {
		const struct cfg_guest_model *o = &m->guests[i];

		if (o->fixed && overlaps(lo, hi, used[i]))
			return cfg_fail(
			    d, m->path, g->mem_line,
			    "memory of [guest %s] at %#llx..%#llx overlaps [guest %s] at "
			    "%#llx..%#llx; move one of them",
			    g->name, lo, hi, o->name, (unsigned long long)used[i].lo,
			    (unsigned long long)used[i].hi);
	}
	return 0;
}

/* The lowest address from hv_limit on, aligned to align after whatever it
 * has to skip, where size bytes overlap nothing in used[]; false when RAM
 * ends first. */
static bool find_gap(const struct cfg_model *m, const struct span *used, int nused, uint64_t size,
		     uint64_t align, uint64_t *out)
{
	uint64_t end = m->ram_base + m->ram_size, a = m->hv_limit;

again:
	if (a > end || size > end - a)
		return false;
	for (int i = 0; i < nused; i++)
		if (used[i].hi && overlaps(a, a + size, used[i])) {
			a = cfg_align_up(used[i].hi, align);
			goto again;
		}
	*out = a;
	return true;
}

static int first_fit(struct cfg_model *m, struct cfg_guest_model *g, const struct span *used,
		     int nused, struct cfg_diag *d)
{
	uint64_t total, largest;
	char need[32], tot[32], big[32], ram[32];

	if (find_gap(m, used, nused, g->mem_size, CFG_GUEST_ALIGN, &g->hpa_base))
		return 0;
	describe_free(m, used, nused, &total, &largest);
	cfg_fmt_size(need, sizeof need, g->mem_size);
	cfg_fmt_size(tot, sizeof tot, total);
	cfg_fmt_size(big, sizeof big, largest);
	cfg_fmt_size(ram, sizeof ram, m->ram_size);
	return cfg_fail(d, m->path, g->mem_line,
			"memory of [guest %s] (%s) does not fit: %s of RAM is free next to "
			"the hypervisor (up to %#llx) and the other guests, the largest 2 MiB "
			"aligned block is %s; lower memory or raise ram (now %s)",
			g->name, need, tot, (unsigned long long)m->hv_limit, big, ram);
}

/* Channels go in the first free 4 KiB aligned gap after the guests, so
 * adding a channel moves no guest. used[] holds every guest and the
 * channels placed so far. */
static int place_channel(struct cfg_model *m, struct cfg_channel_model *c, const struct span *used,
			 int nused, struct cfg_diag *d)
{
	char need[32], ram[32];

	if (find_gap(m, used, nused, c->size, CFG_PAGE, &c->hpa))
		return 0;
	cfg_fmt_size(need, sizeof need, c->size);
	cfg_fmt_size(ram, sizeof ram, m->ram_size);
	return cfg_fail(d, m->path, c->size_line,
			"[channel %s] (%s) does not fit in the RAM the guests leave free; "
			"lower its size or raise ram (now %s)",
			c->name, need, ram);
}

/* Host-physical placement, once every image and dtb size is known. */
int cfg_place(struct cfg_model *m, struct cfg_diag *d)
{
	/* used[i] is guest i's span once placed, then channels'; {0,0}
	 * overlaps nothing. */
	struct span used[CFG_MAX_GUESTS + CFG_MAX_CHANNELS] = {{0, 0}};
	uint64_t embedded = 0, ram_hi = m->ram_base + m->ram_size;
	int n = (int)m->nguests;

	for (int i = 0; i < n; i++)
		embedded += cfg_align_up(m->guests[i].img.size, CFG_PAGE) +
			    cfg_align_up(m->guests[i].dtb_size, CFG_PAGE);
	m->hv_base = BOARD_HV_BASE;
	m->hv_limit = cfg_align_up(BOARD_HV_BASE + BOARD_HV_CORE_SIZE + embedded, CFG_GUEST_ALIGN);
	if (m->hv_limit > ram_hi) {
		char ram[32];

		cfg_fmt_size(ram, sizeof ram, m->ram_size);
		return cfg_fail(d, m->path, m->ram_line,
				"the hypervisor with its embedded images reaches %#llx, past the "
				"end of RAM (%s); raise ram",
				(unsigned long long)m->hv_limit, ram);
	}
	/* Pinned guests first, so the automatic ones flow around them. */
	for (int i = 0; i < n; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		if (!g->fixed)
			continue;
		if (check_fixed(m, g, used, n, d))
			return -1;
		g->hpa_base = g->fixed_hpa;
		used[i] = (struct span){g->hpa_base, g->hpa_base + g->mem_size};
	}
	for (int i = 0; i < n; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		if (g->fixed)
			continue;
		if (first_fit(m, g, used, n, d))
			return -1;
		used[i] = (struct span){g->hpa_base, g->hpa_base + g->mem_size};
	}
	for (uint32_t k = 0; k < m->nchannels; k++) {
		struct cfg_channel_model *c = &m->channels[k];

		if (place_channel(m, c, used, n + (int)k, d))
			return -1;
		used[n + (int)k] = (struct span){c->hpa, c->hpa + c->size};
	}
	return 0;
}

int cfg_layout(struct cfg_model *m, const struct cfg_board *b, const struct cfg_image_source *src,
	       struct cfg_diag *d)
{
	for (uint32_t i = 0; i < m->nguests; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		/* identity (always pinned): the guest sees its RAM where it is,
		 * so the addresses it gives a DMA-capable device are real. The
		 * image is loaded right after its guest's dtb is placed, so the
		 * first error of a config stays the first one reported. */
		g->gpa_base = g->identity ? g->fixed_hpa : BOARD_GUEST_RAM_BASE;
		if (place_dtb(m, g, b, src, d) || cfg_load_image(m, g, src, d))
			return -1;
	}
	return cfg_place(m, d);
}
