/*
 * Required elements the zib leaves empty.  A zib has no Procedure.status,
 * no Consent.scope, and a single-resource source file has no patient to
 * reference; FHIR R4 requires them all (min 1).  Writing nothing would be
 * invalid FHIR and inventing a value would be wrong, so:
 *   - a coding the zib profile fixes (a pattern on a required element) is
 *     written: it says nothing the profile does not;
 *   - a code element whose required value set has "unknown" gets it;
 *   - any other gets the data-absent-reason extension "unknown" instead of
 *     a value, which FHIR allows for every element (ele-1).
 * The last two are told to the caller, which reports them (ZIB-CONV-003).
 * The element lists are facts of the R4 specification for the resources
 * the zib2020 mappings write.
 */
#include <stdio.h>
#include <string.h>

#include "fhir/defs.h"
#include "fhir/zib_write_required.h"

#define EXT_DATA_ABSENT "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
#define DAR_SYSTEM "http://terminology.hl7.org/CodeSystem/data-absent-reason"

/* Required (min 1) elements, by resource type; a dotted path is required
 * within each parent present ("provision.actor.role"); a choice names the
 * type written.  how: UNKNOWN the value set holds "unknown"; BY_PROFILE
 * the zib2020 profiles require it, not R4. */
#define UNKNOWN 1
#define BY_PROFILE 2
static const struct required { const char *type, *path; int how; } required[] = {
	{ "AllergyIntolerance", "patient", 0 },
	{ "Condition", "subject", 0 },
	{ "Consent", "status", 0 }, { "Consent", "scope", 0 }, { "Consent", "category", 0 },
	{ "Consent", "provision.actor.role", 0 }, { "Consent", "provision.actor.reference", 0 },
	{ "Coverage", "status", 0 }, { "Coverage", "beneficiary", 0 }, { "Coverage", "payor", 0 },
	{ "DeviceUseStatement", "status", 0 }, { "DeviceUseStatement", "subject", 0 },
	{ "DeviceUseStatement", "device", 0 },
	{ "Encounter", "status", UNKNOWN }, { "Encounter", "class", 0 },
	{ "Flag", "status", 0 }, { "Flag", "code", 0 }, { "Flag", "subject", 0 },
	{ "Immunization", "status", 0 }, { "Immunization", "vaccineCode", 0 },
	{ "Immunization", "patient", 0 },
	{ "MedicationRequest", "subject", 0 }, { "MedicationStatement", "subject", 0 },
	{ "MedicationAdministration", "subject", 0 },
	{ "NutritionOrder", "status", UNKNOWN }, { "NutritionOrder", "intent", 0 },
	{ "NutritionOrder", "patient", 0 }, { "NutritionOrder", "dateTime", 0 },
	{ "Observation", "status", UNKNOWN }, { "Observation", "code", 0 },
	/* not required by R4; by the nl-core vital signs and most others */
	{ "Observation", "subject", BY_PROFILE },
	{ "Procedure", "status", UNKNOWN }, { "Procedure", "subject", 0 },
	{ "RelatedPerson", "patient", 0 },
	{ "ServiceRequest", "status", UNKNOWN }, { "ServiceRequest", "intent", 0 },
	{ "ServiceRequest", "subject", 0 },
	{ NULL, NULL, 0 }
};

/* Codings zib2020 profiles fix on a required element (their patterns). */
static const struct fixed { const char *profile, *element, *system, *code; } fixed[] = {
	{ "AdvanceDirective", "scope", "http://terminology.hl7.org/CodeSystem/consentscope", "adr" },
	{ "AdvanceDirective", "category", "http://terminology.hl7.org/CodeSystem/consentcategorycodes", "acd" },
	{ "TreatmentDirective2", "scope", "http://terminology.hl7.org/CodeSystem/consentscope", "treatment" },
	{ "TreatmentDirective2", "category", "http://snomed.info/sct", "129125009" },
	{ "LaboratoryTestResult", "category", "http://terminology.hl7.org/CodeSystem/observation-category",
		"laboratory" },
	{ NULL, NULL, NULL, NULL }
};

/* Elements a zib2020 profile requires beyond R4 (by the end of its
 * canonical URL), with no fixed value: the category of a
 * FunctionalOrMentalStatus is functional or mental, which the zib does
 * not say. */
static const struct { const char *profile, *path; } profile_required[] = {
	{ "-FunctionalOrMentalStatus", "category" },
	{ NULL, NULL }
};

static struct fhir_node *child(const struct fhir_node *n, const char *name, struct fhir_node *after)
{
	struct fhir_node *c;

	for (c = after ? after->next : n->children; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static struct fhir_node *add(struct zib_fhir *t, struct fhir_node *parent, const char *name)
{
	const struct fhir_type *pt = parent->type ? parent->type : t->prim_type;
	const struct fhir_elem *e = pt ? fhir_type_elem(t->defs, pt, name, strlen(name)) : NULL;

	return e ? fhir_node_add(t, parent, e, 0, 0) : NULL;
}

static int add_value(struct zib_fhir *t, struct fhir_node *parent, const char *name, const char *value)
{
	struct fhir_node *n = add(t, parent, name);

	if (!n)
		return -1;
	n->value = value;
	n->value_len = strlen(value);
	return 0;
}

/* The first meta.profile of res, or "". */
static const char *profile_of(const struct fhir_node *res)
{
	const struct fhir_node *meta = child(res, "meta", NULL), *p;

	p = meta ? child(meta, "profile", NULL) : NULL;
	return p && p->value ? p->value : "";
}

/* Does CodeableConcept element name of res hold system|code? */
static int has_coding(const struct fhir_node *res, const char *name, const char *system, const char *code)
{
	const struct fhir_node *cc, *c, *v;

	for (cc = child(res, name, NULL); cc; cc = child(res, name, (struct fhir_node *)cc))
		for (c = child(cc, "coding", NULL); c; c = child(cc, "coding", (struct fhir_node *)c)) {
			const struct fhir_node *s = child(c, "system", NULL);
			v = child(c, "code", NULL);
			if (s && v && s->value && v->value && strcmp(s->value, system) == 0 &&
			    strcmp(v->value, code) == 0)
				return 1;
		}
	return 0;
}

static int add_fixed(struct zib_fhir *t, struct fhir_node *res)
{
	const char *prof = profile_of(res), *last = strrchr(prof, '/');
	size_t i;

	last = last ? last + 1 : prof;
	for (i = 0; fixed[i].profile; i++) {
		struct fhir_node *cc, *coding;
		const char *p = strstr(last, fixed[i].profile);
		/* nl-core-X and zib-X, not nl-core-X.Part */
		if (!p || p[strlen(fixed[i].profile)] != '\0')
			continue;
		if (has_coding(res, fixed[i].element, fixed[i].system, fixed[i].code))
			continue;
		cc = child(res, fixed[i].element, NULL);
		if (cc && !(cc->def && cc->def->repeats))
			continue;   /* a value of its own: the validator judges it */
		if (!(cc = add(t, res, fixed[i].element)) || !(coding = add(t, cc, "coding")) ||
		    add_value(t, coding, "system", fixed[i].system) || add_value(t, coding, "code", fixed[i].code))
			return -1;
	}
	return 0;
}

/* The flag-detail extension (the Alert's Concern) of a Flag, or NULL. */
static struct fhir_node *alert_concern(struct fhir_node *flag)
{
	struct fhir_node *e, *u;

	for (e = child(flag, "extension", NULL); e; e = child(flag, "extension", e))
		if ((u = child(e, "url", NULL)) && u->value &&
		    strcmp(u->value, "http://hl7.org/fhir/StructureDefinition/flag-detail") == 0)
			return e;
	return NULL;
}

/* The data-absent-reason code for a concept left empty: zib-Alert-2 wants
 * 'not-applicable' in Flag.code when the alert names its condition
 * (flag-detail), which then is the concept; else 'unknown'. */
static const char *absent_code(struct fhir_node *parent, const char *name)
{
	if (strcmp(name, "code") == 0 && parent->type && strcmp(parent->type->name, "Flag") == 0 &&
	    alert_concern(parent))
		return "not-applicable";
	return "unknown";
}

/* Element name under parent: "unknown" or a data-absent-reason. */
static int add_absent(struct zib_fhir *t, struct fhir_node *parent, const char *name, int unknown)
{
	struct fhir_node *n = add(t, parent, name), *ext;

	if (!n)
		return -1;
	if (n->def && strcmp(n->def->type_code, "CodeableConcept") == 0) {
		/* A concept says so in a coding (as the Nictiz examples do):
		 * profiles that want a coding (nl-core-Alert) get one. */
		struct fhir_node *coding = add(t, n, "coding");
		if (!coding || add_value(t, coding, "system", DAR_SYSTEM) ||
		    add_value(t, coding, "code", absent_code(parent, name)))
			return -1;
		return 0;
	}
	if (unknown) {
		n->value = "unknown";
		n->value_len = strlen(n->value);
		return 0;
	}
	if (!(ext = add(t, n, "extension")) || add_value(t, ext, "url", EXT_DATA_ABSENT) ||
	    add_value(t, ext, "valueCode", "unknown"))
		return -1;
	return 0;
}

/* path (dotted) required within parent; shown is the path so far. */
static int require(struct zib_fhir *t, struct fhir_node *parent, const char *path, int how,
	const char *full, fhir_required_note note, void *ctx)
{
	const char *dot = strchr(path, '.');
	char name[64];
	struct fhir_node *c;
	size_t len = dot ? (size_t)(dot - path) : strlen(path);

	if (len >= sizeof(name))
		return 0;
	memcpy(name, path, len);
	name[len] = '\0';
	if (dot) {
		for (c = child(parent, name, NULL); c; c = child(parent, name, c))
			if (require(t, c, dot + 1, how, full, note, ctx))
				return -1;
		return 0;
	}
	if (child(parent, name, NULL))
		return 0;
	if (add_absent(t, parent, name, how & UNKNOWN))
		return -1;
	if (note)
		note(ctx, full, (how & UNKNOWN) ? "FHIR requires it and the zib gives no value for it: "
			"written as 'unknown'" : (how & BY_PROFILE) ? "the zib2020 profile requires it and "
			"the zib gives no value for it: written with a data-absent-reason 'unknown'" :
			"FHIR requires it and the zib gives no value for it: written with a data-absent-reason "
			"'unknown'");
	return 0;
}

/* The BloodPressure profile's components: systolic and diastolic
 * required; those and the mean fix their unit to mm[Hg] (a pattern). */
static const struct bp_component { const char *system, *code, *name; int required; } bp_components[] = {
	{ "http://loinc.org", "8480-6", "SystolicBP", 1 },
	{ "http://loinc.org", "8462-4", "DiastolicBP", 1 },
	{ "http://snomed.info/sct", "6797001", "averageBloodPressure", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void unlink_node(struct fhir_node *n)
{
	struct fhir_node **pp, *prev = NULL;

	for (pp = &n->parent->children; *pp; prev = *pp, pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			if (n->parent->last == n)
				n->parent->last = prev;
			return;
		}
}

/* A component of CodeableConcept code system|code ... with the
 * data-absent-reason "unknown" in place of its value. */
static int absent_value(struct zib_fhir *t, struct fhir_node *comp)
{
	struct fhir_node *dar = add(t, comp, "dataAbsentReason"), *coding;

	if (!dar || !(coding = add(t, dar, "coding")) ||
	    add_value(t, coding, "system", DAR_SYSTEM) ||
	    add_value(t, coding, "code", "unknown"))
		return -1;
	return 0;
}

static int blood_pressure(struct zib_fhir *t, struct fhir_node *res, fhir_required_note note, void *ctx)
{
	size_t i;

	for (i = 0; bp_components[i].code; i++) {
		const struct bp_component *b = &bp_components[i];
		struct fhir_node *comp = NULL, *q, *cc, *coding;
		char what[96];
		for (comp = child(res, "component", NULL); comp; comp = child(res, "component", comp)) {
			cc = child(comp, "code", NULL);
			if (cc && has_coding(comp, "code", b->system, b->code))
				break;
		}
		snprintf(what, sizeof(what), "Observation.component:%s", b->name);
		if (!comp && b->required) {
			if (!(comp = add(t, res, "component")) || !(cc = add(t, comp, "code")) ||
			    !(coding = add(t, cc, "coding")) || add_value(t, coding, "system", b->system) ||
			    add_value(t, coding, "code", b->code) || absent_value(t, comp))
				return -1;
			if (note)
				note(ctx, what, "the profile requires it and the zib gives no value for it: written "
					"with a dataAbsentReason 'unknown'");
			continue;
		}
		q = comp ? child(comp, "valueQuantity", NULL) : NULL;
		if (!q || child(q, "code", NULL))
			continue;
		/* A number without unit: the profile wants mm[Hg], which the
		 * source does not say. */
		unlink_node(q);
		if (absent_value(t, comp))
			return -1;
		if (note)
			note(ctx, what, "its value has no unit and the profile requires mm[Hg]: the value is "
				"not carried, a dataAbsentReason 'unknown' in its place");
	}
	return 0;
}

/* Does extension n hold no value: no children but its url and empty
 * primitives? */
static int says_nothing(const struct fhir_node *n)
{
	const struct fhir_node *c;

	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, "url") != 0 && (c->value || c->children))
			return 0;
	return 1;
}

/* An extension with a url only (a zib value that had none: ADA's empty
 * AsAgreedIndicator) says nothing and is invalid (ext-1): left out. */
static void drop_empty_extensions(struct fhir_node *n)
{
	struct fhir_node *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		drop_empty_extensions(c);
		if ((strcmp(c->name, "extension") == 0 || strcmp(c->name, "modifierExtension") == 0) &&
		    says_nothing(c))
			unlink_node(c);
	}
}

/* con-4: a Condition with abatement[x] has clinicalStatus inactive,
 * resolved or remission (as a condition-clinical coding; none at all
 * breaks it too).  Is res one that breaks it? */
static int abated_but_active(const struct fhir_node *res)
{
	static const char *const ended[] = { "inactive", "resolved", "remission", NULL };
	const struct fhir_node *c;
	int abated = 0;
	size_t i;

	for (c = res->children; c; c = c->next)
		abated |= strncmp(c->name, "abatement", 9) == 0;
	if (!abated)
		return 0;
	for (i = 0; ended[i]; i++)
		if (has_coding(res, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
		    ended[i]))
			return 0;
	return 1;
}

/* Whether a Flag has both a Concern and a real AlertName (a code that is
 * no data-absent-reason), which zib-Alert-1 and -2 forbid together. */
static int alert_name_and_concern(struct fhir_node *flag)
{
	struct fhir_node *code = child(flag, "code", NULL), *coding, *sys;

	if (!code || !alert_concern(flag))
		return 0;
	for (coding = child(code, "coding", NULL); coding; coding = child(code, "coding", coding))
		if ((sys = child(coding, "system", NULL)) && sys->value && strcmp(sys->value, DAR_SYSTEM) == 0)
			return 0;
	return 1;
}

int fhir_write_required(struct zib_fhir *t, struct fhir_node *res, fhir_required_note note, void *ctx)
{
	const char *type = res->type ? res->type->name : NULL;
	char full[128];
	size_t i;

	if (!type)
		return 0;
	if (add_fixed(t, res))
		return -1;
	if (strcmp(type, "Observation") == 0 && strstr(profile_of(res), "-BloodPressure") &&
	    blood_pressure(t, res, note, ctx))
		return -1;
	for (i = 0; required[i].type; i++) {
		if (strcmp(required[i].type, type) != 0)
			continue;
		snprintf(full, sizeof(full), "%s.%s", type, required[i].path);
		if (require(t, res, required[i].path, required[i].how, full, note, ctx))
			return -1;
	}
	for (i = 0; profile_required[i].profile; i++) {
		const char *prof = profile_of(res);
		size_t pl = strlen(prof), nl = strlen(profile_required[i].profile);
		if (pl < nl || strcmp(prof + pl - nl, profile_required[i].profile) != 0)
			continue;
		snprintf(full, sizeof(full), "%s.%s", type, profile_required[i].path);
		if (require(t, res, profile_required[i].path, BY_PROFILE, full, note, ctx))
			return -1;
	}
	drop_empty_extensions(res);
	if (strcmp(type, "Flag") == 0 && alert_name_and_concern(res)) {
		unlink_node(alert_concern(res));
		if (note)
			note(ctx, "Flag.extension:condition", "the zib2020 Alert holds its Concern or an "
				"AlertName, not both (zib-Alert-1): the Concern reference is not carried");
	}
	/* org-1: an Organization has a name or an identifier. */
	if (strcmp(type, "Organization") == 0 && !child(res, "identifier", NULL) &&
	    require(t, res, "name", 0, "Organization.name", note, ctx))
		return -1;
	if (strcmp(type, "Condition") == 0 && abated_but_active(res)) {
		struct fhir_node *a;
		for (a = res->children; a; a = a->next)
			if (strncmp(a->name, "abatement", 9) == 0)
				break;
		unlink_node(a);
		if (note)
			note(ctx, "Condition.abatement[x]", "an end while the clinical status is neither inactive, "
				"resolved nor remission, which FHIR forbids (con-4): the end is not carried");
	}
	/* ppc-1: a Consent names its policy or policy rule. */
	if (strcmp(type, "Consent") == 0 && !child(res, "policy", NULL) && !child(res, "policyRule", NULL))
		return require(t, res, "policyRule", 0, "Consent.policyRule", note, ctx);
	return 0;
}
