/* Which guest owns each board interrupt line, and which hart takes it: pure
 * logic over the config tables, unit-tested on the host. */
#ifndef SEPTA_IRQ_ROUTE_H
#define SEPTA_IRQ_ROUTE_H

#include <stdint.h>

#include "cfg_table.h"
#include "vplic.h"

/* A passed-through line keeps its number in the guest's virtual PLIC, so
 * only sources the virtual PLIC has can be passed through. */
#define IRQ_ROUTE_SOURCES VPLIC_SOURCES

struct irq_route {
	int guest;     /* index in cfg_machine.guests, or -1: nobody's (disabled) */
	unsigned hart; /* the physical hart whose S-mode context takes it */
};

/* Fills r[0 .. IRQ_ROUTE_SOURCES-1] from m: each granted device's lines go
 * to the hart of its guest's vCPU 0. 0, or HV_EINVAL when a line is out of
 * range or granted twice (septa-cfg refuses both; the tables are checked
 * again because a wrong route would hand one guest another's interrupt). */
int irq_routes_build(const struct cfg_machine *m, struct irq_route r[IRQ_ROUTE_SOURCES]);

#endif
