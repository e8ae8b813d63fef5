/* The static partition tables: written as C by tools/septa-cfg from a config
 * file, compiled into the hypervisor, and read-only from then on. */
#ifndef SEPTA_CFG_TABLE_H
#define SEPTA_CFG_TABLE_H

#include <stdint.h>

#define CFG_MAX_GUESTS	 8
#define CFG_MAX_VCPUS	 8 /* per guest */
#define CFG_MAX_HARTS	 8
#define CFG_NAME_MAX	 16 /* including the terminating NUL */
#define CFG_MAX_DEVICES	 4  /* board devices granted to one guest */
#define CFG_DEV_IRQS	 2  /* interrupt lines of one granted device */
#define CFG_MAX_CHANNELS 4  /* [channel NAME] sections */
#define CFG_CHAN_MEMBERS 4  /* guests sharing one channel */

/* Where a guest's console goes: a virtual 16550 at the board UART's address
 * (the SBI console calls reach the same place), or nowhere (counted only). */
enum cfg_console {
	CFG_CONSOLE_UART = 0,
	CFG_CONSOLE_NONE = 1,
};

/* What happens when a guest faults. (SBI SRST does not go through this: a
 * shutdown stops the guest, a reboot restarts it without counting towards
 * restart_limit.) */
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

/* The doorbell: an SBI extension in the vendor range (0x09000000 plus
 * "CHN"); fid 0 rings (channel, member). doc/isolation.md says why a call. */
#define SEPTA_CHAN_EID 0x0943484eu

/* A guest's share of one channel: the channel's host memory mapped at gpa
 * (read-only unless writable), and the doorbell source the others raise in
 * this guest's virtual PLIC. */
struct cfg_chan_map {
	uint32_t channel; /* index in cfg_machine.channels */
	uint32_t member;  /* this guest's place in the channel's members */
	uint64_t gpa;
	uint32_t writable;
};

/* A [channel NAME]: size bytes of host memory at hpa, zeroed at boot,
 * shared by its members; guest[i] is member i, rung as source irq. */
struct cfg_channel {
	const char *name;
	uint64_t hpa, size; /* 4 KiB aligned */
	uint32_t irq;	    /* 1 .. 31, never the UART's */
	uint32_t nmembers;
	uint32_t guest[CFG_CHAN_MEMBERS]; /* indexes in cfg_machine.guests */
};

struct cfg_guest {
	const char *name;
	const char *color; /* ANSI SGR code for the console tag ("36"), or NULL */
	uint64_t gpa_base; /* guest-physical base of its RAM */
	uint64_t hpa_base; /* host-physical base of its RAM */
	uint64_t mem_size; /* bytes, a multiple of 4 KiB */
	uint64_t entry;	   /* guest-physical entry point of vCPU 0 */

	/* The image as septa-cfg flattened it: an ELF file's load segments
	 * (gaps zeroed), or a Linux Image as it is, at RAM base + its
	 * text_offset. image_size bytes to copy at image_gpa; the rest of
	 * guest RAM starts zeroed. */
	const uint8_t *image;
	uint64_t image_size;
	uint64_t image_gpa;

	/* The guest's own device tree, then its initrd if it has one: one
	 * blob at the top of its RAM, copied to dtb_gpa at every start. The
	 * device tree has room after it for what septa adds there at each
	 * start (/chosen/septa,restarts). */
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
	uint32_t nchans;
	struct cfg_chan_map chans[CFG_MAX_CHANNELS];
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
	uint32_t nchannels;
	const struct cfg_channel *channels;
};

extern const struct cfg_machine cfg_machine;

#endif
