/*
 * The FHIR zib reader: laboratory panels.  A LaboratoriumUitslag of
 * several tests is a panel Observation that points at one Observation per
 * LaboratoriumTest: zib2017 by Observation.related of type 'has-member'
 * (zib-LaboratoryTestResult-Observation, the profile's root comment),
 * zib2020 by Observation.hasMember (nl-core-LaboratoryTestResult).  The
 * panel's code is the Onderzoek, each member's code, value, reference
 * range, flags and date its test's.  So the panel is one instance whose
 * LaboratoriumTest groups (NL-CM:13.1.3) are read from its members, and a
 * member is no instance of its own.  A member the input does not hold
 * leaves the panel read as a lone test, as a lone Observation is.
 * zib2017's other related types are GerelateerdeUitslag (NL-CM:13.1.33).
 */
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"

#define LAB_ROOT "NL-CM:13.1.1"
#define LAB_TEST "NL-CM:13.1.3"

/* An Observation claiming its release's LaboratoryTestResult profile: the
 * profile of the zib's root path (zib2017 zib-LaboratoryTestResult-
 * Observation), as the release's core profile (zib2020's nl-core-
 * LaboratoryTestResult of zib-LaboratoryTestResult). */
static int is_lab_observation(struct reader *r, const struct res *x)
{
	const struct fhir_node *meta = fhir_child(x->node, "meta"), *p;
	const struct zib_concept *root = zib_concept_find(r->ctx, LAB_ROOT);
	const char *map = root ? fhir_mapping_of(root, x->rel) : NULL;
	const char *pre = x->rel->core_profile_prefix;
	char prof[256];
	size_t pl;

	if (strcmp(x->type, "Observation") != 0 || !meta || !map)
		return 0;
	pl = strcspn(map, "#");
	if (pre && strncmp(map, "zib-", 4) == 0)
		snprintf(prof, sizeof(prof), "/%s%.*s", pre, (int)pl - 4, map + 4);
	else
		snprintf(prof, sizeof(prof), "/%.*s", (int)pl, map);
	pl = strlen(prof);
	for (p = meta->children; p; p = p->next) {
		size_t n = p->value ? strlen(p->value) : 0;
		if (strcmp(p->name, "profile") == 0 && n >= pl && strcmp(p->value + n - pl, prof) == 0)
			return 1;
	}
	return 0;
}

/* The reference of a child n of panel x that names a member: zib2017's
 * related of type has-member, zib2020's hasMember; else NULL. */
static const char *member_reference(const struct res *x, const struct fhir_node *n)
{
	const char *type;

	if (x->rel->fhir_major >= 4)
		return strcmp(n->name, "hasMember") == 0 ? fhir_child_value(n, "reference") : NULL;
	type = strcmp(n->name, "related") == 0 ? fhir_child_value(n, "type") : NULL;
	if (!type || strcmp(type, "has-member") != 0)
		return NULL;
	return fhir_child_value(fhir_child(n, "target"), "reference");
}

/* The lab Observation of x's release a child rel of x names as a member,
 * or NULL (no member reference, a target not in the input). */
static struct res *member_of(struct reader *r, struct res *x, const struct fhir_node *rel)
{
	const char *ref = member_reference(x, rel);
	struct res *t = ref ? fhir_resolve(r, x, ref) : NULL;

	return t && t != x && t->rel == x->rel && is_lab_observation(r, t) ? t : NULL;
}

static int has_members(struct reader *r, struct res *x)
{
	const struct fhir_node *c;

	for (c = x->node->children; c; c = c->next)
		if (member_of(r, x, c))
			return 1;
	return 0;
}

/* Before reading: each member gets its panel (the first that names it).
 * A member that is a panel itself stays an instance of its own: nested
 * panels are no zib structure. */
void fhir_mark_lab_members(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		const struct fhir_node *c;
		if (x->panel || !is_lab_observation(r, x))
			continue;
		for (c = x->node->children; c; c = c->next) {
			struct res *t = member_of(r, x, c);
			if (t && !t->panel && !t->part && !has_members(r, t)) {
				t->panel = x;
				t->part = 1;
				t->owner = x;
			}
		}
	}
}

/* A member's specimen that is the panel's own (BgZ 3.0 patA labresult1
 * and its tests name one Specimen): the Monster the panel gives, read
 * there.  Another specimen has no place in the uitslag's one Monster and
 * stays unread, to be reported. */
static void consume_panel_specimen(struct reader *r, struct res *panel, struct res *member)
{
	struct fhir_node *m;
	const struct fhir_node *p;

	for (m = member->node->children; m; m = m->next) {
		struct res *t = strcmp(m->name, "specimen") == 0 ?
			fhir_resolve(r, member, fhir_child_value(m, "reference")) : NULL;
		for (p = panel->node->children; t && p; p = p->next)
			if (strcmp(p->name, "specimen") == 0 && fhir_resolve(r, panel, fhir_child_value(p, "reference")) == t)
				fhir_mark_tree(m);
	}
}

/* The LaboratoriumTest groups of a panel read as instance inst: one per
 * member, read from the member as a lone Observation's is read from
 * itself.  -1 when c is no LaboratoriumTest of a panel (read as usual). */
int fhir_read_panel_tests(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w)
{
	struct fhir_node *rel;
	int added = 0, members = 0;

	if (strcmp(c->id, LAB_TEST) != 0 || w->node != w->res->node || w->res->panel)
		return -1;
	for (rel = w->res->node->children; rel; rel = rel->next) {
		struct res *t = member_of(r, w->res, rel);
		struct where mw;
		if (!t || t->panel != w->res)
			continue;
		members++;
		mw.node = t->node;
		mw.path = w->path;
		mw.res = t;
		mw.within = NULL;
		t->node->used = 1;
		added += fhir_map_concept(r, inst, c, pv, &mw);
		consume_panel_specimen(r, w->res, t);
		fhir_mark_tree(rel);
		if (!t->inst)
			t->inst = inst;
	}
	return members ? added : -1;
}
