/* Which guest owns each board interrupt line: built once at boot from the
 * config tables. */
#include "irq_route.h"

#include "hv.h"

int irq_routes_build(const struct cfg_machine *m, struct irq_route r[IRQ_ROUTE_SOURCES])
{
	for (unsigned s = 0; s < IRQ_ROUTE_SOURCES; s++)
		r[s] = (struct irq_route){.guest = -1, .hart = 0};
	for (uint32_t g = 0; g < m->nguests; g++) {
		const struct cfg_guest *cg = &m->guests[g];

		for (uint32_t d = 0; d < cg->ndevices; d++) {
			const struct cfg_device *dev = &cg->devices[d];

			if (dev->nirqs > CFG_DEV_IRQS)
				return HV_EINVAL;
			for (uint32_t i = 0; i < dev->nirqs; i++) {
				uint32_t s = dev->irqs[i];

				if (s == 0 || s >= IRQ_ROUTE_SOURCES || r[s].guest >= 0 ||
				    cg->nvcpus == 0)
					return HV_EINVAL;
				/* One hart per line, so each request is claimed
				 * once; vCPU 0's, the one every guest has. */
				r[s].guest = (int)g;
				r[s].hart = cg->vcpu_hart[0];
			}
		}
	}
	return 0;
}
