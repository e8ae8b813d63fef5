/* chaos: a guest-side fuzzer. Op i of the run is drawn from a counter-based
 * PRNG (seed, i), so any op can be replayed alone. Ops come in blocks of
 * BLOCK: all but the last are meant not to fault (SBI calls with random
 * arguments, loads from our RAM, stores to a scratch buffer, reads of CSRs
 * VS-mode may read, sfence.vma, writes of scounteren, senvcfg, sscratch and
 * stvec, misaligned or RAM-to-device accesses to our vUART and vPLIC,
 * hart_start of vCPU 1), and the last one of each block is meant to fault
 * (a load, store or jump outside our RAM, or one after a hypervisor or
 * machine CSR our kernel must see as an illegal instruction; half of them
 * right after a hart_start of vCPU 1). With on-fault = restart, boot R
 * (R = /chosen/septa,restarts) runs block R, and first checks that
 * scounteren and senvcfg read as reset. SRST and HSM stop/suspend are never
 * called: they would end or park the run rather than test anything.
 *
 *   chaos: N ops done, M restarts         (the summary, from the last boot)
 *   chaos: op mix: ...                    (the whole run's ops by kind)
 *   chaos: op I ODD <what>                (a result that breaks a rule)
 *
 * bootargs: seed=N (default 1), ops=N (default 3000), block=N (default 100);
 * victim=1 makes this image the victim ticker of a long run instead
 * (victim.c). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaos.h"
#include "rt.h"

const char rt_guest_name[] = "chaos";

struct chaos chaos;
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
	__atomic_fetch_add(&chaos.odd, 1, __ATOMIC_RELAXED);
	printf("chaos: op %lu ODD %s 0x%lx\n", (unsigned long)i, what, x);
}

/* A load from a random 8-byte word of our RAM, or a store to scratch. */
static void memory_op(uint64_t i)
{
	uint64_t r = chaos_rand(chaos.seed, i, 1);

	if (r & 1) {
		uint64_t a = chaos.ram_base + ((r >> 1) % chaos.ram_size & ~7UL);
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

/* What op i is: decided by (seed, i) alone, so the last boot can count the
 * whole run's mix. */
enum kind { K_SBI, K_MEMORY, K_CSR_READ, K_CSR_WRITE, K_DEVICE, K_HART_START, K_FAULT, K_KINDS };

static enum kind kind_of(uint64_t i, uint64_t ops)
{
	static const enum kind by_draw[16] = {
	    K_SBI,	 K_SBI,	   K_SBI,    K_SBI,	   K_SBI,      K_SBI,
	    K_MEMORY,	 K_MEMORY, K_MEMORY, K_CSR_READ,   K_CSR_READ, K_CSR_WRITE,
	    K_CSR_WRITE, K_DEVICE, K_DEVICE, K_HART_START,
	};

	if (i % chaos.block == chaos.block - 1 && i + 1 < ops)
		return K_FAULT;
	return by_draw[chaos_rand(chaos.seed, i, 0) % 16];
}

static void op_mix(uint64_t ops)
{
	uint64_t n[K_KINDS] = {0}, started = 0;

	for (uint64_t i = 0; i < ops; i++) {
		enum kind k = kind_of(i, ops);

		n[k]++;
		if (k == K_FAULT && (chaos_rand(chaos.seed, i, 1) & 16))
			started++;
	}
	printf("chaos: op mix: sbi %lu, memory %lu, csr-read %lu, csr-write %lu, device %lu, "
	       "hart-start %lu, fault %lu (%lu after a hart-start)\n",
	       (unsigned long)n[K_SBI], (unsigned long)n[K_MEMORY], (unsigned long)n[K_CSR_READ],
	       (unsigned long)n[K_CSR_WRITE], (unsigned long)n[K_DEVICE],
	       (unsigned long)n[K_HART_START], (unsigned long)n[K_FAULT], (unsigned long)started);
}

int main(unsigned long hartid, const void *fdt)
{
	(void)hartid;
	if (rt_fdt_memory(fdt, &chaos.ram_base, &chaos.ram_size) || rt_timer_init(fdt)) {
		printf("chaos: cannot read my device tree\n");
		return 1;
	}
	if (arg(fdt, "victim=", 0))
		return chaos_victim();
	chaos.seed = arg(fdt, "seed=", 1);
	uint64_t ops = arg(fdt, "ops=", 3000);
	chaos.block = arg(fdt, "block=", 100);
	chaos.boot = restarts(fdt);
	if (chaos.block < 2)
		chaos.block = 2;
	if (chaos.boot == 0)
		printf("chaos: seed %lu, %lu ops, a faulting op every %lu\n",
		       (unsigned long)chaos.seed, (unsigned long)ops, (unsigned long)chaos.block);
	/* The last boot may have left them anything: a restart resets them. */
	chaos.scounteren = csr_read(0x106);
	chaos.senvcfg = csr_read(0x10a);
	if (chaos.scounteren != 7 || chaos.senvcfg)
		chaos_odd((uint64_t)chaos.boot * chaos.block, "scounteren/senvcfg not reset",
			  chaos.scounteren << 32 | chaos.senvcfg);

	for (uint64_t i = (uint64_t)chaos.boot * chaos.block; i < ops; i++) {
		switch (kind_of(i, ops)) {
		case K_FAULT:
			chaos_fault_op(&chaos, i);
			/* Still here: the op did not fault. */
			break;
		case K_SBI:
			chaos_ecall_op(&chaos, i);
			break;
		case K_MEMORY:
			memory_op(i);
			break;
		case K_CSR_READ:
			chaos_csr_op(&chaos, i);
			break;
		case K_CSR_WRITE:
			chaos_csr_write_op(&chaos, i);
			break;
		case K_DEVICE:
			chaos_device_op(&chaos, i);
			break;
		default:
			chaos_hart_start_op(&chaos, i);
			break;
		}
	}
	printf("chaos: %lu ops done, %u restarts\n", (unsigned long)ops, chaos.boot);
	op_mix(ops);
	if (chaos.odd)
		printf("chaos: %u odd results in the last run\n", chaos.odd);
	return 0;
}
