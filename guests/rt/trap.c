/* The guest's single trap handler: the supervisor timer interrupt goes to the
 * timer code, the software interrupt (an IPI) to the IPI code, the external
 * interrupt to the guest's handler if it set one; an exception while the
 * hart catches them is recorded and stepped over; any other trap is a bug,
 * reported in one line before shutdown. */
#include <stdio.h>
#include "internal.h"
#include "rt.h"

#define CATCH_HARTS 8

/* Per hart: catching, and what was caught (cause -1: nothing yet). */
static struct {
	volatile bool on;
	volatile long cause;
	volatile unsigned long tval, epc;
} caught[CATCH_HARTS];

void rt_catch_begin(void)
{
	unsigned long h = rt_hartid() % CATCH_HARTS;

	caught[h].cause = -1;
	caught[h].on = true;
	__asm__ volatile("" ::: "memory");
}

long rt_catch_end(unsigned long *tval, unsigned long *epc)
{
	unsigned long h = rt_hartid() % CATCH_HARTS;

	__asm__ volatile("" ::: "memory");
	caught[h].on = false;
	if (tval)
		*tval = caught[h].tval;
	if (epc)
		*epc = caught[h].epc;
	return caught[h].cause;
}

/* Records the exception and steps over the instruction (2 or 4 bytes, from
 * its low bits; the guest runs untranslated, so sepc is readable). */
static bool catch_exception(unsigned long scause)
{
	unsigned long h = rt_hartid() % CATCH_HARTS, epc = csr_read(sepc);

	if (!caught[h].on)
		return false;
	if (caught[h].cause < 0) {
		caught[h].cause = (long)scause;
		caught[h].tval = csr_read(stval);
		caught[h].epc = epc;
	}
	uint16_t low = *(volatile uint16_t *)epc;
	csr_write(sepc, epc + ((low & 3) == 3 ? 4 : 2));
	return true;
}

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
	if (!(scause & SCAUSE_INTR) && catch_exception(scause))
		return;
	rt_console_newline();
	printf("%s: unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx\n", rt_guest_name, scause,
	       csr_read(sepc), csr_read(stval));
	rt_exit();
}
