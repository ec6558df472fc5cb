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

# Commands linked statically: those that open no library at run time (ptdump opens
# Capstone on first use, so it stays dynamic). The dynamic loader, libc's and
# libelf's mappings and their relocations are 0.3-0.4 ms of each run on a small
# VM, a fifth of a whole attach. Not under the sanitizers (EXTRA_CFLAGS), which
# need the dynamic runtime; STATIC_TOOLS= links every command dynamically.
STATIC_TOOLS ?= $(if $(strip $(EXTRA_CFLAGS)$(EXTRA_LDFLAGS)),,iommudump)
STATIC_LIBS  := $(shell pkg-config --static --libs libelf 2>/dev/null) -lm
# glibc's note that a static getaddrinfo loads the NSS modules of the glibc it was
# linked with at run time: true here (the tool is built where it runs) and said
# on every link, so a link that works leaves it out (with the line naming the
# function that calls it); any other message, and a failed link's, is shown.
STATIC_NOTE  := Using 'getaddrinfo' in statically linked applications

# One link rule per command: its own objects plus the library.
define tool_rule
$(BUILD)/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tools/$(1)/*.c)) $(LIBPTDBG)
ifneq ($(filter $(1),$(STATIC_TOOLS)),)
	$$(call quiet,LD,$$@)$$(CC) $$(HOST_CFLAGS) -static -o $$@ $$(filter %.o,$$^) $(LIBPTDBG) \
		$$(STATIC_LIBS) 2>$$@.log; rc=$$$$?; if [ $$$$rc = 0 ]; then \
		grep -v -e "$$(STATIC_NOTE)" -e ": in function \`gs_connect':" $$@.log >&2; \
		else cat $$@.log >&2; fi; rm -f $$@.log; exit $$$$rc
else
	$$(call quiet,LD,$$@)$$(CC) $$(HOST_CFLAGS) -o $$@ $$(filter %.o,$$^) $(LIBPTDBG) $$(HOST_LIBS)
endif
endef
$(foreach t,$(TOOL_CMDS),$(eval $(call tool_rule,$(t))))

-include $(LIB_OBJS:.o=.d) $(patsubst %.c,$(BUILD)/%.d,$(wildcard tools/*/*.c))
