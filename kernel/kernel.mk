# The reference kernel: build/kernel.elf (ELF64, linked high, loaded low, PVH entry).
#
#   make kernel          build $(BUILD)/kernel.elf (objects under $(BUILD)/kernel/)
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

KERNEL_SRCS := $(filter-out kernel/user/%,$(shell find kernel -name '*.c' -o -name '*.S'))
KERNEL_OBJS := $(patsubst kernel/%,$(KBUILD)/%.o,$(KERNEL_SRCS))
KERNEL_DEPS := $(KERNEL_OBJS:.o=.d)

USER_PROGS     := $(basename $(notdir $(wildcard kernel/user/*.c)))
USER_LIB_SRCS  := $(wildcard kernel/user/lib/*.c)
USER_LIB_OBJS  := $(patsubst kernel/%,$(KBUILD)/%.o,$(USER_LIB_SRCS))
USER_ELFS      := $(patsubst %,$(KBUILD)/user/%.elf,$(USER_PROGS))
# Their objects are kept (not removed as intermediates: no "rm" line, and a changed
# header rebuilds them through their .d files).
.SECONDARY: $(USER_ELFS:.elf=.c.o) $(USER_LIB_OBJS)

.PHONY: kernel kernel-user
kernel: $(BUILD)/kernel.elf ; @:
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
