# tools/tools.mk: libptdbg and the command-line tools.
# Every tools/lib/PART/*.c goes into $(BUILD)/libptdbg.a (each part's fragment,
# tools/lib/PART/PART.mk, names its sources); each tools/CMD/*.c into $(BUILD)/CMD.

LIB_PARTS := target walk x86 arm64 vtd smmu acpi region out cli
LIB_SRCS  :=
include $(foreach p,$(LIB_PARTS),tools/lib/$(p)/$(p).mk)
LIB_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
LIBPTDBG  := $(BUILD)/libptdbg.a
TOOL_CMDS := $(notdir $(patsubst %/,%,$(dir $(wildcard tools/*/main.c))))
TOOL_BINS := $(addprefix $(BUILD)/,$(TOOL_CMDS))

tools: $(TOOL_BINS) ; @:

# A missing library is one clear line, not a screen of compiler errors.
.PHONY: check-host-libs
check-host-libs:
	@for p in $(HOST_PKGS); do pkg-config --exists $$p || { \
		echo "error: the $$p development files are missing: run scripts/deps.sh (or make deps)" >&2; exit 1; }; done
	@for h in readline/readline.h cmocka.h; do \
		printf '#include <stdarg.h>\n#include <stddef.h>\n#include <setjmp.h>\n#include <stdio.h>\n#include <%s>\n' $$h | \
		$(CC) -E -x c - >/dev/null 2>&1 || { echo "error: <$$h> is missing: run scripts/deps.sh (or make deps)" >&2; exit 1; }; done
$(LIB_OBJS): | check-host-libs

$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$<)$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(LIBPTDBG): $(LIB_OBJS)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

# One link rule per command: its own objects plus the library.
define tool_rule
$(BUILD)/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tools/$(1)/*.c)) $(LIBPTDBG)
	$$(call quiet,LD,$$@)$$(CC) $$(HOST_CFLAGS) -o $$@ $$(filter %.o,$$^) $(LIBPTDBG) $$(HOST_LIBS)
endef
$(foreach t,$(TOOL_CMDS),$(eval $(call tool_rule,$(t))))

-include $(LIB_OBJS:.o=.d) $(patsubst %.c,$(BUILD)/%.d,$(wildcard tools/*/*.c))
