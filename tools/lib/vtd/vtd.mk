# tools/lib/vtd/: Intel VT-d: registers, ACPI DMAR, root/context/PASID tables, the second-level decoder, fault records, checks.
LIB_SRCS += $(wildcard tools/lib/vtd/*.c)
