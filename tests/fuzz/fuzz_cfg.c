/* libFuzzer target: arbitrary bytes as a config file, through everything
 * `septa-cfg build` and `map` do short of touching the disk: parse, check,
 * guest dtbs, images, placement and every output.
 *
 * The board is fixed (QEMU virt's timebase and ISA) but takes harts and ram
 * from the config, so inputs get past the board check and reach placement.
 * Images come from memory: "tiny" (linked at 0x80000000; the seeds' guest
 * names hello, ticker, crasher and rt are the same), "high" (at 0x90000000,
 * outside small guests) and "junk" (not an ELF); any other name is not
 * found. Nothing is read or written but /dev/null, so runs are fast
 * and repeatable.
 *
 * Besides the sanitizers, it checks the contract of every step: a failure
 * leaves exactly one message, a one-line "fuzz.conf:LINE: ...", and never an
 * internal (I/O-class) error. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

#define CONF_PATH "fuzz.conf"

struct blob {
	const char *name;
	uint8_t *data;
	size_t len;
};

static struct blob images[7];
static FILE *sink;
static bool trace; /* FUZZ_CFG_TRACE=1: print each input's outcome, for triage */

/* A minimal RISC-V ELF64 executable: one PT_LOAD of 64 bytes at paddr. */
static struct blob elf_blob(const char *name, uint64_t paddr)
{
	size_t off = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr), len = off + 64;
	uint8_t *b = calloc(1, len);
	Elf64_Ehdr eh = {
	    .e_type = ET_EXEC,
	    .e_machine = EM_RISCV,
	    .e_version = EV_CURRENT,
	    .e_entry = paddr,
	    .e_phoff = sizeof(Elf64_Ehdr),
	    .e_ehsize = sizeof(Elf64_Ehdr),
	    .e_phentsize = sizeof(Elf64_Phdr),
	    .e_phnum = 1,
	};
	Elf64_Phdr ph = {
	    .p_type = PT_LOAD,
	    .p_flags = PF_R | PF_X,
	    .p_offset = off,
	    .p_vaddr = paddr,
	    .p_paddr = paddr,
	    .p_filesz = 64,
	    .p_memsz = 128,
	    .p_align = 4,
	};

	if (!b)
		abort();
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(b, &eh, sizeof eh);
	memcpy(b + sizeof eh, &ph, sizeof ph);
	memset(b + off, 0x13, 64); /* nop */
	return (struct blob){name, b, len};
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char junk[] = "not an ELF file";

	(void)argc;
	(void)argv;
	images[0] = elf_blob("tiny", BOARD_GUEST_RAM_BASE);
	images[1] = elf_blob("high", 0x90000000);
	images[2] = (struct blob){"junk", (uint8_t *)junk, sizeof junk - 1};
	images[3] = (struct blob){"hello", images[0].data, images[0].len};
	images[4] = (struct blob){"ticker", images[0].data, images[0].len};
	images[5] = (struct blob){"crasher", images[0].data, images[0].len};
	images[6] = (struct blob){"rt", images[0].data, images[0].len};
	trace = getenv("FUZZ_CFG_TRACE") != NULL;
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

/* The in-memory image source: a copy, since the caller frees it. */
static int fetch_from_memory(const struct cfg_image_source *src, const struct cfg_model *m,
			     struct cfg_guest_model *g, uint8_t **buf, size_t *len,
			     struct cfg_diag *d)
{
	(void)src;
	for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
		if (strcmp(g->image, images[i].name))
			continue;
		snprintf(g->image_path, sizeof g->image_path, "mem/%s.elf", images[i].name);
		*buf = malloc(images[i].len);
		if (!*buf)
			abort();
		memcpy(*buf, images[i].data, images[i].len);
		*len = images[i].len;
		return 0;
	}
	return cfg_fail(
	    d, m->path, g->image_line,
	    "image '%s' not found (the fuzzer has tiny, high, junk and the guests' names)",
	    g->image);
}

static struct cfg_board board_like(const struct cfg_model *m)
{
	struct cfg_board b = {
	    .path = "fuzz-board.dtb",
	    .harts = m->harts,
	    .ram_base = BOARD_RAM_BASE,
	    .ram_size = m->ram_size,
	    .timebase = 10000000,
	};

	snprintf(b.isa, sizeof b.isa, "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_sstc");
	return b;
}

/* A failed step must say why, on one line, naming the config for mistakes. */
static void check_diag(int rc, const struct cfg_diag *d)
{
	size_t n = strnlen(d->msg, sizeof d->msg);

	if (n == sizeof d->msg)
		abort(); /* not NUL-terminated */
	if (!rc) {
		if (d->status)
			abort(); /* success with an error recorded */
		return;
	}
	/* Nothing here does I/O, so an I/O-class error is an internal one
	 * (say, a device tree outgrowing its buffer). */
	if (d->status != CFG_EXIT_CONFIG)
		abort();
	if (!n || strchr(d->msg, '\n'))
		abort();
	if (d->status == CFG_EXIT_CONFIG && strncmp(d->msg, CONF_PATH ":", sizeof CONF_PATH))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cfg_image_source mem = {.fetch = fetch_from_memory};
	static struct cfg_model m; /* large: keep it off the stack */
	struct cfg_diag d = {0};
	struct cfg_board b;
	char *text = malloc(size + 1);
	int rc;

	if (!text)
		return 0;
	/* The tool reads files as C strings: a NUL ends the config there. */
	memcpy(text, data, size);
	text[size] = 0;
	rc = cfg_parse(text, CONF_PATH, &m, &d);
	free(text);
	if (!rc)
		rc = cfg_check_model(&m, &d);
	if (!rc && cfg_emit_qemu_args(sink, &m))
		abort();
	if (!rc) {
		b = board_like(&m);
		rc = cfg_check_against(&m, &b, &d) || cfg_layout(&m, &b, &mem, &d) ? -1 : 0;
	}
	check_diag(rc, &d);
	if (trace)
		fprintf(stderr, "fuzz_cfg: %s\n", rc ? d.msg : "ok");
	if (!rc) {
		if (cfg_emit_c(sink, &m) || cfg_emit_ld(sink, &m))
			abort();
		cfg_map_print(sink, &m);
	}
	cfg_model_free(&m);
	return 0;
}
