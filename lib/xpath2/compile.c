/*
 * compile: parse, then fold what does not depend on the document (above
 * all doc('voc-....xml')//valueSet[1]/... vocabulary look-ups, which
 * ART-DECOR repeats in thousands of tests), turn '=' against a big
 * constant set into one hash lookup, and precompile literal regular
 * expressions.  Also XSLT match patterns, used for rule contexts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpath2/ast.h"

/* Checks that e is usable as a match pattern; 0 ok, -1 with errmsg. */
static int xp_pattern_check(const struct xp_expr *pat, char *errmsg, size_t errsize);

struct xp_expr *xp_parse_tree(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize);

static void for_children(struct xp_expr *e, void (*fn)(struct xp_expr *, const struct xp_static *),
	const struct xp_static *st)
{
	if (e->a)
		fn(e->a, st);
	if (e->b)
		fn(e->b, st);
	if (e->c)
		fn(e->c, st);
	for (size_t i = 0; i < e->nargs; i++)
		fn(e->args[i], st);
}

static int children_flags(const struct xp_expr *e)
{
	int f = 0;
	if (e->a)
		f |= e->a->flags;
	if (e->b)
		f |= e->b->flags;
	if (e->c)
		f |= e->c->flags;
	for (size_t i = 0; i < e->nargs; i++)
		f |= e->args[i]->flags;
	return f;
}

static int preds_flags(const struct xp_expr *e)
{
	int f = 0;
	for (size_t i = 0; i < e->nargs; i++)
		f |= e->args[i]->flags;
	return f & ~XF_FOCUS;
}

void xp_expr_free(struct xp_expr *e);

static void compute_flags(struct xp_expr *e, const struct xp_static *st)
{
	for_children(e, compute_flags, st);
	switch (e->op) {
	case X_CONST:
		e->flags = 0;
		break;
	case X_VAR:
		e->flags = XF_DYN;
		for (const struct xp_var *v = st->constants; v; v = v->next)
			if (strcmp(v->name, e->name) == 0) {
				e->op = X_CONST;
				e->cval = v->value;
				e->flags = 0;
				break;
			}
		break;
	case X_CONTEXT:
	case X_ROOT:
		e->flags = XF_FOCUS;
		break;
	case X_STEP:
		e->flags = XF_FOCUS | preds_flags(e);
		break;
	case X_SLASH:
		e->flags = e->a->flags | (e->b->flags & ~XF_FOCUS);
		break;
	case X_FILTER:
		e->flags = e->a->flags | preds_flags(e);
		break;
	case X_FOR:
	case X_SOME:
	case X_EVERY:
		e->flags = children_flags(e) | XF_DYN;
		break;
	case X_CALL:
		e->flags = children_flags(e) | (e->fn->context_free ? 0 : XF_FOCUS | XF_DYN);
		break;
	default:
		e->flags = children_flags(e);
		break;
	}
}

static const char *arena_copy_str(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* Evaluates a document-independent expression now and keeps the result. */
static void fold(struct xp_expr *e, const struct xp_static *st)
{
	struct xp_run r;
	struct xp_seq s;

	if (e->flags != 0 || e->op == X_CONST) {
		if (e->op != X_CONST)
			for_children(e, fold, st);
		return;
	}
	xp_run_init(&r, st->docs);
	r.base_dir = st->base_dir;
	if (xp_eval(e, &r, NULL, NULL, &s) == 0) {
		struct xp_item *items = s.n ? arena_alloc(st->arena, s.n * sizeof(*items)) : NULL;
		if (!s.n || items) {
			for (size_t i = 0; i < s.n; i++) {
				items[i] = s.items[i];
				if (items[i].type != XP_NODE && items[i].type != XP_BOOLEAN &&
					items[i].type != XP_INTEGER && items[i].type != XP_DECIMAL &&
					items[i].type != XP_DOUBLE)
					items[i].v.str = arena_copy_str(st->arena, items[i].v.str);
				items[i].uri = arena_copy_str(st->arena, items[i].uri);
			}
			xp_expr_free(e);
			e->op = X_CONST;
			e->cval.n = s.n;
			e->cval.items = items;
			e->a = e->b = e->c = NULL;
			e->nargs = 0;
		}
	} else {
		/* leave it: the error, if it matters, shows at run time */
		for_children(e, fold, st);
	}
	xp_run_release(&r);
}

/* '=' against many constant strings: a hash set instead of n comparisons. */
static void index_sets(struct xp_expr *e, const struct xp_static *st)
{
	for_children(e, index_sets, st);
	if (e->op != X_GCMP || e->cmp != '=')
		return;
	for (int side = 0; side < 2; side++) {
		struct xp_expr *c = side ? e->b : e->a;
		struct strmap *set;
		struct xp_pool pool = { 0 };
		size_t i;

		if (c->op != X_CONST || c->cval.n < 4)
			continue;
		for (i = 0; i < c->cval.n; i++) {
			enum xp_type t = c->cval.items[i].type;
			if (t != XP_NODE && t != XP_STRING && t != XP_UNTYPED && t != XP_ANYURI)
				break;
		}
		if (i < c->cval.n)
			continue;
		set = arena_alloc(st->arena, sizeof(*set));
		if (!set)
			return;
		strmap_init(set, 0);
		for (i = 0; i < c->cval.n; i++) {
			const struct xp_item *it = &c->cval.items[i];
			const char *k = it->type == XP_NODE ? arena_strdup(st->arena,
				xp_node_string(&pool, it->v.node)) : it->v.str;
			if (k)
				strmap_put(set, k, (void *)1);
		}
		xp_pool_release(&pool);
		e->strset = set;
		e->strset_side = side;
		return;
	}
}

/* Literal regular expressions are compiled once, here; a bad one is a
 * compile error of the expression. */
static int precompile_regex(struct xp_expr *e, char *errmsg, size_t errsize)
{
	if (e->a && precompile_regex(e->a, errmsg, errsize) < 0)
		return -1;
	if (e->b && precompile_regex(e->b, errmsg, errsize) < 0)
		return -1;
	if (e->c && precompile_regex(e->c, errmsg, errsize) < 0)
		return -1;
	for (size_t i = 0; i < e->nargs; i++)
		if (precompile_regex(e->args[i], errmsg, errsize) < 0)
			return -1;
	if (e->op == X_CALL && e->name && !e->regex && e->nargs >= 2 &&
		(strcmp(e->name, "matches") == 0 || strcmp(e->name, "replace") == 0 ||
		strcmp(e->name, "tokenize") == 0) && e->args[1]->op == X_CONST &&
		e->args[1]->cval.n == 1 && e->args[1]->cval.items[0].type == XP_STRING) {
		size_t fi = strcmp(e->name, "replace") == 0 ? 3 : 2;
		const char *flags = "";
		if (e->nargs > fi) {
			if (e->args[fi]->op != X_CONST || e->args[fi]->cval.n != 1 ||
				e->args[fi]->cval.items[0].type != XP_STRING)
				return 0;
			flags = e->args[fi]->cval.items[0].v.str;
		}
		e->regex = xp_regex_compile(e->args[1]->cval.items[0].v.str, flags, errmsg, errsize);
		if (!e->regex)
			return -1;
	}
	return 0;
}

void xp_expr_free(struct xp_expr *e)
{
	if (!e)
		return;
	xp_expr_free(e->a);
	xp_expr_free(e->b);
	xp_expr_free(e->c);
	for (size_t i = 0; i < e->nargs; i++)
		xp_expr_free(e->args[i]);
	if (e->regex)
		xp_regex_free(e->regex);
	e->regex = NULL;
	if (e->strset)
		strmap_release(e->strset);
	e->strset = NULL;
}

/* a//b with b a plain child step is descendant::b: no per-node detour. */
static void simplify_desc(struct xp_expr *e, const struct xp_static *st)
{
	for_children(e, simplify_desc, st);
	if (e->op == X_SLASH && e->b->op == X_SLASH && e->b->a->op == X_STEP &&
		e->b->a->axis == AX_DESC_SELF && e->b->a->test.kind == T_NODE && e->b->a->nargs == 0 &&
		e->b->b->op == X_STEP && e->b->b->axis == AX_CHILD && e->b->b->nargs == 0) {
		struct xp_expr *step = e->b->b;
		step->axis = AX_DESC;
		e->b = step;
	}
}

static struct xp_expr *compile(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize, int pattern)
{
	struct xp_expr *e = xp_parse_tree(src, st, errmsg, errsize);

	if (!e)
		return NULL;
	if (pattern && xp_pattern_check(e, errmsg, errsize) < 0)
		return NULL;
	if (!pattern)
		simplify_desc(e, st);
	compute_flags(e, st);
	if (precompile_regex(e, errmsg, errsize) < 0) {
		xp_expr_free(e);
		return NULL;
	}
	fold(e, st);
	index_sets(e, st);
	return e;
}

struct xp_expr *xp_compile(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize)
{
	return compile(src, st, errmsg, errsize, 0);
}

struct xp_expr *xp_compile_pattern(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize)
{
	return compile(src, st, errmsg, errsize, 1);
}

/* ---- runs ---- */

void xp_run_init(struct xp_run *r, struct xp_docs *docs)
{
	memset(r, 0, sizeof(*r));
	strmap_init(&r->regex_cache, 0);
	r->docs = docs;
}

void xp_run_release(struct xp_run *r)
{
	for (size_t i = 0; i < r->regex_cache.cap; i++)
		if (r->regex_cache.slots && r->regex_cache.slots[i].key) {
			xp_regex_free(r->regex_cache.slots[i].value);
			free((void *)r->regex_cache.slots[i].key);
		}
	strmap_release(&r->regex_cache);
	xp_pool_release(&r->pool);
}

/* ---- XSLT match patterns ---- */

static int is_dslash(const struct xp_expr *e)
{
	return e->op == X_STEP && e->axis == AX_DESC_SELF && e->test.kind == T_NODE && e->nargs == 0;
}

static int xp_pattern_check(const struct xp_expr *p, char *errmsg, size_t errsize)
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
static int surely_boolean(const struct xp_expr *e)
{
	static const char *const bool_fns[] = { "not", "exists", "empty", "matches", "contains",
		"starts-with", "ends-with", "true", "false", "boolean", NULL };
	switch (e->op) {
	case X_OR: case X_AND: case X_GCMP: case X_VCMP: case X_IS: case X_PRECEDES:
	case X_FOLLOWS: case X_INSTANCE: case X_CASTABLE: case X_UNION: case X_INTERSECT:
	case X_EXCEPT: case X_STEP: case X_ROOT: case X_SOME: case X_EVERY:
		return 1;
	case X_SLASH:
		return surely_boolean(e->b);
	case X_FILTER:
		return surely_boolean(e->a);
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

static int step_test(const struct xp_expr *s, xmlNode *n)
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
			if (!step_test(at, (xmlNode *)a))
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
			if (c->type != XML_ELEMENT_NODE || !step_test(e, c))
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

/* The predicates of a pattern step, on node n. */
static int step_preds(const struct xp_expr *s, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars)
{
	size_t i;
	int positional = 0;

	for (i = 0; i < s->nargs; i++)
		if (!surely_boolean(s->args[i]))
			positional = 1;
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
		if (!step_test(p, n) || !pattern_parent(n))
			return 0;
		return step_preds(p, r, n, vars);
	case X_SLASH:
		if (p->b->op == X_STEP) {
			xmlNode *parent;
			s = p->b;
			if (!step_test(s, n) || !(parent = pattern_parent(n)))
				return 0;
			if ((t = match_alt(p->a, r, parent, vars)) <= 0)
				return t;
			return step_preds(s, r, n, vars);
		}
		s = p->b->b;
		if (!step_test(s, n))
			return 0;
		for (xmlNode *anc = pattern_parent(n); anc; anc = pattern_parent(anc)) {
			if ((t = match_alt(p->a, r, anc, vars)) < 0)
				return -1;
			if (t)
				return step_preds(s, r, n, vars);
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
