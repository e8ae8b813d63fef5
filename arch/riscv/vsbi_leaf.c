/* The first and shortest trap path: SBI calls whose answer is a constant,
 * answered by a leaf function that the vector calls with only the registers
 * it may touch saved (switch.S; the compiler flags in mk/hv.mk). */
#include "vsbi.h"
#include "vsbi_base.h"
#include "vm.h"

long vsbi_leaf(struct arch_vcpu *av, unsigned long pc)
{
	unsigned long value;

	if (av->gpr[REG_A7] != SBI_EXT_BASE || vsbi_base_const(av->gpr[REG_A6], &value))
		return 0;
	av->vcpu->stats.traps[VCPU_TRAP_SBI]++;
	av->gpr[REG_A0] = SBI_SUCCESS;
	av->gpr[REG_A1] = value;
	av->sepc = pc + 4;
	return 1;
}
