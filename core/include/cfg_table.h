/* The static partition tables: written as C by tools/septa-cfg from a config
 * file, compiled into the hypervisor, and read-only from then on. */
#ifndef SEPTA_CFG_TABLE_H
#define SEPTA_CFG_TABLE_H

#include <stdint.h>

#define CFG_MAX_GUESTS 8
#define CFG_MAX_VCPUS  8 /* per guest */
#define CFG_MAX_HARTS  8
#define CFG_NAME_MAX   16 /* including the terminating NUL */

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
