# tests/tests.mk: unit tests (cmocka, host only), test helpers, and the suite runner.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
FAKESTUB  := $(if $(wildcard tests/fakestub/*.c),$(BUILD)/tests/fakestub)

.PHONY: test-bins unit bench-bins
test-bins: $(UNIT_BINS) $(FAKESTUB) ; @:

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -MMD -MP -Itests/unit -o $@ $< $(LIBPTDBG) $(HOST_LIBS) -lcmocka

$(BUILD)/tests/fakestub: $(wildcard tests/fakestub/*.c) $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(LIBPTDBG) $(HOST_LIBS)

# make test: everything, from a fresh machine. TESTS=unit|integration|NAME narrows it.
test: deps
	@$(MAKE) --no-print-directory all test-bins
	@tests/run $(TESTS)

unit: test-bins
	@tests/run unit

# make bench: the benchmarks, not part of make test. bench-bins names what they run
# (tests/bench/run asks for it by that name, whatever BUILD is).
bench: deps
	@$(MAKE) --no-print-directory all bench-bins
	@BUILD="$(BUILD)" tests/bench/run
bench-bins: $(BUILD)/tests/ptbench ; @:

-include $(UNIT_BINS:=.d)
-include tests/sanitize.mk

$(BUILD)/tests/ptbench: tests/bench/ptbench.c $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -o $@ $< $(LIBPTDBG) $(HOST_LIBS)

# The access scenario's case reader and checker (tests/integration/access.sh).
$(BUILD)/tests/access_cases: tests/access/access_cases.c tests/unit/access_file.h $(LIBPTDBG)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(CC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(LIBPTDBG) $(HOST_LIBS)
test-bins: $(BUILD)/tests/access_cases

# make soak: SOAK_CYCLES attach-and-detach cycles of each tool against a VM of each
# architecture (tests/soak/soak.sh);
# a 100-cycle version runs in make test (tests/integration/soak.sh).
SOAK_CYCLES ?= 1000
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory all
	@bash tests/soak/soak.sh $(SOAK_CYCLES)
