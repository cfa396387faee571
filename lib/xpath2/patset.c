/*
 * patset: many match patterns (a Schematron rule set's contexts) matched
 * together, top-down, in one walk over a document.
 *
 * Each pattern alternative is a chain of steps (a/b//c).  Equal prefixes
 * of different patterns are stored once ("interned" by structure), so
 * ART-DECOR's hundreds of rules per template, which all begin with the
 * same *[hl7:observation[hl7:templateId[@root = '...']]]/hl7:observation
 * [...] prefix, test that prefix once per node instead of once per rule.
 * A node is only offered the steps that can follow a step its parent (or,
 * for '//', an ancestor) matched, looked up by the node's name; steps
 * that start a relative pattern are looked up by name too, and wildcard
 * ones (*[hl7:x[...]]) by the name of a child their first predicate
 * requires.  Names are numbered at build time; a document's names map to
 * those numbers once per distinct libxml2 name pointer.
 *
 * The results equal those of xp_pattern_matches() on each node: a step's
 * state on a node is "no", "yes" or "error" exactly as the bottom-up
 * match computes it (node test, then the prefix on the parent or nearest
 * ancestor, then the predicates).  Patterns that use current() or shapes
 * the chain form does not cover are matched bottom-up as before.
 *
 * Invariants: after xp_patset_build() a set is read-only and may be used
 * by many walks at once; a walk belongs to one thread and one document.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xpath2/ast.h"

enum pn_kind { PN_ROOT, PN_START, PN_CHILD, PN_DESC, PN_GENERIC };
enum { ST_NO = 0, ST_YES = 1, ST_ERR = 2 };
#define NAME_WILD (-1)

/* One interned step of a chain ("pattern node"). */
struct pn {
	enum pn_kind kind;
	int parent;                  /* CHILD, DESC: the prefix's pn */
	const struct xp_expr *expr;  /* the step; GENERIC: the whole alternative */
	int name;                    /* name number the node must have, or NAME_WILD */
	int req_child;               /* a child the first predicate requires, or -1 */
	int positional;              /* predicates need the step from the parent */
	int has_desc;                /* some pn follows this one through '//' */
	size_t *rules;               /* rules whose alternative ends here */
	size_t nrules;
};

/* A list of pn numbers under a hash key (kind of link, from, name). */
struct edge {
	uint64_t key;
	int *pns;
	size_t n, cap;
};

struct rule_alts {
	int *pns;                    /* the alternatives, in pattern order */
	size_t n;
};

struct xp_patset {
	struct pn *pn;
	size_t npn, cappn;
	struct edge *edges;          /* open addressing, key 0 = empty */
	size_t capedges, nedges;
	int *intern;                 /* pn hash table: index + 1, 0 = empty */
	size_t capintern;
	struct strmap names;         /* "e uri\1local" / "a uri\1local" -> number + 1 */
	struct arena arena;          /* name keys */
	int nnames;
	struct rule_alts *rules;     /* by rule id */
	size_t nrules;
	int root;                    /* the pn of '/', or -1 */
	int has_attr_targets;
	int has_start_req;
};

/* Edge kinds. */
enum { E_CHILD = 1, E_DESC, E_START, E_START_REQ, E_GEN_NAME, E_GEN_WILD, E_GEN_ATTR,
	E_GEN_DOC };

static uint64_t edge_key(int kind, int from, int name)
{
	return ((uint64_t)kind << 56) | ((uint64_t)(uint32_t)(from + 1) << 24) |
		(uint64_t)(uint32_t)(name + 2);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static struct edge *edge_find(const struct xp_patset *ps, uint64_t key)
{
	size_t mask, i;

	if (!ps->capedges)
		return NULL;
	mask = ps->capedges - 1;
	for (i = mix(key) & mask; ps->edges[i].key; i = (i + 1) & mask)
		if (ps->edges[i].key == key)
			return &ps->edges[i];
	return NULL;
}

static int edges_grow(struct xp_patset *ps)
{
	size_t cap = ps->capedges ? ps->capedges * 2 : 256;
	struct edge *e = calloc(cap, sizeof(*e));

	if (!e)
		return -1;
	for (size_t i = 0; i < ps->capedges; i++) {
		size_t j;
		if (!ps->edges[i].key)
			continue;
		for (j = mix(ps->edges[i].key) & (cap - 1); e[j].key; j = (j + 1) & (cap - 1))
			;
		e[j] = ps->edges[i];
	}
	free(ps->edges);
	ps->edges = e;
	ps->capedges = cap;
	return 0;
}

static int edge_add(struct xp_patset *ps, int kind, int from, int name, int pn)
{
	uint64_t key = edge_key(kind, from, name);
	struct edge *e = edge_find(ps, key);

	if (!e) {
		size_t i;
		if ((ps->nedges + 1) * 2 > ps->capedges && edges_grow(ps) < 0)
			return -1;
		size_t mask = ps->capedges - 1;
		for (i = mix(key) & mask; ps->edges[i].key; i = (i + 1) & mask)
			;
		e = &ps->edges[i];
		e->key = key;
		ps->nedges++;
	}
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4;
		int *p = realloc(e->pns, cap * sizeof(*p));
		if (!p)
			return -1;
		e->pns = p;
		e->cap = cap;
	}
	e->pns[e->n++] = pn;
	return 0;
}

/* ---- names ---- */

static int name_key(char *buf, size_t size, int attr, const char *uri, const char *local)
{
	size_t ul = strlen(uri), ll = strlen(local);

	if (ul + ll + 4 > size)
		return -1;
	buf[0] = attr ? 'a' : 'e';
	buf[1] = ' ';
	memcpy(buf + 2, uri, ul);
	buf[2 + ul] = '\1';
	memcpy(buf + 3 + ul, local, ll + 1);
	return 0;
}

static int name_lookup(const struct xp_patset *ps, int attr, const char *uri, const char *local)
{
	char buf[1024];
	void *v;

	if (name_key(buf, sizeof(buf), attr, uri, local) < 0)
		return NAME_WILD;
	v = strmap_get(&ps->names, buf);
	return v ? (int)((intptr_t)v - 1) : NAME_WILD;
}

static int name_number(struct xp_patset *ps, int attr, const char *uri, const char *local)
{
	char buf[1024];
	int n = name_lookup(ps, attr, uri, local);
	const char *key;

	if (n != NAME_WILD)
		return n;
	if (name_key(buf, sizeof(buf), attr, uri, local) < 0)
		return NAME_WILD;
	key = arena_strdup(&ps->arena, buf);
	if (!key || strmap_put(&ps->names, key, (void *)(intptr_t)(ps->nnames + 1)) < 0)
		return -2;
	return ps->nnames++;
}

/* The name number a step's node test needs, or NAME_WILD (any name, or a
 * test the index does not cover; xp_step_test decides then). */
static int step_name(struct xp_patset *ps, const struct xp_expr *s)
{
	const struct xp_node_test *t = &s->test;

	if (t->kind != T_NAME || strcmp(t->local, "*") == 0 || (t->uri && (!t->uri[0] ||
		strcmp(t->uri, "*") == 0)))
		return NAME_WILD;
	return name_number(ps, s->axis == AX_ATTR, t->uri ? t->uri : "", t->local);
}

/* A child element the predicate surely needs to be true, as a name
 * number; -1 if none is certain.  Only shapes whose evaluation cannot fail
 * before that child is looked for: a child step, a path starting with
 * one, the left side of 'and', a general comparison with a constant. */
static int required_child(struct xp_patset *ps, const struct xp_expr *e)
{
	switch (e->op) {
	case X_STEP:
		if (e->axis != AX_CHILD || e->test.kind != T_NAME)
			return -1;
		{
			int n = step_name(ps, e);
			return n < 0 ? -1 : n;
		}
	case X_SLASH:
		return required_child(ps, e->a);
	case X_AND:
		return required_child(ps, e->a);
	case X_GCMP:
		if (e->b->op == X_CONST)
			return required_child(ps, e->a);
		return -1;
	default:
		return -1;
	}
}

/* ---- interning ---- */


static int str_equal(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int item_equal(const struct xp_item *a, const struct xp_item *b)
{
	if (a->type != b->type || !str_equal(a->uri, b->uri) || a->has_tz != b->has_tz ||
		a->secs != b->secs)
		return 0;
	switch (a->type) {
	case XP_NODE:
		return a->v.node == b->v.node;
	case XP_BOOLEAN:
		return a->v.b == b->v.b;
	case XP_INTEGER:
		return a->v.i == b->v.i;
	case XP_DECIMAL:
	case XP_DOUBLE:
		return memcmp(&a->v.d, &b->v.d, sizeof(double)) == 0;
	default:
		return str_equal(a->v.str, b->v.str);
	}
}

int xp_expr_equal(const struct xp_expr *a, const struct xp_expr *b)
{
	if (a == b)
		return 1;
	if (!a || !b)
		return 0;
	if (a->op != b->op || a->cmp != b->cmp || a->axis != b->axis ||
		a->test.kind != b->test.kind ||
		!str_equal(a->test.uri, b->test.uri) || !str_equal(a->test.local, b->test.local) ||
		a->nargs != b->nargs || !str_equal(a->name, b->name) || a->fn != b->fn ||
		a->stype != b->stype || a->occ != b->occ || a->stype_node != b->stype_node ||
		a->cval.n != b->cval.n || !str_equal(a->base_dir, b->base_dir) ||
		a->docs != b->docs)
		return 0;
	for (size_t i = 0; i < a->cval.n; i++)
		if (!item_equal(&a->cval.items[i], &b->cval.items[i]))
			return 0;
	if (!xp_expr_equal(a->a, b->a) || !xp_expr_equal(a->b, b->b) || !xp_expr_equal(a->c, b->c))
		return 0;
	for (size_t i = 0; i < a->nargs; i++)
		if (!xp_expr_equal(a->args[i], b->args[i]))
			return 0;
	return 1;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h * 0x100000001b3ULL;
}

/* A hash that equal expressions share (a part of what expr_equal sees). */
uint64_t xp_expr_hash(const struct xp_expr *e)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (!e)
		return 1;
	h = (h ^ (uint64_t)e->op) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)e->axis) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)e->cmp) * 0x100000001b3ULL;
	h = str_hash(h, e->test.local);
	h = str_hash(h, e->name);
	h = (h ^ (uint64_t)e->cval.n) * 0x100000001b3ULL;
	for (size_t i = 0; i < e->cval.n && i < 4; i++)   /* folded value sets are long */
		if (e->cval.items[i].type == XP_STRING)
			h = str_hash(h, e->cval.items[i].v.str);
	h = (h ^ xp_expr_hash(e->a)) * 0x100000001b3ULL;
	h = (h ^ xp_expr_hash(e->b)) * 0x100000001b3ULL;
	h = (h ^ xp_expr_hash(e->c)) * 0x100000001b3ULL;
	for (size_t i = 0; i < e->nargs; i++)
		h = (h ^ xp_expr_hash(e->args[i])) * 0x100000001b3ULL;
	return h;
}

static uint64_t pn_hash(enum pn_kind kind, int parent, const struct xp_expr *step)
{
	return mix(((uint64_t)kind << 40) ^ (uint64_t)(uint32_t)(parent + 1) ^ xp_expr_hash(step));
}

static int intern_grow(struct xp_patset *ps)
{
	size_t cap = ps->capintern ? ps->capintern * 2 : 1024;
	int *t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < ps->npn; i++) {
		const struct pn *p = &ps->pn[i];
		size_t j;
		if (p->kind == PN_GENERIC || p->kind == PN_ROOT)
			continue;
		j = pn_hash(p->kind, p->parent, p->expr) & (cap - 1);
		for (; t[j]; j = (j + 1) & (cap - 1))
			;
		t[j] = (int)i + 1;
	}
	free(ps->intern);
	ps->intern = t;
	ps->capintern = cap;
	return 0;
}

static int pn_new(struct xp_patset *ps, enum pn_kind kind, int parent, const struct xp_expr *e)
{
	struct pn *p;

	if (ps->npn == ps->cappn) {
		size_t cap = ps->cappn ? ps->cappn * 2 : 256;
		struct pn *np = realloc(ps->pn, cap * sizeof(*np));
		if (!np)
			return -1;
		ps->pn = np;
		ps->cappn = cap;
	}
	p = &ps->pn[ps->npn];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->parent = parent;
	p->expr = e;
	p->name = NAME_WILD;
	p->req_child = -1;
	return (int)ps->npn++;
}

/* The pn of step s following parent by kind, made once. */
static int pn_step(struct xp_patset *ps, enum pn_kind kind, int parent, const struct xp_expr *s)
{
	uint64_t h = pn_hash(kind, parent, s);
	size_t i;
	int n;

	if ((ps->npn + 1) * 2 > ps->capintern && intern_grow(ps) < 0)
		return -1;
	for (i = h & (ps->capintern - 1); ps->intern[i]; i = (i + 1) & (ps->capintern - 1)) {
		const struct pn *p = &ps->pn[ps->intern[i] - 1];
		if (p->kind == kind && p->parent == parent && xp_expr_equal(p->expr, s))
			return ps->intern[i] - 1;
	}
	n = pn_new(ps, kind, parent, s);
	if (n < 0)
		return -1;
	ps->intern[i] = n + 1;
	{
		struct pn *p = &ps->pn[n];
		int rc;
		p->name = step_name(ps, s);
		if (p->name == -2)
			return -1;
		p->positional = !xp_step_preds_boolean(s);
		if (p->name == NAME_WILD && !p->positional && s->nargs && s->axis != AX_ATTR)
			p->req_child = required_child(ps, s->args[0]);
		if (kind == PN_START && p->req_child >= 0) {
			rc = edge_add(ps, E_START_REQ, -1, p->req_child, n);
			ps->has_start_req = 1;
		} else if (kind == PN_START) {
			rc = edge_add(ps, E_START, -1, p->name, n);
		} else {
			rc = edge_add(ps, kind == PN_CHILD ? E_CHILD : E_DESC, parent, p->name, n);
			if (kind == PN_DESC)
				ps->pn[parent].has_desc = 1;
		}
		if (rc < 0)
			return -1;
	}
	return n;
}

static int uses_current(const struct xp_expr *e)
{
	if (!e)
		return 0;
	if (e->op == X_CALL && e->name && strcmp(e->name, "current") == 0)
		return 1;
	if (uses_current(e->a) || uses_current(e->b) || uses_current(e->c))
		return 1;
	for (size_t i = 0; i < e->nargs; i++)
		if (uses_current(e->args[i]))
			return 1;
	return 0;
}

/* The chain of alternative e as interned pns; -1 out of memory, -2 for a
 * shape matched bottom-up instead. */
static int chain(struct xp_patset *ps, const struct xp_expr *e)
{
	int prefix;

	switch (e->op) {
	case X_ROOT:
		if (ps->root < 0)
			ps->root = pn_new(ps, PN_ROOT, -1, e);
		return ps->root;
	case X_STEP:
		return pn_step(ps, PN_START, -1, e);
	case X_SLASH:
		if ((prefix = chain(ps, e->a)) < 0)
			return prefix;
		if (e->b->op == X_STEP)
			return pn_step(ps, PN_CHILD, prefix, e->b);
		if (e->b->op == X_SLASH && e->b->b->op == X_STEP)
			return pn_step(ps, PN_DESC, prefix, e->b->b);
		return -2;
	default:
		return -2;
	}
}

/* An alternative matched bottom-up, offered to the nodes its last step
 * can select (as the rule index did before the chains). */
static int generic(struct xp_patset *ps, const struct xp_expr *alt)
{
	const char *uri, *local;
	int kind = xp_pattern_target(alt, &uri, &local);
	int n = pn_new(ps, PN_GENERIC, -1, alt);
	int rc;

	if (n < 0)
		return -1;
	switch (kind) {
	case 'd':
		rc = edge_add(ps, E_GEN_DOC, -1, NAME_WILD, n);
		break;
	case 'a':
		rc = edge_add(ps, E_GEN_ATTR, -1, NAME_WILD, n);
		break;
	case 'e':
		if (strcmp(local, "*") != 0 && (!uri || uri[0])) {
			int name = name_number(ps, 0, uri ? uri : "", local);
			if (name < 0)
				return -1;
			rc = edge_add(ps, E_GEN_NAME, -1, name, n);
			break;
		}
		rc = edge_add(ps, E_GEN_WILD, -1, NAME_WILD, n);
		break;
	default:
		rc = edge_add(ps, E_GEN_WILD, -1, NAME_WILD, n);
		if (rc == 0)
			rc = edge_add(ps, E_GEN_DOC, -1, NAME_WILD, n);
		break;
	}
	return rc < 0 ? -1 : n;
}

struct xp_patset *xp_patset_new(void)
{
	struct xp_patset *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	strmap_init(&ps->names, 0);
	arena_init(&ps->arena);
	ps->root = -1;
	return ps;
}

void xp_patset_free(struct xp_patset *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->npn; i++)
		free(ps->pn[i].rules);
	free(ps->pn);
	for (size_t i = 0; i < ps->capedges; i++)
		free(ps->edges[i].pns);
	free(ps->edges);
	free(ps->intern);
	for (size_t i = 0; i < ps->nrules; i++)
		free(ps->rules[i].pns);
	free(ps->rules);
	strmap_release(&ps->names);
	arena_release(&ps->arena);
	free(ps);
}

static int pn_add_rule(struct pn *p, size_t id)
{
	size_t *r;

	if (p->nrules && p->rules[p->nrules - 1] == id)
		return 0;
	r = realloc(p->rules, (p->nrules + 1) * sizeof(*r));
	if (!r)
		return -1;
	r[p->nrules++] = id;
	p->rules = r;
	return 0;
}

int xp_patset_add(struct xp_patset *ps, const struct xp_expr *pat, size_t id)
{
	const struct xp_expr **alts;
	size_t nalts;
	struct arena tmp;
	struct rule_alts *ra;
	int rc = -1;

	if (id >= ps->nrules) {
		struct rule_alts *r = realloc(ps->rules, (id + 1) * sizeof(*r));
		if (!r)
			return -1;
		memset(r + ps->nrules, 0, (id + 1 - ps->nrules) * sizeof(*r));
		ps->rules = r;
		ps->nrules = id + 1;
	}
	ra = &ps->rules[id];
	arena_init(&tmp);
	if (xp_pattern_alternatives(pat, &alts, &nalts, &tmp) < 0)
		goto done;
	ra->pns = malloc((nalts ? nalts : 1) * sizeof(int));
	if (!ra->pns)
		goto done;
	for (size_t i = 0; i < nalts; i++) {
		const char *uri, *local;
		int n = -2;
		if (xp_pattern_target(alts[i], &uri, &local) == 'a')
			ps->has_attr_targets = 1;
		if (!uses_current(alts[i]))
			n = chain(ps, alts[i]);
		if (n == -2)
			n = generic(ps, alts[i]);
		if (n < 0 || pn_add_rule(&ps->pn[n], id) < 0)
			goto done;
		ra->pns[ra->n++] = n;
	}
	rc = 0;
done:
	arena_release(&tmp);
	return rc;
}

int xp_patset_has_attributes(const struct xp_patset *ps)
{
	return ps->has_attr_targets;
}

size_t xp_patset_steps(const struct xp_patset *ps)
{
	return ps->npn;
}

/* ---- walking a document ---- */

/* A pn's state on a node; error: the message (walk's error pool). */
struct pstate {
	int pn;
	int state;
	const char *error;
};

struct frame {
	size_t matched, nmatched;    /* in w->states: pns that are yes or error here */
	size_t inherit, ninherit;    /* in w->states: for '//', nearest non-no state */
};

/* Document name pointers to name numbers. */
struct name_slot {
	const xmlChar *name;
	const xmlNs *ns;
	int attr;
	int number;                  /* NAME_WILD when no pattern names it */
};

struct xp_patwalk {
	const struct xp_patset *ps;
	struct xp_run *run;
	const struct xp_var *vars;
	struct pstate *states;       /* frames' lists, a stack */
	size_t nstates, capstates;
	struct frame *frames;
	size_t depth, capframes;
	unsigned *stamp;             /* per pn: visit number of the state below */
	unsigned char *state;
	const char **error;
	unsigned visit;
	struct name_slot *names;
	size_t capnames, nnames;
	struct xp_hit *hits;
	size_t nhits, caphits;
	struct xp_pool errors;       /* messages of error states */
};

struct xp_patwalk *xp_patwalk_new(const struct xp_patset *ps, struct xp_run *r,
	const struct xp_var *vars)
{
	struct xp_patwalk *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->ps = ps;
	w->run = r;
	w->vars = vars;
	w->stamp = calloc(ps->npn + 1, sizeof(*w->stamp));
	w->state = calloc(ps->npn + 1, 1);
	w->error = calloc(ps->npn + 1, sizeof(*w->error));
	if (!w->stamp || !w->state || !w->error) {
		xp_patwalk_free(w);
		return NULL;
	}
	return w;
}

void xp_patwalk_reset(struct xp_patwalk *w, const struct xp_var *vars)
{
	w->vars = vars;
	w->depth = 0;
	w->nstates = 0;
	w->nhits = 0;
	/* name pointers belong to the last document */
	if (w->names)
		memset(w->names, 0, w->capnames * sizeof(*w->names));
	w->nnames = 0;
	xp_pool_reset(&w->errors, (struct xp_mark){ NULL, 0 });
}

void xp_patwalk_free(struct xp_patwalk *w)
{
	if (!w)
		return;
	free(w->states);
	free(w->frames);
	free(w->stamp);
	free(w->state);
	free(w->error);
	free(w->names);
	free(w->hits);
	xp_pool_release(&w->errors);
	free(w);
}

static size_t ptr_hash(const void *a, const void *b, int attr)
{
	return (size_t)mix((uint64_t)(uintptr_t)a * 31 + (uint64_t)(uintptr_t)b * 7 +
		(uint64_t)attr);
}

static int names_grow(struct xp_patwalk *w)
{
	size_t cap = w->capnames ? w->capnames * 2 : 256;
	struct name_slot *t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < w->capnames; i++) {
		size_t j;
		if (!w->names[i].name)
			continue;
		for (j = ptr_hash(w->names[i].name, w->names[i].ns, w->names[i].attr) & (cap - 1);
			t[j].name; j = (j + 1) & (cap - 1))
			;
		t[j] = w->names[i];
	}
	free(w->names);
	w->names = t;
	w->capnames = cap;
	return 0;
}

/* The name number of an element or attribute (NAME_WILD: no pattern
 * names it); -2 out of memory.  Pointers first: libxml2 keeps one copy
 * of each name per document, so a document's names are looked up once. */
static int node_name(struct xp_patwalk *w, const xmlNode *n)
{
	int attr = n->type == XML_ATTRIBUTE_NODE;
	size_t i;

	if (!n->name)
		return NAME_WILD;
	if ((w->nnames + 1) * 2 > w->capnames && names_grow(w) < 0)
		return -2;
	for (i = ptr_hash(n->name, n->ns, attr) & (w->capnames - 1); w->names[i].name;
		i = (i + 1) & (w->capnames - 1))
		if (w->names[i].name == n->name && w->names[i].ns == n->ns &&
			w->names[i].attr == attr)
			return w->names[i].number;
	w->names[i].name = n->name;
	w->names[i].ns = n->ns;
	w->names[i].attr = attr;
	w->names[i].number = name_lookup(w->ps, attr,
		n->ns && n->ns->href ? (const char *)n->ns->href : "", (const char *)n->name);
	w->nnames++;
	return w->names[i].number;
}

static int push_state(struct xp_patwalk *w, int pn, int state, const char *error)
{
	if (w->nstates == w->capstates) {
		size_t cap = w->capstates ? w->capstates * 2 : 256;
		struct pstate *p = realloc(w->states, cap * sizeof(*p));
		if (!p)
			return -1;
		w->states = p;
		w->capstates = cap;
	}
	w->states[w->nstates].pn = pn;
	w->states[w->nstates].state = state;
	w->states[w->nstates].error = error;
	w->nstates++;
	return 0;
}

static const char *keep_error(struct xp_patwalk *w)
{
	const char *m = w->run->error;
	char *s = xp_strndup(&w->errors, m, strlen(m));

	return s ? s : "out of memory";
}

/* Sets pn's state on the current node and lists it when not "no". */
static int set_state(struct xp_patwalk *w, int pn, int state, const char *error)
{
	w->stamp[pn] = w->visit;
	w->state[pn] = (unsigned char)state;
	w->error[pn] = error;
	return state == ST_NO ? 0 : push_state(w, pn, state, error);
}

/* Tests pn on n whose prefix has state pstate (ST_YES for a start). */
static int try_pn(struct xp_patwalk *w, int pn, xmlNode *n, int pstate, const char *perror)
{
	const struct pn *p = &w->ps->pn[pn];
	struct xp_run *r = w->run;
	struct xp_mark mark;
	int t;

	if (w->stamp[pn] == w->visit)
		return 0;   /* offered twice (a starter by two children's names) */
	if (p->kind == PN_GENERIC) {
		r->error[0] = '\0';
		mark = xp_pool_mark(&r->pool);
		t = xp_pattern_matches(p->expr, r, n, w->vars);
		xp_pool_reset(&r->pool, mark);
		return set_state(w, pn, t < 0 ? ST_ERR : t ? ST_YES : ST_NO,
			t < 0 ? keep_error(w) : NULL);
	}
	if (!xp_step_test(p->expr, n))
		return set_state(w, pn, ST_NO, NULL);
	if (pstate == ST_ERR)
		return set_state(w, pn, ST_ERR, perror);
	if (!p->expr->nargs)
		return set_state(w, pn, ST_YES, NULL);
	r->error[0] = '\0';
	r->current = n;
	mark = xp_pool_mark(&r->pool);
	t = xp_step_preds_as(p->expr, r, n, w->vars, p->positional);
	xp_pool_reset(&r->pool, mark);
	r->current = NULL;
	return set_state(w, pn, t < 0 ? ST_ERR : t ? ST_YES : ST_NO, t < 0 ? keep_error(w) : NULL);
}

static int try_edge(struct xp_patwalk *w, int kind, int from, int name, xmlNode *n, int pstate,
	const char *perror)
{
	const struct edge *e = edge_find(w->ps, edge_key(kind, from, name));

	if (!e)
		return 0;
	for (size_t i = 0; i < e->n; i++)
		if (try_pn(w, e->pns[i], n, pstate, perror) < 0)
			return -1;
	return 0;
}

/* Both the named and the wildcard list of a link. */
static int try_link(struct xp_patwalk *w, int kind, int from, int name, xmlNode *n, int pstate,
	const char *perror)
{
	if (name != NAME_WILD && try_edge(w, kind, from, name, n, pstate, perror) < 0)
		return -1;
	return try_edge(w, kind, from, NAME_WILD, n, pstate, perror);
}

static int hit_cmp(const void *x, const void *y)
{
	const struct xp_hit *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The rules of the pns matched on the node: each rule's state is that of
 * its first alternative that is not "no", as a union pattern gives. */
static int collect_hits(struct xp_patwalk *w, size_t from)
{
	const struct xp_patset *ps = w->ps;
	size_t i, j, k;

	w->nhits = 0;
	for (i = from; i < w->nstates; i++) {
		const struct pn *p = &ps->pn[w->states[i].pn];
		for (j = 0; j < p->nrules; j++) {
			if (w->nhits == w->caphits) {
				size_t cap = w->caphits ? w->caphits * 2 : 32;
				struct xp_hit *h = realloc(w->hits, cap * sizeof(*h));
				if (!h)
					return -1;
				w->hits = h;
				w->caphits = cap;
			}
			w->hits[w->nhits++].id = p->rules[j];
		}
	}
	if (w->nhits > 1)
		qsort(w->hits, w->nhits, sizeof(*w->hits), hit_cmp);
	for (i = 0, k = 0; i < w->nhits; i++) {
		const struct rule_alts *ra;
		if (k && w->hits[k - 1].id == w->hits[i].id)
			continue;
		ra = &ps->rules[w->hits[i].id];
		for (j = 0; j < ra->n; j++) {
			int pn = ra->pns[j];
			if (w->stamp[pn] == w->visit && w->state[pn] != ST_NO) {
				w->hits[k].id = w->hits[i].id;
				w->hits[k].error = w->state[pn] == ST_ERR ? w->error[pn] : NULL;
				k++;
				break;
			}
		}
	}
	w->nhits = k;
	return 0;
}

static int push_frame(struct xp_patwalk *w)
{
	if (w->depth == w->capframes) {
		size_t cap = w->capframes ? w->capframes * 2 : 64;
		struct frame *f = realloc(w->frames, cap * sizeof(*f));
		if (!f)
			return -1;
		w->frames = f;
		w->capframes = cap;
	}
	memset(&w->frames[w->depth], 0, sizeof(w->frames[0]));
	w->depth++;
	return 0;
}

/* The '//' states for n's children: n's own where it has one, else its
 * parent's. */
static int inherit(struct xp_patwalk *w, struct frame *f, const struct frame *parent)
{
	const struct xp_patset *ps = w->ps;
	size_t i;

	f->inherit = w->nstates;
	for (i = f->matched; i < f->matched + f->nmatched; i++) {
		struct pstate s = w->states[i];
		if (ps->pn[s.pn].has_desc && push_state(w, s.pn, s.state, s.error) < 0)
			return -1;
	}
	for (i = 0; parent && i < parent->ninherit; i++) {
		struct pstate s = w->states[parent->inherit + i];
		if (w->stamp[s.pn] == w->visit && w->state[s.pn] != ST_NO)
			continue;   /* n's own state wins */
		if (push_state(w, s.pn, s.state, s.error) < 0)
			return -1;
	}
	f->ninherit = w->nstates - f->inherit;
	return 0;
}

int xp_patwalk_enter(struct xp_patwalk *w, xmlNode *n, const struct xp_hit **hits, size_t *nhits)
{
	const struct xp_patset *ps = w->ps;
	const struct frame *parent;
	struct frame *f;
	size_t start;
	int name;

	*hits = NULL;
	*nhits = 0;
	if (push_frame(w) < 0)
		return -1;
	f = &w->frames[w->depth - 1];
	parent = w->depth > 1 ? &w->frames[w->depth - 2] : NULL;
	if (++w->visit == 0) {
		memset(w->stamp, 0, (ps->npn + 1) * sizeof(*w->stamp));
		w->visit = 1;
	}
	start = f->matched = w->nstates;
	if (n->type == XML_DOCUMENT_NODE) {
		if (ps->root >= 0 && set_state(w, ps->root, ST_YES, NULL) < 0)
			return -1;
		if (try_edge(w, E_GEN_DOC, -1, NAME_WILD, n, ST_YES, NULL) < 0)
			return -1;
	} else {
		if ((name = node_name(w, n)) == -2)
			return -1;
		for (size_t i = 0; parent && i < parent->nmatched; i++) {
			struct pstate s = w->states[parent->matched + i];
			if (try_link(w, E_CHILD, s.pn, name, n, s.state, s.error) < 0)
				return -1;
		}
		for (size_t i = 0; parent && i < parent->ninherit; i++) {
			struct pstate s = w->states[parent->inherit + i];
			if (try_link(w, E_DESC, s.pn, name, n, s.state, s.error) < 0)
				return -1;
		}
		if (try_link(w, E_START, -1, name, n, ST_YES, NULL) < 0)
			return -1;
		if (ps->has_start_req && n->type == XML_ELEMENT_NODE)
			for (xmlNode *c = n->children; c; c = c->next) {
				int cn;
				if (c->type != XML_ELEMENT_NODE)
					continue;
				if ((cn = node_name(w, c)) == -2)
					return -1;
				if (cn != NAME_WILD &&
					try_edge(w, E_START_REQ, -1, cn, n, ST_YES, NULL) < 0)
					return -1;
			}
		if (n->type == XML_ATTRIBUTE_NODE) {
			if (try_edge(w, E_GEN_ATTR, -1, NAME_WILD, n, ST_YES, NULL) < 0)
				return -1;
		} else {
			if (name != NAME_WILD &&
				try_edge(w, E_GEN_NAME, -1, name, n, ST_YES, NULL) < 0)
				return -1;
			if (try_edge(w, E_GEN_WILD, -1, NAME_WILD, n, ST_YES, NULL) < 0)
				return -1;
		}
	}
	f->nmatched = w->nstates - start;
	if (collect_hits(w, start) < 0 || inherit(w, f, parent) < 0)
		return -1;
	*hits = w->hits;
	*nhits = w->nhits;
	return 0;
}

void xp_patwalk_leave(struct xp_patwalk *w)
{
	if (!w->depth)
		return;
	w->depth--;
	w->nstates = w->frames[w->depth].matched;
}
