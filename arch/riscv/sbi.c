/* The hypervisor's calls down into OpenSBI: one ecall wrapper with the SBI
 * calling convention (a7 = extension, a6 = function, a0.. = arguments,
 * error in a0 and value in a1 back), and the few calls septa makes. */
#include "sbi.h"

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){.error = (long)r0, .value = (long)r1};
}

int sbi_set_timer(uint64_t stime)
{
	return (int)sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0).error;
}

int sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque)
{
	return (int)sbi_ecall(SBI_EXT_HSM, 0, hartid, addr, opaque).error;
}

void sbi_system_reset(unsigned long type, unsigned long reason)
{
	sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0);
}

int sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return (int)sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0).error;
}
