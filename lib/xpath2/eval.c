/*
 * eval: evaluation of compiled expressions over libxml2 trees.  Results are
 * sequences in the run's scratch pool; path results are kept in document
 * order without duplicates.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "xpath2/ast.h"

int xp_error(struct xp_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0])
		return -1;   /* keep the first, innermost message */
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	return -1;
}

void xp_item_str(struct xp_item *it, enum xp_type t, const char *s)
{
	memset(it, 0, sizeof(*it));
	it->type = t;
	it->v.str = s;
}

void xp_item_node(struct xp_item *it, xmlNode *n)
{
	memset(it, 0, sizeof(*it));
	it->type = XP_NODE;
	it->v.node = n;
}

struct xp_item *xp_seq_alloc(struct xp_run *r, struct xp_seq *s, size_t n)
{
	s->n = n;
	s->items = n ? xp_alloc(&r->pool, n * sizeof(struct xp_item)) : NULL;
	if (n && !s->items) {
		s->n = 0;
		xp_error(r, "out of memory");
		return NULL;
	}
	return s->items;
}

int xp_seq_single(struct xp_run *r, struct xp_seq *s, struct xp_item it)
{
	s->items = xp_alloc_raw(&r->pool, sizeof(struct xp_item));
	if (!s->items) {
		s->n = 0;
		return xp_error(r, "out of memory");
	}
	s->n = 1;
	s->items[0] = it;
	return 0;
}

/* A growable sequence in the pool. */
struct seqbuf {
	struct xp_item *items;
	size_t n, cap;
};

static int sb_push(struct xp_run *r, struct seqbuf *b, const struct xp_item *it, size_t count)
{
	if (b->n + count > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct xp_item *ni;
		while (cap < b->n + count)
			cap *= 2;
		ni = xp_alloc_raw(&r->pool, cap * sizeof(*ni));   /* only b->n are read */
		if (!ni)
			return xp_error(r, "out of memory");
		if (b->n)
			memcpy(ni, b->items, b->n * sizeof(*ni));
		b->items = ni;
		b->cap = cap;
	}
	memcpy(b->items + b->n, it, count * sizeof(*it));
	b->n += count;
	return 0;
}

static int sb_push_node(struct xp_run *r, struct seqbuf *b, xmlNode *n)
{
	struct xp_item it;
	xp_item_node(&it, n);
	return sb_push(r, b, &it, 1);
}

/* ---- node strings, order ---- */

static size_t text_len(const xmlNode *n)
{
	size_t len = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			len += c->content ? strlen((const char *)c->content) : 0;
		else if (c->type == XML_ELEMENT_NODE)
			len += text_len(c);
	}
	return len;
}

static char *text_copy(const xmlNode *n, char *p)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			size_t l = strlen((const char *)c->content);
			memcpy(p, c->content, l);
			p += l;
		} else if (c->type == XML_ELEMENT_NODE) {
			p = text_copy(c, p);
		}
	}
	return p;
}

const char *xp_node_string(struct xp_pool *p, const xmlNode *n)
{
	char *s, *e;

	switch (n->type) {
	case XML_ATTRIBUTE_NODE:
		if (n->children && !n->children->next && n->children->content)
			return (const char *)n->children->content;
		if (!n->children)
			return "";
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
	case XML_COMMENT_NODE:
	case XML_PI_NODE:
		return n->content ? (const char *)n->content : "";
	case XML_ELEMENT_NODE:
		/* a single text child needs no copy */
		if (n->children && !n->children->next && n->children->type == XML_TEXT_NODE)
			return n->children->content ? (const char *)n->children->content : "";
		if (!n->children)
			return "";
		break;
	default:
		break;
	}
	if (n->type == XML_DOCUMENT_NODE) {
		const xmlNode *root = xmlDocGetRootElement((xmlDoc *)n);
		return root ? xp_node_string(p, root) : "";
	}
	s = xp_alloc(p, text_len(n) + 1);
	if (!s)
		return "";
	e = text_copy(n, s);
	*e = '\0';
	return s;
}

static int node_cmp(const void *a, const void *b)
{
	xmlNode *x = ((const struct xp_item *)a)->v.node, *y = ((const struct xp_item *)b)->v.node;
	int c;

	if (x == y)
		return 0;
	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	c = xmlXPathCmpNodes(x, y);
	if (c == -2)
		return x < y ? -1 : 1;
	return -c;   /* xmlXPathCmpNodes: 1 when x comes first */
}

/* Sorts nodes into document order and drops duplicates. */
static void xp_sort_nodes(struct xp_seq *s)
{
	size_t i, j;

	if (s->n < 2)
		return;
	/* already sorted and unique?  Common for single-context steps. */
	for (i = 1; i < s->n; i++)
		if (node_cmp(&s->items[i - 1], &s->items[i]) >= 0)
			break;
	if (i == s->n)
		return;
	qsort(s->items, s->n, sizeof(s->items[0]), node_cmp);
	for (i = 1, j = 1; i < s->n; i++)
		if (s->items[i].v.node != s->items[j - 1].v.node)
			s->items[j++] = s->items[i];
	s->n = j;
}

/* ---- effective boolean value, atomization ---- */

int xp_ebv(struct xp_run *r, const struct xp_seq *s)
{
	const struct xp_item *it;

	if (s->n == 0)
		return 0;
	it = &s->items[0];
	if (it->type == XP_NODE)
		return 1;
	if (s->n > 1)
		return xp_error(r, "effective boolean value of a sequence of %zu atomic values", s->n);
	switch (it->type) {
	case XP_BOOLEAN:
		return it->v.b;
	case XP_STRING:
	case XP_UNTYPED:
	case XP_ANYURI:
		return it->v.str[0] != '\0';
	case XP_INTEGER:
		return it->v.i != 0;
	case XP_DECIMAL:
	case XP_DOUBLE:
		return it->v.d != 0 && !isnan(it->v.d);
	default:
		return xp_error(r, "no effective boolean value for %s", xp_type_name(it->type));
	}
}

int xp_atomize(struct xp_run *r, const struct xp_seq *in, struct xp_seq *out)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (in->items[i].type == XP_NODE)
			break;
	if (i == in->n) {
		*out = *in;
		return 0;
	}
	{
		struct xp_seq src = *in;   /* in and out may be the same */
		if (!xp_seq_alloc(r, out, src.n))
			return -1;
		for (i = 0; i < src.n; i++) {
			if (src.items[i].type == XP_NODE)
				xp_item_str(&out->items[i], XP_UNTYPED,
					xp_node_string(&r->pool, src.items[i].v.node));
			else
				out->items[i] = src.items[i];
		}
	}
	return 0;
}

/* ---- axes ---- */

static int test_node(const struct xp_node_test *t, const xmlNode *n, enum xp_axis axis)
{
	switch (t->kind) {
	case T_NODE:
		return 1;
	case T_TEXT:
		return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
	case T_COMMENT:
		return n->type == XML_COMMENT_NODE;
	case T_PI:
		return n->type == XML_PI_NODE;
	case T_ELEMENT:
		return n->type == XML_ELEMENT_NODE;
	case T_ATTRIBUTE:
		return n->type == XML_ATTRIBUTE_NODE;
	case T_DOCUMENT:
		return n->type == XML_DOCUMENT_NODE;
	case T_NAME:
		/* principal node kind: attributes on the attribute axis, else elements */
		if (n->type != (axis == AX_ATTR ? XML_ATTRIBUTE_NODE : XML_ELEMENT_NODE))
			return 0;
		/* first characters before strcmp: most tests fail there */
		if (t->local[0] != '*' || t->local[1]) {
			if (n->name[0] != (xmlChar)t->local[0] ||
			    strcmp((const char *)n->name, t->local) != 0)
				return 0;
		}
		if (t->uri && t->uri[0] == '*' && !t->uri[1])
			return 1;
		if (!t->uri)
			return !n->ns || !n->ns->href || !n->ns->href[0];
		return n->ns && n->ns->href && (n->ns->href == (const xmlChar *)t->uri ||
			strcmp((const char *)n->ns->href, t->uri) == 0);
	}
	return 0;
}

/* test_node for attrindex.c; eval.c calls the static one, which inlines. */
int xp_test_node(const struct xp_node_test *t, const xmlNode *n, enum xp_axis axis)
{
	return test_node(t, n, axis);
}

static int is_tree_node(const xmlNode *n)
{
	switch (n->type) {
	case XML_ELEMENT_NODE:
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
	case XML_COMMENT_NODE:
	case XML_PI_NODE:
		return 1;
	default:
		return 0;
	}
}

static int walk_desc(struct xp_run *r, struct seqbuf *b, xmlNode *n, const struct xp_node_test *t)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (!is_tree_node(c))
			continue;
		if (test_node(t, c, AX_DESC) && sb_push_node(r, b, c) < 0)
			return -1;
		if (c->type == XML_ELEMENT_NODE && c->children && walk_desc(r, b, c, t) < 0)
			return -1;
	}
	return 0;
}

static xmlNode *node_parent(xmlNode *n)
{
	if (n->type == XML_DOCUMENT_NODE)
		return NULL;
	return n->parent;
}

/* Collects the nodes of axis from n that pass the test, in axis order
 * (reverse axes nearest first), so predicates see the right positions. */
static int axis_nodes(struct xp_run *r, struct seqbuf *b, xmlNode *n, enum xp_axis axis,
	const struct xp_node_test *t)
{
	xmlNode *c;

	switch (axis) {
	case AX_CHILD:
		if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
			return 0;
		for (c = n->children; c; c = c->next)
			if (is_tree_node(c) && test_node(t, c, axis) && sb_push_node(r, b, c) < 0)
				return -1;
		return 0;
	case AX_ATTR:
		if (n->type != XML_ELEMENT_NODE)
			return 0;
		for (xmlAttr *a = n->properties; a; a = a->next)
			if (test_node(t, (xmlNode *)a, axis) && sb_push_node(r, b, (xmlNode *)a) < 0)
				return -1;
		return 0;
	case AX_SELF:
		return test_node(t, n, axis) ? sb_push_node(r, b, n) : 0;
	case AX_DESC_SELF:
		if (test_node(t, n, axis) && sb_push_node(r, b, n) < 0)
			return -1;
		/* fall through */
	case AX_DESC:
		if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
			return 0;
		return walk_desc(r, b, n, t);
	case AX_PARENT:
		c = node_parent(n);
		return c && test_node(t, c, axis) ? sb_push_node(r, b, c) : 0;
	case AX_ANC_SELF:
		if (test_node(t, n, axis) && sb_push_node(r, b, n) < 0)
			return -1;
		/* fall through */
	case AX_ANC:
		for (c = node_parent(n); c; c = node_parent(c))
			if (test_node(t, c, axis) && sb_push_node(r, b, c) < 0)
				return -1;
		return 0;
	case AX_FOLL_SIB:
		if (n->type == XML_ATTRIBUTE_NODE)
			return 0;
		for (c = n->next; c; c = c->next)
			if (is_tree_node(c) && test_node(t, c, axis) && sb_push_node(r, b, c) < 0)
				return -1;
		return 0;
	case AX_PREC_SIB:
		if (n->type == XML_ATTRIBUTE_NODE)
			return 0;
		for (c = n->prev; c; c = c->prev)
			if (is_tree_node(c) && test_node(t, c, axis) && sb_push_node(r, b, c) < 0)
				return -1;
		return 0;
	case AX_FOLL: {
		xmlNode *s = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
		if (n->type == XML_ATTRIBUTE_NODE && s && s->children) {
			/* descendants of the owner element follow its attributes */
			if (walk_desc(r, b, s, t) < 0)
				return -1;
		}
		for (; s && s->type != XML_DOCUMENT_NODE; s = s->parent)
			for (c = s->next; c; c = c->next) {
				if (!is_tree_node(c))
					continue;
				if (test_node(t, c, axis) && sb_push_node(r, b, c) < 0)
					return -1;
				if (c->type == XML_ELEMENT_NODE && walk_desc(r, b, c, t) < 0)
					return -1;
			}
		return 0;
	}
	case AX_PREC: {
		/* nodes before n that are not ancestors, nearest first */
		struct seqbuf tmp = { 0 };
		xmlNode *s = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
		for (; s && s->type != XML_DOCUMENT_NODE; s = s->parent)
			for (c = s->prev; c; c = c->prev) {
				size_t start = tmp.n;
				if (!is_tree_node(c))
					continue;
				if (test_node(t, c, axis) && sb_push_node(r, &tmp, c) < 0)
					return -1;
				if (c->type == XML_ELEMENT_NODE && walk_desc(r, &tmp, c, t) < 0)
					return -1;
				/* c then its descendants in document order; reverse that run */
				for (size_t i = start, j = tmp.n; i + 1 < j; i++, j--) {
					struct xp_item x = tmp.items[i];
					tmp.items[i] = tmp.items[j - 1];
					tmp.items[j - 1] = x;
				}
			}
		return tmp.n ? sb_push(r, b, tmp.items, tmp.n) : 0;
	}
	}
	return 0;
}

static int is_reverse(enum xp_axis a)
{
	return a == AX_PARENT || a == AX_ANC || a == AX_ANC_SELF || a == AX_PREC_SIB || a == AX_PREC;
}

/* ---- predicates ---- */

static int plain_attr_step(const struct xp_expr *e)
{
	return e->op == X_STEP && e->axis == AX_ATTR && e->nargs == 0;
}

static int stringlike(enum xp_type t)
{
	return t == XP_STRING || t == XP_UNTYPED || t == XP_ANYURI;
}

/*
 * [@code = $theCode] over many nodes (a value set's concepts): the side
 * without the focus has one value for the whole sequence, so it is
 * evaluated once, and each node's attribute is compared as a string,
 * which is what general comparison does between an attribute's untyped
 * value and strings.  Returns -2 when the shape or the values do not
 * allow it (the caller then evaluates the predicate per node).
 */
static int filter_attr_compare(struct xp_run *r, const struct xp_expr *pred, struct xp_seq *s,
	const struct xp_var *vars)
{
	const struct xp_expr *attr, *other;
	struct xp_seq val;
	size_t i, j = 0, k;

	if (pred->op != X_GCMP || (pred->cmp != '=' && pred->cmp != '!') || pred->strset || s->n < 2)
		return -2;
	if (plain_attr_step(pred->a) && !(pred->b->flags & XF_FOCUS)) {
		attr = pred->a;
		other = pred->b;
	} else if (plain_attr_step(pred->b) && !(pred->a->flags & XF_FOCUS)) {
		attr = pred->b;
		other = pred->a;
	} else {
		return -2;
	}
	for (i = 0; i < s->n; i++)
		if (s->items[i].type != XP_NODE)
			return -2;
	if (xp_eval_full(other, r, &s->items[0], 1, s->n, vars, &val) < 0 ||
		xp_atomize(r, &val, &val) < 0)
		return -1;
	for (k = 0; k < val.n; k++)
		if (!stringlike(val.items[k].type))
			return -2;
	if (pred->cmp == '=') {
		int rc = xp_attr_index_filter(r, &attr->test, s, &val);
		if (rc != -2)
			return rc;
	}
	for (i = 0; i < s->n; i++) {
		xmlNode *n = s->items[i].v.node;
		int keep = 0;
		if (n->type == XML_ELEMENT_NODE)
			for (xmlAttr *a = n->properties; a && !keep; a = a->next) {
				const char *v;
				if (!test_node(&attr->test, (xmlNode *)a, AX_ATTR))
					continue;
				v = xp_node_string(&r->pool, (xmlNode *)a);
				for (k = 0; k < val.n && !keep; k++)
					keep = (strcmp(v, val.items[k].v.str) == 0) == (pred->cmp == '=');
			}
		if (keep)
			s->items[j++] = s->items[i];
	}
	s->n = j;
	return 0;
}

/* Filters s (in place) by one predicate; positions follow s's order. */
static int apply_predicate(struct xp_run *r, const struct xp_expr *pred, struct xp_seq *s,
	const struct xp_var *vars)
{
	size_t i, j = 0, n = s->n;
	int t;

	if (pred->op == X_CONST && pred->cval.n == 1 && xp_is_numeric(pred->cval.items[0].type)) {
		double want = xp_item_number(r, &pred->cval.items[0]);
		if (want >= 1 && want <= (double)n && want == floor(want)) {
			s->items[0] = s->items[(size_t)want - 1];
			s->n = 1;
		} else {
			s->n = 0;
		}
		return 0;
	}
	if ((t = filter_attr_compare(r, pred, s, vars)) != -2)
		return t;
	for (i = 0; i < n; i++) {
		struct xp_seq res;
		struct xp_item it = s->items[i];
		int keep;
		if (xp_eval_full(pred, r, &it, i + 1, n, vars, &res) < 0)
			return -1;
		if (res.n == 1 && xp_is_numeric(res.items[0].type))
			keep = xp_item_number(r, &res.items[0]) == (double)(i + 1);
		else if ((keep = xp_ebv(r, &res)) < 0)
			return -1;
		if (keep)
			s->items[j++] = it;
	}
	s->n = j;
	return 0;
}

static int eval_step(const struct xp_expr *e, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars, struct xp_seq *out)
{
	struct seqbuf b = { 0 };
	size_t i;

	if (axis_nodes(r, &b, n, e->axis, &e->test) < 0)
		return -1;
	out->items = b.items;
	out->n = b.n;
	for (i = 0; i < e->nargs && out->n; i++)
		if (apply_predicate(r, e->args[i], out, vars) < 0)
			return -1;
	if (is_reverse(e->axis) && out->n > 1) {
		for (size_t x = 0, y = out->n - 1; x < y; x++, y--) {
			struct xp_item t = out->items[x];
			out->items[x] = out->items[y];
			out->items[y] = t;
		}
	}
	return 0;
}

/* ---- comparisons ---- */

static int cmp_holds(int cmp, int c)
{
	if (c == 3)
		return cmp == '!';
	switch (cmp) {
	case '=': return c == 0;
	case '!': return c != 0;
	case '<': return c < 0;
	case 'l': return c <= 0;
	case '>': return c > 0;
	case 'g': return c >= 0;
	}
	return 0;
}

static int general_compare(const struct xp_expr *e, struct xp_run *r, struct xp_seq *a,
	struct xp_seq *b)
{
	size_t i, j;

	if (xp_atomize(r, a, a) < 0 || xp_atomize(r, b, b) < 0)
		return -1;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			int c;
			if (xp_compare_atomic(r, &a->items[i], &b->items[j], 1, &c) < 0)
				return -1;
			if (cmp_holds(e->cmp, c))
				return 1;
		}
	return 0;
}

/* '=' against a large constant set of strings: one hash lookup per item. */
static int set_compare(const struct xp_expr *e, struct xp_run *r, struct xp_seq *other,
	struct xp_seq *set)
{
	size_t i;

	if (xp_atomize(r, other, other) < 0)
		return -1;
	for (i = 0; i < other->n; i++) {
		const struct xp_item *it = &other->items[i];
		if (it->type == XP_STRING || it->type == XP_UNTYPED || it->type == XP_ANYURI) {
			if (strmap_get(e->strset, it->v.str))
				return 1;
		} else {
			struct xp_seq one = { 1, (struct xp_item *)it };
			int c = general_compare(e, r, &one, set);
			if (c != 0)
				return c;
		}
	}
	return 0;
}

static int value_compare(const struct xp_expr *e, struct xp_run *r, struct xp_seq *a,
	struct xp_seq *b, struct xp_seq *out)
{
	int c;

	if (xp_atomize(r, a, a) < 0 || xp_atomize(r, b, b) < 0)
		return -1;
	if (a->n == 0 || b->n == 0) {
		out->n = 0;
		return 0;
	}
	if (a->n > 1 || b->n > 1)
		return xp_error(r, "value comparison needs single values, got %zu and %zu", a->n, b->n);
	if (xp_compare_atomic(r, &a->items[0], &b->items[0], 0, &c) < 0)
		return -1;
	return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = cmp_holds(e->cmp, c) });
}

/* ---- arithmetic ---- */

static int arith(const struct xp_expr *e, struct xp_run *r, struct xp_seq *a, struct xp_seq *b,
	struct xp_seq *out)
{
	struct xp_item x, y, res;

	if (xp_atomize(r, a, a) < 0 || xp_atomize(r, b, b) < 0)
		return -1;
	if (a->n == 0 || b->n == 0) {
		out->n = 0;
		return 0;
	}
	if (a->n > 1 || b->n > 1)
		return xp_error(r, "arithmetic on a sequence of more than one value");
	x = a->items[0];
	y = b->items[0];
	if (x.type == XP_UNTYPED && xp_cast(r, &x, XP_DOUBLE, &x) < 0)
		return -1;
	if (y.type == XP_UNTYPED && xp_cast(r, &y, XP_DOUBLE, &y) < 0)
		return -1;
	if (!xp_is_numeric(x.type) || !xp_is_numeric(y.type))
		return xp_error(r, "arithmetic on %s and %s", xp_type_name(x.type), xp_type_name(y.type));
	memset(&res, 0, sizeof(res));
	if (x.type == XP_INTEGER && y.type == XP_INTEGER && e->op != X_DIV) {
		res.type = XP_INTEGER;
		switch (e->op) {
		/* Past 64 bits is an error (FOAR0002), not undefined behaviour
		 * (fuzz_xpath2: 6666 * 662222222222222222). */
		case X_ADD:
			if (__builtin_add_overflow(x.v.i, y.v.i, &res.v.i))
				return xp_error(r, "integer overflow");
			break;
		case X_SUB:
			if (__builtin_sub_overflow(x.v.i, y.v.i, &res.v.i))
				return xp_error(r, "integer overflow");
			break;
		case X_MUL:
			if (__builtin_mul_overflow(x.v.i, y.v.i, &res.v.i))
				return xp_error(r, "integer overflow");
			break;
		case X_IDIV:
		case X_MOD:
			if (y.v.i == 0)
				return xp_error(r, "integer division by zero");
			if (y.v.i == -1 && x.v.i == LLONG_MIN)
				return xp_error(r, "integer overflow");
			res.v.i = e->op == X_IDIV ? x.v.i / y.v.i : x.v.i % y.v.i;
			break;
		default: break;
		}
	} else {
		double dx = xp_item_number(r, &x), dy = xp_item_number(r, &y);
		enum xp_type t = (x.type == XP_DOUBLE || y.type == XP_DOUBLE) ? XP_DOUBLE : XP_DECIMAL;
		res.type = t;
		switch (e->op) {
		case X_ADD: res.v.d = dx + dy; break;
		case X_SUB: res.v.d = dx - dy; break;
		case X_MUL: res.v.d = dx * dy; break;
		case X_DIV:
			if (dy == 0 && t != XP_DOUBLE)
				return xp_error(r, "division by zero");
			res.v.d = dx / dy;
			break;
		case X_IDIV:
			if (dy == 0)
				return xp_error(r, "integer division by zero");
			res.type = XP_INTEGER;
			if (isnan(dx / dy) || !(fabs(dx / dy) < 9.2e18))
				return xp_error(r, "idiv result out of the integer range");
			res.v.i = (long long)trunc(dx / dy);
			break;
		case X_MOD: res.v.d = fmod(dx, dy); break;
		default: break;
		}
	}
	return xp_seq_single(r, out, res);
}

/* ---- sequence type matching ---- */

static int item_matches_type(const struct xp_expr *e, const struct xp_item *it)
{
	if (e->stype_node == -1)
		return 1;
	if (e->stype_node == 1)
		return it->type == XP_NODE && test_node(&e->test, it->v.node,
			e->test.kind == T_NAME && it->v.node->type == XML_ATTRIBUTE_NODE ? AX_ATTR : AX_CHILD);
	if (it->type == XP_NODE)
		return 0;
	if (it->type == e->stype)
		return 1;
	/* xs:integer is a subtype of xs:decimal */
	return e->stype == XP_DECIMAL && it->type == XP_INTEGER;
}

static int occurrence_ok(int occ, size_t n)
{
	switch (occ) {
	case '?': return n <= 1;
	case '*': return 1;
	case '+': return n >= 1;
	default: return n == 1;
	}
}

/* ---- the evaluator ---- */

static int eval_binding(const struct xp_expr *e, struct xp_run *r, const struct xp_item *ctx,
	size_t pos, size_t size, const struct xp_var *vars, struct seqbuf *acc, int *truth)
{
	struct xp_seq in;
	size_t i;

	if (xp_eval_full(e->a, r, ctx, pos, size, vars, &in) < 0)
		return -1;
	for (i = 0; i < in.n; i++) {
		struct xp_var v = { e->name, { 1, &in.items[i] }, vars };
		if (e->op == X_FOR) {
			struct xp_seq res;
			if (xp_eval_full(e->b, r, ctx, pos, size, &v, &res) < 0)
				return -1;
			if (res.n && sb_push(r, acc, res.items, res.n) < 0)
				return -1;
		} else {
			struct xp_seq res;
			int t;
			if (xp_eval_full(e->b, r, ctx, pos, size, &v, &res) < 0)
				return -1;
			if ((t = xp_ebv(r, &res)) < 0)
				return -1;
			if (e->op == X_SOME && t) {
				*truth = 1;
				return 0;
			}
			if (e->op == X_EVERY && !t) {
				*truth = 0;
				return 0;
			}
		}
	}
	if (e->op != X_FOR)
		*truth = e->op == X_EVERY;
	return 0;
}

static int set_op(const struct xp_expr *e, struct xp_run *r, struct xp_seq *a, struct xp_seq *b,
	struct xp_seq *out)
{
	size_t i, j, k = 0;

	for (i = 0; i < a->n; i++)
		if (a->items[i].type != XP_NODE)
			return xp_error(r, "'%s' needs nodes, got %s", e->op == X_UNION ? "union" :
				e->op == X_INTERSECT ? "intersect" : "except", xp_type_name(a->items[i].type));
	for (i = 0; i < b->n; i++)
		if (b->items[i].type != XP_NODE)
			return xp_error(r, "'%s' needs nodes, got %s", e->op == X_UNION ? "union" :
				e->op == X_INTERSECT ? "intersect" : "except", xp_type_name(b->items[i].type));
	if (e->op == X_UNION) {
		if (!xp_seq_alloc(r, out, a->n + b->n) && a->n + b->n)
			return -1;
		if (a->n)
			memcpy(out->items, a->items, a->n * sizeof(*a->items));
		if (b->n)
			memcpy(out->items + a->n, b->items, b->n * sizeof(*b->items));
		xp_sort_nodes(out);
		return 0;
	}
	xp_sort_nodes(a);
	xp_sort_nodes(b);
	if (!xp_seq_alloc(r, out, a->n) && a->n)
		return -1;
	for (i = 0; i < a->n; i++) {
		int found = 0;
		for (j = 0; j < b->n; j++)
			if (a->items[i].v.node == b->items[j].v.node) {
				found = 1;
				break;
			}
		if (found == (e->op == X_INTERSECT))
			out->items[k++] = a->items[i];
	}
	out->n = k;
	return 0;
}

int xp_eval_full(const struct xp_expr *e, struct xp_run *r, const struct xp_item *ctx,
	size_t pos, size_t size, const struct xp_var *vars, struct xp_seq *out)
{
	struct xp_seq a, b;
	int t;

	out->n = 0;
	out->items = NULL;
	switch (e->op) {
	case X_CONST:
		*out = e->cval;
		return 0;
	case X_SEQ: {
		struct seqbuf sb = { 0 };
		for (size_t i = 0; i < e->nargs; i++) {
			if (xp_eval_full(e->args[i], r, ctx, pos, size, vars, &a) < 0)
				return -1;
			if (a.n && sb_push(r, &sb, a.items, a.n) < 0)
				return -1;
		}
		out->items = sb.items;
		out->n = sb.n;
		return 0;
	}
	case X_FOR:
	case X_SOME:
	case X_EVERY: {
		struct seqbuf sb = { 0 };
		int truth = 0;
		if (eval_binding(e, r, ctx, pos, size, vars, &sb, &truth) < 0)
			return -1;
		if (e->op == X_FOR) {
			out->items = sb.items;
			out->n = sb.n;
			return 0;
		}
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = truth });
	}
	case X_IF:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 || (t = xp_ebv(r, &a)) < 0)
			return -1;
		return xp_eval_full(t ? e->b : e->c, r, ctx, pos, size, vars, out);
	case X_OR:
	case X_AND:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 || (t = xp_ebv(r, &a)) < 0)
			return -1;
		if (t == (e->op == X_AND)) {
			if (xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0 || (t = xp_ebv(r, &b)) < 0)
				return -1;
		}
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = t });
	case X_GCMP:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0)
			return -1;
		if (e->strset)
			t = e->strset_side ? set_compare(e, r, &a, &b) : set_compare(e, r, &b, &a);
		else
			t = general_compare(e, r, &a, &b);
		if (t < 0)
			return -1;
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = t });
	case X_VCMP:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0)
			return -1;
		return value_compare(e, r, &a, &b, out);
	case X_IS:
	case X_PRECEDES:
	case X_FOLLOWS:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0)
			return -1;
		if (a.n == 0 || b.n == 0)
			return 0;
		if (a.n > 1 || b.n > 1 || a.items[0].type != XP_NODE || b.items[0].type != XP_NODE)
			return xp_error(r, "node comparison needs single nodes");
		t = node_cmp(&a.items[0], &b.items[0]);
		t = e->op == X_IS ? t == 0 : e->op == X_PRECEDES ? t < 0 : t > 0;
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = t });
	case X_RANGE: {
		long long lo, hi;
		struct xp_item x, y;
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0 ||
			xp_atomize(r, &a, &a) < 0 || xp_atomize(r, &b, &b) < 0)
			return -1;
		if (a.n == 0 || b.n == 0)
			return 0;
		if (xp_cast(r, &a.items[0], XP_INTEGER, &x) < 0 || xp_cast(r, &b.items[0], XP_INTEGER, &y) < 0)
			return -1;
		lo = x.v.i;
		hi = y.v.i;
		if (hi < lo)
			return 0;
		/* hi - lo itself may overflow (-9e18 to 9e18): compare halves. */
		if ((lo < 0 && hi > LLONG_MAX + lo) || hi - lo > 10000000)
			return xp_error(r, "range too large");
		if (!xp_seq_alloc(r, out, (size_t)(hi - lo + 1)))
			return -1;
		for (long long i = lo; i <= hi; i++)
			out->items[i - lo] = (struct xp_item){ .type = XP_INTEGER, .v.i = i };
		return 0;
	}
	case X_ADD:
	case X_SUB:
	case X_MUL:
	case X_DIV:
	case X_IDIV:
	case X_MOD:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0)
			return -1;
		return arith(e, r, &a, &b, out);
	case X_NEG: {
		struct xp_item zero = { .type = XP_INTEGER, .v.i = 0 };
		struct xp_seq z = { 1, &zero };
		struct xp_expr sub = *e;
		sub.op = X_SUB;
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0)
			return -1;
		return arith(&sub, r, &z, &a, out);
	}
	case X_UNION:
	case X_INTERSECT:
	case X_EXCEPT:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 ||
			xp_eval_full(e->b, r, ctx, pos, size, vars, &b) < 0)
			return -1;
		return set_op(e, r, &a, &b, out);
	case X_INSTANCE:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0)
			return -1;
		if (e->stype_node == -2) {
			t = a.n == 0;
		} else {
			t = occurrence_ok(e->occ, a.n);
			for (size_t i = 0; t && i < a.n; i++)
				t = item_matches_type(e, &a.items[i]);
		}
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = t });
	case X_TREAT:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, out) < 0)
			return -1;
		if (!occurrence_ok(e->occ, out->n))
			return xp_error(r, "treat as: wrong number of items");
		for (size_t i = 0; i < out->n; i++)
			if (!item_matches_type(e, &out->items[i]))
				return xp_error(r, "treat as: item of the wrong type");
		return 0;
	case X_CASTABLE:
	case X_CAST:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0 || xp_atomize(r, &a, &a) < 0)
			return -1;
		if (e->op == X_CASTABLE) {
			if (a.n > 1)
				t = 0;
			else if (a.n == 0)
				t = e->occ == '?';
			else
				t = xp_castable(r, &a.items[0], e->stype);
			return xp_seq_single(r, out, (struct xp_item){ .type = XP_BOOLEAN, .v.b = t });
		}
		if (a.n == 0) {
			if (e->occ == '?')
				return 0;
			return xp_error(r, "cast of an empty sequence");
		}
		if (a.n > 1)
			return xp_error(r, "cast of a sequence of %zu items", a.n);
		if (!xp_seq_alloc(r, out, 1))
			return -1;
		return xp_cast(r, &a.items[0], e->stype, &out->items[0]);
	case X_ROOT: {
		xmlNode *n;
		if (!ctx || ctx->type != XP_NODE)
			return xp_error(r, "'/' needs a context node");
		n = ctx->v.node;
		while (n->parent && n->type != XML_DOCUMENT_NODE)
			n = n->parent;
		if (n->type != XML_DOCUMENT_NODE && n->doc)
			n = (xmlNode *)n->doc;
		return xp_seq_single(r, out, (struct xp_item){ .type = XP_NODE, .v.node = n });
	}
	case X_SLASH: {
		struct seqbuf sb = { 0 };
		size_t i, nodes = 0;
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0)
			return -1;
		for (i = 0; i < a.n; i++) {
			if (a.items[i].type != XP_NODE)
				return xp_error(r, "'/' applied to %s, not a node", xp_type_name(a.items[i].type));
			if (e->b->op == X_STEP) {
				if (eval_step(e->b, r, a.items[i].v.node, vars, &b) < 0)
					return -1;
			} else if (xp_eval_full(e->b, r, &a.items[i], i + 1, a.n, vars, &b) < 0) {
				return -1;
			}
			if (b.n && sb_push(r, &sb, b.items, b.n) < 0)
				return -1;
		}
		out->items = sb.items;
		out->n = sb.n;
		for (i = 0; i < out->n; i++)
			nodes += out->items[i].type == XP_NODE;
		if (nodes && nodes != out->n)
			return xp_error(r, "path result mixes nodes and atomic values");
		if (nodes && a.n > 1)
			xp_sort_nodes(out);
		return 0;
	}
	case X_STEP:
		if (!ctx || ctx->type != XP_NODE)
			return xp_error(r, "a path step needs a context node");
		return eval_step(e, r, ctx->v.node, vars, out);
	case X_FILTER:
		if (xp_eval_full(e->a, r, ctx, pos, size, vars, &a) < 0)
			return -1;
		/* work on a copy: the primary may be a constant */
		if (!xp_seq_alloc(r, out, a.n) && a.n)
			return -1;
		if (a.n)
			memcpy(out->items, a.items, a.n * sizeof(*a.items));
		for (size_t i = 0; i < e->nargs && out->n; i++)
			if (apply_predicate(r, e->args[i], out, vars) < 0)
				return -1;
		return 0;
	case X_VAR:
		for (const struct xp_var *v = vars; v; v = v->next)
			if (strcmp(v->name, e->name) == 0) {
				*out = v->value;
				return 0;
			}
		return xp_error(r, "variable '$%s' is not defined", e->name);
	case X_CONTEXT:
		if (!ctx)
			return xp_error(r, "no context item for '.'");
		return xp_seq_single(r, out, *ctx);
	case X_CALL:
		return e->fn->fn(e, r, ctx, pos, size, vars, out);
	}
	return xp_error(r, "internal: unknown expression");
}

int xp_eval(const struct xp_expr *e, struct xp_run *r, const struct xp_item *ctx,
	const struct xp_var *vars, struct xp_seq *out)
{
	return xp_eval_full(e, r, ctx, 1, 1, vars, out);
}

int xp_eval_bool(const struct xp_expr *e, struct xp_run *r, xmlNode *ctx, const struct xp_var *vars)
{
	struct xp_item it;
	struct xp_seq s;

	xp_item_node(&it, ctx);
	if (xp_eval_full(e, r, &it, 1, 1, vars, &s) < 0)
		return -1;
	return xp_ebv(r, &s);
}

const char *xp_eval_string(const struct xp_expr *e, struct xp_run *r, xmlNode *ctx,
	const struct xp_var *vars)
{
	struct xp_item it;
	struct xp_seq s;
	size_t i, len = 0;
	const char **parts;
	char *out, *p;

	xp_item_node(&it, ctx);
	if (xp_eval_full(e, r, &it, 1, 1, vars, &s) < 0)
		return NULL;
	if (s.n == 1)
		return xp_item_string(r, &s.items[0]);
	parts = xp_alloc(&r->pool, (s.n + 1) * sizeof(*parts));
	if (!parts)
		return NULL;
	for (i = 0; i < s.n; i++) {
		parts[i] = xp_item_string(r, &s.items[i]);
		len += strlen(parts[i]) + 1;
	}
	out = p = xp_alloc(&r->pool, len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < s.n; i++) {
		size_t l = strlen(parts[i]);
		if (i)
			*p++ = ' ';
		memcpy(p, parts[i], l);
		p += l;
	}
	*p = '\0';
	return out;
}
