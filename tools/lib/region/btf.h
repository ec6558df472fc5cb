/* SPDX-License-Identifier: MIT */
/*
 * The BPF Type Format a Linux kernel carries (.BTF, __start_BTF..__stop_BTF): just
 * enough of it to read an enumerator's value, such as a build-time constant that no
 * symbol gives. The input is guest memory: every length is checked.
 */
#ifndef PTDBG_BTF_H
#define PTDBG_BTF_H

#include <stddef.h>
#include <stdint.h>

/* The value of the enumerator called name in the BTF blob buf[0..len). Returns 0, or
 * -1 if buf is not BTF, is malformed, or has no such enumerator. */
int ptdbg_btf_enum_value(const uint8_t *buf, size_t len, const char *name, int64_t *val);

#endif /* PTDBG_BTF_H */
