# tools/lib/region/: the ptdbg debug region, kernel symbols, and the region-aware check
# of CPU page tables (region_check.c: format-neutral, fed by every decoder).
LIB_SRCS += $(wildcard tools/lib/region/*.c)
