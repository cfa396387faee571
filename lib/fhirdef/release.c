/*
 * release: definitions by FHIR release.  STU3 and R4 share canonical URLs
 * (http://hl7.org/fhir/StructureDefinition/Patient is both), so a set that
 * holds both answers a lookup for the release a document is of: the set
 * itself for the primary release (R4, the defaults'), a view for another
 * (internal.h "releases").  A view shares the set's compiled units and
 * decoded records; it has its own index and value-set expansions, as what
 * a value set holds depends on the code systems in view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"
#include "model/release.h"

int fhirdef_fhir_major(const char *v)
{
	int m = 0;

	if (!v)
		return 0;
	while (*v >= '0' && *v <= '9' && m < 1000)
		m = m * 10 + (*v++ - '0');
	return *v == '.' || *v == '\0' ? m : 0;
}

int fhirdef_primary_major(void)
{
	return release_default()->fhir_major;
}

int fhirdef_raw_key(char *buf, size_t size, const char *url, int major)
{
	int n = major ? snprintf(buf, size, "%s\x1f%d", url, major) : snprintf(buf, size, "%s", url);

	return n > 0 && (size_t)n < size;
}

static struct fhirdef_set *view_new(struct fhirdef_set *owner, int major)
{
	struct fhirdef_set *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->owner = owner;
	v->major = major;
	arena_init(&v->arena);
	arena_init(&v->exp_arena);
	fhirdef_locks_init(v);
	strmap_init(&v->expansions, 0);
	return v;
}

static void view_free(struct fhirdef_set *v)
{
	fhirdef_urlindex_release(&v->by_url);
	fhirdef_expansions_release(v);
	strmap_release(&v->expansions);
	fhirdef_locks_destroy(v);
	arena_release(&v->exp_arena);
	arena_release(&v->arena);
	free(v);
}

/* Indexes the entries of release major and those of none, units in
 * order (a later unit wins, as in the set). */
static int view_index(struct fhirdef_set *v, const struct fhirdef_set *owner)
{
	size_t u, i;

	for (u = 0; u < owner->nunits; u++) {
		for (i = 0; i < owner->units[u].nentries; i++) {
			struct unit_entry *e = &owner->units[u].entries[i];
			if (e->major && e->major != v->major)
				continue;
			if (fhirdef_urlindex_put(&v->by_url, e, 0, NULL) < 0 ||
			    (e->version && fhirdef_urlindex_put(&v->by_url, e, 1, NULL) < 0))
				return ZIB_ENOMEM;
		}
	}
	return 0;
}

int fhirdef_set_make_views(struct fhirdef_set *set)
{
	int primary = fhirdef_primary_major();
	size_t u, i, k;

	for (u = 0; u < set->nunits; u++) {
		for (i = 0; i < set->units[u].nentries; i++) {
			int m = set->units[u].entries[i].major;
			int have = m == 0 || m == primary;
			for (k = 0; k < set->nviews && !have; k++)
				have = set->views[k]->major == m;
			if (have)
				continue;
			if (set->nviews == sizeof(set->views) / sizeof(set->views[0]))
				continue;   /* more releases than a set serves: left out */
			if (!(set->views[set->nviews] = view_new(set, m)))
				return ZIB_ENOMEM;
			if (view_index(set->views[set->nviews++], set) < 0)
				return ZIB_ENOMEM;
		}
	}
	return 0;
}

void fhirdef_set_free_views(struct fhirdef_set *set)
{
	size_t k;

	for (k = 0; k < set->nviews; k++)
		view_free(set->views[k]);
	set->nviews = 0;
}

struct fhirdef_set *fhirdef_set_release(struct fhirdef_set *set, int major)
{
	size_t k;

	if (!set)
		return NULL;
	if (set->owner)
		set = set->owner;
	if (major == 0 || major == fhirdef_primary_major())
		return set;
	for (k = 0; k < set->nviews; k++)
		if (set->views[k]->major == major)
			return set->views[k];
	return NULL;
}
