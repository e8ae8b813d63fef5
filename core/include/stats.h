/* Scheduler statistics, printed at power-off and by the monitor. */
#ifndef SEPTA_STATS_H
#define SEPTA_STATS_H

#include <stdint.h>

/* Host time when the hypervisor started, for hart uptimes. */
extern uint64_t stats_boot_time;

/* One line per vCPU and per hart, tagged [septa], in a fixed format:
 *   stats vcpu NAME.ID hart H run_ms R alive_ms A share P% slices S sbi N
 *     timer_irqs T ipis I traps timer=.. irq=.. sbi=.. wfi=.. mmio=.. fault=.. other=..
 *   stats hart H up_ms U idle_ms I idle P%                                  */
void stats_print(void);

#endif
