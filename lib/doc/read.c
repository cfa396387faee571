/*
 * Reading a document into a zib_doc, whatever its format: the one place
 * that dispatches on the sniffed format to the CDA, FHIR (XML, JSON,
 * NDJSON) and ADA readers.  zib_doc_read_many reads a set of FHIR
 * documents as one.
 */
#include <stdlib.h>
#include <string.h>

#include "ada/ada.h"
#include "cda/cda.h"
#include "cda/schema.h"
#include "core/error.h"
#include "core/ndjson.h"
#include "core/xml.h"
#include "doc/doc.h"
#include "fhir/zib_read.h"
#include "model/doc.h"

/* Data that is neither XML nor FHIR JSON (package.json, text, ...). */
static int not_a_document(const char *file, zib_report *report, zib_error *err)
{
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = "ZIB-DOC-001";
	d.file = file;
	if (report)
		zib_report_addf(report, &d, "not a CDA, FHIR or ADA document (zib reads HL7 CDA, "
			"FHIR XML and JSON, and ADA)");
	return error_set(err, ZIB_EPARSE, "%s: not a CDA, FHIR or ADA document", file);
}

static int is_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* Appends t to the growing array *trees. */
static int push_tree(struct zib_fhir ***trees, size_t *n, size_t *cap, struct zib_fhir *t,
	zib_error *err)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct zib_fhir **tt = realloc(*trees, c * sizeof(*tt));
		if (!tt) {
			zib_fhir_free(t);
			return error_set(err, ZIB_ENOMEM, "out of memory");
		}
		*trees = tt;
		*cap = c;
	}
	(*trees)[(*n)++] = t;
	return ZIB_OK;
}

/*
 * Parses one FHIR file (tolerantly: STU3 elements R4 does not know are
 * kept) onto *trees.  NDJSON is one resource per line, the one rule of
 * every command: a blank line (spaces, tabs, CR) is skipped wherever it
 * is; each line is parsed on its own, with its own line number; a line
 * that does not parse is reported (in report) and left out while the
 * others are read, and *bad counts it.  Without a report a bad line
 * could not be told, so it fails the file.
 */
static int parse_fhir_file(struct zib_fhir ***trees, size_t *n, size_t *cap, const char *file,
	const char *data, size_t len, zib_report *report, size_t *bad, zib_error *err)
{
	struct zib_fhir *t = NULL;
	int rc, line = 1;

	if (!ndjson_sniff(data, len)) {
		rc = fhir_parse(&t, data, len, file, 1, 1, report, err);
		return rc == ZIB_OK ? push_tree(trees, n, cap, t, err) : rc;
	}
	for (const char *p = data, *end = data + len; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!is_blank_line(p, l)) {
			rc = fhir_parse(&t, p, l, file, line, 1, report, err);
			if (rc == ZIB_OK)
				rc = push_tree(trees, n, cap, t, err);
			else if (rc == ZIB_EPARSE && report)
				(*bad)++, rc = ZIB_OK;
			if (rc != ZIB_OK)
				return rc;
		}
		p += l + 1;
	}
	return ZIB_OK;
}

int doc_read_fhir_raw(zib_doc **out, const zib_ctx *ctx, const char *file,
	const struct fhir_raw *raw, zib_report *report, zib_error *err)
{
	struct zib_fhir *t = NULL;
	int rc;

	*out = NULL;
	rc = fhir_build(&t, raw, file, 1, 0, report, err);
	if (rc == ZIB_OK)
		rc = fhir_zib_read_trees(out, ctx, file, &t, 1, report, err);
	zib_fhir_free(t);
	return rc;
}

/* FHIR (XML, JSON, NDJSON) into zib instances: one document. */
static int read_fhir(zib_doc **out, const zib_ctx *ctx, const char *file, const char *data,
	size_t len, zib_report *report, zib_error *err)
{
	struct zib_fhir **trees = NULL;
	size_t n = 0, cap = 0, bad = 0, i;
	int rc;

	*out = NULL;
	rc = parse_fhir_file(&trees, &n, &cap, file, data, len, report, &bad, err);
	if (rc == ZIB_OK && n == 0 && bad > 0)
		rc = error_set(err, ZIB_EPARSE, "%s: no line of the NDJSON parses", file);
	if (rc == ZIB_OK)
		rc = fhir_zib_read_trees(out, ctx, file, trees, n, report, err);
	if (rc == ZIB_OK)
		(*out)->malformed_lines = bad;
	for (i = 0; i < n; i++)
		zib_fhir_free(trees[i]);
	free(trees);
	return rc;
}

int zib_doc_read_many(zib_doc **out, const zib_ctx *ctx, const char *name, size_t count,
	const char *const *files, const char *const *datas, const size_t *lens,
	zib_report *report, zib_error *err)
{
	struct zib_fhir **trees = NULL;
	size_t n = 0, cap = 0, bad = 0, i;
	int rc = ZIB_OK;

	*out = NULL;
	for (i = 0; i < count; i++) {
		const char *data = datas[i];
		size_t len = lens[i];
		char *u8 = NULL;
		zib_source_format f;
		if (doc_as_utf8(&data, &len, &u8) < 0) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			break;
		}
		f = zib_sniff_format(data, len);
		if (f != ZIB_FORMAT_FHIR_XML && f != ZIB_FORMAT_FHIR_JSON) {
			free(u8);
			/* A set shares references: only FHIR resources do that. */
			rc = error_set(err, ZIB_EINVAL, "%s: a set of documents read as one must be FHIR "
				"(this is %s)", files[i], zib_source_format_name(f));
			break;
		}
		rc = parse_fhir_file(&trees, &n, &cap, files[i], data, len, report, &bad, err);
		free(u8);
		if (rc == ZIB_EPARSE)
			rc = ZIB_OK;   /* judged: the finding is in the report */
		else if (rc != ZIB_OK)
			break;
	}
	if (rc == ZIB_OK)
		rc = fhir_zib_read_trees(out, ctx, name ? name : "<set>", trees, n, report, err);
	if (rc == ZIB_OK)
		(*out)->malformed_lines = bad;
	for (i = 0; i < n; i++)
		zib_fhir_free(trees[i]);
	free(trees);
	return rc;
}

/* Any format into a zib_doc; CDA through XSD and document checks first
 * (see doc.h). */
int doc_read_any(zib_doc **out, xmlDoc **xml_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err)
{
	zib_source_format f = zib_sniff_format(data, len);
	xmlDoc *xml = NULL;
	int rc;

	*out = NULL;
	if (xml_out)
		*xml_out = NULL;
	if (f == ZIB_FORMAT_FHIR_JSON || f == ZIB_FORMAT_FHIR_XML)
		return read_fhir(out, ctx, file, data, len, report, err);
	if (f == ZIB_FORMAT_ADA)
		return ada_read(out, ctx, file, data, len, report, err);
	/* White space only is an empty document (ZIB-XML-003), as no bytes are. */
	if (f == ZIB_FORMAT_UNKNOWN && len > 0 && !doc_sniff_looks_like_xml(data, len) &&
	    !doc_sniff_is_blank(data, len))
		return not_a_document(file, report, err);
	rc = xml_parse(&xml, data, len, file, report, err);
	if (rc < 0)
		return rc;
	if (opts && opts->schema) {
		rc = cda_schema_validate_doc(opts->schema, xml, file, report, err);
		if (rc < 0)
			goto done;
	}
	if (report && cda_check_document(xml, file, report) > 0 &&
	    zib_sniff_format(data, len) != ZIB_FORMAT_CDA) {
		/* Not CDA at all: nothing to read. */
		rc = ZIB_OK;
		goto done;
	}
	rc = cda_read(out, ctx, xml, file, report, err);
done:
	if (xml_out && rc == ZIB_OK)
		*xml_out = xml;
	else
		xmlFreeDoc(xml);
	return rc;
}

int zib_doc_read(zib_doc **out, const zib_ctx *ctx, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err)
{
	char *u8 = NULL;
	int rc;

	if (!file)
		file = "<input>";
	*out = NULL;
	if (doc_as_utf8(&data, &len, &u8) < 0)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	rc = doc_read_any(out, NULL, ctx, NULL, file, data, len, report, err);
	free(u8);
	/* doc_read_any leaves *out NULL for XML that is no CDA (the finding is in
	 * report); callers of zib_doc_read need a document or a failure. */
	if (rc == ZIB_OK && !*out)
		return error_set(err, ZIB_EPARSE, "%s: not a CDA, FHIR or ADA document", file);
	return rc;
}

