# ptdbg top-level Makefile. Component rules live in */*.mk fragments included below.
#
#   make                  build both kernels (build/kernel.elf, build/kernel-aarch64.elf)
#                         and the tools
#   make qemu             boot SCENARIO (default) with the serial console here;
#                         ARCH=aarch64 boots the AArch64 kernel on QEMU's virt machine
#   make qemu-gdb         the same, stopped, gdbstub on 127.0.0.1:$(GDBPORT)
#   make triage           SCENARIO=S BUG=B [ARCH=aarch64]: boot S, run its gdb triage script
#   make demo             install what is missing, build, boot, show what the tools see
#   make test             install what is missing, build, run every test suite
#   make bench            the benchmarks (not part of make test)
#   make install          PREFIX=/usr/local DESTDIR= (make uninstall removes it)
#   make clean

SHELL      := /bin/bash
BUILD      ?= build
PREFIX     ?= /usr/local
DESTDIR    ?=
SCENARIO   ?= default
BUG        ?=
MEM        ?= 512M
SMP        ?= 1
GDBPORT    ?= $(shell expr `id -u` % 5000 + 25000)
ARCH       ?= x86_64
APPEND     ?=
KERNEL_ELF_x86_64  := $(BUILD)/kernel.elf
KERNEL_ELF_aarch64 := $(BUILD)/kernel-aarch64.elf
GDB_x86_64  := gdb
GDB_aarch64 := gdb-multiarch

# A quiet build: each rule prints one short line per file it makes ("  CC      FILE",
# "  LD      build/ptdump"), and V=1 prints the full commands instead; make -s prints
# neither. In a recipe, $(call quiet,TAG,FILE) opens the line of the command that
# makes FILE, and $(Q) opens every other line:
#     $(call quiet,CC,$<)$(CC) -c $< -o $@
V          ?= 0
ifeq ($(V),1)
Q          :=
quiet       =
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q          := @
quiet       = @
else
Q          := @
quiet       = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif

CC         ?= gcc
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
               -Wshadow -Wformat=2 -Wstrict-prototypes -Iinclude -Itools/lib
HOST_PKGS  := libelf capstone
HOST_CFLAGS += $(shell pkg-config --cflags $(HOST_PKGS) 2>/dev/null)
# Capstone is not linked: tools/lib/cli/capstone_loader.c opens it on first use,
# by the soname of the library found here.
CAPSTONE_SONAME := $(shell objdump -p "$$(pkg-config --variable=libdir capstone 2>/dev/null)/libcapstone.so" \
                     2>/dev/null | sed -n 's/^ *SONAME *//p')
HOST_CFLAGS += $(if $(CAPSTONE_SONAME),-DCAPSTONE_SONAME='"$(CAPSTONE_SONAME)"')
HOST_LIBS  := $(shell pkg-config --libs libelf 2>/dev/null) -lreadline -lm
# Extra flags for a second build (tests/sanitize.mk: make BUILD=build/asan EXTRA_CFLAGS=...).
HOST_CFLAGS += $(EXTRA_CFLAGS)
HOST_LIBS  += $(EXTRA_LDFLAGS)

.PHONY: all kernel tools qemu qemu-gdb demo test unit bench install uninstall clean deps
# Targets that only gather others have an empty recipe (@:): on an up-to-date tree
# they print nothing, not "Nothing to be done".
all: kernel tools ; @:

deps:
	@scripts/deps.sh

include kernel/kernel.mk
include tools/tools.mk
include tests/tests.mk

VM_OPTS   = --arch "$(ARCH)" --scenario "$(SCENARIO)" --bug "$(BUG)" --mem "$(MEM)" --smp "$(SMP)" \
	    $(if $(APPEND),--append "$(APPEND)")
QEMU_ARGS = $(shell scripts/vm qemu-args $(VM_OPTS))

qemu: kernel
	$(Q)scripts/vm run $(VM_OPTS)

qemu-gdb: kernel
	@echo "gdbstub on 127.0.0.1:$(GDBPORT); the VM is stopped. Attach: $(GDB_$(ARCH)) -ex 'target remote 127.0.0.1:$(GDBPORT)' $(KERNEL_ELF_$(ARCH))"
	$(Q)scripts/vm run $(VM_OPTS) --gdb $(GDBPORT) --stopped

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

install: all
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" BUILD="$(BUILD)" V="$(V)" scripts/install install

uninstall:
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" BUILD="$(BUILD)" scripts/install uninstall

clean:
	$(call quiet,CLEAN,$(BUILD))rm -rf $(BUILD)
-include gdb-scripts/gdb.mk
