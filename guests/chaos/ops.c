/* chaos's ops: random SBI calls, CSR reads and writes, hart_start of vCPU
 * 1, and faulting accesses. */
#include <stdio.h>

#include "chaos.h"
#include "rt.h"

/* Extensions worth hitting often; any other id is a random 32-bit one. */
static const unsigned long exts[] = {
    SBI_EXT_BASE,
    SBI_EXT_TIME,
    SBI_EXT_IPI,
    SBI_EXT_RFENCE,
    SBI_EXT_HSM,
    SBI_EXT_DBCN,
    0x00,
    0x02,
    0x03,
    0x04,
    0x05,
    0x06,
    0x07,
    0x08,
    0x0f,
    0x504d55 /* PMU */,
    0x535441 /* STA */,
};
#define NEXTS (sizeof(exts) / sizeof(exts[0]))

#define HSM_START      0
#define HSM_STOP       1
#define HSM_STATUS     2
#define HSM_SUSPEND    3
#define DBCN_WRITE     0
#define DBCN_WRITE_B   2
#define LEGACY_PUTC    0x01
#define SBI_ERR_LOWEST (-10)

/* A random argument: small numbers, addresses in our RAM, all ones, or
 * anything. */
static unsigned long rand_arg(const struct chaos *c, uint64_t r)
{
	switch (r & 3) {
	case 0:
		return (r >> 2) % 16;
	case 1:
		return c->ram_base + (r >> 2) % c->ram_size;
	case 2:
		return ~0UL;
	default:
		return r >> 2;
	}
}

static int inside_ram(const struct chaos *c, unsigned long a, unsigned long len)
{
	return a >= c->ram_base && a - c->ram_base < c->ram_size &&
	       len <= c->ram_size - (a - c->ram_base);
}

void chaos_ecall_op(struct chaos *c, uint64_t i)
{
	uint64_t r = chaos_rand(c->seed, i, 1);
	unsigned long ext =
	    r % (NEXTS + 2) < NEXTS ? exts[r % (NEXTS + 2)] : (unsigned long)(uint32_t)(r >> 32);
	unsigned long fid = chaos_rand(c->seed, i, 2) % 8;
	unsigned long a[5];

	for (unsigned k = 0; k < 5; k++)
		a[k] = rand_arg(c, chaos_rand(c->seed, i, 3 + k));
	/* Calls that would end or park this guest, or print noise. */
	if (ext == SBI_EXT_SRST || ext == LEGACY_PUTC)
		ext = SBI_EXT_BASE;
	if (ext == SBI_EXT_HSM && (fid == HSM_STOP || fid == HSM_SUSPEND))
		fid = HSM_STATUS;
	/* A vCPU of ours started at a random address would run garbage and
	 * fault outside the block's one fault: aim past any vCPU we have
	 * (septa gives at most 8). chaos_hart_start_op starts vCPU 1 properly. */
	if (ext == SBI_EXT_HSM && fid == HSM_START && a[0] >= 1 && a[0] < 8)
		a[0] += 8;
	if (ext == SBI_EXT_DBCN && fid == DBCN_WRITE_B)
		fid = DBCN_WRITE;
	if (ext == SBI_EXT_DBCN && fid == DBCN_WRITE && inside_ram(c, a[1], a[0]))
		a[0] = 0;

	struct sbiret ret = sbi_ecall5(ext, fid, a[0], a[1], a[2], a[3], a[4]);
	/* v0.1 ids answer in a0 alone; the rest must give a defined error. */
	if (ext > 0x0f && (ret.error > 0 || ret.error < SBI_ERR_LOWEST))
		chaos_odd(i, "SBI error code out of range", (unsigned long)ret.error);
}

void chaos_csr_op(struct chaos *c, uint64_t i)
{
	unsigned long v;

	switch (chaos_rand(c->seed, i, 1) % 10) {
	case 0:
		v = csr_read(sstatus);
		break;
	case 1:
		v = csr_read(sie);
		break;
	case 2:
		v = csr_read(stvec);
		break;
	case 3:
		v = csr_read(sscratch);
		break;
	case 4:
		v = csr_read(sip);
		break;
	case 5:
		v = csr_read(satp);
		break;
	case 6:
		v = csr_read(time);
		break;
	case 7:
		v = csr_read(cycle);
		break;
	case 8:
		v = csr_read(instret);
		break;
	default:
		__asm__ volatile("sfence.vma %0, %1"
				 :
				 : "r"(chaos_rand(c->seed, i, 2)), "r"(chaos_rand(c->seed, i, 3))
				 : "memory");
		v = 0;
		break;
	}
	(void)v;
}

/* scounteren and senvcfg have no VS copy: while we run they are the hart's
 * own, shared with whoever else runs there. What we last left in them must
 * still be there (septa switches them per vCPU); then one of the four CSRs
 * gets a random value. sscratch (our hart id) and stvec (our trap vector)
 * are put back at once; scounteren and senvcfg only matter to VU-mode,
 * which we never enter, so they stay for the next check and for the
 * restart, after which they must read as reset (main.c). */
void chaos_csr_write_op(struct chaos *c, uint64_t i)
{
	uint64_t r = chaos_rand(c->seed, i, 1), v = chaos_rand(c->seed, i, 2);
	unsigned long cnt = csr_read(0x106), env = csr_read(0x10a), keep;

	if (cnt != c->scounteren)
		chaos_odd(i, "scounteren changed under us; now", cnt);
	if (env != c->senvcfg)
		chaos_odd(i, "senvcfg changed under us; now", env);
	switch (r % 4) {
	case 0:
		csr_write(0x106, v);
		c->scounteren = csr_read(0x106);
		break;
	case 1:
		csr_write(0x10a, v);
		c->senvcfg = csr_read(0x10a);
		break;
	case 2:
		keep = csr_read(sscratch);
		csr_write(sscratch, v);
		if (csr_read(sscratch) != v)
			chaos_odd(i, "sscratch did not keep", v);
		csr_write(sscratch, keep);
		break;
	default:
		keep = csr_read(stvec);
		csr_write(stvec, v);
		csr_write(stvec, keep);
		if (csr_read(stvec) != keep)
			chaos_odd(i, "stvec not restored", csr_read(stvec));
		break;
	}
}

/* vCPU 1's entry: the op that started it must belong to this boot's
 * block, or septa started it on a request from an earlier run. It stops
 * when it returns. */
static void vcpu1_entry(unsigned long hartid, void *arg)
{
	uint64_t i = (uint64_t)(uintptr_t)arg;

	(void)hartid;
	if (i / chaos.block != chaos.boot)
		chaos_odd(i, "vcpu 1 started by an op of another boot; this boot",
			  (unsigned long)chaos.boot);
}

/* HSM hart_start of vCPU 1 on vcpu1_entry: started, already running, or no
 * such vCPU (a config with one) are all fine answers. */
void chaos_hart_start_op(struct chaos *c, uint64_t i)
{
	long rc = rt_hart_start(1, vcpu1_entry, (void *)(uintptr_t)i);

	(void)c;
	if (rc && rc != SBI_ERR_ALREADY_AVAILABLE && rc != SBI_ERR_INVALID_PARAM)
		chaos_odd(i, "hart_start of vcpu 1: error", (unsigned long)rc);
}

/* A guest-physical address outside our RAM and outside our two devices:
 * below 2^41 (the Sv39x4 guest-physical space) or anywhere at all. */
static uint64_t outside(const struct chaos *c, uint64_t r)
{
	uint64_t a = ((r & 1) ? r : r & ((1ULL << 41) - 1)) & ~7ULL;

	if ((a >= 0x0c000000 && a < 0x0c600000) || (a >= 0x10000000 && a < 0x10000100) ||
	    (a >= c->ram_base && a - c->ram_base < c->ram_size))
		a ^= 1ULL << 40;
	return a;
}

void chaos_fault_op(struct chaos *c, uint64_t i)
{
	uint64_t r = chaos_rand(c->seed, i, 1), a = outside(c, chaos_rand(c->seed, i, 2));
	unsigned long v = 0;

	/* Half the blocks end with a hart_start of vCPU 1 just before the
	 * fault: the restart then finds the request in flight. */
	if (r & 16)
		chaos_hart_start_op(c, i);
	switch (r % 8) {
	case 0:
	case 1:
		__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	case 2:
	case 3:
		__asm__ volatile("sd %0, 0(%1)" : : "r"(r), "r"(a) : "memory");
		break;
	case 4:
		__asm__ volatile("jalr ra, 0(%0)" : : "r"(a) : "ra", "memory");
		break;
	default:
		/* Hypervisor CSRs and instructions (virtual instructions) and
		 * machine CSRs (illegal ones) are our own kernel's business: it
		 * must get an illegal instruction. Then the block's fault. */
		rt_catch_begin();
		if (r % 8 == 5 && (r & 8))
			__asm__ volatile("csrr %0, 0x600" : "=r"(v)); /* hstatus */
		else if (r % 8 == 5)
			__asm__ volatile("csrw 0x680, zero"); /* hgatp */
		else if (r % 8 == 6 && (r & 8))
			__asm__ volatile("csrr %0, 0x341" : "=r"(v)); /* mepc */
		else if (r % 8 == 6)
			__asm__ volatile("csrw 0x3a0, %0" : : "r"(r)); /* pmpcfg0 */
		else
			__asm__ volatile(
			    ".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::
				: "memory");
		long cause = rt_catch_end(NULL, NULL);
		if (cause != 2)
			chaos_odd(i, "expected an illegal instruction in our kernel; scause",
				  (unsigned long)cause);
		__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	}
	chaos_odd(i, "expected a fault, none came; kind", (unsigned long)(r % 8));
	(void)v;
}
