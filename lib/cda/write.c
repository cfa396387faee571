/*
 * The CDA writer: a zib_doc as a BgZ 2020 CDA document, the inverse of
 * lib/cda/read.c.  It walks the same mappings (zib-models cda_template +
 * cda_xpath, and the rows of cda-map.tsv) and builds each value's element along
 * its XPath (xpath_build.c).
 *
 * Header: the patient (+ marital status) in recordTarget, one Zorgverlener
 * as author (its Zorgaanbieder as representedOrganization), the custodian,
 * contact persons and other Zorgverleners as participants.  Body: one
 * section per BgZ section that has instances, in BgZ order, each with a
 * narrative table made from the data, and entries for the zibs that have
 * a CDA entry template.  What cannot be carried as structured data is
 * reported (ZIB-CDAW-*), never dropped silently.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cda/map.h"
#include "cda/resolve.h"
#include "cda/write_conform.h"
#include "cda/xpath_build.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/strmap.h"
#include "core/xml.h"
#include "map/walk.h"
#include "model/doc.h"

#define NS_HL7 "urn:hl7-org:v3"
#define NS_SDTC "urn:hl7-org:sdtc"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define T(x) "2.16.840.1.113883.2.4.3.11.60." x
#define SNOMED "2.16.840.1.113883.6.96"

#define CODE_NARRATIVE "ZIB-CDAW-001"
#define CODE_VALUE "ZIB-CDAW-002"
#define CODE_NO_PLACE "ZIB-CDAW-003"
#define CODE_UNMAPPED "ZIB-CDAW-004"
#define CODE_PLACEHOLDER "ZIB-CDAW-005"

/* Entry templates the writer builds: their element and fixed code. */
static const struct entry_def {
	const char *tmpl, *element, *code, *system, *display;
} entry_defs[] = {
	{ T("121.10.8"), "observation", "365508006", SNOMED, "Finding of residence and accommodation circumstances" },
	{ T("121.10.2"), "observation", "160573003", SNOMED, "Alcohol intake" },
	{ T("121.10.1"), "observation", "228273003", SNOMED, "Finding relating to alcohol drinking behavior" },
	{ T("121.10.7"), "observation", "42831-8", CDA_LOINC, "Drug abuse" },
	{ T("121.10.4"), "observation", "228366006", SNOMED, "Finding relating to drug misuse behavior" },
	{ T("121.10.6"), "observation", "11367-0", CDA_LOINC, "History of Tobacco use" },
	{ T("3.10.16"), "observation", "365980008", SNOMED, "Tobacco use and exposure - finding" },
	{ T("121.10.9"), "act", "11816003", SNOMED, "Diet education" },
	{ T("3.10.28"), "observation", "229961002", SNOMED, "Food consistency" },
	{ T("121.10.10"), "organizer", "55284-4", CDA_LOINC, "Blood pressure" },
	{ T("7.10.28"), "observation", "29463-7", CDA_LOINC, "Body weight" },
	{ T("3.10.29"), "observation", "301306007", SNOMED, "Dressed - appearance" },
	{ T("7.10.30"), "observation", "8302-2", CDA_LOINC, "Body height" },
	{ T("3.10.31"), "observation", "9851009", SNOMED, "Body position finding" },
	{ T("3.10.0.32"), "act", "48767-8", CDA_LOINC, "Annotation comment" },
};

static const struct entry_def *entry_def(const char *tmpl)
{
	size_t i;

	for (i = 0; tmpl && i < sizeof(entry_defs) / sizeof(entry_defs[0]); i++)
		if (strcmp(entry_defs[i].tmpl, tmpl) == 0)
			return &entry_defs[i];
	return NULL;
}

struct writer {
	const zib_ctx *ctx;
	const struct zib_doc *doc;
	const zib_cda_write_options *opts;
	zib_report *report;
	xmlDoc *xml;
	xmlNode *root;
	xmlNs *hl7, *sdtc, *xsi;
	struct strmap written;     /* "%p" of an instance -> 1 */
	struct strmap seen;        /* "%p|%p" of an element and a concept built from it */
	struct arena tmp;
	zib_severity loss;
	size_t losses;
	size_t values_written;     /* leaves and references written in place */
	char prefix[32];           /* tel:/mailto: of the telecom being written */
	int info_only;             /* the next finding is information, not a loss */
	int failed;
};

static const char *english(struct writer *w, const char *name_nl)
{
	const struct zib_model *m = zib_model_find(w->ctx, name_nl);

	return m && m->name_en ? m->name_en : name_nl;
}

/* ---- findings ---- */

static void loss(struct writer *w, const char *code, int line, const char *path, const char *zib,
	const char *concept, const char *fmt, const char *a, const char *b)
{
	zib_diag d;

	if (!w->info_only)
		w->losses++;
	if (!w->report)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = strcmp(code, CODE_PLACEHOLDER) == 0 || w->info_only ? ZIB_SEV_INFO : w->loss;
	d.code = code;
	d.file = w->doc->file;
	d.line = line;
	d.path = path;
	d.zib = zib ? english(w, zib) : NULL;
	d.concept = concept;
	zib_report_addf(w->report, &d, fmt, a ? a : "", b ? b : "");
}

/* ---- instance bookkeeping ---- */


static int is_written(struct writer *w, const struct zib_instance *inst)
{
	char k[32];

	snprintf(k, sizeof(k), "%p", (const void *)inst);
	return strmap_get(&w->written, k) != NULL;
}

static void mark_written(struct writer *w, const struct zib_instance *inst)
{
	char k[32];

	snprintf(k, sizeof(k), "%p", (const void *)inst);
	if (!strmap_get(&w->written, k))
		strmap_put(&w->written, arena_strdup(&w->tmp, k), (void *)1);
}

/* ---- mappings (the reader's resolution, inverted) ---- */

/* A zib's data mapping is rooted at its root concept's template. */
static int resolve(const struct writer *w, const char *tmpl, const struct zib_concept *c,
	struct cda_mapping *m, char *buf, size_t size)
{
	const char *droot = c->model->nconcepts ? c->model->concepts[0].cda_template : NULL;

	return cda_resolve(w->ctx, tmpl, c, droot, m, buf, size);
}

/* ---- leaf values ---- */

static void set_attr(xmlNode *n, const char *name, const char *value)
{
	if (value)
		xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

static const char *xsi_name(enum zib_value_type t, const struct zib_value *v)
{
	switch (t) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO: return "CD";
	case ZIB_VALUE_PQ: return "PQ";
	case ZIB_VALUE_TS: return "TS";
	case ZIB_VALUE_II: return "II";
	case ZIB_VALUE_BL: return "BL";
	case ZIB_VALUE_INT: return "INT";
	case ZIB_VALUE_ANY: return v->code ? "CD" : v->number ? "PQ" : "ST";
	default: return "ST";
	}
}

/* Identifier systems of the Dutch NamingSystems (not code systems). */
static const char *const naming_systems[][2] = {
	{ "http://fhir.nl/fhir/NamingSystem/bsn", "2.16.840.1.113883.2.4.6.3" },
	{ "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", "2.16.528.1.1007.3.1" },
	{ "http://fhir.nl/fhir/NamingSystem/ura", "2.16.528.1.1007.3.3" },
	{ "http://fhir.nl/fhir/NamingSystem/agb-z", "2.16.840.1.113883.2.4.6.1" },
};

static int is_oid(const char *s)
{
	return s && *s >= '0' && *s <= '9' && strspn(s, "0123456789.") == strlen(s);
}

/* A code or identifier system as an OID (CDA's uid), or NULL. */
static const char *system_oid(struct writer *w, const char *sys)
{
	size_t i;
	const char *oid;

	if (!sys || is_oid(sys))
		return sys;
	for (i = 0; i < sizeof(naming_systems) / sizeof(naming_systems[0]); i++)
		if (strcmp(naming_systems[i][0], sys) == 0)
			return naming_systems[i][1];
	oid = zib_codesystem_oid(w->ctx, sys);
	return is_oid(oid) ? oid : NULL;
}

/* A FHIR date or dateTime (2013-02-08T06:43:00+01:00) as an HL7 TS
 * (20130208064300+0100); a TS stays as it is, and so does what is no date
 * (a test date relative to the run day, "T-44D"): its digits are none. */
static const char *hl7_ts(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	const char *p;

	if (!s || !strchr(s, '-') || size < 32 || !isdigit((unsigned char)s[0]))
		return s;
	for (p = s; *p && n < size - 6; p++) {
		if (*p >= '0' && *p <= '9') {
			buf[n++] = *p;
		} else if (*p == '.' && n == 14) {
			buf[n++] = *p;
		} else if ((*p == '+' || (*p == '-' && n >= 8)) && n >= 12) {
			buf[n++] = *p;
		} else if (*p == 'Z') {
			memcpy(buf + n, "+0000", 5);
			n += 5;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* FHIR codes with an HL7 v3 code in the CDA (Geslacht: AdministrativeGender). */
static const struct { const char *concept, *fhir, *code, *system, *display; } fhir_codes[] = {
	{ "NL-CM:0.1.9", "male", "M", "2.16.840.1.113883.5.1", "Man" },
	{ "NL-CM:0.1.9", "female", "F", "2.16.840.1.113883.5.1", "Vrouw" },
	{ "NL-CM:0.1.9", "other", "UN", "2.16.840.1.113883.5.1", "Ongedifferentieerd" },
	{ "NL-CM:0.1.9", "unknown", "UNK", "2.16.840.1.113883.5.1008", "Onbekend" },
};

/* The next value set of a concept's list at *p; NULL at its end. */
static const struct zib_valueset *next_valueset(struct writer *w, const char **p)
{
	char oid[128];
	const struct zib_valueset *vs;

	while (model_valueset_list_next(p, oid, sizeof(oid)))
		if ((vs = zib_valueset_find(w->ctx, oid)) != NULL)
			return vs;
	return NULL;
}

/* The system of a code written without one (FHIR codes of a fixed value
 * set): the only system the concept's value sets give that code. */
static const struct valueset_code *code_in_valuesets(struct writer *w, const struct zib_concept *c,
	const char *code)
{
	const char *p = c->valuesets;
	const struct valueset_code *found = NULL;
	const struct zib_valueset *vs;
	size_t i;

	while ((vs = next_valueset(w, &p)) != NULL)
		for (i = 0; i < vs->ncodes; i++) {
			if (strcmp(vs->codes[i].code, code) != 0)
				continue;
			if (found && strcmp(found->system, vs->codes[i].system) != 0)
				return NULL;
			found = &vs->codes[i];
		}
	return found;
}

static const char *skip_zeros(const char *s)
{
	while (s[0] == '0' && s[1])
		s++;
	return s;
}

/* The CDA spelling of a code: the zib2020 R4 ValueSets write some codes of
 * the voc files with a leading zero (RolCodelijst "01" for "1"), and
 * valuesets.tsv lists such a spelling after the voc's, with the same
 * system and display.  CDA (and its schematron) wants the voc's. */
static const char *cda_spelling(struct writer *w, const struct zib_concept *c, const char *code)
{
	const struct valueset_code *vc = code ? code_in_valuesets(w, c, code) : NULL;
	const char *p = c->valuesets;
	const struct zib_valueset *vs;
	size_t i;

	if (!vc || code[0] != '0')
		return code;
	while ((vs = next_valueset(w, &p)) != NULL)
		for (i = 0; i < vs->ncodes; i++) {
			const struct valueset_code *k = &vs->codes[i];
			if (k != vc && strcmp(k->system, vc->system) == 0 && k->display && vc->display &&
			    strcmp(k->display, vc->display) == 0 &&
			    strcmp(skip_zeros(k->code), skip_zeros(code)) == 0)
				return k->code;
		}
	return code;
}

/* FHIR address and telecom use codes as HL7 v3 (AddressUse, TelecomUse);
 * NULL when the value is no use code of the element. */
static const char *hl7_use(const char *s, const char *element)
{
	static const char *const map[][2] = {
		{ "home", "HP" }, { "work", "WP" }, { "temp", "TMP" }, { "old", "BAD" }, { "mobile", "MC" },
		{ "postal", "PST" }, { "physical", "PHYS" },
	};
	static const char *const telecom[] = { "H", "HP", "HV", "WP", "AS", "EC", "PG", "MC", NULL };
	static const char *const addr[] = { "PHYS", "PST", "TMP", "BAD", "H", "HP", "HV", "WP", "ABC", "SYL",
		"IDE", "CONF", NULL };
	const char *const *set = strcmp(element, "telecom") == 0 ? telecom : strcmp(element, "addr") == 0 ? addr : NULL;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], s) == 0)
			s = map[i][1];
	for (i = 0; set && set[i]; i++)
		if (strcmp(set[i], s) == 0)
			return s;
	return set ? NULL : s;
}

static void add_text(xmlNode *n, const char *s)
{
	xmlNode *t = xmlNewText((const xmlChar *)s);
	if (t)
		xmlAddChild(n, t);
}

/* A quantity in a unit of its own code system (a G-Standaard unit code):
 * the PQ counts in unit "1" and its translation names the real unit, as
 * the Medicatieproces CDA templates write a dose. */
static void write_unit_translation(struct writer *w, xmlNode *n, const struct zib_value *v)
{
	xmlNode *tr = xmlNewChild(n, w->hl7, (const xmlChar *)"translation", NULL);

	set_attr(n, "unit", "1");
	if (!tr)
		return;
	set_attr(tr, "value", v->number);
	set_attr(tr, "code", v->unit);
	set_attr(tr, "codeSystem", v->system);
	set_attr(tr, "displayName", v->display);
}

static void write_leaf(struct writer *w, const struct xb_target *t, const struct zib_value *v)
{
	xmlNode *n = t->node;
	enum zib_value_type type = v->type;

	w->values_written++;
	char tsbuf[64];
	const char *sys = v->system ? system_oid(w, v->system) : NULL;

	if (v->system && !sys && v->code && (type == ZIB_VALUE_CD || type == ZIB_VALUE_CO) &&
	    code_in_valuesets(w, v->concept, v->code))
		;	/* the value set knows the code's system: written below */
	else if (v->system && !sys && w->report)
		loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
			"%s: system '%s' has no OID; left out of the CDA (kept in the narrative)",
			v->concept->name_nl, v->system);
	if (type == ZIB_VALUE_BL && v->text && strcmp(v->text, "true") != 0 && strcmp(v->text, "false") != 0) {
		loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
			"%s: '%s' is no boolean; carried in narrative only", v->concept->name_nl, v->text);
		return;
	}
	if (t->attr) {
		const char *s = type == ZIB_VALUE_TS ? hl7_ts(v->text, tsbuf, sizeof(tsbuf)) : v->text;
		char joined[1024];
		if (type == ZIB_VALUE_CD || type == ZIB_VALUE_CO)
			s = v->code;
		else if (type == ZIB_VALUE_INT || type == ZIB_VALUE_PQ)
			s = v->number;
		else if (type == ZIB_VALUE_BL && !s)
			s = v->boolean ? "true" : "false";
		if (s && strcmp(t->attr, "use") == 0) {
			s = hl7_use(s, (const char *)n->name);
			if (!s) {
				loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
					"%s: '%s' is no HL7 v3 use code; carried in narrative only", v->concept->name_nl,
					v->code ? v->code : v->text);
				return;
			}
		}
		if (s && t->prefix[0] && strcmp(t->attr, "value") == 0 && strncmp(s, t->prefix, strlen(t->prefix)) != 0) {
			snprintf(joined, sizeof(joined), "%s%s", t->prefix, s);
			s = joined;
		}
		set_attr(n, t->attr, s);
		return;
	}
	if (strcmp((const char *)n->name, "value") == 0 && !xmlHasNsProp(n, (const xmlChar *)"type", (const xmlChar *)NS_XSI))
		xmlSetNsProp(n, w->xsi, (const xmlChar *)"type", (const xmlChar *)xsi_name(type, v));
	set_attr(n, "nullFlavor", v->null_flavor);
	if ((type == ZIB_VALUE_CD || type == ZIB_VALUE_CO) && n->parent &&
	    strcmp((const char *)n->parent->name, "addr") == 0) {
		/* Address parts are text (a country by its name). */
		if (v->display || v->code || v->text)
			add_text(n, v->display ? v->display : v->code ? v->code : v->text);
		return;
	}
	switch (type) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO: {
		size_t i;
		for (i = 0; v->code && !v->system && i < sizeof(fhir_codes) / sizeof(fhir_codes[0]); i++)
			if (strcmp(fhir_codes[i].concept, v->concept->id) == 0 && strcmp(fhir_codes[i].fhir, v->code) == 0)
				break;
		if (v->code && !v->system && i < sizeof(fhir_codes) / sizeof(fhir_codes[0])) {
			set_attr(n, "code", fhir_codes[i].code);
			set_attr(n, "codeSystem", fhir_codes[i].system);
			set_attr(n, "displayName", fhir_codes[i].display);
			break;
		}
		if (v->code && sys && strcmp(sys, "2.16.840.1.113883.5.1008") == 0 && !v->null_flavor) {
			/* A FHIR coding from the NullFlavor system is a CDA nullFlavor. */
			set_attr(n, "nullFlavor", v->code);
			break;
		}
		set_attr(n, "code", cda_spelling(w, v->concept, v->code));
		if (v->code && !sys) {
			const struct valueset_code *vc = code_in_valuesets(w, v->concept, v->code);
			if (vc)
				sys = vc->system;
		}
		set_attr(n, "codeSystem", sys);
		set_attr(n, "displayName", v->display);
		if (v->text) {
			xmlNode *o = xmlNewChild(n, w->hl7, (const xmlChar *)"originalText", NULL);
			if (o)
				add_text(o, v->text);
		}
		break;
	}
	case ZIB_VALUE_PQ:
		set_attr(n, "value", v->number);
		if (v->per)
			loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
				"%s: a rate (per %s) has no PQ in CDA; the quantity is written without it (the "
				"narrative has both)", v->concept->name_nl, v->per);
		if (v->unit && strpbrk(v->unit, " \t\n")) {
			/* CDA units carry no whitespace: keep the annotation readable. */
			char u[256], *q;
			snprintf(u, sizeof(u), "%s", v->unit);
			for (q = u; *q; q++)
				if (*q == ' ' || *q == '\t' || *q == '\n')
					*q = '_';
			set_attr(n, "unit", u);
			loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
				"%s: unit '%s' has whitespace, which CDA does not allow; written with '_'",
				v->concept->name_nl, v->unit);
		} else if (v->system) {
			write_unit_translation(w, n, v);
		} else {
			set_attr(n, "unit", v->unit);
		}
		break;
	case ZIB_VALUE_II:
		if (!sys && v->code) {
			/* An id needs its root: without one (reported above) it is
			 * an unknown id here, kept in the narrative. */
			if (!v->null_flavor)
				set_attr(n, "nullFlavor", "NI");
			break;
		}
		set_attr(n, "root", sys);
		set_attr(n, "extension", v->code);
		break;
	case ZIB_VALUE_TS: case ZIB_VALUE_INT:
		set_attr(n, "value", type == ZIB_VALUE_TS ? hl7_ts(v->text, tsbuf, sizeof(tsbuf)) : v->number);
		break;
	case ZIB_VALUE_BL:
		set_attr(n, "value", v->text ? v->text : v->boolean ? "true" : "false");
		break;
	case ZIB_VALUE_ANY:
		if (v->code) {
			set_attr(n, "code", v->code);
			set_attr(n, "codeSystem", sys);
			set_attr(n, "displayName", v->display);
		} else if (v->number) {
			set_attr(n, "value", v->number);
			set_attr(n, "unit", v->unit);
		} else if (v->text) {
			add_text(n, v->text);
		}
		break;
	default:
		/* Two concepts on one element (Huisnummerletter and
		 * -toevoeging) carry the same text once. */
		if (v->text && !n->children) {
			add_text(n, v->text);
		} else if (v->text) {
			xmlChar *had = xmlNodeGetContent(n);
			if (!had || strcmp((const char *)had, v->text) != 0)
				loss(w, CODE_VALUE, v->line, v->path, v->concept->model->name_nl, v->concept->id,
					"%s: CDA holds one value here; '%s' is carried in narrative only",
					v->concept->name_nl, v->text);
			xmlFree(had);
		}
		break;
	}
}

/* ---- instances ---- */

static void write_instance(struct writer *w, const struct zib_instance *inst, const char *tmpl, xmlNode *node);

/* A referenced instance written in place (Zorgaanbieder, Zorgverlener). */
static int write_reference(struct writer *w, const struct zib_value *v, xmlNode *node)
{
	const struct zib_instance *t = v->target;
	const char *name = t ? t->model->name_nl : NULL;

	if (!t)
		return 0;
	w->values_written++;
	if (strcmp(name, "Zorgaanbieder") == 0) {
		write_instance(w, t, CDA_PSEUDO_AUTHOR_ORG, node);
		return 1;
	}
	if (strcmp(name, "Zorgverlener") == 0 && strcmp((const char *)node->name, "assignedEntity") == 0) {
		w->values_written++;
		xmlNode *tid = xmlNewChild(node, w->hl7, (const xmlChar *)"templateId", NULL);
		set_attr(tid, "root", T("3.10.0.26"));
		write_instance(w, t, T("3.10.0.26"), node);
		return 1;
	}
	return 0;
}

/* Elements CDA allows once where the mappings put repeating concepts. */
static int is_singleton(const xmlNode *n)
{
	static const char *const names[] = { "code", "effectiveTime", "statusCode", "birthTime",
		"administrativeGenderCode", "maritalStatusCode", "multipleBirthInd", "deceasedInd", "deceasedTime",
		"functionCode", "text", "title", "patient", "patientRole", "assignedPerson", "associatedPerson",
		"representedOrganization", "low", "high", NULL };
	const xmlNode *p;
	size_t i;

	for (i = 0; names[i] && strcmp(names[i], (const char *)n->name) != 0; i++)
		;
	if (!names[i])
		return 0;
	for (p = n->parent ? n->parent->children : NULL; p; p = p->next)
		if (p != n && p->type == XML_ELEMENT_NODE && strcmp((const char *)p->name, (const char *)n->name) == 0)
			return 1;
	return 0;
}

/* A group element its children wrote nothing into (an Indicatie whose
 * Probleem did not resolve) goes, with an entryRelationship that only
 * held it: an empty template would read back as an instance.  Elements
 * with other content stay. */
static void drop_scaffold(xmlNode *n)
{
	xmlNode *c, *p = n->parent;
	int others = 0;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "templateId") != 0 &&
		    strcmp((const char *)c->name, "code") != 0)
			return;
	for (c = p ? p->children : NULL; c; c = c->next)
		if (c != n && c->type == XML_ELEMENT_NODE)
			others = 1;
	if (p && !others && strcmp((const char *)p->name, "entryRelationship") == 0)
		n = p;
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static void write_value(struct writer *w, const struct zib_instance *inst, const char *tmpl,
	xmlNode *base, const struct zib_value *v, const struct zib_value *siblings,
	const char *parent_xpath, xmlNode *parent_base, xmlNode *ctx)
{
	const struct zib_concept *c = v->concept;
	struct cda_mapping m;
	struct xb_target t;
	char buf[1024], abuf[64];
	const char *expr;
	xmlNode *start = base;
	/* A repeat of a concept gets its own element, unless the zib allows one
	 * (FHIR readers give a group per telecom: one element holds them). */
	int fresh = 0;

	if (!c)
		return;
	if (!resolve(w, tmpl, c, &m, buf, sizeof(buf))) {
		if (map_has_children(c) && c->depth > 0) {
			m.xpath = ".";
			m.part = 1;
		} else {
			loss(w, CODE_VALUE, v->line, v->path, inst->model->name_nl, c->id,
				"%s has no place in BgZ 2020 CDA; carried in narrative only%s", c->name_nl, NULL);
			return;
		}
	}
	if (m.nested) {
		char np[512];
		const struct entry_def *ed = entry_def(m.nested);
		struct xb_target nt;
		snprintf(np, sizeof(np), "hl7:entryRelationship[@typeCode='COMP']/hl7:%s[hl7:templateId/@root='%s']",
			ed ? ed->element : "observation", m.nested);
		if (cda_xpath_build(base, w->hl7, w->sdtc, np, 0, &nt, abuf, sizeof(abuf)) < 0)
			return;
		start = nt.node;
	}
	if (m.part) {
		start = ctx;
		expr = m.xpath;
	} else if (parent_xpath && start == parent_base &&
	    (expr = cda_xpath_relative(m.xpath, parent_xpath)) != NULL) {
		start = ctx;
	} else {
		expr = m.xpath;
	}
	if (c->max != 1) {
		/* The second value of a concept built from the same element gets
		 * an element of its own. */
		char key[64];
		snprintf(key, sizeof(key), "%p|%p", (void *)start, (const void *)c);
		fresh = strmap_get(&w->seen, key) != NULL;
		if (!fresh)
			strmap_put(&w->seen, arena_strdup(&w->tmp, key), (void *)1);
	}
	(void)siblings;
	if (cda_xpath_build(start, w->hl7, w->sdtc, expr, fresh, &t, abuf, sizeof(abuf)) < 0) {
		loss(w, CODE_VALUE, v->line, v->path, inst->model->name_nl, c->id,
			"%s has no place in BgZ 2020 CDA; carried in narrative only%s", c->name_nl, NULL);
		return;
	}
	if (fresh && t.node && is_singleton(t.node)) {
		/* A second value where CDA allows one element (two relation
		 * codes of a contact person): the first one is kept. */
		xmlUnlinkNode(t.node);
		xmlFreeNode(t.node);
		loss(w, CODE_VALUE, v->line, v->path, inst->model->name_nl, c->id,
			"%s: CDA holds one; this repeat is carried in narrative only%s", c->name_nl, NULL);
		return;
	}
	if (v->ref || (strcmp(c->datatype, "GROUP") == 0 && !map_has_children(c))) {
		if (!write_reference(w, v, t.node))
			loss(w, CODE_VALUE, v->line, v->path, inst->model->name_nl, c->id,
				"%s: reference to %s is not carried in BgZ 2020 CDA", c->name_nl,
				v->target ? v->target->model->name_nl : v->ref);
		return;
	}
	if (map_has_children(c)) {
		const struct zib_value *ch;
		char saved[32];
		snprintf(saved, sizeof(saved), "%s", w->prefix);
		if (t.prefix[0])
			snprintf(w->prefix, sizeof(w->prefix), "%s", t.prefix);
		size_t before = w->values_written;
		for (ch = v->children; ch; ch = ch->next)
			write_value(w, inst, tmpl, start == ctx && m.part ? base : (m.nested ? start : base), ch,
				v->children, m.part ? NULL : m.xpath, m.nested ? start : base, t.node);
		snprintf(w->prefix, sizeof(w->prefix), "%s", saved);
		if (w->values_written == before && t.node != ctx && t.node != base)
			drop_scaffold(t.node);
		return;
	}
	if (!t.prefix[0])
		snprintf(t.prefix, sizeof(t.prefix), "%s", w->prefix);
	write_leaf(w, &t, v);
}

static void write_instance(struct writer *w, const struct zib_instance *inst, const char *tmpl, xmlNode *node)
{
	const struct zib_value *v;

	mark_written(w, inst);
	for (v = inst->values; v; v = v->next)
		write_value(w, inst, tmpl, node, v, inst->values, NULL, node, node);
}

/* ---- element order (the CDA schema's sequences) ---- */

static const char *const order[] = {
	"realmCode", "typeId", "templateId", "functionCode", "id", "code", "derivationExpr", "title",
	"quantity", "name", "desc", "text", "statusCode", "effectiveTime", "confidentialityCode",
	"priorityCode", "repeatNumber", "languageCode", "setId", "versionNumber", "time", "addr", "telecom",
	"administrativeGenderCode", "birthTime", "deceasedInd", "deceasedTime", "multipleBirthInd",
	"multipleBirthOrderNumber", "maritalStatusCode", "guardian", "value", "interpretationCode",
	"methodCode", "approachSiteCode", "targetSiteCode", "routeCode", "doseQuantity", "guardianPerson",
	"assignedPerson", "associatedPerson", "playingDevice", "playingEntity", "representedOrganization",
	"standardIndustryClassCode", "scopingEntity", "scopingOrganization", "patient",
	"providerOrganization", "assignedAuthor", "associatedEntity", "participantRole", "assignedCustodian",
	"representedCustodianOrganization", "recordTarget", "author", "custodian", "subject", "specimen",
	"consumable", "performer", "informant", "participant", "documentationOf", "serviceEvent", "entryRelationship", "reference",
	"precondition", "referenceRange", "entry", "component", "structuredBody", "section", NULL
};

static int rank_of(const xmlNode *parent, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	size_t i;

	/* Organizations: id name telecom addr (roles of persons: addr telecom). */
	if (strstr((const char *)parent->name, "Organization") && strcmp(name, "telecom") == 0)
		name = "addr";
	for (i = 0; order[i]; i++)
		if (strcmp(order[i], name) == 0)
			return (int)i * 2 - (name != (const char *)n->name);
	return 1000;
}

static void sort_children(xmlNode *parent)
{
	xmlNode *c, *list[256];
	int n = 0, i, j;

	if (strcmp((const char *)parent->name, "name") == 0 || strcmp((const char *)parent->name, "addr") == 0 ||
	    (strcmp((const char *)parent->name, "text") == 0 && parent->parent &&
	     strcmp((const char *)parent->parent->name, "section") == 0))
		return;
	for (c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			sort_children(c);
	for (c = parent->children; c && n < 256; c = c->next)
		list[n++] = c;
	if (c)
		return;
	/* Insertion sort: stable, lists are short. */
	for (i = 1; i < n; i++) {
		xmlNode *x = list[i];
		int rx = x->type == XML_ELEMENT_NODE ? rank_of(parent, x) : 1000;
		for (j = i - 1; j >= 0; j--) {
			int rj = list[j]->type == XML_ELEMENT_NODE ? rank_of(parent, list[j]) : 1000;
			if (rj <= rx)
				break;
			list[j + 1] = list[j];
		}
		list[j + 1] = x;
	}
	for (i = 0; i < n; i++)
		xmlUnlinkNode(list[i]);
	for (i = 0; i < n; i++)
		xmlAddChild(parent, list[i]);
}

/* Required structure the mappings do not say: class and mood codes,
 * statement codes, ids of roles. */
static void fixup(struct writer *w, xmlNode *n)
{
	xmlNode *c;
	const char *name = (const char *)n->name;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			fixup(w, c);
	if (strcmp(name, "observation") == 0 || strcmp(name, "act") == 0 || strcmp(name, "organizer") == 0) {
		const xmlNode *tid;
		const struct entry_def *ed = NULL;
		xmlNode *code = NULL;
		if (!xmlHasProp(n, (const xmlChar *)"classCode"))
			set_attr(n, "classCode", name[0] == 'o' && name[1] == 'b' ? "OBS" : name[0] == 'a' ? "ACT" : "CLUSTER");
		if (!xmlHasProp(n, (const xmlChar *)"moodCode"))
			set_attr(n, "moodCode", "EVN");
		for (tid = n->children; tid; tid = tid->next)
			if (tid->type == XML_ELEMENT_NODE && strcmp((const char *)tid->name, "code") == 0)
				code = (xmlNode *)tid;
		for (tid = n->children; tid && !ed; tid = tid->next)
			if (tid->type == XML_ELEMENT_NODE && strcmp((const char *)tid->name, "templateId") == 0) {
				xmlChar *root = xmlGetProp((xmlNode *)tid, (const xmlChar *)"root");
				ed = entry_def((const char *)root);
				xmlFree(root);
			}
		if (!code && (strcmp(name, "organizer") != 0 || (ed && ed->code))) {
			code = xmlNewChild(n, w->hl7, (const xmlChar *)"code", NULL);
			if (ed && ed->code) {
				set_attr(code, "code", ed->code);
				set_attr(code, "codeSystem", ed->system);
				set_attr(code, "displayName", ed->display);
			} else {
				set_attr(code, "nullFlavor", "NI");
			}
		}
		if (strcmp(name, "organizer") == 0) {
			xmlNode *s;
			for (s = n->children; s; s = s->next)
				if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, "statusCode") == 0)
					break;
			if (!s)
				set_attr(xmlNewChild(n, w->hl7, (const xmlChar *)"statusCode", NULL), "code", "completed");
		}
	}
	if (strcmp(name, "code") == 0 && xmlHasProp(n, (const xmlChar *)"code") &&
	    !xmlHasProp(n, (const xmlChar *)"codeSystem")) {
		/* Codes made from a mapping predicate: LOINC has a dash. */
		xmlChar *code = xmlGetProp(n, (const xmlChar *)"code");
		set_attr(n, "codeSystem", strcmp((const char *)code, "ASSERTION") == 0 ? "2.16.840.1.113883.5.4" :
			strchr((const char *)code, '-') ? CDA_LOINC : SNOMED);
		xmlFree(code);
	}
	if (strcmp(name, "entryRelationship") == 0 && !xmlHasProp(n, (const xmlChar *)"typeCode"))
		set_attr(n, "typeCode", "COMP");
	if (strcmp(name, "participant") == 0 && !xmlHasProp(n, (const xmlChar *)"typeCode"))
		set_attr(n, "typeCode", "PRF");
	if (strcmp(name, "assignedAuthor") == 0 || strcmp(name, "assignedEntity") == 0 ||
	    strcmp(name, "patientRole") == 0 || strcmp(name, "representedCustodianOrganization") == 0) {
		for (c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "id") == 0)
				break;
		if (!c)
			set_attr(xmlNewChild(n, w->hl7, (const xmlChar *)"id", NULL), "nullFlavor", "NI");
	}
}

/* ---- narrative ---- */

/* The display of a coded value without one: what the concept's value
 * sets call that code (by system when the value has one). */
static const char *valueset_display(struct writer *w, const struct zib_value *v)
{
	const char *p = v->concept ? v->concept->valuesets : NULL;
	const char *sys = v->system ? system_oid(w, v->system) : NULL;
	const struct zib_valueset *vs;

	if (!v->code || (v->system && !sys))
		return NULL;
	while ((vs = next_valueset(w, &p)) != NULL) {
		const struct valueset_code *vc = model_valueset_code_find(vs, sys, v->code);
		size_t i;
		for (i = 0; !sys && !vc && i < vs->ncodes; i++)
			if (strcmp(vs->codes[i].code, v->code) == 0)
				vc = &vs->codes[i];
		if (vc && vc->display && *vc->display)
			return vc->display;
	}
	return NULL;
}

static void format_value(struct writer *w, struct buf *b, const struct zib_value *v)
{
	if (v->null_flavor && !v->code && !v->text && !v->number) {
		buf_printf(b, "(%s)", v->null_flavor);
		return;
	}
	switch (v->type) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO: {
		const char *display = v->display ? v->display : w ? valueset_display(w, v) : NULL;
		if (display)
			buf_printf(b, "%s", display);
		if (v->code)
			buf_printf(b, display ? " (%s)" : "%s", v->code);
		if (v->text)
			buf_printf(b, "%s%s", display || v->code ? " " : "", v->text);
		break;
	}
	case ZIB_VALUE_PQ: {
		const char *unit = v->system && v->display ? v->display : v->unit;
		buf_printf(b, "%s%s%s", v->number ? v->number : "", unit ? " " : "", unit ? unit : "");
		if (v->per)
			buf_printf(b, " per %s", v->per);
		break;
	}
	case ZIB_VALUE_II:
		buf_printf(b, "%s", v->code ? v->code : "");
		if (v->system)
			buf_printf(b, " (%s)", v->system);
		break;
	case ZIB_VALUE_INT:
		buf_printf(b, "%s", v->number ? v->number : "");
		break;
	case ZIB_VALUE_BL:
		buf_puts(b, v->boolean ? "ja" : "nee");
		break;
	default:
		if (v->text)
			buf_puts(b, v->text);
		else if (v->code)
			buf_printf(b, "%s%s%s", v->display ? v->display : "", v->display ? " " : "", v->code);
		else if (v->number)
			buf_printf(b, "%s %s", v->number, v->unit ? v->unit : "");
		break;
	}
}

/* Appends every leaf value of concept c found under the values list. */
static void collect(struct writer *w, struct buf *b, const struct zib_value *list, const struct zib_concept *c)
{
	const struct zib_value *v;

	for (v = list; v; v = v->next) {
		if (v->concept == c) {
			if (b->len)
				buf_puts(b, "; ");
			if (v->target)
				buf_printf(b, "%s %s", v->target->model->name_nl, v->target->id ? v->target->id : "");
			else
				format_value(w, b, v);
		}
		if (v->children)
			collect(w, b, v->children, c);
	}
}

static int column_used(const struct zib_doc *doc, const struct zib_model *m, const struct zib_concept *c)
{
	const struct zib_instance *inst;
	struct buf b = BUF_INIT;
	int used = 0;

	for (inst = doc->instances; inst && !used; inst = inst->next) {
		if (inst->model != m)
			continue;
		collect(NULL, &b, inst->values, c);
		used = b.len > 0;
		buf_reset(&b);
	}
	buf_release(&b);
	return used;
}

static void narrative_table(struct writer *w, xmlNode *text, const struct zib_model *m)
{
	xmlNode *table = xmlNewChild(text, w->hl7, (const xmlChar *)"table", NULL);
	xmlNode *caption, *thead, *tr, *tbody;
	const struct zib_instance *inst;
	size_t i;
	int row = 0;
	char *used = calloc(m->nconcepts ? m->nconcepts : 1, 1);

	if (!table || !used) {
		free(used);
		w->failed = 1;
		return;
	}
	caption = xmlNewChild(table, w->hl7, (const xmlChar *)"caption", NULL);
	add_text(caption, m->name_nl);
	thead = xmlNewChild(table, w->hl7, (const xmlChar *)"thead", NULL);
	tr = xmlNewChild(thead, w->hl7, (const xmlChar *)"tr", NULL);
	/* The first column names the instance, so no row is empty. */
	add_text(xmlNewChild(tr, w->hl7, (const xmlChar *)"th", NULL), "#");
	for (i = 1; i < m->nconcepts; i++) {
		const struct zib_concept *c = &m->concepts[i];
		if ((map_has_children(c)) || !column_used(w->doc, m, c))
			continue;
		used[i] = 1;
		add_text(xmlNewChild(tr, w->hl7, (const xmlChar *)"th", NULL), c->name_nl);
	}
	tbody = xmlNewChild(table, w->hl7, (const xmlChar *)"tbody", NULL);
	for (inst = w->doc->instances; inst; inst = inst->next) {
		if (inst->model != m)
			continue;
		tr = xmlNewChild(tbody, w->hl7, (const xmlChar *)"tr", NULL);
		{
			char num[32];
			snprintf(num, sizeof(num), "%d", ++row);
			add_text(xmlNewChild(tr, w->hl7, (const xmlChar *)"td", NULL), num);
		}
		for (i = 1; i < m->nconcepts; i++) {
			struct buf b = BUF_INIT;
			xmlNode *td;
			if (!used[i])
				continue;
			collect(w, &b, inst->values, &m->concepts[i]);
			td = xmlNewChild(tr, w->hl7, (const xmlChar *)"td", NULL);
			if (b.len)
				add_text(td, b.data);
			buf_release(&b);
		}
	}
	free(used);
}

/* ---- document ---- */

/* A zib's section: the first of the model set's CDA sections (in
 * document order, cda-sections.tsv) whose template the zib lists. */
static const struct cda_section *section_of(const struct writer *w, const struct zib_model *m)
{
	size_t i;

	for (i = 0; i < w->ctx->ncda_sections; i++)
		if (m->cda_templates && model_list_has(m->cda_templates, w->ctx->cda_sections[i].template_id))
			return &w->ctx->cda_sections[i];
	return NULL;
}

static int is_header_zib(const struct zib_model *m)
{
	static const char *const names[] = { "Patient", "BurgerlijkeStaat", "Contactpersoon", "Zorgverlener",
		"Zorgaanbieder", NULL };
	size_t i;

	for (i = 0; names[i]; i++)
		if (strcmp(m->name_nl, names[i]) == 0)
			return 1;
	return 0;
}

/* The entry template of a zib, when the writer can build its entries. */
static const char *entry_template(const struct zib_model *m)
{
	const char *t = m->nconcepts ? m->concepts[0].cda_template : NULL;
	const struct entry_def *ed = t && *t ? entry_def(t) : NULL;

	return ed ? ed->tmpl : NULL;
}

static void write_section(struct writer *w, xmlNode *body, const struct cda_section *sd)
{
	const struct zib_instance *inst;
	xmlNode *sec, *text, *n;
	const struct zib_model *done[64];
	size_t ndone = 0, k;

	for (inst = w->doc->instances; inst; inst = inst->next)
		if (!is_header_zib(inst->model) && section_of(w, inst->model) == sd)
			break;
	if (!inst)
		return;
	sec = xmlNewChild(xmlNewChild(body, w->hl7, (const xmlChar *)"component", NULL), w->hl7,
		(const xmlChar *)"section", NULL);
	set_attr(xmlNewChild(sec, w->hl7, (const xmlChar *)"templateId", NULL), "root", sd->template_id);
	n = xmlNewChild(sec, w->hl7, (const xmlChar *)"code", NULL);
	set_attr(n, "code", sd->code);
	set_attr(n, "codeSystem", CDA_LOINC);
	set_attr(n, "codeSystemName", "LOINC");
	set_attr(n, "displayName", sd->display);
	add_text(xmlNewChild(sec, w->hl7, (const xmlChar *)"title", NULL), sd->title);
	text = xmlNewChild(sec, w->hl7, (const xmlChar *)"text", NULL);
	for (inst = w->doc->instances; inst; inst = inst->next) {
		const char *et;
		if (is_header_zib(inst->model) || section_of(w, inst->model) != sd)
			continue;
		for (k = 0; k < ndone && done[k] != inst->model; k++)
			;
		if (k == ndone && ndone < 64) {
			done[ndone++] = inst->model;
			narrative_table(w, text, inst->model);
		}
		et = entry_template(inst->model);
		if (!et) {
			loss(w, CODE_NARRATIVE, inst->line, inst->path, inst->model->name_nl, inst->model->root,
				"no entry template in BgZ 2020 CDA for %s; carried in the section narrative only%s",
				inst->model->name_nl, NULL);
			mark_written(w, inst);
			continue;
		}
		{
			const struct entry_def *ed = entry_def(et);
			xmlNode *root = xmlNewChild(xmlNewChild(sec, w->hl7, (const xmlChar *)"entry", NULL), w->hl7,
				(const xmlChar *)ed->element, NULL);
			set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"templateId", NULL), "root", et);
			if (inst->id && strchr(inst->id, '|')) {
				const char *bar = strchr(inst->id, '|');
				xmlNode *id = xmlNewChild(root, w->hl7, (const xmlChar *)"id", NULL);
				char r[256];
				snprintf(r, sizeof(r), "%.*s", (int)(bar - inst->id), inst->id);
				set_attr(id, "root", r);
				set_attr(id, "extension", bar + 1);
			}
			write_instance(w, inst, et, root);
		}
	}
}

/* FNV-1a over the document's values: the document id when none is given. */
static unsigned long long hash_str(unsigned long long h, const char *s)
{
	if (!s)
		s = "\x01";
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (h ^ 0xff) * 1099511628211ULL;
}

static unsigned long long hash_values(unsigned long long h, const struct zib_value *v, char *latest)
{
	char tsb[64];

	for (; v; v = v->next) {
		h = hash_str(h, v->concept ? v->concept->id : NULL);
		h = hash_str(h, v->code);
		h = hash_str(h, v->system);
		h = hash_str(h, v->display);
		h = hash_str(h, v->text);
		h = hash_str(h, v->number);
		h = hash_str(h, v->unit);
		if (v->per)   /* only when set: document ids made before stay */
			h = hash_str(h, v->per);
		h = hash_str(h, v->null_flavor);
		if (v->type == ZIB_VALUE_TS && v->text && strspn(hl7_ts(v->text, tsb, sizeof(tsb)), "0123456789") >= 8) {
			char ts[15];
			const char *t = hl7_ts(v->text, tsb, sizeof(tsb));
			size_t n = strspn(t, "0123456789");
			snprintf(ts, sizeof(ts), "%.*s", (int)(n > 14 ? 14 : n), t);
			if (strcmp(ts, latest) > 0)
				strcpy(latest, ts);
		}
		h = hash_values(h, v->children, latest);
	}
	return h;
}

static const struct zib_instance *find_zib(const struct zib_doc *doc, const char *name,
	const struct zib_instance *after)
{
	const struct zib_instance *i = after ? after->next : doc->instances;

	for (; i; i = i->next)
		if (strcmp(i->model->name_nl, name) == 0)
			return i;
	return NULL;
}

static const struct zib_instance *org_of(const struct zib_instance *zv)
{
	const struct zib_value *v, *c;

	for (v = zv ? zv->values : NULL; v; v = v->next)
		for (c = v->children ? v->children : v; c; c = c->next) {
			if (c->target && strcmp(c->target->model->name_nl, "Zorgaanbieder") == 0)
				return c->target;
			if (c == v)
				break;
		}
	return NULL;
}

/* A huisarts by Specialisme (Vektis 0100, or UZI role 01.015): the BgZ's
 * GP participant gets functionCode PCP. */
static int is_gp(const struct zib_instance *zv)
{
	const struct zib_value *v;

	for (v = zv->values; v; v = v->next)
		if (v->concept && strcmp(v->concept->id, "NL-CM:17.1.4") == 0 && v->code &&
		    (strcmp(v->code, "0100") == 0 || strcmp(v->code, "01.015") == 0))
			return 1;
	return 0;
}

static void write_header(struct writer *w, const char *doc_id, const char *when)
{
	const struct zib_instance *pat = find_zib(w->doc, "Patient", NULL), *inst, *author = NULL, *org = NULL;
	xmlNode *root = w->root, *n, *rt, *aa, *cust, *se = NULL;

	set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"realmCode", NULL), "code", "NL");
	n = xmlNewChild(root, w->hl7, (const xmlChar *)"typeId", NULL);
	set_attr(n, "root", "2.16.840.1.113883.1.3");
	set_attr(n, "extension", "POCD_HD000040");
	set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"templateId", NULL), "root", CDA_BGZ_DOCUMENT_TEMPLATE);
	set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"templateId", NULL), "root", "2.16.840.1.113883.2.4.6.10.100001");
	n = xmlNewChild(root, w->hl7, (const xmlChar *)"id", NULL);
	set_attr(n, "root", doc_id);
	n = xmlNewChild(root, w->hl7, (const xmlChar *)"code", NULL);
	set_attr(n, "code", CDA_BGZ_LOINC_CODE);
	set_attr(n, "codeSystem", CDA_LOINC);
	set_attr(n, "codeSystemName", "LOINC");
	set_attr(n, "displayName", "Patient summary Document");
	add_text(xmlNewChild(root, w->hl7, (const xmlChar *)"title", NULL), "Basisgegevensset Zorg");
	set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"effectiveTime", NULL), "value", when);
	n = xmlNewChild(root, w->hl7, (const xmlChar *)"confidentialityCode", NULL);
	set_attr(n, "code", "N");
	set_attr(n, "codeSystem", "2.16.840.1.113883.5.25");
	set_attr(xmlNewChild(root, w->hl7, (const xmlChar *)"languageCode", NULL), "code", "nl-NL");

	/* recordTarget: the patient and the marital status. */
	rt = xmlNewChild(root, w->hl7, (const xmlChar *)"recordTarget", NULL);
	n = xmlNewChild(rt, w->hl7, (const xmlChar *)"patientRole", NULL);
	if (pat)
		write_instance(w, pat, CDA_PSEUDO_PATIENT, rt);
	else
		loss(w, CODE_PLACEHOLDER, 0, NULL, "Patient", NULL,
			"no Patient in the source: recordTarget has a placeholder id (nullFlavor NI)%s%s", NULL, NULL);
	for (inst = find_zib(w->doc, "BurgerlijkeStaat", NULL); inst; inst = find_zib(w->doc, "BurgerlijkeStaat", inst)) {
		if (inst != find_zib(w->doc, "BurgerlijkeStaat", NULL) || !pat) {
			loss(w, CODE_NO_PLACE, inst->line, inst->path, inst->model->name_nl, inst->model->root,
				"only one %s per patient fits the CDA header; not carried%s", inst->model->name_nl, NULL);
			continue;
		}
		write_instance(w, inst, CDA_PSEUDO_PATIENT, rt);
	}
	(void)n;

	/* author: a Zorgverlener read from the author, else one with an
	 * organisation, else the first; else the first Zorgaanbieder. */
	for (inst = find_zib(w->doc, "Zorgverlener", NULL); inst; inst = find_zib(w->doc, "Zorgverlener", inst))
		if (inst->path && strstr(inst->path, "/hl7:author/"))
			break;
	author = inst;
	for (inst = find_zib(w->doc, "Zorgverlener", NULL); !author && inst; inst = find_zib(w->doc, "Zorgverlener", inst))
		if (org_of(inst))
			author = inst;
	if (!author)
		author = find_zib(w->doc, "Zorgverlener", NULL);
	n = xmlNewChild(root, w->hl7, (const xmlChar *)"author", NULL);
	set_attr(xmlNewChild(n, w->hl7, (const xmlChar *)"time", NULL), "value", when);
	aa = xmlNewChild(n, w->hl7, (const xmlChar *)"assignedAuthor", NULL);
	if (author) {
		write_instance(w, author, CDA_PSEUDO_AUTHOR, aa);
		org = org_of(author);
	} else {
		org = find_zib(w->doc, "Zorgaanbieder", NULL);
		if (org) {
			xmlNode *ro = xmlNewChild(aa, w->hl7, (const xmlChar *)"representedOrganization", NULL);
			write_instance(w, org, CDA_PSEUDO_AUTHOR_ORG, ro);
			loss(w, CODE_PLACEHOLDER, 0, NULL, "Zorgverlener", NULL,
				"no Zorgverlener in the source: the author is its Zorgaanbieder with a placeholder id%s%s",
				NULL, NULL);
		} else {
			loss(w, CODE_PLACEHOLDER, 0, NULL, "Zorgverlener", NULL,
				"no Zorgverlener or Zorgaanbieder in the source: author is a placeholder (nullFlavor NI)%s%s",
				NULL, NULL);
		}
	}

	/* custodian: the author's organisation, or a placeholder. */
	cust = xmlNewChild(xmlNewChild(xmlNewChild(root, w->hl7, (const xmlChar *)"custodian", NULL), w->hl7,
		(const xmlChar *)"assignedCustodian", NULL), w->hl7, (const xmlChar *)"representedCustodianOrganization", NULL);
	if (org) {
		const struct zib_value *v;
		for (v = org->values; v; v = v->next) {
			if (v->concept && strcmp(v->concept->id, "NL-CM:17.2.2") == 0 && v->system &&
			    system_oid(w, v->system)) {
				xmlNode *id = xmlNewChild(cust, w->hl7, (const xmlChar *)"id", NULL);
				set_attr(id, "root", system_oid(w, v->system));
				set_attr(id, "extension", v->code);
				break;
			}
		}
		for (v = org->values; v; v = v->next)
			if (v->concept && strcmp(v->concept->id, "NL-CM:17.2.3") == 0 && v->text) {
				add_text(xmlNewChild(cust, w->hl7, (const xmlChar *)"name", NULL), v->text);
				break;
			}
	}

	for (n = cust->children; n && strcmp((const char *)n->name, "id") != 0; n = n->next)
		;
	if (!n) {
		/* BgZ 2020 wants an identified custodian (no nullFlavor): without
		 * an organisation id in the source, the document's own id names it. */
		set_attr(xmlNewChild(cust, w->hl7, (const xmlChar *)"id", NULL), "root", doc_id);
	}

	/* participants: contact persons, then the other Zorgverleners. */
	for (inst = find_zib(w->doc, "Contactpersoon", NULL); inst; inst = find_zib(w->doc, "Contactpersoon", inst)) {
		xmlNode *p = xmlNewChild(root, w->hl7, (const xmlChar *)"participant", NULL);
		xmlNode *ae;
		set_attr(p, "typeCode", "IND");
		ae = xmlNewChild(p, w->hl7, (const xmlChar *)"associatedEntity", NULL);
		set_attr(ae, "classCode", "CON");
		set_attr(xmlNewChild(ae, w->hl7, (const xmlChar *)"templateId", NULL), "root", T("3.10.35"));
		write_instance(w, inst, T("3.10.35"), ae);
	}
	/* BgZ 2020 has one Zorgverlener participant: the huisarts.  Its
	 * scopingOrganization allows no address or telecom and takes a URA
	 * number for an UZI one (template defect), so a huisarts with an
	 * organisation is a performer below, where nothing is lost. */
	for (inst = find_zib(w->doc, "Zorgverlener", NULL); inst; inst = find_zib(w->doc, "Zorgverlener", inst)) {
		xmlNode *p, *ae, *fc;
		if (inst == author || is_written(w, inst) || !is_gp(inst) || org_of(inst))
			continue;
		p = xmlNewChild(root, w->hl7, (const xmlChar *)"participant", NULL);
		set_attr(p, "typeCode", "IND");
		fc = xmlNewChild(p, w->hl7, (const xmlChar *)"functionCode", NULL);
		set_attr(fc, "code", "PCP");
		set_attr(fc, "codeSystem", "2.16.840.1.113883.5.88");
		set_attr(fc, "displayName", "Primary Care Physician");
		ae = xmlNewChild(p, w->hl7, (const xmlChar *)"associatedEntity", NULL);
		set_attr(ae, "classCode", "CAREGIVER");
		set_attr(xmlNewChild(ae, w->hl7, (const xmlChar *)"templateId", NULL), "root", T("3.10.1.34"));
		write_instance(w, inst, T("3.10.1.34"), ae);
		break;
	}
	/* The other care providers: performers of the summary's service event
	 * (the header has no other place for them). */
	for (inst = find_zib(w->doc, "Zorgverlener", NULL); inst; inst = find_zib(w->doc, "Zorgverlener", inst)) {
		xmlNode *p;
		if (inst == author || is_written(w, inst))
			continue;
		if (!se) {
			n = xmlNewChild(root, w->hl7, (const xmlChar *)"documentationOf", NULL);
			set_attr(n, "typeCode", "DOC");
			se = xmlNewChild(n, w->hl7, (const xmlChar *)"serviceEvent", NULL);
			set_attr(se, "classCode", "ACT");
			set_attr(se, "moodCode", "EVN");
		}
		p = xmlNewChild(se, w->hl7, (const xmlChar *)"performer", NULL);
		set_attr(p, "typeCode", "PRF");
		write_instance(w, inst, CDA_PSEUDO_PERFORMER,
			xmlNewChild(p, w->hl7, (const xmlChar *)"assignedEntity", NULL));
	}
}

static void report_leftovers(struct writer *w)
{
	const struct zib_instance *inst;
	size_t i;

	for (inst = w->doc->instances; inst; inst = inst->next) {
		if (is_written(w, inst))
			continue;
		if (!section_of(w, inst->model) && !is_header_zib(inst->model))
			loss(w, CODE_NO_PLACE, inst->line, inst->path, inst->model->name_nl, inst->model->root,
				"no section of the BgZ 2020 CDA document holds %s; not carried%s", inst->model->name_nl, NULL);
		else if (is_header_zib(inst->model) && strcmp(inst->model->name_nl, "BurgerlijkeStaat") != 0 &&
			 strcmp(inst->model->name_nl, "Patient") != 0)
			loss(w, CODE_NO_PLACE, inst->line, inst->path, inst->model->name_nl, inst->model->root,
				"%s is not referenced from the header or an entry; not carried%s", inst->model->name_nl, NULL);
		else if (strcmp(inst->model->name_nl, "Patient") == 0)
			loss(w, CODE_NO_PLACE, inst->line, inst->path, inst->model->name_nl, inst->model->root,
				"a second %s does not fit the CDA header; not carried%s", inst->model->name_nl, NULL);
	}
	for (i = 0; i < w->doc->nunmapped; i++) {
		const struct unmapped *u = &w->doc->unmapped[i];
		/* The author's time and the custodian are written anew (from the
		 * document date and the author's organisation): no loss. */
		w->info_only = u->path && (strncmp(u->path, "/hl7:ClinicalDocument/hl7:author/hl7:time", 41) == 0 ||
			strncmp(u->path, "/hl7:ClinicalDocument/hl7:custodian/", 36) == 0);
		loss(w, CODE_UNMAPPED, u->line, u->path, NULL, NULL, w->info_only ?
			"header part written anew, not copied: %s%s" : "source content not read into zibs: %s%s",
			u->what, NULL);
		w->info_only = 0;
	}
}

int zib_doc_write_cda(char **out, size_t *len, const zib_doc *doc, const zib_cda_write_options *opts,
	zib_report *report, zib_error *err)
{
	struct writer w;
	char latest[15] = "", doc_id[40];
	unsigned long long h1 = 14695981039346656037ULL, h2 = 0x9e3779b97f4a7c15ULL;
	const struct zib_instance *inst;
	xmlNode *body;
	xmlChar *mem = NULL;
	int size = 0;
	size_t i;

	*out = NULL;
	*len = 0;
	memset(&w, 0, sizeof(w));
	w.doc = doc;
	w.ctx = doc->ctx;
	w.opts = opts;
	w.report = report;
	w.loss = opts && opts->strict ? ZIB_SEV_ERROR : ZIB_SEV_WARNING;
	strmap_init(&w.written, 0);
	strmap_init(&w.seen, 0);
	for (inst = doc->instances; inst; inst = inst->next) {
		h1 = hash_str(h1, inst->model->name_nl);
		h1 = hash_values(h1, inst->values, latest);
		h2 = hash_str(h2 ^ h1, inst->id);
	}
	snprintf(doc_id, sizeof(doc_id), "%08llx-%04llx-5%03llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff,
		h1 & 0xfff, (h2 >> 48 & 0x3fff) | 0x8000, h2 & 0xffffffffffffULL);
	/* libxml2's one-time set-up, which every parse does too: a CDA written
	 * from FHIR JSON may be the first use of libxml2, in a worker thread. */
	xml_init();
	w.xml = xmlNewDoc((const xmlChar *)"1.0");
	w.root = w.xml ? xmlNewNode(NULL, (const xmlChar *)"ClinicalDocument") : NULL;
	if (!w.root) {
		if (w.xml)
			xmlFreeDoc(w.xml);
		strmap_release(&w.written);
	strmap_release(&w.seen);
		return error_set(err, ZIB_ENOMEM, "out of memory writing CDA");
	}
	xmlDocSetRootElement(w.xml, w.root);
	w.hl7 = xmlNewNs(w.root, (const xmlChar *)NS_HL7, NULL);
	w.sdtc = xmlNewNs(w.root, (const xmlChar *)NS_SDTC, (const xmlChar *)"sdtc");
	w.xsi = xmlNewNs(w.root, (const xmlChar *)NS_XSI, (const xmlChar *)"xsi");
	xmlSetNs(w.root, w.hl7);
	write_header(&w, opts && opts->document_id ? opts->document_id : doc_id,
		opts && opts->effective_time ? opts->effective_time : latest[0] ? latest : "19700101");
	body = xmlNewChild(xmlNewChild(w.root, w.hl7, (const xmlChar *)"component", NULL), w.hl7,
		(const xmlChar *)"structuredBody", NULL);
	for (i = 0; i < w.ctx->ncda_sections; i++)
		write_section(&w, body, &w.ctx->cda_sections[i]);
	if (!body->children) {
		/* structuredBody needs a component, and BgZ 2020 allows only its
		 * own sections: the first one says the summary is empty. */
		xmlNode *sec = xmlNewChild(xmlNewChild(body, w.hl7, (const xmlChar *)"component", NULL), w.hl7,
			(const xmlChar *)"section", NULL);
		const struct cda_section *first = &w.ctx->cda_sections[0];
		xmlNode *code;
		set_attr(xmlNewChild(sec, w.hl7, (const xmlChar *)"templateId", NULL), "root", first->template_id);
		code = xmlNewChild(sec, w.hl7, (const xmlChar *)"code", NULL);
		set_attr(code, "code", first->code);
		set_attr(code, "codeSystem", CDA_LOINC);
		set_attr(code, "codeSystemName", "LOINC");
		set_attr(code, "displayName", first->display);
		add_text(xmlNewChild(sec, w.hl7, (const xmlChar *)"title", NULL), first->title);
		add_text(xmlNewChild(xmlNewChild(sec, w.hl7, (const xmlChar *)"text", NULL), w.hl7,
			(const xmlChar *)"paragraph", NULL), "Geen gegevens.");
	}
	report_leftovers(&w);
	fixup(&w, w.root);
	cda_conform(w.root, w.hl7, w.xsi);
	sort_children(w.root);
	xmlDocDumpFormatMemoryEnc(w.xml, &mem, &size, "UTF-8", 1);
	xmlFreeDoc(w.xml);
	strmap_release(&w.written);
	strmap_release(&w.seen);
	arena_release(&w.tmp);
	if (!mem || w.failed) {
		xmlFree(mem);
		return error_set(err, ZIB_ENOMEM, "out of memory writing CDA");
	}
	*out = malloc((size_t)size + 1);
	if (!*out) {
		xmlFree(mem);
		return error_set(err, ZIB_ENOMEM, "out of memory writing CDA");
	}
	memcpy(*out, mem, (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
	xmlFree(mem);
	return ZIB_OK;
}
