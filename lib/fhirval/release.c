/*
 * A document of another FHIR release than R4 (STU3).  The compiled rules
 * (core_r4.c, ext_gen.c, the structure table's order) are R4's and are
 * never applied to it; what judges it is what was loaded for its release
 * (run->defs is the release's view, fhirdef_set_release):
 *
 *   each resource and datatype against its base definition of the release,
 *   when loaded: every element known to it (no R4 element where STU3 has
 *   none, no STU3 element refused because R4 dropped it), cardinality,
 *   fixed and pattern values, required bindings (profile.c's walk);
 *   invariants come from the same definitions (invariant.c);
 *
 *   a profile that has no snapshot because its base is not loaded (the
 *   zib2017 profiles are differentials on STU3 core) by its differential
 *   alone: only what the differential says for an element every instance
 *   element at that path must meet (cardinality, fixed, pattern, required
 *   binding to a value set expandable here, maxLength, allowed types), and
 *   extension slices by their url.  Slices of anything else need the
 *   base's discriminators and element order: not checked.
 */
#include <stdio.h>
#include <string.h>

#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"

/* Every child of instance node n must be an element of sd's element ei;
 * backbone elements (children in the snapshot) are followed, datatypes
 * are checked on their own node against their own definition. */
static void known_children(struct fv_run *run, const struct fhirdef_sd *sd, int ei,
	const struct fhir_node *n, int depth)
{
	const struct fhir_node *c;

	if (depth > FHIR_MAX_DEPTH)
		return;
	for (c = n->children; c; c = c->next) {
		int ci = fhirdef_elem_child(sd, ei, c->name, strlen(c->name), NULL);
		if (ci < 0) {
			fv_report(run, c, ZIB_SEV_ERROR, FHIR_CODE_UNKNOWN, "element '%s' is not an "
				"element of %s in FHIR %s (%s)", c->name, sd->elems[ei].path,
				sd->fhir_version ? sd->fhir_version : "?", sd->url);
			continue;
		}
		if (c->kind != FHIR_K_RESOURCE && (sd->elems[ci].first_child >= 0 ||
		    sd->elems[ci].content_ref >= 0) && (!c->type || strchr(c->type->name, '.')))
			known_children(run, sd, ci, c, depth + 1);
	}
}

void fv_check_release(struct fv_run *run, const struct fhir_node *n)
{
	const struct fhirdef_sd *sd;
	const char *type;

	if (!run->defs)
		return;
	if (n->kind == FHIR_K_RESOURCE)
		type = fhir_resource_name(n);
	else if (n->kind == FHIR_K_COMPLEX && n->type && !strchr(n->type->name, '.'))
		type = n->type->name;
	else
		return;
	sd = fhirdef_sd_type(run->defs, type);
	if (!sd || sd->error || !sd->nelems)
		return;
	known_children(run, sd, 0, n, 0);
	fv_check_profile(run, run->defs, sd->url, n);
}

/* ---- a profile by its differential alone ---- */

/* Does instance child c fill the element named step (value[x] by any
 * type, or a type-specific name such as valueQuantity)? */
static int step_fills(const char *step, size_t len, const struct fhir_node *c)
{
	if (strlen(c->name) == len && strncmp(c->name, step, len) == 0)
		return 1;
	return len > 3 && strncmp(step + len - 3, "[x]", 3) == 0 && c->def && c->def->choice &&
		strncmp(c->name, step, len - 3) == 0;
}

struct diff_run {
	struct fv_run *run;
	struct fhirdef_set *set;
	const struct fhirdef_sd *sd;
	const struct fhirdef_elem *e;
};

static void diff_value(struct diff_run *d, const struct fhir_node *c);

/* The instance nodes at path (steps after the root) under n: each parent
 * node reached by all but the last step gets its children of the last
 * step counted and checked. */
static void diff_walk(struct diff_run *d, const struct fhir_node *n, const char *path, int depth)
{
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	const struct fhir_node *c;
	const struct fhirdef_elem *e = d->e;
	int count = 0;

	if (depth > FHIR_MAX_DEPTH)
		return;
	for (c = n->children; c; c = c->next) {
		if (!step_fills(path, len, c))
			continue;
		if (dot) {
			diff_walk(d, c, dot + 1, depth + 1);
			continue;
		}
		count++;
		diff_value(d, c);
	}
	if (dot)
		return;
	if (count < e->min)
		fv_report(d->run, n, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "%s: minimum required = %d, "
			"but only found %d (from %s, by its differential)", e->id, e->min, count,
			d->sd->url);
	else if (e->max_text && e->max >= 0 && count > e->max)
		fv_report(d->run, n, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "%s: max allowed = %d, but "
			"found %d (from %s, by its differential)", e->id, e->max, count, d->sd->url);
}

/* The code of a code, Coding or CodeableConcept node in the required
 * binding's value set: an error only when the set says no (a set or code
 * system not here is not checked). */
static void diff_binding(struct diff_run *d, const struct fhir_node *c)
{
	const char *vs = d->e->binding->value_set;
	const struct fhir_node *cd;
	int any = 0, no = 0;

	if (c->kind == FHIR_K_PRIM) {
		if (c->value && fhirdef_vs_contains(d->set, vs, NULL, c->value, NULL, NULL) == FHIRDEF_NO)
			no = 1;
	} else if (fv_child_value(c, "code")) {
		no = fhirdef_vs_contains(d->set, vs, fv_child_value(c, "system"),
			fv_child_value(c, "code"), NULL, NULL) == FHIRDEF_NO;
	} else {
		for (cd = c->children; cd; cd = cd->next) {
			int a;
			if (strcmp(cd->name, "coding") != 0 || !fv_child_value(cd, "code"))
				continue;
			a = fhirdef_vs_contains(d->set, vs, fv_child_value(cd, "system"),
				fv_child_value(cd, "code"), NULL, NULL);
			any |= a != FHIRDEF_NO;
			no = 1;
		}
		no = no && !any;
	}
	if (no)
		fv_report(d->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the code is not in the "
			"value set '%s' of the required binding (from %s, by its differential)",
			d->e->id, vs, d->sd->url);
}

static void diff_value(struct diff_run *d, const struct fhir_node *c)
{
	const struct fhirdef_elem *e = d->e;

	if (c->def && c->def->choice && e->ntypes && !fv_type_allowed(e, c->def->type_code))
		fv_report(d->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: type %s is not "
			"allowed here (from %s, by its differential)", e->id, c->def->type_code,
			d->sd->url);
	if (e->fixed && !fv_matches_pattern(c, e->fixed))
		fv_report(d->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value does not "
			"match the fixed value%s%s (from %s, by its differential)", e->id,
			e->fixed->value ? " " : "", e->fixed->value ? e->fixed->value : "", d->sd->url);
	if (e->pattern && !fv_matches_pattern(c, e->pattern))
		fv_report(d->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value does not "
			"match the pattern (from %s, by its differential)", e->id, d->sd->url);
	if (e->max_length > 0 && c->value && (long)c->value_len > e->max_length)
		fv_report(d->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value is longer "
			"than maxLength %d (from %s, by its differential)", e->id, e->max_length,
			d->sd->url);
	if (e->binding && e->binding->value_set && e->binding->strength &&
	    strcmp(e->binding->strength, "required") == 0)
		diff_binding(d, c);
	if (e->nconstraints)
		fv_check_constraints(d->run, e, d->sd->url, c, 1);
}

/* An extension slice (its url the slice type's profile): the extensions
 * with that url under each parent node, against the slice's cardinality. */
static void diff_extension_slice(struct diff_run *d, const struct fhir_node *n, const char *path,
	const char *url, int depth)
{
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	const struct fhir_node *c;
	int count = 0;

	if (depth > FHIR_MAX_DEPTH)
		return;
	for (c = n->children; c; c = c->next) {
		const char *u;
		if (!step_fills(path, len, c))
			continue;
		if (dot) {
			diff_extension_slice(d, c, dot + 1, url, depth + 1);
			continue;
		}
		u = fv_child_value(c, "url");
		count += u && strcmp(u, url) == 0;
	}
	if (dot)
		return;
	if (count < d->e->min || (d->e->max_text && d->e->max >= 0 && count > d->e->max))
		fv_report(d->run, n, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "%s: the extension '%s' "
			"occurs %d times, the profile allows %d..%s (from %s, by its differential)",
			d->e->id, url, count, d->e->min, d->e->max_text ? d->e->max_text : "*",
			d->sd->url);
}

int fv_check_differential(struct fv_run *run, struct fhirdef_set *set,
	const struct fhirdef_sd *sd, const struct fhir_node *res)
{
	struct diff_run d;
	const char *slice_path = NULL;   /* the path of the slice elements belong to */
	size_t i;

	if (!sd->ndiff || !sd->type || strcmp(sd->type, res->kind == FHIR_K_RESOURCE ?
	    fhir_resource_name(res) : res->def ? res->def->type_code : "") != 0)
		return 0;
	d.run = run;
	d.set = set;
	d.sd = sd;
	for (i = 0; i < sd->ndiff; i++) {
		const struct fhirdef_elem *e = &sd->diff[i];
		const char *dot = e->path ? strchr(e->path, '.') : NULL;
		int in_slice;

		if (!e->path)
			continue;
		/* Inside a slice: its id has a slice before its own last step's
		 * (":name" of the slice itself), or (no ids) it is below the last
		 * element that named a slice. */
		if (slice_path && !(strncmp(e->path, slice_path, strlen(slice_path)) == 0 &&
		    e->path[strlen(slice_path)] == '.'))
			slice_path = NULL;
		in_slice = slice_path != NULL || (e->id && strchr(e->id, ':') &&
			strchr(e->id, ':') < e->id + strlen(e->id) - (e->slice_name ?
			strlen(e->slice_name) + 1 : 0));
		if (e->slice_name && !in_slice) {
			const char *step = e->name;
			if ((strcmp(step, "extension") == 0 || strcmp(step, "modifierExtension") == 0) &&
			    e->ntypes && e->types[0].nprofiles && dot) {
				d.e = e;
				diff_extension_slice(&d, res, dot + 1, e->types[0].profiles[0], 0);
			}
			slice_path = e->path;
			continue;
		}
		if (in_slice)
			continue;   /* needs the base's discriminators: not checked */
		d.e = e;
		if (!dot) {
			if (e->nconstraints)
				fv_check_constraints(run, e, sd->url, res, 1);
			continue;
		}
		diff_walk(&d, res, dot + 1, 0);
	}
	return 1;
}
