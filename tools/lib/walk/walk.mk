# tools/lib/walk/: the format-neutral walker frame: events, paths, budgets, bit tables.
LIB_SRCS += $(wildcard tools/lib/walk/*.c)
