/*
 * The FHIR zib reader, step 2: which zibs a resource is read as (its
 * meta.profile, else its type and codes as the BgZ queries select them),
 * the FHIR version of each resource, and reading a resource as its zibs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "fhir/zib_read.h"
#include "fhir/zib_read_int.h"
#include "map/mapping.h"
#include "model/doc.h"

static void profile_put(struct reader *r, const char *url, size_t n, const struct zib_model *m)
{
	char *k = arena_strndup(&r->tmp, url, n);
	struct model_link *l = arena_alloc(&r->tmp, sizeof(*l)), *h;

	if (!k || !l)
		return;
	l->m = m;
	l->next = NULL;
	h = strmap_get(&r->by_profile, k);
	if (!h) {
		strmap_put(&r->by_profile, k, l);
		return;
	}
	for (; h->next; h = h->next)
		if (h->m == m)
			return;
	if (h->m != m)
		h->next = l;
}

void fhir_profiles_index(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->ctx->nmodels; i++) {
		const struct zib_model *m = &r->ctx->models[i];
		size_t k;
		for (k = 0; k < release_count(); k++) {
			const char *p = model_fhir_profiles(m, release_at(k));
			while (p && *p) {
				size_t n = strcspn(p, " ");
				if (n)
					profile_put(r, p, n, m);
				p += n;
				while (*p == ' ')
					p++;
			}
		}
	}
}

/* Resource types that are parts of another resource's zib (reached through
 * a Reference), not instances of their own.  A Medication is not: it is a
 * FarmaceutischProduct, the medication zibs' product references it. */
int fhir_is_part_type(const char *type)
{
	return strcmp(type, "Device") == 0 ||
		strcmp(type, "Specimen") == 0 || strcmp(type, "Location") == 0;
}

/* The zib of x by its type and codes when meta.profile does not say
 * (zib-models/fhir-codes.tsv, the BgZ queries): the first row that fits. */
static const struct zib_model *model_by_codes(struct reader *r, const struct res *x)
{
	size_t i;

	for (i = 0; i < r->ctx->nfhir_codes; i++) {
		const struct fhir_code_rule *b = &r->ctx->fhir_codes[i];
		struct fhir_node *c;
		if (strcmp(b->fhir_type, x->type) != 0)
			continue;
		if (!b->element)
			return b->model;
		for (c = x->node->children; c; c = c->next)
			if (strcmp(c->name, b->element) == 0 && fhir_has_code(c, b->code))
				return b->model;
	}
	return NULL;
}

/* A zib2020 path in a sub-profile of the zib's own profile
 * (zib-LivingSituation.HomeAdaption#Observation.value[x] of
 * zib-LivingSituation): zib2020 tells such concepts apart by the resource's
 * profile only (all three are Observation.value), so the path holds only
 * in a resource that claims the sub-profile (fhir_res_has_profile). */
int fhir_is_subprofile_path(const struct zib_model *m, const char *map, size_t n)
{
	const char *root = model_concept_fhir_column(&m->concepts[0], release_default());
	const char *hash = memchr(map, '#', n);
	size_t rl;

	if (!root || !hash)
		return 0;
	rl = strcspn(root, "#");
	return (size_t)(hash - map) > rl && strncmp(map, root, rl) == 0 && map[rl] == '.';
}

/* "nl-core-X" (zib2020 nl-core) is "zib-X" (what the models name). */
static int same_profile_name(const char *a, size_t al, const char *b, size_t bl)
{
	if (al > 8 && strncmp(a, "nl-core-", 8) == 0)
		a += 8, al -= 8;
	else if (al > 4 && strncmp(a, "zib-", 4) == 0)
		a += 4, al -= 4;
	if (bl > 8 && strncmp(b, "nl-core-", 8) == 0)
		b += 8, bl -= 8;
	else if (bl > 4 && strncmp(b, "zib-", 4) == 0)
		b += 4, bl -= 4;
	if (al == bl && strncmp(a, b, al) == 0)
		return 1;
	/* The one nl-core profile named unlike its zib profile. */
	return al == 29 && bl == 28 && strncmp(a, "LivingSituation.HouseAdaption", al) == 0 &&
		strncmp(b, "LivingSituation.HomeAdaption", bl) == 0;
}

/* Does x claim the profile that mapping map ("name#Type.path") is in? */
int fhir_res_has_profile(const struct res *x, const char *map, size_t n)
{
	const struct fhir_node *meta = fhir_child(x->node, "meta"), *c;
	const char *hash = memchr(map, '#', n);
	size_t pl = hash ? (size_t)(hash - map) : n;

	for (c = meta ? meta->children : NULL; c; c = c->next) {
		const char *u = c->value, *tail;
		size_t ul;
		if (strcmp(c->name, "profile") != 0 || !u)
			continue;
		ul = strcspn(u, "|");
		tail = u;
		for (; tail < u + ul && memchr(tail, '/', (size_t)(u + ul - tail)); )
			tail = (const char *)memchr(tail, '/', (size_t)(u + ul - tail)) + 1;
		if (same_profile_name(tail, (size_t)(u + ul - tail), map, pl))
			return 1;
	}
	return 0;
}

static const char *profile_core(const char *s, size_t *len)
{
	if (*len > 8 && strncmp(s, "nl-core-", 8) == 0)
		s += 8, *len -= 8;
	else if (*len > 4 && strncmp(s, "zib-", 4) == 0)
		s += 4, *len -= 4;
	return s;
}

/* Does x claim a sibling of mapping map's profile (Payer.PayerPerson for
 * a path of Payer.InsuranceCompany)?  Then the path is not for x. */
int fhir_claims_sibling_profile(const struct res *x, const char *map, size_t n)
{
	const struct fhir_node *meta = fhir_child(x->node, "meta"), *c;
	const char *hash = memchr(map, '#', n), *prof, *dot;
	size_t pl = hash ? (size_t)(hash - map) : n, bl;

	prof = profile_core(map, &pl);
	dot = memchr(prof, '.', pl);
	if (!dot)
		return 0;
	bl = (size_t)(dot - prof) + 1;          /* "Payer." */
	for (c = meta ? meta->children : NULL; c; c = c->next) {
		const char *u = c->value, *tail;
		size_t tl;
		if (strcmp(c->name, "profile") != 0 || !u)
			continue;
		tl = strcspn(u, "|");
		tail = u + tl;
		while (tail > u && tail[-1] != '/')
			tail--;
		tl = (size_t)(u + tl - tail);
		tail = profile_core(tail, &tl);
		if (tl > bl && strncmp(tail, prof, bl) == 0 && !same_profile_name(tail, tl, prof, pl))
			return 1;
	}
	return 0;
}

/* A code that tells what a resource is (fhir-codes.tsv). */
int fhir_is_classifying_code(struct reader *r, const char *code)
{
	size_t i;

	for (i = 0; code && i < r->ctx->nfhir_codes; i++)
		if (r->ctx->fhir_codes[i].code && strcmp(r->ctx->fhir_codes[i].code, code) == 0)
			return 1;
	return 0;
}

static int tree_is_generic(const struct fhir_node *n)
{
	const struct fhir_node *c;

	if (n->kind == FHIR_K_GENERIC || (n->kind == FHIR_K_RESOURCE && !n->type))
		return 1;
	for (c = n->children; c; c = c->next)
		if (c->kind != FHIR_K_RESOURCE && tree_is_generic(c))
			return 1;
	return 0;
}

/* The base profile's zib of a resource claiming a sub-profile
 * (".../nl-core-LivingSituation.HouseType" of nl-core-LivingSituation). */
static const struct zib_model *subprofile_model(struct reader *r, const struct res *x)
{
	const struct fhir_node *meta = fhir_child(x->node, "meta"), *c;

	for (c = meta ? meta->children : NULL; c; c = c->next) {
		char url[1024];
		char *slash, *dot;
		struct model_link *l;
		if (strcmp(c->name, "profile") != 0 || !c->value)
			continue;
		snprintf(url, sizeof(url), "%.*s", (int)strcspn(c->value, "|"), c->value);
		slash = strrchr(url, '/');
		dot = strrchr(url, '.');
		if (!slash || !dot || dot < slash)
			continue;
		*dot = '\0';
		if ((l = strmap_get(&r->by_profile, url)) != NULL)
			return l->m;
	}
	return NULL;
}

int fhir_claims_subprofile(struct reader *r, const struct res *x)
{
	return subprofile_model(r, x) != NULL;
}

/* The release whose name of an HL7 code system n uses where it differs
 * from the default release's (zib2017 http://hl7.org/fhir/v3/RoleCode,
 * zib2020 http://terminology.hl7.org/CodeSystem/v3-RoleCode), or NULL. */
static const struct zib_release *terminology_release(const struct fhir_node *n)
{
	const struct fhir_node *c;
	const struct zib_release *rel;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		if (strcmp(c->name, "system") == 0 && c->value &&
		    (rel = release_by_hl7_system(c->value)) != NULL)
			return rel;
		if (c->children && (rel = terminology_release(c)) != NULL)
			return rel;
	}
	return NULL;
}

/* The url of meta.profile element c without its "|version"; 0 when c is
 * no profile. */
static int profile_url(const struct fhir_node *c, char *url, size_t size)
{
	if (strcmp(c->name, "profile") != 0 || !c->value)
		return 0;
	snprintf(url, size, "%.*s", (int)strcspn(c->value, "|"), c->value);
	return 1;
}

/* What x itself says about its release: an element the default release's
 * FHIR version does not have (the tree is generic), another release's
 * name of an HL7 code system or a profile of another release only
 * (zib2017's fhir.nl nl-core-*) sets x->rel; a profile of the default
 * release only (zib2020's nl-core-*) sets x->profiled.  The zib-* urls
 * zib2017 and zib2020 share say neither (*shared).  Returns whether x
 * claims a profile of a zib. */
static int version_evidence(struct reader *r, struct res *x, int *shared)
{
	struct fhir_node *meta = fhir_child(x->node, "meta"), *c;
	int any = 0, generic = tree_is_generic(x->node);

	x->rel = generic ? release_of_other_structure() : terminology_release(x->node);
	x->profiled = NULL;
	*shared = 0;
	for (c = meta ? meta->children : NULL; c; c = c->next) {
		char url[1024];
		struct model_link *l;
		if (!profile_url(c, url, sizeof(url)))
			continue;
		for (l = strmap_get(&r->by_profile, url); l; l = l->next) {
			const struct zib_release *named = release_by_profile(l->m, url);
			if (!named)
				*shared = 1;
			else if (named == release_default())
				x->profiled = named;
			else
				x->rel = named;
			any = 1;
		}
	}
	/* Content R4 lacks in a resource that names a profile of the default
	 * release only (nl-core-Patient): an R4 resource with an unknown
	 * element, which the FHIR validator reports (issue 18), not STU3. */
	if (generic && x->profiled && x->rel == release_of_other_structure())
		x->rel = NULL;
	return any;
}

/* The release of every resource.  A resource that says nothing of its
 * own (a shared zib-* profile, or none) is of the release the rest of the
 * input shows: the zib2017 fixtures of one patient are one set, with
 * nl-core-patient and zib-LivingSituation side by side.  With no evidence
 * at all, a shared profile is read as zib2017 first, zib2020 where zib2017
 * finds nothing (the zib2020 paths of the same resource type), so that the
 * sub-profile rule of zib2020 (LivingSituation.HouseType through hasMember)
 * does not hide the zib2017 value of a lone file.  Resources the rest
 * leaves open are of the default release. */
void fhir_decide_versions(struct reader *r)
{
	size_t i;
	const struct zib_release *other = NULL;   /* a release the input shows besides the default */
	int set_default = 0;
	int *shared = calloc(r->nres ? r->nres : 1, sizeof(*shared));

	if (!shared) {
		r->failed = 1;
		return;
	}
	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		if (strcmp(x->type, "Bundle") == 0)
			continue;
		version_evidence(r, x, &shared[i]);
		if (x->rel)
			other = x->rel;
		set_default |= x->profiled && !x->rel;
	}
	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		if (x->rel || x->profiled || strcmp(x->type, "Bundle") == 0)
			continue;
		x->profiled = shared[i] ? release_default() : NULL;
		if (other && !set_default) {
			x->rel = other;
		} else if (!set_default && shared[i]) {
			x->rel = release_of_other_structure();
			x->guessed = x->rel != NULL;
		}
	}
	for (i = 0; i < r->nres; i++)
		if (!r->res[i].rel)
			r->res[i].rel = release_default();
	free(shared);
}

/* Does the root of l's zib map to x's resource type?  zib2017's
 * nl-core-organization is a profile of Betaler (its Verzekeraar, read
 * through Coverage.payor) and of Zorgaanbieder: an Organization on its own
 * is a Zorgaanbieder, not a Betaler, whose root is the Coverage.  Only
 * when another zib of the profile has a root of x's type. */
static int root_fits(struct reader *r, const char *url, const struct model_link *l, const struct res *x)
{
	const struct model_link *o;
	const char *own = fhir_mapping_of(&l->m->concepts[0], x->rel);

	if (own && !map_list_names_type(own, x->type))
		for (o = strmap_get(&r->by_profile, url); o; o = o->next)
			if (o != l && map_list_names_type(fhir_mapping_of(&o->m->concepts[0], x->rel), x->type))
				return 0;
	return 1;
}

/* A Patient also holds its marital status and, as Patient.contact, its
 * contact persons (zib2017, and zib2020's zib-Patient besides RelatedPerson):
 * read those zibs from it unless its profiles already did. */
static void read_patient_parts(struct reader *r, struct res *x, const struct zib_model *const *done,
	size_t ndone)
{
	static const char *const parts[] = { "BurgerlijkeStaat", "Contactpersoon" };
	size_t i, j;

	if (strcmp(x->type, "Patient") != 0)
		return;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const struct zib_model *m = zib_model_find(r->ctx, parts[i]);
		for (j = 0; m && j < ndone; j++)
			if (done[j] == m)
				m = NULL;
		if (m)
			fhir_read_as(r, x, m, 1);
	}
}

void fhir_read_resource(struct reader *r, struct res *x)
{
	struct fhir_node *meta = fhir_child(x->node, "meta"), *c;
	int any = 0, shared;
	const struct zib_model *bycode;
	const struct zib_release *rel = x->rel, *profiled = x->profiled;

	any = version_evidence(r, x, &shared);
	x->rel = rel;
	x->profiled = profiled;
	if (fhir_is_part_type(x->type) && x->container == NULL && x->part)
		return;
	if (!any && x->part)
		return;     /* a sub-profile's resource read through its referrer */
	if (!any) {
		const struct zib_model *base = subprofile_model(r, x);
		if (base) {
			fhir_read_as(r, x, base, 0);
			return;
		}
	}
	if (any) {
		const struct model_link *l;
		char url[1024];
		int made = 0, first = 1;
		const struct zib_model *done[16];
		size_t ndone = 0;
		for (c = meta->children; c; c = c->next) {
			if (!profile_url(c, url, sizeof(url)))
				continue;
			for (l = strmap_get(&r->by_profile, url); l; l = l->next) {
				if (fhir_is_part_type(x->type) || !root_fits(r, url, l, x))
					continue;
				made += fhir_read_as(r, x, l->m, !first);
				first = 0;
				if (ndone < sizeof(done) / sizeof(done[0]))
					done[ndone++] = l->m;
			}
		}
		if (made)
			read_patient_parts(r, x, done, ndone);
		if (made || fhir_is_part_type(x->type))
			return;
	}
	bycode = model_by_codes(r, x);
	if (bycode) {
		fhir_read_as(r, x, bycode, 0);
		read_patient_parts(r, x, &bycode, 1);
		return;
	}
	if (fhir_is_part_type(x->type))
		return;
	fhir_finding(r, x, x->node, ZIB_SEV_WARNING, FHIRZ_CODE_NO_ZIB, x->type,
		"%s resource fits no zib; not read", x->type);
}
