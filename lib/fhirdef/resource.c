/*
 * resource: the conformance resources in one gathered file, as cJSON
 * objects.  JSON is parsed with cJSON; FHIR XML goes through the FHIR
 * element tree and its JSON writer, so both forms end up alike.  A Bundle
 * gives its entries; resources of other types are skipped (a package also
 * holds SearchParameters, examples, ...).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fhir/tree.h"
#include "fhirdef/internal.h"

static const char *const kind_names[RK_COUNT] = {
	"StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap"
};

void fhirdef_problem(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line each: the compiled file keeps them as lines. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	buf_puts(b, line);
	buf_putc(b, '\n');
}

static int kind_of(const char *rtype)
{
	int k;

	for (k = 0; k < RK_COUNT; k++)
		if (rtype && strcmp(rtype, kind_names[k]) == 0)
			return k;
	return -1;
}

/* The name of the XML root element, without parsing the document. */
static int xml_root_is(const char *data, size_t len, const char *name)
{
	const char *p = data, *end = data + len;
	size_t n = strlen(name);

	while (p < end) {
		p = memchr(p, '<', (size_t)(end - p));
		if (!p || p + 1 >= end)
			return 0;
		if (p[1] != '?' && p[1] != '!')
			break;
		p++;
	}
	if (!p)
		return 0;
	p++;
	return (size_t)(end - p) > n && strncmp(p, name, n) == 0 &&
		(p[n] == ' ' || p[n] == '>' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r');
}

static int wanted_xml(const char *data, size_t len)
{
	int k;

	if (xml_root_is(data, len, "Bundle"))
		return 1;
	for (k = 0; k < RK_COUNT; k++)
		if (xml_root_is(data, len, kind_names[k]))
			return 1;
	return 0;
}

static int add_resource(struct raw_set *rs, cJSON *r, const char *source, zib_error *err)
{
	int kind = kind_of(fhirdef_jstr(r, "resourceType"));
	const char *url = fhirdef_jstr(r, "url");
	struct raw_resource *x;

	if (kind < 0) {
		cJSON_Delete(r);
		return 0;
	}
	if (!url) {
		fhirdef_problem(&rs->problems, "%s: %s '%s' has no url; skipped", source,
			kind_names[kind], fhirdef_jstr(r, "id") ? fhirdef_jstr(r, "id") : "?");
		cJSON_Delete(r);
		return 0;
	}
	/* Narrative and mappings are never needed; drop them early. */
	cJSON_DeleteItemFromObjectCaseSensitive(r, "text");
	cJSON_DeleteItemFromObjectCaseSensitive(r, "mapping");
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct raw_resource *p = realloc(rs->res, cap * sizeof(*p));

		if (!p) {
			cJSON_Delete(r);
			return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", source);
		}
		rs->res = p;
		rs->cap = cap;
	}
	x = &rs->res[rs->n];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->json = r;
	x->url = url;
	x->version = fhirdef_jstr(r, "version");
	x->major = fhirdef_fhir_major(fhirdef_jstr(r, "fhirVersion"));
	if (!x->major)
		x->major = fhirdef_fhir_major(rs->file_fhir_version);
	x->source = strdup(source);
	if (!x->source) {
		cJSON_Delete(r);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", source);
	}
	rs->n++;
	if (!rs->by_url[kind].slots)
		strmap_init(&rs->by_url[kind], 0);
	{
		/* The map keeps the key's pointer: the url itself, or a copy
		 * with the release the resource owns. */
		char key[1024];
		if (!fhirdef_raw_key(key, sizeof(key), url, x->major))
			return 0;   /* too long to be found; kept out of the index */
		if (x->major && !(x->key = strdup(key)))
			return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", source);
		if (strmap_put(&rs->by_url[kind], x->major ? x->key : url,
		    (void *)(uintptr_t)rs->n) < 0)
			return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", source);
	}
	return 0;
}

static int add_json(struct raw_set *rs, cJSON *root, const char *file, zib_error *err)
{
	const char *rtype = fhirdef_jstr(root, "resourceType");
	cJSON *entries, *e;
	int rc = 0, i = 0;
	char where[1200];

	if (!rtype || strcmp(rtype, "Bundle") != 0)
		return add_resource(rs, root, file, err);
	entries = cJSON_GetObjectItemCaseSensitive(root, "entry");
	cJSON_ArrayForEach(e, entries) {
		cJSON *r = cJSON_DetachItemFromObjectCaseSensitive(e, "resource");

		if (r && !rc) {
			snprintf(where, sizeof(where), "%s (entry %d)", file, i);
			rc = add_json(rs, r, where, err);
		} else {
			cJSON_Delete(r);
		}
		i++;
	}
	cJSON_Delete(root);
	return rc;
}

/* FHIR XML -> element tree -> FHIR JSON text -> cJSON. */
static cJSON *xml_to_json(const struct gathered_file *f, zib_error *err)
{
	zib_fhir *tree = NULL;
	char *json = NULL;
	size_t len;
	cJSON *j = NULL;

	/* Another release's XML (STU3: binding.valueSetReference, ...) is
	 * read tolerantly: what R4 lacks becomes generic nodes, written to
	 * JSON as they are. */
	int other = fhirdef_fhir_major(f->fhir_version) > 0 &&
		fhirdef_fhir_major(f->fhir_version) != fhirdef_primary_major();
	if (!other) {
		const char *v = strstr(f->data, "<fhirVersion value=\"");
		other = v && v[20] >= '0' && v[20] <= '9' && v[21] == '.' &&
			v[20] - '0' != fhirdef_primary_major();
	}
	if (fhir_parse(&tree, f->data, f->len, f->name, 1, other, NULL, err) != 0) {
		char why[sizeof(err->message)];
		snprintf(why, sizeof(why), "%s", err ? err->message : "");
		error_set(err, ZIB_EPARSE, "'%s' is not FHIR XML the %s reader accepts%s%s", f->name,
			other ? "tolerant" : "R4", why[0] ? ": " : "", why);
		return NULL;
	}
	if (zib_fhir_write_json(&json, &len, tree, 0, err) == 0)
		j = cJSON_ParseWithLength(json, len);
	if (!j)
		error_set(err, ZIB_EPARSE, "cannot convert '%s' to JSON", f->name);
	free(json);
	zib_fhir_free(tree);
	return j;
}

int fhirdef_raw_add_file(struct raw_set *rs, const struct gathered_file *f, zib_error *err)
{
	const char *p = f->data;
	cJSON *j;

	/* Skip a UTF-8 byte order mark and leading white space. */
	if (f->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '<') {
		if (!wanted_xml(p, f->len - (size_t)(p - f->data)))
			return 0;
		if (!(j = xml_to_json(f, err)))
			return ZIB_EPARSE;
	} else if (*p == '{') {
		const char *end = NULL;

		j = cJSON_ParseWithLengthOpts(p, f->len - (size_t)(p - f->data), &end, 0);
		if (!j) {
			size_t line = 1;
			for (const char *q = f->data; end && q < end; q++)
				line += *q == '\n';
			return error_set(err, ZIB_EPARSE, "'%s':%zu: not well-formed JSON", f->name, line);
		}
	} else {
		return error_set(err, ZIB_EPARSE, "'%s' is neither FHIR JSON nor FHIR XML", f->name);
	}
	rs->file_fhir_version = f->fhir_version;
	return add_json(rs, j, f->name, err);
}

static struct raw_resource *raw_find_key(struct raw_set *rs, int kind, const char *url,
	int major)
{
	uintptr_t i;
	char key[1024];
	const char *bar;

	if (!fhirdef_raw_key(key, sizeof(key), url, major))
		return NULL;
	i = (uintptr_t)strmap_get(&rs->by_url[kind], key);
	if (!i && (bar = strchr(url, '|'))) {
		/* url|version: the one with that version, when it is the one loaded. */
		char tmp[1024];
		size_t n = (size_t)(bar - url);
		struct raw_resource *r;

		if (n >= sizeof(tmp))
			return NULL;
		memcpy(tmp, url, n);
		tmp[n] = '\0';
		if (!fhirdef_raw_key(key, sizeof(key), tmp, major))
			return NULL;
		i = (uintptr_t)strmap_get(&rs->by_url[kind], key);
		if (!i)
			return NULL;
		r = &rs->res[i - 1];
		return r->version && strcmp(r->version, bar + 1) == 0 ? r : NULL;
	}
	return i ? &rs->res[i - 1] : NULL;
}

struct raw_resource *fhirdef_raw_find(struct raw_set *rs, int kind, const char *url, int major)
{
	struct raw_resource *r;

	if (!rs || !rs->by_url[kind].slots || !url)
		return NULL;
	if ((r = raw_find_key(rs, kind, url, major)) || !major)
		return r ? r : raw_find_key(rs, kind, url, fhirdef_primary_major());
	return raw_find_key(rs, kind, url, 0);
}

void fhirdef_raw_release(struct raw_set *rs)
{
	size_t i;
	int k;

	for (i = 0; i < rs->n; i++) {
		cJSON_Delete(rs->res[i].json);
		free(rs->res[i].source);
		free(rs->res[i].error);
		free(rs->res[i].key);
	}
	free(rs->res);
	for (k = 0; k < RK_COUNT; k++)
		strmap_release(&rs->by_url[k]);
	buf_release(&rs->problems);
	memset(rs, 0, sizeof(*rs));
}
