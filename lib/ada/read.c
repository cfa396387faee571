/*
 * The ADA reader (see ada.h).  It walks the transaction element in two
 * modes: outside an instance every element that is a zib root (by concept
 * id, else by name) starts an instance, other containers are descended and
 * other values are unmapped; inside an instance every element is placed on
 * a child concept of its parent's concept (by NL-CM id, else by normalised
 * Dutch or English name, else on a deeper descendant through GROUPs).
 *
 * References: an element with datatype="reference" on a concept that is
 * another zib's root (Zorgverlener under Voorschrijver, ...) becomes a ref
 * to the instance whose ADA id it names; such an element with content
 * instead becomes an instance of its own, referenced the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ada/ada.h"
#include "core/error.h"
#include "core/strmap.h"
#include "core/xml.h"
#include "model/conceptmaps.h"
#include "model/unit.h"

struct ada_reader {
	struct zib_doc *doc;
	const zib_ctx *ctx;
	zib_report *report;
	struct strmap model_by_root;   /* NL-CM root id -> model */
	struct strmap model_by_name;   /* normalised nl/en name -> model */
	struct strmap inst_by_id;      /* ADA id -> instance */
	int nested;                    /* count of ids made up for nested instances */
	int oom;
};

/* Writes name lowercased without '_', '-', ' ' into out (for matching). */
static void ada_norm_name(const char *name, char *out, size_t size)
{
	size_t n = 0;

	for (; name && *name && n + 1 < size; name++) {
		char ch = *name;
		if (ch == '_' || ch == '-' || ch == ' ')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		out[n++] = ch;
	}
	out[n] = '\0';
}

/* An attribute's value copied into the document arena, or NULL.  Leading
 * and trailing white space goes: ADA forms keep what was typed
 * ("2002-11-11 "), FHIR and CDA values carry none, and it means nothing. */
static const char *attr(struct ada_reader *r, const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	const char *s, *b;
	size_t n;

	if (!v)
		return NULL;
	for (b = (const char *)v; *b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'; b++)
		;
	n = strlen(b);
	while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r' || b[n - 1] == '\n'))
		n--;
	s = arena_strndup(&r->doc->arena, b, n);
	xmlFree(v);
	if (!s)
		r->oom = 1;
	return s;
}

static int has_attr(const xmlNode *node, const char *name)
{
	return xmlHasProp(node, (const xmlChar *)name) != NULL;
}

static int is_reference(const xmlNode *node)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)"datatype");
	int yes = v && strcmp((const char *)v, "reference") == 0;

	xmlFree(v);
	return yes;
}

/* Data-bearing: a value the reader would have to place somewhere. */
static int has_data(const xmlNode *node)
{
	return has_attr(node, "value") || has_attr(node, "code") || has_attr(node, "nullFlavor") ||
		has_attr(node, "root") || has_attr(node, "unit");
}

static const xmlNode *first_element(const xmlNode *n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static const xmlNode *next_element(const xmlNode *n)
{
	return n ? first_element(n->next) : NULL;
}

/* The NL-CM id an ADA conceptId stands for, or "" for project-local ids. */
static void nlcm_of(const xmlNode *node, char *out, size_t size)
{
	xmlChar *id = xmlGetProp(node, (const xmlChar *)"conceptId");
	size_t plen = strlen(ADA_ZIB_CONCEPT_PREFIX);

	out[0] = '\0';
	if (id && strncmp((const char *)id, ADA_ZIB_CONCEPT_PREFIX, plen) == 0)
		snprintf(out, size, "NL-CM:%s", (const char *)id + plen);
	xmlFree(id);
}

static int line_of(const xmlNode *node)
{
	long l = xmlGetLineNo(node);
	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

/* The zib whose root this element is, or NULL. */
static const struct zib_model *element_model(struct ada_reader *r, const xmlNode *node)
{
	char key[256];
	const struct zib_model *m;

	if (is_reference(node))
		return NULL;
	nlcm_of(node, key, sizeof(key));
	if (key[0]) {
		m = strmap_get(&r->model_by_root, key);
		if (m)
			return m;
		return NULL;   /* a zib dataset id of another concept: not a root */
	}
	if (!first_element(node->children))
		return NULL;
	ada_norm_name((const char *)node->name, key, sizeof(key));
	return strmap_get(&r->model_by_name, key);
}

/* The zib a concept refers to when it stands for another zib's root. */
static const struct zib_model *concept_ref_model(struct ada_reader *r, const struct zib_concept *c)
{
	if (!c || c->depth == 0 || strcmp(c->datatype, "GROUP") != 0)
		return NULL;
	return strmap_get(&r->model_by_root, c->id);
}

/* Zibs a BgZ-MSZ 2.0 dataset names otherwise, with a project-local
 * conceptId: its bouwstenen 'product' is the FarmaceutischProduct the
 * medication zibs' 'product' references name.  (ADA name, zib root.) */
static const struct {
	const char *name, *root;
} zib_aliases[] = {
	{ "product", "NL-CM:9.7.19926" },
	{ NULL, NULL }
};

static int is_zib_alias(const char *norm, const char *root)
{
	size_t i;

	for (i = 0; zib_aliases[i].name; i++)
		if (strcmp(norm, zib_aliases[i].name) == 0 && strcmp(root, zib_aliases[i].root) == 0)
			return 1;
	return 0;
}

static int concept_matches(const struct zib_concept *c, const char *nlcm, const char *norm)
{
	char n[256];

	if (nlcm[0])
		return strcmp(c->id, nlcm) == 0;
	if (is_zib_alias(norm, c->id))
		return 1;
	ada_norm_name(c->name_nl, n, sizeof(n));
	if (strcmp(n, norm) == 0)
		return 1;
	ada_norm_name(c->name_en, n, sizeof(n));
	return n[0] && strcmp(n, norm) == 0;
}

/* BgZ-MSZ 2.0 elements with a project-local conceptId and a name unlike
 * their zib concept's: (zib root, ADA element) -> NL-CM id. */
static const struct {
	const char *root, *element, *concept;
} local_names[] = {
	{ "NL-CM:9.6.9580", "afspraakdatum", "NL-CM:9.6.19757" },     /* MedicatieafspraakDatumTijd */
	{ "NL-CM:9.8.20132", "afspraakdatum", "NL-CM:9.8.20133" },    /* ToedieningsafspraakDatumTijd */
	{ "NL-CM:9.11.21338", "registratiedatum", "NL-CM:9.11.22398" }, /* MedicatieGebruikDatumTijd */
	/* zib2017 BehandelAanwijzing items as the zib2020 concepts they became
	 * (zib-models/generate.py ZIB2017_AS_ZIB2020); verificatie_datum is
	 * read from inside verificatie (zib2017_wrappers). */
	{ "NL-CM:2.2.1", "behandeling_toegestaan", "NL-CM:2.2.2" },  /* BehandelBesluit */
	{ "NL-CM:2.2.1", "beperkingen", "NL-CM:2.2.4" },             /* SpecificatieAnders */
	{ "NL-CM:2.2.1", "eind_datum", "NL-CM:2.2.6" },              /* DatumBeeindigd */
	{ "NL-CM:2.2.1", "verificatie_datum", "NL-CM:2.2.5" },       /* MeestRecenteBespreekdatum */
	{ NULL, NULL, NULL }
};

/* zib2017 groups zib2020 dropped whose content is read as the zib root's
 * (zib root, ADA element). */
static const struct {
	const char *root, *element;
} zib2017_wrappers[] = {
	{ "NL-CM:2.2.1", "verificatie" },   /* BehandelAanwijzing Verificatie */
	{ NULL, NULL }
};

static int is_zib2017_wrapper(const struct zib_concept *parent, const char *name)
{
	size_t i;

	for (i = 0; parent->depth == 0 && zib2017_wrappers[i].root; i++)
		if (strcmp(parent->id, zib2017_wrappers[i].root) == 0 &&
		    strcmp(name, zib2017_wrappers[i].element) == 0)
			return 1;
	return 0;
}

static void local_name(const struct zib_concept *parent, const xmlNode *node, char *nlcm, size_t size)
{
	size_t i;

	if (parent->depth != 0)
		return;
	for (i = 0; local_names[i].root; i++)
		if (strcmp(parent->id, local_names[i].root) == 0 &&
		    strcmp((const char *)node->name, local_names[i].element) == 0)
			snprintf(nlcm, size, "%s", local_names[i].concept);
}

/*
 * The concept under parent an element stands for: a direct child first,
 * else the shallowest descendant reached through GROUP concepts (a level
 * the ADA dataset leaves out).  Children are the concepts after parent in
 * model order with depth parent+1, up to the end of parent's subtree.
 */
static const struct zib_concept *find_concept(const struct zib_concept *parent,
	const xmlNode *node, int *deep)
{
	const struct zib_model *m = parent->model;
	char nlcm[256], norm[256];
	const struct zib_concept *best = NULL;
	size_t i;

	nlcm_of(node, nlcm, sizeof(nlcm));
	if (!nlcm[0])
		local_name(parent, node, nlcm, sizeof(nlcm));
	ada_norm_name((const char *)node->name, norm, sizeof(norm));
	*deep = 0;
	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++) {
		const struct zib_concept *c = &m->concepts[i];
		if (!concept_matches(c, nlcm, norm))
			continue;
		if (c->depth == parent->depth + 1)
			return c;
		if (!best || c->depth < best->depth)
			best = c;
	}
	if (best)
		*deep = 1;
	return best;
}

static void unmapped(struct ada_reader *r, const xmlNode *node, const char *why)
{
	char path[2048], what[1024];
	xmlChar *v = xmlGetProp(node, (const xmlChar *)"value");
	xmlChar *code = xmlGetProp(node, (const xmlChar *)"code");

	xml_node_path(node, path, sizeof(path));
	snprintf(what, sizeof(what), "%s%s%s%s%s: %s", (const char *)node->name,
		v ? " value=" : "", v ? (const char *)v : "", code ? " code=" : "",
		code ? (const char *)code : "", why);
	xmlFree(v);
	xmlFree(code);
	if (doc_add_unmapped(r->doc, NULL, line_of(node), path, what) < 0)
		r->oom = 1;
}

/* Keeps every value under node as unmapped (a subtree with no concept). */
static void unmapped_tree(struct ada_reader *r, const xmlNode *node, const char *why)
{
	const xmlNode *c;

	if (has_data(node) || !first_element(node->children))
		unmapped(r, node, why);
	for (c = first_element(node->children); c; c = next_element(c))
		unmapped_tree(r, c, why);
}

/* The ADA time units (the duration datatype) and their UCUM codes. */
static const struct {
	const char *ada, *ucum;
} ada_time_units[] = {
	{ "seconde", "s" }, { "minuut", "min" }, { "uur", "h" }, { "dag", "d" },
	{ "week", "wk" }, { "maand", "mo" }, { "jaar", "a" }, { NULL, NULL }
};

static const char *ucum_time_unit(const char *unit)
{
	size_t i;

	for (i = 0; unit && ada_time_units[i].ada; i++)
		if (strcmp(unit, ada_time_units[i].ada) == 0 || strcmp(unit, ada_time_units[i].ucum) == 0)
			return ada_time_units[i].ucum;
	return NULL;
}

/* Time quantities: ADA gives them in ADA time units ("8 uur"). */
static const char *const duration_concepts[] = {
	"NL-CM:9.12.19950",   /* Interval */
	"NL-CM:9.12.22506",   /* Doseerduur */
	"NL-CM:9.12.22505",   /* HerhaalperiodeCyclischSchema */
	"NL-CM:20.3.4",       /* tijdsDuur (Toedieningsduur, Gebruiksperiode) */
	NULL
};

/* The unit of a PQ on concept c: UCUM for an ADA time unit on a time
 * quantity, else as written. */
static const char *pq_unit(const struct zib_concept *c, const char *unit)
{
	const char *ucum = ucum_time_unit(unit);
	size_t i;

	for (i = 0; ucum && c && duration_concepts[i]; i++)
		if (strcmp(c->id, duration_concepts[i]) == 0)
			return ucum;
	return unit;
}

static void fill_value(struct ada_reader *r, struct zib_value *v, const xmlNode *node)
{
	const char *value = attr(r, node, "value");

	v->null_flavor = attr(r, node, "nullFlavor");
	switch (v->type) {
	case ZIB_VALUE_CD:
	case ZIB_VALUE_CO:
		v->code = attr(r, node, "code");
		v->system = attr(r, node, "codeSystem");
		v->display = attr(r, node, "displayName");
		v->text = attr(r, node, "originalText");
		if (v->type == ZIB_VALUE_CO && value)
			v->number = value;
		break;
	case ZIB_VALUE_PQ:
		v->number = value;
		v->unit = pq_unit(v->concept, attr(r, node, "unit"));
		break;
	case ZIB_VALUE_II:
		v->code = value;
		v->system = attr(r, node, "root");
		break;
	case ZIB_VALUE_BL:
		v->boolean = value && strcmp(value, "true") == 0;
		if (value && strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			v->text = value;   /* not a boolean: keep it to report */
		break;
	case ZIB_VALUE_INT:
		v->number = value;
		v->integer = value ? strtoll(value, NULL, 10) : 0;
		break;
	case ZIB_VALUE_ANY:
		v->code = attr(r, node, "code");
		v->system = attr(r, node, "codeSystem");
		v->display = attr(r, node, "displayName");
		v->unit = attr(r, node, "unit");
		if (v->unit)
			v->number = value;
		else
			v->text = value;
		break;
	default:
		v->text = value;
		break;
	}
}

/*
 * A value on a concept that zib2020 made a group: zib2017 had
 * AnatomischeLocatie as one code, zib2020 has a group of Locatie and
 * Lateraliteit.  The value goes to the group's first child of the fitting
 * datatype; without one it is unmapped.
 */
static void value_on_group(struct ada_reader *r, struct zib_instance *inst, struct zib_value *g,
	const struct zib_concept *c, const xmlNode *e)
{
	const struct zib_model *m = c->model;
	const char *want = has_attr(e, "code") ? "CD" : has_attr(e, "unit") ? "PQ" :
		has_attr(e, "root") ? "II" : NULL;
	char path[2048];
	size_t i;

	for (i = c->index + 1; want && i < m->nconcepts && m->concepts[i].depth > c->depth; i++) {
		const struct zib_concept *k = &m->concepts[i];
		if (k->depth == c->depth + 1 && strcmp(k->datatype, want) == 0) {
			struct zib_value *v;
			xml_node_path(e, path, sizeof(path));
			v = doc_add_value(r->doc, inst, g, k, line_of(e), path);
			if (!v) {
				r->oom = 1;
				return;
			}
			fill_value(r, v, e);
			return;
		}
	}
	unmapped(r, e, "value on a concept that is a group");
}

/*
 * A range in parts (zib2017 and MP 9.0 ADA): Keerdosis, Frequentie and
 * Toedieningssnelheid hold an aantal (or waarde) of min, max, vaste_waarde
 * numbers, an eenheid (a unit code: G-Standaard, or UCUM) and, for a
 * frequency or rate, a tijdseenheid (3 per "1 dag").  zib2020 has the
 * range's minimumWaarde, maximumWaarde and nominaleWaarde PQs instead,
 * each with number and unit.
 */
#define ADA_UCUM_OID "2.16.840.1.113883.6.8"

struct range_parts {
	const xmlNode *count;     /* aantal / waarde */
	const xmlNode *eenheid;   /* code, codeSystem, displayName; or NULL */
	char per[64];             /* tijdseenheid as a UCUM term ("d", "8.h"); or "" */
};

/* tijdseenheid value="8" unit="uur" as "8.h" ("d" for value 1), as the FHIR
 * reader turns period and periodUnit into a frequency's unit. */
static int time_unit_term(const xmlNode *node, char *out, size_t size)
{
	xmlChar *value = xmlGetProp(node, (const xmlChar *)"value");
	xmlChar *unit = xmlGetProp(node, (const xmlChar *)"unit");
	const char *ucum = ucum_time_unit((const char *)unit);
	int ok = ucum && model_ucum_count_term((const char *)value, ucum, out, size);

	xmlFree(value);
	xmlFree(unit);
	return ok;
}

/* The range concept a number of the count stands for. */
static const struct zib_concept *range_number_concept(const struct zib_concept *c, const char *name)
{
	if (strcmp(name, "min") == 0)
		return model_concept_child(c, "NL-CM:20.1.2");   /* minimumWaarde */
	if (strcmp(name, "max") == 0)
		return model_concept_child(c, "NL-CM:20.1.3");   /* maximumWaarde */
	if (strcmp(name, "vaste_waarde") == 0)
		return model_concept_child(c, "NL-CM:20.1.4");   /* nominaleWaarde */
	return NULL;
}

static int is_range_part(const char *name)
{
	return strcmp(name, "aantal") == 0 || strcmp(name, "waarde") == 0 ||
		strcmp(name, "eenheid") == 0 || strcmp(name, "tijdseenheid") == 0;
}

/*
 * Whether node, on the range concept c, gives its range in parts the reader
 * can place (a count, an eenheid with a code, a tijdseenheid in ADA time
 * units); the parts go to p.  Anything else stays with read_children.
 */
static int range_in_parts(const struct zib_concept *c, const xmlNode *node, struct range_parts *p)
{
	const xmlNode *e;

	memset(p, 0, sizeof(*p));
	if (!model_concept_child(c, "NL-CM:20.1.4"))
		return 0;
	for (e = first_element(node->children); e; e = next_element(e)) {
		const char *name = (const char *)e->name;
		if (strcmp(name, "aantal") == 0 || strcmp(name, "waarde") == 0) {
			if (p->count)
				return 0;
			p->count = e;
		} else if (strcmp(name, "eenheid") == 0) {
			if (p->eenheid || !has_attr(e, "code"))
				return 0;
			p->eenheid = e;
		} else if (strcmp(name, "tijdseenheid") == 0) {
			if (p->per[0] || !time_unit_term(e, p->per, sizeof(p->per)))
				return 0;
		}
	}
	return p->count != NULL;
}

/* The unit of the range's numbers: the eenheid (per the tijdseenheid for a
 * rate), or "/d", "/(8.h)" for a frequency. */
static void range_unit(struct ada_reader *r, const struct range_parts *p, struct zib_value *v)
{
	char buf[80];

	if (p->eenheid) {
		v->unit = attr(r, p->eenheid, "code");
		v->system = attr(r, p->eenheid, "codeSystem");
		if (v->system && strcmp(v->system, ADA_UCUM_OID) == 0)
			v->system = NULL;   /* NULL is UCUM */
		else
			v->display = attr(r, p->eenheid, "displayName");
		if (p->per[0] && !(v->per = arena_strdup(&r->doc->arena, p->per)))
			r->oom = 1;
	} else if (p->per[0]) {
		snprintf(buf, sizeof(buf), strchr(p->per, '.') ? "/(%s)" : "/%s", p->per);
		if (!(v->unit = arena_strdup(&r->doc->arena, buf)))
			r->oom = 1;
	}
}

/* The numbers of a range in parts as c's minimumWaarde, maximumWaarde,
 * nominaleWaarde under g. */
static void read_range_parts(struct ada_reader *r, struct zib_instance *inst, struct zib_value *g,
	const struct zib_concept *c, const struct range_parts *p)
{
	const xmlNode *e;
	char path[2048];

	for (e = first_element(p->count->children); e; e = next_element(e)) {
		const struct zib_concept *k = range_number_concept(c, (const char *)e->name);
		struct zib_value *v;
		if (!k) {
			unmapped_tree(r, e, "no zib concept");
			continue;
		}
		xml_node_path(e, path, sizeof(path));
		v = doc_add_value(r->doc, inst, g, k, line_of(e), path);
		if (!v) {
			r->oom = 1;
			return;
		}
		v->number = attr(r, e, "value");
		v->null_flavor = attr(r, e, "nullFlavor");
		range_unit(r, p, v);
		if (first_element(e->children))
			unmapped_tree(r, e->children, "content under a value concept");
	}
}

static struct zib_instance *read_instance(struct ada_reader *r, const struct zib_model *m,
	const xmlNode *node);
static void read_outside(struct ada_reader *r, const xmlNode *node);

/* Adds a reference value (to ref, or to a nested instance made of node). */
static void read_ref(struct ada_reader *r, struct zib_instance *inst, struct zib_value *parent,
	const struct zib_concept *c, const struct zib_model *target, const xmlNode *node)
{
	char path[2048];
	struct zib_value *v;

	xml_node_path(node, path, sizeof(path));
	v = doc_add_value(r->doc, inst, parent, c, line_of(node), path);
	if (!v) {
		r->oom = 1;
		return;
	}
	if (is_reference(node)) {
		v->ref = attr(r, node, "value");
		return;
	}
	/* zib2020 transactions wrap the reference in an element of the
	 * transaction's own concept: <wilsverklaring><wilsverklaring
	 * value="wv1" datatype="reference"/></wilsverklaring>. */
	if (first_element(node->children) && is_reference(first_element(node->children)) &&
	    !next_element(first_element(node->children))) {
		v->ref = attr(r, first_element(node->children), "value");
		return;
	}
	/* Content in place of a reference: an instance of its own. */
	{
		struct zib_instance *t = read_instance(r, target, node);
		if (t) {
			v->ref = t->id;
			v->target = t;
		}
	}
}

/* node's only child is a reference on a concept c has not: the zib2020
 * transactions' <wilsverklaring><wilsverklaring value="wv1"
 * datatype="reference"/></wilsverklaring>. */
static int wrapped_reference(const struct zib_concept *c, const xmlNode *node)
{
	const xmlNode *e = first_element(node->children);
	int deep;

	return e && !next_element(e) && is_reference(e) && !find_concept(c, e, &deep);
}

/* Places the children of node under concept parent (value pv). */
static void read_children(struct ada_reader *r, struct zib_instance *inst,
	struct zib_value *pv, const struct zib_concept *parent, const xmlNode *node)
{
	const xmlNode *e;
	struct range_parts parts;

	for (e = first_element(node->children); e; e = next_element(e)) {
		const char *name = (const char *)e->name;
		const struct zib_concept *c;
		const struct zib_model *target;
		char path[2048];
		int deep;
		struct zib_value *at = pv;   /* this element's parent value */

		/* The ZibRoot wrapper of zib2017 datasets: its content is the zib's. */
		if (strcmp(name, "zibroot") == 0 || is_zib2017_wrapper(parent, name)) {
			read_children(r, inst, pv, parent, e);
			continue;
		}
		if (strcmp(name, "onderwerp") == 0) {
			unmapped_tree(r, e, "subject of the zib (the patient is implicit in zibs)");
			continue;
		}
		if (is_range_part(name) && range_in_parts(parent, node, &parts))
			continue;   /* read by read_range_parts */
		c = find_concept(parent, e, &deep);
		if (!c) {
			const struct zib_model *m = element_model(r, e);
			if (m) {
				read_instance(r, m, e);
			} else if (strcmp(name, "referenties") == 0) {
				read_outside(r, e);
			} else {
				unmapped_tree(r, e, "no zib concept");
			}
			continue;
		}
		if (deep) {
			/* Make the intermediate GROUP values down to c. */
			const struct zib_concept *chain[32];
			int n = 0, i;
			const struct zib_concept *p;
			for (p = c->parent; p && p != parent && n < 32; p = p->parent)
				chain[n++] = p;
			for (i = n - 1; i >= 0; i--) {
				xml_node_path(e, path, sizeof(path));
				at = doc_add_value(r->doc, inst, at, chain[i], line_of(e), path);
				if (!at) {
					r->oom = 1;
					return;
				}
			}
		}
		target = concept_ref_model(r, c);
		if (target) {
			read_ref(r, inst, at, c, target, e);
		} else if (is_reference(e) && strcmp(c->datatype, "GROUP") == 0) {
			/* A reference given on the concept that holds the zib reference. */
			const struct zib_model *m = c->model;
			size_t i;
			const struct zib_concept *rc = NULL;
			for (i = c->index + 1; i < m->nconcepts && m->concepts[i].depth > c->depth; i++)
				if (m->concepts[i].depth == c->depth + 1 &&
				    concept_ref_model(r, &m->concepts[i])) {
					rc = &m->concepts[i];
					break;
				}
			if (rc) {
				xml_node_path(e, path, sizeof(path));
				struct zib_value *g = doc_add_value(r->doc, inst, at, c, line_of(e), path);
				if (!g) {
					r->oom = 1;
					return;
				}
				read_ref(r, inst, g, rc, concept_ref_model(r, rc), e);
			} else {
				unmapped(r, e, "reference on a concept that refers to no zib");
			}
		} else {
			struct zib_value *v;
			xml_node_path(e, path, sizeof(path));
			v = doc_add_value(r->doc, inst, at, c, line_of(e), path);
			if (!v) {
				r->oom = 1;
				return;
			}
			if (v->type == ZIB_VALUE_GROUP && wrapped_reference(c, e)) {
				/* A GROUP that stands for a reference to another zib
				 * (BehandelAanwijzing Wilsverklaring, AfspraakPartij
				 * Vertegenwoordiger): the FHIR reader puts the reference
				 * on the group value, so this reader does too. */
				v->ref = attr(r, first_element(e->children), "value");
			} else if (v->type == ZIB_VALUE_GROUP) {
				if (has_data(e))
					value_on_group(r, inst, v, c, e);
				if (range_in_parts(c, e, &parts))
					read_range_parts(r, inst, v, c, &parts);
				read_children(r, inst, v, c, e);
			} else {
				fill_value(r, v, e);
				model_fhir_conceptmap_zib2017_code(r->ctx, c, v);
				if (first_element(e->children))
					unmapped_tree(r, e->children, "content under a value concept");
			}
		}
	}
}

static struct zib_instance *read_instance(struct ada_reader *r, const struct zib_model *m,
	const xmlNode *node)
{
	char path[2048], idbuf[64];
	const char *id = attr(r, node, "id");
	struct zib_instance *inst;

	if (!id) {
		snprintf(idbuf, sizeof(idbuf), "#ada-%d", ++r->nested);
		id = idbuf;
	}
	xml_node_path(node, path, sizeof(path));
	inst = doc_add_instance(r->doc, m, id, line_of(node), path);
	if (!inst) {
		r->oom = 1;
		return NULL;
	}
	if (strmap_put(&r->inst_by_id, inst->id, inst) < 0)
		r->oom = 1;
	read_children(r, inst, NULL, &m->concepts[0], node);
	return inst;
}

/* Outside any instance: zib roots start instances, the rest is unmapped. */
static void read_outside(struct ada_reader *r, const xmlNode *node)
{
	const xmlNode *e;

	for (e = first_element(node->children); e; e = next_element(e)) {
		const struct zib_model *m = element_model(r, e);
		if (m)
			read_instance(r, m, e);
		else if (strcmp((const char *)e->name, "onderwerp") == 0)
			unmapped_tree(r, e, "subject of the zib (the patient is implicit in zibs)");
		else if (has_data(e) || !first_element(e->children))
			unmapped_tree(r, e, "no zib");
		else
			read_outside(r, e);
	}
}

static void resolve_refs(struct ada_reader *r, struct zib_value *v)
{
	for (; v; v = v->next) {
		if (v->ref && !v->target) {
			v->target = strmap_get(&r->inst_by_id, v->ref);
			if (!v->target && r->report) {
				zib_diag d = { ZIB_SEV_WARNING, ADA_CODE_UNRESOLVED, r->doc->file,
					v->line, 0, v->path, NULL, v->concept ? v->concept->id : NULL,
					NULL, NULL, v->ref };
				zib_report_addf(r->report, &d, "reference '%s' names no instance in the document",
					v->ref);
			}
		}
		resolve_refs(r, v->children);
	}
}

static int index_models(struct ada_reader *r)
{
	size_t i;
	char key[256];

	for (i = 0; i < r->ctx->nmodels; i++) {
		const struct zib_model *m = &r->ctx->models[i];
		if (strmap_put(&r->model_by_root, m->root, (void *)m) < 0)
			return -1;
		ada_norm_name(m->name_nl, key, sizeof(key));
		if (strmap_put(&r->model_by_name, arena_strdup(&r->doc->arena, key), (void *)m) < 0)
			return -1;
		/* The root concept's own name too (BurgerlijkeStaatRC). */
		ada_norm_name(m->nconcepts ? m->concepts[0].name_nl : "", key, sizeof(key));
		if (key[0] && !strmap_get(&r->model_by_name, key) &&
		    strmap_put(&r->model_by_name, arena_strdup(&r->doc->arena, key), (void *)m) < 0)
			return -1;
		ada_norm_name(m->name_en, key, sizeof(key));
		if (key[0] && !strmap_get(&r->model_by_name, key) &&
		    strmap_put(&r->model_by_name, arena_strdup(&r->doc->arena, key), (void *)m) < 0)
			return -1;
	}
	for (i = 0; zib_aliases[i].name; i++) {
		const struct zib_model *m = strmap_get(&r->model_by_root, zib_aliases[i].root);
		if (m && !strmap_get(&r->model_by_name, zib_aliases[i].name) &&
		    strmap_put(&r->model_by_name, zib_aliases[i].name, (void *)m) < 0)
			return -1;
	}
	return 0;
}

/* The transaction element: adaxml/data/X, or the root itself. */
static const xmlNode *transaction_of(const xmlNode *root)
{
	if (strcmp((const char *)root->name, "adaxml") == 0) {
		const xmlNode *e;
		for (e = first_element(root->children); e; e = next_element(e))
			if (strcmp((const char *)e->name, "data") == 0)
				return first_element(e->children);
		return NULL;
	}
	if (xmlHasProp(root, (const xmlChar *)"app") || xmlHasProp(root, (const xmlChar *)"transactionRef"))
		return root;
	return NULL;
}

int ada_read(struct zib_doc **out, const zib_ctx *ctx, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err)
{
	struct ada_reader r;
	xmlDoc *xdoc = NULL;
	const xmlNode *tx;
	struct zib_instance *inst;
	int rc;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.report = report;
	rc = xml_parse(&xdoc, data, len, file, report, err);
	if (rc < 0)
		return rc;
	r.doc = doc_new(ctx, file, ZIB_FORMAT_ADA);
	if (!r.doc) {
		xmlFreeDoc(xdoc);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
	}
	strmap_init(&r.model_by_root, 0);
	strmap_init(&r.model_by_name, 0);
	strmap_init(&r.inst_by_id, 0);
	tx = transaction_of(xmlDocGetRootElement(xdoc));
	if (!tx) {
		const xmlNode *root = xmlDocGetRootElement(xdoc);
		if (report) {
			zib_diag d = { ZIB_SEV_ERROR, ADA_CODE_NOT_ADA, file, line_of(root), 0, NULL,
				NULL, NULL, NULL, NULL, (const char *)root->name };
			zib_report_addf(report, &d, "root element '%s' is not an ADA transaction",
				(const char *)root->name);
		}
		rc = error_set(err, ZIB_EPARSE, "'%s' is not an ADA instance", file);
		goto done;
	}
	if (index_models(&r) < 0) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
		goto done;
	}
	{
		const char *app = attr(&r, tx, "app");
		if (app && strstr(app, "zib2020"))
			r.doc->source_version = "zib2020";
		else if (app && strstr(app, "2017"))
			r.doc->source_version = "zib2017";
		else
			r.doc->source_version = app;
	}
	{
		const struct zib_model *m = element_model(&r, tx);
		if (m)
			read_instance(&r, m, tx);
		else
			read_outside(&r, tx);
	}
	for (inst = r.doc->instances; inst; inst = inst->next)
		resolve_refs(&r, inst->values);
	if (r.oom) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
		goto done;
	}
	*out = r.doc;
	r.doc = NULL;
	rc = 0;
done:
	strmap_release(&r.model_by_root);
	strmap_release(&r.model_by_name);
	strmap_release(&r.inst_by_id);
	zib_doc_free(r.doc);
	xmlFreeDoc(xdoc);
	return rc;
}
