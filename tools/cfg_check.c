/* The check stage, cfg_check(): rules that span keys (required keys,
 * defaults, vCPU/hart lists) and the config against the board's own device
 * tree, read here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

/* restart-limit, restart-delay and restart-window tune on-fault = restart
 * and nothing else: given with another policy they are most likely a
 * mistake. */
static int check_restart(const struct cfg_model *m, struct cfg_guest_model *g, struct cfg_diag *d)
{
	const struct {
		int line;
		const char *key;
	} keys[] = {
	    {g->restart_limit_line, "restart-limit"},
	    {g->restart_delay_line, "restart-delay"},
	    {g->restart_window_line, "restart-window"},
	};
	int line = 0;
	const char *key = NULL;

	/* Name whichever of them comes first in the file. */
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].line && (!line || keys[i].line < line)) {
			line = keys[i].line;
			key = keys[i].key;
		}

	if (line && g->on_fault != CFG_FAULT_RESTART)
		return cfg_fail(d, m->path, line,
				"%s in [guest %s] is only meaningful with on-fault = restart; set "
				"on-fault = restart or remove %s",
				key, g->name, key);
	if (!g->restart_limit_line)
		g->restart_limit = CFG_DEFAULT_RESTART_LIMIT;
	if (!g->restart_delay_line)
		g->restart_delay_us = CFG_DEFAULT_RESTART_DELAY_US;
	return 0;
}

/* One guest's own keys: the required ones, then the defaults that depend
 * on other keys (timeslice from the global one, vcpus from harts and the
 * other way round), then the vCPU-to-hart list. */
static int check_guest(struct cfg_model *m, struct cfg_guest_model *g, struct cfg_diag *d)
{
	if (!g->image_line)
		return cfg_fail(d, m->path, g->line,
				"missing required key 'image' in [guest %s]; add image = NAME (a "
				"guest under guests/) or a path to an ELF file",
				g->name);
	if (!g->mem_line)
		return cfg_fail(
		    d, m->path, g->line,
		    "missing required key 'memory' in [guest %s]; add e.g. memory = 16M", g->name);
	if (!g->timeslice_line)
		g->timeslice_us = m->timeslice_us;
	if (check_restart(m, g, d))
		return -1;
	if (!g->vcpus_line)
		g->nvcpus = g->harts_line ? g->nharts : 1;
	if (!g->harts_line) {
		/* Default: spread the vCPUs over the harts in order. */
		g->nharts = g->nvcpus;
		for (uint32_t i = 0; i < g->nvcpus; i++)
			g->harts[i] = i % m->harts;
	}
	if (g->nharts != g->nvcpus)
		return cfg_fail(
		    d, m->path, g->harts_line,
		    "[guest %s] has vcpus = %u but harts lists %u hart%s; give one hart "
		    "per vCPU (e.g. harts = %s)",
		    g->name, g->nvcpus, g->nharts, g->nharts == 1 ? "" : "s",
		    g->nvcpus == 1 ? "0" : "0, 1");
	for (uint32_t i = 0; i < g->nharts; i++)
		if (g->harts[i] >= m->harts)
			return cfg_fail(
			    d, m->path, g->harts_line,
			    "hart %u does not exist: the machine has %u hart%s (0 to %u); "
			    "use a smaller hart or raise harts in the global section",
			    g->harts[i], m->harts, m->harts == 1 ? "" : "s", m->harts - 1);
	return 0;
}

/* The virtio-mmio slot a device name such as virtio_mmio@10003000 names,
 * or -1 when it names none. */
static int virtio_slot_of(const char *name)
{
	unsigned long long a;
	char tail;

	if (sscanf(name, "virtio_mmio@%llx%c", &a, &tail) != 1 || a < BOARD_VIRTIO_BASE ||
	    (a - BOARD_VIRTIO_BASE) % BOARD_VIRTIO_STRIDE)
		return -1;
	a = (a - BOARD_VIRTIO_BASE) / BOARD_VIRTIO_STRIDE;
	return a < BOARD_VIRTIO_SLOTS ? (int)a : -1;
}

/* The lowest slot no guest has yet, granted to g as what (its key on line)
 * by adding its node name to g's devices. */
static int take_slot(const struct cfg_model *m, struct cfg_guest_model *g, const char *what,
		     int line, unsigned *used, int *slot, struct cfg_diag *d)
{
	for (int n = 0; n < BOARD_VIRTIO_SLOTS; n++) {
		if (*used & 1u << n)
			continue;
		if (g->ndevices == CFG_MAX_DEVICES)
			return cfg_fail(d, m->path, line,
					"%s needs a virtio-mmio slot, but [guest %s] already has "
					"%u devices, the most a guest may have; remove one",
					what, g->name, CFG_MAX_DEVICES);
		*used |= 1u << n;
		*slot = n;
		snprintf(
		    g->devices[g->ndevices++], CFG_DEV_NAME_MAX, "virtio_mmio@%llx",
		    (unsigned long long)(BOARD_VIRTIO_BASE + (uint64_t)n * BOARD_VIRTIO_STRIDE));
		if (!g->devices_line)
			g->devices_line = line;
		return 0;
	}
	return cfg_fail(d, m->path, line,
			"no free virtio-mmio slot for %s of [guest %s]: all %d are taken (by "
			"devices, disk and rng); remove one of them",
			what, g->name, BOARD_VIRTIO_SLOTS);
}

/* disk and rng become virtio-mmio slots that no devices key names, lowest
 * first in config order, so qemu-args and build agree without the board. */
static int assign_virtio_slots(struct cfg_model *m, struct cfg_diag *d)
{
	unsigned used = 0;

	for (uint32_t i = 0; i < m->nguests; i++)
		for (uint32_t k = 0; k < m->guests[i].ndevices; k++) {
			int n = virtio_slot_of(m->guests[i].devices[k]);

			if (n >= 0)
				used |= 1u << n;
		}
	for (uint32_t i = 0; i < m->nguests; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		g->disk_slot = g->rng_slot = -1;
		if (g->disk_line && take_slot(m, g, "disk", g->disk_line, &used, &g->disk_slot, d))
			return -1;
		if (g->rng && take_slot(m, g, "rng", g->rng_line, &used, &g->rng_slot, d))
			return -1;
	}
	return 0;
}

int cfg_check_model(struct cfg_model *m, struct cfg_diag *d)
{
	if (!m->harts_line)
		return cfg_fail(d, m->path, 1,
				"missing required key 'harts' in the global section; add e.g. "
				"harts = 2 before the first [guest]");
	if (!m->ram_line)
		return cfg_fail(d, m->path, 1,
				"missing required key 'ram' in the global section; add e.g. "
				"ram = 512M before the first [guest]");
	if (!m->nguests)
		return cfg_fail(d, m->path, m->nlines,
				"no guests; add a [guest NAME] section with image and memory");
	for (uint32_t i = 0; i < m->nguests; i++)
		if (check_guest(m, &m->guests[i], d))
			return -1;
	return assign_virtio_slots(m, d);
}

int cfg_check_board(const struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d)
{
	char want[32], have[32];

	if (b->harts != m->harts)
		return cfg_fail(d, m->path, m->harts_line,
				"board mismatch: harts = %u but the board dtb %s has %u harts; "
				"dump the dtb with -smp %u or set harts = %u",
				m->harts, b->path, b->harts, m->harts, b->harts);
	cfg_fmt_size(want, sizeof want, m->ram_size);
	cfg_fmt_size(have, sizeof have, b->ram_size);
	if (b->ram_base != m->ram_base || b->ram_size != m->ram_size)
		return cfg_fail(d, m->path, m->ram_line,
				"board mismatch: ram is %s at %#llx but the board dtb %s has %s at "
				"%#llx; dump the dtb with -m %lluM or set ram to match",
				want, (unsigned long long)m->ram_base, b->path, have,
				(unsigned long long)b->ram_base,
				(unsigned long long)(m->ram_size / CFG_MIB));
	return 0;
}

/* Devices septa keeps for itself, by compatible string, and why. */
static const char *owned_by_septa(const char *compat)
{
	if (strstr(compat, "ns16550"))
		return "septa owns the console UART; every guest gets a virtual one "
		       "(console = uart)";
	if (strstr(compat, "plic"))
		return "septa owns the interrupt controller; guests with console = uart get a "
		       "virtual PLIC";
	if (strstr(compat, "clint") || strstr(compat, "mswi") || strstr(compat, "mtimer"))
		return "the CLINT belongs to the firmware and septa (timers and IPIs)";
	if (strstr(compat, "pci"))
		return "a PCI host bridge cannot be granted (its devices would need more than "
		       "MMIO)";
	return NULL;
}

static void list_grantable(const struct cfg_board *b, char *out, size_t n)
{
	size_t used = 0;

	out[0] = 0;
	for (uint32_t i = 0; i < b->ndevs && used < n; i++)
		if (!owned_by_septa(b->devs[i].compat))
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "",
						 b->devs[i].name);
}

/* The interrupt lines of a device granted to g: each reaches g through its
 * virtual PLIC under its own number, so it needs that PLIC (console = uart),
 * a number the PLIC model has, not the virtual UART's, and no other owner. */
static int check_irqs(const struct cfg_model *m, const struct cfg_guest_model *g,
		      const struct cfg_board_dev *dev, struct cfg_diag *d)
{
	for (uint32_t n = 0; n < dev->nirqs; n++) {
		uint32_t irq = dev->irqs[n];

		if (g->console != CFG_CONSOLE_UART)
			return cfg_fail(d, m->path, g->devices_line,
					"device '%s' has interrupt %u, which reaches the guest "
					"through its virtual PLIC, but [guest %s] has console = "
					"none and so no PLIC; set console = uart",
					dev->name, irq, g->name);
		if (irq == 0 || irq > CFG_VPLIC_NDEV || irq == BOARD_UART_IRQ)
			return cfg_fail(d, m->path, g->devices_line,
					"device '%s' has interrupt %u, which the guest's virtual "
					"PLIC cannot carry (sources 1 to %u, and %u is its "
					"UART's); grant another device",
					dev->name, irq, CFG_VPLIC_NDEV, BOARD_UART_IRQ);
		for (uint32_t o = 0; o < m->nguests; o++)
			for (uint32_t l = 0; l < m->guests[o].ndevices; l++) {
				const struct cfg_board_dev *od = m->guests[o].dev[l];

				for (uint32_t k = 0; od && od != dev && k < od->nirqs; k++)
					if (od->irqs[k] == irq)
						return cfg_fail(
						    d, m->path, g->devices_line,
						    "interrupt %u of device '%s' is also the line "
						    "of device '%s' (guest %s, line %d); a line "
						    "belongs to one guest",
						    irq, dev->name, od->name, m->guests[o].name,
						    m->guests[o].devices_line);
			}
	}
	return 0;
}

int cfg_grant_devices(struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d)
{
	for (uint32_t i = 0; i < m->nguests; i++) {
		struct cfg_guest_model *g = &m->guests[i];

		for (uint32_t k = 0; k < g->ndevices; k++) {
			const struct cfg_board_dev *dev = NULL;
			const char *why;
			char names[CFG_MSG_MAX / 2];

			for (uint32_t j = 0; j < b->ndevs && !dev; j++)
				if (!strcmp(b->devs[j].name, g->devices[k]))
					dev = &b->devs[j];
			if (!dev) {
				list_grantable(b, names, sizeof names);
				return cfg_fail(d, m->path, g->devices_line,
						"no device '%s' under /soc of the board; devices a "
						"guest may have: %s",
						g->devices[k], names);
			}
			if ((why = owned_by_septa(dev->compat)))
				return cfg_fail(d, m->path, g->devices_line,
						"device '%s' (%s) cannot be granted: %s", dev->name,
						dev->compat, why);
			if (dev->base % CFG_PAGE || !dev->size)
				return cfg_fail(
				    d, m->path, g->devices_line,
				    "device '%s' at %#llx is not on a 4 KiB boundary; a "
				    "G-stage mapping cannot give it alone",
				    dev->name, (unsigned long long)dev->base);
			/* One owner per device, the first guest that names it. */
			for (uint32_t o = 0; o <= i; o++)
				for (uint32_t l = 0; l < m->guests[o].ndevices; l++)
					if ((o < i || l < k) && m->guests[o].dev[l] == dev)
						return cfg_fail(
						    d, m->path, g->devices_line,
						    "device '%s' is already granted to "
						    "guest %s (line %d); a device belongs "
						    "to one guest",
						    dev->name, m->guests[o].name,
						    m->guests[o].devices_line);
			g->dev[k] = dev;
			if (check_irqs(m, g, dev, d))
				return -1;
		}
	}
	/* After every grant is known, so a device named twice is reported as
	 * that first. */
	for (uint32_t i = 0; i < m->nguests; i++) {
		const struct cfg_guest_model *g = &m->guests[i];
		char sz[32];

		/* As the config writes it: whole MiB, else KiB (4 KiB multiple). */
		if (g->mem_size % CFG_MIB)
			snprintf(sz, sizeof sz, "%lluK",
				 (unsigned long long)(g->mem_size / CFG_KIB));
		else
			snprintf(sz, sizeof sz, "%lluM",
				 (unsigned long long)(g->mem_size / CFG_MIB));
		for (uint32_t k = 0; k < g->ndevices; k++)
			if (cfg_dev_dma(g->dev[k]) && !g->identity)
				return cfg_fail(
				    d, m->path, g->mem_line ? g->mem_line : g->devices_line,
				    "device '%s' can do DMA, and a DMA address is host-physical, "
				    "but [guest %s]'s RAM is not identity-mapped; write memory = "
				    "%s @ HOSTADDR identity (e.g. @ 0x90000000)",
				    g->dev[k]->name, g->name, sz);
	}
	return 0;
}

bool cfg_dev_dma(const struct cfg_board_dev *dev)
{
	/* virtio-mmio devices read and write guest buffers themselves. */
	return strstr(dev->compat, "virtio") != NULL;
}

int cfg_dma_warning(FILE *f, const struct cfg_model *m, const char *prefix)
{
	int n = 0;

	for (uint32_t i = 0; i < m->nguests; i++)
		for (uint32_t k = 0; k < m->guests[i].ndevices; k++)
			if (cfg_dev_dma(m->guests[i].dev[k])) {
				fprintf(f,
					"%sguest %s is granted %s, which can do DMA: QEMU virt has "
					"no IOMMU, so that device (and so that guest) can read and "
					"write all of memory, other guests and septa included\n",
					prefix, m->guests[i].name, m->guests[i].dev[k]->name);
				n++;
			}
	return n;
}

static bool spans_overlap(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi)
{
	return alo < bhi && blo < ahi;
}

/* Finds each member and writer among the guests and records the channel
 * in each member's list (its device tree says which member it is). */
static int channel_members(struct cfg_model *m, struct cfg_channel_model *c, uint32_t ci,
			   struct cfg_diag *d)
{
	if (!c->size_line)
		return cfg_fail(d, m->path, c->line,
				"missing required key 'size' in [channel %s]; add e.g. size = 8K",
				c->name);
	if (c->nmembers < 2)
		return cfg_fail(d, m->path, c->members_line ? c->members_line : c->line,
				"[channel %s] has %u member%s; a channel joins at least two "
				"guests: write members = GUEST, GUEST",
				c->name, c->nmembers, c->nmembers == 1 ? "" : "s");
	for (uint32_t k = 0; k < c->nmembers; k++) {
		uint32_t gi = m->nguests;

		for (uint32_t i = 0; i < m->nguests; i++)
			if (!strcmp(m->guests[i].name, c->members[k]))
				gi = i;
		if (gi == m->nguests)
			return cfg_fail(d, m->path, c->members_line,
					"unknown guest '%s' in members of [channel %s]; name "
					"guests that have a [guest NAME] section",
					c->members[k], c->name);
		struct cfg_guest_model *g = &m->guests[gi];
		if (g->console != CFG_CONSOLE_UART)
			return cfg_fail(d, m->path, c->members_line,
					"[guest %s] has console = none and so no virtual PLIC for "
					"the doorbell of [channel %s]; set console = uart",
					g->name, c->name);
		c->guest[k] = gi;
		/* No writers key: every member may write. With one, only
		 * those it names (below). */
		c->writable[k] = !c->writers_line;
		g->chans[g->nchans++] =
		    (struct cfg_guest_chan){.ch = c, .channel = ci, .member = k, .writable = false};
	}
	for (uint32_t w = 0; w < c->nwriters; w++) {
		uint32_t k = 0;

		while (k < c->nmembers && strcmp(c->members[k], c->writers[w]))
			k++;
		if (k == c->nmembers)
			return cfg_fail(d, m->path, c->writers_line,
					"writer '%s' of [channel %s] is not one of its members; "
					"add it to members or remove it from writers",
					c->writers[w], c->name);
		c->writable[k] = true;
	}
	for (uint32_t k = 0; k < c->nmembers; k++) {
		struct cfg_guest_model *g = &m->guests[c->guest[k]];

		g->chans[g->nchans - 1].writable = c->writable[k];
	}
	return 0;
}

/* The window must be nothing else in any guest: not RAM, not a granted
 * device, not the virtual PLIC or UART; a non-member must fault there. */
static int channel_window(const struct cfg_model *m, const struct cfg_channel_model *c,
			  struct cfg_diag *d)
{
	unsigned long long lo = c->gpa, hi = c->gpa + c->size;

	for (uint32_t i = 0; i < m->nguests; i++) {
		const struct cfg_guest_model *g = &m->guests[i];
		/* Where the guest sees its RAM: its host address when
		 * identity-mapped, else the board's usual base. */
		uint64_t base = g->identity ? g->fixed_hpa : BOARD_GUEST_RAM_BASE;

		if (spans_overlap(lo, hi, base, base + g->mem_size))
			return cfg_fail(d, m->path, g->mem_line,
					"RAM of [guest %s] at %#llx..%#llx overlaps the window of "
					"[channel %s] at %#llx..%#llx; lower memory or pin the "
					"channel elsewhere with address =",
					g->name, (unsigned long long)base,
					(unsigned long long)(base + g->mem_size), c->name, lo, hi);
		for (uint32_t k = 0; k < g->ndevices; k++)
			if (spans_overlap(lo, hi, g->dev[k]->base,
					  g->dev[k]->base + g->dev[k]->size))
				return cfg_fail(d, m->path, g->devices_line,
						"device '%s' of [guest %s] overlaps the window of "
						"[channel %s] at %#llx..%#llx; pin the channel "
						"elsewhere with address =",
						g->dev[k]->name, g->name, c->name, lo, hi);
		if (g->console == CFG_CONSOLE_UART &&
		    (spans_overlap(lo, hi, BOARD_PLIC_BASE, BOARD_PLIC_BASE + BOARD_VPLIC_SIZE) ||
		     spans_overlap(lo, hi, BOARD_UART_BASE, BOARD_UART_BASE + BOARD_VUART_SIZE)))
			return cfg_fail(d, m->path, c->address_line ? c->address_line : c->line,
					"the window of [channel %s] at %#llx..%#llx overlaps the "
					"virtual PLIC or UART of [guest %s]; pin it elsewhere, "
					"e.g. address = %#llx",
					c->name, lo, hi, g->name,
					(unsigned long long)BOARD_CHAN_BASE);
	}
	return 0;
}

static bool is_member(const struct cfg_channel_model *c, uint32_t gi)
{
	for (uint32_t k = 0; k < c->nmembers; k++)
		if (c->guest[k] == gi)
			return true;
	return false;
}

/* Who already uses source irq in one of c's members: a granted device's
 * line or another channel's doorbell; NULL when it is free in all. */
static const char *irq_user(const struct cfg_model *m, const struct cfg_channel_model *c,
			    uint32_t irq, char *buf, size_t n)
{
	if (irq == BOARD_UART_IRQ) {
		snprintf(buf, n, "the virtual UART");
		return buf;
	}
	for (uint32_t k = 0; k < c->nmembers; k++) {
		const struct cfg_guest_model *g = &m->guests[c->guest[k]];

		for (uint32_t l = 0; l < g->ndevices; l++)
			for (uint32_t q = 0; q < g->dev[l]->nirqs; q++)
				if (g->dev[l]->irqs[q] == irq) {
					snprintf(buf, n, "device '%s' of [guest %s]",
						 g->dev[l]->name, g->name);
					return buf;
				}
		for (const struct cfg_channel_model *o = m->channels; o < c; o++)
			if (o->irq == irq && is_member(o, c->guest[k])) {
				snprintf(buf, n, "the doorbell of [channel %s] in [guest %s]",
					 o->name, g->name);
				return buf;
			}
	}
	return NULL;
}

static int channel_irq(const struct cfg_model *m, struct cfg_channel_model *c, struct cfg_diag *d)
{
	char who[96];

	if (c->irq_line) {
		if (irq_user(m, c, c->irq, who, sizeof who))
			return cfg_fail(d, m->path, c->irq_line,
					"interrupt %u of [channel %s] is already %s's; leave "
					"interrupt out to have one picked, or pick another",
					c->irq, c->name, who);
		return 0;
	}
	/* From the top down: boards number their own lines from 1 up. */
	for (uint32_t irq = CFG_VPLIC_NDEV; irq >= 1; irq--)
		if (!irq_user(m, c, irq, who, sizeof who)) {
			c->irq = irq;
			return 0;
		}
	return cfg_fail(d, m->path, c->line,
			"no free virtual PLIC source for the doorbell of [channel %s]; remove a "
			"device or channel from its members",
			c->name);
}

int cfg_check_channels(struct cfg_model *m, struct cfg_diag *d)
{
	uint64_t next = BOARD_CHAN_BASE;

	for (uint32_t i = 0; i < m->nguests; i++)
		m->guests[i].nchans = 0;
	for (uint32_t ci = 0; ci < m->nchannels; ci++) {
		struct cfg_channel_model *c = &m->channels[ci];

		if (channel_members(m, c, ci, d))
			return -1;
		if (c->address_line) {
			c->gpa = c->address;
		} else {
			/* The next free place in the window, after every channel so far. */
			for (uint32_t o = 0; o < ci; o++)
				if (m->channels[o].gpa + m->channels[o].size > next)
					next = m->channels[o].gpa + m->channels[o].size;
			c->gpa = next;
		}
		for (uint32_t o = 0; o < ci; o++) {
			const struct cfg_channel_model *oc = &m->channels[o];

			if (spans_overlap(c->gpa, c->gpa + c->size, oc->gpa, oc->gpa + oc->size))
				return cfg_fail(
				    d, m->path, c->address_line ? c->address_line : c->line,
				    "the window of [channel %s] at %#llx..%#llx overlaps "
				    "[channel %s] at %#llx..%#llx (line %d); move one of "
				    "them with address =",
				    c->name, (unsigned long long)c->gpa,
				    (unsigned long long)(c->gpa + c->size), oc->name,
				    (unsigned long long)oc->gpa,
				    (unsigned long long)(oc->gpa + oc->size), oc->line);
		}
		if (channel_window(m, c, d) || channel_irq(m, c, d))
			return -1;
	}
	return 0;
}

/* In this order: the grants must be known before the channels, whose
 * windows and doorbells must keep clear of the granted devices. */
int cfg_check_against(struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d)
{
	return cfg_check_board(m, b, d) || cfg_grant_devices(m, b, d) || cfg_check_channels(m, d)
		   ? -1
		   : 0;
}

/* The board is read here, after the config's own rules, so a config
 * mistake is reported before an unreadable board. */
static int load_board(const char *path, struct cfg_board *b, struct cfg_diag *d)
{
	uint8_t *blob;
	size_t len;
	int rc;

	if (cfg_read_file(path, &blob, &len))
		return cfg_fail_io(d, "septa-cfg: cannot read board dtb %s: %s", path,
				   strerror(errno));
	rc = board_read(blob, len, path, b, d);
	free(blob);
	return rc;
}

int cfg_check(struct cfg_model *m, const char *board_path, struct cfg_board *b, struct cfg_diag *d)
{
	if (cfg_check_model(m, d) || cfg_resolve_disks(m, d))
		return -1;
	if (!board_path)
		return 0;
	return load_board(board_path, b, d) || cfg_check_against(m, b, d) ? -1 : 0;
}
