/* mallory's memory attacks: loads, stores and a jump outside its RAM, into
 * devices it was not given, and page tables of its own whose walk leaves its
 * RAM. Guest-physical map as septa promises it: RAM at 0x80000000, a virtual
 * UART at 0x10000000 (0x100 bytes), a virtual PLIC at 0x0c000000, nothing
 * else. */
#include <stdio.h>
#include <string.h>

#include "mallory.h"
#include "rt.h"

/* Stand-ins for addresses known only at run time. */
#define AT_BELOW_RAM 1 /* the page just below RAM */
#define AT_AFTER_RAM 2 /* the first byte past RAM */
#define AT_VAULT     3 /* the vault's host-physical address (bootargs) */
#define AT_HV	     4 /* septa's image, host 0x80200000, if outside our RAM */

#define HV_HOST_BASE 0x80200000UL
#define POISON	     0x6d616c6cU /* "mall" */
/* QEMU virt's test device: 0x5555 written to it powers the machine off. */
#define TEST_FINISHER_PASS 0x5555U

static uint64_t resolve(uint64_t arg, const struct target *t)
{
	switch (arg) {
	case AT_BELOW_RAM:
		return t->ram_base - 0x1000;
	case AT_AFTER_RAM:
		return t->ram_base + t->ram_size;
	case AT_VAULT:
		return t->vault_hpa;
	case AT_HV:
		return HV_HOST_BASE;
	default:
		return arg;
	}
}

static int outside_ram(uint64_t a, const struct target *t)
{
	return a < t->ram_base || a - t->ram_base >= t->ram_size;
}

/* 32-bit accesses: the width every device model accepts, so a fault means
 * "nothing there for you", not "wrong width". */
static uint32_t load32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void store32(uint64_t a, uint32_t v)
{
	__asm__ volatile("sw %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
}

/* A step that cannot aim anywhere outside our RAM has nothing to attack. */
static int usable(unsigned n, const struct step *s, const struct target *t, uint64_t a)
{
	if (a && outside_ram(a, t))
		return 1;
	say_contained(n, s->name, "skipped: 0x%lx is not outside my RAM in this config",
		      (unsigned long)a);
	/* Keep the boot count right: this step was to end the boot. */
	say_attempt(n, s->name, "load from 0x%lx to end this boot",
		    (unsigned long)(t->ram_base + t->ram_size));
	load32(t->ram_base + t->ram_size);
	return 0;
}

static void mem_read(unsigned n, const struct step *s, const struct target *t)
{
	uint64_t a = resolve(s->arg, t);

	if (!usable(n, s, t, a))
		return;
	say_attempt(n, s->name, "load from guest-physical 0x%lx", (unsigned long)a);
	uint32_t v = load32(a);
	say_breach(n, s->name, "load from 0x%lx returned 0x%x", (unsigned long)a, v);
}

static void mem_write(unsigned n, const struct step *s, const struct target *t)
{
	uint64_t a = resolve(s->arg, t);
	uint32_t v = a == 0x100000 ? TEST_FINISHER_PASS : POISON;

	if (!usable(n, s, t, a))
		return;
	say_attempt(n, s->name, "store 0x%x to guest-physical 0x%lx", v, (unsigned long)a);
	store32(a, v);
	say_breach(n, s->name, "store to 0x%lx went through", (unsigned long)a);
}

/* Jumps there: the fetch must fault before anything runs. */
static void mem_exec(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	say_attempt(n, s->name, "jump to guest-physical 0x%lx", (unsigned long)s->arg);
	__asm__ volatile("jalr ra, 0(%0)" : : "r"(s->arg) : "ra", "memory");
	say_breach(n, s->name, "code at 0x%lx ran and returned", (unsigned long)s->arg);
}

/* The virtual PLIC holds a context for each of our vCPUs; hart 0's real
 * S-mode context is context 1 too, so a write there must land in our model
 * and read back from it, and never reach the real PLIC. */
static void plic_emulated(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	store32(s->arg, 7);
	uint32_t v = load32(s->arg);
	if (v == 7)
		say_contained(n, s->name, "0x%lx is the virtual PLIC: threshold 7 reads back 7",
			      (unsigned long)s->arg);
	else
		say_contained(n, s->name, "0x%lx reads back 0x%x", (unsigned long)s->arg, v);
	store32(s->arg, 0);
}

/* Sv39 page tables of our own whose walk leaves our RAM. The root maps
 * VA 0x80000000..0xbfffffff to itself (a 1 GiB leaf, so the code, stack and
 * console buffers keep working) and VA 0xc0000000.. as the step says.
 *
 *   PTE: | PPN (44) | RSW | D A G U X W R V |
 */
#define PTE_V	  (1UL << 0)
#define PTE_RWX	  (7UL << 1)
#define PTE_A	  (1UL << 6)
#define PTE_D	  (1UL << 7)
#define SATP_SV39 (8UL << 60)
#define PT_VA	  0xc0000000UL

static uint64_t root[512] __attribute__((aligned(4096)));

static uint64_t pte(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << 10) | flags | PTE_V;
}

static void satp_on(uint64_t root_pa)
{
	__asm__ volatile("csrw satp, %0\n\tsfence.vma"
			 :
			 : "r"(SATP_SV39 | (root_pa >> 12))
			 : "memory");
}

static void satp_off(void)
{
	__asm__ volatile("csrw satp, zero\n\tsfence.vma" : : : "memory");
}

/* arg: the guest-physical address of the next-level table (non-leaf) for
 * VA 0xc0000000; the walk has to read a PTE there. */
static void pt_walk(unsigned n, const struct step *s, const struct target *t)
{
	root[2] = pte(t->ram_base & ~0x3fffffffUL, PTE_RWX | PTE_A | PTE_D);
	root[3] = pte(s->arg, 0);
	say_attempt(n, s->name, "load from VA 0x%lx; the walk reads a PTE at 0x%lx", PT_VA,
		    (unsigned long)s->arg);
	satp_on((uint64_t)(uintptr_t)root);
	uint32_t v = load32(PT_VA);
	satp_off();
	say_breach(n, s->name, "load through a table at 0x%lx returned 0x%x", (unsigned long)s->arg,
		   v);
}

/* arg: the guest-physical address a 1 GiB leaf at VA 0xc0000000 maps. */
static void pt_leaf(unsigned n, const struct step *s, const struct target *t)
{
	root[2] = pte(t->ram_base & ~0x3fffffffUL, PTE_RWX | PTE_A | PTE_D);
	root[3] = pte(s->arg, PTE_RWX | PTE_A | PTE_D);
	say_attempt(n, s->name, "store to VA 0x%lx, mapped to guest-physical 0x%lx", PT_VA,
		    (unsigned long)s->arg);
	satp_on((uint64_t)(uintptr_t)root);
	store32(PT_VA, POISON);
	satp_off();
	say_breach(n, s->name, "store through a leaf to 0x%lx went through", (unsigned long)s->arg);
}

/* arg: where vsatp's root points. The next instruction fetch walks it. */
static void pt_root(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	say_attempt(n, s->name, "vsatp root at guest-physical 0x%lx", (unsigned long)s->arg);
	satp_on(s->arg);
	satp_off();
	say_breach(n, s->name, "ran with a root table at 0x%lx", (unsigned long)s->arg);
}

/* A device register is accessed whole and aligned. An 8-byte access that
 * starts 4 bytes before the end of a RAM page whose virtual neighbour maps
 * the virtual UART faults (for QEMU) on its second part, in the UART page;
 * a septa that emulated it there would lose the 4 RAM bytes of a load and
 * hand us a UART register instead, or put a byte of a store into the UART.
 * It must come to our kernel as a misaligned access at the start address,
 * with the RAM untouched; so must a misaligned access inside the UART page.
 * Anything else is a BREACH.
 *
 *   VA 0xc0000000 -> RAM page (ram_page), VA 0xc0001000 -> 0x10000000 */
#define EXC_LOAD_MISALIGNED  4
#define EXC_STORE_MISALIGNED 6
#define UART_GPA	     0x10000000UL
#define SPLIT_VA	     (PT_VA + 0x1000 - 4)

static uint64_t mid[512] __attribute__((aligned(4096)));
static uint64_t leaf[512] __attribute__((aligned(4096)));
static volatile uint8_t ram_page[4096] __attribute__((aligned(4096)));

/* Ends rt_catch_begin(): 1 when our kernel got exactly the misaligned
 * exception `want` for an access starting at `start`; else says why not. */
static int caught_misaligned(unsigned n, const char *name, const char *what, long want,
			     uint64_t start, uint64_t got)
{
	unsigned long tval;
	long cause = rt_catch_end(&tval, NULL);

	if (cause == want && tval == start)
		return 1;
	if (cause < 0)
		say_breach(n, name, "%s at 0x%lx was emulated (value 0x%lx)", what,
			   (unsigned long)start, (unsigned long)got);
	else
		say_breach(n, name, "%s at 0x%lx: our kernel got exception %ld stval 0x%lx", what,
			   (unsigned long)start, cause, tval);
	return 0;
}

void misaligned_into_uart(unsigned n, const struct step *s, const struct target *t)
{
	/* Low byte '\r', which the console drops, should it reach the THR. */
	const uint64_t value = 0x0123456789abc00dUL;
	uint64_t v = 0, before = 0, after = 0;
	int ok;

	for (unsigned i = 0; i < sizeof(ram_page); i++)
		ram_page[i] = (uint8_t)(0x11 * (i % 8 + 1));
	memcpy(&before, (const void *)&ram_page[4088], 8);
	root[2] = pte(t->ram_base & ~0x3fffffffUL, PTE_RWX | PTE_A | PTE_D);
	root[3] = pte((uint64_t)(uintptr_t)mid, 0);
	mid[0] = pte((uint64_t)(uintptr_t)leaf, 0);
	leaf[0] = pte((uint64_t)(uintptr_t)ram_page, PTE_RWX | PTE_A | PTE_D);
	leaf[1] = pte(UART_GPA, PTE_RWX | PTE_A | PTE_D);
	say_attempt(n, s->name, "ld and sd at VA 0x%lx, 4 bytes of RAM then the UART page",
		    SPLIT_VA);
	satp_on((uint64_t)(uintptr_t)root);
	rt_catch_begin();
	__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(SPLIT_VA) : "memory");
	ok = caught_misaligned(n, s->name, "ld", EXC_LOAD_MISALIGNED, SPLIT_VA, v);
	if (ok) {
		rt_catch_begin();
		__asm__ volatile("sd %0, 0(%1)" : : "r"(value), "r"(SPLIT_VA) : "memory");
		ok = caught_misaligned(n, s->name, "sd", EXC_STORE_MISALIGNED, SPLIT_VA, value);
	}
	satp_off();
	if (!ok)
		return;
	memcpy(&after, (const void *)&ram_page[4088], 8);
	if (after != before) {
		say_breach(n, s->name, "the RAM bytes before the UART page changed: 0x%lx -> 0x%lx",
			   (unsigned long)before, (unsigned long)after);
		return;
	}
	/* Inside the UART page: a word at IER + 0 (offset 1), and a halfword
	 * over the scratch register (offset 7), whose byte must not change. */
	uint8_t scr = *(volatile uint8_t *)(UART_GPA + 7);
	rt_catch_begin();
	v = load32(UART_GPA + 1);
	if (!caught_misaligned(n, s->name, "lw", EXC_LOAD_MISALIGNED, UART_GPA + 1, v))
		return;
	rt_catch_begin();
	__asm__ volatile("sh %0, 0(%1)" : : "r"(0xa5a5UL ^ scr), "r"(UART_GPA + 7) : "memory");
	if (!caught_misaligned(n, s->name, "sh", EXC_STORE_MISALIGNED, UART_GPA + 7, 0))
		return;
	if (*(volatile uint8_t *)(UART_GPA + 7) != scr) {
		say_breach(n, s->name, "the UART's scratch register changed");
		return;
	}
	say_contained(n, s->name,
		      "misaligned for ld/sd at 0x%lx, lw at 0x%lx, sh at 0x%lx; RAM 0x%lx intact",
		      SPLIT_VA, UART_GPA + 1, UART_GPA + 7, (unsigned long)after);
}

const struct step mem_steps[] = {
    {"read-below-ram", STEP_FAULTS, mem_read, AT_BELOW_RAM},
    {"write-below-ram", STEP_FAULTS, mem_write, AT_BELOW_RAM},
    {"read-after-ram", STEP_FAULTS, mem_read, AT_AFTER_RAM},
    {"write-after-ram", STEP_FAULTS, mem_write, AT_AFTER_RAM},
    {"read-gap", STEP_FAULTS, mem_read, 0x40000000},
    {"write-gap", STEP_FAULTS, mem_write, 0x40000000},
    {"read-4g", STEP_FAULTS, mem_read, 0x100000000},
    {"write-4g", STEP_FAULTS, mem_write, 0x100000000},
    {"read-6g", STEP_FAULTS, mem_read, 0x180000000},
    {"write-6g", STEP_FAULTS, mem_write, 0x180000000},
    {"read-top-of-gpa", STEP_FAULTS, mem_read, 0x1fffffffff0},
    {"read-hypervisor", STEP_FAULTS, mem_read, AT_HV},
    {"write-hypervisor", STEP_FAULTS, mem_write, AT_HV},
    {"read-vault-host", STEP_FAULTS, mem_read, AT_VAULT},
    {"write-vault-host", STEP_FAULTS, mem_write, AT_VAULT},
    {"read-clint", STEP_FAULTS, mem_read, 0x02000000},
    {"write-clint-msip", STEP_FAULTS, mem_write, 0x02000000},
    {"write-clint-mtimecmp", STEP_FAULTS, mem_write, 0x02004000},
    {"plic-context-1", STEP_CONTAINED, plic_emulated, 0x0c201000},
    {"write-plic-enable-hi", STEP_FAULTS, mem_write, 0x0c002084},
    {"write-plic-beyond-model", STEP_FAULTS, mem_write, 0x0c210000},
    {"read-plic-last-context", STEP_FAULTS, mem_read, 0x0c5ff004},
    {"read-past-uart", STEP_FAULTS, mem_read, 0x10000100},
    {"read-test-device", STEP_FAULTS, mem_read, 0x100000},
    {"write-test-device", STEP_FAULTS, mem_write, 0x100000},
    {"read-virtio", STEP_FAULTS, mem_read, 0x10001000},
    {"write-virtio", STEP_FAULTS, mem_write, 0x10001070},
    {"read-rtc", STEP_FAULTS, mem_read, 0x101000},
    {"exec-gap", STEP_FAULTS, mem_exec, 0x40000000},
    {"exec-virtio", STEP_FAULTS, mem_exec, 0x10001000},
    {"vsatp-root-outside", STEP_FAULTS, pt_root, 0x40000000},
    {"vsatp-walk-outside", STEP_FAULTS, pt_walk, 0x100000000},
    {"vsatp-leaf-outside", STEP_FAULTS, pt_leaf, 0x0},
    {"vsatp-walk-into-uart", STEP_FAULTS, pt_walk, 0x10000000},
};
const unsigned n_mem_steps = sizeof(mem_steps) / sizeof(mem_steps[0]);
