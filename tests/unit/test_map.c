/*
 * Unit tests of the format-neutral mapping engine (lib/map/): the mapping
 * grammar, the concept walk, and the unread scan over a tree of its own.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "map/mapping.h"
#include "map/unread.h"
#include "map/walk.h"
#include "model/model.h"

TEST(map, next_walks_a_list_and_its_spaces)
{
	const char *cur = "a#X.b  c#Y ", *m;
	size_t n = 0;

	m = map_next(&cur, &n);
	ASSERT(m != NULL);
	ASSERT_INT_EQ(5, n);
	ASSERT(strncmp(m, "a#X.b", n) == 0);
	m = map_next(&cur, &n);
	ASSERT(m != NULL && n == 3 && strncmp(m, "c#Y", 3) == 0);
	ASSERT(map_next(&cur, &n) == NULL);
	cur = NULL;
	ASSERT(map_next(&cur, &n) == NULL);
	cur = "";
	ASSERT(map_next(&cur, &n) == NULL);
}

TEST(map, names_type_whole_or_element_not_prefix)
{
	static const char list[] = "zib-ContactPerson#RelatedPerson zib-Patient#Patient.contact";

	ASSERT(map_names_type("p#Observation.code", 18, "Observation"));
	ASSERT(map_names_type("p#Observation", 13, "Observation"));
	ASSERT(!map_names_type("p#ObservationDefinition", 23, "Observation"));
	ASSERT(!map_names_type("p#Obs", 5, "Observation"));
	ASSERT(!map_names_type("Observation.code", 16, "Observation"));
	ASSERT(map_list_names_type(list, "Patient"));
	ASSERT(map_list_names_type(list, "RelatedPerson"));
	ASSERT(!map_list_names_type(list, "Person"));
	ASSERT(map_same_type("a#Location.name", "b#Location"));
	ASSERT(!map_same_type("a#Location.name", "b#Organization.name"));
	ASSERT(!map_same_type("Location.name", "b#Location"));
}

TEST(map, concept_walk_visits_children_in_model_order)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	const zib_model *m;
	const struct zib_concept *root, *c;
	size_t count = 0, direct = 0, i, prev = 0;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	m = zib_model_find(ctx, "Bloeddruk");
	ASSERT(m != NULL);
	root = &m->concepts[0];
	ASSERT(map_has_children(root));
	for (i = 1; i < m->nconcepts; i++)
		direct += m->concepts[i].parent == root;
	for (c = map_first_child(root); c; c = map_next_child(c)) {
		ASSERT(c->parent == root);
		ASSERT(c->index > prev);
		prev = c->index;
		count++;
	}
	ASSERT(direct > 1);
	ASSERT_INT_EQ(direct, count);
	ASSERT(map_next_child(root) == NULL);
	zib_ctx_free(ctx);
}

/* A tree of its own: the scan asks judge for each node and reports the
 * leaves judged unread, below the nodes judged to descend, in order. */
struct tnode {
	const char *name;
	int verdict;
	struct tnode *child, *next;
};

static void *t_first(void *n) { return ((struct tnode *)n)->child; }
static void *t_next(void *n) { return ((struct tnode *)n)->next; }
static enum map_unread_verdict t_judge(void *n, void *data)
{
	(void)data;
	return (enum map_unread_verdict)((struct tnode *)n)->verdict;
}
static void t_report(void *n, void *data)
{
	strcat(data, ((struct tnode *)n)->name);
}

TEST(map, unread_scan_reports_unread_leaves_in_order)
{
	struct tnode d = { "d", MAP_UNREAD_LEAF, NULL, NULL };
	struct tnode e = { "e", MAP_UNREAD_LEAF, NULL, NULL };
	struct tnode c = { "c", MAP_UNREAD_PASS, &e, &d };
	struct tnode b2 = { "f", MAP_UNREAD_LEAF, NULL, NULL };
	struct tnode b = { "b", MAP_UNREAD_DESCEND, &b2, &c };
	struct tnode a = { "a", MAP_UNREAD_LEAF, NULL, &b };
	struct tnode root = { "r", MAP_UNREAD_DESCEND, &a, NULL };
	static const struct map_unread_ops ops = { t_first, t_next, t_judge, t_report };
	char seen[16] = "";

	map_scan_unread(&root, &ops, seen);
	ASSERT_STR_EQ("afd", seen);
}
