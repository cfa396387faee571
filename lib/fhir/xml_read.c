/*
 * FHIR XML -> element tree.  core/xml.h parses (no network, no DTD loading,
 * no entity substitution) and notes each element's column, which
 * libxml2's tree does not keep.  Then one
 * walk builds the tree, checking every element against the structure
 * table: unknown elements, stray text and attributes are findings.
 */
#include <string.h>


#include "core/buf.h"
#include "core/error.h"
#include "core/xml.h"
#include "fhir/tree.h"
#include "fhir/xhtml.h"

#define FHIR_NS "http://hl7.org/fhir"

struct xml_reader {
	struct zib_fhir *t;
	struct fhir_tree_src *src;
	struct buf scratch;
	int first_comment_line;
};

static int node_col(const xmlNode *n)
{
	return xml_node_column(n);
}

static int node_line(struct xml_reader *r, const xmlNode *n)
{
	return (int)xmlGetLineNo(n) + r->src->first_line - 1;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* The text of an attribute: libxml2 keeps it as one text child. */
static const char *attr_text(struct xml_reader *r, const xmlAttr *a, size_t *len)
{
	const xmlNode *c = a->children;
	xmlChar *v;
	char *copy;

	if (!c) {
		*len = 0;
		return "";
	}
	if (c->type == XML_TEXT_NODE && !c->next && c->content) {
		*len = strlen((const char *)c->content);
		return arena_strndup(&r->t->arena, (const char *)c->content, *len);
	}
	v = xmlNodeListGetString(a->doc, c, 1);
	*len = v ? strlen((char *)v) : 0;
	copy = arena_strndup(&r->t->arena, v ? (char *)v : "", *len);
	xmlFree(v);
	return copy;
}

static void xml_err(struct xml_reader *r, const xmlNode *at, struct fhir_node *parent,
	const char *name, const char *code, const char *fmt, const char *a1, const char *a2)
{
	char path[1024];
	size_t n;

	fhir_node_path(parent, path, sizeof(path));
	if (name) {
		n = strlen(path);
		snprintf(path + n, sizeof(path) - n, ".%s", name);
	}
	fhir_diag(r->src, ZIB_SEV_ERROR, code, node_line(r, at), node_col(at), path, fmt, a1, a2);
}

static int is_fhir_ns(const xmlNode *n)
{
	return n->ns && strcmp((const char *)n->ns->href, FHIR_NS) == 0;
}

static void read_children(struct xml_reader *r, struct fhir_node *parent, const xmlNode *x,
	int depth);

/* Attributes of a FHIR element: only the table's XML attributes (id, url)
 * and, on a primitive, value. */
static void read_attributes(struct xml_reader *r, struct fhir_node *node, const xmlNode *x)
{
	const struct fhir_type *tt = node->type ? node->type : r->t->prim_type;
	const xmlAttr *a;

	for (a = x->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const struct fhir_elem *def;
		size_t len;

		if (a->ns && !node->parent && strcmp(name, "schemaLocation") == 0 &&
		    strcmp((const char *)a->ns->href, "http://www.w3.org/2001/XMLSchema-instance") == 0) {
			if (r->src->tolerant)
				continue;
			fhir_diag(r->src, ZIB_SEV_WARNING, FHIR_CODE_SCHEMA_LOC, node_line(r, x),
				node_col(x), NULL, "xsi:schemaLocation dropped: it has no FHIR JSON form");
			continue;
		}
		if (a->ns) {
			xml_err(r, x, node, NULL, FHIR_CODE_XML_FORM,
				"attribute '%s:%s' has no FHIR meaning", (const char *)a->ns->prefix, name);
			continue;
		}
		if ((node->kind == FHIR_K_PRIM || r->src->tolerant) && strcmp(name, "value") == 0) {
			const char *why;
			node->value = attr_text(r, a, &len);
			node->value_len = len;
			if (node->kind == FHIR_K_PRIM && (why = fhir_check_prim(node->def, node->value, len)) != NULL)
				xml_err(r, x, node, NULL, FHIR_CODE_VALUE, "value '%s' is %s",
					node->value, why);
			continue;
		}
		def = node->kind == FHIR_K_RESOURCE ? NULL :
			fhir_type_elem(r->t->defs, tt, name, strlen(name));
		if (!def || def->kind != FHIR_K_ATTR || (node->kind == FHIR_K_PRIM && strcmp(name, "id"))) {
			xml_err(r, x, node, NULL, FHIR_CODE_XML_FORM, "unknown attribute '%s'%s", name, "");
			continue;
		}
		{
			struct fhir_node *an = fhir_node_add(r->t, node, def, node_line(r, x), node_col(x));
			if (!an)
				return;
			an->value = attr_text(r, a, &len);
			an->value_len = len;
		}
	}
}

/* The one resource element inside contained, entry.resource, ... */
static void read_inner_resource(struct xml_reader *r, struct fhir_node *node, const xmlNode *x,
	int depth)
{
	const xmlNode *c, *res = NULL;

	for (c = x->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE) {
			if (!r->t->comments++)
				r->first_comment_line = node_line(r, c);
		} else if (c->type == XML_ELEMENT_NODE) {
			if (res) {
				xml_err(r, c, node, NULL, FHIR_CODE_NO_RTYPE,
					"more than one resource in '%s'%s", node->name, "");
				return;
			}
			res = c;
		} else if (c->type == XML_TEXT_NODE && !is_blank((const char *)c->content)) {
			xml_err(r, c, node, NULL, FHIR_CODE_XML_FORM, "text in '%s'%s", node->name, "");
		}
	}
	if (!res) {
		xml_err(r, x, node, NULL, FHIR_CODE_NO_RTYPE, "no resource in '%s'%s", node->name, "");
		return;
	}
	node->type = is_fhir_ns(res) ? fhir_resource_type(r->t->defs, (const char *)res->name) : NULL;
	if (!node->type && r->src->tolerant && is_fhir_ns(res)) {
		node->value = arena_strdup(&r->t->arena, (const char *)res->name);
		read_children(r, node, res, depth + 1);
		return;
	}
	if (!node->type) {
		xml_err(r, res, node, NULL, FHIR_CODE_NO_RTYPE, "'%s' is not a FHIR resource%s",
			(const char *)res->name, "");
		return;
	}
	if (res->properties)
		read_attributes(r, node, res);
	read_children(r, node, res, depth + 1);
}

/* Tolerant mode: an element the table does not know, kept by name with its
 * value attribute, other attributes (url, id) as FHIR_K_ATTR children, and
 * its child elements (generic too). */
static void read_generic(struct xml_reader *r, struct fhir_node *parent, const xmlNode *x,
	int depth)
{
	struct fhir_node *n = arena_alloc(&r->t->arena, sizeof(*n));
	const xmlAttr *a;
	size_t len;

	if (!n)
		return;
	n->name = arena_strdup(&r->t->arena, (const char *)x->name);
	n->kind = FHIR_K_GENERIC;
	n->line = node_line(r, x);
	n->column = node_col(x);
	n->parent = parent;
	n->order = parent->last ? parent->last->order : 0;
	if (parent->last)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
	for (a = x->properties; a; a = a->next) {
		if (a->ns)
			continue;
		if (strcmp((const char *)a->name, "value") == 0) {
			n->value = attr_text(r, a, &len);
			n->value_len = len;
		} else {
			struct fhir_node *an = arena_alloc(&r->t->arena, sizeof(*an));
			if (!an)
				return;
			an->name = arena_strdup(&r->t->arena, (const char *)a->name);
			an->kind = FHIR_K_ATTR;
			an->line = n->line;
			an->column = n->column;
			an->parent = n;
			an->value = attr_text(r, a, &len);
			an->value_len = len;
			an->next = n->children;
			n->children = an;
			if (!n->last)
				n->last = an;
		}
	}
	read_children(r, n, x, depth + 1);
}

static void read_element(struct xml_reader *r, struct fhir_node *parent, const xmlNode *x,
	int depth)
{
	const struct fhir_type *tt = parent->type ? parent->type : r->t->prim_type;
	const char *name = (const char *)x->name;
	const struct fhir_elem *def;
	struct fhir_node *node;
	const char *why;

	if (r->src->tolerant) {
		if (!is_fhir_ns(x))
			return;   /* narrative or foreign markup: no zib content */
		if (FHIR_NODE_IS_GENERIC(parent)) {
			read_generic(r, parent, x, depth);
			return;
		}
	}
	def = fhir_type_elem(r->t->defs, tt, name, strlen(name));
	if (r->src->tolerant && (!def || def->kind == FHIR_K_ATTR ||
	    (!parent->type && strcmp(name, "extension") != 0))) {
		read_generic(r, parent, x, depth);
		return;
	}
	if (def && def->kind == FHIR_K_XHTML) {
		if (!x->ns || strcmp((const char *)x->ns->href, XHTML_NS) != 0) {
			xml_err(r, x, parent, name, FHIR_CODE_XHTML,
				"narrative '%s' is not in the XHTML namespace%s", name, "");
			return;
		}
	} else if (!is_fhir_ns(x)) {
		xml_err(r, x, parent, name, FHIR_CODE_XML_FORM, "element '%s' is not in the FHIR namespace%s",
			name, "");
		return;
	}
	if (!def || def->kind == FHIR_K_ATTR ||
	    (!parent->type && strcmp(name, "extension") != 0)) {
		xml_err(r, x, parent, name, FHIR_CODE_UNKNOWN, "unknown element '%s' in %s", name,
			parent->type ? parent->type->name : "a primitive");
		return;
	}
	if (fhir_node_choice_taken(parent, def)) {
		xml_err(r, x, parent, name, FHIR_CODE_DUP_KEY,
			"'%s': a choice element [x] has one value, and '%s' is given too", name,
			fhir_node_choice_taken(parent, def)->name);
		return;
	}
	/* Found by fuzz_fhir: a second <meta> was kept, and JSON has no form
	 * for it (a duplicate key, or a value dropped).  Tolerant reading
	 * (zibs from FHIR) keeps both, as published examples have it. */
	if (!r->src->tolerant && !def->repeats && fhir_node_child(parent, def)) {
		xml_err(r, x, parent, name, FHIR_CODE_ARRAY,
			"'%s' does not repeat: one element, not several%s", name, "");
		return;
	}
	node = fhir_node_add(r->t, parent, def, node_line(r, x), node_col(x));
	if (!node)
		return;
	switch (def->kind) {
	case FHIR_K_XHTML:
		buf_reset(&r->scratch);
		why = fhir_xhtml_dump(&r->scratch, x);
		if (why) {
			xml_err(r, x, parent, name, FHIR_CODE_XHTML, "%s%s", why, "");
			return;
		}
		node->value = arena_strndup(&r->t->arena, r->scratch.data ? r->scratch.data : "",
			r->scratch.len);
		node->value_len = r->scratch.len;
		return;
	case FHIR_K_RESOURCE:
		if (x->properties)
			read_attributes(r, node, x);
		read_inner_resource(r, node, x, depth);
		return;
	default:
		if (x->properties)
			read_attributes(r, node, x);
		read_children(r, node, x, depth + 1);
		if (def->kind == FHIR_K_PRIM && !node->value && !node->children)
			xml_err(r, x, parent, name, FHIR_CODE_EMPTY,
				"primitive '%s' has no value, id or extension%s", name, "");
	}
}

static void read_children(struct xml_reader *r, struct fhir_node *parent, const xmlNode *x,
	int depth)
{
	const xmlNode *c;

	if (depth > FHIR_MAX_DEPTH) {
		xml_err(r, x, parent, NULL, FHIR_CODE_TOO_DEEP, "nesting deeper than %s%s", "256", "");
		return;
	}
	for (c = x->children; c; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			read_element(r, parent, c, depth);
			break;
		case XML_TEXT_NODE:
			if (!is_blank((const char *)c->content))
				xml_err(r, c, parent, NULL, FHIR_CODE_XML_FORM,
					"text content in '%s'%s (FHIR XML keeps values in value=\"\")",
					parent->name, "");
			break;
		case XML_CDATA_SECTION_NODE:
			xml_err(r, c, parent, NULL, FHIR_CODE_XML_FORM, "CDATA in '%s'%s", parent->name, "");
			break;
		case XML_COMMENT_NODE:
			if (!r->t->comments++)
				r->first_comment_line = node_line(r, c);
			break;
		default:
			break;
		}
	}
}

int fhir_read_xml(struct zib_fhir *t, const char *data, size_t len, struct fhir_tree_src *src,
	zib_error *err)
{
	xmlDocPtr doc = NULL;
	int rc;

	if (xml_parse_columns(&doc, data, len, src->file ? src->file : "-", src->report, err) < 0) {
		/* xml_parse reported the findings (ZIB-XML-*). */
		src->errors++;
		return ZIB_EPARSE;
	}
	rc = fhir_read_xml_doc(t, doc, src, err);
	xmlFreeDoc(doc);
	return rc;
}

int fhir_read_xml_doc(struct zib_fhir *t, const void *parsed, struct fhir_tree_src *src,
	zib_error *err)
{
	const xmlDoc *doc = parsed;
	struct xml_reader r;
	xmlNodePtr root;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.src = src;
	root = xmlDocGetRootElement(doc);
	if (!root || !is_fhir_ns(root) || (!fhir_resource_type(t->defs, (const char *)root->name) &&
	    !src->tolerant)) {
		fhir_diag(src, ZIB_SEV_ERROR, FHIR_CODE_NO_RTYPE, root ? node_line(&r, root) : 1,
			root ? node_col(root) : 0, NULL,
			root && is_fhir_ns(root) ? "root element '%s' is not a FHIR resource" :
			"root element '%s' is not in the FHIR namespace (" FHIR_NS ")",
			root ? (const char *)root->name : "");
		rc = error_set(err, ZIB_EPARSE, "%s: not a FHIR resource", src->file ? src->file : "-");
		goto done;
	}
	{
		const xmlNode *c;
		for (c = doc->children; c; c = c->next)
			if (c->type == XML_COMMENT_NODE && !t->comments++)
				r.first_comment_line = node_line(&r, c);
	}
	t->root = arena_alloc(&t->arena, sizeof(*t->root));
	if (!t->root) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
		goto done;
	}
	t->root->type = fhir_resource_type(t->defs, (const char *)root->name);
	t->root->name = t->root->type ? t->root->type->name : arena_strdup(&t->arena, (const char *)root->name);
	if (!t->root->type)
		t->root->value = t->root->name;
	t->root->kind = FHIR_K_RESOURCE;
	t->root->line = node_line(&r, root);
	t->root->column = node_col(root);
	if (root->properties)
		read_attributes(&r, t->root, root);
	read_children(&r, t->root, root, 0);
	if (t->comments && !src->tolerant)
		fhir_diag(src, ZIB_SEV_WARNING, FHIR_CODE_COMMENT, r.first_comment_line, 0, NULL,
			"%d XML comment%s dropped: comments have no FHIR JSON form", t->comments,
			t->comments == 1 ? "" : "s");
	if (r.scratch.oom)
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
done:
	buf_release(&r.scratch);
	return rc;
}
