/* Console routing: every guest's output leaves the board's one UART as
 * lines tagged with the guest's name; keys typed at the terminal go to the
 * guest (or the monitor) that has focus. */
#ifndef SEPTA_CONSOLE_H
#define SEPTA_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct deadline_list;

/* The byte sink and source: the UART driver on the board. */
void console_init(void (*putc)(char c), int (*getc)(void), bool color);
/* A guest's console state at boot, and after a restart. */
void console_vm_init(struct vm *vm);
void console_vm_reset(struct vm *vm);

/* Guest output, from its UART or the SBI console calls. */
void console_guest_putc(struct vm *vm, char c);
void console_guest_write(struct vm *vm, const char *buf, size_t len);
/* Prints whatever partial line a guest left behind (when it stops). */
void console_guest_flush(struct vm *vm);
/* Keys typed for a guest wait in one queue (VM_INQ bytes; a key that
 * finds it full is dropped and said so). Everything that reads them reads
 * it: the virtual UART's RX FIFO is a window on its head, and SBI reads pop
 * it. How many bytes wait now; another hart may add or take some. */
unsigned console_input_waiting(struct vm *vm);
/* Where that count lives, for the UART's status reads; read it with a
 * relaxed atomic load. */
const unsigned *console_input_counter(struct vm *vm);
/* The oldest typed byte, or -1. For the virtual UART, under the VM's device
 * lock; its caller keeps the interrupt line right. */
int console_take_input(struct vm *vm);
/* SBI getchar and DBCN read: up to len typed bytes into buf, how many were
 * there; the guest's UART interrupt line then follows the queue. */
size_t console_read_input(struct vm *vm, char *buf, size_t len);

/* One whole hypervisor line with a tag; colour is an ANSI SGR code or NULL. */
void console_route_line(const char *tag, const char *color, const char *line, size_t len);
/* The monitor's prompt and echo: text on the open "[septa]" line. */
void console_monitor_echo(const char *text, size_t len);
/* Ends that line (Enter): a command that prints nothing still leaves the
 * next prompt on a line of its own. */
void console_monitor_end_line(void);
/* Whether the terminal still shows that open "[septa]" line: someone
 * else's output ends it, and the monitor then draws its prompt again. */
bool console_monitor_line_open(void);

/* On the console hart, every CONSOLE_POLL_US (not on every exit: that would
 * tax each trap of its guests): read the keyboard, route keys, print partial
 * lines that have gone quiet. */
#define CONSOLE_POLL_US 10000
void console_poll(uint64_t now);
/* Puts the poll on the console hart's deadline list (l), first due at now,
 * and says where the keys go. */
void console_start_polling(struct deadline_list *l, uint64_t now);
/* Who gets the keys: a guest index or -1 for the monitor. */
void console_set_focus(int focus);
int console_focus(void);

#endif
