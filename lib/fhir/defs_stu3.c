/*
 * An STU3 structure table for the FHIR writer (convert --to fhir-stu3):
 * the R4 table with the STU3 differences of the BgZ resource types.
 *
 * The project has no STU3 core StructureDefinitions.  What the zib2017
 * (MedMij BgZ 3.0) mappings need that R4 lacks or types differently is
 * listed in changes[] below and applied to a copy of fhir_defs_r4 once per
 * process: an element added after another, an element retyped (STU3's
 * Condition.clinicalStatus is a code), and the STU3-only types
 * (ProcedureRequest, backbones such as Observation.related).  Elements
 * R4 added are left in: the writer only creates what a mapping names.
 * Readers keep using R4 in tolerant mode (STU3 elements become generic
 * nodes), so this table is for writing only.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/defs.h"

enum change_op {
	ADD,       /* name after `after` (NULL: after modifierExtension) */
	ADD_CHOICE, /* the same, one type of a [x] element */
	RETYPE,    /* element name gets type_code/kind */
	NEW_TYPE,  /* type `owner` as a copy of type `after` (NULL: an empty backbone) */
};

struct change {
	enum change_op op;
	const char *owner;       /* the type changed */
	const char *after;
	const char *name;
	const char *type_code;   /* primitive type, or the complex type's name */
	unsigned char kind;
	unsigned char repeats;
};

#define PRIM(n) n, FHIR_K_PRIM
#define CPLX(n) n, FHIR_K_COMPLEX

static const struct change changes[] = {
	{ RETYPE, "AllergyIntolerance", NULL, "clinicalStatus", PRIM("code"), 0 },
	{ RETYPE, "AllergyIntolerance", NULL, "verificationStatus", PRIM("code"), 0 },
	{ RETYPE, "Condition", NULL, "clinicalStatus", PRIM("code"), 0 },
	{ RETYPE, "Condition", NULL, "verificationStatus", PRIM("code"), 0 },
	{ ADD, "Consent", "dateTime", "consentingParty", CPLX("Reference"), 1 },
	{ ADD, "Consent", "dateTime", "period", CPLX("Period"), 0 },
	/* zib2017 Beperkingen (read as SpecificatieAnders) is an extension on
	 * Consent.except, R4's provision. */
	{ NEW_TYPE, "Consent.except", NULL, NULL, NULL, 0, 0 },
	{ ADD, "Consent.except", NULL, "type", PRIM("code"), 0 },
	{ ADD, "Consent", "provision", "except", CPLX("Consent.except"), 1 },
	{ ADD, "Device", "identifier", "udi", CPLX("Device.udiCarrier"), 0 },
	/* STU3 Dosage holds dose[x] and rate[x] itself (R4: doseAndRate). */
	{ ADD_CHOICE, "Dosage", "method", "doseRange", CPLX("Range"), 0 },
	{ ADD_CHOICE, "Dosage", "method", "doseQuantity", CPLX("Quantity"), 0 },
	{ ADD_CHOICE, "Dosage", "maxDosePerLifetime", "rateRatio", CPLX("Ratio"), 0 },
	{ ADD_CHOICE, "Dosage", "maxDosePerLifetime", "rateRange", CPLX("Range"), 0 },
	{ ADD_CHOICE, "Dosage", "maxDosePerLifetime", "rateQuantity", CPLX("Quantity"), 0 },
	{ ADD, "DeviceUseStatement", "subject", "whenUsed", CPLX("Period"), 0 },
	{ ADD, "DeviceUseStatement", "device", "indication", CPLX("CodeableConcept"), 1 },
	{ ADD, "Encounter", "length", "reason", CPLX("CodeableConcept"), 1 },
	{ ADD, "Immunization", "encounter", "date", PRIM("dateTime"), 0 },
	{ NEW_TYPE, "Immunization.practitioner", NULL, NULL, NULL, 0, 0 },
	{ ADD, "Immunization.practitioner", NULL, "role", CPLX("CodeableConcept"), 0 },
	{ ADD, "Immunization.practitioner", "role", "actor", CPLX("Reference"), 0 },
	{ ADD, "Immunization", "doseQuantity", "practitioner", CPLX("Immunization.practitioner"), 1 },
	{ NEW_TYPE, "MedicationRequest.requester", NULL, NULL, NULL, 0, 0 },
	{ ADD, "MedicationRequest.requester", NULL, "agent", CPLX("Reference"), 0 },
	{ ADD, "MedicationRequest.requester", "agent", "onBehalfOf", CPLX("Reference"), 0 },
	{ RETYPE, "MedicationRequest", NULL, "requester", CPLX("MedicationRequest.requester"), 0 },
	{ ADD, "MedicationStatement", "derivedFrom", "taken", PRIM("code"), 0 },
	{ ADD, "Observation", "interpretation", "comment", PRIM("string"), 0 },
	{ NEW_TYPE, "Observation.related", NULL, NULL, NULL, 0, 0 },
	{ ADD, "Observation.related", NULL, "type", PRIM("code"), 0 },
	{ ADD, "Observation.related", "type", "target", CPLX("Reference"), 0 },
	{ ADD, "Observation", "referenceRange", "related", CPLX("Observation.related"), 1 },
	{ ADD, "Procedure.performer", NULL, "role", CPLX("CodeableConcept"), 0 },
	{ NEW_TYPE, "ProcedureRequest", "ServiceRequest", NULL, NULL, 0, 0 },
	{ NEW_TYPE, "ProcedureRequest.requester", NULL, NULL, NULL, 0, 0 },
	{ ADD, "ProcedureRequest.requester", NULL, "agent", CPLX("Reference"), 0 },
	{ ADD, "ProcedureRequest.requester", "agent", "onBehalfOf", CPLX("Reference"), 0 },
	{ RETYPE, "ProcedureRequest", NULL, "requester", CPLX("ProcedureRequest.requester"), 0 },
};
#define NCHANGES (sizeof(changes) / sizeof(changes[0]))

static struct fhir_defs stu3;
static struct fhir_type *types;
static struct fhir_elem *elems;
static int built;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index of type name in the new (sorted) table, or -1. */
static int new_index(const char **names, size_t n, const char *name)
{
	const char **p = bsearch(&name, names, n, sizeof(*names), cmp_names);

	return p ? (int)(p - names) : -1;
}

static const struct fhir_type *r4_type(const char *name)
{
	return fhir_type_find(&fhir_defs_r4, name);
}

/* Appends row e (R4 type indexes remapped) to elems. */
static void put_elem(size_t *ne, const struct fhir_elem *e, const int *remap)
{
	elems[*ne] = *e;
	if (e->type >= 0)
		elems[*ne].type = remap[e->type];
	(*ne)++;
}

static void put_change(size_t *ne, const struct change *c, const char **names, size_t n)
{
	struct fhir_elem *e = &elems[(*ne)++];

	memset(e, 0, sizeof(*e));
	e->name = c->name;
	e->type_code = c->kind == FHIR_K_PRIM ? c->type_code :
		strchr(c->type_code, '.') ? "BackboneElement" : c->type_code;
	e->type = c->kind == FHIR_K_PRIM ? -1 : new_index(names, n, c->type_code);
	e->kind = c->kind;
	e->prim = FHIR_P_STRING;
	e->repeats = c->repeats;
	e->choice = c->op == ADD_CHOICE;
}

/* Rows added to owner after element `after` (NULL: after modifierExtension). */
static void put_added(size_t *ne, const char *owner, const char *after, const char **names,
	size_t n)
{
	size_t i;

	for (i = 0; i < NCHANGES; i++) {
		const struct change *c = &changes[i];
		if ((c->op != ADD && c->op != ADD_CHOICE) || strcmp(c->owner, owner) != 0)
			continue;
		if ((after == NULL) != (c->after == NULL))
			continue;
		if (after && strcmp(after, c->after) != 0)
			continue;
		put_change(ne, c, names, n);
		put_added(ne, owner, c->name, names, n);   /* chains: role, then actor */
	}
}

static void build(void)
{
	const struct fhir_defs *r4 = &fhir_defs_r4;
	size_t nt = r4->ntypes, ne = 0, i, k, cap;
	const char **names;
	int *remap;

	for (i = 0; i < NCHANGES; i++)
		if (changes[i].op == NEW_TYPE)
			nt++;
	names = malloc(nt * sizeof(*names));
	remap = malloc(r4->ntypes * sizeof(*remap));
	types = calloc(nt, sizeof(*types));
	cap = r4->nelems + NCHANGES + 3 * NCHANGES;
	for (i = 0; i < NCHANGES; i++)
		if (changes[i].op == NEW_TYPE && changes[i].after)
			cap += (size_t)r4_type(changes[i].after)->count;
	elems = calloc(cap, sizeof(*elems));
	if (!names || !remap || !types || !elems)
		goto fail;
	for (i = 0; i < r4->ntypes; i++)
		names[i] = r4->types[i].name;
	for (i = 0, k = r4->ntypes; i < NCHANGES; i++)
		if (changes[i].op == NEW_TYPE)
			names[k++] = changes[i].owner;
	qsort(names, nt, sizeof(*names), cmp_names);
	for (i = 0; i < r4->ntypes; i++)
		remap[i] = new_index(names, nt, r4->types[i].name);
	for (i = 0; i < nt; i++) {
		const struct fhir_type *from = r4_type(names[i]);
		const struct change *nc = NULL;
		struct fhir_type *t = &types[i];
		int j;

		for (k = 0; k < NCHANGES && !from; k++)
			if (changes[k].op == NEW_TYPE && strcmp(changes[k].owner, names[i]) == 0)
				nc = &changes[k];
		if (nc && nc->after)
			from = r4_type(nc->after);
		else if (nc)
			from = r4_type("Observation.component");   /* id, extension, modifierExtension */
		if (!from)
			goto fail;
		t->name = names[i];
		t->is_resource = from->is_resource;
		t->first = (int)ne;
		for (j = 0; j < from->count; j++) {
			const struct fhir_elem *e = &r4->elems[from->first + j];
			if (nc && !nc->after && j >= 3)
				break;
			put_elem(&ne, e, remap);
			for (k = 0; k < NCHANGES; k++) {
				const struct change *c = &changes[k];
				if (c->op == RETYPE && strcmp(c->owner, names[i]) == 0 &&
				    strcmp(c->name, e->name) == 0) {
					ne--;
					put_change(&ne, c, names, nt);
					elems[ne - 1].repeats = e->repeats;
				}
			}
			if (strcmp(e->name, "modifierExtension") == 0)
				put_added(&ne, names[i], NULL, names, nt);
			put_added(&ne, names[i], e->name, names, nt);
		}
		t->count = (int)ne - t->first;
	}
	stu3.version = "3.0.2";
	stu3.types = types;
	stu3.ntypes = nt;
	stu3.elems = elems;
	stu3.nelems = ne;
	built = 1;
	free(names);
	free(remap);
	return;
fail:
	free(names);
	free(remap);
	free(types);
	free(elems);
	types = NULL;
	elems = NULL;
}

const struct fhir_defs *fhir_defs_stu3(void)
{
	pthread_once(&once, build);
	return built ? &stu3 : NULL;
}
