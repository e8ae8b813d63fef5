/* A test-and-set spinlock on the compiler's atomics (RISC-V: amoswap). */
#ifndef SEPTA_SPINLOCK_H
#define SEPTA_SPINLOCK_H

typedef struct {
	int locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
