/*
 * attrindex: [@code = $x] over the elements of a doc() document (a value
 * set's concepts, the UCUM unit list), answered from an index instead of
 * a walk of every element's attributes.
 *
 * ART-DECOR rules test a code against doc('voc-...')//valueSet[1]/
 * conceptList/concept[@code = ...] for every coded element of every
 * document: the concept lists are the same each time, the value is not.
 * A walk reads every concept's attributes, scattered over megabytes of
 * vocabulary trees (BgZ 2020: 22,000 attribute tests per 36 KB
 * document), which is most of a document's cache misses and what makes
 * two threads slow each other down.  A doc() document never changes
 * while the rules run, so the first filter of a sequence by an attribute
 * builds a map from value to positions, and later ones look the value up.
 *
 * The indexes belong to one struct xp_run (one thread, no locks) and live
 * until it is released; they hold positions and the documents' own
 * strings, never a copy of a tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xpath2/ast.h"

/* The mark xp_docs_get leaves in a doc() document's _private. */
const char xp_shared_doc_mark = 1;

/* Shorter sequences are walked: building would cost more than it saves. */
#define INDEX_MIN_NODES 8
/* Indexes a run keeps at most (memory stays bounded whatever the rules). */
#define INDEX_MAX 4096

struct positions {
	size_t n, cap;
	size_t at[];
};

struct attr_index {
	uint64_t hash;
	struct xp_node_test test;  /* a copy: the index may outlive an expression */
	size_t n;
	xmlNode **nodes;          /* the sequence indexed, to confirm a hit */
	struct strmap by_value;   /* attribute value -> struct positions */
	int usable;               /* 0: an attribute's value is not one string */
};

struct xp_attr_indexes {
	struct attr_index **slots;  /* open addressing on hash */
	size_t cap, count;
};

static int same_test(const struct xp_node_test *x, const struct xp_node_test *y)
{
	return x->kind == y->kind && strcmp(x->local, y->local) == 0 &&
		(x->uri == y->uri || (x->uri && y->uri && strcmp(x->uri, y->uri) == 0));
}

static uint64_t seq_hash(const struct xp_seq *s, const struct xp_node_test *test)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ s->n;

	for (const char *c = test->local; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	for (size_t i = 0; i < s->n; i++)
		h = (h ^ (uintptr_t)s->items[i].v.node) * 0x100000001b3ULL;
	return h | 1;
}

static int same_seq(const struct attr_index *x, const struct xp_seq *s,
	const struct xp_node_test *test)
{
	if (x->n != s->n || !same_test(&x->test, test))
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (x->nodes[i] != s->items[i].v.node)
			return 0;
	return 1;
}

/* The slot of the index for (s, test), or the empty slot it would take. */
static struct attr_index **find_slot(const struct xp_attr_indexes *ix, uint64_t h,
	const struct xp_seq *s, const struct xp_node_test *test)
{
	size_t i;

	for (i = h & (ix->cap - 1); ix->slots[i]; i = (i + 1) & (ix->cap - 1))
		if (ix->slots[i]->hash == h && same_seq(ix->slots[i], s, test))
			return &ix->slots[i];
	return &ix->slots[i];
}

static void index_free(struct attr_index *x)
{
	for (size_t i = 0; i < x->by_value.cap; i++)
		if (x->by_value.slots && x->by_value.slots[i].key)
			free(x->by_value.slots[i].value);
	strmap_release(&x->by_value);
	free((char *)x->test.uri);
	free((char *)x->test.local);
	free(x->nodes);
	free(x);
}

/* An attribute's value as one string of its document, or NULL when it
 * is made of several nodes (entity references). */
static const char *attr_value(const xmlNode *a)
{
	if (!a->children)
		return "";
	if (!a->children->next && a->children->content)
		return (const char *)a->children->content;
	return NULL;
}

static int add_position(struct attr_index *x, const char *value, size_t at)
{
	struct positions *p = strmap_get(&x->by_value, value);

	if (p && p->n && p->at[p->n - 1] == at)
		return 0;   /* two attributes of one node with the value */
	if (!p || p->n == p->cap) {
		size_t cap = p ? p->cap * 2 : 1;
		struct positions *q = realloc(p, sizeof(*q) + cap * sizeof(q->at[0]));
		if (!q)
			return -1;
		if (!p)
			q->n = 0;
		q->cap = cap;
		if (strmap_put(&x->by_value, value, q) < 0) {
			free(q);   /* only a new value fails: q is in no map */
			return -1;
		}
		p = q;
	}
	p->at[p->n++] = at;
	return 0;
}

/* The index of s by the attributes test picks; NULL out of memory. */
static struct attr_index *index_build(const struct xp_seq *s, const struct xp_node_test *test,
	uint64_t h)
{
	struct attr_index *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	strmap_init(&x->by_value, 0);
	x->hash = h;
	x->test.kind = test->kind;
	x->test.local = strdup(test->local);
	x->test.uri = test->uri ? strdup(test->uri) : NULL;
	x->n = s->n;
	x->usable = 1;
	if (!(x->nodes = malloc(s->n * sizeof(*x->nodes))) || !x->test.local ||
	    (test->uri && !x->test.uri)) {
		index_free(x);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		xmlNode *n = s->items[i].v.node;
		x->nodes[i] = n;
		if (!x->usable)
			continue;
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *v;
			if (!xp_test_node(test, (xmlNode *)a, AX_ATTR))
				continue;
			if (!(v = attr_value((xmlNode *)a))) {
				x->usable = 0;
				break;
			}
			if (add_position(x, v, i) < 0) {
				index_free(x);
				return NULL;
			}
		}
	}
	return x;
}

static int indexes_grow(struct xp_attr_indexes *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 64;
	struct attr_index **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < ix->cap; i++) {
		struct attr_index *x = ix->slots[i];
		size_t j;
		if (!x)
			continue;
		for (j = x->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = x;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	return 0;
}

/* Every item an element of a doc() document. */
static int all_shared_elements(const struct xp_seq *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const xmlNode *n = s->items[i].v.node;
		if (s->items[i].type != XP_NODE || n->type != XML_ELEMENT_NODE ||
		    !n->doc || n->doc->_private != XP_SHARED_DOC)
			return 0;
	}
	return 1;
}

/* The index for (s, test), built at the first meeting; NULL when s is
 * not indexed (short, not of a doc() document, full, out of memory). */
static struct attr_index *index_for(struct xp_run *r, const struct xp_seq *s,
	const struct xp_node_test *test)
{
	struct xp_attr_indexes *ix = r->attr_indexes;
	struct attr_index **slot, *x;
	uint64_t h;

	if (test->kind != T_NAME || !test->local || s->n < INDEX_MIN_NODES ||
	    s->items[0].type != XP_NODE ||
	    !s->items[0].v.node->doc || s->items[0].v.node->doc->_private != XP_SHARED_DOC)
		return NULL;
	if (!ix && !(ix = r->attr_indexes = calloc(1, sizeof(*ix))))
		return NULL;
	if (!ix->cap && indexes_grow(ix) < 0)
		return NULL;
	h = seq_hash(s, test);
	slot = find_slot(ix, h, s, test);
	if (*slot)
		return (*slot)->usable ? *slot : NULL;
	/* a new one, while there is room (the ones made stay in use) */
	if (ix->count >= INDEX_MAX || !all_shared_elements(s) || !(x = index_build(s, test, h)))
		return NULL;
	if ((ix->count + 1) * 2 > ix->cap) {
		if (indexes_grow(ix) < 0) {
			index_free(x);
			return NULL;
		}
		slot = find_slot(ix, h, s, test);
	}
	*slot = x;
	ix->count++;
	return x->usable ? x : NULL;
}

int xp_attr_index_filter(struct xp_run *r, const struct xp_node_test *test, struct xp_seq *s,
	const struct xp_seq *vals)
{
	struct attr_index *x = index_for(r, s, test);
	unsigned char *keep;
	size_t i, j = 0;

	if (!x)
		return -2;
	if (vals->n == 1) {
		/* positions ascend: s keeps its order */
		const struct positions *p = strmap_get(&x->by_value, vals->items[0].v.str);
		for (i = 0; p && i < p->n; i++)
			s->items[j++] = s->items[p->at[i]];
		s->n = j;
		return 0;
	}
	if (!(keep = xp_alloc(&r->pool, s->n)))
		return -1;
	for (size_t k = 0; k < vals->n; k++) {
		const struct positions *p = strmap_get(&x->by_value, vals->items[k].v.str);
		for (i = 0; p && i < p->n; i++)
			keep[p->at[i]] = 1;
	}
	for (i = 0; i < s->n; i++)
		if (keep[i])
			s->items[j++] = s->items[i];
	s->n = j;
	return 0;
}

void xp_attr_indexes_release(struct xp_run *r)
{
	struct xp_attr_indexes *ix = r->attr_indexes;

	if (!ix)
		return;
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i])
			index_free(ix->slots[i]);
	free(ix->slots);
	free(ix);
	r->attr_indexes = NULL;
}
