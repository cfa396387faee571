/*
 * The FHIR zib reader: zib2017 laboratory panels.  A LaboratoriumUitslag
 * of several tests is a panel Observation whose Observation.related of
 * type 'has-member' point at one Observation per LaboratoriumTest
 * (zib-LaboratoryTestResult-Observation, the profile's root comment): the
 * panel's code is the Onderzoek, each member's code, value, reference
 * range, flags and date its test's.  So the panel is one instance whose
 * LaboratoriumTest groups (NL-CM:13.1.3) are read from its members, and a
 * member is no instance of its own.  A member the input does not hold
 * leaves the panel read as a lone test, as a lone Observation is.
 * Other related types are GerelateerdeUitslag (NL-CM:13.1.33).
 */
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"

#define LAB_PROFILE "/zib-LaboratoryTestResult-Observation"
#define LAB_TEST "NL-CM:13.1.3"

/* An STU3 Observation claiming the zib2017 LaboratoryTestResult profile. */
static int is_lab_observation(const struct res *x)
{
	const struct fhir_node *meta = child(x->node, "meta"), *p;
	size_t pl = strlen(LAB_PROFILE);

	if (!x->stu3 || strcmp(x->type, "Observation") != 0 || !meta)
		return 0;
	for (p = meta->children; p; p = p->next) {
		size_t n = p->value ? strlen(p->value) : 0;
		if (strcmp(p->name, "profile") == 0 && n >= pl && strcmp(p->value + n - pl, LAB_PROFILE) == 0)
			return 1;
	}
	return 0;
}

/* The lab Observation a related element rel of x names as a member, or
 * NULL (another type, a target not in the input). */
static struct res *member_of(struct reader *r, struct res *x, const struct fhir_node *rel)
{
	const char *type = child_value(rel, "type");
	const struct fhir_node *target = child(rel, "target");
	struct res *t;

	if (strcmp(rel->name, "related") != 0 || !type || strcmp(type, "has-member") != 0 || !target)
		return NULL;
	t = resolve(r, x, child_value(target, "reference"));
	return t && t != x && is_lab_observation(t) ? t : NULL;
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
 * panels are no zib2017 structure. */
void mark_lab_members(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		const struct fhir_node *c;
		if (x->panel || !is_lab_observation(x))
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
			resolve(r, member, child_value(m, "reference")) : NULL;
		for (p = panel->node->children; t && p; p = p->next)
			if (strcmp(p->name, "specimen") == 0 && resolve(r, panel, child_value(p, "reference")) == t)
				mark_tree(m);
	}
}

/* The LaboratoriumTest groups of a panel read as instance inst: one per
 * member, read from the member as a lone Observation's is read from
 * itself.  -1 when c is no LaboratoriumTest of a panel (read as usual). */
int read_panel_tests(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w, int stu3)
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
		added += map_concept(r, inst, c, pv, &mw, stu3);
		consume_panel_specimen(r, w->res, t);
		mark_tree(rel);
		if (!t->inst)
			t->inst = inst;
	}
	return members ? added : -1;
}
