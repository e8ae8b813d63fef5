/* The monitor: a line editor on the console and a handful of commands. It
 * runs on the console hart, from console_poll(). */
#include "monitor.h"

#include <string.h>

#include "arch_hooks.h"
#include "console.h"
#include "hv.h"
#include "input.h"
#include "stats.h"
#include "vm.h"

#define LINE_MAX 80
#define PROMPT	 "septa> "

static char line[LINE_MAX];
static size_t len;

void monitor_prompt(void)
{
	console_monitor_echo(PROMPT, sizeof(PROMPT) - 1);
	console_monitor_echo(line, len);
}

/* Echoes a key's effect, or, when a guest's output ended the prompt's line
 * since, draws the prompt and everything typed so far again. */
static void echo(const char *text, size_t n)
{
	if (console_monitor_line_open())
		console_monitor_echo(text, n);
	else
		monitor_prompt();
}

static void cmd_help(void)
{
	hv_log(
	    "commands: help, list, stats, stop NAME, start NAME, restart NAME, focus NAME|monitor, "
	    "poweroff");
	hv_log("%s", input_help());
}

static void cmd_list(void)
{
	for (unsigned i = 0; i < nvms; i++) {
		const struct vm *vm = &vms[i];
		const struct cfg_guest *g = vm->cfg;
		char harts[3 * CFG_MAX_VCPUS + 1] = "";

		for (unsigned j = 0, n = 0; j < g->nvcpus; j++) {
			harts[n++] = j ? ',' : ' ';
			harts[n++] = (char)('0' + g->vcpu_hart[j] % 10);
			harts[n] = '\0';
		}
		hv_log("%c %u %-15s %-10s harts%s  %5lu KiB at 0x%lx  restarts %u%s",
		       console_focus() == (int)i ? '*' : ' ', i + 1, g->name, vm_state_name(vm),
		       harts, (unsigned long)(g->mem_size >> 10), (unsigned long)g->hpa_base,
		       vm->restarts, g->console == CFG_CONSOLE_NONE ? "  console none" : "");
	}
	hv_log("focus: %s",
	       console_focus() == INPUT_MONITOR ? "monitor" : vms[console_focus()].cfg->name);
}

static struct vm *named(const char *cmd, const char *name)
{
	struct vm *vm = name ? vm_by_name(name) : NULL;

	if (!vm)
		hv_log("%s: no guest named '%s' (try list)", cmd, name ? name : "");
	return vm;
}

void monitor_run(char *cmd)
{
	char *save, *verb = strtok_r(cmd, " \t", &save);
	char *arg = verb ? strtok_r(NULL, " \t", &save) : NULL;
	struct vm *vm;

	if (!verb)
		return;
	if (!strcmp(verb, "help")) {
		cmd_help();
	} else if (!strcmp(verb, "list")) {
		cmd_list();
	} else if (!strcmp(verb, "stats")) {
		stats_print();
	} else if (!strcmp(verb, "stop")) {
		if ((vm = named(verb, arg)))
			vm_stop_keep_machine(vm, "stopped from the monitor");
	} else if (!strcmp(verb, "start")) {
		if ((vm = named(verb, arg)) && vm_running(vm))
			hv_log("start: %s is already running (restart reloads it)", arg);
		else if (vm)
			vm_restart(vm, 0, "started from the monitor");
	} else if (!strcmp(verb, "restart")) {
		if ((vm = named(verb, arg)))
			vm_restart(vm, 0, "restarted from the monitor");
	} else if (!strcmp(verb, "focus")) {
		if (arg && !strcmp(arg, "monitor"))
			console_set_focus(INPUT_MONITOR);
		else if ((vm = named(verb, arg)))
			console_set_focus((int)vm->id);
	} else if (!strcmp(verb, "poweroff")) {
		stats_print();
		hv_log("powering off (monitor)");
		arch_machine_off(false);
	} else {
		hv_log("unknown command '%s' (try help)", verb);
	}
}

void monitor_key(uint8_t c)
{
	if (c == '\r' || c == '\n') {
		char cmd[LINE_MAX];

		/* The echoed line stays as the record; the output, or the
		 * next prompt, starts on a fresh line. */
		console_monitor_end_line();
		line[len] = '\0';
		memcpy(cmd, line, sizeof(cmd));
		len = 0;
		monitor_run(cmd);
		if (console_focus() == INPUT_MONITOR)
			monitor_prompt();
		return;
	}
	if (c == 0x7f || c == 0x08) {
		if (len) {
			len--;
			echo("\b \b", 3);
		}
		return;
	}
	if (c >= 0x20 && c < 0x7f && len < LINE_MAX - 1) {
		line[len++] = (char)c;
		echo((const char *)&c, 1);
	}
}
