/*
 * The FHIR zib reader: FHIR resources (R4 zib2020/nl-core, STU3 zib2017)
 * into zib instances, driven by the fhir_r4 / fhir_stu3 mappings of the
 * zib models and the slice table generated from the profiles.
 *
 * 1. Collect resources: the roots of the input trees, Bundle entries of any
 *    type, contained resources; index them by Type/id, fullUrl and #id.
 * 2. Give each resource its zibs: meta.profile, or else its type and codes
 *    (the BgZ queries).  A resource fitting no zib is reported.
 * 3. Map: every concept's paths ("zib-BloodPressure#Observation.component:
 *    SystolicBP.value[x]") are walked from the resource, from the node of
 *    the parent group, or across a Reference into a linked resource
 *    (Medication, Practitioner, Specimen).  A root concept whose path is
 *    below the resource (STU3 Patient.contact) gives one instance per node.
 * 4. References between instances are resolved at the end; unresolvable
 *    ones are reported.  Leaf content nobody read goes to the unmapped list.
 *
 * Nodes read are marked in fhir_node.used (the trees are ours).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strmap.h"
#include "diff/value.h"
#include "fhir/conceptmaps.h"
#include "fhir/slices.h"
#include "fhir/tree.h"
#include "fhir/zib_read.h"
#include "model/address.h"
#include "model/doc.h"

struct res {
	struct fhir_node *node;
	const char *type;
	const char *id;
	const char *full_url;
	const char *file;
	struct res *container;          /* for contained resources */
	int stu3;
	int r4;                         /* meta.profile names an R4 zib2020 profile */
	int part;                       /* read as part of another resource's zib */
	struct res *owner;              /* then: the first resource it was read for */
	int guessed;                    /* no version evidence: zib2017 paths, then zib2020 */
	struct zib_instance *inst;      /* first instance read from it */
};

struct pend_ref {
	struct zib_value *v;
	struct res *target;
};

struct reader {
	const zib_ctx *ctx;
	struct zib_doc *doc;
	zib_report *report;
	struct arena tmp;
	struct res *res;
	size_t nres, capres;
	struct strmap by_key;           /* "Type/id", fullUrl, "%p#id" -> res */
	struct strmap by_profile;       /* profile url -> model list */
	struct pend_ref *refs;
	size_t nrefs, caprefs;
	int r4;                         /* reading a resource with an R4 profile */
	int failed;
};

struct model_link {
	const struct zib_model *m;
	int stu3;
	struct model_link *next;
};

/* ---- tree helpers ---- */

static struct fhir_node *child(const struct fhir_node *n, const char *name)
{
	struct fhir_node *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const char *child_value(const struct fhir_node *n, const char *name)
{
	struct fhir_node *c = child(n, name);

	return c ? c->value : NULL;
}

static void mark_tree(struct fhir_node *n)
{
	struct fhir_node *c;

	n->used = 1;
	for (c = n->children; c; c = c->next)
		if (c->kind != FHIR_K_RESOURCE)
			mark_tree(c);
}

static const char *node_path(struct reader *r, const struct fhir_node *n)
{
	char buf[2048];

	return doc_str(r->doc, fhir_node_path(n, buf, sizeof(buf)));
}

static int is_resource_node(const struct fhir_node *n)
{
	return n->kind == FHIR_K_RESOURCE;
}

/* ---- step 1: resources ---- */

static struct res *add_res(struct reader *r, struct fhir_node *n, const char *file, struct res *container)
{
	struct res *x;
	char key[1024];

	if (r->nres == r->capres) {
		size_t cap = r->capres ? r->capres * 2 : 64;
		struct res *p = realloc(r->res, cap * sizeof(*p));
		if (!p) {
			r->failed = 1;
			return NULL;
		}
		r->res = p;
		r->capres = cap;
	}
	x = &r->res[r->nres++];
	memset(x, 0, sizeof(*x));
	x->node = n;
	x->type = fhir_resource_name(n);
	x->id = child_value(n, "id");
	x->file = file;
	x->container = container;
	if (x->id) {
		if (container)
			snprintf(key, sizeof(key), "%p#%s", (void *)container->node, x->id);
		else
			snprintf(key, sizeof(key), "%s/%s", x->type, x->id);
		strmap_put(&r->by_key, arena_strdup(&r->tmp, key), (void *)(r->nres));
	}
	return x;
}

static struct res *res_at(struct reader *r, void *v)
{
	size_t i = (size_t)v;

	return i ? &r->res[i - 1] : NULL;
}

static void collect(struct reader *r, struct fhir_node *n, const char *file, const char *full_url)
{
	struct fhir_node *c;
	size_t me;

	if (!add_res(r, n, file, NULL))
		return;
	me = r->nres;
	if (full_url) {
		r->res[me - 1].full_url = full_url;
		strmap_put(&r->by_key, full_url, (void *)me);
	}
	for (c = n->children; c; c = c->next) {
		if (strcmp(c->name, "contained") == 0 && is_resource_node(c)) {
			add_res(r, c, file, &r->res[me - 1]);
			c->used = 1;
		}
	}
	if (strcmp(r->res[me - 1].type, "Bundle") == 0) {
		for (c = n->children; c; c = c->next) {
			struct fhir_node *e;
			if (strcmp(c->name, "entry") != 0)
				continue;
			e = child(c, "resource");
			if (e && is_resource_node(e))
				collect(r, e, file, child_value(c, "fullUrl"));
		}
	}
}

/* Resolves a reference string seen in resource from. */
static struct res *resolve(struct reader *r, struct res *from, const char *ref)
{
	char key[1024];
	const char *p, *hist;
	void *v;
	struct res *top = from;

	if (!ref || !*ref)
		return NULL;
	while (top && top->container)
		top = top->container;
	if (ref[0] == '#') {
		snprintf(key, sizeof(key), "%p#%s", top ? (void *)top->node : NULL, ref + 1);
		return res_at(r, strmap_get(&r->by_key, key));
	}
	if ((v = strmap_get(&r->by_key, ref)) != NULL)
		return res_at(r, v);
	/* [base/]Type/id[/_history/n]: the last Type/id. */
	snprintf(key, sizeof(key), "%s", ref);
	hist = strstr(key, "/_history/");
	if (hist)
		key[hist - key] = '\0';
	p = strrchr(key, '/');
	if (!p)
		return NULL;
	{
		const char *q = p;
		while (q > key && q[-1] != '/')
			q--;
		v = strmap_get(&r->by_key, q);
	}
	return res_at(r, v);
}

/* ---- step 2: which zibs ---- */

static void profile_put(struct reader *r, const char *url, size_t n, const struct zib_model *m, int stu3)
{
	char *k = arena_strndup(&r->tmp, url, n);
	struct model_link *l = arena_alloc(&r->tmp, sizeof(*l)), *h;

	if (!k || !l)
		return;
	l->m = m;
	l->stu3 = stu3;
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

static void profiles_index(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->ctx->nmodels; i++) {
		const struct zib_model *m = &r->ctx->models[i];
		int stu3;
		for (stu3 = 0; stu3 <= 1; stu3++) {
			const char *p = stu3 ? m->fhir_stu3_profiles : m->fhir_r4_profiles;
			while (p && *p) {
				size_t n = strcspn(p, " ");
				if (n)
					profile_put(r, p, n, m, stu3);
				p += n;
				while (*p == ' ')
					p++;
			}
		}
	}
}

/* The resource type and codes that select a zib when meta.profile does not
 * (../shared/reference/bgz-zibs.tsv, the BgZ queries). */
struct by_code {
	const char *type;
	const char *element;   /* "code", "category" or NULL (type alone) */
	const char *code;
	const char *zib;
};

static const struct by_code by_codes[] = {
	{ "Observation", "code", "29463-7", "Lichaamsgewicht" },
	{ "Observation", "code", "8302-2", "Lichaamslengte" },
	{ "Observation", "code", "8306-3", "Lichaamslengte" },
	{ "Observation", "code", "8308-9", "Lichaamslengte" },
	{ "Observation", "code", "85354-9", "Bloeddruk" },
	{ "Observation", "code", "365508006", "Woonsituatie" },
	{ "Observation", "code", "228366006", "DrugsGebruik" },
	{ "Observation", "code", "228273003", "AlcoholGebruik" },
	{ "Observation", "code", "365980008", "TabakGebruik" },
	{ "Observation", "category", "275711006", "LaboratoriumUitslag" },
	{ "Observation", "category", "118228005", "FunctioneleOfMentaleStatus" },
	{ "Observation", "category", "384821006", "FunctioneleOfMentaleStatus" },
	{ "Consent", "category", "11291000146105", "BehandelAanwijzing" },
	{ "Consent", "category", "11341000146107", "Wilsverklaring" },
	{ "Patient", NULL, NULL, "Patient" },
	{ "Coverage", NULL, NULL, "Betaler" },
	{ "Condition", NULL, NULL, "Probleem" },
	{ "NutritionOrder", NULL, NULL, "Voedingsadvies" },
	{ "Flag", NULL, NULL, "Alert" },
	{ "AllergyIntolerance", NULL, NULL, "AllergieIntolerantie" },
	{ "MedicationRequest", NULL, NULL, "MedicatieAfspraak" },
	{ "MedicationDispense", NULL, NULL, "ToedieningsAfspraak" },
	{ "MedicationStatement", NULL, NULL, "MedicatieGebruik" },
	{ "DeviceUseStatement", NULL, NULL, "MedischHulpmiddel" },
	{ "Immunization", NULL, NULL, "Vaccinatie" },
	{ "ImmunizationRecommendation", NULL, NULL, "Vaccinatie" },
	{ "Procedure", NULL, NULL, "Verrichting" },
	{ "Encounter", NULL, NULL, "Contact" },
	{ "PractitionerRole", NULL, NULL, "Zorgverlener" },
	{ "Practitioner", NULL, NULL, "Zorgverlener" },
	{ "Organization", NULL, NULL, "Zorgaanbieder" },
	{ "RelatedPerson", NULL, NULL, "Contactpersoon" },
	{ NULL, NULL, NULL, NULL }
};

/* Resource types that are parts of another resource's zib (reached through
 * a Reference), not instances of their own. */
static int is_part_type(const char *type)
{
	return strcmp(type, "Medication") == 0 || strcmp(type, "Device") == 0 ||
		strcmp(type, "Specimen") == 0 || strcmp(type, "Location") == 0;
}

static int has_code(const struct fhir_node *n, const char *list);

static const struct zib_model *model_by_codes(struct reader *r, const struct res *x)
{
	size_t i;

	for (i = 0; by_codes[i].type; i++) {
		const struct by_code *b = &by_codes[i];
		struct fhir_node *c;
		if (strcmp(b->type, x->type) != 0)
			continue;
		if (!b->element)
			return zib_model_find(r->ctx, b->zib);
		for (c = x->node->children; c; c = c->next)
			if (strcmp(c->name, b->element) == 0 && has_code(c, b->code))
				return zib_model_find(r->ctx, b->zib);
	}
	return NULL;
}

/* An R4 path in a sub-profile of the zib's own profile
 * (zib-LivingSituation.HomeAdaption#Observation.value[x] of
 * zib-LivingSituation): R4 tells such concepts apart by the resource's
 * profile only (all three are Observation.value), so the path holds only
 * in a resource that claims the sub-profile (res_has_profile). */
static int is_subprofile_path(const struct zib_model *m, const char *map, size_t n)
{
	const char *root = m->concepts[0].fhir_r4, *hash = memchr(map, '#', n);
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
static int res_has_profile(const struct res *x, const char *map, size_t n)
{
	const struct fhir_node *meta = child(x->node, "meta"), *c;
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
static int claims_sibling_profile(const struct res *x, const char *map, size_t n)
{
	const struct fhir_node *meta = child(x->node, "meta"), *c;
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

/* A code that tells what a resource is (the by_codes table). */
static int is_classifying_code(const char *code)
{
	size_t i;

	for (i = 0; by_codes[i].type; i++)
		if (by_codes[i].code && code && strcmp(by_codes[i].code, code) == 0)
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

/* ---- codes and slices ---- */

/* A code of list anywhere in n's code / coding / code.coding (or n itself
 * when it is a Coding or a code). */
static int has_code(const struct fhir_node *n, const char *list)
{
	const struct fhir_node *c;

	if (n->value && list_has(list, n->value))
		return 1;
	for (c = n->children; c; c = c->next) {
		if (strcmp(c->name, "code") == 0 || strcmp(c->name, "coding") == 0 ||
		    strcmp(c->name, "valueCodeableConcept") == 0 || strcmp(c->name, "valueCoding") == 0) {
			if (c->value && list_has(list, c->value))
				return 1;
			if (c->children && has_code(c, list))
				return 1;
		}
	}
	return 0;
}

static int in_valueset(struct reader *r, const struct fhir_node *n, const char *oid)
{
	const zib_valueset *vs = zib_valueset_find(r->ctx, oid);
	const struct fhir_node *c;

	if (!vs)
		return 1;
	if (child_value(n, "code") && child_value(n, "system")) {
		const char *sys = zib_codesystem_oid(r->ctx, child_value(n, "system"));
		if (zib_valueset_contains(vs, sys ? sys : child_value(n, "system"), child_value(n, "code")))
			return 1;
	}
	for (c = n->children; c; c = c->next)
		if ((strcmp(c->name, "coding") == 0 || strcmp(c->name, "code") == 0 ||
		     strncmp(c->name, "value", 5) == 0) && c->children && in_valueset(r, c, oid))
			return 1;
	return 0;
}

/* Lower-case letters and digits only: "houseNumber" ~ "house-number". */
static void squash(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

/* Does node fit the slice called key (slice name name)? */
static int slice_fits(struct reader *r, const struct fhir_node *n, const char *key, const char *name,
	int is_ext)
{
	const struct fhir_slice *s = fhir_slice_find(key);

	if (s) {
		switch (s->kind) {
		case 'u':
			return list_has(s->value, child_value(n, "url"));
		case 'c':
			return has_code(n, s->value);
		case 's':
			return list_has(s->value, child_value(n, "system"));
		case 'v':
			return in_valueset(r, n, s->value) != 0;
		default:
			return 1;
		}
	}
	if (is_ext) {
		/* No profile row: the url's last part names the slice. */
		char a[256], b[256];
		const char *url = child_value(n, "url"), *tail;
		if (!url)
			return 0;
		tail = strrchr(url, '/');
		squash(a, sizeof(a), tail ? tail + 1 : url);
		squash(b, sizeof(b), name);
		return strlen(a) >= strlen(b) && strcmp(a + strlen(a) - strlen(b), b) == 0;
	}
	return 1;
}

/* ---- step 3: paths ---- */

#define MAX_HITS 256

struct hits {
	struct fhir_node *n[MAX_HITS];
	size_t count;
};

static void hit(struct hits *h, struct fhir_node *n)
{
	if (h->count < MAX_HITS)
		h->n[h->count++] = n;
}

/* One step: the children of from named by seg ("component:SystolicBP",
 * "value[x]", "effective[x]:effectiveDateTime"); key is the profile's
 * element id up to and including seg. */
static void step(struct reader *r, struct fhir_node *from, const char *seg, size_t len,
	const char *key, struct hits *out)
{
	char name[128], slice[128];
	const char *colon = memchr(seg, ':', len);
	size_t nlen = colon ? (size_t)(colon - seg) : len;
	struct fhir_node *c;
	int choice;

	snprintf(name, sizeof(name), "%.*s", (int)nlen, seg);
	slice[0] = '\0';
	if (colon)
		snprintf(slice, sizeof(slice), "%.*s", (int)(len - nlen - 1), colon + 1);
	choice = nlen > 3 && strcmp(name + nlen - 3, "[x]") == 0;
	if (choice)
		name[nlen - 3] = '\0';
	for (c = from->children; c; c = c->next) {
		if (c->kind == FHIR_K_ATTR && strcmp(name, "url") != 0 && strcmp(name, "id") != 0)
			continue;
		if (choice) {
			size_t bl = strlen(name);
			if (slice[0] && strncmp(slice, name, bl) == 0) {
				if (strcmp(c->name, slice) != 0)
					continue;
			} else if (strncmp(c->name, name, bl) != 0 || !isupper((unsigned char)c->name[bl])) {
				continue;
			}
		} else if (strcmp(c->name, name) != 0) {
			continue;
		}
		if (slice[0] && !choice && !slice_fits(r, c, key, slice,
		    strcmp(name, "extension") == 0 || strcmp(name, "modifierExtension") == 0))
			continue;
		hit(out, c);
	}
}

/* Walks the segments of path (after the first, the type) from start. */
static void walk(struct reader *r, const char *prof, const char *path, const char *rest,
	struct fhir_node *start, struct hits *out)
{
	struct hits cur, next;
	const char *p = rest;
	char key[1024];
	size_t i;

	cur.count = 0;
	hit(&cur, start);
	while (p && *p) {
		size_t len = strcspn(p, ".");
		next.count = 0;
		snprintf(key, sizeof(key), "%s#%.*s", prof, (int)(p + len - path), path);
		for (i = 0; i < cur.count; i++)
			step(r, cur.n[i], p, len, key, &next);
		cur = next;
		if (!cur.count)
			return;
		p += len;
		if (*p == '.')
			p++;
	}
	for (i = 0; i < cur.count; i++)
		hit(out, cur.n[i]);
}

/* A resource of type linked to x: referenced from x's top-level elements,
 * or referencing x (a PractitionerRole of a Practitioner). */
static struct res *linked(struct reader *r, struct res *x, const char *type)
{
	struct fhir_node *c;
	size_t i;

	for (c = x->node->children; c; c = c->next) {
		struct res *t;
		const char *ref = child_value(c, "reference");
		if (!ref)
			continue;
		t = resolve(r, x, ref);
		if (t && strcmp(t->type, type) == 0) {
			c->used = 1;
			mark_tree(c);
			return t;
		}
	}
	for (i = 0; i < r->nres; i++) {
		struct res *y = &r->res[i];
		if (strcmp(y->type, type) != 0)
			continue;
		for (c = y->node->children; c; c = c->next) {
			const char *ref = child_value(c, "reference");
			if (ref && resolve(r, y, ref) == x)
				return y;
		}
	}
	return NULL;
}

static void set_part(struct res *t, struct res *owner)
{
	t->part = 1;
	if (!t->owner)
		t->owner = owner;
}

struct where {
	struct fhir_node *node;     /* the parent group's node, or the resource */
	const char *path;           /* the path the parent matched ("Observation.component:X") */
	struct res *res;            /* the resource the instance is read from */
	struct fhir_node *within;   /* when set, read only nodes below it */
};

static int claims_sibling_profile(const struct res *x, const char *map, size_t n);

/* A type slice of the parent's own choice element (parent at
 * "X.dose[x]", path "X.dose[x]:doseRange.low"): read from the parent's node
 * when that is of the slice's type (doseRange), else nothing.  Returns 0
 * when path is no such slice. */
static int eval_choice_slice(struct reader *r, const char *prof, const char *path, const struct where *w,
	struct hits *out)
{
	size_t wl = strlen(w->path), sl;
	const char *slice;

	if (wl < 3 || strcmp(w->path + wl - 3, "[x]") != 0 || strncmp(path, w->path, wl) != 0 ||
	    path[wl] != ':')
		return 0;
	slice = path + wl + 1;
	sl = strcspn(slice, ".");
	if (strlen(w->node->name) != sl || strncmp(w->node->name, slice, sl) != 0)
		return 1;
	if (slice[sl] == '.')
		walk(r, prof, path, slice + sl + 1, w->node, out);
	else
		hit(out, w->node);
	return 1;
}

/* A path beside the parent group's own (Encounter.participant.type beside
 * the group's Encounter.participant.individual): walked from the element
 * the two share, reached by climbing from the group's node, so that each
 * participant gives its own.  Returns 1 when path is such a path. */
static int walk_beside(struct reader *r, const char *prof, const char *path, const struct where *w,
	struct hits *out)
{
	const char *rest;
	size_t up = fhir_path_beside(path, w->path, &rest);
	struct fhir_node *n = w->node;

	if (!up)
		return 0;
	while (up-- && n)
		n = n->parent;
	if (!n)
		return 0;
	walk(r, prof, path, rest, n, out);
	return 1;
}

/* Is n an extension of the extension profile called prof (its url's last
 * part: "ext-AnatomicalLocation.Laterality")? */
static int is_extension_of(const struct fhir_node *n, const char *prof)
{
	const char *url = child_value(n, "url"), *tail;

	if (!url || strcmp(n->name, "extension") != 0)
		return 0;
	tail = strrchr(url, '/');
	return strcmp(tail ? tail + 1 : url, prof) == 0;
}

/* An extension profile's path ("ext-AnatomicalLocation.Laterality#
 * Extension.value[x]") under a group's node (Procedure.bodySite): walked
 * in the node's extensions of that profile. */
static void walk_extensions(struct reader *r, const char *prof, const char *path, const char *rest,
	struct fhir_node *node, struct hits *out)
{
	struct fhir_node *c;

	for (c = node->children; c; c = c->next)
		if (is_extension_of(c, prof))
			walk(r, prof, path, rest, c, out);
}

/* Evaluates one mapping ("prof#Type.a.b") for a concept under w. */
static void eval(struct reader *r, const char *mapping, size_t mlen, const struct where *w,
	struct hits *out, const char **matched)
{
	char buf[1024], prof[256];
	const char *hash, *path, *dot;
	size_t plen;
	struct res *t;

	snprintf(buf, sizeof(buf), "%.*s", (int)mlen, mapping);
	hash = strchr(buf, '#');
	if (!hash)
		return;
	snprintf(prof, sizeof(prof), "%.*s", (int)(hash - buf), buf);
	path = hash + 1;
	*matched = doc_str(r->doc, path);
	dot = strchr(path, '.');
	plen = dot ? (size_t)(dot - path) : strlen(path);
	/* Below the parent's own path: relative to the parent's node. */
	if (w->path && w->node) {
		size_t wl = strlen(w->path);
		if (strcmp(path, w->path) == 0) {
			hit(out, w->node);
			return;
		}
		if (strncmp(path, w->path, wl) == 0 && path[wl] == '.') {
			walk(r, prof, path, path + wl + 1, w->node, out);
			return;
		}
		if (eval_choice_slice(r, prof, path, w, out))
			return;
		if (w->node != w->res->node && walk_beside(r, prof, path, w, out))
			return;
	}
	if (strncmp(path, w->res->type, plen) == 0 && w->res->type[plen] == '\0') {
		walk(r, prof, path, dot ? dot + 1 : "", w->res->node, out);
		return;
	}
	/* A datatype profile (HumanName, Address, Period, Extension): relative
	 * to the group's node; a resource type: across its Reference. */
	if (w->node && w->node != w->res->node) {
		const char *ref = child_value(w->node, "reference");
		if (ref) {
			t = resolve(r, w->res, ref);
			if (t && strncmp(t->type, path, plen) == 0 && t->type[plen] == '\0') {
				set_part(t, w->res);
				walk(r, prof, path, dot ? dot + 1 : "", t->node, out);
			}
			return;
		}
		if (plen == 9 && strncmp(path, "Extension", 9) == 0 && !is_extension_of(w->node, prof)) {
			walk_extensions(r, prof, path, dot ? dot + 1 : "", w->node, out);
			return;
		}
		walk(r, prof, path, dot ? dot + 1 : "", w->node, out);
		return;
	}
	{
		char type[128];
		snprintf(type, sizeof(type), "%.*s", (int)plen, path);
		t = linked(r, w->res, type);
		if (t && !claims_sibling_profile(t, mapping, mlen)) {
			set_part(t, w->res);
			walk(r, prof, path, dot ? dot + 1 : "", t->node, out);
		}
	}
}

static int res_has_profile(const struct res *x, const char *map, size_t n);

/* A sub-profile's path read in the resources w's resource points to
 * (zib2020 LivingSituation.hasMember -> LivingSituation.HouseType). */
static void eval_member(struct reader *r, const char *map, size_t n, const struct where *w,
	struct hits *out, const char **matched)
{
	struct fhir_node *c;

	if (w->node != w->res->node)
		return;
	for (c = w->res->node->children; c; c = c->next) {
		const char *ref = child_value(c, "reference");
		struct res *t;
		struct where sub;
		size_t before = out->count;
		if (!ref || !(t = resolve(r, w->res, ref)) || t == w->res || !res_has_profile(t, map, n))
			continue;
		sub.node = t->node;
		sub.path = NULL;
		sub.res = t;
		sub.within = NULL;
		eval(r, map, n, &sub, out, matched);
		if (out->count > before) {
			set_part(t, w->res);
			mark_tree(c);
		}
	}
}

/* ---- values ---- */

static const char *sys_of(const char *s)
{
	return s;
}

static struct fhir_node *ext_value(struct fhir_node *n)
{
	struct fhir_node *c;

	if (strcmp(n->name, "extension") != 0 && strcmp(n->name, "modifierExtension") != 0)
		return n;
	for (c = n->children; c; c = c->next)
		if (strncmp(c->name, "value", 5) == 0)
			return c;
	return n;
}

/* The CodeableConcept a code primitive carries in a code-specification
 * extension (zib2020 ext-CodeSpecification, zib2017 code-specification). */
static struct fhir_node *code_spec(struct fhir_node *n)
{
	struct fhir_node *c;

	for (c = n->children; c; c = c->next) {
		const char *url;
		if (strcmp(c->name, "extension") != 0)
			continue;
		url = child_value(c, "url");
		if (url && (strstr(url, "CodeSpecification") || strstr(url, "code-specification")))
			return child(c, "valueCodeableConcept");
	}
	return NULL;
}

static int fill_coded(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *coding = child(n, "coding"), *spec;

	/* (A code with no FHIR code carries the zib code alone: provision.type
	 * for BehandelBesluit 'Anders'.) */
	if ((n->value || !coding) && (spec = code_spec(n)) != NULL)
		n = spec, coding = child(n, "coding");
	if (coding) {
		v->code = doc_str(r->doc, child_value(coding, "code"));
		v->system = doc_str(r->doc, sys_of(child_value(coding, "system")));
		v->display = doc_str(r->doc, child_value(coding, "display"));
		v->text = doc_str(r->doc, child_value(n, "text"));
	} else if (child(n, "code")) {
		v->code = doc_str(r->doc, child_value(n, "code"));
		v->system = doc_str(r->doc, sys_of(child_value(n, "system")));
		v->display = doc_str(r->doc, child_value(n, "display"));
	} else if (n->value) {
		v->code = doc_str(r->doc, n->value);
	} else {
		v->text = doc_str(r->doc, child_value(n, "text"));
	}
	return v->code || v->text;
}

/* GebruikIndicator: R4 has no MedicationStatement.taken, its status says
 * whether the medication is used (not-taken: no). */
#define USE_INDICATOR "NL-CM:9.11.22399"

/* A zib indicator from FHIR: a boolean, or what implies one: STU3
 * MedicationStatement.taken y/n (GebruikIndicator), a status that is
 * entered-in-error or not (GeannuleerdIndicator), a date (deceasedDateTime
 * for OverlijdensIndicator).  Anything else (taken unk/na) is no value. */
static int fill_boolean(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	const char *s = n->value;
	int b;

	if (!s)
		return 0;
	if (strcmp(s, "true") == 0 || strcmp(s, "y") == 0)
		b = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "n") == 0)
		b = 0;
	else if (strcmp(n->name, "status") == 0 && strcmp(v->concept->id, USE_INDICATOR) == 0)
		b = strcmp(s, "not-taken") != 0;
	else if (strcmp(n->name, "status") == 0)
		b = strcmp(s, "entered-in-error") == 0;
	else if (isdigit((unsigned char)s[0]))
		b = 1;
	else
		return 0;
	v->boolean = b;
	v->text = b ? "true" : "false";
	(void)r;
	return 1;
}

/* The iso21090-nullFlavor extension of n (a value known to be absent,
 * as CDA writes it), or NULL. */
/* FHIR data-absent-reason codes as the HL7 v3 null flavors they stand for
 * (the FHIR R4 ConceptMap between the two); any other reason is NI. */
static const char *const absent_flavors[][2] = {
	{ "unknown", "UNK" }, { "asked-unknown", "ASKU" }, { "temp-unknown", "NAV" },
	{ "not-asked", "NASK" }, { "masked", "MSK" }, { "not-applicable", "NA" },
	{ "not-a-number", "NaN" }, { "negative-infinity", "NINF" }, { "positive-infinity", "PINF" },
	{ "asked-declined", "ASKU" }, { "as-text", "OTH" },
};

static const char *own_null_flavor(const struct fhir_node *n)
{
	const struct fhir_node *c;
	size_t i;

	for (c = n->children; c; c = c->next) {
		const char *url, *code;
		if (strcmp(c->name, "extension") != 0)
			continue;
		url = child_value(c, "url");
		if (url && strcmp(url, "http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor") == 0)
			return child_value(c, "valueCode");
		if (!url || strcmp(url, "http://hl7.org/fhir/StructureDefinition/data-absent-reason") != 0)
			continue;
		code = child_value(c, "valueCode");
		for (i = 0; code && i < sizeof(absent_flavors) / sizeof(absent_flavors[0]); i++)
			if (strcmp(code, absent_flavors[i][0]) == 0)
				return absent_flavors[i][1];
		return "NI";
	}
	return NULL;
}

/* The null flavor of an element, or of its value (an Identifier whose
 * value is masked: STU3 BgZ patients' BSN). */
static const char *null_flavor_of(const struct fhir_node *n)
{
	const struct fhir_node *value = child(n, "value");
	const char *nf = own_null_flavor(n);

	if (!nf && value && !value->value)
		nf = own_null_flavor(value);
	return nf;
}

static int fill_value_of(struct reader *r, struct zib_value *v, struct fhir_node *n);

#define UCUM_URI "http://unitsofmeasure.org"

/* A Ratio as one PQ (MaximaleDosering from Dosage.maxDosePerPeriod, 6 mg
 * per 1 d): the numerator's value, the unit numerator per denominator,
 * "mg/d", or "mg/(2.d)" for a denominator of 2 d (a UCUM term in
 * parentheses, a whole number its factor).  Only when both units are UCUM:
 * the MP fixtures count in G-Standaard units (ST, 245 'stuk'), which have
 * no UCUM form, so such a Ratio has no faithful PQ and stays unread. */
static int fill_ucum_ratio(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *num = child(n, "numerator"), *den = child(n, "denominator");
	const char *nv = child_value(num, "value"), *nu = child_value(num, "code");
	const char *dv = child_value(den, "value"), *du = child_value(den, "code");
	const char *ns = child_value(num, "system"), *ds = child_value(den, "system");
	char unit[128];
	size_t i;
	int len;

	if (!nv || !nu || !dv || !du || !ns || !ds || strcmp(ns, UCUM_URI) != 0 || strcmp(ds, UCUM_URI) != 0)
		return 0;
	for (i = 0; dv[i]; i++)
		if (!isdigit((unsigned char)dv[i]))
			return 0;
	if (strcmp(dv, "1") == 0)
		len = snprintf(unit, sizeof(unit), "%s/%s", nu, du);
	else
		len = snprintf(unit, sizeof(unit), "%s/(%s.%s)", nu, dv, du);
	if (i == 0 || len <= 0 || (size_t)len >= sizeof(unit))
		return 0;
	v->number = doc_str(r->doc, nv);
	v->unit = doc_str(r->doc, unit);
	return 1;   /* fill_value marks the Ratio read */
}

/* An ED from an Attachment (Wilsverklaring's Consent.sourceAttachment):
 * the data as written (base64, as the CDA reader keeps an ED's text) and
 * its media type, contentType, as the code.  Only these two are marked
 * read: a url or title stays unread, to be reported. */
static int fill_attachment(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *data = child(n, "data"), *type = child(n, "contentType");

	if (!data || !data->value)
		return 0;
	v->text = doc_str(r->doc, data->value);
	data->used = 1;
	if (type && type->value) {
		v->code = doc_str(r->doc, type->value);
		type->used = 1;
	}
	n->used = 1;
	return 1;
}

/* Fills v from n and marks n read, unless n held nothing v's datatype can
 * take (an STU3 Ratio maxDosePerPeriod for the PQ MaximaleDosering): that
 * stays unread, to be reported. */
static int fill_value(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	int ok = fill_value_of(r, v, n);
	int attachment = v->type == ZIB_VALUE_ED && child(ext_value(n), "data") != NULL;

	if ((ok || v->null_flavor) && !attachment)   /* fill_attachment marks its own */
		mark_tree(ext_value(n));
	return ok;
}

static int fill_value_of(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct zib_doc *doc = r->doc;
	const char *nf;

	n = ext_value(n);
	if ((nf = null_flavor_of(n)) != NULL)
		v->null_flavor = doc_str(doc, nf);
	switch (v->type) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO:
		return fill_coded(r, v, n);
	case ZIB_VALUE_PQ:
		if (child(n, "numerator") && child(n, "denominator"))
			return fill_ucum_ratio(r, v, n);
		if (n->value) {
			v->number = doc_str(doc, n->value);
			return 1;
		}
		v->number = doc_str(doc, child_value(n, "value"));
		v->unit = doc_str(doc, child_value(n, "code") ? child_value(n, "code") : child_value(n, "unit"));
		return v->number || v->unit;
	case ZIB_VALUE_TS:
		v->text = doc_str(doc, n->value ? n->value : child_value(n, "start"));
		return v->text != NULL;
	case ZIB_VALUE_II:
		v->system = doc_str(doc, child_value(n, "system"));
		v->code = doc_str(doc, child_value(n, "value"));
		if (v->system && strncmp(v->system, "urn:oid:", 8) == 0)
			v->system += 8;
		return v->system || v->code;
	case ZIB_VALUE_BL:
		return fill_boolean(r, v, n);
	case ZIB_VALUE_INT:
		v->number = doc_str(doc, n->value ? n->value : child_value(n, "value"));
		if (v->number)
			v->integer = strtoll(v->number, NULL, 10);
		return v->number != NULL;
	case ZIB_VALUE_ANY:
		if (child(n, "coding") || child(n, "code") || (n->value && code_spec(n)))
			return fill_coded(r, v, n);
		if (child(n, "value")) {
			v->number = doc_str(doc, child_value(n, "value"));
			v->unit = doc_str(doc, child_value(n, "code") ? child_value(n, "code") : child_value(n, "unit"));
			return 1;
		}
		v->text = doc_str(doc, n->value ? n->value : child_value(n, "text"));
		return v->text != NULL;
	default:  /* ST, ED */
		if (v->type == ZIB_VALUE_ED && child(n, "data"))
			return fill_attachment(r, v, n);
		if (n->value)
			v->text = doc_str(doc, n->value);
		else if (child(n, "text"))
			v->text = doc_str(doc, child_value(n, "text"));
		else if (child(n, "display"))
			v->text = doc_str(doc, child_value(n, "display"));
		return v->text != NULL;
	}
}

/* A code a ConceptMap translated (zib2017 BehandelingToegestaan 'JA' to
 * BehandelBesluit '0'): a source display names the source code, so the
 * zib value set's display of the new code replaces it. */
static void translated_display(struct reader *r, const char *oid, struct zib_value *v)
{
	const struct valueset_code *vc;

	if (!v->display)
		return;
	vc = valueset_code_find(zib_valueset_find(r->ctx, oid), zib_codesystem_oid(r->ctx, v->system), v->code);
	if (vc && vc->display)
		v->display = doc_str(r->doc, vc->display);
}

/* A code without a system (a code primitive: ContactPoint.use 'home',
 * the zib2017 humanname-assembly-order valueCode 'NL3'): a code of c's
 * value sets (in one system only) stays as it is, and gets that system
 * when it is an extension's valueCode, bound to the zib's list; else what
 * the ConceptMaps map it to.  Returns 1 when found, -1 when not. */
static int bare_code(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	const struct fhir_node *node)
{
	int in_ext = node && node->parent && strcmp(node->parent->name, "extension") == 0;
	int mapped = 0;
	const char *p;
	char oid[128];

	for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); ) {
		const zib_valueset *vs = zib_valueset_find(r->ctx, oid);
		const struct valueset_code *hit = NULL;
		size_t i;
		int count = 0;

		for (i = 0; vs && i < vs->ncodes; i++)
			if (strcmp(vs->codes[i].code, v->code) == 0 && (!hit || strcmp(hit->system, vs->codes[i].system) != 0))
				hit = &vs->codes[i], count++;
		if (count == 1 && hit->system && !in_ext)
			return 1;
		if (count == 1 && hit->system) {
			char sys[160];
			snprintf(sys, sizeof(sys), "urn:oid:%s", hit->system);
			v->system = doc_str(r->doc, sys);
			if (!v->display)
				v->display = doc_str(r->doc, hit->display);
			return 1;
		}
	}
	for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); ) {
		const struct fhir_conceptmap *m = fhir_conceptmap_find_code(oid, v->code);
		if (m) {
			v->system = m->zib_system;
			v->code = m->zib_code;
			translated_display(r, oid, v);
			return 1;
		}
		if (fhir_conceptmap_has_valueset(oid))
			mapped = 1;
	}
	return mapped ? -2 : -1;
}

/* A FHIR-native code (Condition.clinicalStatus 'active') where the zib
 * has its own value set: the zib code, through the profiles' ConceptMaps. */
static int to_zib_code(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	const struct fhir_node *node)
{
	const char *p, *sys;
	char oid[128];

	if (v->code && !v->system && c->valuesets && *c->valuesets)
		return bare_code(r, c, v, node);
	if (!v->code || !v->system || !c->valuesets || !*c->valuesets)
		return 0;
	sys = zib_codesystem_oid(r->ctx, v->system);
	for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); )
		if (zib_valueset_contains(zib_valueset_find(r->ctx, oid), sys ? sys : v->system, v->code))
			return 1;
	for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); ) {
		const struct fhir_conceptmap *m = fhir_conceptmap_find(oid, v->system, v->code);
		if (m) {
			v->system = m->zib_system;
			v->code = m->zib_code;
			translated_display(r, oid, v);
			return 1;
		}
	}
	return -1;
}

/* A CodeableConcept whose first coding is no code of c: the first later
 * coding that is, or maps to one (zib2017 BodyHeight's Observation.code
 * 8302-2 plus 8308-9 'standing': Positie 10904000).  Returns 1 when found,
 * else -1 with v unchanged. */
static int other_coding(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	struct fhir_node *n)
{
	struct fhir_node *k, *first;
	struct zib_value save = *v;

	n = ext_value(n);
	first = child(n, "coding");
	if (!first || v->type == ZIB_VALUE_ANY)
		return -1;
	for (k = first->next; k; k = k->next) {
		if (strcmp(k->name, "coding") != 0 || !child_value(k, "code"))
			continue;
		v->code = doc_str(r->doc, child_value(k, "code"));
		v->system = doc_str(r->doc, child_value(k, "system"));
		v->display = doc_str(r->doc, child_value(k, "display"));
		if (to_zib_code(r, c, v, NULL) > 0)
			return 1;
		*v = save;
	}
	return -1;
}

static int has_children(const struct zib_concept *c)
{
	return c->index + 1 < c->model->nconcepts && c->model->concepts[c->index + 1].parent == c;
}

static const char *mapping_of(const struct zib_concept *c, int stu3)
{
	const char *m = stu3 ? c->fhir_stu3 : c->fhir_r4;

	if (stu3 && (!m || !*m))
		m = c->fhir_r4;
	return m && *m ? m : NULL;
}

/* A date, or a Nictiz test fixture's date relative to the run day
 * ("${DATE, T, D, -44}T14:22:10+02:00"). */
static int is_date(const char *s)
{
	char rel[64];

	return s && (isdigit((unsigned char)s[0]) || ts_relative(s, rel, sizeof(rel)) == 0);
}

/* Drops hits that cannot hold a value of c's datatype: the models map some
 * zib dates to the resource's status (the profiles' zib mappings do).  A
 * date left out with a data-absent-reason is its null flavor. */
static void fit_hits(const struct zib_concept *c, struct hits *h)
{
	size_t i, k = 0;

	if (strcmp(c->datatype, "TS") != 0)
		return;
	for (i = 0; i < h->count; i++) {
		struct fhir_node *n = ext_value(h->n[i]);
		if (is_date(n->value) || child(n, "start") || child(n, "end") ||
		    (!n->value && own_null_flavor(n)))
			h->n[k++] = h->n[i];
	}
	h->count = k;
}

static int is_below(const struct fhir_node *n, const struct fhir_node *top)
{
	for (; n; n = n->parent)
		if (n == top)
			return 1;
	return 0;
}

static void keep_within(struct hits *h, const struct fhir_node *top)
{
	size_t i, k = 0;

	for (i = 0; i < h->count; i++)
		if (is_below(h->n[i], top))
			h->n[k++] = h->n[i];
	h->count = k;
}

/* Huisnummerletter and Huisnummertoevoeging share one extension
 * (model/address.h): keep the hits that belong to c. */
static void house_number_suffix(const struct zib_concept *c, struct hits *h)
{
	size_t i, k = 0, count = h->count;

	for (i = 0; i < count; i++)
		if (address_suffix_fits(c->id, i, count, ext_value(h->n[i])->value))
			h->n[k++] = h->n[i];
	h->count = k;
}

/* HumanName.given carries Voornamen, Initialen and Roepnaam told apart by
 * the iso21090-EN-qualifier extension (BR, IN, CL); several given names
 * are one zib value. */
static const char *given_names(struct reader *r, const struct zib_concept *c, struct hits *h)
{
	const char *want = strcmp(c->id, "NL-CM:20.4.5") == 0 ? "IN" :
		strcmp(c->id, "NL-CM:20.4.6") == 0 ? "CL" : "BR";
	char buf[1024];
	size_t i, k = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < h->count; i++) {
		struct fhir_node *n = h->n[i], *e;
		const char *q = NULL;
		for (e = n->children; e; e = e->next)
			if (strcmp(e->name, "extension") == 0 && child_value(e, "url") &&
			    strstr(child_value(e, "url"), "iso21090-EN-qualifier"))
				q = child_value(e, "valueCode");
		/* The usual name holds the call name (zib2020 NameInformation). */
		if (!q)
			q = n->parent && child_value(n->parent, "use") &&
			    strcmp(child_value(n->parent, "use"), "usual") == 0 ? "CL" : "BR";
		if (strcmp(q, want) != 0 || !n->value)
			continue;
		mark_tree(n);
		len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%s",
			len ? " " : "", n->value);
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		h->n[k++] = n;
	}
	h->count = k ? 1 : 0;
	return k ? doc_str(r->doc, buf) : NULL;
}

static void add_ref(struct reader *r, struct zib_value *v, struct res *target)
{
	if (r->nrefs == r->caprefs) {
		size_t cap = r->caprefs ? r->caprefs * 2 : 64;
		struct pend_ref *p = realloc(r->refs, cap * sizeof(*p));
		if (!p) {
			r->failed = 1;
			return;
		}
		r->refs = p;
		r->caprefs = cap;
	}
	r->refs[r->nrefs].v = v;
	r->refs[r->nrefs].target = target;
	r->nrefs++;
}

static int map_children(struct reader *r, struct zib_instance *inst, const struct zib_concept *parent,
	struct zib_value *pv, const struct where *w, int stu3);

/* Does mapping map end in a slice told by a code (zib2017 GeverifieerdBij
 * '...VerifiedWith.valueCodeableConcept:patient')?  A group so mapped that
 * the resource does not hold is absent, children and all. */
static int told_by_code(const char *map, size_t n)
{
	char key[1024];
	const char *last, *colon;
	const struct fhir_slice *s;

	snprintf(key, sizeof(key), "%.*s", (int)n, map);
	last = strrchr(key, '.');
	colon = strrchr(key, ':');
	if (!last || !colon || colon < last || strncmp(last + 1, "value", 5) != 0)
		return 0;
	s = fhir_slice_find(key);
	return s && s->kind == 'c';
}

/* A group whose own path finds nothing from the resource (zib2020 Payer's
 * Verzekeraar is the payor Organization, absent from a lone Coverage): its
 * children are tried from here, as for a group without a path, so that
 * what the resource itself holds (Coverage.type, subscriberId) is read. */
static int group_absent(struct reader *r, const struct zib_concept *c, const char *m,
	const struct where *w, int stu3)
{
	struct hits h;
	const char *p, *matched = NULL;

	if (!has_children(c) || w->node != w->res->node)
		return 0;
	h.count = 0;
	for (p = m; *p && !h.count; ) {
		size_t n = strcspn(p, " ");
		if (told_by_code(p, n))
			return 0;
		eval(r, p, n, w, &h, &matched);
		p += n;
		while (*p == ' ')
			p++;
	}
	(void)stu3;
	return h.count == 0;
}

/* Do mappings a and b start at the same type ("#Location.name" and
 * "#Organization.name" do not)? */
static int same_type(const char *a, const char *b)
{
	const char *ha = strchr(a, '#'), *hb = strchr(b, '#');
	size_t la, lb;

	if (!ha || !hb)
		return 0;
	la = strcspn(ha + 1, ". ");
	lb = strcspn(hb + 1, ". ");
	return la == lb && strncmp(ha + 1, hb + 1, la) == 0;
}

/* zib ContactInformation in R4: phone numbers and e-mail addresses are
 * ContactPoints told apart by system; keep the hits of c's kind. */
static void fit_contact_points(const struct zib_concept *c, struct hits *h)
{
	int email = strcmp(c->id, "NL-CM:20.6.3") == 0;
	size_t i, k = 0;

	if (!email && strcmp(c->id, "NL-CM:20.6.2") != 0)
		return;
	for (i = 0; i < h->count; i++) {
		const char *sys = child_value(h->n[i], "system");
		if ((sys && strcmp(sys, "email") == 0) == email)
			h->n[k++] = h->n[i];
	}
	h->count = k;
}

/* The zib a reference concept points at: the zib whose root it is, or, for
 * a reference of its own id (BehandelAanwijzing2's AfspraakPartij Patient,
 * Vertegenwoordiger, Zorgverlener: NL-CM:2.2.10-12), the zib it is named
 * after; zib2020 names a Contactpersoon by the role it has. */
static const zib_model *referenced_zib(struct reader *r, const struct zib_concept *c)
{
	const zib_model *m = zib_model_find(r->ctx, c->name_nl);

	if (m && strcmp(m->root, c->id) == 0)
		return m;
	if (strcmp(c->datatype, "GROUP") != 0 || has_children(c))
		return NULL;
	if (strcmp(c->name_nl, "Vertegenwoordiger") == 0)
		return zib_model_find(r->ctx, "Contactpersoon");
	return m;
}

/* Can a Reference to ref (seen in resource from) be an instance of the zib
 * c points at?  zib2017 maps both of Contact's RedenContact
 * Probleem and Verrichting to Encounter.diagnosis.condition, a
 * Reference(Condition | Procedure): the target's type tells them apart. */
static int ref_fits_zib(struct reader *r, struct res *from, const struct zib_concept *c, const char *ref)
{
	const struct res *t = resolve(r, from, ref);
	const zib_model *m = referenced_zib(r, c);
	const char *list, *slash;
	char type[64];

	if (!m)
		return 1;
	list = m->fhir_r4_resource;
	if (!list || !*list)
		return 1;
	if (t) {
		snprintf(type, sizeof(type), "%s", t->type);
	} else {
		const char *h = strstr(ref, "/_history/"), *end = h ? h : ref + strlen(ref);
		const char *last = NULL, *p;
		/* [base/]Type/id: the segment before the last '/'. */
		for (p = ref; p < end; p++)
			if (*p == '/')
				last = p;
		if (!last)
			return 1;
		for (slash = last; slash > ref && slash[-1] != '/'; slash--)
			;
		snprintf(type, sizeof(type), "%.*s", (int)(last - slash), slash);
	}
	if (!isupper((unsigned char)type[0]) || list_has(list, type))
		return 1;
	/* zib2017 resource types that zib2020 renamed. */
	return strcmp(type, "ProcedureRequest") == 0 && list_has(list, "ServiceRequest");
}

/* A zib's Contactgegevens (Betaler's is 0..*): one ContactInformation holds
 * all telephone numbers and e-mail addresses, spread over FHIR telecoms. */
static int is_contact_container(const struct zib_concept *c)
{
	const struct zib_concept *k = c->index + 1 < c->model->nconcepts ? &c->model->concepts[c->index + 1] : NULL;

	return k && k->parent == c && (strcmp(k->id, "NL-CM:20.6.2") == 0 || strcmp(k->id, "NL-CM:20.6.3") == 0);
}

/* A coding slice read as c's value (zib2017 Observation.interpretation.
 * coding:InterpretatieVlaggenCodelijst): the CodeableConcept's other
 * codings that c's ConceptMaps map to the same zib code (HL7 v2 0078 'I'
 * for SNOMED 11896004) are that value in FHIR's own code system. */
static void consume_translations(const struct zib_concept *c, const struct zib_value *v,
	struct fhir_node *n)
{
	struct fhir_node *k;
	const char *p;
	char oid[128];

	if (strcmp(n->name, "coding") != 0 || !n->parent || !v->code || !c->valuesets)
		return;
	for (k = n->parent->children; k; k = k->next) {
		const char *sys = child_value(k, "system"), *code = child_value(k, "code");
		if (k == n || k->used || strcmp(k->name, "coding") != 0 || !sys || !code)
			continue;
		for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); ) {
			const struct fhir_conceptmap *m = fhir_conceptmap_find(oid, sys, code);
			if (m && strcmp(m->zib_code, v->code) == 0 &&
			    (!v->system || strcmp(m->zib_system, v->system) == 0))
				mark_tree(k);
		}
	}
}

/* Do a and b hold the same content (names and values, all the way down)? */
static int same_content(const struct fhir_node *a, const struct fhir_node *b)
{
	const struct fhir_node *x, *y;

	if (strcmp(a->name, b->name) != 0 || (a->value == NULL) != (b->value == NULL) ||
	    (a->value && strcmp(a->value, b->value) != 0))
		return 0;
	for (x = a->children, y = b->children; x && y; x = x->next, y = y->next)
		if (!same_content(x, y))
			return 0;
	return x == NULL && y == NULL;
}

/* Is n a FHIR code of a code system c's ConceptMaps translate from, one
 * they give no zib code (STU3 AllergyIntolerance.verificationStatus
 * 'confirmed': only 'entered-in-error' is an AllergieStatus, nullified)? */
static int no_zib_counterpart(const struct zib_concept *c, const struct fhir_node *n)
{
	const struct fhir_node *coding = child(n, "coding");
	const char *code = coding ? child_value(coding, "code") : n->value;
	const char *sys = coding ? child_value(coding, "system") : NULL, *p;
	char oid[128];

	if (!code || !c->valuesets)
		return 0;
	/* A primitive must be a code, not free text: a single token, of no
	 * text type (STU3 code elements R4 types otherwise, as the reader's R4
	 * table does, say nothing by their type). */
	if (!coding && (strpbrk(code, " \t\n") || (n->def && n->def->type_code &&
	    (strcmp(n->def->type_code, "string") == 0 || strcmp(n->def->type_code, "markdown") == 0))))
		return 0;
	for (p = c->valuesets; valueset_list_next(&p, oid, sizeof(oid)); ) {
		if (!fhir_conceptmap_has_valueset(oid))
			continue;
		if (!sys) {
			if (!fhir_conceptmap_find_code(oid, code))
				return 1;
			continue;
		}
		if (!fhir_conceptmap_find(oid, sys, code) && fhir_conceptmap_has_system(oid, sys))
			return 1;
	}
	return 0;
}

/* Does mapping ("prof#Type.a.b") start at x's own type?  (No Reference
 * is followed then, so no other resource is taken as a part.) */
static int in_resource(const char *map, size_t n, const struct res *x)
{
	const char *hash = memchr(map, '#', n);
	size_t tl = strlen(x->type);

	if (!hash)
		return 0;
	hash++;
	return (size_t)(map + n - hash) >= tl && strncmp(hash, x->type, tl) == 0 &&
		(hash + tl == map + n || hash[tl] == '.');
}

/* The mappings after the one that found c's value name other slices that
 * say the same in another code system (zib2017 BloodPressure has a SNOMED
 * and a LOINC component for each of GemiddeldeBloeddruk, ManchetType and
 * Houding).  A node of those holding what a read node holds is that value
 * again: consumed; so is a FHIR code with no zib counterpart, which adds
 * nothing to the value read.  A different value stays unread, to be
 * reported. */
static void consume_repeats(struct reader *r, const struct zib_concept *c, const char *rest,
	const struct where *w, const struct hits *read)
{
	struct hits h;
	const char *p, *matched = NULL;
	size_t i, k;

	h.count = 0;
	for (p = rest + strspn(rest, " "); *p; ) {
		size_t n = strcspn(p, " ");
		if (in_resource(p, n, w->res))
			eval(r, p, n, w, &h, &matched);
		p += n;
		while (*p == ' ')
			p++;
	}
	if (w->within)
		keep_within(&h, w->within);
	for (i = 0; i < h.count; i++) {
		struct fhir_node *n = ext_value(h.n[i]);
		if (!n->used && no_zib_counterpart(c, n))
			mark_tree(n);
		for (k = 0; k < read->count && !n->used; k++)
			if (read->n[k] != h.n[i] && ext_value(read->n[k])->used &&
			    same_content(ext_value(read->n[k]), n))
				mark_tree(n);
	}
}

/* A concept the zib has once that FHIR repeats with the same value (MP9
 * copies Toedieningsweg into every Dosage of the instructions): read once,
 * the copies count as read. */
static void drop_copies(const struct zib_concept *c, struct hits *h)
{
	size_t i, j, k = 0;

	if (c->max != 1 || has_children(c))
		return;
	for (i = 0; i < h->count; i++) {
		for (j = 0; j < k && !same_content(h->n[j], h->n[i]); j++)
			;
		if (j < k) {
			mark_tree(h->n[i]);
			continue;
		}
		h->n[k++] = h->n[i];
	}
	h->count = k;
}

/* The Reference a group's node is or holds: the node (or its extension's
 * value), or the actor of a performer backbone (zib2017 maps Verrichting's
 * Uitvoerder and Locatie to Procedure.performer; the FHIR writer writes the
 * reference as its actor). */
static struct fhir_node *reference_of_group(struct fhir_node *n)
{
	struct fhir_node *v = ext_value(n), *actor;

	if (child(v, "reference"))
		return v;
	actor = child(n, "actor");
	return actor && child(actor, "reference") ? actor : NULL;
}

/* ---- Toedieningsschema: Frequentie and Interval from Timing.repeat ----
 *
 * The profiles map both concepts to the same three elements (frequency,
 * frequencyMax, period, periodUnit), not element by element, so they are
 * read here rather than by path.  The zib2017 zib-AdministrationSchedule
 * and MP9 rules:
 *   - a repeat with period and periodUnit but no frequency, or frequency 1
 *     with the timing-exact extension true, is an Interval: "every 4 h" is
 *     PQ 4 h (periodUnit is already a UCUM time unit);
 *   - otherwise a frequency per period is a Frequentie, a Range of PQs:
 *     nominaleWaarde = frequency, or minimumWaarde = frequency and
 *     maximumWaarde = frequencyMax.  The unit is "per period": "/d" for
 *     period 1 d, "/(8.h)" for period 8 h.  UCUM's grammar allows a
 *     parenthesized term and a whole number as a factor, so "/(8.h)" is
 *     valid UCUM and says exactly "per 8 hours" ("/8.h" would not: UCUM
 *     reads it left to right as h/8).  A period that is not a whole number
 *     (0.5 d) has no such factor and stays unread.
 */
#define ZIB_FREQUENTIE "NL-CM:9.12.19949"
#define ZIB_INTERVAL "NL-CM:9.12.19950"

static int is_schedule_part(const struct zib_concept *c)
{
	return strcmp(c->id, ZIB_FREQUENTIE) == 0 || strcmp(c->id, ZIB_INTERVAL) == 0;
}

/* The timing-exact extension with valueBoolean true (MP9 Interval). */
static struct fhir_node *exact_extension(struct fhir_node *repeat)
{
	struct fhir_node *c;

	for (c = repeat->children; c; c = c->next) {
		const char *b;
		if (!is_extension_of(c, "timing-exact"))
			continue;
		b = child_value(c, "valueBoolean");
		return b && strcmp(b, "true") == 0 ? c : NULL;
	}
	return NULL;
}

static int is_interval(struct fhir_node *repeat)
{
	const char *f = child_value(repeat, "frequency");

	return !f || (strcmp(f, "1") == 0 && !child(repeat, "frequencyMax") && exact_extension(repeat));
}

/* "/d" for period 1, "/(8.h)" for period 8; 0 when the period is no whole
 * number or too long. */
static int per_period_unit(const char *period, const char *unit, char *buf, size_t size)
{
	size_t i;
	int n;

	for (i = 0; period[i]; i++)
		if (!isdigit((unsigned char)period[i]))
			return 0;
	if (i == 0)
		return 0;
	if (strcmp(period, "1") == 0)
		n = snprintf(buf, size, "/%s", unit);
	else
		n = snprintf(buf, size, "/(%s.%s)", period, unit);
	return n > 0 && (size_t)n < size;
}

/* The child concept of parent with id (a Range part of Frequentie). */
static const struct zib_concept *child_concept(const struct zib_concept *parent, const char *id)
{
	const struct zib_model *m = parent->model;
	size_t i;

	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++)
		if (m->concepts[i].parent == parent && strcmp(m->concepts[i].id, id) == 0)
			return &m->concepts[i];
	return NULL;
}

/* One PQ of the schedule: number from node n (frequency, period), unit. */
static struct zib_value *schedule_pq(struct reader *r, struct zib_instance *inst, struct zib_value *pv,
	const struct zib_concept *c, struct fhir_node *n, const char *unit)
{
	struct zib_value *v;

	if (!c)
		return NULL;
	v = doc_add_value(r->doc, inst, pv, c, n->line, node_path(r, n));
	if (!v) {
		r->failed = 1;
		return NULL;
	}
	v->number = doc_str(r->doc, n->value);
	v->unit = doc_str(r->doc, unit);
	n->used = 1;
	return v;
}

static int read_interval(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, struct fhir_node *repeat)
{
	struct fhir_node *period = child(repeat, "period"), *unit = child(repeat, "periodUnit");
	struct fhir_node *exact = exact_extension(repeat), *f = child(repeat, "frequency");

	if (!schedule_pq(r, inst, pv, c, period, unit->value))
		return 0;
	unit->used = 1;
	if (exact)
		mark_tree(exact);
	if (f)
		f->used = 1;   /* the 1 that goes with an MP9 interval */
	return 1;
}

static int read_frequency(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, struct fhir_node *repeat)
{
	struct fhir_node *period = child(repeat, "period"), *unit = child(repeat, "periodUnit");
	struct fhir_node *f = child(repeat, "frequency"), *fmax = child(repeat, "frequencyMax");
	char per[64];
	struct zib_value *v;
	int ok;

	if (!f || !f->value || !per_period_unit(period->value, unit->value, per, sizeof(per)))
		return 0;
	v = doc_add_value(r->doc, inst, pv, c, f->line, node_path(r, f));
	if (!v) {
		r->failed = 1;
		return 0;
	}
	if (fmax && fmax->value)
		ok = schedule_pq(r, inst, v, child_concept(c, "NL-CM:20.1.2"), f, per) &&
			schedule_pq(r, inst, v, child_concept(c, "NL-CM:20.1.3"), fmax, per);
	else
		ok = schedule_pq(r, inst, v, child_concept(c, "NL-CM:20.1.4"), f, per) != NULL;
	if (!ok)
		return 0;   /* r->failed, or a model without the Range parts */
	period->used = unit->used = 1;
	return 1;
}

/* Frequentie or Interval c of the Toedieningsschema read from w->node
 * (Dosage.timing). */
static int read_schedule_part(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w)
{
	struct fhir_node *repeat = strcmp(w->node->name, "repeat") == 0 ? w->node : child(w->node, "repeat");
	struct fhir_node *period = child(repeat, "period"), *unit = child(repeat, "periodUnit");

	if (!repeat || !period || !period->value || !unit || !unit->value)
		return 0;
	if (is_interval(repeat))
		return strcmp(c->id, ZIB_INTERVAL) == 0 && read_interval(r, inst, c, pv, repeat);
	return strcmp(c->id, ZIB_FREQUENTIE) == 0 && read_frequency(r, inst, c, pv, repeat);
}

static int map_concept(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w, int stu3)
{
	const char *m = mapping_of(c, stu3), *p;
	struct hits h;
	const char *matched = NULL, *given, *rest = "";
	size_t i;
	int added = 0;

	if (!m && is_schedule_part(c))
		return read_schedule_part(r, inst, c, pv, w);
	if (!m || (h.count = 0, group_absent(r, c, m, w, stu3))) {
		struct zib_value *v;
		/* (zib2017 maps Alert's Conditie to the flag-detail extension
		 * itself, zib2020 to its value.) */
		struct fhir_node *rn = w->node != w->res->node ? reference_of_group(w->node) : NULL;
		const char *ref = rn ? child_value(rn, "reference") : NULL;
		if (!has_children(c) && ref && strcmp(c->datatype, "GROUP") == 0 && pv && !pv->children &&
		    ref_fits_zib(r, w->res, c, ref)) {
			/* The referenced zib of a group that is a Reference
			 * (Zorgverlener's Zorgaanbieder: PractitionerRole.organization). */
			v = doc_add_value(r->doc, inst, pv, c, rn->line, node_path(r, rn));
			if (!v) {
				r->failed = 1;
				return 0;
			}
			v->ref = doc_str(r->doc, ref);
			mark_tree(rn);
			add_ref(r, v, resolve(r, w->res, ref));
			return 1;
		}
		if (!has_children(c))
			return 0;
		/* A group without a path of its own: its children read from here. */
		v = doc_add_value(r->doc, inst, pv, c, w->node->line, node_path(r, w->node));
		if (!v) {
			r->failed = 1;
			return 0;
		}
		if (map_children(r, inst, c, v, w, stu3) > 0)
			return 1;
		doc_drop_last_value(inst, pv, v);
		return 0;
	}
	h.count = 0;
	for (p = m; *p && !h.count; ) {
		size_t n = strcspn(p, " ");
		rest = p + n;
		if (claims_sibling_profile(w->res, p, n))
			;   /* Payer.InsuranceCompany's Coverage.type in a Payer.PayerPerson */
		else if (!is_subprofile_path(c->model, p, n) || res_has_profile(w->res, p, n))
			eval(r, p, n, w, &h, &matched);
		else
			eval_member(r, p, n, w, &h, &matched);
		p += n;
		while (*p == ' ')
			p++;
	}
	/* The R4 mapping for an STU3 resource whose element is the same in R4
	 * (the STU3 mapping falls back to R4 only when it has none).  Not the
	 * other way round: STU3 paths are looser (Condition.category without
	 * the problemType slice) and would read other zibs' codes. */
	for (p = stu3 ? mapping_of(c, 0) : NULL; p && *p && !h.count && p != m; ) {
		size_t n = strcspn(p, " ");
		if (!w->res->r4 || same_type(m, p))
			eval(r, p, n, w, &h, &matched);
		p += n;
		while (*p == ' ')
			p++;
	}
	fit_hits(c, &h);
	if (w->within)
		keep_within(&h, w->within);
	fit_contact_points(c, &h);
	drop_copies(c, &h);
	given = NULL;
	if (h.count && strncmp(c->id, "NL-CM:20.4.", 11) == 0 && strcmp(h.n[0]->name, "given") == 0)
		given = given_names(r, c, &h);
	if (h.count && address_is_suffix_concept(c->id))
		house_number_suffix(c, &h);
	/* A group the zib allows once spread over repeated FHIR elements (one
	 * telecom per number, an official and a usual HumanName, one
	 * dosageInstruction per dose): one zib group read from all of them. */
	if (h.count > 1 && (c->max == 1 || is_contact_container(c)) && has_children(c)) {
		struct zib_value *v = doc_add_value(r->doc, inst, pv, c, h.n[0]->line, node_path(r, h.n[0]));
		int any = 0;
		if (!v) {
			r->failed = 1;
			return 0;
		}
		for (i = 0; i < h.count; i++) {
			struct where sub;
			sub.node = h.n[i];
			sub.path = matched;
			sub.res = w->res;
			/* After the first element only what lies below each one: a
			 * resource-level child (modifierExtension) is read once. */
			sub.within = i ? h.n[i] : w->within;
			h.n[i]->used = 1;
			any += map_children(r, inst, c, v, &sub, stu3);
		}
		if (any)
			return 1;
		doc_drop_last_value(inst, pv, v);
		return 0;
	}
	for (i = 0; i < h.count; i++) {
		struct fhir_node *n = h.n[i];
		struct zib_value *v = doc_add_value(r->doc, inst, pv, c, n->line, node_path(r, n));
		if (v && given) {
			v->text = given;
			added++;
			continue;
		}
		if (!v) {
			r->failed = 1;
			break;
		}
		if (has_children(c)) {
			struct where sub;
			sub.node = n;
			sub.path = matched;
			sub.res = w->res;
			sub.within = w->within;
			n->used = 1;
			if (map_children(r, inst, c, v, &sub, stu3) > 0)
				added++;
			else
				doc_drop_last_value(inst, pv, v);
		} else if (strcmp(c->datatype, "GROUP") == 0) {
			/* A reference to another zib's instance. */
			struct fhir_node *rn = ext_value(n);
			const char *ref = child_value(rn, "reference");
			if (ref && !ref_fits_zib(r, w->res, c, ref)) {
				/* another zib's: a sibling concept reads it */
				doc_drop_last_value(inst, pv, v);
			} else if (ref) {
				v->ref = doc_str(r->doc, ref);
				mark_tree(rn);
				add_ref(r, v, resolve(r, w->res, ref));
				added++;
			} else if (child(rn, "display") || child(rn, "identifier")) {
				v->ref = doc_str(r->doc, child_value(rn, "display"));
				mark_tree(rn);
				added++;
			} else {
				doc_drop_last_value(inst, pv, v);
			}
		} else if (fill_value(r, v, n)) {
			/* The resource's own code read as a concept (zib2017
			 * Lichaamslengte Positie in Observation.code): only when
			 * it is one of the concept's codes, else it just says
			 * what the resource is. */
			int zc = to_zib_code(r, c, v, ext_value(n));
			if (zc < 0 && other_coding(r, c, v, n) < 0 && ((strcmp(n->name, "code") == 0 &&
			    n->parent && n->parent->kind == FHIR_K_RESOURCE && is_classifying_code(v->code)) ||
			    zc == -2)) {
				/* The classifying code, or a bare FHIR code the
				 * ConceptMaps of c's value set do not map (STU3
				 * MedicationStatement.status 'active' is no
				 * MedicatieGebruikStopType). */
				doc_drop_last_value(inst, pv, v);
			} else {
				added++;
				consume_translations(c, v, n);
			}
		} else if (v->null_flavor) {
			added++;
		} else {
			doc_drop_last_value(inst, pv, v);
		}
	}
	if (added && !has_children(c) && strcmp(c->datatype, "GROUP") != 0 && *rest)
		consume_repeats(r, c, rest, w, &h);
	return added;
}

static int map_children(struct reader *r, struct zib_instance *inst, const struct zib_concept *parent,
	struct zib_value *pv, const struct where *w, int stu3)
{
	const struct zib_model *m = parent->model;
	size_t i;
	int added = 0;

	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++)
		if (m->concepts[i].parent == parent)
			added += map_concept(r, inst, &m->concepts[i], pv, w, stu3);
	return added;
}

static void finding(struct reader *r, const struct res *x, const struct fhir_node *n, zib_severity sev,
	const char *code, const char *actual, const char *fmt, const char *arg)
{
	zib_diag d;
	char path[2048];

	if (!r->report)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = x && x->file ? x->file : r->doc->file;
	d.line = n ? n->line : 0;
	d.column = n ? n->column : 0;
	d.path = n ? fhir_node_path(n, path, sizeof(path)) : NULL;
	d.actual = actual;
	zib_report_addf(r->report, &d, fmt, arg);
}

/* Does a mapping list name a path starting at resource type? */
static int root_has_type(const char *map, const char *type)
{
	const char *p = map;
	size_t tl = strlen(type);

	while (p && *p) {
		size_t n = strcspn(p, " ");
		const char *hash = memchr(p, '#', n);
		if (hash && strncmp(hash + 1, type, tl) == 0 && (hash[1 + tl] == '.' || hash + 1 + tl == p + n))
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Reads resource x as zib m: one instance, or one per node of a root path
 * below the resource (STU3 Patient.contact). */
static int read_as(struct reader *r, struct res *x, const struct zib_model *m, int stu3, int optional)
{
	const struct zib_concept *root = &m->concepts[0];
	const char *map = mapping_of(root, stu3), *p;
	struct hits h;
	struct where w;
	size_t i;
	int made = 0;

	w.node = x->node;
	w.path = NULL;
	w.res = x;
	w.within = NULL;
	h.count = 0;
	r->r4 = x->r4;
	for (p = map; p && *p; ) {
		size_t n = strcspn(p, " ");
		const char *hash = memchr(p, '#', n);
		const char *matched = NULL;
		size_t tl = strlen(x->type);
		/* Only the mappings of this resource type. */
		if (hash && strncmp(hash + 1, x->type, tl) == 0 && (hash[1 + tl] == '.' ||
		    hash + 1 + tl == p + n)) {
			eval(r, p, n, &w, &h, &matched);
			if (h.count) {
				w.path = matched;
				break;
			}
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	if (!h.count) {
		if (map && optional)
			return 0;
		hit(&h, x->node);
		w.path = x->type;
	}
	for (i = 0; i < h.count; i++) {
		struct zib_instance *inst;
		const char *id = x->id;
		char idbuf[512];
		if (h.n[i] != x->node) {
			snprintf(idbuf, sizeof(idbuf), "%s[%zu]", x->id ? x->id : x->type, i);
			id = idbuf;
		}
		inst = doc_add_instance(r->doc, m, id, h.n[i]->line, node_path(r, h.n[i]));
		if (!inst) {
			r->failed = 1;
			return made;
		}
		if (x->file && (!r->doc->file || strcmp(x->file, r->doc->file) != 0))
			inst->file = doc_str(r->doc, x->file);
		w.node = h.n[i];
		h.n[i]->used = 1;
		if (map_children(r, inst, root, NULL, &w, stu3) == 0 && optional) {
			doc_unlink_instance(r->doc, inst);
			continue;
		}
		if (!x->inst)
			x->inst = inst;
		made++;
	}
	return made;
}

static const char *const structural[] = {
	"id", "meta", "text", "implicitRules", "language", "contained", "url", "resourceType",
	/* classification and context: what made the resource this zib */
	"status", "category", "code", "subject", "patient", "intent", NULL
};

static int is_structural(const struct fhir_node *n)
{
	size_t i;

	if (n->parent && n->parent->kind == FHIR_K_RESOURCE)
		for (i = 0; structural[i]; i++)
			if (strcmp(n->name, structural[i]) == 0)
				return 1;
	/* The code that tells a slice apart (a component's code, the role of a
	 * Consent actor: RESPRSN for Wilsverklaring's Vertegenwoordiger), once
	 * the slice or what it holds was read. */
	if (n->parent && ((strcmp(n->name, "code") == 0 && strcmp(n->parent->name, "component") == 0) ||
	    (strcmp(n->name, "role") == 0 && strcmp(n->parent->name, "actor") == 0))) {
		const struct fhir_node *k;
		if (n->parent->used)
			return 1;
		for (k = n->parent->children; k; k = k->next)
			if (k != n && k->used)
				return 1;
	}
	return n->kind == FHIR_K_ATTR || n->kind == FHIR_K_XHTML;
}

/* Coverage.type 'pay' (coverage-selfpay): the pattern zib-Payer.PayerPerson
 * fixes, which makes the Coverage a BetalerPersoon's self-payment; no
 * concept of its own. */
static int is_selfpay_type(const struct fhir_node *n, const struct res *x)
{
	const struct fhir_node *c;

	if (strcmp(x->type, "Coverage") != 0 || n->parent != x->node || strcmp(n->name, "type") != 0)
		return 0;
	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, "coding") == 0 && child_value(c, "system") &&
		    strcmp(child_value(c, "system"), "http://terminology.hl7.org/CodeSystem/coverage-selfpay") == 0)
			return 1;
	return 0;
}

/* Datatypes whose parts render one value a concept read from a sibling or
 * the element itself (a Reference's display and type beside its target, a
 * HumanName's text and use beside its parts, an Address's use and type
 * beside AdresSoort, a ContactPoint's system beside TelecomType): once read,
 * they count as read whole. */
static const char *const read_whole_types[] = {
	"Reference", "HumanName", "Address", "ContactPoint", NULL
};

/* An STU3 element R4 does not have (ProcedureRequest.requester.agent) is
 * untyped here: a Reference by its shape. */
static int is_reference(const struct fhir_node *n)
{
	return n->type ? strcmp(n->type->name, "Reference") == 0 : child(n, "reference") != NULL;
}

static int is_read_whole_type(const struct fhir_node *n)
{
	size_t i;

	if (is_reference(n))
		return 1;
	for (i = 0; n->type && read_whole_types[i]; i++)
		if (strcmp(n->type->name, read_whole_types[i]) == 0)
			return 1;
	return 0;
}

/* Is n an element read whole: one of the datatypes above that a concept
 * read, or a Reference right below the element a group was read from (the
 * STU3 requester's agent, a performer's actor: what the group points at),
 * or an Observation's related link a concept read (its type is the kind of
 * link)?  Elsewhere a group read from an element (a Dosage, a bodySite)
 * reads it part by part, so what no part read stays unread.  Only n itself
 * is asked: scan_unmapped does not go below an element read whole. */
static int read_whole(const struct fhir_node *n)
{
	const struct fhir_node *p = n->parent;

	if (is_read_whole_type(n) && n->used)
		return 1;
	if (is_reference(n) && p && p->used && p->kind != FHIR_K_RESOURCE)
		return 1;
	return n->used && strcmp(n->name, "related") == 0 && p && p->kind == FHIR_K_RESOURCE;
}

static void scan_unmapped(struct reader *r, struct fhir_node *n, const struct res *x)
{
	struct fhir_node *c;

	for (c = n->children; c; c = c->next) {
		int data = 0;
		const struct fhir_node *k;
		if (read_whole(c) || is_structural(c) || c->kind == FHIR_K_RESOURCE ||
		    is_selfpay_type(c, x))
			continue;
		for (k = c->children; k; k = k->next)
			if (k->kind != FHIR_K_ATTR)
				data = 1;
		if (data) {
			scan_unmapped(r, c, x);
		} else if (c->value && !c->used) {
			char what[512];
			snprintf(what, sizeof(what), "%s element '%s' is not mapped to a zib", x->type, c->name);
			if (doc_add_unmapped(r->doc, c->line, node_path(r, c), what) < 0)
				r->failed = 1;
		}
	}
}

/* The base profile's zib of a resource claiming a sub-profile
 * (".../nl-core-LivingSituation.HouseType" of nl-core-LivingSituation). */
static const struct zib_model *subprofile_model(struct reader *r, const struct res *x)
{
	const struct fhir_node *meta = child(x->node, "meta"), *c;

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

static int claims_subprofile(struct reader *r, const struct res *x)
{
	return subprofile_model(r, x) != NULL;
}

/* A code system named by its STU3 url (http://hl7.org/fhir/v3/RoleCode):
 * R4 calls them http://terminology.hl7.org/CodeSystem/v3-RoleCode. */
static int has_stu3_terminology(const struct fhir_node *n)
{
	const struct fhir_node *c;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		if (strcmp(c->name, "system") == 0 && c->value &&
		    (strncmp(c->value, "http://hl7.org/fhir/v2/", 23) == 0 ||
		     strncmp(c->value, "http://hl7.org/fhir/v3/", 23) == 0))
			return 1;
		if (c->children && has_stu3_terminology(c))
			return 1;
	}
	return 0;
}

/* What x itself says about its FHIR version: an element R4 does not have
 * (the tree is generic) or a zib2017-only profile (fhir.nl nl-core-*)
 * makes it STU3; a zib2020-only profile (nl-core-*) makes it R4.  The
 * zib-* urls zib2017 and zib2020 share say neither (*shared).  Returns
 * whether x claims a profile of a zib. */
static int version_evidence(struct reader *r, struct res *x, int *shared)
{
	struct fhir_node *meta = child(x->node, "meta"), *c;
	int any = 0;

	x->stu3 = tree_is_generic(x->node) || has_stu3_terminology(x->node);
	x->r4 = 0;
	*shared = 0;
	for (c = meta ? meta->children : NULL; c; c = c->next) {
		char url[1024];
		const char *bar;
		struct model_link *l;
		if (strcmp(c->name, "profile") != 0 || !c->value)
			continue;
		snprintf(url, sizeof(url), "%s", c->value);
		bar = strchr(url, '|');
		if (bar)
			url[bar - url] = '\0';
		for (l = strmap_get(&r->by_profile, url); l; l = l->next) {
			int in_r4 = list_has(l->m->fhir_r4_profiles, url);
			int in_stu3 = list_has(l->m->fhir_stu3_profiles, url);
			if (in_stu3 && !in_r4)
				x->stu3 = 1;
			else if (in_r4 && !in_stu3)
				x->r4 = 1;
			else
				*shared = 1;
			any = 1;
		}
	}
	return any;
}

/* The FHIR version of every resource.  A resource that says nothing of its
 * own (a shared zib-* profile, or none) is of the version the rest of the
 * input shows: the zib2017 fixtures of one patient are one set, with
 * nl-core-patient and zib-LivingSituation side by side.  With no evidence
 * at all, a shared profile is read as zib2017 first, zib2020 where zib2017
 * finds nothing (the R4 paths of the same resource type), so that the
 * sub-profile rule of zib2020 (LivingSituation.HouseType through hasMember)
 * does not hide the zib2017 value of a lone file. */
static void decide_versions(struct reader *r)
{
	size_t i;
	int set_stu3 = 0, set_r4 = 0;
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
		set_stu3 |= x->stu3;
		set_r4 |= x->r4 && !x->stu3;
	}
	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		if (x->stu3 || x->r4 || strcmp(x->type, "Bundle") == 0)
			continue;
		x->r4 = shared[i];
		if (set_stu3 && !set_r4)
			x->stu3 = 1;
		else if (!set_r4 && shared[i])
			x->stu3 = x->guessed = 1;
	}
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
	const char *own = mapping_of(&l->m->concepts[0], x->stu3);

	if (own && !root_has_type(own, x->type))
		for (o = strmap_get(&r->by_profile, url); o; o = o->next)
			if (o != l && root_has_type(mapping_of(&o->m->concepts[0], x->stu3), x->type))
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
			read_as(r, x, m, x->stu3, 1);
	}
}

static void read_resource(struct reader *r, struct res *x)
{
	struct fhir_node *meta = child(x->node, "meta"), *c;
	int any = 0, shared;
	const struct zib_model *bycode;
	int stu3 = x->stu3, r4 = x->r4;

	any = version_evidence(r, x, &shared);
	x->stu3 = stu3;
	x->r4 = r4;
	if (is_part_type(x->type) && x->container == NULL && x->part)
		return;
	if (!any && x->part)
		return;     /* a sub-profile's resource read through its referrer */
	if (!any) {
		const struct zib_model *base = subprofile_model(r, x);
		if (base) {
			read_as(r, x, base, x->stu3, 0);
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
			const char *bar;
			if (strcmp(c->name, "profile") != 0 || !c->value)
				continue;
			snprintf(url, sizeof(url), "%s", c->value);
			bar = strchr(url, '|');
			if (bar)
				url[bar - url] = '\0';
			for (l = strmap_get(&r->by_profile, url); l; l = l->next) {
				if (is_part_type(x->type) || !root_fits(r, url, l, x))
					continue;
				made += read_as(r, x, l->m, x->stu3, !first);
				first = 0;
				if (ndone < sizeof(done) / sizeof(done[0]))
					done[ndone++] = l->m;
			}
		}
		if (made)
			read_patient_parts(r, x, done, ndone);
		if (made || is_part_type(x->type))
			return;
	}
	bycode = model_by_codes(r, x);
	if (bycode) {
		read_as(r, x, bycode, x->stu3, 0);
		read_patient_parts(r, x, &bycode, 1);
		return;
	}
	if (is_part_type(x->type))
		return;
	finding(r, x, x->node, ZIB_SEV_WARNING, FHIRZ_CODE_NO_ZIB, x->type,
		"%s resource fits no zib; not read", x->type);
}

/* ---- entry point ---- */

static void resolve_refs(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nrefs; i++) {
		struct pend_ref *p = &r->refs[i];
		/* A resource read as part of another's zib (a Practitioner of
		 * a PractitionerRole): the instance it is part of. */
		if (p->target && p->target->inst)
			p->v->target = p->target->inst;
		else if (p->target && p->target->owner && p->target->owner->inst &&
		    strcmp(p->target->owner->inst->model->root, p->v->concept->id) == 0)
			p->v->target = p->target->owner->inst;
	}
}

/* Every Reference in a read resource that points nowhere in the input. */
static void check_refs(struct reader *r, struct res *x, struct fhir_node *n)
{
	struct fhir_node *c;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		if (strcmp(c->name, "reference") == 0 && c->value && n->kind != FHIR_K_RESOURCE &&
		    !resolve(r, x, c->value))
			finding(r, x, c, ZIB_SEV_WARNING, FHIRZ_CODE_UNRESOLVED, c->value,
				"reference '%s' does not resolve within the input", c->value);
		else if (c->children)
			check_refs(r, x, c);
	}
}

int fhir_zib_read_trees(struct zib_doc **out, const zib_ctx *ctx, const char *name,
	struct zib_fhir *const *trees, size_t ntrees, zib_report *report, zib_error *err)
{
	struct reader r;
	size_t i, j;
	int stu3 = 0;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.report = report;
	strmap_init(&r.by_key, 0);
	strmap_init(&r.by_profile, 0);
	r.doc = doc_new(ctx, name, ntrees && trees[0] ? trees[0]->format : ZIB_FORMAT_FHIR_XML);
	if (!r.doc)
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
	profiles_index(&r);
	for (i = 0; i < ntrees; i++)
		if (trees[i] && trees[i]->root)
			collect(&r, trees[i]->root, trees[i]->file, NULL);
	decide_versions(&r);
	/* Instances first from resources that are not parts of others, so a
	 * Medication or a PractitionerRole's Practitioner is read through its
	 * referrer. */
	for (j = 0; j < 2 && !r.failed; j++) {
		for (i = 0; i < r.nres && !r.failed; i++) {
			struct res *x = &r.res[i];
			int second = strcmp(x->type, "Practitioner") == 0 || is_part_type(x->type) ||
				strcmp(x->type, "Organization") == 0 || claims_subprofile(&r, x);
			if (strcmp(x->type, "Bundle") == 0 || (int)j != second)
				continue;
			if (second && x->part)
				continue;
			read_resource(&r, x);
			if (x->stu3 && !x->guessed)
				stu3 = 1;
		}
	}
	resolve_refs(&r);
	for (i = 0; i < r.nres && !r.failed; i++) {
		struct res *x = &r.res[i];
		if (strcmp(x->type, "Bundle") == 0)
			continue;
		if (x->inst || x->part) {
			scan_unmapped(&r, x->node, x);
			check_refs(&r, x, x->node);
		}
	}
	r.doc->source_version = stu3 ? "zib2017 (FHIR STU3)" : "zib2020 (FHIR R4)";
	free(r.res);
	free(r.refs);
	strmap_release(&r.by_key);
	strmap_release(&r.by_profile);
	arena_release(&r.tmp);
	if (r.failed) {
		zib_doc_free(r.doc);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
	}
	*out = r.doc;
	return ZIB_OK;
}
