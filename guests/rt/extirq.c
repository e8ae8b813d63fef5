/* The supervisor external interrupt: the callback a guest sets for it (its
 * PLIC claim/complete loop), run by the trap handler. */
#include "internal.h"
#include "rt.h"

static rt_ext_irq_fn ext_fn;

void rt_ext_irq_handler(rt_ext_irq_fn fn)
{
	__atomic_store_n(&ext_fn, fn, __ATOMIC_RELEASE);
	csr_set(sie, SIE_SEIE);
}

int rt_ext_irq(void)
{
	rt_ext_irq_fn fn = __atomic_load_n(&ext_fn, __ATOMIC_ACQUIRE);

	/* sip.SEIP is the PLIC's line itself and cannot be cleared here; the
	 * handler clears it by serving the source. */
	if (!fn)
		return 0;
	fn();
	return 1;
}
