/* Unit tests of guest images: ELF reading and flattening, the segment range
 * checks, and the build pipeline finding images on disk. */
#include <stdlib.h>

#include "test_cfg_util.h"

static void reads_and_flattens_with_zero_gaps(void **state)
{
	const struct test_seg segs[] = {
	    {0x80001000, 16, 16, 0xbb},
	    {0x80000000, 8, 8, 0xaa},
	    {0x80002000, 4, 0x1000, 0xcc}, /* with bss */
	};
	struct elf_info info;
	struct cfg_image img;
	char why[160];
	size_t len;
	uint8_t *f = test_elf(segs, 3, 0x80000004, EM_RISCV, &len);

	(void)state;
	assert_int_equal(elf_read(f, len, &info, why, sizeof why), 0);
	assert_int_equal(info.nseg, 3);
	assert_int_equal(info.entry, 0x80000004);
	assert_int_equal(elf_flatten(f, &info, &img), 0);
	assert_int_equal(img.gpa, 0x80000000);
	assert_int_equal(img.size, 0x2004); /* up to the last file byte, not the bss */
	assert_int_equal(img.end, 0x80003000);
	assert_int_equal(img.entry, 0x80000004);
	assert_int_equal(img.data[0], 0xaa);
	assert_int_equal(img.data[7], 0xaa);
	assert_int_equal(img.data[8], 0);
	assert_int_equal(img.data[0xfff], 0);
	assert_int_equal(img.data[0x1000], 0xbb);
	assert_int_equal(img.data[0x1010], 0);
	assert_int_equal(img.data[0x2003], 0xcc);
	free(img.data);
	free(f);
}

static void expect_bad(uint8_t *f, size_t len, const char *what)
{
	struct elf_info info;
	char why[160];

	assert_int_equal(elf_read(f, len, &info, why, sizeof why), -1);
	if (!strstr(why, what))
		fail_msg("\"%s\" lacks \"%s\"", why, what);
}

static void rejects_what_is_not_a_riscv_executable(void **state)
{
	const struct test_seg seg = {0x80000000, 8, 8, 1};
	size_t len;
	uint8_t *f;

	(void)state;
	expect_bad((uint8_t *)"#!/bin/sh\n", 10, "not an ELF file");
	f = test_elf(&seg, 1, 0x80000000, EM_X86_64, &len);
	expect_bad(f, len, "not RISC-V");
	f[EI_CLASS] = ELFCLASS32;
	expect_bad(f, len, "not a 64-bit");
	free(f);
	f = test_elf(&seg, 1, 0x80000000, EM_RISCV, &len);
	((Elf64_Ehdr *)f)->e_type = ET_DYN;
	expect_bad(f, len, "not an executable");
	((Elf64_Ehdr *)f)->e_type = ET_EXEC;
	expect_bad(f, len - 1, "truncated");
	expect_bad(f, 40, "truncated ELF header");
	free(f);
	f = test_elf(&seg, 1, 0x90000000, EM_RISCV, &len);
	expect_bad(f, len, "entry point 0x90000000 is outside every load segment");
	free(f);
	f = test_elf(&seg, 0, 0x80000000, EM_RISCV, &len);
	expect_bad(f, len, "no load segments");
	free(f);
}

/* A model with one guest of 1 MiB whose dtb takes the top page. */
static void one_guest(struct cfg_model *m)
{
	struct cfg_diag d;

	assert_int_equal(parse_check("harts = 2\nram = 64M\n[guest a]\nimage = x.elf\n"
				     "memory = 1M\n",
				     m, &d),
			 0);
	m->guests[0].gpa_base = BOARD_GUEST_RAM_BASE;
	m->guests[0].dtb_gpa = BOARD_GUEST_RAM_BASE + CFG_MIB - CFG_PAGE;
	strcpy(m->guests[0].image_path, "x.elf");
}

static void segments_must_fit_below_the_dtb(void **state)
{
	static struct cfg_model m;
	struct elf_info info = {.nseg = 1};
	struct cfg_diag d = {0};

	(void)state;
	one_guest(&m);
	info.seg[0] = (struct elf_seg){.paddr = 0x80000000, .memsz = CFG_MIB - CFG_PAGE};
	assert_int_equal(cfg_check_image(&m, &m.guests[0], &info, &d), 0);
	info.seg[0] = (struct elf_seg){.paddr = 0x7ff00000, .memsz = 0x1000};
	assert_int_equal(cfg_check_image(&m, &m.guests[0], &info, &d), -1);
	expect_msg(&d, "t.conf:4: image x.elf: load segment 0x7ff00000..0x7ff01000 is outside",
		   "[guest a]'s memory 0x80000000..0x800ff000", "link the image at 0x80000000",
		   NULL);
	memset(&d, 0, sizeof d);
	info.seg[0] = (struct elf_seg){.paddr = 0x80000000, .memsz = 0x200000};
	assert_int_equal(cfg_check_image(&m, &m.guests[0], &info, &d), -1);
	expect_msg(&d, "outside [guest a]'s memory", "raise memory", NULL);
	memset(&d, 0, sizeof d);
	info.seg[0] = (struct elf_seg){.paddr = 0x800fe000, .memsz = 0x1800};
	assert_int_equal(cfg_check_image(&m, &m.guests[0], &info, &d), -1);
	expect_msg(&d, "t.conf:5:", "overlaps the device tree at 0x800ff000..0x80100000", NULL);
}

static void resolves_names_and_paths(void **state)
{
	char out[256], looked[256];
	const char *dirs[] = {"/nonexistent-a", "/nonexistent-b"};

	(void)state;
	assert_int_equal(cfg_resolve_image("configs/x.conf", "hello", dirs, 2, out, sizeof out,
					   looked, sizeof looked),
			 -1);
	assert_string_equal(looked, "/nonexistent-a/hello.elf, /nonexistent-a/hello.Image, "
				    "/nonexistent-b/hello.elf, /nonexistent-b/hello.Image");
	assert_int_equal(cfg_resolve_image("configs/x.conf", "../img/g.elf", dirs, 2, out,
					   sizeof out, looked, sizeof looked),
			 -1);
	assert_string_equal(out, "configs/../img/g.elf");
	assert_int_equal(
	    cfg_resolve_image("x.conf", "g.elf", dirs, 2, out, sizeof out, looked, sizeof looked),
	    -1);
	assert_string_equal(out, "g.elf");
	assert_int_equal(cfg_resolve_image("/c/x.conf", "/abs/g", dirs, 2, out, sizeof out, looked,
					   sizeof looked),
			 -1);
	assert_string_equal(out, "/abs/g");
}

/* The whole build pipeline on files in a temporary directory. */
static void compile_finds_loads_and_places(void **state)
{
	static struct cfg_model m;
	char dir[] = "/tmp/septa-cfg-test-XXXXXX", conf[128];
	const struct test_seg seg = {0x80000000, 100, 200, 0x13};
	struct cfg_board b = test_board();
	struct cfg_diag d = {0};
	size_t len;
	uint8_t *f = test_elf(&seg, 1, 0x80000000, EM_RISCV, &len);

	(void)state;
	assert_non_null(mkdtemp(dir));
	test_write(dir, "hello.elf", f, len);
	test_write(dir, "ticker.elf", f, len);
	test_write(dir, "junk.elf", "junk", 4);
	const char *dirs[] = {"/nonexistent", dir};

	snprintf(conf, sizeof conf, "%s/x.conf", dir);
	assert_int_equal(parse_check(duo_conf, &m, &d), 0);
	m.path = conf;
	assert_int_equal(test_check_layout(&m, &b, dirs, 2, &d), 0);
	assert_int_equal(m.guests[0].img.size, 100);
	assert_int_equal(m.guests[0].img.data[99], 0x13);
	assert_int_equal(m.guests[0].img.entry, 0x80000000);
	assert_int_equal(m.guests[0].dtb_gpa, 0x80fff000);
	assert_int_equal(m.guests[1].dtb_gpa, 0x807ff000);
	assert_int_equal(m.hv_limit, 0x80800000);
	assert_int_equal(m.guests[1].hpa_base, 0x81800000);
	cfg_model_free(&m);

	/* Missing: name where it looked. */
	assert_int_equal(
	    parse_check("harts = 2\nram = 512M\n[guest a]\nimage = nope\nmemory = 1M\n", &m, &d),
	    0);
	assert_int_equal(test_check_layout(&m, &b, dirs, 2, &d), -1);
	expect_msg(&d, "t.conf:4: image 'nope' not found (looked for /nonexistent/nope.elf, ", dir,
		   NULL);
	cfg_model_free(&m);

	/* Not an ELF: a path relative to the config's folder. */
	assert_int_equal(parse_check("harts = 2\nram = 512M\n[guest a]\nimage = junk.elf\n"
				     "memory = 1M\n",
				     &m, &d),
			 0);
	m.path = conf;
	assert_int_equal(test_check_layout(&m, &b, dirs, 2, &d), -1);
	expect_msg(&d, ":4: image ", "junk.elf is not a RISC-V ELF64 executable: not an ELF file",
		   NULL);
	cfg_model_free(&m);

	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_and_flattens_with_zero_gaps),
	    cmocka_unit_test(rejects_what_is_not_a_riscv_executable),
	    cmocka_unit_test(segments_must_fit_below_the_dtb),
	    cmocka_unit_test(resolves_names_and_paths),
	    cmocka_unit_test(compile_finds_loads_and_places),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
