/* Guest time: the timebase from the device tree, and a one-shot SBI timer
 * per hart whose interrupt runs a callback. */
#include <libfdt.h>
#include <stdbool.h>
#include "internal.h"
#include "layout.h"
#include "rt.h"
#include "sbi.h"

static uint64_t timebase_hz;
/* Each hart has its own timer, so its own callback; indexed by rt_hartid(). */
static rt_timer_fn timer_fn[RT_MAX_HARTS];
static volatile bool timer_armed[RT_MAX_HARTS];

int rt_timer_init(const void *fdt)
{
	const void *prop;
	int node, len;

	node = fdt_path_offset(fdt, "/cpus");
	if (node < 0)
		return node;
	prop = fdt_getprop(fdt, node, "timebase-frequency", &len);
	if (!prop)
		return len;
	/* The binding allows one or two cells; QEMU uses one (10 MHz). */
	if (len == 4)
		timebase_hz = fdt32_ld(prop);
	else if (len == 8)
		timebase_hz = fdt64_ld(prop);
	else
		return -FDT_ERR_BADVALUE;
	return timebase_hz ? 0 : -FDT_ERR_BADVALUE;
}

uint64_t rt_ms_to_time(uint64_t ms)
{
	return ms * timebase_hz / 1000;
}

uint64_t rt_time_to_ms(uint64_t ticks)
{
	return ticks * 1000 / timebase_hz;
}

uint64_t rt_time_to_us(uint64_t ticks)
{
	return ticks * 1000000 / timebase_hz;
}

void rt_timer_arm(uint64_t deadline, rt_timer_fn fn)
{
	unsigned long me = rt_hartid();

	timer_fn[me] = fn;
	timer_armed[me] = true;
	sbi_set_timer(deadline);
	csr_set(sie, SIE_STIE);
}

void rt_timer_cancel(void)
{
	timer_armed[rt_hartid()] = false;
	sbi_set_timer(UINT64_MAX);
}

void rt_timer_irq(void)
{
	unsigned long me = rt_hartid();
	rt_timer_fn fn = timer_fn[me];

	timer_armed[me] = false;
	if (fn)
		fn();
	/* STIP stays pending until the next set_timer: if the callback did not
	 * re-arm, push the deadline out of reach or we would trap again at once. */
	if (!timer_armed[me])
		sbi_set_timer(UINT64_MAX);
}

static volatile unsigned long naps_done[RT_MAX_HARTS];
static const volatile bool never;

static void nap_over(void)
{
	naps_done[rt_hartid()]++;
}

void rt_nap_us(uint64_t us)
{
	unsigned long me = rt_hartid(), seen = naps_done[me];

	rt_timer_arm(rt_time() + rt_ms_to_time(1) * us / 1000, nap_over);
	rt_wait_change(&naps_done[me], seen, &never);
}
