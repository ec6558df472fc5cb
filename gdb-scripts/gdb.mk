# gdb-scripts/gdb.mk: the gdb commands (`pt`, `iommu`) and the triage scripts.
#
#   make gdb-lib          build $(BUILD)/libptdbg-gdb.so, which gdb-scripts/ptdbg.py loads
#   make triage SCENARIO=S [BUG=B] [MEM=...] [TRIAGE=NAME]
#                         boot S stopped, run its triage script (gdb-scripts/triage-NAME.gdb,
#                         see gdb-scripts/triage) under gdb -batch, print the report, stop
#                         the VM
#
# The library holds position-independent copies of libptdbg and of the ptdump and
# iommudump commands (all but their main.c). Each tool's objects are linked into one
# relocatable object whose symbols are then made local but for the program table, so
# that the two tools' same-named commands (cmd_dump, cmd_check, ...) do not clash.

GDB_LIB      := $(BUILD)/libptdbg-gdb.so
PIC          := $(BUILD)/pic
PIC_CFLAGS   := $(HOST_CFLAGS) -fPIC
PIC_LIB_OBJS := $(patsubst %.c,$(PIC)/%.o,$(LIB_SRCS))
GDB_TOOLS    := ptdump iommudump
# tool -> the one global symbol its object keeps
GDB_KEEP_ptdump    := ptdump_prog
GDB_KEEP_iommudump := iommudump_prog

.PHONY: gdb-lib triage
all: gdb-lib
test-bins: gdb-lib
gdb-lib: $(GDB_LIB) ; @:

$(PIC)/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC pic,$<)$(CC) $(PIC_CFLAGS) -MMD -MP -c $< -o $@

$(PIC)/gdb-scripts/%.o: gdb-scripts/%.c
	@mkdir -p $(@D)
	$(call quiet,CC pic,$<)$(CC) $(PIC_CFLAGS) -MMD -MP -c $< -o $@

# $(PIC)/TOOL-commands.o: the tool's objects but main.o, with local symbols only.
define gdb_tool_rule
$(PIC)/$(1)-commands.o: $(patsubst %.c,$(PIC)/%.o,$(filter-out tools/$(1)/main.c,$(wildcard tools/$(1)/*.c)))
	$$(call quiet,LD -r,$$@)$$(LD) -r -o $$@.tmp $$^
	$$(Q)objcopy $(addprefix --keep-global-symbol=,$(GDB_KEEP_$(1))) $$@.tmp $$@
	@rm -f $$@.tmp
endef
$(foreach t,$(GDB_TOOLS),$(eval $(call gdb_tool_rule,$(t))))

$(GDB_LIB): $(PIC)/gdb-scripts/ptdbg_gdb.o $(foreach t,$(GDB_TOOLS),$(PIC)/$(t)-commands.o) \
	    $(PIC_LIB_OBJS) gdb-scripts/libptdbg-gdb.map
	$(call quiet,LD,$@)$(CC) -shared -Wl,--version-script=gdb-scripts/libptdbg-gdb.map -Wl,-z,defs -o $@ \
		$(filter %.o,$^) $(HOST_LIBS)

# make triage: boot the scenario stopped, let the triage script drive it, stop it.
TRIAGE_TIMEOUT ?= 240
# MEM only when given (the runner picks 10G for dma-high otherwise). A report that
# finds the bug (status 1) is a successful triage; no report (2, 124) is a failure.
triage: kernel gdb-lib
	@ARCH="$(ARCH)" gdb-scripts/triage "$(SCENARIO)" "$(BUG)" "$(if $(filter file,$(origin MEM)),,$(MEM))" \
		"$(TRIAGE_TIMEOUT)" || [ $$? = 1 ]

-include $(PIC_LIB_OBJS:.o=.d) $(patsubst %.c,$(PIC)/%.d,$(wildcard tools/ptdump/*.c tools/iommudump/*.c gdb-scripts/*.c))
