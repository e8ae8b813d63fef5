/* The guest's other harts, through SBI HSM: starting one on a function of
 * ours, asking for a hart's state, and stopping the calling hart. */
#include <stdio.h>
#include "internal.h"
#include "layout.h"
#include "rt.h"
#include "sbi.h"

/* What a started hart runs; hart_start's opaque word points at its entry. */
struct hart_entry {
	rt_hart_fn fn;
	void *arg;
};

static struct hart_entry entries[RT_MAX_HARTS];

long rt_hart_start(unsigned long hartid, rt_hart_fn fn, void *arg)
{
	struct hart_entry *e;

	/* A hart we have no stack for would park in start.S: refuse it here. */
	if (hartid >= RT_MAX_HARTS || !fn)
		return SBI_ERR_INVALID_PARAM;
	e = &entries[hartid];
	e->arg = arg;
	/* fn last, released: rt_hart_boot reads it with acquire, then arg. */
	__atomic_store_n(&e->fn, fn, __ATOMIC_RELEASE);
	/* The MMU is off, so the addresses are the physical ones HSM wants. */
	return sbi_hart_start(hartid, (unsigned long)rt_hart_entry, (unsigned long)e).error;
}

long rt_hart_status(unsigned long hartid)
{
	struct sbiret ret = sbi_hart_get_status(hartid);

	return ret.error ? ret.error : ret.value;
}

void rt_hart_stop(void)
{
	struct sbiret ret;

	/* HSM hart_stop wants interrupts off; finish this hart's line first. */
	rt_irq_disable();
	fflush(stdout);
	ret = sbi_hart_stop();

	/* hart_stop returns only when it failed: say so, then sleep forever. */
	printf("%s: SBI hart_stop on hart %lu failed (error %ld)\n", rt_guest_name, rt_hartid(),
	       ret.error);
	fflush(stdout);
	for (;;)
		rt_wfi();
}

void rt_hart_boot(unsigned long hartid, unsigned long opaque)
{
	struct hart_entry *e = &entries[hartid];
	rt_hart_fn fn;

	rt_hart_init();
	/* a1 must be the opaque word we gave hart_start: checking it catches an
	 * SBI implementation that passes the wrong one. */
	if (opaque != (unsigned long)e) {
		printf("%s: hart %lu started with a1=0x%lx, expected 0x%lx\n", rt_guest_name,
		       hartid, opaque, (unsigned long)e);
		rt_exit();
	}
	fn = __atomic_load_n(&e->fn, __ATOMIC_ACQUIRE);
	/* No function: a start requested before this run began (a restart
	 * came in between and cleared .bss). Say so and stop the hart. */
	if (!fn) {
		printf("%s: hart %lu started with a1=0x%lx, but no function was given to it\n",
		       rt_guest_name, hartid, opaque);
		rt_hart_stop();
	}
	fn(hartid, e->arg);
	rt_hart_stop();
}
