/* Board interrupt lines that belong to one guest. The board's PLIC is set
 * up once at boot; a line that fires is claimed on the physical PLIC and
 * raised in the owner's virtual PLIC under the same number; the physical
 * claim is completed only when the guest completes its own, so a line the
 * guest has not served yet (a level that stays high) cannot fire again. */
#include "irqpass.h"

#include "hv.h"
#include "irq_route.h"
#include "platform.h"
#include "vdev.h"
#include "vm.h"

static struct irq_route routes[IRQ_ROUTE_SOURCES];

void irqpass_init(void)
{
	if (irq_routes_build(&cfg_machine, routes))
		panic("the config tables route a board interrupt twice or out of range");
	platform_irq_init();
	for (unsigned s = 1; s < IRQ_ROUTE_SOURCES; s++) {
		if (routes[s].guest < 0)
			continue;
		/* Any priority above the threshold 0 the harts' contexts
		 * get; all the same, since the guest's own virtual PLIC
		 * orders its lines by the priorities it sets there. */
		platform_irq_priority(s, 1);
		hv_log("guest %s: board interrupt %u is its own, taken on hart %u",
		       cfg_machine.guests[routes[s].guest].name, s, routes[s].hart);
	}
}

void irqpass_hart_init(unsigned hart)
{
	platform_irq_hart_init(hart);
	for (unsigned s = 1; s < IRQ_ROUTE_SOURCES; s++)
		if (routes[s].guest >= 0 && routes[s].hart == hart)
			platform_irq_enable(s, hart);
}

void irqpass_host_irq(unsigned hart)
{
	unsigned src;

	/* One external interrupt may stand for several lines: claim until
	 * the context has none left, or the rest would wait for the next. */
	while ((src = platform_irq_claim(hart)) != 0) {
		if (src >= IRQ_ROUTE_SOURCES || routes[src].guest < 0) {
			/* Only owned lines are enabled; should another appear,
			 * switch it off rather than take it again and again. */
			platform_irq_priority(src, 0);
			platform_irq_complete(hart, src);
			continue;
		}
		vdev_hw_irq(&vms[routes[src].guest], src);
	}
}

void irqpass_complete(uint32_t mask)
{
	/* On the context that claimed it: the route's hart, whichever hart
	 * the guest completed on. */
	for (unsigned s = 1; s < IRQ_ROUTE_SOURCES; s++)
		if ((mask & (1u << s)) && routes[s].guest >= 0)
			platform_irq_complete(routes[s].hart, s);
}
