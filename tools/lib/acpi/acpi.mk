# tools/lib/acpi/: ACPI tables in guest memory: the RSDP on BIOS and UEFI guests, the XSDT/RSDT, the IORT.
LIB_SRCS += $(wildcard tools/lib/acpi/*.c)
