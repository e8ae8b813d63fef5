/* vault: keeps a secret - 1 MiB from a seeded PRNG - and every 100 ms
 * checks that every byte of it is still what it wrote. Another guest
 * attacking the machine must not be able to change it.
 *
 *   vault: tick N secret intact              (every 100 ms, N = 1..TICKS)
 *   vault: SECRET CHANGED at offset X        (the first word that differs)
 *   vault: done
 *
 * bootargs: ticks=N (default 50), seed=N (default 0x5ec2e7). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

#define SECRET_WORDS (1024 * 1024 / 8)
#define PERIOD_MS    100

const char rt_guest_name[] = "vault";

static uint64_t secret[SECRET_WORDS];
static uint64_t start, period;
static volatile unsigned fired;
static unsigned ticks;

/* xorshift64*: the whole secret can be regenerated from its seed, so the
 * check needs no second copy to compare against. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* The offset of the first word that differs, or -1. */
static long check(uint64_t seed)
{
	for (unsigned i = 0; i < SECRET_WORDS; i++)
		if (secret[i] != next(&seed))
			return (long)i * 8;
	return -1;
}

static void on_tick(void)
{
	fired++;
	if (fired < ticks)
		rt_timer_arm(start + (uint64_t)(fired + 1) * period, on_tick);
}

static unsigned long arg(const void *fdt, const char *key, unsigned long dflt)
{
	const char *p = strstr(rt_bootargs(fdt), key);

	return p ? strtoul(p + strlen(key), NULL, 0) : dflt;
}

int main(unsigned long hartid, const void *fdt)
{
	unsigned shown = 0;

	(void)hartid;
	if (rt_timer_init(fdt)) {
		printf("vault: cannot read the timebase from my device tree\n");
		return 1;
	}
	ticks = (unsigned)arg(fdt, "ticks=", 50);
	uint64_t seed = arg(fdt, "seed=", 0x5ec2e7) | 1; /* xorshift needs a nonzero state */
	uint64_t s = seed;
	for (unsigned i = 0; i < SECRET_WORDS; i++)
		secret[i] = next(&s);
	printf("vault: %u KiB secret at 0x%lx, checked every %d ms\n",
	       (unsigned)(sizeof(secret) >> 10), (unsigned long)(uintptr_t)secret, PERIOD_MS);

	period = rt_ms_to_time(PERIOD_MS);
	start = rt_time();
	rt_timer_arm(start + period, on_tick);
	while (shown < ticks) {
		rt_irq_disable();
		if (fired == shown)
			rt_wfi();
		rt_irq_enable();
		while (shown < fired) {
			long bad = check(seed);

			shown++;
			if (bad >= 0)
				printf("vault: SECRET CHANGED at offset 0x%lx\n", bad);
			else
				printf("vault: tick %u secret intact\n", shown);
		}
	}
	rt_irq_disable();
	printf("vault: done\n");
	return 0;
}
