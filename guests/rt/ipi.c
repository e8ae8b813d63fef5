/* Inter-processor interrupts between the guest's harts: sending one through
 * SBI IPI, and the callback the trap handler runs when one arrives. */
#include "internal.h"
#include "layout.h"
#include "rt.h"
#include "sbi.h"

static rt_ipi_fn ipi_fn;
/* IPIs each hart has taken; written only by that hart's handler. */
static volatile unsigned long taken[RT_MAX_HARTS];

void rt_ipi_handler(rt_ipi_fn fn)
{
	__atomic_store_n(&ipi_fn, fn, __ATOMIC_RELEASE);
	csr_set(sie, SIE_SSIE);
}

long rt_send_ipi(unsigned long hartid)
{
	/* Bit 0 of the mask, counted from hartid: just that hart. */
	return sbi_send_ipi(1, hartid).error;
}

void rt_ipi_irq(void)
{
	rt_ipi_fn fn = __atomic_load_n(&ipi_fn, __ATOMIC_ACQUIRE);

	/* Clear first: an IPI sent while fn runs then stays pending and is
	 * taken after this one instead of being lost. */
	csr_clear(sip, SIP_SSIP);
	taken[rt_hartid()]++;
	if (fn)
		fn();
}

unsigned long rt_ipis_taken(void)
{
	return taken[rt_hartid()];
}

unsigned long rt_wait_ipi(unsigned long seen, const volatile bool *give_up)
{
	return rt_wait_change(&taken[rt_hartid()], seen, give_up);
}

unsigned long rt_wait_change(const volatile unsigned long *word, unsigned long seen,
			     const volatile bool *give_up)
{
	for (;;) {
		rt_irq_disable();
		if (*word != seen || *give_up)
			return *word;
		rt_wfi();
		rt_irq_enable(); /* the pending interrupt is taken here */
	}
}
