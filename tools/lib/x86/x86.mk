# tools/lib/x86/: the x86-64 page-table decoder, its printers, checks and snapshot parts.
LIB_SRCS += $(wildcard tools/lib/x86/*.c)
