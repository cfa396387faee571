/*
 * urlindex: the set's records by canonical, "url" and "url|version", of
 * every kind in one open-addressing table.  It replaced a string map
 * because opening the defaults put 5,800 keys in it (half of opening them):
 * here a key is hashed eight bytes at a time (fhirdef_hash), the table is
 * sized for the unit before it is filled, and growing rehashes no string
 * (each slot keeps its hash).
 */
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"

/* Does slot s stand for key (of length len)? */
static int slot_is(const struct urlindex_slot *s, int kind, const char *key, size_t len)
{
	const struct unit_entry *e = s->e;
	size_t ul;

	if (s->kind != kind)
		return 0;
	ul = strlen(e->url);
	if (!s->with_version)
		return ul == len && memcmp(e->url, key, len) == 0;
	return ul < len && key[ul] == '|' && memcmp(e->url, key, ul) == 0 &&
		strcmp(e->version, key + ul + 1) == 0 && strlen(e->version) == len - ul - 1;
}

static int grow(struct fhirdef_urlindex *x, size_t want)
{
	size_t cap = x->cap ? x->cap : 64, i;
	struct urlindex_slot *slots;

	while (cap < want * 2)
		cap *= 2;
	if (cap == x->cap)
		return 0;
	if (!(slots = calloc(cap, sizeof(*slots))))
		return -1;
	for (i = 0; i < x->cap; i++) {
		size_t j;
		if (!x->slots[i].e)
			continue;
		for (j = x->slots[i].h & (cap - 1); slots[j].e; j = (j + 1) & (cap - 1))
			;
		slots[j] = x->slots[i];
	}
	free(x->slots);
	x->slots = slots;
	x->cap = cap;
	return 0;
}

int fhirdef_urlindex_reserve(struct fhirdef_urlindex *x, size_t more)
{
	return grow(x, x->count + more);
}

int fhirdef_urlindex_put(struct fhirdef_urlindex *x, struct unit_entry *e, int with_version,
	int *fresh)
{
	size_t ul = strlen(e->url), vl = with_version ? strlen(e->version) : 0, len = ul, i;
	char small[1024], *buf = NULL;
	const char *key = e->url;
	uint64_t h;

	if (grow(x, x->count + 1) < 0)
		return -1;
	if (with_version) {
		/* url|version, joined by hand (no printf: thousands of keys). */
		char *k = ul + vl + 2 <= sizeof(small) ? small : (buf = malloc(ul + vl + 2));
		if (!k)
			return -1;
		memcpy(k, e->url, ul);
		k[ul] = '|';
		memcpy(k + ul + 1, e->version, vl + 1);
		key = k;
		len = ul + vl + 1;
	}
	h = fhirdef_hash(key, len, (uint64_t)e->kind + 1);
	for (i = h & (x->cap - 1); x->slots[i].e; i = (i + 1) & (x->cap - 1))
		if (x->slots[i].h == h && slot_is(&x->slots[i], e->kind, key, len))
			break;
	free(buf);
	if (fresh)
		*fresh = !x->slots[i].e;
	if (!x->slots[i].e)
		x->count++;
	/* A later unit's record replaces an earlier one's. */
	x->slots[i].h = h;
	x->slots[i].e = e;
	x->slots[i].kind = e->kind;
	x->slots[i].with_version = with_version;
	return 0;
}

struct unit_entry *fhirdef_urlindex_get(const struct fhirdef_urlindex *x, int kind,
	const char *key, size_t len)
{
	uint64_t h;
	size_t i;

	if (!x->cap)
		return NULL;
	h = fhirdef_hash(key, len, (uint64_t)kind + 1);
	for (i = h & (x->cap - 1); x->slots[i].e; i = (i + 1) & (x->cap - 1))
		if (x->slots[i].h == h && slot_is(&x->slots[i], kind, key, len))
			return x->slots[i].e;
	return NULL;
}

void fhirdef_urlindex_release(struct fhirdef_urlindex *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}
