/*
 * The FHIR zib reader: one FHIR element into a zib value of the concept's
 * datatype (coded, PQ and Ratio, TS, II, BL, INT, ST and ED attachments,
 * null flavors), and FHIR codes into the zib's own codes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/conceptmaps.h"
#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"
#include "model/unit.h"

struct fhir_node *fhir_ext_value(struct fhir_node *n)
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
		url = fhir_child_value(c, "url");
		if (url && (strstr(url, "CodeSpecification") || strstr(url, "code-specification")))
			return fhir_child(c, "valueCodeableConcept");
	}
	return NULL;
}

static int fill_coded(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *coding = fhir_child(n, "coding"), *spec;

	/* (A code with no FHIR code carries the zib code alone: provision.type
	 * for BehandelBesluit 'Anders'.) */
	if ((n->value || !coding) && (spec = code_spec(n)) != NULL)
		n = spec, coding = fhir_child(n, "coding");
	if (coding) {
		v->code = doc_str(r->doc, fhir_child_value(coding, "code"));
		v->system = doc_str(r->doc, fhir_child_value(coding, "system"));
		v->display = doc_str(r->doc, fhir_child_value(coding, "display"));
		v->text = doc_str(r->doc, fhir_child_value(n, "text"));
	} else if (fhir_child(n, "code")) {
		v->code = doc_str(r->doc, fhir_child_value(n, "code"));
		v->system = doc_str(r->doc, fhir_child_value(n, "system"));
		v->display = doc_str(r->doc, fhir_child_value(n, "display"));
	} else if (n->type && strcmp(n->type->name, "Identifier") == 0) {
		/* An identifier is a code in its system (zib2017 MedischHulpmiddel
		 * ProductID: Device.identifier, the product's UDI or GTIN). */
		v->code = doc_str(r->doc, fhir_child_value(n, "value"));
		v->system = doc_str(r->doc, fhir_child_value(n, "system"));
	} else if (n->value) {
		v->code = doc_str(r->doc, n->value);
	} else {
		v->text = doc_str(r->doc, fhir_child_value(n, "text"));
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
	else if (strcmp(n->name, "status") == 0 && strcmp(s, "unknown") == 0)
		return 0;   /* not known whether used or cancelled: no indicator */
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

const char *fhir_own_null_flavor(const struct fhir_node *n)
{
	const struct fhir_node *c;
	size_t i;

	for (c = n->children; c; c = c->next) {
		const char *url, *code;
		if (strcmp(c->name, "extension") != 0)
			continue;
		url = fhir_child_value(c, "url");
		if (url && strcmp(url, "http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor") == 0)
			return fhir_child_value(c, "valueCode");
		if (!url || strcmp(url, "http://hl7.org/fhir/StructureDefinition/data-absent-reason") != 0)
			continue;
		code = fhir_child_value(c, "valueCode");
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
	const struct fhir_node *value = fhir_child(n, "value");
	const char *nf = fhir_own_null_flavor(n);

	if (!nf && value && !value->value)
		nf = fhir_own_null_flavor(value);
	return nf;
}

static int fill_value_of(struct reader *r, struct zib_value *v, struct fhir_node *n);

#define UCUM_URI "http://unitsofmeasure.org"

/* A Quantity's number and unit: its UCUM code, or a code of the unit's own
 * system (a G-Standaard unit, "229" with unit "mg" for people) with that
 * system, which is no UCUM.  Without a code, the unit as written. */
static int fill_quantity(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	const char *code = fhir_child_value(n, "code"), *unit = fhir_child_value(n, "unit");
	const char *system = fhir_child_value(n, "system");

	v->number = doc_str(r->doc, fhir_child_value(n, "value"));
	v->unit = doc_str(r->doc, code ? code : unit);
	if (code && system && strcmp(system, UCUM_URI) != 0) {
		v->system = doc_str(r->doc, strncmp(system, "urn:oid:", 8) == 0 ? system + 8 : system);
		v->display = doc_str(r->doc, unit);
	}
	return v->number || v->unit;
}

/* A Ratio as a rate (MaximaleDosering from Dosage.maxDosePerPeriod, 600 mg
 * per 1 d): the numerator as the quantity, the denominator as per, a UCUM
 * term ("d"; "2.d" for 2 d).  A denominator that is no whole number of a
 * UCUM unit has no such term: the Ratio stays unread. */
static int fill_ratio(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *den = fhir_child(n, "denominator");
	const char *ds = fhir_child_value(den, "system");
	char per[64];

	if (!ds || strcmp(ds, UCUM_URI) != 0 ||
	    !model_ucum_count_term(fhir_child_value(den, "value"), fhir_child_value(den, "code"), per, sizeof(per)) ||
	    !fill_quantity(r, v, fhir_child(n, "numerator")))
		return 0;
	v->per = doc_str(r->doc, per);
	return 1;   /* fhir_fill_value marks the Ratio read */
}

/* An ED from an Attachment (Wilsverklaring's Consent.sourceAttachment):
 * the data as written (base64, as the CDA reader keeps an ED's text) and
 * its media type, contentType, as the code; without data its url (a
 * reference, as a CDA ED may hold).  Only these are marked read: a title
 * stays unread, to be reported. */
static int fill_attachment(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct fhir_node *data = fhir_child(n, "data"), *type = fhir_child(n, "contentType");

	if (!data || !data->value)
		data = fhir_child(n, "url");   /* a reference to the data (the CDA's) */
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
 * take (a Ratio whose denominator is no whole number of a UCUM unit): that
 * stays unread, to be reported. */
int fhir_fill_value(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	int ok = fill_value_of(r, v, n);
	int attachment = v->type == ZIB_VALUE_ED && (fhir_child(fhir_ext_value(n), "data") || fhir_child(fhir_ext_value(n), "url"));

	if ((ok || v->null_flavor) && !attachment)   /* fill_attachment marks its own */
		fhir_mark_tree(fhir_ext_value(n));
	return ok;
}

static int fill_value_of(struct reader *r, struct zib_value *v, struct fhir_node *n)
{
	struct zib_doc *doc = r->doc;
	const char *nf;

	n = fhir_ext_value(n);
	if ((nf = null_flavor_of(n)) != NULL)
		v->null_flavor = doc_str(doc, nf);
	switch (v->type) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO:
		return fill_coded(r, v, n);
	case ZIB_VALUE_PQ:
		if (fhir_child(n, "numerator") && fhir_child(n, "denominator"))
			return fill_ratio(r, v, n);
		if (n->value) {
			v->number = doc_str(doc, n->value);
			return 1;
		}
		return fill_quantity(r, v, n);
	case ZIB_VALUE_TS:
		v->text = doc_str(doc, n->value ? n->value : fhir_child_value(n, "start"));
		return v->text != NULL;
	case ZIB_VALUE_II:
		v->system = doc_str(doc, fhir_child_value(n, "system"));
		v->code = doc_str(doc, fhir_child_value(n, "value"));
		if (v->system && strncmp(v->system, "urn:oid:", 8) == 0)
			v->system += 8;
		return v->system || v->code;
	case ZIB_VALUE_BL:
		return fill_boolean(r, v, n);
	case ZIB_VALUE_INT:
		v->number = doc_str(doc, n->value ? n->value : fhir_child_value(n, "value"));
		if (v->number)
			v->integer = strtoll(v->number, NULL, 10);
		return v->number != NULL;
	case ZIB_VALUE_ANY:
		/* A Quantity (a value, its unit a code) before a code: TestUitslag
		 * 138 mmol/L is no code mmol/L. */
		if (fhir_child(n, "value") && !fhir_child(n, "coding")) {
			fill_quantity(r, v, n);
			return 1;
		}
		if (fhir_child(n, "coding") || fhir_child(n, "code") || (n->value && code_spec(n)))
			return fill_coded(r, v, n);
		v->text = doc_str(doc, n->value ? n->value : fhir_child_value(n, "text"));
		return v->text != NULL;
	default:  /* ST, ED */
		if (v->type == ZIB_VALUE_ED && (fhir_child(n, "data") || fhir_child(n, "url")))
			return fill_attachment(r, v, n);
		if (n->value)
			v->text = doc_str(doc, n->value);
		else if (fhir_child(n, "text"))
			v->text = doc_str(doc, fhir_child_value(n, "text"));
		else if (fhir_child(n, "display"))
			v->text = doc_str(doc, fhir_child_value(n, "display"));
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
	vc = model_valueset_code_find(zib_valueset_find(r->ctx, oid), zib_codesystem_oid(r->ctx, v->system), v->code);
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

	for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); ) {
		const zib_valueset *vs = zib_valueset_find(r->ctx, oid);
		const struct valueset_code *fhir_hit = NULL;
		size_t i;
		int count = 0;

		for (i = 0; vs && i < vs->ncodes; i++)
			if (strcmp(vs->codes[i].code, v->code) == 0 && (!fhir_hit || strcmp(fhir_hit->system, vs->codes[i].system) != 0))
				fhir_hit = &vs->codes[i], count++;
		if (count == 1 && fhir_hit->system && !in_ext)
			return 1;
		if (count == 1 && fhir_hit->system) {
			char sys[160];
			snprintf(sys, sizeof(sys), "urn:oid:%s", fhir_hit->system);
			v->system = doc_str(r->doc, sys);
			if (!v->display)
				v->display = doc_str(r->doc, fhir_hit->display);
			return 1;
		}
	}
	for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); ) {
		const struct fhir_conceptmap *m = model_fhir_conceptmap_find_code(oid, v->code);
		if (m) {
			v->system = m->zib_system;
			v->code = m->zib_code;
			translated_display(r, oid, v);
			return 1;
		}
		if (model_fhir_conceptmap_has_valueset(oid))
			mapped = 1;
	}
	return mapped ? -2 : -1;
}

/* A FHIR-native code (Condition.clinicalStatus 'active') where the zib
 * has its own value set: the zib code, through the profiles' ConceptMaps. */
int fhir_to_zib_code(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	const struct fhir_node *node)
{
	const char *p, *sys;
	char oid[128];

	if (v->code && !v->system && c->valuesets && *c->valuesets)
		return bare_code(r, c, v, node);
	if (!v->code || !v->system || !c->valuesets || !*c->valuesets)
		return 0;
	sys = zib_codesystem_oid(r->ctx, v->system);
	for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); )
		if (zib_valueset_contains(zib_valueset_find(r->ctx, oid), sys ? sys : v->system, v->code))
			return 1;
	for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); ) {
		const struct fhir_conceptmap *m = model_fhir_conceptmap_find(oid, v->system, v->code);
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
int fhir_other_coding(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	struct fhir_node *n)
{
	struct fhir_node *k, *first;
	struct zib_value save = *v;

	n = fhir_ext_value(n);
	first = fhir_child(n, "coding");
	if (!first || v->type == ZIB_VALUE_ANY)
		return -1;
	for (k = first->next; k; k = k->next) {
		if (strcmp(k->name, "coding") != 0 || !fhir_child_value(k, "code"))
			continue;
		v->code = doc_str(r->doc, fhir_child_value(k, "code"));
		v->system = doc_str(r->doc, fhir_child_value(k, "system"));
		v->display = doc_str(r->doc, fhir_child_value(k, "display"));
		if (fhir_to_zib_code(r, c, v, NULL) > 0)
			return 1;
		*v = save;
	}
	return -1;
}
