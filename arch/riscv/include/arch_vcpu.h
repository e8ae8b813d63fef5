/* The RISC-V side of a vCPU: what the world switch saves and restores.
 * switch.S uses the offsets below; _Static_asserts in vcpu.c pin them. */
#ifndef SEPTA_ARCH_VCPU_H
#define SEPTA_ARCH_VCPU_H

/* Byte offsets for switch.S. */
#define AV_GPR(n)    ((n)*8) /* x0..x31; x0's slot is unused */
#define AV_SEPC	     (32 * 8)
#define AV_SSTATUS   (33 * 8)
#define AV_HSTATUS   (34 * 8)
#define AV_HOST_SP   (35 * 8)
#define AV_HOST_RA   (36 * 8)
#define AV_HOST_S(n) ((37 + (n)) * 8) /* s0..s11 */
#define AV_HOST_GP   (49 * 8)
#define AV_HOST_TP   (50 * 8)
#define AV_SCAUSE    (51 * 8)
#define AV_STVAL     (52 * 8)
#define AV_HTVAL     (53 * 8)
#define AV_HTINST    (54 * 8)
#define AV_INSN	     (55 * 8)

/* Sets of guest registers, bit n for xn. The fast paths of the vector
 * (switch.S) save the caller-saved ones and sp, gp, tp before calling C,
 * which keeps the rest (s0, s1 and s2-s11: x8, x9, x18-x27) as they are;
 * the leaf path saves only ra, t0-t2, a0 and a1. switch.S saves and loads
 * by these sets, and trap.c's device path reads them: one definition. */
#define AV_CALLER_SAVED_REGS 0xf003fcff
#define AV_LEAF_REGS	     ((1 << 1) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 10) | (1 << 11))
/* sp, gp and tp: the device path's leaf runs on the guest's, and the vector
 * saves them only when C needs its own. */
#define AV_SP_GP_TP ((1 << 2) | (1 << 3) | (1 << 4))

/* What mmio_leaf() and trap_mmio_fast() tell the vector (switch.S). */
#define MMIO_DONE     0 /* emulated: restore the caller-saved registers, sret */
#define MMIO_SLOW     1 /* not done: on to trap_mmio_fast(), or the slow path */
#define MMIO_ALL_REGS 2 /* the access names an s-register: save them, again */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct arch_fp {
	uint64_t f[32];
	uint64_t fcsr;
};

struct arch_vcpu {
	/* Saved by switch.S: the guest's registers and the CSRs sret needs. */
	uint64_t gpr[32];
	uint64_t sepc, sstatus, hstatus;
	/* The hypervisor's callee-saved registers while the guest runs. */
	uint64_t host_sp, host_ra, host_s[12], host_gp, host_tp;
	/* What the trap left behind. */
	uint64_t scause, stval, htval, htinst;
	long insn; /* device path: the instruction at sepc the vector read, or -1 */

	/* Saved in C, only when another vCPU takes the hart. */
	uint64_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	uint64_t vstimecmp; /* Sstc: the guest's own compare register */
	/* Not VS registers at all: VS-mode reaches the hart's own scounteren
	 * and senvcfg (the H extension has no VS copies), so they are the
	 * guest's while it runs and switched like the rest. */
	uint64_t scounteren, senvcfg;
	uint64_t hvip; /* the guest's pending virtual interrupts */
	uint64_t hgatp;
	uint64_t htimedelta;	       /* guest time = host time + this */
	struct arch_fp fp;	       /* valid while not live on a hart */
	bool fp_used;		       /* fp was saved dirty since its reset: not all zero */
	bool flush_fence_i, flush_vma; /* remote fences to do before entry */
	bool redirected;	       /* set_entry moved it during this trap */
	bool fast_done;		       /* the MMIO fast path did this trap's work */
	struct vcpu *vcpu;
};

void fp_save(struct arch_fp *fp);
void fp_restore(const struct arch_fp *fp);

/* Enters the guest; returns when it traps, with the trap CSRs saved. */
void vcpu_switch_to(struct arch_vcpu *av);

enum {
	REG_RA = 1,
	REG_SP = 2,
	REG_A0 = 10,
	REG_A1 = 11,
	REG_A2 = 12,
	REG_A3 = 13,
	REG_A4 = 14,
	REG_A5 = 15,
	REG_A6 = 16,
	REG_A7 = 17,
};
#endif

#endif
