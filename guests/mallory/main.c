/* mallory: a hostile guest. Boot R (R = /chosen/septa,restarts) runs the
 * attacks that come after the R-th attack that must fault, up to and
 * including the next one; that one faults, septa restarts us (on-fault =
 * restart, restart-delay = 0) and boot R + 1 goes on. After the last step:
 * "mallory: all N steps done" and an SBI shutdown.
 *
 * bootargs: vault=0xADDR, another guest's host-physical address to aim at;
 * only=N, run step N alone (on boot 0; later boots just finish). */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mallory.h"
#include "rt.h"

const char rt_guest_name[] = "mallory";

static void say(unsigned n, const char *name, const char *what, const char *fmt, va_list ap)
{
	printf("mallory: step %u %s: %s", n, name, what);
	vprintf(fmt, ap);
	printf("%s\n", *what == 'a' ? "" : ")");
	/* A line must be out before the access that may end this boot. */
	fflush(stdout);
}

void say_attempt(unsigned n, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(n, name, "attempting ", fmt, ap);
	va_end(ap);
}

void say_contained(unsigned n, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(n, name, "contained (", fmt, ap);
	va_end(ap);
}

void say_breach(unsigned n, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(n, name, "BREACH (", fmt, ap);
	va_end(ap);
}

/* All steps in the order they run: the must-fault ones end boots, so a step
 * that may or may not fault can only come last. */
#define MAX_STEPS 128
static const struct step *steps[MAX_STEPS];
static unsigned nsteps;

static void add(const struct step *table, unsigned count)
{
	for (unsigned i = 0; i < count && nsteps < MAX_STEPS; i++)
		steps[nsteps++] = &table[i];
}

static uint32_t restarts(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;

	return p && len == 4 ? fdt32_ld(p) : 0;
}

static uint64_t bootarg(const void *fdt, const char *key)
{
	const char *p = strstr(rt_bootargs(fdt), key);

	return p ? strtoull(p + strlen(key), NULL, 0) : 0;
}

int main(unsigned long hartid, const void *fdt)
{
	struct target t = {0};
	uint32_t boot = restarts(fdt);
	unsigned first = 0, faults = 0;

	(void)hartid;
	if (rt_fdt_memory(fdt, &t.ram_base, &t.ram_size) || rt_timer_init(fdt)) {
		printf("mallory: cannot read my device tree\n");
		return 1;
	}
	t.vault_hpa = bootarg(fdt, "vault=");
	add(mem_steps, n_mem_steps);
	add(cpu_steps, n_cpu_steps);
	add(sbi_steps, n_sbi_steps);
	add(state_steps, n_state_steps);
	add(last_steps, n_last_steps);

	unsigned only = (unsigned)bootarg(fdt, "only=");
	if (only >= 1 && only <= nsteps) {
		if (boot == 0)
			steps[only - 1]->run(only, steps[only - 1], &t);
		printf("mallory: step %u alone done\n", only);
		return 0;
	}
	/* Skip what earlier boots did: everything up to our boot-th fault. */
	while (first < nsteps && faults < boot)
		if (steps[first++]->kind != STEP_CONTAINED)
			faults++;
	if (boot == 0)
		printf("mallory: %u steps, RAM 0x%lx..0x%lx\n", nsteps, (unsigned long)t.ram_base,
		       (unsigned long)(t.ram_base + t.ram_size));
	else if (first == nsteps && steps[first - 1]->kind == STEP_MAY_FAULT)
		printf("mallory: step %u %s: faulted (septa took the trap)\n", nsteps,
		       steps[nsteps - 1]->name);
	for (unsigned i = first; i < nsteps; i++)
		steps[i]->run(i + 1, steps[i], &t);
	printf("mallory: all %u steps done\n", nsteps);
	return 0;
}
