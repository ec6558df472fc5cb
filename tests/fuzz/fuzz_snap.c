/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the snapshot reader (ptdbg_snap_parse) and the differ.
 *
 * Input: byte 0 is a mode, the rest a snapshot file. Mode bit 0 rewrites the CRC
 * trailer to match the body before parsing, so that the fuzzer reaches the
 * structure checks behind the checksum (a real file with a wrong checksum is
 * rejected; mode 0 keeps that path covered). A snapshot that parses is diffed
 * against itself (no differences allowed) and, space by space, against its
 * neighbour, with both printers.
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "out/json.h"
#include "out/snapshot.h"
#include "x86/x86_snap.h"

static size_t ndiffs;

/* Print a difference in text and JSON. */
static void print_diff(void *ctx, const struct ptdbg_diff *d)
{
	struct ptdbg_json *j = ctx;

	ndiffs++;
	ptdbg_diff_print(fz_sink(), d, ptdbg_x86_snap_attr_name);
	ptdbg_diff_json(j, d, ptdbg_x86_snap_attr_name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	size_t len = size - 1;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	if ((mode & 1) && len >= 12) {
		uint32_t crc = ptdbg_crc32(0, buf, len - 12);
		memcpy(buf + len - 12, &crc, 4);
	}

	struct ptdbg_snapshot s;
	char err[256];
	if (ptdbg_snap_parse(&s, buf, len, err, sizeof(err)) == 0) {
		struct ptdbg_json *j = ptdbg_json_new(fz_sink());
		if (j) {
			ptdbg_json_start_array(j);
			for (size_t i = 0; i < s.nspaces; i++) {
				ndiffs = 0;
				ptdbg_snap_diff(&s.spaces[i], &s.spaces[i], print_diff, j);
				if (ndiffs)
					abort(); /* a space differs from itself */
				if (ptdbg_snap_space(&s, s.spaces[i].name) == NULL)
					abort();
				ptdbg_snap_diff(&s.spaces[i], &s.spaces[(i + 1) % s.nspaces], print_diff, j);
			}
			ptdbg_json_end_array(j);
			ptdbg_json_free(j);
		}
		ptdbg_snap_free(&s);
	} else if (s.nspaces || s.spaces) {
		abort(); /* a failed parse leaves the snapshot empty */
	}
	free(buf);
	return 0;
}
