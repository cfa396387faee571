/*
 * Hash indexes over the generated FHIR structure tables, built once per
 * process on first use (pthread_once), so that every element lookup while
 * reading a document is one probe, never a scan.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/defs.h"
#include "model/release.h"

struct defs_index {
	const struct fhir_defs *defs;
	uint32_t *elem_slots;   /* element index + 1; 0 is empty */
	size_t elem_mask;
	uint32_t *res_slots;    /* type index + 1 of resources */
	size_t res_mask;
	int failed;
};

static uint32_t hash_name(const char *s, size_t len, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ^ (h >> 15);
}

static size_t table_size(size_t n)
{
	size_t cap = 64;

	while (cap < n * 2)
		cap <<= 1;
	return cap;
}

static void index_build(struct defs_index *ix, const struct fhir_defs *d)
{
	size_t cap, i;
	int t;

	ix->defs = d;
	cap = table_size(d->nelems);
	ix->elem_slots = calloc(cap, sizeof(uint32_t));
	ix->elem_mask = cap - 1;
	cap = table_size(d->ntypes);
	ix->res_slots = calloc(cap, sizeof(uint32_t));
	ix->res_mask = cap - 1;
	if (!ix->elem_slots || !ix->res_slots) {
		ix->failed = 1;
		return;
	}
	for (t = 0; t < (int)d->ntypes; t++) {
		const struct fhir_type *ty = &d->types[t];
		if (ty->is_resource) {
			size_t h = hash_name(ty->name, strlen(ty->name), 0) & ix->res_mask;
			while (ix->res_slots[h])
				h = (h + 1) & ix->res_mask;
			ix->res_slots[h] = (uint32_t)t + 1;
		}
		for (i = (size_t)ty->first; i < (size_t)(ty->first + ty->count); i++) {
			const char *name = d->elems[i].name;
			size_t h = hash_name(name, strlen(name), (uint32_t)t * 0x9E3779B1u) & ix->elem_mask;
			while (ix->elem_slots[h])
				h = (h + 1) & ix->elem_mask;
			ix->elem_slots[h] = (uint32_t)i + 1;
		}
	}
}

/* The structure table of each FHIR version a release is on, indexed on
 * first use.  A version's table may itself be built on first use
 * (fhir_defs_stu3), so it is got through a function. */
static const struct fhir_defs *defs_r4(void)
{
	return &fhir_defs_r4;
}

struct version_index {
	const char *fhir_version;
	const struct fhir_defs *(*get)(void);
	pthread_once_t once;
	struct defs_index ix;
};

static struct version_index versions[] = {
	{ "4.0.1", defs_r4, PTHREAD_ONCE_INIT, { 0 } },
	{ "3.0.2", fhir_defs_stu3, PTHREAD_ONCE_INIT, { 0 } },
};

#define NVERSIONS (sizeof(versions) / sizeof(versions[0]))

static void version_build(size_t i)
{
	const struct fhir_defs *d = versions[i].get();

	if (d)
		index_build(&versions[i].ix, d);
	else
		versions[i].ix.failed = 1;
}

/* pthread_once takes no argument: one starter per row. */
static void build_0(void) { version_build(0); }
static void build_1(void) { version_build(1); }
static void (*const builders[])(void) = { build_0, build_1 };

_Static_assert(sizeof(builders) / sizeof(builders[0]) == NVERSIONS, "a builder per FHIR version");

static const struct defs_index *index_of(const struct fhir_defs *d)
{
	size_t i;

	for (i = 0; d && i < NVERSIONS; i++) {
		if (strcmp(d->version, versions[i].fhir_version) != 0)
			continue;
		pthread_once(&versions[i].once, builders[i]);
		return versions[i].ix.failed || versions[i].ix.defs != d ? NULL : &versions[i].ix;
	}
	return NULL;
}

const struct fhir_defs *fhir_defs_of(const struct zib_release *rel)
{
	size_t i;

	for (i = 0; rel && i < NVERSIONS; i++)
		if (strcmp(versions[i].fhir_version, rel->fhir_version) == 0)
			return versions[i].get();
	return NULL;
}

const struct fhir_type *fhir_resource_type(const struct fhir_defs *d, const char *name)
{
	const struct defs_index *ix = index_of(d);
	size_t h;

	if (!ix)
		return NULL;
	h = hash_name(name, strlen(name), 0) & ix->res_mask;
	while (ix->res_slots[h]) {
		const struct fhir_type *t = &d->types[ix->res_slots[h] - 1];
		if (strcmp(t->name, name) == 0)
			return t;
		h = (h + 1) & ix->res_mask;
	}
	return NULL;
}

const struct fhir_elem *fhir_type_elem(const struct fhir_defs *d, const struct fhir_type *t,
	const char *name, size_t len)
{
	const struct defs_index *ix = index_of(d);
	int tidx = (int)(t - d->types);
	size_t h;

	if (!ix)
		return NULL;
	h = hash_name(name, len, (uint32_t)tidx * 0x9E3779B1u) & ix->elem_mask;
	while (ix->elem_slots[h]) {
		uint32_t e = ix->elem_slots[h] - 1;
		if ((int)e >= t->first && (int)e < t->first + t->count &&
		    strncmp(d->elems[e].name, name, len) == 0 && d->elems[e].name[len] == '\0')
			return &d->elems[e];
		h = (h + 1) & ix->elem_mask;
	}
	return NULL;
}

static int cmp_type_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct fhir_type *)elem)->name);
}

const struct fhir_type *fhir_type_find(const struct fhir_defs *d, const char *name)
{
	/* The generator writes the types sorted by name (byte order). */
	return bsearch(name, d->types, d->ntypes, sizeof(*d->types), cmp_type_name);
}
