/* The capability fields the kernel prints at VT-d initialisation (VT-d 10.4.2-3). */
#include "iommu/vtd_defs.h"

const struct vtd_field vtd_cap_fields[] = {
	{ "ND", 0, 3 },     { "CM", 7, 1 },    { "SAGAW", 8, 5 }, { "MGAW", 16, 6 },
	{ "FRO", 24, 10 },  { "SLLPS", 34, 4 }, { "PSI", 39, 1 }, { "NFR", 40, 8 },
	{ "MAMV", 48, 6 },
};
const size_t vtd_cap_fields_count = sizeof(vtd_cap_fields) / sizeof(vtd_cap_fields[0]);

const struct vtd_field vtd_ecap_fields[] = {
	{ "C", 0, 1 },     { "QI", 1, 1 },    { "IR", 3, 1 },    { "PT", 6, 1 },
	{ "SC", 7, 1 },    { "IRO", 8, 10 },  { "SMTS", 43, 1 }, { "SLTS", 46, 1 },
};
const size_t vtd_ecap_fields_count = sizeof(vtd_ecap_fields) / sizeof(vtd_ecap_fields[0]);
