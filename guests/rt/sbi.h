/* The SBI calls the demo guests make to whatever runs below them: OpenSBI
 * when run natively, septa's virtual SBI when run as a VS-mode guest. */
#ifndef RT_SBI_H
#define RT_SBI_H

#include <stdint.h>

/* Extension ids (SBI spec v2.0). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE	       0x10
#define SBI_EXT_TIME	       0x54494D45 /* "TIME" */
#define SBI_EXT_SRST	       0x53525354 /* "SRST" */
#define SBI_EXT_DBCN	       0x4442434E /* "DBCN" */

#define SBI_SRST_SHUTDOWN  0
#define SBI_SRST_NO_REASON 0

/* What every non-legacy SBI call returns in a0 (error) and a1 (value). */
struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2);

/* BASE probe_extension: 0 when the extension is absent, nonzero when present. */
long sbi_probe_extension(unsigned long eid);

/* Legacy console_putchar: one byte, no error report. */
void sbi_console_putchar(char ch);

/* DBCN console_write: may write fewer than len bytes; value says how many. */
struct sbiret sbi_debug_console_write(const void *buf, unsigned long len);

/* TIME set_timer: a timer interrupt becomes pending once time >= stime.  Any
 * call clears a pending one; UINT64_MAX means "never". */
void sbi_set_timer(uint64_t stime);

/* SRST system_reset: returns only on failure. */
struct sbiret sbi_system_reset(uint32_t type, uint32_t reason);

#endif
