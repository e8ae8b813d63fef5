/* The guest's single trap handler: the supervisor timer interrupt goes to the
 * timer code, the software interrupt (an IPI) to the IPI code, the external
 * interrupt to the guest's handler if it set one; any other trap is a bug,
 * reported in one line before shutdown. */
#include <stdio.h>
#include "internal.h"
#include "rt.h"

/*
 * GCC's interrupt attribute saves every register the body clobbers and returns
 * with sret, so no assembly is needed.  stvec in direct mode wants 4-byte
 * alignment, which compressed code does not give by default.
 */
__attribute__((interrupt("supervisor"), aligned(4))) void rt_trap(void)
{
	unsigned long scause = csr_read(scause);

	if (scause == (SCAUSE_INTR | IRQ_S_TIMER)) {
		rt_timer_irq();
		return;
	}
	if (scause == (SCAUSE_INTR | IRQ_S_SOFT)) {
		rt_ipi_irq();
		return;
	}
	if (scause == (SCAUSE_INTR | IRQ_S_EXT) && rt_ext_irq())
		return;
	rt_console_newline();
	printf("%s: unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx\n", rt_guest_name, scause,
	       csr_read(sepc), csr_read(stval));
	rt_exit();
}
