/* Host-physical placement: the hypervisor region (sized by the images and
 * dtbs it embeds), guests pinned with '@', then the rest first fit.
 *
 *   RAM base                                                       RAM end
 *   | firmware 2M | hypervisor + images + dtbs | guest | guest | ... free |
 *                 ^ BOARD_HV_BASE              ^ hv_limit (2 MiB aligned)
 */
#include <stdio.h>

#include "board.h"
#include "cfg_model.h"

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
	struct span fw = {m->ram_base, m->ram_base + BOARD_FW_SIZE};
	struct span hv = {m->hv_base, m->hv_limit};

	if (hi < lo || lo < m->ram_base || hi > ram_hi)
		return cfg_fail(d, m->path, g->mem_line,
				"memory of [guest %s] at %#llx..%#llx is outside RAM %#llx..%#llx; "
				"place it inside RAM at or above %#llx",
				g->name, lo, hi, (unsigned long long)m->ram_base,
				(unsigned long long)ram_hi, (unsigned long long)m->hv_limit);
	if (overlaps(lo, hi, fw))
		return cfg_fail(d, m->path, g->mem_line,
				"memory of [guest %s] at %#llx..%#llx overlaps the firmware "
				"%#llx..%#llx; place it at or above %#llx",
				g->name, lo, hi, (unsigned long long)fw.lo,
				(unsigned long long)fw.hi, (unsigned long long)m->hv_limit);
	if (overlaps(lo, hi, hv))
		return cfg_fail(d, m->path, g->mem_line,
				"memory of [guest %s] at %#llx..%#llx overlaps the hypervisor "
				"%#llx..%#llx; place it at or above %#llx",
				g->name, lo, hi, (unsigned long long)hv.lo,
				(unsigned long long)hv.hi, (unsigned long long)m->hv_limit);
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

static int first_fit(struct cfg_model *m, struct cfg_guest_model *g, const struct span *used,
		     int nused, struct cfg_diag *d)
{
	uint64_t end = m->ram_base + m->ram_size, a = m->hv_limit;

again:
	if (a > end || g->mem_size > end - a) {
		uint64_t total, largest;
		char need[32], tot[32], big[32], ram[32];

		describe_free(m, used, nused, &total, &largest);
		cfg_fmt_size(need, sizeof need, g->mem_size);
		cfg_fmt_size(tot, sizeof tot, total);
		cfg_fmt_size(big, sizeof big, largest);
		cfg_fmt_size(ram, sizeof ram, m->ram_size);
		return cfg_fail(
		    d, m->path, g->mem_line,
		    "memory of [guest %s] (%s) does not fit: %s of RAM is free next to "
		    "the hypervisor (up to %#llx) and the other guests, the largest 2 MiB "
		    "aligned block is %s; lower memory or raise ram (now %s)",
		    g->name, need, tot, (unsigned long long)m->hv_limit, big, ram);
	}
	for (int i = 0; i < nused; i++) {
		if (used[i].hi && overlaps(a, a + g->mem_size, used[i])) {
			a = cfg_align_up(used[i].hi, CFG_GUEST_ALIGN);
			goto again;
		}
	}
	g->hpa_base = a;
	return 0;
}

/* Channels go in the first free 4 KiB aligned gap after the guests, so
 * adding a channel moves no guest. used[] holds every guest and the
 * channels placed so far. */
static int place_channel(struct cfg_model *m, struct cfg_channel_model *c, const struct span *used,
			 int nused, struct cfg_diag *d)
{
	uint64_t end = m->ram_base + m->ram_size, a = m->hv_limit;

again:
	if (a > end || c->size > end - a) {
		char need[32], ram[32];

		cfg_fmt_size(need, sizeof need, c->size);
		cfg_fmt_size(ram, sizeof ram, m->ram_size);
		return cfg_fail(d, m->path, c->size_line,
				"[channel %s] (%s) does not fit in the RAM the guests leave free; "
				"lower its size or raise ram (now %s)",
				c->name, need, ram);
	}
	for (int i = 0; i < nused; i++)
		if (used[i].hi && overlaps(a, a + c->size, used[i])) {
			a = cfg_align_up(used[i].hi, CFG_PAGE);
			goto again;
		}
	c->hpa = a;
	return 0;
}

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
