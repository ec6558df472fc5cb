# tools/lib/smmu/: Arm SMMUv3: registers, stream table and context descriptors, command and event queues, checks.
LIB_SRCS += $(wildcard tools/lib/smmu/*.c)
