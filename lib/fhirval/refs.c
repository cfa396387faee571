/*
 * References: a local reference (#id) needs a contained resource of that
 * id (ref-1); a reference that resolves inside the Bundle must name the
 * type of what it resolves to, and that type must be one the element
 * allows (the targetProfiles of its base definition).  A profile's
 * targetProfiles are checked on what a reference resolves to in
 * profile.c, through fv_resolve.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"

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

/*
 * The Bundle index: each entry's resource under the keys a reference can
 * name it by, so resolving is a hash lookup, not a scan of the entries:
 *   F:fullUrl          the fullUrl itself
 *   S:suffix           each tail of the fullUrl after a '/' that still
 *                      holds a '/' ("Patient/1" of ".../fhir/Patient/1")
 *   U:uuid             the uuid of a urn:uuid fullUrl (Type/<uuid> names it)
 *   T:Type/id          the resource's own type and id
 * One index per run, for the Bundle last asked about (nested Bundles are
 * rare; switching rebuilds).
 */
struct hit {
	const struct fhir_node *res;
	struct hit *next;
};

struct fv_bundle_index {
	const struct fhir_node *bundle;
	struct arena arena;
	struct strmap keys;
	int failed;
};

static void index_add(struct fv_bundle_index *x, const char *prefix, const char *key, size_t len,
	const struct fhir_node *res)
{
	char *k = arena_printf(&x->arena, "%s%.*s", prefix, (int)len, key);
	struct hit *h, *first;

	if (!k) {
		x->failed = 1;
		return;
	}
	first = strmap_get(&x->keys, k);
	for (h = first; h; h = h->next)
		if (h->res == res)
			return;
	h = arena_alloc(&x->arena, sizeof(*h));
	if (!h) {
		x->failed = 1;
		return;
	}
	h->res = res;
	h->next = first;
	if (strmap_put(&x->keys, k, h) < 0)
		x->failed = 1;
}

static void index_build(struct fv_bundle_index *x, const struct fhir_node *bundle)
{
	const struct fhir_node *e;

	x->bundle = bundle;
	for (e = bundle->children; e; e = e->next) {
		const char *full, *id, *p;
		const struct fhir_node *res;
		if (strcmp(e->name, "entry") != 0 || !(res = fv_child(e, "resource")))
			continue;
		full = fv_child_value(e, "fullUrl");
		id = fv_child_value(res, "id");
		if (full) {
			index_add(x, "F:", full, strlen(full), res);
			for (p = strchr(full, '/'); p; p = strchr(p + 1, '/'))
				if (strchr(p + 1, '/'))
					index_add(x, "S:", p + 1, strlen(p + 1), res);
			if (strncmp(full, "urn:uuid:", 9) == 0)
				index_add(x, "U:", full + 9, strlen(full + 9), res);
		}
		if (id) {
			const char *type = fhir_resource_name(res);
			char *k = arena_printf(&x->arena, "%s/%s", type, id);
			if (k)
				index_add(x, "T:", k, strlen(k), res);
		}
	}
}

static struct fv_bundle_index *index_for(struct fv_run *run, const struct fhir_node *bundle)
{
	struct fv_bundle_index *x;

	if (run->root)
		run = run->root;   /* one index for the document and its scratch runs */
	x = run->bundle_index;

	if (x && x->bundle == bundle)
		return x->failed ? NULL : x;
	if (x) {
		strmap_release(&x->keys);
		arena_release(&x->arena);
	} else if (!(x = calloc(1, sizeof(*x)))) {
		return NULL;
	}
	memset(x, 0, sizeof(*x));
	arena_init(&x->arena);
	strmap_init(&x->keys, 0);
	run->bundle_index = x;
	index_build(x, bundle);
	return x->failed ? NULL : x;
}

void fv_run_release(struct fv_run *run)
{
	struct fv_bundle_index *x = run->bundle_index;

	fv_targets_release(run);
	if (!x)
		return;
	strmap_release(&x->keys);
	arena_release(&x->arena);
	free(x);
	run->bundle_index = NULL;
}

/* Adds the hits of key to found[] (distinct), counting them in *count. */
static void collect(struct fv_bundle_index *x, const char *key, const struct fhir_node **found,
	size_t cap, int *count)
{
	const struct hit *h;
	int i;

	if (!key)
		return;
	for (h = strmap_get(&x->keys, key); h; h = h->next) {
		int seen = 0;
		for (i = 0; i < *count && (size_t)i < cap && !seen; i++)
			seen = found[i] == h->res;
		if (seen)
			continue;
		if ((size_t)*count < cap)
			found[*count] = h->res;
		(*count)++;
	}
}

/* The one entry resource ref resolves to in bundle; NULL for none or more
 * than one (*matches says how many). */
static const struct fhir_node *resolve_in_bundle(struct fv_run *run, const struct fhir_node *bundle,
	const char *ref, int *matches)
{
	struct fv_bundle_index *x = index_for(run, bundle);
	const struct fhir_node *found[8];
	const char *slash = strchr(ref, '/');
	struct arena tmp;
	int count = 0;

	*matches = 0;
	if (!x)
		return NULL;
	arena_init(&tmp);
	collect(x, arena_printf(&tmp, "F:%s", ref), found, 8, &count);
	if (slash) {
		collect(x, arena_printf(&tmp, "S:%s", ref), found, 8, &count);
		if (!strchr(slash + 1, '/'))
			collect(x, arena_printf(&tmp, "U:%s", slash + 1), found, 8, &count);
		if (!strchr(ref, ':'))
			collect(x, arena_printf(&tmp, "T:%s", ref), found, 8, &count);
	}
	arena_release(&tmp);
	*matches = count;
	return count == 1 ? found[0] : NULL;
}

const struct fhir_node *fv_resolve(struct fv_run *run, const struct fhir_node *n)
{
	const char *ref = fv_child_value(n, "reference");
	const struct fhir_node *bundle;
	int matches = 0;

	if (!ref || !*ref)
		return NULL;
	if (ref[0] == '#') {
		const struct fhir_node *c = container_of(n);
		return !c || !ref[1] ? c : find_contained(c, ref + 1);
	}
	if (!(bundle = bundle_of(n)))
		return NULL;
	return resolve_in_bundle(run, bundle, ref, &matches);
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
	/* Target types from R4's table; another release's come with its
	 * definitions (release.c). */
	if (run->core && n->parent && n->parent->type)
		rule = fv_rule_find(n->parent->type->name, fv_def_name(n, name, sizeof(name)));
	if (!(bundle = bundle_of(n)))
		return;
	if (!(target = resolve_in_bundle(run, bundle, ref, &matches))) {
		/* A document must say what it means; elsewhere it is a warning. */
		const char *btype = fv_child_value(bundle, "type");
		int document = btype && strcmp(btype, "document") == 0;
		if (matches > 1)
			fv_report(run, n, document ? ZIB_SEV_ERROR : ZIB_SEV_WARNING,
				document ? FV_CODE_REF_AMBIG_DOC : FV_CODE_REF_AMBIG, "reference '%s' matches "
				"%d entries of the %sBundle", ref, matches, document ? "document " : "");
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
