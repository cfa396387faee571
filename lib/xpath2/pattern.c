/*
 * pattern: XSLT match patterns (Schematron rule contexts) tested on one
 * node, from the node upwards.  The whole-rule-set matcher (patset.c)
 * uses the step test and predicate parts of this file for each step.
 */
#include <stdio.h>
#include <string.h>

#include "xpath2/ast.h"

static int is_dslash(const struct xp_expr *e)
{
	return e->op == X_STEP && e->axis == AX_DESC_SELF && e->test.kind == T_NODE && e->nargs == 0;
}

int xp_pattern_check(const struct xp_expr *p, char *errmsg, size_t errsize)
{
	switch (p->op) {
	case X_UNION:
		if (xp_pattern_check(p->a, errmsg, errsize) < 0)
			return -1;
		return xp_pattern_check(p->b, errmsg, errsize);
	case X_ROOT:
		return 0;
	case X_STEP:
		if (p->axis == AX_CHILD || p->axis == AX_ATTR)
			return 0;
		break;
	case X_SLASH:
		if (p->b->op == X_STEP && (p->b->axis == AX_CHILD || p->b->axis == AX_ATTR))
			return xp_pattern_check(p->a, errmsg, errsize);
		if (p->b->op == X_SLASH && is_dslash(p->b->a) && p->b->b->op == X_STEP &&
			(p->b->b->axis == AX_CHILD || p->b->b->axis == AX_ATTR))
			return xp_pattern_check(p->a, errmsg, errsize);
		break;
	default:
		break;
	}
	snprintf(errmsg, errsize, "not a valid XSLT match pattern (only child and attribute "
		"steps, '/', '//' and '|' are allowed)");
	return -1;
}

int xp_pattern_alternatives(const struct xp_expr *p, const struct xp_expr ***alts, size_t *nalts,
	struct arena *a)
{
	size_t n = 0, cap = 4;
	const struct xp_expr **v = arena_alloc(a, cap * sizeof(*v));
	const struct xp_expr *stack[64];
	size_t sp = 0;

	if (!v)
		return -1;
	stack[sp++] = p;
	while (sp) {
		const struct xp_expr *e = stack[--sp];
		if (e->op == X_UNION && sp + 2 <= 64) {
			stack[sp++] = e->b;
			stack[sp++] = e->a;
			continue;
		}
		if (n == cap) {
			const struct xp_expr **nv = arena_alloc(a, cap * 2 * sizeof(*nv));
			if (!nv)
				return -1;
			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[n++] = e;
	}
	*alts = v;
	*nalts = n;
	return 0;
}

static const struct xp_expr *last_step(const struct xp_expr *p)
{
	if (p->op == X_STEP)
		return p;
	if (p->op == X_SLASH)
		return p->b->op == X_STEP ? p->b : p->b->b;
	return NULL;
}

int xp_pattern_target(const struct xp_expr *alt, const char **uri, const char **local)
{
	const struct xp_expr *s;

	*uri = *local = NULL;
	if (alt->op == X_ROOT)
		return 'd';
	s = last_step(alt);
	if (!s)
		return 'n';
	if (s->axis == AX_ATTR)
		return 'a';
	if (s->test.kind == T_NAME) {
		*uri = s->test.uri;
		*local = s->test.local;
		if ((*uri && strcmp(*uri, "*") == 0) || strcmp(*local, "*") == 0)
			*local = "*";
		return 'e';
	}
	if (s->test.kind == T_ELEMENT) {
		*local = "*";
		return 'e';
	}
	return 'n';
}

/* Predicates that surely yield a boolean (or nodes): no positional meaning. */
int xp_surely_boolean(const struct xp_expr *e)
{
	static const char *const bool_fns[] = { "not", "exists", "empty", "matches", "contains",
		"starts-with", "ends-with", "true", "false", "boolean", NULL };
	switch (e->op) {
	case X_OR: case X_AND: case X_GCMP: case X_VCMP: case X_IS: case X_PRECEDES:
	case X_FOLLOWS: case X_INSTANCE: case X_CASTABLE: case X_UNION: case X_INTERSECT:
	case X_EXCEPT: case X_STEP: case X_ROOT: case X_SOME: case X_EVERY:
		return 1;
	case X_SLASH:
		return xp_surely_boolean(e->b);
	case X_FILTER:
		return xp_surely_boolean(e->a);
	case X_CONST:
		return e->cval.n != 1 || !xp_is_numeric(e->cval.items[0].type);
	case X_CALL:
		for (size_t i = 0; bool_fns[i]; i++)
			if (strcmp(e->name, bool_fns[i]) == 0)
				return 1;
		return 0;
	default:
		return 0;
	}
}

static xmlNode *pattern_parent(xmlNode *n)
{
	if (n->type == XML_DOCUMENT_NODE)
		return NULL;
	return n->parent;
}

int xp_step_test(const struct xp_expr *s, xmlNode *n)
{
	if (s->axis == AX_ATTR) {
		if (n->type != XML_ATTRIBUTE_NODE)
			return 0;
	} else if (n->type == XML_ATTRIBUTE_NODE || n->type == XML_DOCUMENT_NODE) {
		return 0;
	}
	switch (s->test.kind) {
	case T_NAME:
		if (s->test.local[0] != '*' || s->test.local[1])
			if (n->name[0] != (xmlChar)s->test.local[0] ||
			    strcmp((const char *)n->name, s->test.local) != 0)
				return 0;
		if (s->test.uri && s->test.uri[0] == '*' && !s->test.uri[1])
			return 1;
		if (!s->test.uri)
			return !n->ns || !n->ns->href || !n->ns->href[0];
		return n->ns && n->ns->href && strcmp((const char *)n->ns->href, s->test.uri) == 0;
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
		return 0;
	}
	return 0;
}

/* The string value of attribute a when it is plain text; NULL otherwise. */
static const char *attr_text(const xmlAttr *a)
{
	if (!a->children)
		return "";
	if (a->children->next || a->children->type != XML_TEXT_NODE)
		return NULL;
	return (const char *)a->children->content;
}

/*
 * A fast path for the predicates ART-DECOR puts on almost every rule
 * context, hl7:observation[hl7:templateId[@root = '...']] and
 * hl7:code[(@code = '...' and @codeSystem = '...')]: child steps by name
 * whose predicates are of the same kinds, '=' between an attribute and
 * string constants, and/or.  Returns the effective boolean value, or -2
 * for any other shape (the caller then uses the evaluator).  It saves
 * building sequences for thousands of context tests per document.
 */
static int fast_ebv(const struct xp_expr *e, xmlNode *n)
{
	int t;

	switch (e->op) {
	case X_AND:
	case X_OR:
		if ((t = fast_ebv(e->a, n)) == -2)
			return -2;
		if (e->op == X_AND ? !t : t)
			return t;
		return fast_ebv(e->b, n);
	case X_GCMP: {
		const struct xp_expr *at = e->a, *c = e->b;
		if (e->cmp != '=' || at->op != X_STEP || at->axis != AX_ATTR || at->test.kind != T_NAME ||
		    at->nargs || c->op != X_CONST || !c->cval.n)
			return -2;
		for (size_t i = 0; i < c->cval.n; i++)
			if (c->cval.items[i].type != XP_STRING)
				return -2;
		if (n->type != XML_ELEMENT_NODE)
			return 0;
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *v;
			if (!xp_step_test(at, (xmlNode *)a))
				continue;
			if (!(v = attr_text(a)))
				return -2;
			for (size_t i = 0; i < c->cval.n; i++)
				if (strcmp(v, c->cval.items[i].v.str) == 0)
					return 1;
		}
		return 0;
	}
	case X_STEP:
		if (e->axis != AX_CHILD || e->test.kind != T_NAME)
			return -2;
		if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
			return 0;
		for (xmlNode *c = n->children; c; c = c->next) {
			size_t i;
			if (c->type != XML_ELEMENT_NODE || !xp_step_test(e, c))
				continue;
			for (i = 0; i < e->nargs; i++) {
				if ((t = fast_ebv(e->args[i], c)) == -2)
					return -2;
				if (!t)
					break;
			}
			if (i == e->nargs)
				return 1;
		}
		return 0;
	default:
		return -2;
	}
}

int xp_step_preds_boolean(const struct xp_expr *s)
{
	for (size_t i = 0; i < s->nargs; i++)
		if (!xp_surely_boolean(s->args[i]))
			return 0;
	return 1;
}

/* The predicates of a pattern step, on node n; positional: some predicate
 * may yield a number (a position), so the step is evaluated from the
 * parent. */
int xp_step_preds_as(const struct xp_expr *s, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars, int positional)
{
	size_t i;

	if (!positional) {
		struct xp_item it;
		xp_item_node(&it, n);
		for (i = 0; i < s->nargs; i++) {
			struct xp_seq res;
			int t = fast_ebv(s->args[i], n);
			if (t == 0)
				return 0;
			if (t == 1)
				continue;
			if (xp_eval_full(s->args[i], r, &it, 1, 1, vars, &res) < 0)
				return -1;
			if ((t = xp_ebv(r, &res)) <= 0)
				return t;
		}
		return 1;
	} else {
		/* evaluate the step from the parent and look for n in the result */
		xmlNode *p = pattern_parent(n);
		struct xp_item pit;
		struct xp_seq res;
		struct xp_expr step = *s;
		if (!p)
			return 0;
		xp_item_node(&pit, p);
		if (xp_eval_full(&step, r, &pit, 1, 1, vars, &res) < 0)
			return -1;
		for (i = 0; i < res.n; i++)
			if (res.items[i].v.node == n)
				return 1;
		return 0;
	}
}

int xp_step_preds(const struct xp_expr *s, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars)
{
	return xp_step_preds_as(s, r, n, vars, !xp_step_preds_boolean(s));
}

static int match_alt(const struct xp_expr *p, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars)
{
	const struct xp_expr *s;
	int t;

	switch (p->op) {
	case X_ROOT:
		return n->type == XML_DOCUMENT_NODE;
	case X_UNION:
		if ((t = match_alt(p->a, r, n, vars)) != 0)
			return t;
		return match_alt(p->b, r, n, vars);
	case X_STEP:
		if (!xp_step_test(p, n) || !pattern_parent(n))
			return 0;
		return xp_step_preds(p, r, n, vars);
	case X_SLASH:
		if (p->b->op == X_STEP) {
			xmlNode *parent;
			s = p->b;
			if (!xp_step_test(s, n) || !(parent = pattern_parent(n)))
				return 0;
			if ((t = match_alt(p->a, r, parent, vars)) <= 0)
				return t;
			return xp_step_preds(s, r, n, vars);
		}
		s = p->b->b;
		if (!xp_step_test(s, n))
			return 0;
		for (xmlNode *anc = pattern_parent(n); anc; anc = pattern_parent(anc)) {
			if ((t = match_alt(p->a, r, anc, vars)) < 0)
				return -1;
			if (t)
				return xp_step_preds(s, r, n, vars);
		}
		return 0;
	default:
		return 0;
	}
}

int xp_pattern_matches(const struct xp_expr *pat, struct xp_run *r, xmlNode *node,
	const struct xp_var *vars)
{
	xmlNode *saved = r->current;
	int t;

	r->current = node;
	t = match_alt(pat, r, node, vars);
	r->current = saved;
	return t;
}
