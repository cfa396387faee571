/*
 * BgZ 2020 template shapes for the CDA writer (see write_conform.h).
 * Facts from the ART-DECOR templates of the BgZ 2020 package and the
 * Nictiz example documents, written as data.
 */
#include <string.h>

#include "cda/map.h"
#include "cda/write_conform.h"

#define T(x) "2.16.840.1.113883.2.4.3.11.60." x
#define SNOMED "2.16.840.1.113883.6.96"

/* Codes the writer puts on templates (fixed codes, mapping predicates)
 * with the display the templates ask for. */
static const struct { const char *code, *system, *display; } fixed_codes[] = {
	{ "8480-6", CDA_LOINC, "Systolic blood pressure" },
	{ "8462-4", CDA_LOINC, "Diastolic blood pressure" },
	{ "6797001", SNOMED, "Mean blood pressure" },
	{ "85549003", SNOMED, "Korotkoff sound" },
	{ "70665002", SNOMED, "Blood pressure cuff" },
	{ "424724000", SNOMED, "Body position for blood pressure measurement" },
	{ "410675002", SNOMED, "Route of administration" },
	{ "401201003", SNOMED, "Cigarette pack-years" },
	{ "41829006", SNOMED, "Dietary finding" },
	{ "118871000146108", SNOMED, "Home adaptation" },
	{ "224249004", SNOMED, "Characteristics of home environment" },
	{ "11816003", SNOMED, "Diet education" },
	{ "229961002", SNOMED, "Food consistency" },
	{ "301306007", SNOMED, "Dressed - appearance" },
	{ "9851009", SNOMED, "Body position finding" },
};

/* The display of a fixed code the writer puts on templates, or NULL. */
static const char *cda_fixed_display(const char *code, const char *system)
{
	size_t i;

	for (i = 0; code && system && i < sizeof(fixed_codes) / sizeof(fixed_codes[0]); i++)
		if (strcmp(fixed_codes[i].code, code) == 0 && strcmp(fixed_codes[i].system, system) == 0)
			return fixed_codes[i].display;
	return NULL;
}

/* ---- small tree helpers ---- */

static int named(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

static xmlNode *first_element(const xmlNode *n)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

static int attr_is(const xmlNode *n, const char *attr, const char *value)
{
	xmlChar *v = n ? xmlGetProp((xmlNode *)n, (const xmlChar *)attr) : NULL;
	int eq = v && strcmp((const char *)v, value) == 0;

	xmlFree(v);
	return eq;
}

static int has_template(const xmlNode *n, const char *root)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (named(c, "templateId") && attr_is(c, "root", root))
			return 1;
	return 0;
}

static int code_is(const xmlNode *n, const char *code)
{
	return attr_is(child(n, "code"), "code", code);
}

static void set(xmlNode *n, const char *attr, const char *value)
{
	xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)value);
}

static xmlNode *null_child(xmlNode *n, xmlNs *hl7, const char *name)
{
	xmlNode *c = xmlNewChild(n, hl7, (const xmlChar *)name, NULL);

	if (c)
		set(c, "nullFlavor", "NI");
	return c;
}

/* ---- entry relationships ---- */

/* BgZ 2020 relates the parts of a zib by REFR, a comment on the living
 * situation by SUBJ and a nutrition advice's indication by RSON. */
static void relationship_type(xmlNode *er)
{
	xmlNode *p = er->parent, *c = first_element(er);

	if (named(c, "act") && has_template(c, T("3.10.0.32")) && has_template(p, T("121.10.8")))
		set(er, "typeCode", "SUBJ");
	else if (has_template(c, T("7.10.3.19")) && has_template(p, T("121.10.9")))
		set(er, "typeCode", "RSON");
	else if (!xmlHasProp(er, (const xmlChar *)"typeCode") || attr_is(er, "typeCode", "COMP"))
		set(er, "typeCode", "REFR");
}

/* ---- blood pressure ---- */

static int is_bp_value(const xmlNode *obs)
{
	return code_is(obs, "8480-6") || code_is(obs, "8462-4") || code_is(obs, "6797001");
}

/* Each observation of the organizer carries a time, a value, and the
 * diastolic endpoint a method and site (nullFlavor when none is known):
 * the zib has the time once, on the systolic observation. */
static void blood_pressure(xmlNode *org, xmlNs *hl7, xmlNs *xsi)
{
	xmlNode *c, *obs, *sys = NULL, *time = NULL;

	for (c = org->children; c; c = c->next) {
		obs = child(c, "observation");
		if (!named(c, "component") || !obs)
			continue;
		if (code_is(obs, "8480-6"))
			sys = obs;
	}
	for (c = org->children; c; c = c->next) {
		obs = child(c, "observation");
		if (!named(c, "component") || !obs)
			continue;
		if (!time || obs == sys)
			time = child(obs, "effectiveTime") ? child(obs, "effectiveTime") : time;
	}
	for (c = org->children; c; c = c->next) {
		int bp, endpoint;
		obs = child(c, "observation");
		if (!named(c, "component") || !obs)
			continue;
		bp = is_bp_value(obs);
		endpoint = code_is(obs, "85549003");
		if (!bp && !endpoint)
			continue;
		if (!child(obs, "effectiveTime")) {
			if (time)
				xmlAddChild(obs, xmlCopyNode(time, 1));
			else
				null_child(obs, hl7, "effectiveTime");
		}
		if (bp && !child(obs, "value")) {
			xmlNode *v = null_child(obs, hl7, "value");
			if (v)
				xmlSetNsProp(v, xsi, (const xmlChar *)"type", (const xmlChar *)"PQ");
		}
		/* The endpoint's method and site come from an older (2017) value
		 * set than the systolic one's: the zib's are not copied. */
		if (endpoint && !child(obs, "methodCode"))
			null_child(obs, hl7, "methodCode");
		if (endpoint && !child(obs, "targetSiteCode"))
			null_child(obs, hl7, "targetSiteCode");
	}
}

/* ---- vital signs: one organizer 121.10.11 per measurement set ---- */

struct vs_group {
	xmlNode *organizer;
	int has[3];
};

static int vs_kind(const xmlNode *n)
{
	if (named(n, "organizer") && has_template(n, T("121.10.10")))
		return 0;
	if (named(n, "observation") && has_template(n, T("7.10.28")))
		return 1;
	if (named(n, "observation") && has_template(n, T("7.10.30")))
		return 2;
	return -1;
}

/* The earliest and latest time (as written) under n. */
static void time_range(const xmlNode *n, const char **low, const char **high)
{
	const xmlNode *c;
	xmlAttr *a;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, "effectiveTime") || named(c, "low") || named(c, "high")) {
			for (a = c->properties; a; a = a->next) {
				const char *v;
				if (strcmp((const char *)a->name, "value") != 0 || !a->children)
					continue;
				v = (const char *)a->children->content;
				if (!*low || strcmp(v, *low) < 0)
					*low = v;
				if (!*high || strcmp(v, *high) > 0)
					*high = v;
			}
		}
		if (!named(c, "entryRelationship"))
			time_range(c, low, high);
	}
}

static void vital_signs(xmlNode *sec, xmlNs *hl7)
{
	struct vs_group groups[64];
	size_t ngroups = 0, i;
	xmlNode *e, *next;

	for (e = sec->children; e; e = next) {
		xmlNode *m = first_element(e);
		int k = vs_kind(m);
		next = e->next;
		if (!named(e, "entry") || k < 0)
			continue;
		for (i = 0; i < ngroups && groups[i].has[k]; i++)
			;
		if (i == ngroups) {
			xmlNode *ne, *org;
			if (ngroups == sizeof(groups) / sizeof(groups[0]))
				continue;
			ne = xmlNewNode(hl7, (const xmlChar *)"entry");
			if (!ne)
				continue;
			set(ne, "typeCode", "DRIV");
			xmlAddPrevSibling(e, ne);
			org = xmlNewChild(ne, hl7, (const xmlChar *)"organizer", NULL);
			set(org, "classCode", "CLUSTER");
			set(org, "moodCode", "EVN");
			set(xmlNewChild(org, hl7, (const xmlChar *)"templateId", NULL), "root", T("121.10.11"));
			set(xmlNewChild(org, hl7, (const xmlChar *)"statusCode", NULL), "code", "completed");
			memset(&groups[ngroups], 0, sizeof(groups[ngroups]));
			groups[ngroups++].organizer = org;
		}
		groups[i].has[k] = 1;
		xmlUnlinkNode(m);
		xmlAddChild(xmlNewChild(groups[i].organizer, hl7, (const xmlChar *)"component", NULL), m);
		xmlUnlinkNode(e);
		xmlFreeNode(e);
	}
	for (i = 0; i < ngroups; i++) {
		const char *low = NULL, *high = NULL;
		xmlNode *et;
		time_range(groups[i].organizer, &low, &high);
		if (!low)
			continue;
		et = xmlNewChild(groups[i].organizer, hl7, (const xmlChar *)"effectiveTime", NULL);
		if (strcmp(low, high) == 0) {
			set(et, "value", low);	/* IVL_TS: low and high must differ */
			continue;
		}
		set(xmlNewChild(et, hl7, (const xmlChar *)"low", NULL), "value", low);
		set(xmlNewChild(et, hl7, (const xmlChar *)"high", NULL), "value", high);
	}
}

/* ---- person names ---- */

/* Dutch names: a voorvoegsel ends with its space (the reader trims it);
 * a structured name has a given and a family part, nullFlavor when the
 * source has none. */
static void person_name(xmlNode *name, xmlNs *hl7)
{
	xmlNode *c, *first = first_element(name);
	int given = 0, family = 0;

	if (!first)
		return;
	for (c = name->children; c; c = c->next) {
		given |= named(c, "given");
		family |= named(c, "family");
		if (named(c, "prefix") && attr_is(c, "qualifier", "VV")) {
			xmlChar *s = xmlNodeGetContent(c);
			size_t n = s ? strlen((const char *)s) : 0;
			if (n && s[n - 1] != ' ')
				xmlNodeAddContent(c, (const xmlChar *)" ");
			xmlFree(s);
		}
	}
	if (!given) {
		xmlNode *g = xmlNewNode(hl7, (const xmlChar *)"given");
		if (g) {
			set(g, "nullFlavor", "NI");
			xmlAddPrevSibling(first, g);
		}
	}
	if (!family)
		null_child(name, hl7, "family");
}

static int is_person(const xmlNode *n)
{
	size_t len = n ? strlen((const char *)n->name) : 0;

	return n && (named(n, "patient") || (len > 6 && strcmp((const char *)n->name + len - 6, "Person") == 0));
}

/* ---- addresses ---- */

/* A Dutch postcode is written "1234 AB" (the NL address datatype). */
static void postcode(xmlNode *pc)
{
	xmlChar *s = xmlNodeGetContent(pc);
	const char *t = (const char *)s;
	xmlNode *country = child(pc->parent, "country");
	xmlChar *land = country ? xmlNodeGetContent(country) : NULL;
	int dutch = !land || strcmp((const char *)land, "NL") == 0 || strcmp((const char *)land, "Nederland") == 0;

	if (dutch && t && strlen(t) == 6 && strspn(t, "0123456789") == 4 &&
	    strspn(t + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2) {
		char fixed[8];
		memcpy(fixed, t, 4);
		fixed[4] = ' ';
		memcpy(fixed + 5, t + 4, 3);
		xmlNodeSetContent(pc, (const xmlChar *)fixed);
	}
	xmlFree(s);
	xmlFree(land);
}

/* ---- the walk ---- */

static void walk(xmlNode *n, xmlNs *hl7, xmlNs *xsi)
{
	xmlNode *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE)
			walk(c, hl7, xsi);
	}
	if (named(n, "entryRelationship")) {
		relationship_type(n);
	} else if (named(n, "code") && xmlHasProp(n, (const xmlChar *)"code") &&
		   !xmlHasProp(n, (const xmlChar *)"displayName")) {
		xmlChar *code = xmlGetProp(n, (const xmlChar *)"code");
		xmlChar *sys = xmlGetProp(n, (const xmlChar *)"codeSystem");
		const char *d = cda_fixed_display((const char *)code, (const char *)sys);
		if (d)
			set(n, "displayName", d);
		xmlFree(code);
		xmlFree(sys);
	} else if (named(n, "organizer") && has_template(n, T("121.10.10"))) {
		blood_pressure(n, hl7, xsi);
	} else if (named(n, "act") && has_template(n, T("121.10.9"))) {
		set(n, "moodCode", "PRP");
	} else if (named(n, "postalCode") && named(n->parent, "addr")) {
		postcode(n);
	} else if (named(n, "name") && is_person(n->parent)) {
		person_name(n, hl7);
	} else if (named(n, "section") && (has_template(n, T("126.10.12")) || has_template(n, T("126.10.16")))) {
		for (c = n->children; c; c = c->next)
			if (named(c, "entry"))
				set(c, "typeCode", "DRIV");
		if (has_template(n, T("126.10.16")))
			vital_signs(n, hl7);
	} else if (named(n, "patient") && named(n->parent, "patientRole")) {
		/* Both required in the BgZ header; UNK is the gender value set's
		 * exception. */
		xmlNode *g;
		if (!child(n, "administrativeGenderCode") &&
		    (g = xmlNewChild(n, hl7, (const xmlChar *)"administrativeGenderCode", NULL)) != NULL)
			set(g, "nullFlavor", "UNK");
		if (!child(n, "birthTime") && (g = xmlNewChild(n, hl7, (const xmlChar *)"birthTime", NULL)) != NULL)
			set(g, "nullFlavor", "UNK");
	} else if (named(n, "participant") && named(n->parent, "ClinicalDocument")) {
		set(n, "contextControlCode", "OP");
	}
}

void cda_conform(xmlNode *root, xmlNs *hl7, xmlNs *xsi)
{
	walk(root, hl7, xsi);
}
