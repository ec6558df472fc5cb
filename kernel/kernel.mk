# The reference kernel, for two architectures from one source tree:
#   $(BUILD)/kernel.elf          x86-64 (ELF64, linked high, loaded low, PVH entry),
#                                objects under $(BUILD)/kernel/
#   $(BUILD)/kernel-aarch64.elf  AArch64 (QEMU virt, linked at 0xfffffff000000000 +
#                                its load address), objects under $(BUILD)/kernel-aarch64/
#
#   make kernel          build both (KERNEL_ARCHS=x86_64 or aarch64 narrows it)
#
# Kernel C is freestanding C11 built with gcc; user programs (kernel/user/*.c) are
# built into small static executables and embedded in the image by
# kernel/proc/programs.S.

KERNEL_CC      ?= gcc
KERNEL_LD      ?= ld
KERNEL_OBJCOPY ?= objcopy
KBUILD         := $(BUILD)/kernel

KERNEL_COMMON_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -nostdlib -nostdinc \
	-isystem $(shell $(KERNEL_CC) -print-file-name=include) \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Iinclude -Ikernel
KERNEL_CFLAGS  := $(KERNEL_COMMON_CFLAGS) -mcmodel=kernel
KERNEL_LDFLAGS := -nostdlib -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
	-T kernel/kernel.ld
USER_CFLAGS    := $(KERNEL_COMMON_CFLAGS) -mcmodel=small -Ikernel/user/lib
USER_LDFLAGS   := -nostdlib -static -z max-page-size=4096 -z noexecstack -T kernel/user/user.ld

# Sources each architecture leaves out: the other's arch/ folder, and the drivers
# and scenarios that exist on one machine only (VT-d, APIC on q35; PL011, the
# device tree, the SMMUv3 and the seed's boot on virt).
KERNEL_ALL_SRCS := $(filter-out kernel/user/%,$(shell find kernel -name '*.c' -o -name '*.S'))
KERNEL_A64_ONLY := kernel/arch/aarch64/% kernel/core/fdt.c kernel/drivers/pl011.c \
	kernel/scenarios/hihalf.c kernel/iommu/smmu.c kernel/scenarios/access_a64.c
KERNEL_X86_ONLY := kernel/arch/x86_64/% kernel/iommu/acpi_dmar.c kernel/iommu/vtd.c \
	kernel/iommu/vtd_defs.c kernel/iommu/sl_table.c kernel/drivers/serial.c \
	kernel/drivers/apic.c kernel/drivers/qemu_exit.c \
	kernel/core/bootinfo.c kernel/core/main.c \
	kernel/scenarios/access.c
KERNEL_SRCS := $(filter-out $(KERNEL_A64_ONLY),$(KERNEL_ALL_SRCS))
KERNEL_OBJS := $(patsubst kernel/%,$(KBUILD)/%.o,$(KERNEL_SRCS))
KERNEL_DEPS := $(KERNEL_OBJS:.o=.d)

USER_PROGS     := $(basename $(notdir $(wildcard kernel/user/*.c)))
USER_LIB_SRCS  := $(wildcard kernel/user/lib/*.c)
USER_LIB_OBJS  := $(patsubst kernel/%,$(KBUILD)/%.o,$(USER_LIB_SRCS))
USER_ELFS      := $(patsubst %,$(KBUILD)/user/%.elf,$(USER_PROGS))
# Their objects are kept (not removed as intermediates: no "rm" line, and a changed
# header rebuilds them through their .d files).
.SECONDARY: $(USER_ELFS:.elf=.c.o) $(USER_LIB_OBJS)

KERNEL_ARCHS ?= x86_64 aarch64
.PHONY: kernel kernel-user kernel-x86_64 kernel-aarch64
kernel: $(addprefix kernel-,$(KERNEL_ARCHS)) ; @:
kernel-x86_64: $(BUILD)/kernel.elf ; @:
kernel-user: $(USER_ELFS) ; @:

$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	$(call quiet,LD,$@)$(KERNEL_LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

$(KBUILD)/user/%.c.o: kernel/user/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC user,$<)$(KERNEL_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(KBUILD)/user/%.elf: $(KBUILD)/user/%.c.o $(USER_LIB_OBJS) kernel/user/user.ld
	$(call quiet,LD user,$@)$(KERNEL_LD) $(USER_LDFLAGS) -o $@ $< $(USER_LIB_OBJS)

# The embedded programs: programs.S includes every user ELF by name.
$(KBUILD)/proc/programs.S.o: $(USER_ELFS)
$(KBUILD)/proc/programs.S.o: KERNEL_ASFLAGS_EXTRA = -Wa,-I$(KBUILD)/user

$(KBUILD)/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(KERNEL_CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(KBUILD)/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS,$<)$(KERNEL_CC) $(KERNEL_CFLAGS) $(KERNEL_ASFLAGS_EXTRA) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

-include $(KERNEL_DEPS) $(USER_LIB_OBJS:.o=.d) $(USER_ELFS:.elf=.c.d)

# ---- AArch64 -------------------------------------------------------------------
A64_CROSS   ?= aarch64-linux-gnu-
A64_CC      ?= $(A64_CROSS)gcc
A64_LD      ?= $(A64_CROSS)ld
A64_BUILD   := $(BUILD)/kernel-aarch64
A64_COMMON_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pic -fno-pie -mgeneral-regs-only \
	-mno-outline-atomics -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -nostdlib -nostdinc \
	-isystem $(shell $(A64_CC) -print-file-name=include 2>/dev/null) \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Iinclude -Ikernel
A64_CFLAGS  := $(A64_COMMON_CFLAGS) -mcmodel=small
A64_LDFLAGS := -nostdlib -z max-page-size=65536 -z noexecstack --no-warn-rwx-segments \
	-T kernel/arch/aarch64/kernel.ld
A64_SRCS    := $(filter-out $(KERNEL_X86_ONLY),$(KERNEL_ALL_SRCS))
A64_OBJS    := $(patsubst kernel/%,$(A64_BUILD)/%.o,$(A64_SRCS))
A64_USER_CFLAGS  := $(A64_COMMON_CFLAGS) -Ikernel/user/lib
A64_USER_LDFLAGS := -nostdlib -static -z max-page-size=65536 -z noexecstack -T kernel/user/user-aarch64.ld
A64_USER_LIB_OBJS := $(patsubst kernel/%,$(A64_BUILD)/%.o,$(USER_LIB_SRCS))
A64_USER_ELFS := $(patsubst %,$(A64_BUILD)/user/%.elf,$(USER_PROGS))
.SECONDARY: $(A64_USER_ELFS:.elf=.c.o) $(A64_USER_LIB_OBJS)

kernel-aarch64: $(BUILD)/kernel-aarch64.elf ; @:

# A missing cross toolchain is one clear line.
.PHONY: check-a64-toolchain
check-a64-toolchain:
	@command -v $(A64_CC) >/dev/null && command -v $(A64_LD) >/dev/null || { \
		echo "error: $(A64_CC) or $(A64_LD) is missing: run scripts/deps.sh (or make deps), or build x86-64 only with KERNEL_ARCHS=x86_64" >&2; exit 1; }
$(A64_OBJS) $(A64_USER_LIB_OBJS) $(A64_USER_ELFS:.elf=.c.o): | check-a64-toolchain

$(BUILD)/kernel-aarch64.elf: $(A64_OBJS) kernel/arch/aarch64/kernel.ld
	$(call quiet,LD,$@)$(A64_LD) $(A64_LDFLAGS) -o $@ $(A64_OBJS)

$(A64_BUILD)/user/%.c.o: kernel/user/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC a64u,$<)$(A64_CC) $(A64_USER_CFLAGS) -MMD -MP -c $< -o $@

$(A64_BUILD)/user/%.elf: $(A64_BUILD)/user/%.c.o $(A64_USER_LIB_OBJS) kernel/user/user-aarch64.ld
	$(call quiet,LD a64u,$@)$(A64_LD) $(A64_USER_LDFLAGS) -o $@ $< $(A64_USER_LIB_OBJS)

$(A64_BUILD)/proc/programs.S.o: $(A64_USER_ELFS)
$(A64_BUILD)/proc/programs.S.o: A64_ASFLAGS_EXTRA = -Wa,-I$(A64_BUILD)/user

$(A64_BUILD)/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC a64,$<)$(A64_CC) $(A64_CFLAGS) -MMD -MP -c $< -o $@

$(A64_BUILD)/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS a64,$<)$(A64_CC) $(A64_CFLAGS) $(A64_ASFLAGS_EXTRA) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

-include $(A64_OBJS:.o=.d) $(A64_USER_LIB_OBJS:.o=.d) $(A64_USER_ELFS:.elf=.c.d)
