# tools/lib/target/: the target interface and its backends (gdbstub, RSP codec, core file, fast path, memory image, callback), the page cache and memory reader.
LIB_SRCS += $(wildcard tools/lib/target/*.c)
