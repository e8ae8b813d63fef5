/* Boot-time facts read from the device tree the firmware hands us. */
#ifndef SEPTA_BOOT_H
#define SEPTA_BOOT_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info {
	unsigned harts;
	uint64_t ram_base, ram_size;
	uint64_t timebase_hz;
	bool color; /* "color" in /chosen/bootargs: the terminal is a TTY */
};

/* Reads the facts; returns 0 or a negative HV_E* with *why set. */
int boot_read_fdt(const void *fdt, struct boot_info *bi, const char **why);
/* Refuses to go on (panic with what differs) when the machine is not the one
 * the config was compiled for. */
void boot_check_machine(const struct boot_info *bi);

#endif
