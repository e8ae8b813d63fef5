/* The hypervisor monitor: a command line on the console (Ctrl-] m) to list
 * guests, read statistics, stop, start and restart guests, move focus and
 * power off. */
#ifndef SEPTA_MONITOR_H
#define SEPTA_MONITOR_H

#include <stdint.h>

/* A key for the monitor (it has focus). */
void monitor_key(uint8_t c);
/* Shows the prompt on an open line. */
void monitor_prompt(void);
/* Runs one command line; its output goes to the console. Exposed so that
 * every command can be driven without a keyboard. */
void monitor_run(char *line);

#endif
