# tools/lib/arm64/: the AArch64 (VMSAv8-64 stage 1) decoder, its names and register decoding.
LIB_SRCS += $(wildcard tools/lib/arm64/*.c)
