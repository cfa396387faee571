/*
 * lookup: records by canonical URL (a hash in the set's index), decoded on
 * first use under their stripe's lock (a decoded record is read without it:
 * -j workers look records up all the time); the set's problems and
 * statistics.
 */
#include <stdio.h>
#include <string.h>

#include "fhirdef/internal.h"

static struct unit_entry *entry_of(struct fhirdef_set *set, int kind, const char *canonical)
{
	struct unit_entry *e;
	const char *bar;

	if (!set || !canonical)
		return NULL;
	if ((e = fhirdef_urlindex_get(&set->by_url, kind, canonical, strlen(canonical))))
		return e;
	/* url|version of a version not loaded: the loaded one, as the HL7
	 * validator does when a single version is on hand. */
	bar = strchr(canonical, '|');
	if (!bar)
		return NULL;
	return fhirdef_urlindex_get(&set->by_url, kind, canonical, (size_t)(bar - canonical));
}

cJSON *fhirdef_record_json(struct fhirdef_set *set, int kind, const char *canonical)
{
	struct unit_entry *e = entry_of(set, kind, canonical);

	/* No lock here: the checksum is computed, not remembered. */
	if (!e || (e->state != 1 && fhirdef_hash(e->text, e->len, 0) != e->hash))
		return NULL;
	return cJSON_ParseWithLength(e->text, e->len);
}

void *fhirdef_lookup(struct fhirdef_set *set, int kind, const char *canonical)
{
	struct unit_entry *e = entry_of(set, kind, canonical);
	struct fhirdef_stripe *st;
	void *r;

	if (!e)
		return NULL;
	/* Pairs with the release store below: the record is complete. */
	r = atomic_load_explicit(&e->decoded, memory_order_acquire);
	if (r)
		return r;
	/* A release view decodes into its set: the records are shared. */
	if (set->owner)
		set = set->owner;
	st = &set->stripes[((uintptr_t)e / sizeof(*e)) % FHIRDEF_STRIPES];
	pthread_mutex_lock(&st->lock);
	/* A damaged record of the lazily checked defaults is absent. */
	if (!atomic_load_explicit(&e->decoded, memory_order_relaxed) && fhirdef_entry_intact(e)) {
		/* The tree lives in a scratch arena for the decode only. */
		struct arena scratch;
		const cJSON *j;
		const char *src;
		void *d = NULL;

		arena_init(&scratch);
		j = fhirdef_json_parse_arena(&scratch, e->text, e->len);
		src = fhirdef_jstr(j, "_zibSource");
		if (j) {
			if (kind == RK_SD)
				d = fhirdef_decode_sd(&st->arena, j, src);
			else if (kind == RK_VS)
				d = fhirdef_decode_vs(&st->arena, j, src);
			else if (kind == RK_CS)
				d = fhirdef_decode_cs(&st->arena, j, src);
			else
				d = fhirdef_decode_cm(&st->arena, j, src);
		}
		arena_release(&scratch);
		atomic_store_explicit(&e->decoded, d, memory_order_release);
	}
	r = atomic_load_explicit(&e->decoded, memory_order_relaxed);
	pthread_mutex_unlock(&st->lock);
	return r;
}

const struct fhirdef_sd *fhirdef_sd(struct fhirdef_set *set, const char *canonical)
{
	return fhirdef_lookup(set, RK_SD, canonical);
}

const struct fhirdef_sd *fhirdef_sd_type(struct fhirdef_set *set, const char *type)
{
	char url[512];

	if (!type)
		return NULL;
	if (strchr(type, ':'))
		return fhirdef_sd(set, type);
	snprintf(url, sizeof(url), "http://hl7.org/fhir/StructureDefinition/%s", type);
	return fhirdef_sd(set, url);
}

const struct fhirdef_vs *fhirdef_vs(struct fhirdef_set *set, const char *canonical)
{
	return fhirdef_lookup(set, RK_VS, canonical);
}

const struct fhirdef_cs *fhirdef_cs(struct fhirdef_set *set, const char *canonical)
{
	return fhirdef_lookup(set, RK_CS, canonical);
}

const struct fhirdef_cm *fhirdef_cm(struct fhirdef_set *set, const char *canonical)
{
	return fhirdef_lookup(set, RK_CM, canonical);
}

const struct fhirdef_cm *fhirdef_cm_at(struct fhirdef_set *set, size_t index)
{
	return set && index < set->ncms ? fhirdef_cm(set, set->cms[index]->url) : NULL;
}

/* The ConceptMaps in force (the later unit's for a url), listed once. */
size_t fhirdef_set_problem_count(const struct fhirdef_set *set)
{
	return set ? set->nproblems : 0;
}

const char *fhirdef_set_problem(const struct fhirdef_set *set, size_t index)
{
	return set && index < set->nproblems ? set->problem_lines[index] : NULL;
}

void fhirdef_set_stats(const struct fhirdef_set *set, struct fhirdef_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (set)
		*out = set->stats;
}
