/* Helpers shared by the septa-cfg unit tests: a board, configs from strings,
 * error-message checks and ELF files built in memory. */
#ifndef SEPTA_TEST_CFG_UTIL_H
#define SEPTA_TEST_CFG_UTIL_H

#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "board.h"
#include "cfg_model.h"

#define TEST_ISA "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"

/* What QEMU's dtb says for -smp 2 -m 512M. */
static inline struct cfg_board test_board(void)
{
	struct cfg_board b = {
	    .path = "board.dtb",
	    .harts = 2,
	    .ram_base = BOARD_RAM_BASE,
	    .ram_size = 512 * CFG_MIB,
	    .timebase = 10000000,
	};
	strcpy(b.isa, TEST_ISA);
	return b;
}

static const char duo_conf[] = "# configs/duo.conf\n"
			       "platform  = qemu-virt\n"
			       "harts     = 2          # physical harts: QEMU -smp\n"
			       "ram       = 512M       # machine RAM: QEMU -m\n"
			       "timeslice = 10ms\n"
			       "\n"
			       "[guest alpha]\n"
			       "image   = hello\n"
			       "memory  = 16M\n"
			       "vcpus   = 1\n"
			       "harts   = 0\n"
			       "color   = cyan\n"
			       "\n"
			       "[guest beta]\n"
			       "image   = ticker\n"
			       "memory  = 8M\n"
			       "harts   = 1\n";

/* Parse and check; returns the rc, the message in d. */
static inline int parse_check(const char *text, struct cfg_model *m, struct cfg_diag *d)
{
	memset(d, 0, sizeof *d);
	if (cfg_parse(text, "t.conf", m, d))
		return -1;
	return cfg_check_model(m, d);
}

/* The message must contain every substring given (NULL-terminated list). */
static inline void expect_msg(const struct cfg_diag *d, ...)
{
	va_list ap;
	const char *s;

	assert_int_equal(d->status, CFG_EXIT_CONFIG);
	va_start(ap, d);
	while ((s = va_arg(ap, const char *))) {
		if (!strstr(d->msg, s))
			fail_msg("message \"%s\" lacks \"%s\"", d->msg, s);
	}
	va_end(ap);
}

/* Config text must fail check(text, model, diag) with a message holding
 * the substrings. */
#define EXPECT_ERROR_FROM(check, text, ...)                                                        \
	do {                                                                                       \
		static struct cfg_model m_;                                                        \
		struct cfg_diag d_;                                                                \
		assert_int_equal(check(text, &m_, &d_), -1);                                       \
		expect_msg(&d_, __VA_ARGS__, NULL);                                                \
	} while (0)

/* Config text must fail parse/check with a message holding the substrings. */
#define EXPECT_CONF_ERROR(text, ...) EXPECT_ERROR_FROM(parse_check, text, __VA_ARGS__)

struct test_seg {
	uint64_t paddr, filesz, memsz;
	uint8_t fill;
};

/* Builds an ELF64 executable: the header, the program headers, then each
 * segment's file bytes filled with seg.fill. Returns the malloc'd file. */
static inline uint8_t *test_elf(const struct test_seg *segs, int n, uint64_t entry,
				uint16_t machine, size_t *len)
{
	size_t off = sizeof(Elf64_Ehdr) + n * sizeof(Elf64_Phdr), total = off;
	uint8_t *b;
	Elf64_Ehdr eh = {0};

	for (int i = 0; i < n; i++)
		total += segs[i].filesz;
	b = calloc(1, total);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof eh;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = n;
	memcpy(b, &eh, sizeof eh);
	for (int i = 0; i < n; i++) {
		Elf64_Phdr ph = {
		    .p_type = PT_LOAD,
		    .p_flags = PF_R | PF_X,
		    .p_offset = off,
		    .p_vaddr = segs[i].paddr,
		    .p_paddr = segs[i].paddr,
		    .p_filesz = segs[i].filesz,
		    .p_memsz = segs[i].memsz,
		    .p_align = 4,
		};
		memcpy(b + sizeof eh + i * sizeof ph, &ph, sizeof ph);
		memset(b + off, segs[i].fill, segs[i].filesz);
		off += segs[i].filesz;
	}
	*len = total;
	return b;
}

/* Writes len bytes to dir/name. */
static inline void test_write(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* What septa-cfg does after the model checks, with the board given and
 * images from dirs: the board half of check, then layout. */
static inline int test_check_layout(struct cfg_model *m, const struct cfg_board *b,
				    const char *const *dirs, int ndirs, struct cfg_diag *d)
{
	const struct cfg_image_source src = cfg_disk_source(dirs, ndirs);

	return cfg_check_against(m, b, d) || cfg_layout(m, b, &src, d) ? -1 : 0;
}

#endif
