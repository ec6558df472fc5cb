# tools/lib/cli/: the command-line side: session, option parsing, command dispatch, the gdb entry.
LIB_SRCS += $(wildcard tools/lib/cli/*.c)
