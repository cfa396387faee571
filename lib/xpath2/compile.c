/*
 * compile: parse, then fold what does not depend on the document (above
 * all doc('voc-....xml')//valueSet[1]/... vocabulary look-ups, which
 * ART-DECOR repeats in thousands of tests), turn '=' against a big
 * constant set into one hash lookup, and precompile literal regular
 * expressions.  Also XSLT match patterns, used for rule contexts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpath2/ast.h"

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

/* ---- the fold cache ---- */

#define FOLD_BUCKETS 4096

/* A folded subexpression: a copy of its node as it was (its children are
 * not touched once it is folded) and its value; or, by value, the hash
 * set that index_sets made of it. */
struct fold_entry {
	struct fold_entry *next;
	uint64_t hash;
	struct xp_expr key;
	struct xp_seq val;
	struct strmap *strset;
};

struct xp_fold_cache {
	struct fold_entry *by_expr[FOLD_BUCKETS];
	struct fold_entry *by_items[FOLD_BUCKETS];
};

struct xp_fold_cache *xp_fold_cache_new(void)
{
	return calloc(1, sizeof(struct xp_fold_cache));
}

void xp_fold_cache_free(struct xp_fold_cache *c)
{
	free(c);
}

static size_t items_bucket(const struct xp_item *items)
{
	uint64_t h = (uint64_t)(uintptr_t)items * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 52) & (FOLD_BUCKETS - 1);
}

static struct fold_entry *fold_find(const struct xp_fold_cache *c, const struct xp_expr *e,
	uint64_t h)
{
	for (struct fold_entry *f = c->by_expr[h & (FOLD_BUCKETS - 1)]; f; f = f->next)
		if (f->hash == h && xp_expr_equal(&f->key, e))
			return f;
	return NULL;
}

static struct fold_entry *fold_by_items(const struct xp_fold_cache *c,
	const struct xp_item *items)
{
	if (!c || !items)
		return NULL;
	for (struct fold_entry *f = c->by_items[items_bucket(items)]; f; f = f->next)
		if (f->val.items == items)
			return f;
	return NULL;
}

static void fold_remember(struct xp_fold_cache *c, struct arena *a, const struct xp_expr *e,
	uint64_t h, struct xp_seq val)
{
	struct fold_entry *f = arena_alloc(a, sizeof(*f));
	struct fold_entry *g = arena_alloc(a, sizeof(*g));

	if (!f || !g)
		return;   /* only sharing is lost */
	f->hash = h;
	f->key = *e;
	/* what xp_expr_free releases is not the key's: it is never compared */
	f->key.regex = NULL;
	f->key.strset = NULL;
	f->val = val;
	f->next = c->by_expr[h & (FOLD_BUCKETS - 1)];
	c->by_expr[h & (FOLD_BUCKETS - 1)] = f;
	if (!val.items)
		return;
	*g = *f;
	g->next = c->by_items[items_bucket(val.items)];
	c->by_items[items_bucket(val.items)] = g;
}

static void become_const(struct xp_expr *e, struct xp_seq val)
{
	xp_expr_free(e);
	e->op = X_CONST;
	e->cval = val;
	e->a = e->b = e->c = NULL;
	e->nargs = 0;
}

/* Evaluates a document-independent expression now and keeps the result. */
static void fold(struct xp_expr *e, const struct xp_static *st)
{
	struct xp_run r;
	struct xp_seq s;
	struct fold_entry *hit;
	uint64_t h = 0;

	if (e->flags != 0 || e->op == X_CONST) {
		if (e->op != X_CONST)
			for_children(e, fold, st);
		return;
	}
	if (st->folds) {
		h = xp_expr_hash(e);
		if ((hit = fold_find(st->folds, e, h))) {
			become_const(e, hit->val);
			return;
		}
	}
	xp_run_init(&r, st->docs);
	r.base_dir = st->base_dir;
	if (xp_eval(e, &r, NULL, NULL, &s) == 0) {
		struct xp_item *items = s.n ? arena_alloc(st->arena, s.n * sizeof(*items)) : NULL;
		if (!s.n || items) {
			struct xp_seq val = { 0 };
			for (size_t i = 0; i < s.n; i++) {
				items[i] = s.items[i];
				if (items[i].type != XP_NODE && items[i].type != XP_BOOLEAN &&
					items[i].type != XP_INTEGER && items[i].type != XP_DECIMAL &&
					items[i].type != XP_DOUBLE)
					items[i].v.str = arena_copy_str(st->arena, items[i].v.str);
				items[i].uri = arena_copy_str(st->arena, items[i].uri);
			}
			val.n = s.n;
			val.items = items;
			if (st->folds)
				fold_remember(st->folds, st->arena, e, h, val);
			become_const(e, val);
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
		struct fold_entry *fe;
		size_t i;

		if (c->op != X_CONST || c->cval.n < 4)
			continue;
		/* the same folded value elsewhere: its set too */
		if ((fe = fold_by_items(st->folds, c->cval.items)) && fe->strset) {
			e->strset = fe->strset;
			e->strset_side = side;
			return;
		}
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
		if ((fe = fold_by_items(st->folds, c->cval.items)))
			fe->strset = set;
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

static int uses_position(const struct xp_expr *e)
{
	if (!e)
		return 0;
	if (e->op == X_CALL && e->name && (strcmp(e->name, "position") == 0 ||
		strcmp(e->name, "last") == 0))
		return 1;
	if (uses_position(e->a) || uses_position(e->b) || uses_position(e->c))
		return 1;
	for (size_t i = 0; i < e->nargs; i++)
		if (uses_position(e->args[i]))
			return 1;
	return 0;
}

/*
 * doc('voc.xml')//valueSet[1][conceptList/concept[@code = $theCode]]: the
 * last step's first predicates do not depend on variables, the later ones
 * do, so the whole path was evaluated (a walk over the vocabulary file)
 * for every test.  Split it into (doc('voc.xml')//valueSet[1])[...]: the
 * inner path folds to its nodes once, the filter runs per test.  The same
 * nodes pass either way when the later predicates are plain tests (no
 * position, no last()), and the path keeps document order.
 *
 * split_step makes e, a path ending in step, (path with step's first
 * predicates)[the later predicates].
 */
static void split_step(struct xp_expr *e, struct xp_expr *step, const struct xp_static *st)
{
	struct xp_expr *inner, *dup;
	size_t j;

	for (j = 0; j < step->nargs && !(step->args[j]->flags & XF_DYN); j++)
		;
	if (j == step->nargs)
		return;
	for (size_t i = j; i < step->nargs; i++)
		if (!xp_surely_boolean(step->args[i]) || uses_position(step->args[i]))
			return;
	/* e becomes a filter over a copy of itself that keeps the first j */
	inner = arena_alloc(st->arena, sizeof(*inner));
	dup = arena_alloc(st->arena, sizeof(*dup));
	if (!inner || !dup)
		return;
	*inner = *e;
	*dup = *step;
	dup->nargs = j;
	if (e->b == step) {
		inner->b = dup;
	} else {
		struct xp_expr *slash = arena_alloc(st->arena, sizeof(*slash));
		if (!slash)
			return;
		*slash = *e->b;
		slash->b = dup;
		inner->b = slash;
	}
	memset(e, 0, sizeof(*e));
	e->op = X_FILTER;
	e->a = inner;
	e->args = step->args + j;
	e->nargs = step->nargs - j;
}

static void split_preds(struct xp_expr *e, const struct xp_static *st)
{
	struct xp_expr *step;

	/* the whole path first: once split, its inner steps have nothing left */
	if (e->op == X_SLASH && e->a->flags == 0) {
		step = e->b->op == X_STEP ? e->b : e->b->op == X_SLASH && e->b->b->op == X_STEP ?
			e->b->b : NULL;
		if (step && (e->b == step || !(e->b->a->flags & XF_DYN)))
			split_step(e, step, st);
	}
	for_children(e, split_preds, st);
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
	if (!pattern) {
		split_preds(e, st);
		compute_flags(e, st);
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
	xp_attr_indexes_release(r);
	xp_pool_release(&r->pool);
}

