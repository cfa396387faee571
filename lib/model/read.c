/*
 * Reading a document into a zib_doc, whatever its format: the one place
 * that dispatches on the sniffed format (CDA now; FHIR readers plug in
 * here), and zib_check_document, the whole of `zib validate` for one
 * document.
 */
#include <string.h>

#include "cda/cda.h"
#include "cda/schema.h"
#include "core/error.h"
#include "core/xml.h"
#include "model/doc.h"

static int unsupported(const char *file, zib_source_format f, zib_report *report, zib_error *err)
{
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = "ZIB-DOC-001";
	d.file = file;
	if (report)
		zib_report_addf(report, &d, "cannot read a document of format '%s' (this build reads HL7 CDA)",
			zib_source_format_name(f));
	return error_set(err, ZIB_EPARSE, "%s: unsupported document format '%s'", file,
		zib_source_format_name(f));
}

static void report_unmapped(const zib_doc *doc, zib_report *report)
{
	size_t i;
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_INFO;
	d.code = "ZIB-CDA-020";
	d.file = doc->file;
	for (i = 0; i < doc->nunmapped; i++) {
		d.line = doc->unmapped[i].line;
		d.path = doc->unmapped[i].path;
		d.message = doc->unmapped[i].what;
		zib_report_add(report, &d);
	}
}

static int read_xml(zib_doc **out, xmlDoc **xml_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err)
{
	zib_source_format f = zib_sniff_format(data, len);
	xmlDoc *xml = NULL;
	int rc;

	*out = NULL;
	if (xml_out)
		*xml_out = NULL;
	if (f == ZIB_FORMAT_FHIR_JSON || f == ZIB_FORMAT_FHIR_XML || f == ZIB_FORMAT_ADA)
		return unsupported(file, f, report, err);
	rc = xml_parse(&xml, data, len, file, report, err);
	if (rc < 0)
		return rc;
	if (opts && opts->schema) {
		rc = schema_validate_doc(opts->schema, xml, file, report, err);
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
	return read_xml(out, NULL, ctx, NULL, file ? file : "<input>", data, len, report, err);
}

int zib_check_document(zib_doc **doc_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err)
{
	zib_doc *doc = NULL;
	xmlDoc *xml = NULL;
	int rc;

	if (doc_out)
		*doc_out = NULL;
	if (!file)
		file = "<input>";
	rc = read_xml(&doc, &xml, ctx, opts, file, data, len, report, err);
	xmlFreeDoc(xml);
	if (rc == ZIB_EPARSE)
		return ZIB_OK;   /* judged: the finding is in the report */
	if (rc < 0)
		return rc;
	if (doc) {
		zib_validate_doc(ctx, doc, report);
		if (opts && opts->unmapped_findings)
			report_unmapped(doc, report);
	}
	if (doc_out)
		*doc_out = doc;
	else
		zib_doc_free(doc);
	return ZIB_OK;
}
