/*
 * raw: a FHIR document parsed once, the libxml2 tree of FHIR XML or the
 * value tree of FHIR JSON, from which `zib validate` builds both element
 * trees it needs: the zib reader's tolerant one and the validator's strict
 * one.  Parsing was most of the cost of building a tree, and each document
 * was parsed twice.  Malformed input is reported once, by fhir_raw_parse.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/error.h"
#include "core/xml.h"
#include "fhir/tree.h"

int fhir_raw_parse(struct fhir_raw *raw, const char *data, size_t len, const char *file,
	int first_line, zib_report *report, zib_error *err)
{
	struct fhir_tree_src src;
	int rc = 0;

	memset(raw, 0, sizeof(*raw));
	arena_init(&raw->arena);
	raw->data = data;
	raw->len = len;
	raw->first_line = first_line > 0 ? first_line : 1;
	raw->kind = fhir_first_char(data, len);
	memset(&src, 0, sizeof(src));
	src.file = file;
	src.first_line = raw->first_line;
	src.report = report;
	if (raw->kind == '<') {
		xmlDoc *doc = NULL;
		rc = xml_parse_columns(&doc, data, len, file ? file : "-", report, err);
		raw->xml = doc;
	} else if (raw->kind == '{') {
		rc = fhir_parse_json_value(&raw->json, &raw->arena, data, len, &src, err);
	}
	if (rc == ZIB_ENOMEM)
		return rc;
	raw->failed = rc < 0;
	return ZIB_OK;
}

int fhir_build(struct zib_fhir **out, const struct fhir_raw *raw, const char *file, int tolerant,
	int keep, zib_report *report, zib_error *err)
{
	struct fhir_tree_src src;
	struct zib_fhir *t;
	int rc;

	*out = NULL;
	if (raw->failed)
		return error_set(err, ZIB_EPARSE, "%s: not well-formed", file ? file : "-");
	t = fhir_tree_new(&src, NULL, file, raw->len, raw->first_line, tolerant, report);
	if (!t)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	if (raw->kind == '<') {
		t->format = ZIB_FORMAT_FHIR_XML;
		rc = fhir_read_xml_doc(t, raw->xml, &src, err);
	} else if (raw->kind == '{') {
		t->format = ZIB_FORMAT_FHIR_JSON;
		rc = fhir_read_json_value(t, raw->json, &src, err);
	} else {
		rc = fhir_not_fhir(&src, raw->kind, file, err);
	}
	if (rc == ZIB_ENOMEM || (rc < 0 && !keep) || (keep && !t->root)) {
		zib_fhir_free(t);
		return rc < 0 ? rc : error_set(err, ZIB_EPARSE, "%s: nothing read", file ? file : "-");
	}
	if (!keep && src.errors) {
		zib_fhir_free(t);
		return error_set(err, ZIB_EPARSE, "%s: %d error%s in FHIR document", file ? file : "-",
			src.errors, src.errors == 1 ? "" : "s");
	}
	*out = t;
	return ZIB_OK;
}

void fhir_raw_release(struct fhir_raw *raw)
{
	if (raw->xml)
		xmlFreeDoc(raw->xml);
	arena_release(&raw->arena);
	memset(raw, 0, sizeof(*raw));
}
