/* Console routing: every guest's output leaves the board's one UART as whole
 * lines tagged with the guest's name; the hypervisor's own lines too. */
#ifndef SEPTA_CONSOLE_H
#define SEPTA_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct vm;

/* Where finished lines go: a byte sink (the UART driver on the board, a
 * capture buffer in unit tests). */
void console_init(void (*putc)(char c), int (*getc)(void), bool color);
/* Guest output, byte by byte or as a buffer. */
void console_guest_putc(struct vm *vm, char c);
void console_guest_write(struct vm *vm, const char *buf, size_t len);
/* Prints whatever partial line a guest left behind (used when it stops). */
void console_guest_flush(struct vm *vm);
/* One whole line with a tag; colour is an ANSI SGR code or NULL. */
void console_route_line(const char *tag, const char *color, const char *line, size_t len);
/* A byte typed at the terminal for this guest, or -1. */
int console_guest_getc(struct vm *vm);

#endif
