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
