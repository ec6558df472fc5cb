/* QEMU's isa-debug-exit device at port 0xf4: QEMU exits with status (v << 1) | 1. */
#ifndef KERNEL_DRIVERS_QEMU_EXIT_H
#define KERNEL_DRIVERS_QEMU_EXIT_H

#define QEMU_EXIT_PASS 0x10 /* exit status 33 */
#define QEMU_EXIT_FAIL 0x11 /* exit status 35 */

/* Ask QEMU to exit; halts if the device is absent. */
__attribute__((noreturn)) void qemu_exit(unsigned code);

#endif
