/* Unit tests of the board interrupt routing table (core/irq_route.c): each
 * granted device's lines to its guest and the hart of its vCPU 0, nobody
 * else's, and tables that would route a line twice or out of range refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hv.h"
#include "irq_route.h"

static struct cfg_guest guests[3];
static struct cfg_machine m = {.harts = 2, .nguests = 3, .guests = guests};
static struct irq_route r[IRQ_ROUTE_SOURCES];

static int setup(void **state)
{
	(void)state;
	guests[0] = (struct cfg_guest){.name = "a", .nvcpus = 2, .vcpu_hart = {1, 0}};
	guests[1] = (struct cfg_guest){.name = "b", .nvcpus = 1, .vcpu_hart = {0}};
	guests[2] = (struct cfg_guest){.name = "c", .nvcpus = 1, .vcpu_hart = {1}};
	return 0;
}

static void grant(struct cfg_guest *g, uint32_t nirqs, uint32_t i0, uint32_t i1)
{
	g->devices[g->ndevices++] =
	    (struct cfg_device){.base = 0x101000, .size = 0x1000, .nirqs = nirqs, .irqs = {i0, i1}};
}

static void nothing_granted_nothing_routed(void **state)
{
	(void)state;
	assert_int_equal(irq_routes_build(&m, r), 0);
	for (unsigned s = 0; s < IRQ_ROUTE_SOURCES; s++)
		assert_int_equal(r[s].guest, -1);
}

static void lines_go_to_the_hart_of_vcpu0(void **state)
{
	(void)state;
	grant(&guests[0], 1, 11, 0);
	grant(&guests[0], 0, 0, 0); /* a device without interrupts */
	grant(&guests[1], 2, 1, 2);
	assert_int_equal(irq_routes_build(&m, r), 0);
	assert_int_equal(r[11].guest, 0);
	assert_int_equal(r[11].hart, 1);
	assert_int_equal(r[1].guest, 1);
	assert_int_equal(r[2].guest, 1);
	assert_int_equal(r[2].hart, 0);
	for (unsigned s = 0; s < IRQ_ROUTE_SOURCES; s++)
		if (s != 1 && s != 2 && s != 11)
			assert_int_equal(r[s].guest, -1);
}

static void a_line_has_one_owner(void **state)
{
	(void)state;
	grant(&guests[0], 1, 5, 0);
	grant(&guests[2], 1, 5, 0);
	assert_int_equal(irq_routes_build(&m, r), HV_EINVAL);
	setup(NULL);
	grant(&guests[1], 2, 7, 7);
	assert_int_equal(irq_routes_build(&m, r), HV_EINVAL);
}

static void out_of_range_refused(void **state)
{
	(void)state;
	grant(&guests[0], 1, 0, 0);
	assert_int_equal(irq_routes_build(&m, r), HV_EINVAL);
	setup(NULL);
	grant(&guests[0], 1, IRQ_ROUTE_SOURCES, 0);
	assert_int_equal(irq_routes_build(&m, r), HV_EINVAL);
	setup(NULL);
	grant(&guests[0], CFG_DEV_IRQS + 1, 3, 4);
	assert_int_equal(irq_routes_build(&m, r), HV_EINVAL);
	setup(NULL);
	grant(&guests[0], 1, IRQ_ROUTE_SOURCES - 1, 0);
	assert_int_equal(irq_routes_build(&m, r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(nothing_granted_nothing_routed, setup),
	    cmocka_unit_test_setup(lines_go_to_the_hart_of_vcpu0, setup),
	    cmocka_unit_test_setup(a_line_has_one_owner, setup),
	    cmocka_unit_test_setup(out_of_range_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
