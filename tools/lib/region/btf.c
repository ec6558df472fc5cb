/* SPDX-License-Identifier: MIT */
/* Enumerator look-up in BTF; see btf.h and Linux's include/uapi/linux/btf.h. */
#include "region/btf.h"

#include <string.h>

#define BTF_MAGIC 0xeb9f

enum {
	KIND_INT = 1, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_UNION = 5, KIND_ENUM = 6,
	KIND_FUNC_PROTO = 13, KIND_VAR = 14, KIND_DATASEC = 15, KIND_DECL_TAG = 17,
	KIND_ENUM64 = 19, KIND_MAX = 19,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4); /* BTF is in the kernel's byte order: little-endian here */
	return v;
}

/* Bytes that follow a type's 12-byte header, or SIZE_MAX for an unknown kind. */
static size_t extra(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case KIND_INT: case KIND_VAR: case KIND_DECL_TAG: return 4;
	case KIND_ARRAY: return 12;
	case KIND_STRUCT: case KIND_UNION: case KIND_DATASEC: case KIND_ENUM64: return 12 * (size_t)vlen;
	case KIND_ENUM: case KIND_FUNC_PROTO: return 8 * (size_t)vlen;
	default: return kind <= KIND_MAX && kind ? 0 : SIZE_MAX;
	}
}

int ptdbg_btf_enum_value(const uint8_t *buf, size_t len, const char *name, int64_t *val)
{
	if (len < 24 || (buf[0] | buf[1] << 8) != BTF_MAGIC)
		return -1;
	uint32_t hdr = rd32(buf + 4), toff = rd32(buf + 8), tlen = rd32(buf + 12);
	uint32_t soff = rd32(buf + 16), slen = rd32(buf + 20);
	if (hdr < 24 || hdr > len || (uint64_t)toff + tlen > len - hdr || (uint64_t)soff + slen > len - hdr)
		return -1;
	const uint8_t *t = buf + hdr + toff, *end = t + tlen;
	const char *str = (const char *)buf + hdr + soff;
	size_t nlen = strlen(name);

	while (end - t >= 12) {
		uint32_t info = rd32(t + 4);
		unsigned kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
		size_t more = extra(kind, vlen);

		if (more == SIZE_MAX || more > (size_t)(end - t) - 12)
			return -1;
		if (kind == KIND_ENUM || kind == KIND_ENUM64) {
			size_t each = kind == KIND_ENUM ? 8 : 12;

			for (unsigned i = 0; i < vlen; i++) {
				const uint8_t *e = t + 12 + i * each;
				uint32_t no = rd32(e);

				if (no >= slen || slen - no <= nlen || memcmp(str + no, name, nlen + 1))
					continue;
				if (kind == KIND_ENUM)
					*val = (int32_t)rd32(e + 4);
				else
					*val = (int64_t)((uint64_t)rd32(e + 8) << 32 | rd32(e + 4));
				return 0;
			}
		}
		t += 12 + more;
	}
	return -1;
}
