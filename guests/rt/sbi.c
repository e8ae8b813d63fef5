/* SBI call wrappers: the ecall calling convention (a7 = extension, a6 =
 * function, a0.. = arguments; a0/a1 = error/value) in one place. */
#include "sbi.h"

struct sbiret sbi_ecall5(unsigned long eid, unsigned long fid, unsigned long arg0,
			 unsigned long arg1, unsigned long arg2, unsigned long arg3,
			 unsigned long arg4)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = arg3;
	register unsigned long a4 __asm__("a4") = arg4;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = eid;

	/* "memory": the callee may read buffers we pass by address (DBCN), and
	 * a call such as send_ipi orders our stores before the other hart runs. */
	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){.error = (long)a0, .value = (long)a1};
}

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2)
{
	return sbi_ecall5(eid, fid, arg0, arg1, arg2, 0, 0);
}

long sbi_probe_extension(unsigned long eid)
{
	/* BASE function 3 is probe_extension. */
	struct sbiret ret = sbi_ecall(SBI_EXT_BASE, 3, eid, 0, 0);

	return ret.error ? 0 : ret.value;
}

void sbi_console_putchar(char ch)
{
	/* Legacy extensions ignore the function id. */
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)ch, 0, 0);
}

long sbi_console_getchar(void)
{
	/* The legacy calls return their value in a0, where sbiret.error sits. */
	return sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

struct sbiret sbi_debug_console_write(const void *buf, unsigned long len)
{
	/* The MMU is off, so the pointer is the physical address the call wants;
	 * the "high" half is only for RV32. */
	return sbi_ecall(SBI_EXT_DBCN, 0, len, (unsigned long)buf, 0);
}

void sbi_set_timer(uint64_t stime)
{
	sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0);
}

struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0);
}

struct sbiret sbi_remote_fence_i(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_ecall(SBI_EXT_RFENCE, 0, hart_mask, hart_mask_base, 0);
}

struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long hart_mask_base,
				    unsigned long start, unsigned long size)
{
	return sbi_ecall5(SBI_EXT_RFENCE, 1, hart_mask, hart_mask_base, start, size, 0);
}

struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base,
					 unsigned long start, unsigned long size,
					 unsigned long asid)
{
	return sbi_ecall5(SBI_EXT_RFENCE, 2, hart_mask, hart_mask_base, start, size, asid);
}

struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start_addr, opaque);
}

struct sbiret sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, 1, 0, 0, 0);
}

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_HSM, 2, hartid, 0, 0);
}

struct sbiret sbi_hart_suspend(uint32_t type, unsigned long resume_addr, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 3, type, resume_addr, opaque);
}

struct sbiret sbi_system_reset(uint32_t type, uint32_t reason)
{
	return sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0);
}
