/*
 * The FHIR zib reader, step 4: references between instances: which zib a
 * reference concept points at, the pending references and their
 * resolution, and the report of references that resolve nowhere.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read.h"
#include "fhir/zib_read_int.h"
#include "map/walk.h"
#include "model/doc.h"

void fhir_add_ref(struct reader *r, struct zib_value *v, struct res *target)
{
	if (r->nrefs == r->caprefs) {
		size_t cap = r->caprefs ? r->caprefs * 2 : 64;
		struct pend_ref *p = realloc(r->refs, cap * sizeof(*p));
		if (!p) {
			r->failed = 1;
			return;
		}
		r->refs = p;
		r->caprefs = cap;
	}
	r->refs[r->nrefs].v = v;
	r->refs[r->nrefs].target = target;
	r->nrefs++;
}

/* The zib a reference concept points at: the zib whose root it is, or, for
 * a reference of its own id (BehandelAanwijzing2's AfspraakPartij Patient,
 * Vertegenwoordiger, Zorgverlener: NL-CM:2.2.10-12), the zib it is named
 * after; zib2020 names a Contactpersoon by the role it has. */
static const zib_model *referenced_zib(struct reader *r, const struct zib_concept *c)
{
	const zib_model *m = zib_model_find(r->ctx, c->name_nl);

	if (m && strcmp(m->root, c->id) == 0)
		return m;
	if (strcmp(c->datatype, "GROUP") != 0 || map_has_children(c))
		return NULL;
	if (strcmp(c->name_nl, "Vertegenwoordiger") == 0)
		return zib_model_find(r->ctx, "Contactpersoon");
	return m;
}

/* Can a Reference to ref (seen in resource from) be an instance of the zib
 * c points at?  zib2017 maps both of Contact's RedenContact
 * Probleem and Verrichting to Encounter.diagnosis.condition, a
 * Reference(Condition | Procedure): the target's type tells them apart. */
int fhir_ref_fits_zib(struct reader *r, struct res *from, const struct zib_concept *c, const char *ref)
{
	const struct res *t = fhir_resolve(r, from, ref);
	const zib_model *m = referenced_zib(r, c);
	const char *list, *slash;
	char type[64];

	if (!m)
		return 1;
	list = m->fhir_r4_resource;
	if (!list || !*list)
		return 1;
	if (t) {
		snprintf(type, sizeof(type), "%s", t->type);
	} else {
		const char *h = strstr(ref, "/_history/"), *end = h ? h : ref + strlen(ref);
		const char *last = NULL, *p;
		/* [base/]Type/id: the segment before the last '/'. */
		for (p = ref; p < end; p++)
			if (*p == '/')
				last = p;
		if (!last)
			return 1;
		for (slash = last; slash > ref && slash[-1] != '/'; slash--)
			;
		snprintf(type, sizeof(type), "%.*s", (int)(last - slash), slash);
	}
	if (!isupper((unsigned char)type[0]) || model_list_has(list, type))
		return 1;
	/* zib2017 resource types that zib2020 renamed. */
	return strcmp(type, "ProcedureRequest") == 0 && model_list_has(list, "ServiceRequest");
}

/* The Reference a group's node is or holds: the node (or its extension's
 * value), the actor of a performer backbone (zib2017 maps Verrichting's
 * Uitvoerder and Locatie to Procedure.performer; the FHIR writer writes the
 * reference as its actor), or the agent of an STU3 requester backbone
 * (MedicatieAfspraak's Voorschrijver: MedicationRequest.requester). */
struct fhir_node *fhir_reference_of_group(struct fhir_node *n)
{
	struct fhir_node *v = fhir_ext_value(n), *actor;

	if (fhir_child(v, "reference"))
		return v;
	actor = fhir_child(n, "actor");
	if (!actor)
		actor = fhir_child(n, "agent");
	return actor && fhir_child(actor, "reference") ? actor : NULL;
}

/* A "reversed reference" (zib2020 Verrichting's MedischHulpmiddel: the
 * DeviceUseStatement's derivedFrom points at the Procedure): when reference
 * node rn, found from resource from, points back at from, the resource that
 * holds rn is the one the group means; else NULL. */
struct res *fhir_reversed_reference_holder(struct reader *r, struct res *from, const struct fhir_node *rn)
{
	const struct fhir_node *top = rn;
	const char *ref = fhir_child_value(rn, "reference");
	size_t i;

	while (top && top->kind != FHIR_K_RESOURCE)
		top = top->parent;
	if (!ref || !top || top == from->node)
		return NULL;
	for (i = 0; i < r->nres; i++)
		if (r->res[i].node == top)
			return fhir_resolve(r, &r->res[i], ref) == from ? &r->res[i] : NULL;
	return NULL;
}

/* Is type an order a resource can be basedOn (STU3 ProcedureRequest, R4
 * ServiceRequest)? */
int fhir_is_order_type(const char *type)
{
	return strcmp(type, "ProcedureRequest") == 0 || strcmp(type, "ServiceRequest") == 0;
}

/* An STU3 ProcedureRequest a resource is basedOn is the order it fulfils
 * (zib2017 maps Verrichting's and LaboratoriumUitslag's Aanvrager to
 * basedOn), not a planned Verrichting of its own: a part of the referrer,
 * read through it.  So is an R4 ServiceRequest a Procedure is basedOn
 * (zib2020 maps Verrichting's Aanvrager to ServiceRequest.requester). */
void fhir_mark_orders(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nres; i++) {
		struct res *x = &r->res[i];
		const struct fhir_node *c;
		for (c = x->node->children; c; c = c->next) {
			const char *ref = strcmp(c->name, "basedOn") == 0 ? fhir_child_value(c, "reference") : NULL;
			struct res *t = ref ? fhir_resolve(r, x, ref) : NULL;
			if (t && t != x && (strcmp(t->type, "ProcedureRequest") == 0 ||
			    (strcmp(t->type, "ServiceRequest") == 0 && strcmp(x->type, "Procedure") == 0)) &&
			    !t->part) {
				t->part = 1;
				t->owner = x;
			}
		}
	}
}

/* The Reference to who asked for the order rn references (a basedOn's
 * ProcedureRequest): its requester's agent, with *in set to the order;
 * else NULL.  A Zorgverlener wanted where the zib2017 mapping has the
 * order. */
struct fhir_node *fhir_order_requester(struct reader *r, struct res *from, const struct fhir_node *rn,
	struct res **in)
{
	const char *ref = fhir_child_value(rn, "reference");
	struct res *t = ref ? fhir_resolve(r, from, ref) : NULL;
	struct fhir_node *requester = NULL, *agent;

	if (t && strcmp(t->type, "ProcedureRequest") == 0)
		requester = fhir_child(t->node, "requester");
	agent = requester ? fhir_reference_of_group(requester) : NULL;

	if (agent)
		*in = t;
	return agent;
}

void fhir_resolve_refs(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nrefs; i++) {
		struct pend_ref *p = &r->refs[i];
		/* A resource read as part of another's zib (a Practitioner of
		 * a PractitionerRole): the instance it is part of. */
		if (p->target && p->target->inst)
			p->v->target = p->target->inst;
		else if (p->target && p->target->owner && p->target->owner->inst &&
		    strcmp(p->target->owner->inst->model->root, p->v->concept->id) == 0)
			p->v->target = p->target->owner->inst;
	}
}

/* Every Reference in a read resource that points nowhere in the input. */
void fhir_check_refs(struct reader *r, struct res *x, struct fhir_node *n)
{
	struct fhir_node *c;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		if (strcmp(c->name, "reference") == 0 && c->value && n->kind != FHIR_K_RESOURCE &&
		    !fhir_resolve(r, x, c->value))
			fhir_finding(r, x, c, ZIB_SEV_WARNING, FHIRZ_CODE_UNRESOLVED, c->value,
				"reference '%s' does not resolve within the input", c->value);
		else if (c->children)
			fhir_check_refs(r, x, c);
	}
}

/* Builds r->referrers_at/by: for every resource, the resources whose
 * top-level elements reference it, each once, in input order.  Returns 0
 * when out of memory. */
static int index_referrers(struct reader *r)
{
	size_t n = r->nres, i, total = 0;
	size_t *at = arena_alloc(&r->tmp, (n + 1) * sizeof(*at));
	size_t *seen = calloc(n ? n : 1, sizeof(*seen));
	size_t *by = NULL;
	int pass;

	if (!at || !seen) {
		free(seen);
		return 0;
	}
	/* Pass 0 counts per target, pass 1 fills; seen[t] = 1 + the last
	 * referrer of t, so a resource is listed once per target. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (i = 0; i < n; i++) {
				size_t c = at[i + 1];
				at[i + 1] = total;
				total += c;
			}
			at[0] = 0;
			by = arena_alloc(&r->tmp, (total ? total : 1) * sizeof(*by));
			if (!by) {
				free(seen);
				return 0;
			}
			memset(seen, 0, n * sizeof(*seen));
		}
		for (i = 0; i < n; i++) {
			struct res *y = &r->res[i];
			const struct fhir_node *c;
			for (c = y->node->children; c; c = c->next) {
				const char *ref = fhir_child_value(c, "reference");
				struct res *t = ref ? fhir_resolve(r, y, ref) : NULL;
				size_t ti;
				if (!t)
					continue;
				ti = (size_t)(t - r->res);
				if (seen[ti] == i + 1)
					continue;
				seen[ti] = i + 1;
				if (pass == 0)
					at[ti + 1]++;
				else
					by[at[ti + 1]++] = i;
			}
		}
	}
	free(seen);
	/* After the fill at[i + 1] is the end of i's list: at[i] .. at[i + 1]
	 * is the list of i. */
	r->referrers_at = at;
	r->referrers_by = by;
	return 1;
}

/* The first resource of type that references x from one of its
 * top-level elements (a PractitionerRole of a Practitioner), or NULL. */
struct res *fhir_referrer_of_type(struct reader *r, struct res *x, const char *type)
{
	size_t i, k;

	if (!r->referrers_at && !index_referrers(r)) {
		r->failed = 1;
		return NULL;
	}
	i = (size_t)(x - r->res);
	for (k = r->referrers_at[i]; k < r->referrers_at[i + 1]; k++) {
		struct res *y = &r->res[r->referrers_by[k]];
		if (strcmp(y->type, type) == 0)
			return y;
	}
	return NULL;
}
