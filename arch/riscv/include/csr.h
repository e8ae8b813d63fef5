/* RISC-V CSR numbers and bits the hypervisor uses (privileged spec 1.12,
 * H extension), and the accessors. Only arch/riscv includes this. */
#ifndef SEPTA_CSR_H
#define SEPTA_CSR_H

#define CSR_STIMECMP  0x14d /* Sstc; spelled as numbers for older assemblers */
#define CSR_VSTIMECMP 0x24d
/* Supervisor CSRs with no VS copy: a guest in VS-mode reaches the real ones. */
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10a

/* sstatus */
#define SSTATUS_SIE	   (1UL << 1)
#define SSTATUS_SPIE	   (1UL << 5)
#define SSTATUS_SPP	   (1UL << 8)
#define SSTATUS_FS	   (3UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN   (2UL << 13)
#define SSTATUS_FS_DIRTY   (3UL << 13)

/* hstatus */
#define HSTATUS_GVA	(1UL << 6)
#define HSTATUS_SPV	(1UL << 7)
#define HSTATUS_SPVP	(1UL << 8)
#define HSTATUS_VTW	(1UL << 21)
#define HSTATUS_VSXL_64 (2UL << 32)

/* interrupts: bit numbers in sip/sie/hvip and scause */
#define IRQ_S_SOFT   1
#define IRQ_VS_SOFT  2
#define IRQ_S_TIMER  5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT    9
#define IRQ_VS_EXT   10
#define MIP_SSIP     (1UL << IRQ_S_SOFT)
#define MIP_STIP     (1UL << IRQ_S_TIMER)
#define MIP_SEIP     (1UL << IRQ_S_EXT)
#define MIP_VSSIP    (1UL << IRQ_VS_SOFT)
#define MIP_VSTIP    (1UL << IRQ_VS_TIMER)
#define MIP_VSEIP    (1UL << IRQ_VS_EXT)

/* scause exception codes */
#define CAUSE_INTERRUPT		   (1UL << 63)
#define EXC_INST_MISALIGNED	   0
#define EXC_INST_ACCESS		   1
#define EXC_ILLEGAL_INST	   2
#define EXC_BREAKPOINT		   3
#define EXC_LOAD_MISALIGNED	   4
#define EXC_LOAD_ACCESS		   5
#define EXC_STORE_MISALIGNED	   6
#define EXC_STORE_ACCESS	   7
#define EXC_ECALL_U		   8
#define EXC_ECALL_HS		   9
#define EXC_ECALL_VS		   10
#define EXC_INST_PAGE_FAULT	   12
#define EXC_LOAD_PAGE_FAULT	   13
#define EXC_STORE_PAGE_FAULT	   15
#define EXC_INST_GUEST_PAGE_FAULT  20
#define EXC_LOAD_GUEST_PAGE_FAULT  21
#define EXC_VIRTUAL_INST	   22
#define EXC_STORE_GUEST_PAGE_FAULT 23

/* hgatp */
#define HGATP_MODE_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT  44
#define HGATP_VMID_MASK	  (0x3fffUL << HGATP_VMID_SHIFT)

/* henvcfg */
#define HENVCFG_STCE (1UL << 63)

#define __CSR_STR(x) #x
#define CSR_STR(x)   __CSR_STR(x)

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__ __volatile__("csrr %0, " CSR_STR(csr) : "=r"(__v) : : "memory");           \
		__v;                                                                               \
	})

#define csr_write(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ __volatile__("csrw " CSR_STR(csr) ", %0" : : "rK"(__v) : "memory");        \
	})

#define csr_set(csr, val)                                                                          \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ __volatile__("csrs " CSR_STR(csr) ", %0" : : "rK"(__v) : "memory");        \
	})

#define csr_clear(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ __volatile__("csrc " CSR_STR(csr) ", %0" : : "rK"(__v) : "memory");        \
	})

#endif
