# tests/sanitize.mk: sanitizer builds, fuzz targets and corpus replay.
#
#   make asan                 the tools, unit tests and corpus replayers built with
#                             AddressSanitizer + UndefinedBehaviorSanitizer in build/asan
#   make fuzz FUZZ_SECONDS=N  every libFuzzer target for N seconds (clang), one at a time
#   make fuzz-bins            just build them (build/fuzz/fuzz_*)
#   make fuzz-replay          replay the committed corpora (tests/fuzz/corpus) under the
#                             sanitizers, without fuzzing (also run by `make test`)
#   make build/fuzz/mkseeds   the tool that cuts the seed corpora out of captures of a
#                             real VM (tests/fuzz/README.md)

ASAN_BUILD   := build/asan
ASAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BUILD   := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# The library is other components' code: its clang warnings must not stop fuzzing.
FUZZ_CFLAGS  := $(filter-out -O2 -Werror,$(HOST_CFLAGS)) -O1 -g -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LIB     := $(FUZZ_BUILD)/libptdbg.a
FUZZ_BINS    := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))
REPLAY_BINS  := $(addprefix $(BUILD)/tests/fuzz/replay_,$(FUZZ_TARGETS))

.PHONY: asan asan-bins fuzz fuzz-bins fuzz-replay replay-bins

# Replayers: each fuzz target's entry point linked with tests/fuzz/replay.c and the
# library of this build (in build/asan they carry the sanitizers).
replay-bins: $(REPLAY_BINS) ; @:
$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_input.h $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -Itests/fuzz -o $@ $(filter %.c,$^) $(LIBPTDBG) $(HOST_LIBS) -lpthread

# The command-line target and its replayer also link both tools' commands (all but
# main.c): one object per tool whose symbols are local but for its program table,
# the same objects gdb's library uses ($(PIC)/TOOL-commands.o, gdb-scripts/gdb.mk).
$(BUILD)/tests/fuzz/replay_cmdline: tests/fuzz/fuzz_cmdline.c tests/fuzz/replay.c tests/fuzz/fuzz_input.h \
		$(BUILD)/pic/ptdump-commands.o $(BUILD)/pic/iommudump-commands.o $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -Itests/fuzz -o $@ $(filter %.c %.o,$^) $(LIBPTDBG) $(HOST_LIBS) -lpthread

# asan-bins, made with BUILD=$(ASAN_BUILD): the unit tests by name, not test-bins:
# that also builds gdb's shared library, which cannot carry the sanitizers.
asan:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) EXTRA_CFLAGS="$(ASAN_FLAGS)" asan-bins
asan-bins: tools $(UNIT_BINS) replay-bins ; @:

fuzz-replay: asan
	@for t in $(FUZZ_TARGETS); do \
		$(ASAN_BUILD)/tests/fuzz/replay_$$t tests/fuzz/corpus/$$t || exit 1; done

# libFuzzer builds (clang): the library compiled again with coverage instrumentation.
fuzz-bins: $(FUZZ_BINS) ; @:
$(FUZZ_BUILD)/lib/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(call quiet,CC fuzz,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_LIB): $(patsubst tools/lib/%.c,$(FUZZ_BUILD)/lib/%.o,$(LIB_SRCS))
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(FUZZ_LIB)
	$(call quiet,CCLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_LIB) $(HOST_LIBS) -lpthread

$(FUZZ_BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(call quiet,CC fuzz,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
define fuzz_tool_rule
$(FUZZ_BUILD)/$(1)-commands.o: $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out tools/$(1)/main.c,$(wildcard tools/$(1)/*.c)))
	$$(call quiet,LD -r,$$@)$$(LD) -r -o $$@.tmp $$^
	$(Q)objcopy --keep-global-symbol=$(1)_prog $$@.tmp $$@
	@rm -f $$@.tmp
endef
$(foreach t,ptdump iommudump,$(eval $(call fuzz_tool_rule,$(t))))
$(FUZZ_BUILD)/fuzz_cmdline: tests/fuzz/fuzz_cmdline.c tests/fuzz/fuzz_input.h \
		$(FUZZ_BUILD)/ptdump-commands.o $(FUZZ_BUILD)/iommudump-commands.o $(FUZZ_LIB)
	$(call quiet,CCLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $(filter %.c %.o,$^) $(FUZZ_LIB) $(HOST_LIBS) -lpthread

# The device tree target includes the kernel's reader (kernel/core/fdt.c), built
# for the host.
$(FUZZ_BUILD)/fuzz_fdt: FUZZ_CFLAGS += -Ikernel
$(FUZZ_BUILD)/fuzz_fdt: kernel/core/fdt.c kernel/core/fdt.h
$(BUILD)/tests/fuzz/replay_fdt: tests/fuzz/fuzz_fdt.c tests/fuzz/replay.c tests/fuzz/fuzz_input.h \
		kernel/core/fdt.c kernel/core/fdt.h $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -Ikernel -Itests/fuzz -o $@ tests/fuzz/fuzz_fdt.c tests/fuzz/replay.c $(LIBPTDBG) $(HOST_LIBS) -lpthread

# The seed cutter: a plain host tool, libc only.
$(BUILD)/fuzz/mkseeds: tests/fuzz/mkseeds.c
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -o $@ $<

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

-include $(patsubst tools/lib/%.c,$(FUZZ_BUILD)/lib/%.d,$(LIB_SRCS))
