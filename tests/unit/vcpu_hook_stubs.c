/* The arch hooks core/vcpu.c calls on a vCPU's registers and interrupt
 * lines, as no-ops: for the host tests of the scheduler and of a restart,
 * where no guest really runs. */
#include <stdbool.h>
#include <stdint.h>

#include "arch_hooks.h"
#include "vdev.h"

void arch_hart_kick(unsigned hartid)
{
	(void)hartid;
}
void arch_vcpu_timer_set(struct vcpu *v, uint64_t d)
{
	(void)v, (void)d;
}
void arch_vcpu_timer_fire(struct vcpu *v)
{
	(void)v;
}
bool arch_vcpu_irq_pending(struct vcpu *v)
{
	(void)v;
	return false;
}
void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	(void)v, (void)pc, (void)a0, (void)a1;
}
void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	(void)v, (void)pc, (void)a0, (void)a1;
}
void arch_vcpu_raise_ipi(struct vcpu *v)
{
	(void)v;
}
void arch_vcpu_flush(struct vcpu *v, bool fence_i, bool vma)
{
	(void)v, (void)fence_i, (void)vma;
}
void arch_vcpu_set_ext_irq(struct vcpu *v, bool level)
{
	(void)v, (void)level;
}
bool vdev_irq_pending(struct vcpu *v)
{
	(void)v;
	return false;
}
