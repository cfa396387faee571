/*
 * A fast 64-bit hash for content keys and file checksums: eight bytes at a
 * time, each word mixed by multiply and rotate, the tail and length folded
 * in at the end.  Not cryptographic: it finds corruption and changes, it
 * does not resist an attacker who can already write the cache folder.
 */
#include <string.h>

#include "fhirdef/internal.h"

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t fhirdef_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t a = seed ^ 0x9e3779b97f4a7c15ULL, b = seed + 0x632be59bd9b4e019ULL, w;
	size_t i = 0;

	/* Two lanes so the multiplies overlap. */
	for (; i + 16 <= len; i += 16) {
		memcpy(&w, p + i, 8);
		a = ((a ^ w) * 0x87c37b91114253d5ULL);
		a = (a << 31) | (a >> 33);
		memcpy(&w, p + i + 8, 8);
		b = ((b ^ w) * 0x4cf5ad432745937fULL);
		b = (b << 29) | (b >> 35);
	}
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		a = ((a ^ w) * 0x87c37b91114253d5ULL);
		a = (a << 31) | (a >> 33);
	}
	w = 0;
	if (i < len)
		memcpy(&w, p + i, len - i);
	b ^= w;
	return mix(a ^ mix(b) ^ (uint64_t)len);
}
