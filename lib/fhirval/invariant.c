/*
 * Invariants: every constraint of the elements in play, evaluated with
 * lib/fhirpath: the constraints of each resource, datatype and backbone
 * element's definition (R4 core, from the definitions set), and those a
 * profile adds (profile.c calls fv_check_constraints).  Severity from the
 * constraint.  Left to other files: ele-1 (structure.c), txt-1 / txt-2
 * (structure.c), ref-1 (refs.c) and bdl-* (bundle.c); best-practice
 * constraints (dom-6 and the like) are not reported.
 *
 * Compiled expressions are kept for the life of the process in one table
 * shared by the worker threads (a mutex around lookups and inserts; a
 * compiled expression itself is immutable).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "fhirdef/fhirdef.h"
#include "fhirpath/fhirpath.h"
#include "fhirval/fhirval.h"

static struct strmap compiled;
static pthread_mutex_t compiled_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fhirpath_expr *const not_compilable = (struct fhirpath_expr *)&compiled;

/* The compiled expression, or NULL when it does not compile. */
static const struct fhirpath_expr *expr_of(const char *text)
{
	struct fhirpath_expr *e;

	pthread_mutex_lock(&compiled_lock);
	e = strmap_get(&compiled, text);
	if (!e) {
		struct fhirpath_error err;
		char *key = strdup(text);
		if (!key || fhirpath_compile(&e, text, &err) < 0)
			e = not_compilable;
		if (!key || strmap_put(&compiled, key, e) < 0) {
			if (e != not_compilable)
				fhirpath_free(e);
			free(key);
			e = not_compilable;
		}
	}
	pthread_mutex_unlock(&compiled_lock);
	return e == not_compilable ? NULL : e;
}

static int skipped(const struct fv_run *run, const struct fhirdef_constraint *c)
{
	static const char *const keys[] = { "ele-1", "txt-1", "txt-2", "ref-1", NULL };
	size_t i;

	/* bdl-* are bundle.c's for R4; another release's come from its
	 * Bundle definition. */
	if (!c->expression || c->best_practice || (run->core && strncmp(c->key, "bdl-", 4) == 0))
		return 1;
	for (i = 0; keys[i]; i++)
		if (strcmp(c->key, keys[i]) == 0)
			return 1;
	return 0;
}

/* memberOf(): a code, Coding or CodeableConcept node against a value set. */
static int member_of(void *user, const struct fhirpath_value *v, const char *valueset)
{
	struct fhirdef_set *set = user;
	const struct fhir_node *n = v->node, *c;
	int a = FHIRDEF_UNKNOWN;

	if (v->kind == FHIRPATH_STRING) {
		char code[256];
		if (v->len >= sizeof(code))
			return FHIRPATH_UNKNOWN;
		memcpy(code, v->s, v->len);
		code[v->len] = '\0';
		a = fhirdef_vs_contains(set, valueset, NULL, code, NULL, NULL);
	} else if (n && n->value) {
		a = fhirdef_vs_contains(set, valueset, NULL, n->value, NULL, NULL);
	} else if (n && fv_child_value(n, "code")) {
		a = fhirdef_vs_contains(set, valueset, fv_child_value(n, "system"),
			fv_child_value(n, "code"), NULL, NULL);
	} else if (n) {
		for (c = n->children; c; c = c->next) {
			int b;
			if (strcmp(c->name, "coding") != 0 || !fv_child_value(c, "code"))
				continue;
			b = fhirdef_vs_contains(set, valueset, fv_child_value(c, "system"),
				fv_child_value(c, "code"), NULL, NULL);
			if (b == FHIRDEF_YES)
				return FHIRPATH_YES;
			if (a != FHIRDEF_NO)
				a = b;
		}
	}
	return a == FHIRDEF_YES ? FHIRPATH_YES : a == FHIRDEF_NO ? FHIRPATH_NO : FHIRPATH_UNKNOWN;
}

static const struct fhir_node *resource_of(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n;
}

void fv_check_constraints(struct fv_run *run, const struct fhirdef_elem *e, const char *sd_url,
	const struct fhir_node *n, int profile_only)
{
	size_t i;

	for (i = 0; i < e->nconstraints; i++) {
		const struct fhirdef_constraint *c = &e->constraints[i];
		const struct fhirpath_expr *x;
		struct fhirpath_env env;
		struct fhirpath_error err;
		const struct fhir_node *root;
		int r;
		if (skipped(run, c))
			continue;
		/* In a profile, only what it adds: the base's own are checked
		 * on every node already. */
		if (profile_only && (!c->source || strncmp(c->source,
		    "http://hl7.org/fhir/StructureDefinition/", 40) == 0))
			continue;
		if (!(x = expr_of(c->expression)))
			continue;
		memset(&env, 0, sizeof(env));
		env.resource = resource_of(n);
		for (root = n; root->parent; root = root->parent)
			;
		env.root_resource = root;
		env.member_of = member_of;
		env.user = run->defs;
		r = fhirpath_eval_bool(x, n, &env, &err);
		if (r != FHIRPATH_NO)
			continue;   /* holds, empty, or not evaluable here */
		fv_report(run, n, strcmp(c->severity, "error") == 0 ? ZIB_SEV_ERROR : ZIB_SEV_WARNING,
			FV_CODE_INV, "constraint failed: %s: '%s' (from %s, element %s)", c->key,
			c->human ? c->human : c->expression, c->source ? c->source : sd_url, e->id);
	}
}

void fv_check_invariants(struct fv_run *run, const struct fhir_node *n)
{
	const struct fhirdef_sd *sd;
	const char *name, *dot;
	char root[128];
	int ei = 0;

	if (!run->defs || !n->type || (n->kind != FHIR_K_COMPLEX && n->kind != FHIR_K_RESOURCE))
		return;
	name = n->type->name;
	dot = strchr(name, '.');
	if (dot) {
		if ((size_t)(dot - name) >= sizeof(root))
			return;
		memcpy(root, name, (size_t)(dot - name));
		root[dot - name] = '\0';
		sd = fhirdef_sd_type(run->defs, root);
		ei = sd ? fhirdef_elem_by_id(sd, name) : -1;
	} else {
		sd = fhirdef_sd_type(run->defs, name);
	}
	if (!sd || ei < 0 || (size_t)ei >= sd->nelems)
		return;
	fv_check_constraints(run, &sd->elems[ei], sd->url, n, 0);
}
