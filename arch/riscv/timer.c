/* Time and the hart's single hypervisor timer: stimecmp when the hart has
 * Sstc, SBI set_timer otherwise. */
#include <stdint.h>

#include "arch_hooks.h"
#include "cpu.h"
#include "csr.h"
#include "sbi.h"

uint64_t arch_time_now(void)
{
	return csr_read(time);
}

void arch_timer_program(uint64_t deadline)
{
	/* Writing a new deadline also clears a pending STIP. */
	if (cpu_features.sstc)
		csr_write(CSR_STIMECMP, deadline);
	else
		sbi_set_timer(deadline);
}
