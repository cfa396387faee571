/*
 * The CDA reader: a BgZ CDA document into zib instances.
 *
 * 1. Walk the document and find instance roots: elements whose templateId
 *    is the root template of a zib (from the zibs, or cda-map.tsv), and the
 *    header participants at their fixed places.  Sections are recorded as
 *    sections, with or without entries.
 * 2. Map each instance: for every concept of its zib, find its XPath
 *    (the zibs' columns, or cda-map.tsv rows), evaluate it relative to the root with
 *    libxml2's XPath engine, and turn the nodes into values.  A GROUP
 *    concept's children are evaluated relative to each node of the group.
 *    A GROUP without children is a reference to the instance at its node.
 * 3. Scan the tree for leaf data nobody consumed: the unmapped list.
 *
 * Consumed nodes are marked in node->_private (the tree is ours and freed
 * right after reading).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "cda/cda.h"
#include "cda/map.h"
#include "cda/resolve.h"
#include "model/conceptmaps.h"
#include "core/error.h"
#include "core/xml.h"
#include "map/unread.h"
#include "map/walk.h"
#include "model/address.h"

#define NS_HL7 "urn:hl7-org:v3"
#define NS_SDTC "urn:hl7-org:sdtc"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

static char consumed_mark;
#define CONSUMED ((void *)&consumed_mark)

/* ---- small XML helpers ---- */

static int is_hl7(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
		strcmp((const char *)n->ns->href, NS_HL7) == 0;
}

static int is_named(const xmlNode *n, const char *name)
{
	return is_hl7(n) && strcmp((const char *)n->name, name) == 0;
}

xmlNode *cda_child(const xmlNode *parent, const char *name)
{
	xmlNode *c;

	for (c = parent ? parent->children : NULL; c; c = c->next)
		if (is_named(c, name))
			return c;
	return NULL;
}

const char *cda_attr(const xmlNode *node, const char *name)
{
	const xmlAttr *a;

	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = node->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children &&
		    (!a->ns || strcmp(name, "type") != 0))
			return (const char *)a->children->content;
	return NULL;
}

static const char *xsi_type(const xmlNode *node)
{
	const xmlAttr *a;

	for (a = node->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "type") == 0 && a->ns &&
		    strcmp((const char *)a->ns->href, NS_XSI) == 0 && a->children)
			return (const char *)a->children->content;
	return NULL;
}

/* The collapsed text content of a node (whitespace runs become one space). */
static char *collapsed_text(struct zib_doc *doc, const xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	char *out, *w;
	const char *p;
	int space = 0;

	if (!s)
		return NULL;
	out = arena_alloc(&doc->arena, strlen((const char *)s) + 1);
	if (!out) {
		xmlFree(s);
		return NULL;
	}
	w = out;
	for (p = (const char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = w != out;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = *p;
	}
	*w = '\0';
	xmlFree(s);
	return out;
}

/* ---- the reader ---- */

struct root_model {
	const struct zib_model *model;
	int optional;
	struct root_model *next;
};

struct pending {
	struct zib_instance *inst;
	xmlNode *node;
	const char *template_id;
	int optional;
};

struct reader {
	struct zib_doc *doc;
	const zib_ctx *ctx;
	zib_report *report;
	xmlXPathContextPtr xp;
	struct arena tmp;
	struct strmap roots;       /* template -> struct root_model list */
	struct strmap known;       /* every template the reader knows */
	struct strmap data_root;   /* "zib" -> its data root template */
	struct strmap inst_at;     /* "%p" of a node -> instance */
	struct strmap xpaths;      /* xpath -> compiled */
	struct pending *queue;
	size_t nqueue, capqueue;
	int ordinal;
	int failed;
};

static void add_root(struct reader *r, const char *tmpl, const struct zib_model *m, int optional)
{
	struct root_model *rm = arena_alloc(&r->tmp, sizeof(*rm)), *head;

	if (!rm || !m)
		return;
	rm->model = m;
	rm->optional = optional;
	rm->next = NULL;
	head = strmap_get(&r->roots, tmpl);
	if (!head) {
		strmap_put(&r->roots, arena_strdup(&r->tmp, tmpl), rm);
		return;
	}
	for (; head->next; head = head->next)
		if (head->model == m)
			return;
	if (head->model != m)
		head->next = rm;
}

static void add_known_list(struct reader *r, const char *list)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, " ");
		if (n) {
			char *t = arena_strndup(&r->tmp, p, n);
			if (t && !strmap_get(&r->known, t))
				strmap_put(&r->known, t, (void *)1);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void reader_setup(struct reader *r)
{
	size_t i, j;

	strmap_init(&r->roots, 0);
	strmap_init(&r->known, 0);
	strmap_init(&r->data_root, 0);
	strmap_init(&r->inst_at, 0);
	strmap_init(&r->xpaths, 0);
	for (i = 0; i < r->ctx->nmodels; i++) {
		const struct zib_model *m = &r->ctx->models[i];
		add_known_list(r, m->cda_templates);
		for (j = 0; j < m->nconcepts; j++)
			add_known_list(r, m->concepts[j].cda_template);
		if (m->nconcepts && m->concepts[0].cda_template && *m->concepts[0].cda_template) {
			add_root(r, m->concepts[0].cda_template, m, 0);
			strmap_put(&r->data_root, m->name_nl, (void *)m->concepts[0].cda_template);
		}
	}
	for (i = 0; i < r->ctx->ncda_rows; i++) {
		const struct cda_row *row = &r->ctx->cda_rows[i];
		const char *p = row->template_id;
		if (row->kind != CDA_ROOT && row->kind != CDA_CONTAINER)
			continue;
		while (*p) {
			size_t n = strcspn(p, " ");
			char *t = arena_strndup(&r->tmp, p, n);
			if (t) {
				if (!strmap_get(&r->known, t))
					strmap_put(&r->known, t, (void *)1);
				if (row->kind == CDA_ROOT)
					add_root(r, t, zib_model_find(r->ctx, row->zib), row->optional);
			}
			p += n;
			while (*p == ' ')
				p++;
		}
	}
}

static void reader_release(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->xpaths.cap; i++)
		if (r->xpaths.slots && r->xpaths.slots[i].key)
			xmlXPathFreeCompExpr(r->xpaths.slots[i].value);
	strmap_release(&r->roots);
	strmap_release(&r->known);
	strmap_release(&r->data_root);
	strmap_release(&r->inst_at);
	strmap_release(&r->xpaths);
	if (r->xp)
		xmlXPathFreeContext(r->xp);
	free(r->queue);
	arena_release(&r->tmp);
}

static const char *node_key(char *buf, size_t size, const xmlNode *n)
{
	snprintf(buf, size, "%p", (const void *)n);
	return buf;
}

static const char *path_of(struct reader *r, const xmlNode *n)
{
	char buf[4096];

	return doc_str(r->doc, xml_node_path_hl7(n, buf, sizeof(buf)));
}

static int line_of(const xmlNode *n)
{
	if (n && n->type == XML_ATTRIBUTE_NODE)
		n = n->parent;
	return n ? (int)xmlGetLineNo((xmlNodePtr)n) : 0;
}

static struct zib_instance *instance_at(struct reader *r, const xmlNode *n)
{
	char k[32];

	return strmap_get(&r->inst_at, node_key(k, sizeof(k), n));
}

static void new_instance(struct reader *r, xmlNode *node, const char *tmpl,
	const struct zib_model *m, int optional)
{
	char id[600], k[32];
	xmlNode *idn = cda_child(node, "id");
	struct zib_instance *inst;

	id[0] = '\0';
	if (idn && cda_attr(idn, "root"))
		snprintf(id, sizeof(id), "%s%s%s", cda_attr(idn, "root"),
			cda_attr(idn, "extension") ? "|" : "",
			cda_attr(idn, "extension") ? cda_attr(idn, "extension") : "");
	inst = doc_add_instance(r->doc, m, id[0] ? id : NULL, line_of(node), path_of(r, node));
	if (!inst) {
		r->failed = 1;
		return;
	}
	if (r->nqueue == r->capqueue) {
		size_t cap = r->capqueue ? r->capqueue * 2 : 32;
		struct pending *q = realloc(r->queue, cap * sizeof(*q));
		if (!q) {
			r->failed = 1;
			return;
		}
		r->queue = q;
		r->capqueue = cap;
	}
	r->queue[r->nqueue].inst = inst;
	r->queue[r->nqueue].node = node;
	r->queue[r->nqueue].template_id = arena_strdup(&r->tmp, tmpl);
	r->queue[r->nqueue].optional = optional;
	r->nqueue++;
	/* The first instance at a node is the one references point at. */
	if (!optional && !instance_at(r, node))
		strmap_put(&r->inst_at, arena_strdup(&r->tmp, node_key(k, sizeof(k), node)), inst);
}

static void roots_at(struct reader *r, xmlNode *node, const char *tmpl)
{
	struct root_model *rm;

	for (rm = strmap_get(&r->roots, tmpl); rm; rm = rm->next)
		new_instance(r, node, tmpl, rm->model, rm->optional);
}

/* The pseudo template of a header participant at a fixed place, or NULL. */
static const char *pseudo_template(const xmlNode *n)
{
	const xmlNode *p = n->parent;

	if (is_named(n, "recordTarget") && is_named(p, "ClinicalDocument"))
		return CDA_PSEUDO_PATIENT;
	if (is_named(n, "guardian") && is_named(p, "patient"))
		return CDA_PSEUDO_GUARDIAN;
	if (is_named(n, "assignedAuthor") && is_named(p, "author") && is_named(p->parent, "ClinicalDocument"))
		return CDA_PSEUDO_AUTHOR;
	if (is_named(n, "representedOrganization") && is_named(p, "assignedAuthor") &&
	    is_named(p->parent, "author") && is_named(p->parent->parent, "ClinicalDocument"))
		return CDA_PSEUDO_AUTHOR_ORG;
	if (is_named(n, "assignedEntity") && is_named(p, "performer") && is_named(p->parent, "serviceEvent") &&
	    is_named(p->parent->parent, "documentationOf"))
		return CDA_PSEUDO_PERFORMER;
	return NULL;
}

static void find_roots(struct reader *r, xmlNode *node)
{
	xmlNode *c;
	const char *pseudo;

	for (c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_named(c, "templateId") && cda_attr(c, "root"))
			roots_at(r, node, cda_attr(c, "root"));
	}
	pseudo = pseudo_template(node);
	if (pseudo)
		roots_at(r, node, pseudo);
	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			find_roots(r, c);
}

/* The first descendant-or-self element of root carrying templateId tmpl. */
static xmlNode *find_template(xmlNode *root, const char *tmpl)
{
	xmlNode *c;

	for (c = root->children; c; c = c->next)
		if (is_named(c, "templateId") && cda_attr(c, "root") && strcmp(cda_attr(c, "root"), tmpl) == 0)
			return root;
	for (c = root->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			xmlNode *f = find_template(c, tmpl);
			if (f)
				return f;
		}
	}
	return NULL;
}

static xmlXPathObjectPtr eval(struct reader *r, const char *xpath, xmlNode *ctx)
{
	xmlXPathCompExprPtr comp = strmap_get(&r->xpaths, xpath);

	if (!comp) {
		comp = xmlXPathCompile((const xmlChar *)xpath);
		if (!comp)
			return NULL;
		strmap_put(&r->xpaths, arena_strdup(&r->tmp, xpath), comp);
	}
	r->xp->node = ctx;
	return xmlXPathCompiledEval(comp, r->xp);
}


/* A group without parts of its own: a reference to another zib. */
static int is_reference(const struct zib_concept *c)
{
	return strcmp(c->datatype, "GROUP") == 0 && !map_has_children(c);
}

static int resolve(struct reader *r, const char *tmpl, const struct zib_concept *c,
	struct cda_mapping *m, char *buf, size_t size)
{
	return cda_resolve(r->ctx, tmpl, c, strmap_get(&r->data_root, c->model->name_nl), m, buf, size);
}

static const char *text_of(struct reader *r, const xmlNode *n)
{
	char *s = collapsed_text(r->doc, n);

	return s && *s ? s : NULL;
}

/* Fills a leaf value from an element or attribute node; 0 when empty. */
/* A PQ in unit "1" whose translation names a unit of another code system
 * (the G-Standaard unit of a Medicatieproces dose) counts in that unit. */
static void read_unit_translation(struct zib_doc *doc, struct zib_value *v, xmlNode *n)
{
	xmlNode *tr = cda_child(n, "translation");

	if (!tr || !cda_attr(tr, "code") || !cda_attr(tr, "codeSystem") || (v->unit && strcmp(v->unit, "1") != 0))
		return;
	if (cda_attr(tr, "value"))
		v->number = doc_str(doc, cda_attr(tr, "value"));
	v->unit = doc_str(doc, cda_attr(tr, "code"));
	v->system = doc_str(doc, cda_attr(tr, "codeSystem"));
	v->display = doc_str(doc, cda_attr(tr, "displayName"));
}

static int fill_value(struct reader *r, struct zib_value *v, xmlNode *n)
{
	struct zib_doc *doc = r->doc;
	const char *s;

	if (n->type == XML_ATTRIBUTE_NODE) {
		xmlChar *content = xmlNodeGetContent(n);
		s = doc_str(doc, (const char *)content);
		xmlFree(content);
		if (!s)
			return 0;
		switch (v->type) {
		case ZIB_VALUE_CD: case ZIB_VALUE_CO:
			v->code = s;
			break;
		case ZIB_VALUE_BL:
			v->boolean = strcmp(s, "true") == 0;
			v->text = s;
			break;
		case ZIB_VALUE_INT:
			v->number = s;
			v->integer = strtoll(s, NULL, 10);
			break;
		default:
			v->text = s;
		}
		if (n->parent)
			n->parent->_private = CONSUMED;
		return 1;
	}
	n->_private = CONSUMED;
	v->null_flavor = doc_str(doc, cda_attr(n, "nullFlavor"));
	switch (v->type) {
	case ZIB_VALUE_CD: case ZIB_VALUE_CO:
		v->code = doc_str(doc, cda_attr(n, "code"));
		v->system = doc_str(doc, cda_attr(n, "codeSystem"));
		v->display = doc_str(doc, cda_attr(n, "displayName"));
		if (cda_child(n, "originalText"))
			v->text = text_of(r, cda_child(n, "originalText"));
		if (!v->code && cda_attr(n, "extension")) {
			v->code = doc_str(doc, cda_attr(n, "extension"));
			v->system = doc_str(doc, cda_attr(n, "root"));
		}
		if (v->type == ZIB_VALUE_CO && cda_attr(n, "value"))
			v->number = doc_str(doc, cda_attr(n, "value"));
		break;
	case ZIB_VALUE_PQ:
		v->number = doc_str(doc, cda_attr(n, "value"));
		v->unit = doc_str(doc, cda_attr(n, "unit"));
		read_unit_translation(doc, v, n);
		break;
	case ZIB_VALUE_TS:
		v->text = doc_str(doc, cda_attr(n, "value"));
		break;
	case ZIB_VALUE_II:
		v->system = doc_str(doc, cda_attr(n, "root"));
		v->code = doc_str(doc, cda_attr(n, "extension"));
		break;
	case ZIB_VALUE_BL:
		s = cda_attr(n, "value");
		v->boolean = s && strcmp(s, "true") == 0;
		v->text = doc_str(doc, s);
		break;
	case ZIB_VALUE_INT:
		v->number = doc_str(doc, cda_attr(n, "value"));
		if (v->number)
			v->integer = strtoll(v->number, NULL, 10);
		break;
	case ZIB_VALUE_ANY:
		if (cda_attr(n, "code")) {
			v->code = doc_str(doc, cda_attr(n, "code"));
			v->system = doc_str(doc, cda_attr(n, "codeSystem"));
			v->display = doc_str(doc, cda_attr(n, "displayName"));
		} else if (cda_attr(n, "value")) {
			v->number = doc_str(doc, cda_attr(n, "value"));
			v->unit = doc_str(doc, cda_attr(n, "unit"));
		} else {
			v->text = text_of(r, n);
		}
		break;
	default:  /* ST, ED */
		v->text = text_of(r, n);
		if (!v->text && cda_attr(n, "value"))
			v->text = doc_str(doc, cda_attr(n, "value"));
		if (!v->text && cda_child(n, "reference"))
			v->text = doc_str(doc, cda_attr(cda_child(n, "reference"), "value"));
		break;
	}
	(void)xsi_type;
	return v->code || v->system || v->display || v->text || v->number || v->unit || v->null_flavor;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_value(const struct zib_value *a, const struct zib_value *b)
{
	return same_str(a->code, b->code) && same_str(a->system, b->system) && same_str(a->text, b->text) &&
		same_str(a->number, b->number) && same_str(a->unit, b->unit) &&
		same_str(a->null_flavor, b->null_flavor);
}

static int map_children(struct reader *r, struct pending *pd, const struct zib_concept *parent,
	struct zib_value *pv, xmlNode *ctx_node, const char *parent_xpath, xmlNode *parent_base);

/* A reference reached from a role inside the entry that only names who it
 * is (".../participantRole[hl7:code...]/ancestor::...": the verifying party
 * "Patient" is the document's patient): the role is read by the reference. */
static void consume_role(struct reader *r, const char *xpath, xmlNode *ctx)
{
	const char *cut = strstr(xpath, "/ancestor::");
	char prefix[1024];
	xmlXPathObjectPtr res;
	int i;

	if (!cut || (size_t)(cut - xpath) >= sizeof(prefix))
		return;
	memcpy(prefix, xpath, (size_t)(cut - xpath));
	prefix[cut - xpath] = '\0';
	res = eval(r, prefix, ctx);
	if (!res)
		return;
	for (i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++)
		res->nodesetval->nodeTab[i]->_private = CONSUMED;
	xmlXPathFreeObject(res);
}

/* Maps one concept at ctx; returns the number of values added. */
static int map_concept(struct reader *r, struct pending *pd, const struct zib_concept *c,
	struct zib_value *pv, xmlNode *ctx_node, const char *parent_xpath, xmlNode *parent_base)
{
	struct cda_mapping m;
	char buf[1024], rel[1024];
	xmlNode *base = pd->node, *ctx;
	const char *expr;
	xmlXPathObjectPtr res;
	struct zib_value *first = NULL;
	int added = 0, i;
	size_t plen = parent_xpath ? strlen(parent_xpath) : 0;

	if (!resolve(r, pd->template_id, c, &m, buf, sizeof(buf))) {
		if (strcmp(c->datatype, "GROUP") != 0 || c->depth == 0)
			return 0;
		/* An unmapped group or reference: look at its parent's node. */
		m.xpath = ".";
		m.part = 1;
	}
	if (m.nested) {
		base = find_template(pd->node, m.nested);
		if (!base)
			return 0;
	}
	if (m.part) {
		ctx = ctx_node;
		expr = m.xpath;
	} else if (parent_xpath && base == parent_base && strcmp(m.xpath, parent_xpath) == 0) {
		ctx = ctx_node;
		expr = ".";
	} else if (parent_xpath && base == parent_base && strcmp(parent_xpath, ".") != 0 &&
		   strncmp(m.xpath, parent_xpath, plen) == 0 && m.xpath[plen] == '/') {
		ctx = ctx_node;
		snprintf(rel, sizeof(rel), "%s", m.xpath + plen + 1);
		expr = rel;
	} else {
		ctx = base;
		expr = m.xpath;
	}
	res = eval(r, expr, ctx);
	if (!res)
		return 0;
	for (i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlNode *n = res->nodesetval->nodeTab[i];
		struct zib_value *v;
		if (address_is_suffix_concept(c->id) &&
		    !address_suffix_fits(c->id, (size_t)i, (size_t)res->nodesetval->nodeNr, text_of(r, n)))
			continue;
		v = doc_add_value(r->doc, pd->inst, pv, c, line_of(n), path_of(r, n));
		if (!v) {
			r->failed = 1;
			break;
		}
		if (is_reference(c)) {
			struct zib_instance *t = n->type == XML_ELEMENT_NODE ? instance_at(r, n) : NULL;
			if (!t && n->type == XML_ELEMENT_NODE && c->model) {
				/* An entity without a template: make it an instance when
				 * the referenced zib can be read from any such entity. */
				/* Concept ids repeat inside other zibs: find the zib by
				 * name and check its root is the referenced concept. */
				const struct zib_model *tm = zib_model_find(r->ctx, c->name_nl);
				const char *et = is_named(n, "participantRole") ? CDA_ENTITY_LOCATION :
					CDA_ENTITY_ORGANIZATION;
				if (tm && tm->nconcepts > 1 && strcmp(tm->concepts[0].id, c->id) == 0 &&
				    cda_row_concept(r->ctx, et, tm->concepts[1].id)) {
					new_instance(r, n, et, tm, 0);
					t = instance_at(r, n);
				}
			}
			/* An unmapped reference looks at its parent's node, which may
			 * be this instance's own root: a zib never refers to itself. */
			if (t && t != pd->inst) {
				v->target = t;
				v->ref = t->id ? t->id : t->path;
				added++;
				consume_role(r, expr, ctx);
			} else {
				doc_drop_last_value(pd->inst, pv, v);
			}
		} else if (map_has_children(c)) {
			xmlNode *node = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
			if (map_children(r, pd, c, v, node, m.part ? NULL : m.xpath, base) > 0)
				added++;
			else
				doc_drop_last_value(pd->inst, pv, v);
		} else if (fill_value(r, v, n)) {
			/* (the zib2017 template 5.10.2's BehandelingToegestaan) */
			model_fhir_conceptmap_zib2017_code(r->ctx, c, v);
			if (m.shared && first && same_value(first, v)) {
				doc_drop_last_value(pd->inst, pv, v);         /* a repeat: consumed */
			} else if (m.shared && first) {
				doc_drop_last_value(pd->inst, pv, v);         /* differs: stays unmapped */
				if (n->type == XML_ATTRIBUTE_NODE && n->parent)
					n->parent->_private = NULL;
				else
					n->_private = NULL;
			} else {
				first = v;
				added++;
			}
		} else {
			doc_drop_last_value(pd->inst, pv, v);
		}
	}
	xmlXPathFreeObject(res);
	return added;
}

static int map_children(struct reader *r, struct pending *pd, const struct zib_concept *parent,
	struct zib_value *pv, xmlNode *ctx_node, const char *parent_xpath, xmlNode *parent_base)
{
	const struct zib_concept *c;
	int added = 0;

	for (c = map_first_child(parent); c; c = map_next_child(c))
		added += map_concept(r, pd, c, pv, ctx_node, parent_xpath, parent_base);
	return added;
}

/* ---- sections ---- */

static const struct zib_model *section_model(const zib_ctx *ctx, const char *tmpl)
{
	size_t i;

	for (i = 0; tmpl && i < ctx->nmodels; i++) {
		const char *p = strstr(ctx->models[i].cda_templates, tmpl);
		size_t n = strlen(tmpl);
		if (p && (p[n] == ' ' || p[n] == '\0'))
			return &ctx->models[i];
	}
	return NULL;
}

static void read_section(struct reader *r, xmlNode *sec)
{
	xmlNode *c, *tid = NULL, *code = cda_child(sec, "code"), *title = cda_child(sec, "title");
	const char *tmpl = NULL;
	struct doc_section *ds;
	zib_diag d;
	char path[4096];

	for (c = sec->children; c; c = c->next)
		if (is_named(c, "templateId") && cda_attr(c, "root")) {
			if (!tid || strncmp(cda_attr(c, "root"), CDA_BGZ_SECTION_PREFIX, strlen(CDA_BGZ_SECTION_PREFIX)) == 0)
				tid = c;
		}
	tmpl = tid ? cda_attr(tid, "root") : NULL;
	ds = doc_add_section(r->doc, tmpl, code ? cda_attr(code, "code") : NULL,
		title ? text_of(r, title) : NULL, cda_child(sec, "text") ? text_of(r, cda_child(sec, "text")) : NULL,
		line_of(sec), path_of(r, sec));
	if (!ds) {
		r->failed = 1;
		return;
	}
	ds->model = section_model(r->ctx, tmpl);
	for (c = sec->children; c; c = c->next)
		if (is_named(c, "entry"))
			ds->nentries++;
	if (!r->report)
		return;
	memset(&d, 0, sizeof(d));
	d.file = r->doc->file;
	d.line = line_of(sec);
	d.path = xml_node_path_hl7(sec, path, sizeof(path));
	if (!tmpl) {
		d.severity = ZIB_SEV_WARNING;
		d.code = CDA_CODE_SECTION_NO_TEMPLATE;
		zib_report_addf(r->report, &d, "section%s%s%s has no templateId",
			ds->title ? " '" : "", ds->title ? ds->title : "", ds->title ? "'" : "");
	} else if (strcmp(tmpl, CDA_BGZ_SECTION_PREFIX "13") == 0) {
		d.severity = ZIB_SEV_ERROR;
		d.code = CDA_CODE_SECTION_NOT_BGZ;
		d.actual = tmpl;
		zib_report_addf(r->report, &d, "section template %s (Uitslagen) is not part of the BgZ 2020 "
			"document template", tmpl);
	} else if (!ds->model || strncmp(tmpl, CDA_BGZ_SECTION_PREFIX, strlen(CDA_BGZ_SECTION_PREFIX)) != 0) {
		d.severity = ZIB_SEV_ERROR;
		d.code = CDA_CODE_SECTION_UNKNOWN;
		d.actual = tmpl;
		zib_report_addf(r->report, &d, "section template %s does not belong in a BgZ 2020 document", tmpl);
	}
	if (!ds->text && ds->nentries == 0) {
		d.severity = ZIB_SEV_WARNING;
		d.code = CDA_CODE_SECTION_EMPTY;
		d.actual = NULL;
		zib_report_addf(r->report, &d, "section%s%s%s has neither text nor entries",
			ds->title ? " '" : "", ds->title ? ds->title : "", ds->title ? "'" : "");
	}
}

static void find_sections(struct reader *r, xmlNode *node)
{
	xmlNode *c;

	for (c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_named(c, "section"))
			read_section(r, c);
		if (is_named(c, "component") || is_named(c, "structuredBody") || is_named(c, "section"))
			find_sections(r, c);
	}
}

/* ---- unmapped content ---- */

static int is_statement(const xmlNode *n)
{
	static const char *const names[] = { "act", "observation", "organizer", "procedure", "encounter",
		"substanceAdministration", "supply", "ClinicalDocument", "section", NULL };
	size_t i;

	for (i = 0; names[i]; i++)
		if (is_named(n, names[i]))
			return 1;
	return 0;
}

static int has_data(struct reader *r, const xmlNode *n)
{
	static const char *const attrs[] = { "value", "code", "extension", "unit", "root", NULL };
	size_t i;
	const xmlNode *c;

	for (i = 0; attrs[i]; i++)
		if (cda_attr(n, attrs[i]))
			return 1;
	for (c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			const char *p = (const char *)c->content;
			while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
				p++;
			if (*p)
				return 1;
		}
	(void)r;
	return 0;
}

/* Document metadata and the identifying parts of statements are structure,
 * not zib content. */
static int is_structural(const xmlNode *n)
{
	const xmlNode *p = n->parent;
	const char *name = (const char *)n->name;

	if (!is_hl7(n))
		return 0;
	if (!strcmp(name, "templateId") || !strcmp(name, "typeId") || !strcmp(name, "realmCode") ||
	    !strcmp(name, "statusCode"))
		return 1;
	if (is_named(p, "ClinicalDocument"))
		return !strcmp(name, "id") || !strcmp(name, "code") || !strcmp(name, "title") ||
			!strcmp(name, "effectiveTime") || !strcmp(name, "confidentialityCode") ||
			!strcmp(name, "languageCode") || !strcmp(name, "setId") || !strcmp(name, "versionNumber");
	if (is_named(p, "section"))
		return !strcmp(name, "code") || !strcmp(name, "title") || !strcmp(name, "text");
	if (is_statement(p))
		return !strcmp(name, "code") || !strcmp(name, "id");
	return 0;
}

static void add_unmapped(struct reader *r, const xmlNode *n, const char *fmt, const char *arg)
{
	char what[512];

	snprintf(what, sizeof(what), fmt, arg);
	if (doc_add_unmapped(r->doc, NULL, line_of(n), path_of(r, n), what) < 0)
		r->failed = 1;
}

/* Content of a template that is no BgZ 2020 or zib template: listed and
 * reported whole, not element by element. */
static void unknown_template(struct reader *r, xmlNode *c, const char *tmpl)
{
	add_unmapped(r, c, "content of unknown template %s", tmpl);
	if (r->report) {
		zib_diag d;
		char path[4096];
		memset(&d, 0, sizeof(d));
		d.severity = ZIB_SEV_WARNING;
		d.code = CDA_CODE_ENTRY_UNKNOWN;
		d.file = r->doc->file;
		d.line = line_of(c);
		d.path = xml_node_path_hl7(c, path, sizeof(path));
		d.actual = tmpl;
		zib_report_addf(r->report, &d, "template %s is not a BgZ 2020 or zib template; "
			"its content is not read", tmpl);
	}
}

/* The scan of what no concept read (map/unread.c walks; the CDA rules
 * are here): elements only, not consumed, not document structure. */
static void *first_child(void *n)
{
	return ((xmlNode *)n)->children;
}

static void *next_sibling(void *n)
{
	return ((xmlNode *)n)->next;
}

static enum map_unread_verdict judge(void *node, void *data)
{
	struct reader *r = data;
	xmlNode *c = node, *t;
	int has_elems = 0, known = 1;
	const char *unknown = NULL;

	if (c->type != XML_ELEMENT_NODE || c->_private == CONSUMED || is_structural(c))
		return MAP_UNREAD_PASS;
	for (t = c->children; t; t = t->next) {
		if (t->type == XML_ELEMENT_NODE)
			has_elems = 1;
		if (is_named(t, "templateId") && cda_attr(t, "root")) {
			if (strmap_get(&r->known, cda_attr(t, "root")))
				known = 2;
			else if (!unknown)
				unknown = cda_attr(t, "root");
		}
	}
	if (unknown && known != 2) {
		unknown_template(r, c, unknown);
		return MAP_UNREAD_PASS;
	}
	if (has_elems)
		return MAP_UNREAD_DESCEND;
	return has_data(r, c) ? MAP_UNREAD_LEAF : MAP_UNREAD_PASS;
}

static void report(void *node, void *data)
{
	add_unmapped(data, node, "'%s' is not mapped to a zib", (const char *)((xmlNode *)node)->name);
}

static const struct map_unread_ops cda_unread = { first_child, next_sibling, judge, report };

static void scan_unmapped(struct reader *r, xmlNode *node)
{
	map_scan_unread(node, &cda_unread, r);
}

/* ---- entry point ---- */

int cda_read(struct zib_doc **out, const zib_ctx *ctx, xmlDoc *xml, const char *file,
	zib_report *report, zib_error *err)
{
	struct reader r;
	xmlNode *root = xmlDocGetRootElement(xml);
	size_t i;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.report = report;
	r.doc = doc_new(ctx, file, ZIB_FORMAT_CDA);
	if (!r.doc)
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
	r.doc->source_version = "BgZ 2020";
	r.xp = xmlXPathNewContext(xml);
	if (!r.xp) {
		zib_doc_free(r.doc);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
	}
	xmlXPathRegisterNs(r.xp, (const xmlChar *)"hl7", (const xmlChar *)NS_HL7);
	xmlXPathRegisterNs(r.xp, (const xmlChar *)"sdtc", (const xmlChar *)NS_SDTC);
	xmlXPathRegisterNs(r.xp, (const xmlChar *)"xsi", (const xmlChar *)NS_XSI);
	reader_setup(&r);
	if (root && is_named(root, "ClinicalDocument")) {
		find_roots(&r, root);
		find_sections(&r, root);
		for (i = 0; i < r.nqueue && !r.failed; i++) {
			struct pending pd = r.queue[i];
			const struct zib_concept *rc = &pd.inst->model->concepts[0];
			int n = map_children(&r, &pd, rc, NULL, pd.node, NULL, pd.node);
			if (n == 0 && pd.optional)
				doc_unlink_instance(r.doc, pd.inst);
		}
		scan_unmapped(&r, root);
	}
	if (r.failed) {
		reader_release(&r);
		zib_doc_free(r.doc);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", file);
	}
	reader_release(&r);
	*out = r.doc;
	return ZIB_OK;
}
