/*
 * Extensions: an extension's url must name a known extension definition
 * (R4 core, the default profiles), and its value must be of a type the
 * definition allows.  The rows of ext_gen.c are sorted by url, so a lookup
 * is a binary search.
 */
#include <stdlib.h>
#include <string.h>

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

void fv_check_extension(struct fv_run *run, const struct fhir_node *n)
{
	const char *url;
	const struct fv_extension *x;
	const struct fhir_node *c;

	if (n->kind != FHIR_K_COMPLEX || !n->type || strcmp(n->type->name, "Extension") != 0)
		return;
	/* A nested extension's url is a name within its parent's definition. */
	if (n->parent && n->parent->type && strcmp(n->parent->type->name, "Extension") == 0)
		return;
	url = fv_child_value(n, "url");
	if (!url || !strchr(url, ':'))
		return;   /* no url or a relative one: structure.c */
	if (!(x = find(url))) {
		fv_report(run, n, ZIB_SEV_INFO, FV_CODE_EXT_UNKNOWN, "the extension '%s' could "
			"not be found (not in R4 core or the default "
			"profiles), so it is not checked", url);
		return;
	}
	if (!x->value_types[0])
		return;
	for (c = n->children; c; c = c->next)
		if (c->def && c->def->choice && !type_listed(x->value_types, c->def->type_code))
			fv_report(run, c, ZIB_SEV_ERROR, FV_CODE_EXT_TYPE, "the extension '%s' allows "
				"the types [%s] but found type %s", url, x->value_types, c->def->type_code);
}
