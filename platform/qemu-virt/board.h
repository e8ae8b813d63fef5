/* QEMU virt facts that the device tree does not give us, shared by the
 * hypervisor and the host-side config compiler. */
#ifndef SEPTA_BOARD_H
#define SEPTA_BOARD_H

#define BOARD_NAME     "qemu-virt"
#define BOARD_RAM_BASE 0x80000000ULL
/* OpenSBI (fw_dynamic, -bios default) occupies the first 2 MiB of RAM and
 * hands over to the payload QEMU's -kernel loads right after it. */
#define BOARD_FW_SIZE 0x200000ULL
#define BOARD_HV_BASE (BOARD_RAM_BASE + BOARD_FW_SIZE)
/* Room for the hypervisor's code, data, stacks and page-table pool; the
 * embedded guest images and device trees come on top of this. */
#define BOARD_HV_CORE_SIZE 0x400000ULL
#define BOARD_UART_BASE	   0x10000000ULL
#define BOARD_UART_IRQ	   10
#define BOARD_PLIC_BASE	   0x0c000000ULL
/* What a guest with console = uart sees at those two addresses: a 16550 and
 * a PLIC modelled by the hypervisor (core/vdev.c), sized and clocked as in
 * QEMU virt's dtb; septa-cfg describes the same windows in each guest's
 * device tree, so both sides take them from here. */
#define BOARD_VUART_SIZE     0x100ULL
#define BOARD_VUART_CLOCK_HZ 3686400u /* 0x384000 */
#define BOARD_VPLIC_SIZE     0x600000ULL
#define BOARD_CLINT_BASE     0x02000000ULL
/* The PLIC's highest source (riscv,ndev of QEMU virt's PLIC node). */
#define BOARD_PLIC_NDEV 96
/* The virtio-mmio slots: slot N (QEMU's virtio-mmio-bus.N) at base + N *
 * stride, interrupt N + 1 (checked against QEMU 7.2's info qtree). */
#define BOARD_VIRTIO_BASE   0x10001000ULL
#define BOARD_VIRTIO_STRIDE 0x1000ULL
#define BOARD_VIRTIO_SLOTS  8
/* Guests are linked here by default and see their RAM here. */
#define BOARD_GUEST_RAM_BASE 0x80000000ULL
/* Channels ([channel NAME]) appear in their members at this guest-physical
 * window, one after another, unless pinned with address: above the RAM of
 * any guest of up to 512 MiB, and no board device lives there. */
#define BOARD_CHAN_BASE 0xa0000000ULL

#endif
