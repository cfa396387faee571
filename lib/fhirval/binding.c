/*
 * Bindings of the base definitions: a code, Coding or CodeableConcept whose
 * element has a required binding must take its code from the value set
 * (error); an extensible one should (warning).  Value sets are expanded
 * locally (core_r4.c); where a set includes a code system that is not
 * available locally, a code outside the listed ones is "not checked" (info),
 * never an error.
 */
#include <string.h>

#include "fhirval/core.h"
#include "fhirval/fhirval.h"

/* The rule of element n (by its parent's type), or NULL. */
static const struct fv_rule *rule_of(const struct fhir_node *n)
{
	char name[128];

	if (!n->parent || !n->parent->type || !n->def)
		return NULL;
	return fv_rule_find(n->parent->type->name, fv_def_name(n, name, sizeof(name)));
}

/* 1 in, 0 not in, -1 not checkable (system not local). */
static int coding_in(const struct fv_valueset *vs, const char *system, const char *code)
{
	if (!code)
		return 1;   /* nothing to check: display only, or an extension */
	if (fv_valueset_has(vs, system, code))
		return 1;
	if (!vs->complete && (!system || !fv_valueset_has_system(vs, system)))
		return -1;
	return 0;
}

/* Whether the resource n is in claims a profile (meta.profile): one that
 * may bind its own value set where the base binding is extensible. */
static int claims_profile(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n && fv_child(fv_child(n, "meta"), "profile") != NULL;
}

static void finding(struct fv_run *run, const struct fhir_node *n, const struct fv_rule *r,
	const struct fv_valueset *vs, int in, const char *system, const char *code)
{
	char name[128];

	if (in > 0)
		return;
	if (in < 0) {
		fv_report(run, n, ZIB_SEV_INFO, FV_CODE_BIND_NC, "code '%s%s%s' not checked against "
			"value set '%s': its code system is not available locally",
			system ? system : "", system ? "|" : "", code, vs->url);
		return;
	}
	if (r->strength == FV_BIND_EXTENSIBLE && claims_profile(n)) {
		/* Profiles are not checked yet: theirs may be the binding. */
		fv_report(run, n, ZIB_SEV_INFO, FV_CODE_BIND_NC, "code '%s%s%s' is not in the "
			"extensible value set '%s' of the base definition; not checked against the "
			"resource's profile", system ? system : "", system ? "|" : "", code, vs->url);
		return;
	}
	fv_report(run, n, r->strength == FV_BIND_REQUIRED ? ZIB_SEV_ERROR : ZIB_SEV_WARNING,
		r->strength == FV_BIND_REQUIRED ? FV_CODE_BIND_REQ : FV_CODE_BIND_EXT,
		"the value '%s%s%s' is not in the value set '%s'%s (%s binding of %s.%s)",
		system ? system : "", system ? "|" : "", code, vs->url,
		r->strength == FV_BIND_REQUIRED ? ", and a code is required from it" : "",
		r->strength == FV_BIND_REQUIRED ? "required" : "extensible",
		n->parent->type->name, fv_def_name(n, name, sizeof(name)));
}

void fv_check_binding(struct fv_run *run, const struct fhir_node *n)
{
	const struct fv_rule *r;
	const struct fv_valueset *vs;
	const char *type;

	if (!n->def || (n->kind != FHIR_K_PRIM && n->kind != FHIR_K_COMPLEX))
		return;
	type = n->def->type_code;
	if (strcmp(type, "code") != 0 && strcmp(type, "Coding") != 0 &&
	    strcmp(type, "CodeableConcept") != 0)
		return;
	r = rule_of(n);
	if (!r || r->strength == FV_BIND_NONE || r->valueset < 0)
		return;
	vs = &fv_core_valuesets[r->valueset];
	if (vs->ncodes == 0)
		return;   /* nothing enumerable here (a filter over an external system) */
	if (strcmp(type, "code") == 0) {
		if (n->value)
			finding(run, n, r, vs, coding_in(vs, NULL, n->value), NULL, n->value);
	} else if (strcmp(type, "Coding") == 0) {
		const char *sys = fv_child_value(n, "system"), *code = fv_child_value(n, "code");
		if (code)
			finding(run, n, r, vs, coding_in(vs, sys, code), sys, code);
	} else {
		/* CodeableConcept: one coding in the set is enough; report the
		 * first when none is (and the set could tell). */
		const struct fhir_node *c, *first = NULL;
		int any = 0, unchecked = 0;
		for (c = n->children; c; c = c->next) {
			const char *code;
			int in;
			if (strcmp(c->name, "coding") != 0 || !(code = fv_child_value(c, "code")))
				continue;
			in = coding_in(vs, fv_child_value(c, "system"), code);
			if (in > 0)
				any = 1;
			else if (!first)
				first = c;
			if (in < 0)
				unchecked = 1;
		}
		if (!any && first)
			finding(run, n, r, vs, unchecked ? -1 : 0, fv_child_value(first, "system"),
				fv_child_value(first, "code"));
	}
}
