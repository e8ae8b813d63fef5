/* The static partition tables: written as C by tools/septa-cfg from a config
 * file, compiled into the hypervisor, and read-only from then on. */
#ifndef SEPTA_CFG_TABLE_H
#define SEPTA_CFG_TABLE_H

#include <stdint.h>

#define CFG_MAX_GUESTS	8
#define CFG_MAX_VCPUS	8 /* per guest */
#define CFG_MAX_HARTS	8
#define CFG_NAME_MAX	16 /* including the terminating NUL */
#define CFG_MAX_DEVICES 4  /* board devices granted to one guest */
#define CFG_DEV_IRQS	2  /* interrupt lines of one granted device */

/* Where a guest's console goes: a virtual 16550 at the board UART's address
 * (the SBI console calls reach the same place), or nowhere (counted only). */
enum cfg_console {
	CFG_CONSOLE_UART = 0,
	CFG_CONSOLE_NONE = 1,
};

/* What happens when a guest faults (and, for SRST, reboot = restart,
 * shutdown = stop). */
enum cfg_on_fault {
	CFG_FAULT_STOP = 0,    /* stop this guest; the others go on */
	CFG_FAULT_RESTART = 1, /* reload and restart it, with back-off and a limit */
	CFG_FAULT_HALT = 2,    /* stop the whole machine */
};

/* A board device granted to one guest: its MMIO registers mapped into the
 * guest at their own address, and nowhere else; its interrupt lines (board
 * PLIC sources) enabled on the physical PLIC and raised in the guest's
 * virtual PLIC under the same numbers. */
struct cfg_device {
	uint64_t base, size; /* 4 KiB aligned */
	uint32_t nirqs;
	uint32_t irqs[CFG_DEV_IRQS]; /* 1 .. 31: sources of the virtual PLIC too */
};

struct cfg_guest {
	const char *name;
	const char *color; /* ANSI SGR code for the console tag ("36"), or NULL */
	uint64_t gpa_base; /* guest-physical base of its RAM */
	uint64_t hpa_base; /* host-physical base of its RAM */
	uint64_t mem_size; /* bytes, a multiple of 4 KiB */
	uint64_t entry;	   /* guest-physical entry point of vCPU 0 */

	/* The image flattened from its ELF load segments: image_size bytes to
	 * copy at image_gpa; the rest of guest RAM starts zeroed. */
	const uint8_t *image;
	uint64_t image_size;
	uint64_t image_gpa;

	/* The guest's own device tree, copied to dtb_gpa (inside its RAM). */
	const uint8_t *dtb;
	uint64_t dtb_size;
	uint64_t dtb_gpa;

	uint32_t timeslice_us;		   /* round-robin slice on a shared hart */
	uint32_t nvcpus;		   /* 1 .. CFG_MAX_VCPUS */
	uint32_t vcpu_hart[CFG_MAX_VCPUS]; /* physical hart of each vCPU */

	uint32_t console;	    /* enum cfg_console */
	uint32_t on_fault;	    /* enum cfg_on_fault */
	uint32_t restart_limit;	    /* restarts allowed before the guest stays stopped */
	uint32_t restart_delay_us;  /* first back-off; doubles per restart, 0 = none */
	uint64_t restart_window_us; /* a run this long resets the count; 0 = never */
	uint32_t fault_dump;	    /* nonzero: a register dump follows the fault line */
	uint32_t ndevices;
	struct cfg_device devices[CFG_MAX_DEVICES];
};

struct cfg_machine {
	const char *config_path; /* the source file, for messages */
	uint32_t harts;		 /* physical harts: hart ids 0 .. harts-1 */
	uint64_t ram_base;	 /* machine RAM */
	uint64_t ram_size;
	uint64_t hv_base;  /* where the hypervisor image is loaded */
	uint64_t hv_limit; /* end of the region reserved for it */
	uint32_t nguests;
	const struct cfg_guest *guests;
};

extern const struct cfg_machine cfg_machine;

#endif
