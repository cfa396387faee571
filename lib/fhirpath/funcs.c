/*
 * funcs: the function table and the functions on collections: existence,
 * filtering and projection, subsetting, combining, tree navigation,
 * utility, aggregate and the type functions.
 */
#include <stdlib.h>
#include <string.h>

#include "fhirpath/funcs.h"

/* ---- argument helpers ---- */

int fp_arg(struct fp_eval *ev, const struct fp_ast *n, int i, const struct fp_frame *fr,
	struct fp_coll *out)
{
	return fp_eval_node(ev, n->args[i], fr, out);
}

int fp_arg_single(struct fp_eval *ev, const struct fp_ast *n, int i,
	const struct fp_frame *fr, fp_val *out)
{
	struct fp_coll c = { 0 };

	if (fp_arg(ev, n, i, fr, &c))
		return -1;
	return fp_singleton(ev, n->args[i], &c, out);
}

/* Argument i as one value of the given kind: 1; 0 when empty; -1 (an
 * error naming the argument) for another kind. */
static int arg_of_kind(struct fp_eval *ev, const struct fp_ast *n, int i,
	const struct fp_frame *fr, enum fhirpath_kind kind, const char *what, fp_val *v)
{
	int r = fp_arg_single(ev, n, i, fr, v);

	if (r > 0 && v->kind != kind)
		return fp_fail(ev, n->args[i], "%s() expects %s argument", n->name, what);
	return r;
}

int fp_arg_string(struct fp_eval *ev, const struct fp_ast *n, int i,
	const struct fp_frame *fr, const char **s, size_t *len)
{
	fp_val v;
	int r = arg_of_kind(ev, n, i, fr, FHIRPATH_STRING, "a string", &v);

	if (r > 0) {
		*s = v.s;
		*len = v.len;
	}
	return r;
}

int fp_arg_int(struct fp_eval *ev, const struct fp_ast *n, int i, const struct fp_frame *fr,
	long long *out)
{
	fp_val v;
	int r = arg_of_kind(ev, n, i, fr, FHIRPATH_INTEGER, "an integer", &v);

	if (r > 0)
		*out = v.i;
	return r;
}

int fp_input_string(struct fp_eval *ev, const struct fp_ast *n, const struct fp_coll *in,
	const char **s, size_t *len)
{
	fp_val v;
	int r = fp_singleton(ev, n, in, &v);

	if (r <= 0)
		return r;
	if (v.kind != FHIRPATH_STRING)
		return fp_fail(ev, n, "%s() needs a string, not %s", n->name,
			fhirpath_value_type(&in->v[0]));
	*s = v.s;
	*len = v.len;
	return 1;
}

const char *fp_arg_type_name(struct fp_eval *ev, const struct fp_ast *a)
{
	if (a->kind == A_IDENT && !a->left)
		return a->name;
	if (a->kind == A_IDENT && a->left && a->left->kind == A_IDENT && !a->left->left)
		return arena_printf(ev->arena, "%s.%s", a->left->name, a->name);
	return NULL;
}

/* Evaluates arg i once per input item, with $this and $index set. */
static int each(struct fp_eval *ev, const struct fp_ast *n, int i, const struct fp_frame *fr,
	const fp_val *item, size_t index, struct fp_coll *out)
{
	struct fp_coll one = { 0 };
	struct fp_frame f;

	one.v = (fp_val *)item;
	one.n = one.cap = 1;
	f.this_ = &one;
	f.index = (long long)index;
	f.total = fr->total;
	return fp_eval_node(ev, n->args[i], &f, out);
}

static int copy(struct fp_eval *ev, const struct fp_coll *in, size_t from, size_t to,
	struct fp_coll *out)
{
	size_t i;

	for (i = from; i < to && i < in->n; i++)
		if (fp_push(ev, out, &in->v[i]))
			return -1;
	return 0;
}

/* ---- existence ---- */

static int f_empty(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return fp_push_bool(ev, out, in->n == 0);
}

/* The criterion of where(), exists() and all() (argument 0) on item i:
 * *b is 1, 0, or -1 when empty.  0, or -1 on error. */
static int criterion(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, size_t i, int *b)
{
	struct fp_coll r = { 0 };

	if (each(ev, n, 0, fr, &in->v[i], i, &r))
		return -1;
	return fp_singleton_bool(ev, n->args[0], &r, b);
}

static int f_where(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;
	int b;

	for (i = 0; i < in->n; i++) {
		if (criterion(ev, n, fr, in, i, &b))
			return -1;
		if (b == 1 && fp_push(ev, out, &in->v[i]))
			return -1;
	}
	return 0;
}

static int f_exists(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll w = { 0 };

	if (n->nargs == 0)
		return fp_push_bool(ev, out, in->n > 0);
	if (f_where(ev, n, fr, in, &w))
		return -1;
	return fp_push_bool(ev, out, w.n > 0);
}

static int f_all(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;
	int b;

	for (i = 0; i < in->n; i++) {
		if (criterion(ev, n, fr, in, i, &b))
			return -1;
		if (b != 1)
			return fp_push_bool(ev, out, 0);
	}
	return fp_push_bool(ev, out, 1);
}

/* allTrue, anyTrue, allFalse, anyFalse: want is the value sought, all
 * whether every item must have it. */
static int bools(struct fp_eval *ev, const struct fp_ast *n, const struct fp_coll *in,
	struct fp_coll *out, int want, int all)
{
	size_t i;
	fp_val v;

	for (i = 0; i < in->n; i++) {
		if (fp_prim(ev, &in->v[i], &v) != 1 || v.kind != FHIRPATH_BOOLEAN)
			return fp_fail(ev, n, "%s() needs booleans", n->name);
		if (all && v.i != want)
			return fp_push_bool(ev, out, 0);
		if (!all && v.i == want)
			return fp_push_bool(ev, out, 1);
	}
	return fp_push_bool(ev, out, all);
}

static int f_alltrue(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return bools(ev, n, in, out, 1, 1);
}

static int f_anytrue(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return bools(ev, n, in, out, 1, 0);
}

static int f_allfalse(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return bools(ev, n, in, out, 0, 1);
}

static int f_anyfalse(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return bools(ev, n, in, out, 0, 0);
}

static int subset(struct fp_eval *ev, const struct fp_coll *a, const struct fp_coll *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!fp_contains_item(ev, b, &a->v[i]))
			return 0;
	return 1;
}

static int f_subsetof(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };

	if (fp_arg(ev, n, 0, fr, &o))
		return -1;
	return fp_push_bool(ev, out, subset(ev, in, &o));
}

static int f_supersetof(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };

	if (fp_arg(ev, n, 0, fr, &o))
		return -1;
	return fp_push_bool(ev, out, subset(ev, &o, in));
}

static int f_count(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return fp_push_int(ev, out, (long long)in->n);
}

static int f_distinct(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll none = { 0 };

	return fp_union(ev, in, &none, out);
}

static int f_isdistinct(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll none = { 0 }, d = { 0 };

	if (fp_union(ev, in, &none, &d))
		return -1;
	return fp_push_bool(ev, out, d.n == in->n);
}

/* ---- filtering and projection ---- */

static int f_select(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (each(ev, n, 0, fr, &in->v[i], i, out))
			return -1;
	return 0;
}

static int same_item(struct fp_eval *ev, const fp_val *a, const fp_val *b)
{
	if (a->kind == FHIRPATH_NODE || b->kind == FHIRPATH_NODE)
		return a->kind == b->kind && a->node == b->node;
	return fp_equal(ev, a, b) == 1;
}

static int f_repeat(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll work = { 0 };
	size_t i, j, k;

	if (copy(ev, in, 0, in->n, &work))
		return -1;
	for (i = 0; i < work.n; i++) {
		struct fp_coll r = { 0 };
		if (each(ev, n, 0, fr, &work.v[i], i, &r))
			return -1;
		for (j = 0; j < r.n; j++) {
			for (k = 0; k < out->n && !same_item(ev, &out->v[k], &r.v[j]); k++)
				;
			if (k < out->n)
				continue;
			if (fp_push(ev, out, &r.v[j]) || fp_push(ev, &work, &r.v[j]))
				return -1;
		}
		if (out->n > 5000)
			return fp_fail(ev, n, "repeat() does not end");
	}
	return 0;
}

static int f_oftype(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *name = fp_arg_type_name(ev, n->args[0]), *ns, *base;
	size_t i;

	if (!name || !fp_type_resolve(ev, name, &ns, &base))
		return fp_fail(ev, n->args[0], "unknown type '%s'", name ? name : "?");
	for (i = 0; i < in->n; i++)
		if (fp_is_type(ev, &in->v[i], ns, base, 1) && fp_push(ev, out, &in->v[i]))
			return -1;
	return 0;
}

static int f_is(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *name = fp_arg_type_name(ev, n->args[0]), *ns, *base;
	int as = n->name[0] == 'a';

	if (!name || !fp_type_resolve(ev, name, &ns, &base))
		return fp_fail(ev, n->args[0], "unknown type '%s'", name ? name : "?");
	if (in->n == 0)
		return 0;
	if (in->n > 1)
		return fp_fail(ev, n, "%s() takes a single item, found %zu", n->name, in->n);
	if (!as)
		return fp_push_bool(ev, out, fp_is_type(ev, &in->v[0], ns, base, 0));
	if (fp_is_type(ev, &in->v[0], ns, base, 1))
		return fp_push(ev, out, &in->v[0]);
	return 0;
}

static int f_type(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		fp_val t;
		memset(&t, 0, sizeof(t));
		t.kind = FHIRPATH_TYPEINFO;
		if (in->v[i].kind == FHIRPATH_NODE) {
			t.ns = "FHIR";
			t.s = in->v[i].ftype ? in->v[i].ftype : in->v[i].node->name;
		} else {
			t.ns = "System";
			t.s = fp_system_type(&in->v[i]);
		}
		t.len = strlen(t.s);
		if (fp_push(ev, out, &t))
			return -1;
	}
	return 0;
}

/* ---- subsetting ---- */

static int f_single(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	if (in->n > 1)
		return fp_fail(ev, n, "single() on %zu items", in->n);
	return copy(ev, in, 0, 1, out);
}

static int f_first(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return copy(ev, in, 0, 1, out);
}

static int f_last(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return in->n ? copy(ev, in, in->n - 1, in->n, out) : 0;
}

static int f_tail(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return copy(ev, in, 1, in->n, out);
}

static int f_skip(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	long long k;
	int r = fp_arg_int(ev, n, 0, fr, &k);

	if (r <= 0)
		return r;
	return copy(ev, in, k < 0 ? 0 : (size_t)k, in->n, out);
}

static int f_take(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	long long k;
	int r = fp_arg_int(ev, n, 0, fr, &k);

	if (r <= 0)
		return r;
	return copy(ev, in, 0, k < 0 ? 0 : (size_t)k, out);
}

static int f_intersect(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };
	size_t i;

	if (fp_arg(ev, n, 0, fr, &o))
		return -1;
	for (i = 0; i < in->n; i++)
		if (fp_contains_item(ev, &o, &in->v[i]) && !fp_contains_item(ev, out, &in->v[i]) &&
			fp_push(ev, out, &in->v[i]))
			return -1;
	return 0;
}

static int f_exclude(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };
	size_t i;

	if (fp_arg(ev, n, 0, fr, &o))
		return -1;
	for (i = 0; i < in->n; i++)
		if (!fp_contains_item(ev, &o, &in->v[i]) && fp_push(ev, out, &in->v[i]))
			return -1;
	return 0;
}

/* ---- combining ---- */

static int f_union(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };

	if (fp_arg(ev, n, 0, fr, &o))
		return -1;
	return fp_union(ev, in, &o, out);
}

static int f_combine(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll o = { 0 };

	if (fp_arg(ev, n, 0, fr, &o) || copy(ev, in, 0, in->n, out))
		return -1;
	return copy(ev, &o, 0, o.n, out);
}

/* ---- utility ---- */

static int f_iif(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll c = { 0 };
	struct fp_frame f = *fr;
	int b;

	/* Called on a collection, that collection is $this of the arguments. */
	if (n->left) {
		if (in->n > 1)
			return fp_fail(ev, n, "iif() on %zu items", in->n);
		f.this_ = in;
	}
	if (fp_arg(ev, n, 0, &f, &c))
		return -1;
	if (c.n > 1)
		return fp_fail(ev, n->args[0], "iif() criterion is a collection of %zu", c.n);
	if (fp_singleton_bool(ev, n->args[0], &c, &b))
		return -1;
	if (c.n == 1) {
		fp_val v;
		if (fp_prim(ev, &c.v[0], &v) != 1 || v.kind != FHIRPATH_BOOLEAN)
			return fp_fail(ev, n->args[0], "iif() criterion is not a boolean");
	}
	if (b == 1)
		return fp_arg(ev, n, 1, &f, out);
	if (n->nargs > 2)
		return fp_arg(ev, n, 2, &f, out);
	return 0;
}

static int f_not(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	int b;

	if (fp_singleton_bool(ev, n, in, &b))
		return -1;
	return b < 0 ? 0 : fp_push_bool(ev, out, !b);
}

static int f_children(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (fp_children(ev, &in->v[i], out))
			return -1;
	return 0;
}

static int f_descendants(struct fp_eval *ev, const struct fp_ast *n,
	const struct fp_frame *fr, const struct fp_coll *in, struct fp_coll *out)
{
	size_t i, start = out->n;

	for (i = 0; i < in->n; i++)
		if (fp_children(ev, &in->v[i], out))
			return -1;
	for (i = start; i < out->n; i++) {
		fp_val v = out->v[i];
		if (fp_children(ev, &v, out))
			return -1;
	}
	return 0;
}

static int f_trace(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *name = NULL;
	size_t len = 0;
	int r = fp_arg_string(ev, n, 0, fr, &name, &len);

	if (r < 0)
		return -1;
	if (ev->env->trace) {
		char *nm = arena_strndup(ev->arena, name ? name : "", len);
		struct fp_coll p = { 0 };
		size_t i;
		if (n->nargs > 1) {
			for (i = 0; i < in->n; i++)
				if (each(ev, n, 1, fr, &in->v[i], i, &p))
					return -1;
		} else {
			p = *in;
		}
		ev->env->trace(ev->env->user, nm ? nm : "", p.v, p.n);
	}
	return copy(ev, in, 0, in->n, out);
}

/* ---- aggregate and sort ---- */

static int f_aggregate(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct fp_coll total = { 0 };
	size_t i;

	if (n->nargs > 1 && fp_arg(ev, n, 1, fr, &total))
		return -1;
	for (i = 0; i < in->n; i++) {
		struct fp_coll one = { 0 }, next = { 0 };
		struct fp_frame f;
		one.v = &in->v[i];
		one.n = one.cap = 1;
		f.this_ = &one;
		f.index = (long long)i;
		f.total = &total;
		if (fp_eval_node(ev, n->args[0], &f, &next))
			return -1;
		total = next;
	}
	return copy(ev, &total, 0, total.n, out);
}

struct sort_item {
	const fp_val *v;
	struct fp_coll *keys;
	size_t pos;
};

struct sort_ctx {
	struct fp_eval *ev;
	const struct fp_ast *n;
	int nkeys;
	int *desc;
};

static _Thread_local struct sort_ctx *sort_cx;

static int sort_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int k, c;

	for (k = 0; k < sort_cx->nkeys; k++) {
		const struct fp_coll *ka = &a->keys[k], *kb = &b->keys[k];
		if (ka->n == 0 || kb->n == 0) {
			/* No key sorts first, whichever the direction. */
			c = ka->n == kb->n ? 0 : ka->n == 0 ? -1 : 1;
			if (c)
				return c;
		} else {
			c = fp_compare(sort_cx->ev, &ka->v[0], &kb->v[0]);
			if (c > 1)
				c = 0;
		}
		if (sort_cx->desc[k])
			c = -c;
		if (c)
			return c;
	}
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int f_sort(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	struct sort_item *items;
	struct sort_ctx cx;
	int desc[16], k, nk = n->nargs ? n->nargs : 1;
	size_t i;

	if (in->n == 0)
		return 0;
	items = arena_alloc(ev->arena, in->n * sizeof(*items));
	if (!items)
		return fp_fail(ev, n, "out of memory");
	for (k = 0; k < nk; k++)
		desc[k] = n->nargs && n->args[k]->kind == A_UNARY && n->args[k]->op == '-';
	for (i = 0; i < in->n; i++) {
		items[i].v = &in->v[i];
		items[i].pos = i;
		items[i].keys = arena_alloc(ev->arena, (size_t)nk * sizeof(struct fp_coll));
		if (!items[i].keys)
			return fp_fail(ev, n, "out of memory");
		for (k = 0; k < nk; k++) {
			struct fp_coll one = { 0 };
			struct fp_frame f;
			const struct fp_ast *key;
			if (!n->nargs) {
				if (fp_push(ev, &items[i].keys[k], &in->v[i]))
					return -1;
				continue;
			}
			key = desc[k] ? n->args[k]->left : n->args[k];
			one.v = &in->v[i];
			one.n = one.cap = 1;
			f.this_ = &one;
			f.index = (long long)i;
			f.total = fr->total;
			if (fp_eval_node(ev, key, &f, &items[i].keys[k]))
				return -1;
		}
	}
	cx.ev = ev;
	cx.n = n;
	cx.nkeys = nk;
	cx.desc = desc;
	/* qsort has no context argument: the context is thread-local. */
	sort_cx = &cx;
	qsort(items, in->n, sizeof(*items), sort_cmp);
	sort_cx = NULL;
	for (i = 0; i < in->n; i++)
		if (fp_push(ev, out, items[i].v))
			return -1;
	return 0;
}

const struct fp_func fp_funcs_coll[] = {
	{ "empty", 0, 0, f_empty },
	{ "exists", 0, 1, f_exists },
	{ "all", 1, 1, f_all },
	{ "allTrue", 0, 0, f_alltrue },
	{ "anyTrue", 0, 0, f_anytrue },
	{ "allFalse", 0, 0, f_allfalse },
	{ "anyFalse", 0, 0, f_anyfalse },
	{ "subsetOf", 1, 1, f_subsetof },
	{ "supersetOf", 1, 1, f_supersetof },
	{ "count", 0, 0, f_count },
	{ "distinct", 0, 0, f_distinct },
	{ "isDistinct", 0, 0, f_isdistinct },
	{ "where", 1, 1, f_where },
	{ "select", 1, 1, f_select },
	{ "repeat", 1, 1, f_repeat },
	{ "ofType", 1, 1, f_oftype },
	{ "is", 1, 1, f_is },
	{ "as", 1, 1, f_is },
	{ "type", 0, 0, f_type },
	{ "single", 0, 0, f_single },
	{ "first", 0, 0, f_first },
	{ "last", 0, 0, f_last },
	{ "tail", 0, 0, f_tail },
	{ "skip", 1, 1, f_skip },
	{ "take", 1, 1, f_take },
	{ "intersect", 1, 1, f_intersect },
	{ "exclude", 1, 1, f_exclude },
	{ "union", 1, 1, f_union },
	{ "combine", 1, 1, f_combine },
	{ "iif", 2, 3, f_iif },
	{ "not", 0, 0, f_not },
	{ "children", 0, 0, f_children },
	{ "descendants", 0, 0, f_descendants },
	{ "trace", 1, 2, f_trace },
	{ "aggregate", 1, 2, f_aggregate },
	{ "sort", 0, 16, f_sort },
	{ NULL, 0, 0, NULL }
};

static const struct fp_func *tables[] = { fp_funcs_coll, fp_funcs_str, fp_funcs_fhir };

int fp_func_lookup(const char *name, size_t len, int *min_args, int *max_args)
{
	int t, i;

	for (t = 0; t < 3; t++)
		for (i = 0; tables[t][i].name; i++)
			if (strlen(tables[t][i].name) == len &&
				memcmp(tables[t][i].name, name, len) == 0) {
				*min_args = tables[t][i].min_args;
				*max_args = tables[t][i].max_args;
				return t * 256 + i;
			}
	return -1;
}

int fp_call(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return tables[n->fn / 256][n->fn % 256].fn(ev, n, fr, in, out);
}
