/* The RISC-V side of a VM: its Sv39x4 G-stage table and hgatp value. The
 * table maps the guest's RAM, its granted devices and its channels, and
 * nothing else: no hypervisor memory, no other guest. Everything else
 * faults to us. */
#include <string.h>

#include "arch_hooks.h"
#include "arch_vm.h"
#include "core_services.h"
#include "cpu.h"
#include "csr.h"
#include "gstage.h"
#include "tlb_rules.h"

/* Pages for the inner tables of every guest's G-stage table. Guest RAM at
 * 2 MiB alignment maps with 2 MiB (or 1 GiB) leaves, one level-1 table per
 * GiB; 4 KiB pages (devices, channels, a tail of RAM) take a level-0 table
 * per 2 MiB. Out of pages, arch_vm_init() fails and boot stops: the tables
 * never change after boot. */
#define POOL_PAGES 128

/* hgatp names the root by its PPN, and Sv39x4's 16 KiB root must be
 * aligned to its size. */
static uint64_t roots[CFG_MAX_GUESTS][GSTAGE_ROOT_SIZE / 8]
    __attribute__((aligned(GSTAGE_ROOT_SIZE)));
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned pool_used;
static struct arch_vm arch_vms[CFG_MAX_GUESTS];

static void *pool_page(void *ctx)
{
	(void)ctx;
	if (pool_used == POOL_PAGES)
		return NULL;
	void *p = pool[pool_used++];
	memset(p, 0, 4096);
	return p;
}

int arch_vm_init(struct vm *vm)
{
	const struct cfg_guest *g = vm->cfg;
	struct arch_vm *av = &arch_vms[vm->id];

	memset(roots[vm->id], 0, GSTAGE_ROOT_SIZE);
	av->gstage.root = roots[vm->id];
	av->gstage.alloc = (struct gstage_alloc){.page = pool_page};
	int rc = gstage_map(&av->gstage, g->gpa_base, g->hpa_base, g->mem_size, PTE_RWX);
	/* Granted board devices, at their own address; never executable. */
	for (uint32_t i = 0; i < g->ndevices && !rc; i++)
		rc = gstage_map(&av->gstage, g->devices[i].base, g->devices[i].base,
				g->devices[i].size, PTE_R | PTE_W);
	/* Channels it is a member of; read-only unless it is a writer. */
	for (uint32_t i = 0; i < g->nchans && !rc; i++) {
		const struct cfg_chan_map *cm = &g->chans[i];
		const struct cfg_channel *c = &cfg_machine.channels[cm->channel];

		rc = gstage_map(&av->gstage, cm->gpa, c->hpa, c->size,
				cm->writable ? PTE_R | PTE_W : PTE_R);
	}
	if (rc)
		return rc;
	/* With too few VMID bits for every guest, all share tag 0 and the
	 * world switch flushes on each change of guest (tlb_rules.h). */
	av->vmid = tlb_vmid(vm->id, cfg_machine.nguests, cpu_features.vmid_bits);
	arch_vmids_shared = tlb_vmids_shared(cfg_machine.nguests, cpu_features.vmid_bits);
	if (vm->id == 0 && arch_vmids_shared)
		hv_log("%u guests and %u VMID bits: they share VMID 0, and a switch between "
		       "guests flushes the guest TLB",
		       cfg_machine.nguests, cpu_features.vmid_bits);
	av->hgatp = HGATP_MODE_SV39X4 | ((uint64_t)av->vmid << HGATP_VMID_SHIFT) |
		    ((uint64_t)(uintptr_t)roots[vm->id] >> 12);
	vm->arch = av;
	return 0;
}

bool arch_vmids_shared;
