/*
 * Bundle rules: the invariants bdl-1 .. bdl-12 of Bundle, and the fullUrl
 * of each entry: present (except in transactions and batches), absolute,
 * unique (bdl-7), not version specific (bdl-8), and where it looks like a
 * RESTful URL (.../Type/id) ending in the type and id of its resource.
 */
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"

#include "fhir/defs.h"
#include "fhirval/fhirval.h"

static int type_is(const char *type, const char *a, const char *b, const char *c)
{
	return type && ((a && strcmp(type, a) == 0) || (b && strcmp(type, b) == 0) ||
		(c && strcmp(type, c) == 0));
}

static int is_absolute(const char *s)
{
	const char *colon = strchr(s, ':');
	const char *slash = strchr(s, '/');

	return colon && colon != s && (!slash || colon < slash);
}

/* When full ends in Type/id after a slash (Type a resource type, maybe followed by
 * a _history/v part), sets *type and *id to those parts and returns 1. */
static int restful(const char *full, const char **type, size_t *tlen, const char **id, size_t *ilen)
{
	const char *end = full + strlen(full), *h = strstr(full, "/_history/");
	const char *p, *q;
	char name[80];

	if (h)
		end = h;
	for (p = end; p > full && p[-1] != '/'; p--)
		;
	if (p == full || p == end)
		return 0;
	for (q = p - 1; q > full && q[-1] != '/'; q--)
		;
	if ((size_t)(p - 1 - q) >= sizeof(name) || p - 1 == q)
		return 0;
	memcpy(name, q, (size_t)(p - 1 - q));
	name[p - 1 - q] = '\0';
	if (!fhir_resource_type(&fhir_defs_r4, name))
		return 0;
	*type = q;
	*tlen = (size_t)(p - 1 - q);
	*id = p;
	*ilen = (size_t)(end - p);
	return 1;
}

static void check_full_url(struct fv_run *run, const struct fhir_node *entry, const char *btype)
{
	const struct fhir_node *res = fv_child(entry, "resource");
	const struct fhir_node *fu = fv_child(entry, "fullUrl");
	const char *full = fu ? fu->value : NULL, *type, *id, *rid;
	size_t tlen, ilen;

	if (!full) {
		if (res && !type_is(btype, "transaction", "batch", NULL) &&
		    !type_is(btype, "transaction-response", "batch-response", NULL))
			fv_report(run, entry, ZIB_SEV_ERROR, FV_CODE_BDL_FULLURL, "except in "
				"transactions and batches, each entry with a resource must have a "
				"fullUrl, the identity of the resource");
		return;
	}
	if (!is_absolute(full)) {
		fv_report(run, fu, ZIB_SEV_ERROR, FV_CODE_BDL_FULLURL,
			"the fullUrl must be an absolute URL (not '%s')", full);
		return;
	}
	if (strstr(full, "/_history/"))
		fv_report(run, fu, ZIB_SEV_ERROR, FV_CODE_BDL_INV,
			"bdl-8: fullUrl cannot be a version specific reference ('%s')", full);
	if (!res || !restful(full, &type, &tlen, &id, &ilen))
		return;
	rid = fv_child_value(res, "id");
	if (!rid) {
		fv_report(run, fu, ZIB_SEV_ERROR, FV_CODE_BDL_RESTFUL, "the fullUrl '%s' looks like "
			"a RESTful server URL, but the resource has no id", full);
		return;
	}
	if (strlen(fhir_resource_name(res)) != tlen || strncmp(fhir_resource_name(res), type, tlen) != 0 ||
	    strlen(rid) != ilen || strncmp(rid, id, ilen) != 0)
		fv_report(run, fu, ZIB_SEV_ERROR, FV_CODE_BDL_RESTFUL, "the fullUrl '%s' looks like "
			"a RESTful server URL, so it must end with the type and id of its resource "
			"(%s/%s)", full, fhir_resource_name(res), rid);
}

/* bdl-7: no two entries with one fullUrl and one meta.versionId (an entry
 * without versionId clashes with any of the same fullUrl).  By hash: the
 * keys "fullUrl" (first entry of that fullUrl, and whether it had a
 * version) and "fullUrl|versionId". */
static void unique_full_urls(struct fv_run *run, const struct fhir_node *b)
{
	static const char no_version[] = "-", versioned[] = "v";
	const struct fhir_node *e;
	struct strmap seen;
	struct arena a;

	arena_init(&a);
	strmap_init(&seen, 0);
	for (e = b->children; e; e = e->next) {
		const char *full = strcmp(e->name, "entry") == 0 ? fv_child_value(e, "fullUrl") : NULL;
		const struct fhir_node *r = fv_child(e, "resource");
		const char *ver = r ? fv_child_value(fv_child(r, "meta"), "versionId") : NULL;
		const char *before;
		char *key;
		int clash;
		if (!full)
			continue;
		before = strmap_get(&seen, full);
		key = ver ? arena_printf(&a, "%s|%s", full, ver) : NULL;
		clash = before && (!ver || before == no_version || (key && strmap_get(&seen, key)));
		if (clash) {
			fv_report(run, e, ZIB_SEV_ERROR, FV_CODE_BDL_DUP, "bdl-7: fullUrl '%s' is also "
				"the fullUrl of an earlier entry (with the same versionId)", full);
			continue;
		}
		if (!before || !ver)
			strmap_put(&seen, full, (void *)(ver ? versioned : no_version));
		if (key)
			strmap_put(&seen, key, (void *)versioned);
	}
	strmap_release(&seen);
	arena_release(&a);
}

static void invariant(struct fv_run *run, const struct fhir_node *n, const char *key,
	const char *text)
{
	fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_BDL_INV, "%s: %s", key, text);
}

void fv_check_bundle(struct fv_run *run, const struct fhir_node *b)
{
	const char *type = fv_child_value(b, "type");
	const struct fhir_node *e, *first = NULL;
	int history = type_is(type, "history", NULL, NULL);

	if (fv_child(b, "total") && !type_is(type, "searchset", "history", NULL))
		invariant(run, fv_child(b, "total"), "bdl-1",
			"total only when a search or history");
	for (e = b->children; e; e = e->next) {
		int req, resp;
		if (strcmp(e->name, "entry") != 0)
			continue;
		if (!first)
			first = e;
		req = fv_child(e, "request") != NULL;
		resp = fv_child(e, "response") != NULL;
		if (fv_child(e, "search") && !type_is(type, "searchset", NULL, NULL))
			invariant(run, e, "bdl-2", "entry.search only when a search");
		if (type && req != type_is(type, "batch", "transaction", "history"))
			invariant(run, e, "bdl-3", "entry.request mandatory for batch/transaction/"
				"history, otherwise prohibited");
		if (type && resp != type_is(type, "batch-response", "transaction-response", "history"))
			invariant(run, e, "bdl-4", "entry.response mandatory for batch-response/"
				"transaction-response/history, otherwise prohibited");
		if (!fv_child(e, "resource") && !req && !resp)
			invariant(run, e, "bdl-5", "must be a resource unless there's a request or "
				"response");
		check_full_url(run, e, type);
	}
	if (!history)
		unique_full_urls(run, b);
	if (type_is(type, "document", NULL, NULL)) {
		const struct fhir_node *id = fv_child(b, "identifier");
		const struct fhir_node *r = first ? fv_child(first, "resource") : NULL;
		if (!id || !fv_child_value(id, "system") || !fv_child_value(id, "value"))
			invariant(run, b, "bdl-9", "a document must have an identifier with a "
				"system and a value");
		if (!fv_child_value(b, "timestamp"))
			invariant(run, b, "bdl-10", "a document must have a date");
		if (!r || strcmp(fhir_resource_name(r), "Composition") != 0)
			invariant(run, b, "bdl-11", "a document must have a Composition as the "
				"first resource");
	}
	if (type_is(type, "message", NULL, NULL)) {
		const struct fhir_node *r = first ? fv_child(first, "resource") : NULL;
		if (!r || strcmp(fhir_resource_name(r), "MessageHeader") != 0)
			invariant(run, b, "bdl-12", "a message must have a MessageHeader as the "
				"first resource");
	}
}
