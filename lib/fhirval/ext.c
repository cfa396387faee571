/*
 * Extensions: an extension's url must name a known extension definition
 * (R4 core, the default profiles), and its value must be of a type the
 * definition allows.  The rows of ext_gen.c are sorted by url, so a lookup
 * is a binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhirdef/fhirdef.h"
#include "fhirpath/fhirpath.h"
#include "fhirval/ext.h"
#include "fhirval/fhirval.h"

static int by_url(const void *key, const void *row)
{
	return strcmp(key, ((const struct fv_extension *)row)->url);
}

static const struct fv_extension *find(const char *url)
{
	return bsearch(url, fv_extensions, fv_nextensions, sizeof(fv_extensions[0]), by_url);
}

static int type_listed(const char *types, const char *type)
{
	size_t tl = strlen(type);
	const char *p = types;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		if (l == tl && strncmp(p, type, l) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* The value type of an extension loaded with the definitions. */
static void check_loaded(struct fv_run *run, const struct fhir_node *n, const struct fhirdef_sd *sd,
	const char *url)
{
	int vi = fhirdef_elem_by_id(sd, "Extension.value[x]");
	const struct fhirdef_elem *e;
	const struct fhir_node *c;

	if (vi < 0)
		return;
	e = &sd->elems[vi];
	for (c = n->children; c; c = c->next) {
		if (!c->def || !c->def->choice)
			continue;
		if (e->max == 0) {
			fv_report(run, c, ZIB_SEV_ERROR, FV_CODE_EXT_TYPE, "the extension '%s' has no "
				"value[x] (a complex extension) but found type %s", url, c->def->type_code);
			continue;
		}
		if (e->ntypes && !fv_type_allowed(e, c->def->type_code))
			fv_report(run, c, ZIB_SEV_ERROR, FV_CODE_EXT_TYPE, "the extension '%s' does not "
				"allow the type %s (from %s)", url, c->def->type_code, sd->url);
	}
}

/* The element path of n without indexes, choice elements by their base
 * name: "Patient.name", "Observation.value". */
static void elem_path(const struct fhir_node *n, char *buf, size_t size)
{
	char name[128];
	size_t len;

	if (!n->parent || n->kind == FHIR_K_RESOURCE) {
		snprintf(buf, size, "%s", fhir_resource_name(n));
		return;
	}
	elem_path(n->parent, buf, size);
	fv_def_name(n, name, sizeof(name));
	len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, "[x]") == 0)
		name[len - 3] = '\0';
	len = strlen(buf);
	snprintf(buf + len, size - len, ".%s", name);
}

/* Is the element host (the extension's parent) one the context allows? */
static int context_allows(const struct fhirdef_context *cx, const struct fhir_node *host)
{
	const char *e = cx->expression, *type = host->type ? host->type->name : NULL;
	char path[1024];

	if (!e || !cx->type)
		return 1;
	if (strcmp(cx->type, "extension") == 0) {
		/* On that extension or on an element inside it (its value). */
		const struct fhir_node *x = host;
		const char *url;
		while (x && x->kind != FHIR_K_RESOURCE &&
		       !(x->type && strcmp(x->type->name, "Extension") == 0))
			x = x->parent;
		url = x && x->kind != FHIR_K_RESOURCE ? fv_child_value(x, "url") : NULL;
		return url && strcmp(url, e) == 0;
	}
	if (strcmp(cx->type, "fhirpath") == 0) {
		const struct fhir_node *res = host;
		struct fhirpath_expr *x = NULL;
		struct fhirpath_result r;
		struct fhirpath_error err;
		struct fhirpath_env env;
		size_t i;
		int ok = 0;
		while (res->parent && res->kind != FHIR_K_RESOURCE)
			res = res->parent;
		if (fhirpath_compile(&x, e, &err) < 0)
			return 1;   /* cannot tell: allowed */
		memset(&env, 0, sizeof(env));
		memset(&r, 0, sizeof(r));
		if (fhirpath_eval(&r, x, res, &env, &err) == 0)
			for (i = 0; i < r.n && !ok; i++)
				ok = r.v[i].kind == FHIRPATH_NODE && r.v[i].node == host;
		fhirpath_result_release(&r);
		fhirpath_free(x);
		return ok;
	}
	/* element */
	if (strcmp(e, "Element") == 0 || strcmp(e, "Base") == 0)
		return 1;
	if (host->kind == FHIR_K_RESOURCE && (strcmp(e, "Resource") == 0 ||
	    strcmp(e, "DomainResource") == 0 || strcmp(e, fhir_resource_name(host)) == 0))
		return 1;
	if (type && strcmp(e, type) == 0)
		return 1;
	if (type && strchr(type, '.') && strcmp(e, "BackboneElement") == 0)
		return 1;
	elem_path(host, path, sizeof(path));
	return strcmp(e, path) == 0;
}

/* Extension contexts: where the extension's definition allows it. */
static void check_context(struct fv_run *run, const struct fhir_node *n, const struct fhirdef_sd *sd,
	const char *url)
{
	const struct fhir_node *host = n->parent;
	char allowed[512], path[512];
	size_t i, len = 0;

	if (!host || sd->ncontexts == 0)
		return;
	for (i = 0; i < sd->ncontexts; i++)
		if (context_allows(&sd->contexts[i], host))
			return;
	allowed[0] = '\0';
	for (i = 0; i < sd->ncontexts && len < sizeof(allowed) - 1; i++) {
		int w = snprintf(allowed + len, sizeof(allowed) - len, "%s%s", i ? ", " : "",
			sd->contexts[i].expression ? sd->contexts[i].expression : "");
		if (w > 0)
			len += (size_t)w;
	}
	elem_path(host, path, sizeof(path));
	fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_EXT_CONTEXT, "the extension '%s' is not allowed "
		"here (this element is %s; allowed: %s)", url, path, allowed);
}

void fv_check_extension(struct fv_run *run, const struct fhir_node *n)
{
	const char *url;
	const struct fv_extension *x;
	const struct fhir_node *c;

	if (n->kind != FHIR_K_COMPLEX || !n->type || strcmp(n->type->name, "Extension") != 0)
		return;
	/* A nested extension's relative url is a name within its parent's
	 * definition; an absolute one is an extension of the extension. */
	url = fv_child_value(n, "url");
	if (!url || !strchr(url, ':'))
		return;   /* no url or a relative one: structure.c */
	/* The generated table is R4's; another release has its loaded
	 * definitions only, and without them extensions are not checked
	 * (doc/fhir.c says so in its note). */
	if (!run->core && !run->defs)
		return;
	x = run->core ? find(url) : NULL;
	if (!x && run->defs) {
		/* Loaded with the definitions (--fhir-package, the defaults). */
		const struct fhirdef_sd *sd = fhirdef_sd(run->defs, url);
		if (sd && strcmp(sd->type, "Extension") == 0) {
			check_loaded(run, n, sd, url);
			check_context(run, n, sd, url);
			return;
		}
	}
	if (!x) {
		/* The defaults hold R4 core and the zib2020 / nl-core packages,
		 * not every HL7 or Nictiz package (the HL7 extensions pack,
		 * MP9...): an unknown extension of those publishers is not
		 * checked; any other unknown one is an error, as for the HL7
		 * validator. */
		int partly = strncmp(url, "http://hl7.org/fhir/", 20) == 0 ||
			strstr(url, "://nictiz.nl/") || strstr(url, "://fhir.nl/");
		fv_report(run, n, partly ? ZIB_SEV_INFO : ZIB_SEV_ERROR, partly ? FV_CODE_EXT_UNKNOWN :
			FV_CODE_EXT_NOT_FOUND, "the extension '%s' could not be found%s", url,
			partly ? " (its package is not loaded), so it is not checked" :
			", so it is not allowed here (load its definition with --fhir-package)");
		return;
	}
	if (!x->value_types[0])
		return;
	for (c = n->children; c; c = c->next)
		if (c->def && c->def->choice && !type_listed(x->value_types, c->def->type_code))
			fv_report(run, c, ZIB_SEV_ERROR, FV_CODE_EXT_TYPE, "the extension '%s' allows "
				"the types [%s] but found type %s", url, x->value_types, c->def->type_code);
}
