/* fpu: fills all 32 f registers, fcsr, scounteren and senvcfg with values
 * from a per-guest seed, spins for longer than a timeslice so other vCPUs
 * run on the hart, and checks nothing changed, FPU_ROUNDS times.  Two fpu
 * guests with different seeds on one hart show the hypervisor keeps their
 * state apart: scounteren and senvcfg have no VS copies, so VS-mode writes
 * the hart's own, and only switching keeps them per guest.  At boot both
 * must read as a fresh hart gives them (scounteren 7, senvcfg 0). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

#define FPU_ROUNDS 200
/* Longer than septa's usual 10 ms slice: a switch happens inside each hold. */
#define FPU_SPIN_MS 12

const char rt_guest_name[] = "fpu";

/* fregs.S */
unsigned long fregs_hold(const uint64_t in[32], uint64_t out[32], unsigned long fcsr,
			 uint64_t until);

/* splitmix64: a well-mixed 64-bit sequence from any seed. */
static uint64_t next_value(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* "seed=N" in bootargs if there, else the RAM size: differs between guests
 * without any config. */
static uint64_t pick_seed(const void *fdt)
{
	const char *seed = strstr(rt_bootargs(fdt), "seed=");
	uint64_t base, size;

	if (seed)
		return strtoull(seed + 5, NULL, 0);
	if (rt_fdt_memory(fdt, &base, &size) == 0)
		return size;
	return 1;
}

#define SCOUNTEREN_RESET 7

static unsigned long scounteren_read(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, 0x106" : "=r"(v));
	return v;
}

static unsigned long senvcfg_read(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, 0x10a" : "=r"(v));
	return v;
}

/* Writes v and returns what stuck (both registers are WARL). */
static unsigned long scounteren_write(unsigned long v)
{
	__asm__ volatile("csrw 0x106, %0" : : "r"(v));
	return scounteren_read();
}

static unsigned long senvcfg_write(unsigned long v)
{
	__asm__ volatile("csrw 0x10a, %0" : : "r"(v));
	return senvcfg_read();
}

int main(unsigned long hartid, const void *fdt)
{
	uint64_t in[32], out[32], state;
	unsigned long fcsr, got;
	int rc;

	(void)hartid;
	rc = rt_timer_init(fdt);
	if (rc) {
		printf("fpu: cannot read timebase from device tree: %s\n", fdt_strerror(rc));
		return 1;
	}
	/* FS = Initial before the first FP instruction (the runtime has done it
	 * already for this hard-float build; saying so costs nothing). */
	rt_fpu_enable();
	state = pick_seed(fdt);
	if (scounteren_read() != SCOUNTEREN_RESET || senvcfg_read() != 0) {
		printf("fpu: FAIL at boot: scounteren 0x%lx senvcfg 0x%lx, not as reset\n",
		       scounteren_read(), senvcfg_read());
		return 1;
	}

	for (int round = 1; round <= FPU_ROUNDS; round++) {
		for (int i = 0; i < 32; i++)
			in[i] = next_value(&state);
		/* frm: a valid rounding mode (0-4) in bits 7:5; fflags in 4:0. */
		fcsr = (next_value(&state) % 5) << 5 | (state & 0x1f);
		/* CY, TM, IR and FIOM: the bits every hart has. */
		unsigned long cnt = scounteren_write(next_value(&state) & 7);
		unsigned long env = senvcfg_write(next_value(&state) & 1);
		got = fregs_hold(in, out, fcsr, rt_time() + rt_ms_to_time(FPU_SPIN_MS));
		if (scounteren_read() != cnt || senvcfg_read() != env) {
			printf("fpu: FAIL round %d scounteren 0x%lx senvcfg 0x%lx, expected 0x%lx "
			       "0x%lx\n",
			       round, scounteren_read(), senvcfg_read(), cnt, env);
			return 1;
		}
		for (int i = 0; i < 32; i++) {
			if (out[i] != in[i]) {
				printf("fpu: FAIL round %d reg f%d\n", round, i);
				return 1;
			}
		}
		if (got != fcsr) {
			printf("fpu: FAIL round %d fcsr 0x%lx, expected 0x%lx\n", round, got, fcsr);
			return 1;
		}
	}
	printf("fpu: %d rounds ok\n", FPU_ROUNDS);
	return 0;
}
