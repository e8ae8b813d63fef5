/* Statistics lines. Counters belong to each vCPU's hart; reading them from
 * another hart may see a value a moment old, which is fine for reporting. */
#include "stats.h"

#include "arch_hooks.h"
#include "hv.h"
#include "sched.h"
#include "vm.h"

uint64_t stats_boot_time;

static uint64_t ms(uint64_t ticks)
{
	return ticks / (sched_ticks_per_us * 1000);
}

/* part/whole as a percentage with one decimal, without floating point. */
static void percent(uint64_t part, uint64_t whole, unsigned long *i, unsigned long *f)
{
	uint64_t permille = whole ? part * 1000 / whole : 0;

	*i = (unsigned long)(permille / 10);
	*f = (unsigned long)(permille % 10);
}

static void print_vcpu(const struct vcpu *v, uint64_t now)
{
	const struct vcpu_stats *s = &v->stats;
	uint64_t alive = s->alive_ticks;
	unsigned long pi, pf;

	if (v->state != VCPU_STOPPED)
		alive += now - s->started_at;
	percent(s->run_ticks, alive, &pi, &pf);
	hv_log("stats vcpu %s.%u hart %u run_ms %lu alive_ms %lu share %lu.%lu%% slices %lu "
	       "sbi %lu timer_irqs %lu ipis %lu traps timer=%lu irq=%lu sbi=%lu wfi=%lu "
	       "mmio=%lu fault=%lu other=%lu",
	       v->vm->cfg->name, v->id, v->hart, (unsigned long)ms(s->run_ticks),
	       (unsigned long)ms(alive), pi, pf, (unsigned long)s->slices,
	       (unsigned long)s->traps[VCPU_TRAP_SBI], (unsigned long)s->timer_irqs,
	       (unsigned long)s->ipis, (unsigned long)s->traps[VCPU_TRAP_TIMER],
	       (unsigned long)s->traps[VCPU_TRAP_IRQ], (unsigned long)s->traps[VCPU_TRAP_SBI],
	       (unsigned long)s->traps[VCPU_TRAP_WFI], (unsigned long)s->traps[VCPU_TRAP_MMIO],
	       (unsigned long)s->traps[VCPU_TRAP_FAULT], (unsigned long)s->traps[VCPU_TRAP_OTHER]);
}

void stats_print(void)
{
	uint64_t now = arch_time_now();
	unsigned long pi, pf;

	for (unsigned i = 0; i < nvms; i++) {
		hv_log("stats guest %s %s restarts %u reboots %u reload_us %lu", vms[i].cfg->name,
		       vm_state_name(&vms[i]), vms[i].restarts, vms[i].reboots,
		       (unsigned long)(vms[i].last_load_ticks / sched_ticks_per_us));
		for (unsigned j = 0; j < vms[i].nvcpus; j++)
			print_vcpu(&vms[i].vcpus[j], now);
	}
	for (unsigned h = 0; h < cfg_machine.harts; h++) {
		uint64_t up = now - stats_boot_time;
		uint64_t since = __atomic_load_n(&harts[h].idle_since, __ATOMIC_RELAXED);
		/* The hart may have gone idle since now was read: its
		 * idle_since can be later than now. */
		uint64_t idle = harts[h].idle_ticks + (since && since < now ? now - since : 0);

		percent(idle, up, &pi, &pf);
		hv_log("stats hart %u up_ms %lu idle_ms %lu idle %lu.%lu%%", h,
		       (unsigned long)ms(up), (unsigned long)ms(idle), pi, pf);
	}
}
