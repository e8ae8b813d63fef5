/* Calls the hypervisor makes into the SBI firmware (OpenSBI) below it.
 * What guests call in us is vsbi_*; never both in one file. */
#ifndef SEPTA_SBI_H
#define SEPTA_SBI_H

#include <stdint.h>

#include "sbi_spec.h"

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2);
int sbi_set_timer(uint64_t stime);
int sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque);
int sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
void sbi_system_reset(unsigned long type, unsigned long reason);

#endif
