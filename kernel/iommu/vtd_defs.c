/* The capability fields the kernel prints at VT-d initialisation (VT-d 10.4.2-3). */
#include "iommu/vtd_defs.h"

/* {name, lsb, width} of the field whose mask is m. */
#define FIELD(name, m) { name, PTDBG_FIELD_SHIFT(m), PTDBG_FIELD_WIDTH(m) }

const struct vtd_field vtd_cap_fields[] = {
	FIELD("ND", VTD_CAP_ND_MASK),       FIELD("CM", VTD_CAP_CM),
	FIELD("SAGAW", VTD_CAP_SAGAW_MASK), FIELD("MGAW", VTD_CAP_MGAW_MASK),
	FIELD("FRO", VTD_CAP_FRO_MASK),     FIELD("SLLPS", VTD_CAP_SLLPS_MASK),
	FIELD("PSI", VTD_CAP_PSI),          FIELD("NFR", VTD_CAP_NFR_MASK),
	FIELD("MAMV", VTD_CAP_MAMV_MASK),
};
const size_t vtd_cap_fields_count = sizeof(vtd_cap_fields) / sizeof(vtd_cap_fields[0]);

const struct vtd_field vtd_ecap_fields[] = {
	FIELD("C", VTD_ECAP_C),     FIELD("QI", VTD_ECAP_QI),          FIELD("IR", VTD_ECAP_IR),
	FIELD("PT", VTD_ECAP_PT),   FIELD("SC", VTD_ECAP_SC),          FIELD("IRO", VTD_ECAP_IRO_MASK),
	FIELD("SMTS", VTD_ECAP_SMTS), FIELD("SLTS", VTD_ECAP_SLTS),
};
const size_t vtd_ecap_fields_count = sizeof(vtd_ecap_fields) / sizeof(vtd_ecap_fields[0]);
