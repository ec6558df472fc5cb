# tools/lib/region/: the ptdbg debug region and kernel symbols.
LIB_SRCS += $(wildcard tools/lib/region/*.c)
