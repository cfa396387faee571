/*
 * References: a local reference (#id) needs a contained resource of that
 * id (ref-1); a reference that resolves inside the Bundle must name the
 * type of what it resolves to, and that type must be one the element
 * allows (the targetProfiles of its base definition).
 */
#include <string.h>

#include "fhirval/core.h"
#include "fhirval/fhirval.h"

/* The resource n is in: the nearest resource node above it. */
static const struct fhir_node *resource_of(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n;
}

/* The resource that contains n: the outermost of a contained chain. */
static const struct fhir_node *container_of(const struct fhir_node *n)
{
	const struct fhir_node *r = resource_of(n);

	while (r && r->parent && strcmp(r->name, "contained") == 0)
		r = resource_of(r->parent);
	return r;
}

static const struct fhir_node *find_contained(const struct fhir_node *res, const char *id)
{
	const struct fhir_node *c;

	for (c = res->children; c; c = c->next) {
		const char *cid;
		if (strcmp(c->name, "contained") != 0)
			continue;
		cid = fv_child_value(c, "id");
		if (cid && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

/* Whether type is one of targets ("Patient|Group"; "Resource" is any). */
static int target_ok(const char *targets, const char *type)
{
	size_t tl = strlen(type);
	const char *p = targets;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		if ((l == tl && strncmp(p, type, l) == 0) || (l == 8 && strncmp(p, "Resource", 8) == 0))
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* The Bundle n is in (the nearest one), and the entry it is in; NULL when
 * not in a Bundle. */
static const struct fhir_node *bundle_of(const struct fhir_node *n)
{
	const struct fhir_node *r;

	for (r = resource_of(n); r && r->parent; r = resource_of(r->parent))
		if (strcmp(r->name, "resource") == 0 && r->parent->parent &&
		    r->parent->parent->type && strcmp(r->parent->parent->type->name, "Bundle") == 0)
			return r->parent->parent;
	return NULL;
}

/* The one entry resource ref resolves to in bundle; NULL for none or more
 * than one (*count says how many). */
static const struct fhir_node *resolve_in_bundle(const struct fhir_node *bundle, const char *ref,
	int *matches)
{
	const struct fhir_node *e, *found = NULL;
	const char *slash = strchr(ref, '/');
	size_t rl = strlen(ref);
	int count = 0;

	for (e = bundle->children; e; e = e->next) {
		const char *full, *id;
		const struct fhir_node *res;
		size_t fl;
		int match = 0;
		if (strcmp(e->name, "entry") != 0 || !(res = fv_child(e, "resource")))
			continue;
		full = fv_child_value(e, "fullUrl");
		id = fv_child_value(res, "id");
		fl = full ? strlen(full) : 0;
		if (full && strcmp(full, ref) == 0)
			match = 1;
		else if (slash && full && fl > rl && full[fl - rl - 1] == '/' &&
			 strcmp(full + fl - rl, ref) == 0)
			match = 1;
		else if (slash && !strchr(slash + 1, '/') && full && strncmp(full, "urn:uuid:", 9) == 0 &&
			 strcmp(full + 9, slash + 1) == 0)
			match = 1;   /* Type/<uuid> against urn:uuid:<uuid> */
		else if (slash && id && strchr(ref, ':') == NULL &&
			 strlen(fhir_resource_name(res)) == (size_t)(slash - ref) &&
			 strncmp(fhir_resource_name(res), ref, (size_t)(slash - ref)) == 0 &&
			 strcmp(id, slash + 1) == 0)
			match = 1;
		if (match) {
			found = res;
			count++;
		}
	}
	*matches = count;
	return count == 1 ? found : NULL;
}

void fv_check_reference(struct fv_run *run, const struct fhir_node *n)
{
	const char *ref, *slash;
	const struct fhir_node *bundle, *target;
	const struct fv_rule *rule = NULL;
	char name[128];
	int matches = 0;

	if (n->kind != FHIR_K_COMPLEX || !n->type || strcmp(n->type->name, "Reference") != 0)
		return;
	if (!(ref = fv_child_value(n, "reference")))
		return;
	if (ref[0] == '#') {
		const struct fhir_node *c = container_of(n);
		if (ref[1] && c && !find_contained(c, ref + 1))
			fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_REF_LOCAL, "local reference '%s' has no "
				"contained resource with that id (ref-1)", ref);
		return;
	}
	if (n->parent && n->parent->type)
		rule = fv_rule_find(n->parent->type->name, fv_def_name(n, name, sizeof(name)));
	if (!(bundle = bundle_of(n)))
		return;
	if (!(target = resolve_in_bundle(bundle, ref, &matches))) {
		if (matches > 1)
			fv_report(run, n, ZIB_SEV_WARNING, FV_CODE_REF_AMBIG, "reference '%s' matches "
				"%d entries of the Bundle", ref, matches);
		return;
	}
	slash = strchr(ref, '/');
	if (slash && !strchr(ref, ':')) {
		const char *type = fhir_resource_name(target);
		if (strlen(type) != (size_t)(slash - ref) || strncmp(type, ref, (size_t)(slash - ref)) != 0) {
			fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_REF_TYPE, "reference '%s' resolves to "
				"a %s in the Bundle", ref, type);
			return;
		}
	}
	if (rule && rule->targets && !target_ok(rule->targets, fhir_resource_name(target)))
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_REF_TYPE, "reference '%s' resolves to a %s, "
			"which %s.%s does not allow (%s)", ref, fhir_resource_name(target),
			n->parent->type->name, name, rule->targets);
}
