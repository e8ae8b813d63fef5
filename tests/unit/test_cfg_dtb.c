/* Unit tests of the device trees septa-cfg reads (the board's) and writes
 * (each guest's), and of the generated C and QEMU flags. */
#include <libfdt.h>

#include "test_cfg_util.h"

static const char *str_prop(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path);
	const char *v;

	if (node < 0)
		fail_msg("no node %s", path);
	v = fdt_getprop(fdt, node, name, NULL);
	if (!v)
		fail_msg("no %s in %s", name, path);
	return v;
}

static uint32_t u32_prop(const void *fdt, const char *path, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len);

	assert_non_null(v);
	assert_int_equal(len, 4);
	return fdt32_to_cpu(*v);
}

static void isa_loses_only_the_h_letter(void **state)
{
	char out[128];

	(void)state;
	guest_dtb_isa_without_h(TEST_ISA, out, sizeof out);
	assert_string_equal(out, "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc");
	guest_dtb_isa_without_h("rv64imach", out, sizeof out);
	assert_string_equal(out, "rv64imac");
	guest_dtb_isa_without_h("rv64imac_zhinx", out, sizeof out);
	assert_string_equal(out, "rv64imac_zhinx");
}

static void guest_tree_has_every_node(void **state)
{
	struct cfg_guest_model g = {
	    .name = "alpha", .gpa_base = 0x80000000, .mem_size = 16 * CFG_MIB, .nvcpus = 2};
	struct cfg_board b = test_board();
	uint8_t *fdt;
	uint64_t size;
	int len;

	(void)state;
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_int_equal(fdt_totalsize(fdt), size);
	assert_true(size < CFG_PAGE);
	assert_int_equal(u32_prop(fdt, "/", "#address-cells"), 2);
	assert_int_equal(u32_prop(fdt, "/", "#size-cells"), 2);
	assert_string_equal(str_prop(fdt, "/", "compatible"), "septa,guest");
	assert_string_equal(str_prop(fdt, "/", "model"), "septa guest alpha");
	assert_string_equal(str_prop(fdt, "/chosen", "stdout-path"), "/soc/serial@10000000");
	assert_string_equal(str_prop(fdt, "/chosen", "septa,name"), "alpha");
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL));
	assert_true(fdt_path_offset(fdt, "/console") < 0);
	assert_string_equal(str_prop(fdt, "/memory@80000000", "device_type"), "memory");

	const fdt64_t *reg =
	    fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@80000000"), "reg", &len);

	/* Properties are only 4-byte aligned: fdt64_ld reads them safely. */
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_ld(&reg[0]), 0x80000000);
	assert_int_equal(fdt64_ld(&reg[1]), 16 * CFG_MIB);
	assert_int_equal(u32_prop(fdt, "/cpus", "#address-cells"), 1);
	assert_int_equal(u32_prop(fdt, "/cpus", "#size-cells"), 0);
	assert_int_equal(u32_prop(fdt, "/cpus", "timebase-frequency"), 10000000);
	assert_int_equal(u32_prop(fdt, "/cpus/cpu@1", "reg"), 1);
	assert_string_equal(str_prop(fdt, "/cpus/cpu@1", "device_type"), "cpu");
	assert_string_equal(str_prop(fdt, "/cpus/cpu@1", "compatible"), "riscv");
	assert_string_equal(str_prop(fdt, "/cpus/cpu@1", "status"), "okay");
	assert_string_equal(str_prop(fdt, "/cpus/cpu@1", "mmu-type"), "riscv,sv39");
	assert_string_equal(str_prop(fdt, "/cpus/cpu@0", "riscv,isa"),
			    "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc");
	assert_string_equal(str_prop(fdt, "/cpus/cpu@0/interrupt-controller", "compatible"),
			    "riscv,cpu-intc");
	assert_int_equal(u32_prop(fdt, "/cpus/cpu@0/interrupt-controller", "#interrupt-cells"), 1);
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/cpus/cpu@0/interrupt-controller"),
				    "interrupt-controller", &len));
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
	free(fdt);
}

/* A property that is a list of u32 cells; *n is the number of cells. */
static const fdt32_t *cells_prop(const void *fdt, const char *path, const char *name, int *n)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len);

	if (!v)
		fail_msg("no %s in %s", name, path);
	assert_int_equal(len % 4, 0);
	*n = len / 4;
	return v;
}

/* /soc with the UART and the PLIC, wired to every vCPU by phandle, as QEMU
 * virt's own tree is. */
static void uart_console_gets_soc_uart_and_plic(void **state)
{
	struct cfg_guest_model g = {
	    .name = "beta", .gpa_base = 0x80000000, .mem_size = 16 * CFG_MIB, .nvcpus = 3};
	struct cfg_board b = test_board();
	uint8_t *fdt;
	uint64_t size;
	int n, len;

	(void)state;
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	assert_int_equal(fdt_check_full(fdt, size), 0);
	assert_int_equal(u32_prop(fdt, "/soc", "#address-cells"), 2);
	assert_int_equal(u32_prop(fdt, "/soc", "#size-cells"), 2);
	assert_string_equal(str_prop(fdt, "/soc", "compatible"), "simple-bus");
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/soc"), "ranges", &len));
	assert_int_equal(len, 0);

	/* stdout-path names the serial node, which is a 16550 at the board's
	 * UART address. */
	int serial = fdt_path_offset(fdt, str_prop(fdt, "/chosen", "stdout-path"));

	assert_true(serial >= 0);
	assert_int_equal(serial, fdt_path_offset(fdt, "/soc/serial@10000000"));
	assert_int_equal(fdt_node_check_compatible(fdt, serial, "ns16550a"), 0);
	const fdt32_t *reg = cells_prop(fdt, "/soc/serial@10000000", "reg", &n);

	assert_int_equal(n, 4);
	assert_int_equal(fdt32_to_cpu(reg[1]), BOARD_UART_BASE);
	assert_int_equal(fdt32_to_cpu(reg[3]), 0x100);
	assert_int_equal(u32_prop(fdt, "/soc/serial@10000000", "clock-frequency"), 0x384000);
	assert_int_equal(u32_prop(fdt, "/soc/serial@10000000", "interrupts"), BOARD_UART_IRQ);

	/* interrupt-parent resolves to the PLIC. */
	int plic = fdt_node_offset_by_phandle(
	    fdt, u32_prop(fdt, "/soc/serial@10000000", "interrupt-parent"));

	assert_int_equal(plic, fdt_path_offset(fdt, "/soc/plic@c000000"));
	assert_int_equal(fdt_node_check_compatible(fdt, plic, "riscv,plic0"), 0);
	assert_int_equal(fdt_node_check_compatible(fdt, plic, "sifive,plic-1.0.0"), 0);
	reg = cells_prop(fdt, "/soc/plic@c000000", "reg", &n);
	assert_int_equal(n, 4);
	assert_int_equal(fdt32_to_cpu(reg[1]), BOARD_PLIC_BASE);
	assert_int_equal(fdt32_to_cpu(reg[3]), 0x600000);
	assert_int_equal(u32_prop(fdt, "/soc/plic@c000000", "#address-cells"), 0);
	assert_int_equal(u32_prop(fdt, "/soc/plic@c000000", "#interrupt-cells"), 1);
	assert_int_equal(u32_prop(fdt, "/soc/plic@c000000", "riscv,ndev"), 31);
	assert_non_null(fdt_getprop(fdt, plic, "interrupt-controller", &len));

	/* Per vCPU: its intc with 11 (M external), then with 9 (S external). */
	const fdt32_t *ext = cells_prop(fdt, "/soc/plic@c000000", "interrupts-extended", &n);

	assert_int_equal(n, 4 * 3);
	for (int i = 0; i < 3; i++) {
		char path[64];

		snprintf(path, sizeof path, "/cpus/cpu@%d/interrupt-controller", i);
		int intc = fdt_path_offset(fdt, path);

		assert_true(intc >= 0);
		assert_int_equal(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ext[4 * i])), intc);
		assert_int_equal(fdt32_to_cpu(ext[4 * i + 1]), 11);
		assert_int_equal(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ext[4 * i + 2])),
				 intc);
		assert_int_equal(fdt32_to_cpu(ext[4 * i + 3]), 9);
	}
	free(fdt);
}

static void console_none_has_no_serial_and_bootargs_land_in_chosen(void **state)
{
	struct cfg_guest_model g = {.name = "quiet",
				    .gpa_base = 0x80000000,
				    .mem_size = 1 * CFG_MIB,
				    .nvcpus = 1,
				    .console = CFG_CONSOLE_NONE,
				    .bootargs = "mode=fault  x=\"",
				    .bootargs_line = 9};
	struct cfg_board b = test_board();
	uint8_t *fdt;
	uint64_t size;

	(void)state;
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	assert_int_equal(fdt_check_full(fdt, size), 0);
	assert_true(fdt_path_offset(fdt, "/soc") < 0);
	assert_true(fdt_path_offset(fdt, "/console") < 0);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL));
	assert_string_equal(str_prop(fdt, "/chosen", "bootargs"), "mode=fault  x=\"");
	assert_string_equal(str_prop(fdt, "/chosen", "septa,name"), "quiet");
	free(fdt);

	/* The largest tree still fits the build buffer and one page. */
	g.nvcpus = CFG_MAX_VCPUS;
	g.console = CFG_CONSOLE_UART;
	memset(g.bootargs, 'x', sizeof g.bootargs - 1);
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	assert_true(size < CFG_PAGE);
	assert_int_equal(strlen(str_prop(fdt, "/chosen", "bootargs")), CFG_BOOTARGS_MAX - 1);
	free(fdt);
}

/* A granted device appears under /soc with the board's compatible and reg,
 * also for a guest with console = none (whose /soc otherwise does not
 * exist); a device without interrupts gets none. */
static void granted_device_in_soc(void **state)
{
	static const struct cfg_board_dev rtc = {.name = "rtc@101000",
						 .compat = "google,goldfish-rtc",
						 .base = 0x101000,
						 .size = 0x1000};
	struct cfg_guest_model g = {.name = "clock",
				    .gpa_base = 0x80000000,
				    .mem_size = 1 * CFG_MIB,
				    .nvcpus = 1,
				    .console = CFG_CONSOLE_NONE,
				    .ndevices = 1,
				    .dev = {&rtc}};
	struct cfg_board b = test_board();
	const void *reg;
	uint8_t *fdt;
	uint64_t size;
	int len;

	(void)state;
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	assert_int_equal(fdt_check_full(fdt, size), 0);
	assert_string_equal(str_prop(fdt, "/soc/rtc@101000", "compatible"), "google,goldfish-rtc");
	reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/rtc@101000"), "reg", &len);
	assert_int_equal(len, 16);
	/* Properties are only 4-byte aligned in a blob: fdt64_ld reads them. */
	assert_int_equal(fdt64_ld(reg), 0x101000);
	assert_int_equal(fdt64_ld((const fdt64_t *)((const char *)reg + 8)), 0x1000);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/rtc@101000"), "interrupts", NULL));
	assert_true(fdt_path_offset(fdt, "/soc/serial@10000000") < 0);
	free(fdt);
}

/* A device's interrupt lines are passed through under their own numbers:
 * interrupts as on the board, interrupt-parent the guest's virtual PLIC. */
static void granted_device_interrupts(void **state)
{
	static const struct cfg_board_dev rtc = {.name = "rtc@101000",
						 .compat = "google,goldfish-rtc",
						 .base = 0x101000,
						 .size = 0x1000,
						 .nirqs = 1,
						 .irqs = {11}};
	struct cfg_guest_model g = {.name = "clock",
				    .gpa_base = 0x80000000,
				    .mem_size = 1 * CFG_MIB,
				    .nvcpus = 2,
				    .console = CFG_CONSOLE_UART,
				    .ndevices = 1,
				    .dev = {&rtc}};
	struct cfg_board b = test_board();
	const fdt32_t *p;
	uint8_t *fdt;
	uint64_t size;
	int len, node, plic;

	(void)state;
	assert_int_equal(guest_dtb_build(&g, &b, &fdt, &size), 0);
	node = fdt_path_offset(fdt, "/soc/rtc@101000");
	p = fdt_getprop(fdt, node, "interrupts", &len);
	assert_non_null(p);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_ld(p), 11);
	p = fdt_getprop(fdt, node, "interrupt-parent", &len);
	assert_non_null(p);
	plic = fdt_node_offset_by_phandle(fdt, fdt32_ld(p));
	assert_int_equal(plic, fdt_path_offset(fdt, "/soc/plic@c000000"));
	free(fdt);
}

/* A board dtb shaped like QEMU virt's, built here so the test needs no QEMU. */
static void *fake_board(int harts, uint64_t ram)
{
	void *fdt = calloc(1, 8192);
	fdt64_t reg[2] = {cpu_to_fdt64(0x80000000), cpu_to_fdt64(ram)};
	char name[16];

	assert_int_equal(fdt_create(fdt, 8192), 0);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	fdt_begin_node(fdt, "memory@80000000");
	fdt_property_string(fdt, "device_type", "memory");
	fdt_property(fdt, "reg", reg, sizeof reg);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "cpus");
	fdt_property_u32(fdt, "timebase-frequency", 10000000);
	for (int i = 0; i < harts; i++) {
		snprintf(name, sizeof name, "cpu@%d", i);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "device_type", "cpu");
		fdt_property_string(fdt, "riscv,isa", TEST_ISA);
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, "cpu-map"); /* not a cpu: must not be counted */
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "soc");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	fdt_begin_node(fdt, "rtc@101000");
	fdt_property_string(fdt, "compatible", "google,goldfish-rtc");
	fdt64_t rtc[2] = {cpu_to_fdt64(0x101000), cpu_to_fdt64(0x1000)};
	fdt_property(fdt, "reg", rtc, sizeof rtc);
	fdt_property_u32(fdt, "interrupts", 11);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "no-regs"); /* nothing to map: not a device to grant */
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

static void board_facts_from_dtb(void **state)
{
	void *fdt = fake_board(3, 256 * CFG_MIB);
	struct cfg_board b;
	struct cfg_diag d = {0};

	(void)state;
	assert_int_equal(board_read(fdt, fdt_totalsize(fdt), "b.dtb", &b, &d), 0);
	assert_int_equal(b.harts, 3);
	assert_int_equal(b.ram_base, 0x80000000);
	assert_int_equal(b.ram_size, 256 * CFG_MIB);
	assert_int_equal(b.timebase, 10000000);
	assert_string_equal(b.isa, TEST_ISA);
	assert_int_equal(b.ndevs, 1);
	assert_string_equal(b.devs[0].name, "rtc@101000");
	assert_string_equal(b.devs[0].compat, "google,goldfish-rtc");
	assert_int_equal(b.devs[0].base, 0x101000);
	assert_int_equal(b.devs[0].size, 0x1000);
	assert_int_equal(b.devs[0].nirqs, 1);
	assert_int_equal(b.devs[0].irqs[0], 11);
	assert_int_equal(board_read("garbage!", 8, "b.dtb", &b, &d), -1);
	assert_int_equal(d.status, CFG_EXIT_IO);
	assert_non_null(strstr(d.msg, "b.dtb"));
	free(fdt);
}

static char *emit(int (*fn)(FILE *, const struct cfg_model *), const struct cfg_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(fn(f, m), 0);
	fclose(f);
	return buf;
}

static void generated_outputs(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d;
	uint8_t img[3] = {1, 2, 3}, dtb[2] = {0xd0, 0x0d};
	char *s;

	(void)state;
	assert_int_equal(parse_check(duo_conf, &m, &d), 0);
	m.path = "configs/\"duo\".conf";
	for (int i = 0; i < 2; i++) {
		m.guests[i].img = (struct cfg_image){
		    .data = img, .size = 3, .gpa = 0x80000000, .entry = 0x80000002};
		m.guests[i].dtb = dtb;
		m.guests[i].dtb_size = 2;
	}
	assert_int_equal(cfg_place(&m, &d), 0);
	s = emit(cfg_emit_c, &m);
	assert_non_null(strstr(s, "#include \"cfg_table.h\""));
	assert_non_null(strstr(s, "guest0_image[3] __attribute__((aligned(4096))) = {"));
	assert_non_null(strstr(s, "0x01, 0x02, 0x03,"));
	assert_non_null(strstr(s, ".name = \"alpha\""));
	assert_non_null(strstr(s, ".color = \"36\""));
	assert_non_null(strstr(s, ".color = NULL"));
	assert_non_null(strstr(s, ".hpa_base = 0x81800000"));
	assert_non_null(strstr(s, ".entry = 0x80000002"));
	assert_non_null(strstr(s, ".vcpu_hart = {1}"));
	assert_non_null(strstr(s, "const struct cfg_machine cfg_machine = {"));
	assert_non_null(strstr(s, ".config_path = \"configs/\\\"duo\\\".conf\""));
	assert_non_null(strstr(s, ".hv_limit = 0x80800000"));
	/* The fault and console policy of every guest, defaults included. */
	assert_non_null(strstr(s, ".console = CFG_CONSOLE_UART,\n"));
	assert_non_null(strstr(s, ".on_fault = CFG_FAULT_STOP,\n"));
	assert_non_null(strstr(s, ".restart_limit = 5,\n"));
	assert_non_null(strstr(s, ".restart_delay_us = 100000,\n"));
	assert_non_null(strstr(s, ".fault_dump = 0,\n"));
	free(s);
	m.guests[1].console = CFG_CONSOLE_NONE;
	m.guests[1].on_fault = CFG_FAULT_RESTART;
	m.guests[1].restart_limit = 0;
	m.guests[1].restart_delay_us = 0;
	m.guests[1].fault_dump = true;
	m.guests[0].on_fault = CFG_FAULT_HALT;
	s = emit(cfg_emit_c, &m);
	assert_non_null(strstr(s, ".console = CFG_CONSOLE_NONE,\n"));
	assert_non_null(strstr(s, ".on_fault = CFG_FAULT_RESTART,\n"));
	assert_non_null(strstr(s, ".on_fault = CFG_FAULT_HALT,\n"));
	assert_non_null(strstr(s, ".restart_limit = 0,\n"));
	assert_non_null(strstr(s, ".restart_delay_us = 0,\n"));
	assert_non_null(strstr(s, ".fault_dump = 1,\n"));
	free(s);
	s = emit(cfg_emit_ld, &m);
	assert_string_equal(s, "SEPTA_HV_LIMIT = 0x80800000;\n");
	free(s);
	s = emit(cfg_emit_qemu_args, &m);
	assert_string_equal(s, "-smp 2 -m 512M\n");
	free(s);
	/* The map names every region; enough to know it ran. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cfg_map_print(f, &m);
	fclose(f);
	assert_non_null(strstr(buf, "firmware (OpenSBI)"));
	assert_non_null(strstr(buf, "guest beta"));
	assert_non_null(strstr(buf, "hart 1   beta.0"));
	/* alpha: uart, halt; beta: none, restart without back-off. */
	assert_non_null(strstr(buf, "console uart, on-fault halt, fault-dump no\n"));
	assert_non_null(strstr(buf, "console none (output dropped), on-fault restart (limit 0, "
				    "no delay), fault-dump yes\n"));
	assert_non_null(strstr(buf, "0xc000000      0xc600000           6 MiB   PLIC (virtual"));
	assert_non_null(strstr(buf, "0x10000000     0x10000100          256 B   UART ns16550a"));
	/* Only alpha sees the devices. */
	assert_ptr_equal(strstr(strstr(buf, "Guest beta"), "UART"), NULL);
	free(buf);

	m.guests[1].restart_limit = 7;
	m.guests[1].restart_delay_us = 250000;
	snprintf(m.guests[1].bootargs, sizeof m.guests[1].bootargs, "mode=fault");
	m.guests[1].bootargs_line = 20;
	f = open_memstream(&buf, &len);
	cfg_map_print(f, &m);
	fclose(f);
	assert_non_null(strstr(buf, "on-fault restart (limit 7, delay 250 ms doubling each time)"));
	assert_non_null(strstr(buf, "  bootargs \"mode=fault\"\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(isa_loses_only_the_h_letter),
	    cmocka_unit_test(guest_tree_has_every_node),
	    cmocka_unit_test(uart_console_gets_soc_uart_and_plic),
	    cmocka_unit_test(console_none_has_no_serial_and_bootargs_land_in_chosen),
	    cmocka_unit_test(granted_device_in_soc),
	    cmocka_unit_test(granted_device_interrupts),
	    cmocka_unit_test(board_facts_from_dtb),
	    cmocka_unit_test(generated_outputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
