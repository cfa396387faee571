/*
 * zib_diff_docs: instance matching and value comparison over two sides of
 * zib_docs (see zib.h).
 *
 * Per zib, in BgZ order: instances are paired first by identity key (the
 * business identifiers, else the mandatory codes and the dates), then the
 * rest by the most leaf values in common (mutual best matches first), so
 * a copy with one value changed reports that value instead of one
 * instance removed and one added.
 * Within a pair the value trees are walked concept by concept; repeated
 * values of one concept are paired by equal content first, then in order.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/strmap.h"
#include "diff/meaning.h"
#include "model/doc.h"
#include "model/value.h"

/* Beyond this many unpaired instances of one zib per side, skip pairing by
 * similarity (it costs the product of the two counts). */
#define SIMILARITY_LIMIT 2000

struct dinst {
	const struct zib_instance *inst;
	const char *file;
	const char *key;        /* identity key, "" when none */
	int by_id;              /* key made of business identifiers */
	int key_repeats;        /* another instance on this side has the key */
	const char **leaves;    /* sorted "concept=signature" of every leaf */
	size_t nleaves;
	struct dinst *match;
	struct dinst *next_same_key;
};

struct zib_diff {
	struct arena arena;
	const zib_ctx *ctx;
	struct strmap ignore;   /* NL-CM ids */
	const struct zib_model **skip_models;
	size_t nskip;
	const struct zib_model **only_models;
	size_t nonly;
	zib_diff_item *items;
	size_t nitems, cap;
	size_t na, nb, nmatched;
	int oom;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int concept_ignored(const struct zib_diff *d, const struct zib_concept *c)
{
	return c && d->ignore.count && strmap_get(&d->ignore, c->id) != NULL;
}

static int model_wanted(const struct zib_diff *d, const struct zib_model *m)
{
	size_t i;

	for (i = 0; i < d->nskip; i++)
		if (d->skip_models[i] == m)
			return 0;
	if (!d->nonly)
		return 1;
	for (i = 0; i < d->nonly; i++)
		if (d->only_models[i] == m)
			return 1;
	return 0;
}

static const char *keep(struct zib_diff *d, struct buf *b)
{
	const char *s = arena_strndup(&d->arena, b->data ? b->data : "", b->len);

	if (!s || b->oom)
		d->oom = 1;
	return s ? s : "";
}

static void instance_content(struct zib_diff *d, const struct zib_instance *inst,
	struct buf *out, int depth);
static void deep_signature(struct zib_diff *d, const struct zib_value *v, struct buf *out, int depth);

/* The identity of a referenced instance: its smallest business identifier,
 * else all its content.  A change inside the target is the target's own
 * difference, so it is not reported again at every reference. */
static void target_signature(struct zib_diff *d, const struct zib_value *v, struct buf *out,
	int depth)
{
	const struct zib_value *w;
	const char *best = NULL;

	if (!v->target) {
		buf_printf(out, "R?%s", v->ref ? v->ref : "");
		return;
	}
	buf_printf(out, "R|%s|", v->target->model->name_nl);
	for (w = v->target->values; w; w = w->next) {
		if (w->type == ZIB_VALUE_II && w->code && !w->null_flavor) {
			struct buf b = BUF_INIT;
			value_signature(d->ctx, w, &b);
			if (b.data && (!best || strcmp(b.data, best) < 0))
				best = keep(d, &b);
			buf_release(&b);
		}
	}
	if (best)
		buf_printf(out, "id:%s", best);
	else if (depth <= 2)
		instance_content(d, v->target, out, depth);
}

/* Grows an arena array of string pointers. */
static const char **grow(struct zib_diff *d, const char **list, size_t n, size_t *cap)
{
	const char **p;

	if (n < *cap)
		return list;
	*cap = *cap ? *cap * 2 : 16;
	p = arena_alloc(&d->arena, *cap * sizeof(*p));
	if (!p) {
		d->oom = 1;
		return NULL;
	}
	if (n)
		memcpy(p, list, n * sizeof(*p));
	return p;
}

/* Deep canonical form of a value: equal forms mean equal content.  depth
 * counts references followed, so reference cycles end. */
static void deep_signature(struct zib_diff *d, const struct zib_value *v, struct buf *out, int depth)
{
	const struct zib_value *c;
	const char **parts = NULL;
	size_t n = 0, i, cap = 0;

	if (v->ref) {
		target_signature(d, v, out, depth + 1);
		return;
	}
	if (v->type != ZIB_VALUE_GROUP) {
		value_signature(d->ctx, v, out);
		return;
	}
	for (c = v->children; c; c = c->next) {
		struct buf b = BUF_INIT;
		if (concept_ignored(d, c->concept))
			continue;
		if (!(parts = grow(d, parts, n, &cap)))
			return;
		buf_printf(&b, "%s=", c->concept ? c->concept->id : "?");
		deep_signature(d, c, &b, depth);
		parts[n++] = keep(d, &b);
		buf_release(&b);
	}
	if (n)
		qsort(parts, n, sizeof(*parts), cmp_str);
	buf_putc(out, '{');
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? "," : "", parts[i]);
	buf_putc(out, '}');
}

/* The whole content of an instance as one canonical string. */
static void instance_content(struct zib_diff *d, const struct zib_instance *inst,
	struct buf *out, int depth)
{
	struct zib_value root;

	memset(&root, 0, sizeof(root));
	root.type = ZIB_VALUE_GROUP;
	root.children = inst->values;
	deep_signature(d, &root, out, depth);
}

/* Collects "concept=signature" for every leaf under v (a sibling list). */
static void collect_leaves(struct zib_diff *d, const struct zib_value *v, const char ***list,
	size_t *n, size_t *cap)
{
	for (; v; v = v->next) {
		if (concept_ignored(d, v->concept))
			continue;
		if (v->type == ZIB_VALUE_GROUP && !v->ref) {
			collect_leaves(d, v->children, list, n, cap);
			continue;
		}
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			const char **p = arena_alloc(&d->arena, ncap * sizeof(*p));
			if (!p) {
				d->oom = 1;
				return;
			}
			if (*n)
				memcpy(p, *list, *n * sizeof(*p));
			*list = p;
			*cap = ncap;
		}
		{
			struct buf b = BUF_INIT;
			buf_printf(&b, "%s=", v->concept ? v->concept->id : "?");
			deep_signature(d, v, &b, 0);
			(*list)[(*n)++] = keep(d, &b);
			buf_release(&b);
		}
	}
}

/*
 * Identity: the business identifiers (top-level II values) when there are
 * any, else the mandatory codes and every top-level date.
 */
static void instance_key(struct zib_diff *d, struct dinst *di)
{
	const struct zib_value *v;
	struct buf ids = BUF_INIT, vals = BUF_INIT;
	const char *best = NULL;

	for (v = di->inst->values; v; v = v->next) {
		const struct zib_concept *c = v->concept;
		if (!c || concept_ignored(d, c) || v->null_flavor)
			continue;
		if (v->type == ZIB_VALUE_II && v->code) {
			struct buf b = BUF_INIT;
			value_signature(d->ctx, v, &b);
			if (b.data && (!best || strcmp(b.data, best) < 0))
				best = keep(d, &b);
			buf_release(&b);
		} else if (((v->type == ZIB_VALUE_CD || v->type == ZIB_VALUE_CO) && c->min >= 1) ||
		    v->type == ZIB_VALUE_TS) {
			buf_printf(&vals, "%s%s=", vals.len ? ";" : "", c->id);
			value_signature(d->ctx, v, &vals);
		}
	}
	if (best) {
		buf_printf(&ids, "id:%s", best);
		di->key = keep(d, &ids);
		di->by_id = 1;
	} else if (vals.len) {
		di->key = keep(d, &vals);
	} else {
		di->key = "";
	}
	buf_release(&ids);
	buf_release(&vals);
}

static int add_item(struct zib_diff *d, const zib_diff_item *it)
{
	if (d->nitems == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		zib_diff_item *p = realloc(d->items, cap * sizeof(*p));
		if (!p) {
			d->oom = 1;
			return -1;
		}
		d->items = p;
		d->cap = cap;
	}
	d->items[d->nitems++] = *it;
	return 0;
}

static const char *concept_path(struct zib_diff *d, const struct zib_concept *c)
{
	const struct zib_concept *chain[32];
	int n = 0;
	struct buf b = BUF_INIT;
	const char *s;

	for (; c && c->depth > 0 && n < 32; c = c->parent)
		chain[n++] = c;
	while (n-- > 0)
		buf_printf(&b, "%s%s", b.len ? "/" : "", chain[n]->name_nl);
	s = keep(d, &b);
	buf_release(&b);
	return s;
}

static const char *render(struct zib_diff *d, const struct zib_value *v)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (!v)
		return NULL;
	if (v->type == ZIB_VALUE_GROUP && !v->ref) {
		buf_puts(&b, "(group)");
	} else {
		value_render(v, &b);
		if (v->ref && v->target)
			buf_printf(&b, " (%s)", v->target->model->name_nl);
	}
	s = keep(d, &b);
	buf_release(&b);
	return s;
}

struct pair_ctx {
	struct dinst *a, *b;
};

static void changed(struct zib_diff *d, const struct pair_ctx *p, const struct zib_concept *c,
	const struct zib_value *a, const struct zib_value *b, const char *note)
{
	zib_diff_item it;

	memset(&it, 0, sizeof(it));
	it.kind = ZIB_DIFF_CHANGED;
	it.zib = p->a->inst->model;
	it.key = p->a->key;
	it.a_instance = p->a->inst;
	it.b_instance = p->b->inst;
	it.a_file = p->a->file;
	it.b_file = p->b->file;
	it.concept = c;
	it.concept_path = concept_path(d, c);
	it.a = a;
	it.b = b;
	it.a_text = render(d, a);
	it.b_text = render(d, b);
	it.note = note;
	add_item(d, &it);
}

static void compare_lists(struct zib_diff *d, const struct pair_ctx *p,
	const struct zib_value *a, const struct zib_value *b);

static void compare_values(struct zib_diff *d, const struct pair_ctx *p,
	const struct zib_value *a, const struct zib_value *b)
{
	const char *note = NULL;

	/* One side holds the instance inline (an ADA group), the other refers
	 * to it (a FHIR reference): the same when the contents are. */
	if (!a->ref != !b->ref) {
		const struct zib_value *group = a->ref ? b : a, *ref = a->ref ? a : b;
		if (group->type == ZIB_VALUE_GROUP && !group->null_flavor && group->children &&
		    ref->target) {
			if (a == group)
				compare_lists(d, p, group->children, ref->target->values);
			else
				compare_lists(d, p, ref->target->values, group->children);
			return;
		}
	}
	if (a->ref || b->ref) {
		struct buf sa = BUF_INIT, sb = BUF_INIT;
		target_signature(d, a, &sa, 1);
		target_signature(d, b, &sb, 1);
		if (!a->ref || !b->ref || strcmp(sa.data ? sa.data : "", sb.data ? sb.data : "") != 0)
			changed(d, p, a->concept, a, b, "references another instance");
		buf_release(&sa);
		buf_release(&sb);
		return;
	}
	if (a->type == ZIB_VALUE_GROUP) {
		if (a->null_flavor || b->null_flavor) {
			if (value_compare(d->ctx, a, b, &note) != VALUE_EQUAL)
				changed(d, p, a->concept, a, b, NULL);
		}
		compare_lists(d, p, a->children, b->children);
		return;
	}
	if (diff_meaning_values_equal(a, b))
		return;
	switch (value_compare(d->ctx, a, b, &note)) {
	case VALUE_EQUAL:
		break;
	case VALUE_INCOMPARABLE:
	case VALUE_DIFFERENT:
		changed(d, p, a->concept, a, b, note);
		break;
	}
}

/* Compares the values of one concept c in two sibling lists: one each is
 * compared directly; repeats pair by equal content first, then in order. */
static void compare_repeats(struct zib_diff *d, const struct pair_ctx *p,
	const struct zib_concept *c, const struct zib_value *a, const struct zib_value *b)
{
	const struct zib_value *w, **as, **bs;
	const char **asig, **bsig;
	size_t na = 0, nb = 0, i, j;

	for (w = a; w; w = w->next)
		na += w->concept == c;
	for (w = b; w; w = w->next)
		nb += w->concept == c;
	if (na == 1 && nb == 1) {
		for (; a->concept != c; a = a->next)
			;
		for (; b->concept != c; b = b->next)
			;
		compare_values(d, p, a, b);
		return;
	}
	as = arena_alloc(&d->arena, (na + nb + 1) * sizeof(*as));
	asig = arena_alloc(&d->arena, (na + nb + 1) * sizeof(*asig));
	if (!as || !asig) {
		d->oom = 1;
		return;
	}
	bs = as + na;
	bsig = asig + na;
	for (i = 0, w = a; w; w = w->next)
		if (w->concept == c)
			as[i++] = w;
	for (j = 0, w = b; w; w = w->next)
		if (w->concept == c)
			bs[j++] = w;
	for (i = 0; i < na + nb; i++) {
		struct buf s = BUF_INIT;
		deep_signature(d, as[i], &s, 0);
		asig[i] = keep(d, &s);
		buf_release(&s);
	}
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (bs[j] && strcmp(asig[i], bsig[j]) == 0) {
				as[i] = NULL;
				bs[j] = NULL;
				break;
			}
	for (i = 0, j = 0; i < na || j < nb;) {
		while (i < na && !as[i])
			i++;
		while (j < nb && !bs[j])
			j++;
		if (i < na && j < nb)
			compare_values(d, p, as[i++], bs[j++]);
		else if (i < na)
			changed(d, p, c, as[i++], NULL, NULL);
		else if (j < nb)
			changed(d, p, c, NULL, bs[j++], NULL);
	}
}

/* Compares two sibling lists concept by concept. */
static void compare_lists(struct zib_diff *d, const struct pair_ctx *p,
	const struct zib_value *a, const struct zib_value *b)
{
	const struct zib_value *v, *w;

	/* Each concept once, in the order it first appears in a, then in b. */
	for (v = a; v; v = v->next) {
		for (w = a; w != v && w->concept != v->concept; w = w->next)
			;
		if (w != v || concept_ignored(d, v->concept) || diff_meaning_skip_concept(v->concept, a, b))
			continue;
		compare_repeats(d, p, v->concept, a, b);
	}
	/* Concepts only in b. */
	for (v = b; v; v = v->next) {
		for (w = b; w != v && w->concept != v->concept; w = w->next)
			;
		if (w != v || concept_ignored(d, v->concept) || diff_meaning_skip_concept(v->concept, a, b))
			continue;
		for (w = a; w && w->concept != v->concept; w = w->next)
			;
		if (w)
			continue;
		for (w = v; w; w = w->next)
			if (w->concept == v->concept)
				changed(d, p, v->concept, NULL, w, NULL);
	}
}

/* Number of equal entries in two sorted lists. */
static size_t common(const struct dinst *a, const struct dinst *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->nleaves && j < b->nleaves) {
		int c = strcmp(a->leaves[i], b->leaves[j]);
		if (c == 0)
			n++, i++, j++;
		else if (c < 0)
			i++;
		else
			j++;
	}
	return n;
}

static void one_side(struct zib_diff *d, struct dinst *di, zib_diff_kind kind)
{
	zib_diff_item it;

	memset(&it, 0, sizeof(it));
	it.kind = kind;
	it.zib = di->inst->model;
	it.key = di->key;
	if (kind == ZIB_DIFF_ONLY_A) {
		it.a_instance = di->inst;
		it.a_file = di->file;
	} else {
		it.b_instance = di->inst;
		it.b_file = di->file;
	}
	add_item(d, &it);
}

/* One identifier given to several instances on side a (examples that
 * reuse an organisation's URA with other content): the pairs with the
 * most leaf values in common first, then the fewest apart, not the first
 * instance in file order. */
static void best_by_key(struct dinst *as, size_t na, struct strmap *by_key)
{
	for (;;) {
		struct dinst *best_a = NULL, *best_b = NULL, *b;
		size_t i, n, best_n = 0;

		for (i = 0; i < na; i++) {
			if (as[i].match || !as[i].by_id || !as[i].key_repeats)
				continue;
			for (b = strmap_get(by_key, as[i].key); b; b = b->next_same_key) {
				if (b->match)
					continue;
				n = common(&as[i], b);
				/* Equal in common: the one with fewer values apart. */
				if (!best_a || n > best_n || (n == best_n &&
				    as[i].nleaves + b->nleaves < best_a->nleaves + best_b->nleaves)) {
					best_a = &as[i];
					best_b = b;
					best_n = n;
				}
			}
		}
		if (!best_a)
			return;
		best_a->match = best_b;
		best_b->match = best_a;
	}
}

/* The unmatched instance of bs sharing most leaf values with a (0 if
 * none shares any), under diff_model's rule for business identifiers. */
static struct dinst *most_in_common(const struct dinst *a, struct dinst *bs, size_t nb,
	size_t left_a, size_t left_b, size_t *count)
{
	struct dinst *best = NULL;
	size_t j, n;

	*count = 0;
	for (j = 0; j < nb; j++) {
		if (bs[j].match || (a->by_id && bs[j].by_id && (left_a > 1 || left_b > 1)))
			continue;
		n = common(a, &bs[j]);
		if (n > *count) {
			best = &bs[j];
			*count = n;
		}
	}
	return best;
}

/* Before pairing in file order, pair instances that are each other's
 * best match: an earlier instance sharing one value with b must not take
 * b from a later one sharing more.  A few rounds; the rest in order. */
static void mutual_best(struct dinst *as, size_t na, struct dinst *bs, size_t nb,
	size_t left_a, size_t left_b)
{
	int round;
	size_t i, k, n, m;

	for (round = 0; round < 3; round++) {
		int paired = 0;
		for (i = 0; i < na; i++) {
			struct dinst *b;
			if (as[i].match)
				continue;
			b = most_in_common(&as[i], bs, nb, left_a, left_b, &n);
			if (!b)
				continue;
			/* Is as[i] b's best among the unmatched of as? */
			for (k = 0; k < na; k++) {
				if (k == i || as[k].match ||
				    (as[k].by_id && b->by_id && (left_a > 1 || left_b > 1)))
					continue;
				m = common(&as[k], b);
				if (m > n || (m == n && k < i))
					break;
			}
			if (k < na)
				continue;
			as[i].match = b;
			b->match = &as[i];
			paired = 1;
		}
		if (!paired)
			return;
	}
}

static void diff_model(struct zib_diff *d, struct dinst *as, size_t na, struct dinst *bs, size_t nb)
{
	struct strmap by_key, a_keys;
	size_t i, j, left_a = 0, left_b = 0;

	strmap_init(&by_key, 0);
	/* 1. Equal identity keys; a key may repeat, so keep a chain per key. */
	for (j = nb; j-- > 0;) {
		if (!bs[j].key[0])
			continue;
		bs[j].next_same_key = strmap_get(&by_key, bs[j].key);
		if (strmap_put(&by_key, bs[j].key, &bs[j]) < 0)
			d->oom = 1;
	}
	/* Keys on a that repeat: the second one seen marks the first. */
	strmap_init(&a_keys, 0);
	for (i = 0; i < na; i++) {
		struct dinst *first;
		if (!as[i].key[0])
			continue;
		first = strmap_get(&a_keys, as[i].key);
		if (first) {
			first->key_repeats = 1;
			as[i].key_repeats = 1;
		} else if (strmap_put(&a_keys, as[i].key, &as[i]) < 0) {
			d->oom = 1;
		}
	}
	strmap_release(&a_keys);
	for (i = 0; i < na; i++) {
		struct dinst *b;
		if (!as[i].key[0])
			continue;
		b = strmap_get(&by_key, as[i].key);
		/* A key of codes and dates that repeats (two vaccinations on one
		 * day, told apart by product only) is no identity: similarity
		 * pairs those.  Repeated identifiers pair in order. */
		if (b && !as[i].by_id && (b->next_same_key || as[i].key_repeats))
			continue;
		if (as[i].key_repeats)   /* a repeated identifier: best_by_key */
			continue;
		for (; b && b->match; b = b->next_same_key)
			;
		if (b) {
			as[i].match = b;
			b->match = &as[i];
		}
	}
	best_by_key(as, na, &by_key);
	strmap_release(&by_key);
	/* 2. The rest by most leaf values in common.  Two different business
	 * identifiers pair only when each side has just that one left (a
	 * patient whose number changed), never among several. */
	for (i = 0; i < na; i++)
		left_a += !as[i].match;
	for (j = 0; j < nb; j++)
		left_b += !bs[j].match;
	if (na <= SIMILARITY_LIMIT && nb <= SIMILARITY_LIMIT) {
		mutual_best(as, na, bs, nb, left_a, left_b);
		for (i = 0; i < na; i++) {
			struct dinst *best = NULL;
			size_t best_n = 0;
			if (as[i].match)
				continue;
			for (j = 0; j < nb; j++) {
				size_t n;
				if (bs[j].match || (as[i].by_id && bs[j].by_id && (left_a > 1 || left_b > 1)))
					continue;
				n = common(&as[i], &bs[j]);
				/* The last one of a zib on each side pairs even with
				 * nothing in common: one Alert against one Alert is a
				 * change of that alert, read in two formats. */
				if (n > best_n || (!best && ((as[i].nleaves == 0 && bs[j].nleaves == 0) ||
				    (left_a == 1 && left_b == 1)))) {
					best = &bs[j];
					best_n = n;
				}
			}
			if (best) {
				as[i].match = best;
				best->match = &as[i];
			}
		}
	}
	for (i = 0; i < na; i++) {
		if (!as[i].match) {
			one_side(d, &as[i], ZIB_DIFF_ONLY_A);
		} else {
			struct pair_ctx p = { &as[i], as[i].match };
			d->nmatched++;
			compare_lists(d, &p, as[i].inst->values, as[i].match->inst->values);
		}
	}
	for (j = 0; j < nb; j++)
		if (!bs[j].match)
			one_side(d, &bs[j], ZIB_DIFF_ONLY_B);
}

/* The instances of one zib on one side, in document order. */
static struct dinst *collect(struct zib_diff *d, const struct zib_model *m,
	const zib_doc *const *docs, size_t ndocs, size_t *count)
{
	size_t k, n = 0, i = 0;
	struct dinst *list;
	const struct zib_instance *inst;

	for (k = 0; k < ndocs; k++)
		for (inst = docs[k]->instances; inst; inst = inst->next)
			if (inst->model == m)
				n++;
	*count = n;
	if (!n)
		return NULL;
	list = arena_alloc(&d->arena, n * sizeof(*list));
	if (!list) {
		d->oom = 1;
		*count = 0;
		return NULL;
	}
	for (k = 0; k < ndocs; k++)
		for (inst = docs[k]->instances; inst; inst = inst->next) {
			size_t cap = 0;
			if (inst->model != m)
				continue;
			list[i].inst = inst;
			/* A member of a FHIR set names its own file, not the set. */
			list[i].file = inst->file ? inst->file : docs[k]->file;
			instance_key(d, &list[i]);
			collect_leaves(d, inst->values, &list[i].leaves, &list[i].nleaves, &cap);
			if (list[i].nleaves)
				qsort(list[i].leaves, list[i].nleaves, sizeof(char *), cmp_str);
			i++;
		}
	return list;
}

static int resolve_models(struct zib_diff *d, const char *const *names, size_t n,
	const struct zib_model ***out, size_t *nout, struct strmap *concepts, zib_error *err)
{
	size_t i;

	*out = arena_alloc(&d->arena, (n ? n : 1) * sizeof(**out));
	if (!*out)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	*nout = 0;
	for (i = 0; i < n; i++) {
		const zib_model *m = zib_model_find(d->ctx, names[i]);
		if (m) {
			(*out)[(*nout)++] = m;
		} else if (concepts && strncmp(names[i], "NL-CM:", 6) == 0 &&
		    zib_concept_find(d->ctx, names[i])) {
			if (strmap_put(concepts, names[i], (void *)names[i]) < 0)
				return error_set(err, ZIB_ENOMEM, "out of memory");
		} else {
			return error_set(err, ZIB_EINVAL, "unknown %s '%s'",
				concepts ? "zib or concept" : "zib", names[i]);
		}
	}
	return 0;
}

int zib_diff_docs(zib_diff **out, const zib_ctx *ctx, const zib_doc *const *a, size_t na,
	const zib_doc *const *b, size_t nb, const zib_diff_options *opts, zib_error *err)
{
	struct zib_diff *d;
	size_t m, k;
	int rc;

	*out = NULL;
	if (opts && opts->version != ZIB_DIFF_OPTIONS_VERSION)
		return error_set(err, ZIB_EINVAL, "zib_diff_options version %u is not %d",
			opts->version, ZIB_DIFF_OPTIONS_VERSION);
	d = calloc(1, sizeof(*d));
	if (!d)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	d->ctx = ctx;
	strmap_init(&d->ignore, 0);
	rc = resolve_models(d, opts ? opts->ignore : NULL, opts ? opts->nignore : 0,
		&d->skip_models, &d->nskip, &d->ignore, err);
	if (rc == 0)
		rc = resolve_models(d, opts ? opts->only : NULL, opts ? opts->nonly : 0,
			&d->only_models, &d->nonly, NULL, err);
	if (rc < 0) {
		zib_diff_free(d);
		return rc;
	}
	for (k = 0; k < na; k++)
		d->na += a[k]->ninstances;
	for (k = 0; k < nb; k++)
		d->nb += b[k]->ninstances;
	for (m = 0; m < ctx->nmodels && !d->oom; m++) {
		const struct zib_model *model = &ctx->models[m];
		struct dinst *as, *bs;
		size_t ca, cb;
		if (!model_wanted(d, model))
			continue;
		as = collect(d, model, a, na, &ca);
		bs = collect(d, model, b, nb, &cb);
		if (ca || cb)
			diff_model(d, as, ca, bs, cb);
	}
	if (d->oom) {
		zib_diff_free(d);
		return error_set(err, ZIB_ENOMEM, "out of memory comparing documents");
	}
	*out = d;
	return 0;
}

void zib_diff_free(zib_diff *d)
{
	if (!d)
		return;
	strmap_release(&d->ignore);
	arena_release(&d->arena);
	free(d->items);
	free(d);
}

size_t zib_diff_count(const zib_diff *d) { return d->nitems; }
const zib_diff_item *zib_diff_at(const zib_diff *d, size_t i) { return i < d->nitems ? &d->items[i] : NULL; }
size_t zib_diff_instances_a(const zib_diff *d) { return d->na; }
size_t zib_diff_instances_b(const zib_diff *d) { return d->nb; }
size_t zib_diff_matched(const zib_diff *d) { return d->nmatched; }
