/* chaos: a guest-side fuzzer. Op i of the run is drawn from a counter-based
 * PRNG (seed, i), so any op can be replayed alone. Ops come in blocks of
 * BLOCK: all but the last are meant not to fault (SBI calls with random
 * arguments, loads from our RAM, stores to a scratch buffer, reads of CSRs
 * VS-mode may read, sfence.vma), and the last one of each block is meant to
 * fault (a load, store or jump outside our RAM, or a hypervisor or machine
 * CSR). With on-fault = restart, boot R (R = /chosen/septa,restarts) runs
 * block R. SRST and HSM stop/suspend are never called: they would end or
 * park the run rather than test anything.
 *
 *   chaos: N ops done, M restarts         (the summary, from the last boot)
 *   chaos: op I ODD <what>                (a result that breaks a rule)
 *
 * bootargs: seed=N (default 1), ops=N (default 3000), block=N (default 100). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaos.h"
#include "rt.h"

const char rt_guest_name[] = "chaos";

static struct chaos c;
static uint64_t scratch[512];

/* splitmix64 of (seed, i): op i's random words, independent of the others. */
uint64_t chaos_rand(uint64_t seed, uint64_t i, unsigned k)
{
	uint64_t z = seed + (i * 8 + k + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void chaos_odd(uint64_t i, const char *what, unsigned long x)
{
	c.odd++;
	printf("chaos: op %lu ODD %s 0x%lx\n", (unsigned long)i, what, x);
}

/* A load from a random 8-byte word of our RAM, or a store to scratch. */
static void memory_op(uint64_t i)
{
	uint64_t r = chaos_rand(c.seed, i, 1);

	if (r & 1) {
		uint64_t a = c.ram_base + ((r >> 1) % c.ram_size & ~7UL);
		__asm__ volatile("ld zero, 0(%0)" : : "r"(a) : "memory");
	} else {
		scratch[(r >> 1) % 512] = r;
	}
}

static uint64_t arg(const void *fdt, const char *key, uint64_t dflt)
{
	const char *p = strstr(rt_bootargs(fdt), key);

	return p ? strtoull(p + strlen(key), NULL, 0) : dflt;
}

static uint32_t restarts(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;

	return p && len == 4 ? fdt32_ld(p) : 0;
}

int main(unsigned long hartid, const void *fdt)
{
	(void)hartid;
	if (rt_fdt_memory(fdt, &c.ram_base, &c.ram_size)) {
		printf("chaos: cannot read my device tree\n");
		return 1;
	}
	c.seed = arg(fdt, "seed=", 1);
	uint64_t ops = arg(fdt, "ops=", 3000), block = arg(fdt, "block=", 100);
	uint32_t boot = restarts(fdt);
	if (block < 2)
		block = 2;
	if (boot == 0)
		printf("chaos: seed %lu, %lu ops, a faulting op every %lu\n", (unsigned long)c.seed,
		       (unsigned long)ops, (unsigned long)block);

	for (uint64_t i = (uint64_t)boot * block; i < ops; i++) {
		uint64_t kind = chaos_rand(c.seed, i, 0) % 8;

		if (i % block == block - 1 && i + 1 < ops) {
			chaos_fault_op(&c, i);
			/* Still here: the op did not fault. */
			continue;
		}
		if (kind < 4)
			chaos_ecall_op(&c, i);
		else if (kind < 6)
			memory_op(i);
		else
			chaos_csr_op(&c, i);
	}
	printf("chaos: %lu ops done, %u restarts\n", (unsigned long)ops, boot);
	if (c.odd)
		printf("chaos: %u odd results in the last run\n", c.odd);
	return 0;
}
