/* chaos's device ops: misaligned accesses to its virtual UART and PLIC, and
 * accesses that start in RAM and run into their page (through Sv39 tables
 * of our own). A device register is accessed whole and aligned, so each
 * must reach our kernel as a misaligned exception at the access's start,
 * with no byte of it done: an access emulated, another exception, or a RAM
 * byte changed by a store is ODD. */
#include <stddef.h>

#include "chaos.h"
#include "rt.h"

#define UART	      0x10000000UL
#define UART_SIZE     0x100
#define PLIC	      0x0c000000UL
#define PLIC_SIZE     0x80 /* the priority registers: any offset there is a register */
#define EXC_LOAD_MIS  4
#define EXC_STORE_MIS 6

/*   PTE: | PPN (44) | RSW | D A G U X W R V |
 * VA 0x80000000.. is RAM as it is (a 1 GiB leaf: code, stack, data keep
 * working); VA 0xc0000000 + 2 d pages map ram[d] and + 2 d + 1 the device
 * d (0 UART, 1 PLIC), so the device page follows a RAM page. */
#define PTE_V	  (1UL << 0)
#define PTE_RWX	  (7UL << 1)
#define PTE_A	  (1UL << 6)
#define PTE_D	  (1UL << 7)
#define PTE_LEAF  (PTE_RWX | PTE_A | PTE_D | PTE_V)
#define SATP_SV39 (8UL << 60)
#define WINDOW	  0xc0000000UL

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t mid[512] __attribute__((aligned(4096)));
static uint64_t leaf[512] __attribute__((aligned(4096)));
static volatile uint8_t ram[2][4096] __attribute__((aligned(4096)));

static uint64_t pte(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << 10) | flags;
}

static void tables(const struct chaos *c)
{
	root[2] = pte(c->ram_base & ~0x3fffffffUL, PTE_LEAF);
	root[3] = pte((uint64_t)(uintptr_t)mid, PTE_V);
	mid[0] = pte((uint64_t)(uintptr_t)leaf, PTE_V);
	for (unsigned d = 0; d < 2; d++) {
		leaf[2 * d] = pte((uint64_t)(uintptr_t)ram[d], PTE_LEAF);
		leaf[2 * d + 1] = pte(d ? PLIC : UART, PTE_LEAF);
	}
}

/* One access of `width` bytes at a, load or store, inside rt_catch. */
static long access(uint64_t a, unsigned width, int store, uint64_t v, unsigned long *tval)
{
	rt_catch_begin();
	switch (width * 2 + store) {
	case 4:
		__asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	case 5:
		__asm__ volatile("sh %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	case 8:
		__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	case 9:
		__asm__ volatile("sw %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	case 16:
		__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	default:
		__asm__ volatile("sd %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	}
	return rt_catch_end(tval, NULL);
}

void chaos_device_op(struct chaos *c, uint64_t i)
{
	uint64_t r = chaos_rand(c->seed, i, 1), v = chaos_rand(c->seed, i, 2);
	unsigned width = 2u << (r % 3), dev = (r >> 2) & 1, store = (r >> 3) & 1;
	int cross = (r >> 4) & 1;
	unsigned long tval = 0;
	uint64_t a, before = 0, after = 0;
	long cause;

	if (cross) {
		/* 1 .. width-1 bytes in RAM, the rest in the device page. */
		unsigned in_ram = 1 + (unsigned)((r >> 8) % (width - 1));
		volatile uint64_t *tail = (volatile uint64_t *)&ram[dev][4096 - 8];

		a = WINDOW + (2 * dev + 1) * 4096UL - in_ram;
		*tail = v ^ 0x5555555555555555ULL;
		before = *tail;
		tables(c);
		__asm__ volatile("csrw satp, %0\n\tsfence.vma"
				 :
				 : "r"(SATP_SV39 | ((uint64_t)(uintptr_t)root >> 12))
				 : "memory");
		cause = access(a, width, store, v, &tval);
		__asm__ volatile("csrw satp, zero\n\tsfence.vma" : : : "memory");
		after = *tail;
	} else {
		/* Misaligned for its width, inside the device's registers. */
		uint64_t size = dev ? PLIC_SIZE : UART_SIZE;
		uint64_t off = (r >> 8) % (size - width);

		if (!(off % width))
			off++;
		a = (dev ? PLIC : UART) + off;
		cause = access(a, width, store, v, &tval);
	}
	if (cause < 0)
		chaos_odd(i, "misaligned device access emulated; address", a);
	else if (cause != (store ? EXC_STORE_MIS : EXC_LOAD_MIS) || tval != a)
		chaos_odd(i, "misaligned device access: wrong exception; scause", cause);
	else if (after != before)
		chaos_odd(i, "RAM bytes before the device page changed by a refused store", after);
}
