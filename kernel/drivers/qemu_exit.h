/* Exiting QEMU with a status. x86-64: the isa-debug-exit device at port 0xf4, QEMU
 * exits with (v << 1) | 1 (33 pass, 35 fail). AArch64: semihosting, 0 pass, 1 fail. */
#ifndef KERNEL_DRIVERS_QEMU_EXIT_H
#define KERNEL_DRIVERS_QEMU_EXIT_H

#define QEMU_EXIT_PASS 0x10 /* exit status 33 */
#define QEMU_EXIT_FAIL 0x11 /* exit status 35 */

/* Ask QEMU to exit; halts if the device is absent. */
__attribute__((noreturn)) void qemu_exit(unsigned code);

#endif
