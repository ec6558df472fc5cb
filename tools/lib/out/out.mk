# tools/lib/out/: output consumers shared by every format: JSON, findings, snapshots and their diff.
LIB_SRCS += $(wildcard tools/lib/out/*.c)
