/* `septa-cfg map`: the placement as aligned tables: host-physical memory,
 * each guest's own view, and which vCPUs share which hart. */
#include <stdio.h>
#include <stdlib.h>

#include "board.h"
#include "cfg_model.h"

static void row(FILE *f, uint64_t lo, uint64_t hi, const char *what)
{
	char a[24], b[24], size[32];

	snprintf(a, sizeof a, "%#llx", (unsigned long long)lo);
	snprintf(b, sizeof b, "%#llx", (unsigned long long)hi);
	cfg_fmt_size(size, sizeof size, hi - lo);
	fprintf(f, "  %-14s %-14s %10s   %s\n", a, b, size, what);
}

static void header(FILE *f, const char *what)
{
	fprintf(f, "  %-14s %-14s %10s   %s\n", "start", "end", "size", what);
}

/* A guest's RAM or a channel's memory, in host order. */
struct host_region {
	uint64_t lo, hi;
	char what[96];
};

static int by_lo(const void *a, const void *b)
{
	const struct host_region *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void host_table(FILE *f, const struct cfg_model *m)
{
	struct host_region r[CFG_MAX_GUESTS + CFG_MAX_CHANNELS];
	uint64_t cur = m->hv_limit, end = m->ram_base + m->ram_size, blobs = 0;
	uint32_t n = 0;
	char what[96], s[32];

	for (uint32_t i = 0; i < m->nguests; i++) {
		const struct cfg_guest_model *g = &m->guests[i];

		blobs += cfg_align_up(g->img.size, CFG_PAGE) + cfg_align_up(g->dtb_size, CFG_PAGE);
		r[n] = (struct host_region){g->hpa_base, g->hpa_base + g->mem_size, ""};
		snprintf(r[n++].what, sizeof r[0].what, "guest %s%s", g->name,
			 g->identity ? " (pinned with @, identity-mapped)"
			 : g->fixed  ? " (pinned with @)"
				     : "");
	}
	for (uint32_t i = 0; i < m->nchannels; i++) {
		const struct cfg_channel_model *c = &m->channels[i];

		r[n] = (struct host_region){c->hpa, c->hpa + c->size, ""};
		snprintf(r[n++].what, sizeof r[0].what, "channel %s (zeroed at boot)", c->name);
	}
	qsort(r, n, sizeof r[0], by_lo);

	fprintf(f, "Host-physical memory\n");
	header(f, "region");
	row(f, m->ram_base, m->ram_base + BOARD_FW_SIZE, "firmware (OpenSBI)");
	cfg_fmt_size(s, sizeof s, blobs);
	snprintf(what, sizeof what, "hypervisor (core + %s of guest images and dtbs)", s);
	row(f, m->hv_base, m->hv_limit, what);
	for (uint32_t i = 0; i < n; i++) {
		if (r[i].lo > cur)
			row(f, cur, r[i].lo, "free");
		row(f, r[i].lo, r[i].hi, r[i].what);
		cur = r[i].hi;
	}
	if (end > cur)
		row(f, cur, end, "free");
	fprintf(f, "\n");
}

/* Each channel: its host memory, and where each member sees it. */
static void channel_table(FILE *f, const struct cfg_model *m)
{
	if (!m->nchannels)
		return;
	fprintf(f, "Channels (doorbell: SBI extension %#010x, fid 0 = ring(channel, member))\n",
		SEPTA_CHAN_EID);
	for (uint32_t i = 0; i < m->nchannels; i++) {
		const struct cfg_channel_model *c = &m->channels[i];
		char sz[32];

		cfg_fmt_size(sz, sizeof sz, c->size);
		fprintf(f, "  channel %u %s: %s, host %#llx..%#llx, doorbell interrupt %u\n", i,
			c->name, sz, (unsigned long long)c->hpa,
			(unsigned long long)(c->hpa + c->size), c->irq);
		for (uint32_t k = 0; k < c->nmembers; k++)
			fprintf(f, "    member %u %-15s guest %#llx..%#llx %s\n", k,
				m->guests[c->guest[k]].name, (unsigned long long)c->gpa,
				(unsigned long long)(c->gpa + c->size),
				c->writable[k] ? "rw" : "ro");
	}
	fprintf(f, "\n");
}

static void policy_line(FILE *f, const struct cfg_guest_model *g)
{
	static const char *const fault[] = {
	    [CFG_FAULT_STOP] = "stop",
	    [CFG_FAULT_RESTART] = "restart",
	    [CFG_FAULT_HALT] = "halt",
	};
	char delay[32];

	fprintf(f, "  console %s, on-fault %s",
		g->console == CFG_CONSOLE_UART ? "uart" : "none (output dropped)",
		fault[g->on_fault]);
	if (g->on_fault == CFG_FAULT_RESTART) {
		cfg_fmt_time(delay, sizeof delay, g->restart_delay_us);
		if (g->restart_delay_us)
			fprintf(f, " (limit %u, delay %s doubling each time", g->restart_limit,
				delay);
		else
			fprintf(f, " (limit %u, no delay", g->restart_limit);
		if (g->restart_window_us) {
			cfg_fmt_time(delay, sizeof delay, g->restart_window_us);
			fprintf(f, ", count reset by a run of %s", delay);
		}
		fprintf(f, ")");
	}
	fprintf(f, ", fault-dump %s\n", g->fault_dump ? "yes" : "no");
	if (g->bootargs_line)
		fprintf(f, "  bootargs \"%s\"\n", g->bootargs);
}

static void guest_table(FILE *f, const struct cfg_guest_model *g)
{
	char what[CFG_PATH_MAX + 64], ts[32], dsz[32];

	cfg_fmt_time(ts, sizeof ts, g->timeslice_us);
	fprintf(f, "Guest %s: %u vCPU%s, timeslice %s, color %s, host %#llx%s\n", g->name,
		g->nvcpus, g->nvcpus == 1 ? "" : "s", ts, g->color_name ? g->color_name : "default",
		(unsigned long long)g->hpa_base,
		g->identity ? " (identity: guest-physical = host-physical)" : "");
	policy_line(f, g);
	header(f, "guest-physical");
	/* Devices first: they sit below RAM, so the table stays in address
	 * order. The PLIC and the UART are emulated; granted devices are the
	 * board's own, mapped at their own addresses. */
	struct {
		uint64_t lo, hi;
		char what[CFG_DEV_NAME_MAX + 64 + 64];
	} devs[2 + CFG_MAX_DEVICES], t;
	unsigned n = 0;
	if (g->console == CFG_CONSOLE_UART) {
		devs[n].lo = BOARD_PLIC_BASE;
		devs[n].hi = BOARD_PLIC_BASE + BOARD_VPLIC_SIZE;
		snprintf(devs[n++].what, sizeof devs[0].what,
			 "PLIC (virtual, sources 1..%u, 2 contexts per vCPU)", CFG_VPLIC_NDEV);
		devs[n].lo = BOARD_UART_BASE;
		devs[n].hi = BOARD_UART_BASE + BOARD_VUART_SIZE;
		snprintf(devs[n++].what, sizeof devs[0].what,
			 "UART ns16550a (virtual, PLIC source %d)", BOARD_UART_IRQ);
	}
	for (uint32_t i = 0; i < g->ndevices; i++) {
		const struct cfg_board_dev *dev = g->dev[i];
		char irqs[32] = "no interrupts";

		if (dev->nirqs == 1)
			snprintf(irqs, sizeof irqs, "interrupt %u, taken on hart %u", dev->irqs[0],
				 g->harts[0]);
		else if (dev->nirqs)
			snprintf(irqs, sizeof irqs, "interrupts %u, %u, on hart %u", dev->irqs[0],
				 dev->irqs[1], g->harts[0]);
		/* A slot the guest got for disk or rng: what QEMU puts behind it. */
		int slot = (int)((dev->base - BOARD_VIRTIO_BASE) / BOARD_VIRTIO_STRIDE);
		const char *behind = slot == g->disk_slot
					 ? (g->disk_ro ? ", disk, read-only" : ", disk, read-write")
				     : slot == g->rng_slot ? ", entropy"
							   : "";
		devs[n].lo = dev->base;
		devs[n].hi = dev->base + cfg_align_up(dev->size, CFG_PAGE);
		snprintf(devs[n++].what, sizeof devs[0].what, "%s %s (granted, %s%s)", dev->name,
			 dev->compat, irqs, dev->base >= BOARD_VIRTIO_BASE ? behind : "");
	}
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && devs[j].lo < devs[j - 1].lo; j--)
			t = devs[j], devs[j] = devs[j - 1], devs[j - 1] = t;
	for (unsigned i = 0; i < n; i++)
		row(f, devs[i].lo, devs[i].hi, devs[i].what);
	row(f, g->gpa_base, g->gpa_base + g->mem_size, "RAM");
	if (g->linux_image)
		snprintf(what, sizeof what, "image %s (Linux Image, bss included), entry %#llx",
			 g->image_path, (unsigned long long)g->img.entry);
	else
		snprintf(what, sizeof what, "image %s, entry %#llx", g->image_path,
			 (unsigned long long)g->img.entry);
	row(f, g->img.gpa, g->img.end, what);
	cfg_fmt_size(dsz, sizeof dsz, g->fdt_size);
	snprintf(what, sizeof what, "device tree (%s)", dsz);
	row(f, g->dtb_gpa, g->initrd_gpa ? g->initrd_gpa : g->gpa_base + g->mem_size, what);
	if (g->initrd_gpa) {
		cfg_fmt_size(dsz, sizeof dsz, g->initrd_size);
		snprintf(what, sizeof what, "initrd %s (%s)", g->initrd_path, dsz);
		row(f, g->initrd_gpa, g->gpa_base + g->mem_size, what);
	}
	/* Channels sit in their window above RAM. */
	for (uint32_t i = 0; i < g->nchans; i++) {
		const struct cfg_channel_model *c = g->chans[i].ch;

		snprintf(what, sizeof what, "channel %s (member %u, %s, doorbell interrupt %u)",
			 c->name, g->chans[i].member, g->chans[i].writable ? "rw" : "ro", c->irq);
		row(f, c->gpa, c->gpa + c->size, what);
	}
	for (uint32_t v = 0; v < g->nvcpus; v++)
		fprintf(f, "  vCPU %u -> hart %u\n", v, g->harts[v]);
	fprintf(f, "\n");
}

static void hart_table(FILE *f, const struct cfg_model *m)
{
	fprintf(f, "Harts (vCPUs on one hart share it round-robin)\n");
	for (uint32_t h = 0; h < m->harts; h++) {
		int n = 0;

		fprintf(f, "  hart %-3u", h);
		for (uint32_t i = 0; i < m->nguests; i++)
			for (uint32_t v = 0; v < m->guests[i].nvcpus; v++)
				if (m->guests[i].harts[v] == h)
					fprintf(f, "%s%s.%u", n++ ? ", " : " ", m->guests[i].name,
						v);
		fprintf(f, "%s\n", n ? "" : " idle");
	}
}

void cfg_map_print(FILE *f, const struct cfg_model *m)
{
	char ram[32], ts[32];

	cfg_fmt_size(ram, sizeof ram, m->ram_size);
	cfg_fmt_time(ts, sizeof ts, m->timeslice_us);
	fprintf(f, "septa memory map of %s\n", m->path);
	fprintf(f, "  %s, %u hart%s, %s RAM at %#llx, %u guest%s, timeslice %s\n\n", m->platform,
		m->harts, m->harts == 1 ? "" : "s", ram, (unsigned long long)m->ram_base,
		m->nguests, m->nguests == 1 ? "" : "s", ts);
	if (cfg_dma_warning(f, m, "  warning: "))
		fprintf(f, "\n");
	host_table(f, m);
	channel_table(f, m);
	for (uint32_t i = 0; i < m->nguests; i++)
		guest_table(f, &m->guests[i]);
	hart_table(f, m);
}
