/* Access to the supervisor CSRs the runtime uses, and their bit names.
 * Under septa these are the VS-mode copies; the guest cannot tell. */
#ifndef RT_CSR_H
#define RT_CSR_H

#define SSTATUS_SIE (1UL << 1)
/* sstatus.FS: the F/D unit's state; Off makes every FP instruction trap. */
#define SSTATUS_FS	   (3UL << 13)
#define SSTATUS_FS_OFF	   (0UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SIE_SSIE	   (1UL << 1)
#define SIE_STIE	   (1UL << 5)
#define SIE_SEIE	   (1UL << 9)
#define SIP_SSIP	   (1UL << 1)
#define SCAUSE_INTR	   (1UL << 63)
#define IRQ_S_SOFT	   1
#define IRQ_S_TIMER	   5
#define IRQ_S_EXT	   9

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory");                       \
		__v;                                                                               \
	})

#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " #csr ", %0" : : "rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" : : "rK"(val) : "memory")

#endif
