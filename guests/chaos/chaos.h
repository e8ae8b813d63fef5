/* chaos: what its files share. */
#ifndef CHAOS_H
#define CHAOS_H

#include <stdint.h>

struct chaos {
	uint64_t seed, block;
	uint32_t boot; /* /chosen/septa,restarts: this boot runs block `boot` */
	uint64_t ram_base, ram_size;
	unsigned odd;			   /* results that broke a rule, this boot */
	unsigned long scounteren, senvcfg; /* as we last left them */
};
extern struct chaos chaos;

/* Random word k of op i. */
uint64_t chaos_rand(uint64_t seed, uint64_t i, unsigned k);
/* Reports a result that breaks a rule. */
void chaos_odd(uint64_t i, const char *what, unsigned long x);

/* One SBI call with random extension, function and arguments. */
void chaos_ecall_op(struct chaos *c, uint64_t i);
/* A read of a CSR that VS-mode may read. */
void chaos_csr_op(struct chaos *c, uint64_t i);
/* A random write of scounteren, senvcfg, sscratch or stvec. */
void chaos_csr_write_op(struct chaos *c, uint64_t i);
/* A misaligned or RAM-to-device access to the vUART or vPLIC. */
void chaos_device_op(struct chaos *c, uint64_t i);
/* HSM hart_start of vCPU 1. */
void chaos_hart_start_op(struct chaos *c, uint64_t i);
/* The victim ticker of a long run (bootargs victim=1); never returns. */
int chaos_victim(void);
/* An op that must fault; returns only if it did not (reported as odd). */
void chaos_fault_op(struct chaos *c, uint64_t i);

#endif
