/* What the bench guest's files share: the probes in probes.S, the units a
 * figure is counted in, the sample set and the one report format. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "rt.h"

/* The two counters every probe can read.  Under QEMU with -icount, instret
 * (and cycle) is virtual nanoseconds, i.e. instructions << shift, summed over
 * all harts; time is the 10 MHz timebase of the board (100 ns a tick). */
enum unit { UNIT_TICKS, UNIT_INSTRET, UNIT_COUNT };

/* probes.S: each returns the counter delta across its one operation. */
uint64_t bench_empty_time(void);
uint64_t bench_empty_instret(void);
uint64_t bench_ecall_time(unsigned long eid, unsigned long fid);
uint64_t bench_ecall_instret(unsigned long eid, unsigned long fid);
uint64_t bench_ecall1_time(unsigned long eid, unsigned long fid, unsigned long arg0);
uint64_t bench_ecall1_instret(unsigned long eid, unsigned long fid, unsigned long arg0);
uint64_t bench_load8_time(const volatile uint8_t *addr);
uint64_t bench_load8_instret(const volatile uint8_t *addr);
uint64_t bench_store8_time(volatile uint8_t *addr, uint8_t val);
uint64_t bench_store8_instret(volatile uint8_t *addr, uint8_t val);
/* Sleeps with only the timer enabled; returns `time` as read by the first
 * instruction of the trap vector, and sets *before to `time` just before
 * the wait began. */
uint64_t bench_timer_wait(uint64_t *before, int busy);

/* Reads one counter. */
uint64_t bench_read(enum unit u);

/* One sample of a measure in unit u; a probe that fails calls bench_fail. */
typedef uint64_t (*bench_probe)(enum unit u);

/*
 * Takes n samples of probe in unit u (after one warm-up call), removes the
 * cost of reading the counter (the empty probe's minimum) and prints
 *   bench: <name> unit=<ticks|instret> n=<n> min=<..> median=<..> max=<..>
 */
void bench_measure(const char *name, enum unit u, unsigned long n, bench_probe probe);

/* Prints "bench: <name> n/a (<why>)" for a measure that does not apply. */
void bench_na(const char *name, const char *why);

/* Prints "bench: FAIL <what>" and shuts down. */
void bench_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Samples per measure (bootargs iters=N). */
extern unsigned long bench_iters;

/* crc.c: CRC-32 (IEEE, reflected) over a buffer of CRC_BYTES. */
#define CRC_BYTES (256UL * 1024)
void crc_init(void);
uint64_t crc_probe(enum unit u);
uint32_t crc_value(void);

/* The cost of reading each counter (the empty probe's minimum), which every
 * figure has taken off; in instret it is also what one instruction counts. */
extern uint64_t bench_overhead[UNIT_COUNT];

/* probes.S: the two halves of a vCPU switch (switch.c). */
void bench_switch_leave(volatile uint64_t *seq, uint64_t *before, uint64_t deadline);
uint64_t bench_switch_enter(const volatile uint64_t *seq, uint64_t seen);

/* ipi.c: the second vCPU, started on fn for a measure and stopped after it
 * (fn calls peer_up first, and returns when told to stop); and the
 * IPI round trip to it, whose peer is ipi_peer. */
void peer_start(unsigned long boot_hart, rt_hart_fn fn);
void peer_up(void);
unsigned long peer_hart(void);
void peer_stop(void);
void ipi_peer(unsigned long hartid, void *arg);
uint64_t ipi_probe(enum unit u);

/* switch.c: the vCPU switch (under septa only: both vCPUs on one hart). */
void switch_start(unsigned long boot_hart);
uint64_t switch_probe(enum unit u);
void switch_stop(void);

#endif
