/* chaos: what its files share. */
#ifndef CHAOS_H
#define CHAOS_H

#include <stdint.h>

struct chaos {
	uint64_t seed;
	uint64_t ram_base, ram_size;
	unsigned odd; /* results that broke a rule, this boot */
};

/* Random word k of op i. */
uint64_t chaos_rand(uint64_t seed, uint64_t i, unsigned k);
/* Reports a result that breaks a rule. */
void chaos_odd(uint64_t i, const char *what, unsigned long x);

/* One SBI call with random extension, function and arguments. */
void chaos_ecall_op(struct chaos *c, uint64_t i);
/* A read of a CSR that VS-mode may read. */
void chaos_csr_op(struct chaos *c, uint64_t i);
/* An op that must fault; returns only if it did not (reported as odd). */
void chaos_fault_op(struct chaos *c, uint64_t i);

#endif
