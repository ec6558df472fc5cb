/* SPDX-License-Identifier: MIT */
/*
 * The table formats the library knows. A new format adds its decoder here (and its
 * folder beside x86/, arm64/ and vtd/); nothing else in the frame changes.
 */
#include <string.h>

#include "arm64/arm64_walk.h"
#include "vtd/vtd_walk.h"
#include "walk/frame.h"
#include "x86/x86_walk.h"

static const struct ptdbg_decoder *const decoders[] = {
	&ptdbg_x86_decoder,
	&ptdbg_arm64_decoder,
	&vtd_sl_decoder,
};

/* The i-th registered format, NULL past the last. */
const struct ptdbg_decoder *ptdbg_decoder_at(unsigned i)
{
	return i < sizeof(decoders) / sizeof(decoders[0]) ? decoders[i] : NULL;
}

/* The format called name, NULL if none is. */
const struct ptdbg_decoder *ptdbg_decoder_find(const char *name)
{
	const struct ptdbg_decoder *d;

	for (unsigned i = 0; (d = ptdbg_decoder_at(i)) != NULL; i++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}
