/* The SBI calls the demo guests make to whatever runs below them: OpenSBI
 * when run natively, septa's virtual SBI when run as a VS-mode guest. */
#ifndef RT_SBI_H
#define RT_SBI_H

#include <stdint.h>

/* Extension ids (SBI spec v2.0). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_BASE	       0x10
#define SBI_EXT_TIME	       0x54494D45 /* "TIME" */
#define SBI_EXT_IPI	       0x735049	  /* "sPI" */
#define SBI_EXT_RFENCE	       0x52464E43 /* "RFNC" */
#define SBI_EXT_HSM	       0x48534D	  /* "HSM" */
#define SBI_EXT_SRST	       0x53525354 /* "SRST" */
#define SBI_EXT_DBCN	       0x4442434E /* "DBCN" */

/* Standard error codes, returned in sbiret.error. */
#define SBI_SUCCESS		  0
#define SBI_ERR_FAILED		  (-1)
#define SBI_ERR_NOT_SUPPORTED	  (-2)
#define SBI_ERR_INVALID_PARAM	  (-3)
#define SBI_ERR_DENIED		  (-4)
#define SBI_ERR_INVALID_ADDRESS	  (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED	  (-7)
#define SBI_ERR_ALREADY_STOPPED	  (-8)

/* HSM hart states, as hart_get_status reports them. */
#define SBI_HSM_STARTED		0
#define SBI_HSM_STOPPED		1
#define SBI_HSM_START_PENDING	2
#define SBI_HSM_STOP_PENDING	3
#define SBI_HSM_SUSPENDED	4
#define SBI_HSM_SUSPEND_PENDING 5
#define SBI_HSM_RESUME_PENDING	6

/* HSM hart_suspend types: retentive returns like wfi, non-retentive resumes
 * at resume_addr as a fresh hart_start would. */
#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000

#define SBI_SRST_SHUTDOWN  0
#define SBI_SRST_NO_REASON 0

/* What every non-legacy SBI call returns in a0 (error) and a1 (value). */
struct sbiret {
	long error;
	long value;
};

/* The ecall itself, with up to three or up to five arguments. */
struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2);
struct sbiret sbi_ecall5(unsigned long eid, unsigned long fid, unsigned long arg0,
			 unsigned long arg1, unsigned long arg2, unsigned long arg3,
			 unsigned long arg4);

/* BASE probe_extension: 0 when the extension is absent, nonzero when present. */
long sbi_probe_extension(unsigned long eid);

/* Legacy console_putchar: one byte, no error report. */
void sbi_console_putchar(char ch);

/* Legacy console_getchar: a typed byte, or -1 when none is waiting. */
long sbi_console_getchar(void);

/* DBCN console_write: may write fewer than len bytes; value says how many. */
struct sbiret sbi_debug_console_write(const void *buf, unsigned long len);

/* TIME set_timer: a timer interrupt becomes pending once time >= stime.  Any
 * call clears a pending one; UINT64_MAX means "never". */
void sbi_set_timer(uint64_t stime);

/*
 * Hart masks: bit i of hart_mask stands for hart hart_mask_base + i;
 * hart_mask_base = -1UL means "every hart" (hart_mask is then ignored).
 */

/* IPI send_ipi: a supervisor software interrupt (sip.SSIP) on every hart in
 * the mask; SBI_ERR_INVALID_PARAM if one of them does not exist. */
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);

/* RFENCE: fence.i, or sfence.vma over [start, start + size) (size 0 with
 * start 0, or size -1UL: everything), on the harts in the mask. */
struct sbiret sbi_remote_fence_i(unsigned long hart_mask, unsigned long hart_mask_base);
struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long hart_mask_base,
				    unsigned long start, unsigned long size);
struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base,
					 unsigned long start, unsigned long size,
					 unsigned long asid);

/* HSM: start a stopped hart at start_addr (a0 = hartid, a1 = opaque, MMU
 * off), stop the calling hart (returns only on failure), read a hart's
 * state (value = SBI_HSM_*), suspend the calling hart. */
struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque);
struct sbiret sbi_hart_stop(void);
struct sbiret sbi_hart_get_status(unsigned long hartid);
struct sbiret sbi_hart_suspend(uint32_t type, unsigned long resume_addr, unsigned long opaque);

/* SRST system_reset: returns only on failure. */
struct sbiret sbi_system_reset(uint32_t type, uint32_t reason);

#endif
