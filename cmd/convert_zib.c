/*
 * zib convert --to fhir-r4: any document that reads into zibs (CDA, FHIR
 * R4/STU3, ADA) into one FHIR R4 Bundle of zib2020 / nl-core resources.
 * One batch job per input (cmd/convert.c runs the batch): read, build the
 * Bundle, report what it cannot carry, write JSON (default) or XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "convert_zib.h"
#include "core/buf.h"

int convert_zib_job(const struct convert_zib_opts *o, const char *path, const char *data,
	size_t len, FILE *err_out, struct buf *out)
{
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_fhir *f = NULL;
	zib_error err;
	zib_fhir_write_options wo = ZIB_FHIR_WRITE_OPTIONS_INIT;
	char *bytes = NULL;
	size_t i, blen = 0;
	int rc, code = ZIB_EXIT_OK, warnings = 0;

	zib_error_clear(&err);
	if (zib_report_new(&report) < 0)
		return ZIB_EXIT_INTERNAL;
	rc = zib_doc_read(&doc, o->ctx, path, data, len, report, &err);
	if (rc < 0) {
		for (i = 0; i < zib_report_count(report); i++)
			zib_diag_write_text(err_out, zib_report_at(report, i), g_opts.color_err);
		if (rc != ZIB_EPARSE)
			fprintf(err_out, "zib: %s\n", err.message);
		code = rc == ZIB_EPARSE ? ZIB_EXIT_FINDINGS : rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL :
			ZIB_EXIT_USAGE;
		goto done;
	}
	/* Reading findings are validate's business; convert reports only
	 * what the conversion cannot carry. */
	zib_report_free(report);
	report = NULL;
	if (zib_report_new(&report) < 0) {
		code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	wo.bundle = o->bundle;
	wo.type_refs = o->ndjson;
	rc = zib_doc_to_fhir_r4(&f, doc, &wo, report, &err);
	if (rc < 0) {
		fprintf(err_out, "zib: %s\n", err.message);
		code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	for (i = 0; i < zib_report_count(report); i++) {
		const zib_diag *d = zib_report_at(report, i);
		if (o->strict) {
			zib_diag e = *d;
			e.severity = ZIB_SEV_ERROR;
			zib_diag_write_text(err_out, &e, g_opts.color_err);
		} else if (!g_opts.quiet) {
			zib_diag_write_text(err_out, d, g_opts.color_err);
		}
		warnings++;
	}
	if (o->strict && warnings) {
		fprintf(err_out, "zib: %s: %d item%s cannot be carried to FHIR R4 (--strict): no output\n",
			path, warnings, warnings == 1 ? "" : "s");
		code = ZIB_EXIT_FINDINGS;
		goto done;
	}
	rc = o->xml ? zib_fhir_write_xml(&bytes, &blen, f, o->flags, &err) :
		o->ndjson ? zib_fhir_write_ndjson_entries(&bytes, &blen, f, &err) :
		zib_fhir_write_json(&bytes, &blen, f, o->flags, &err);
	if (rc < 0) {
		fprintf(err_out, "zib: %s\n", err.message);
		code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	buf_append(out, bytes, blen);
	free(bytes);
	if (out->oom)
		code = ZIB_EXIT_INTERNAL;
done:
	zib_fhir_free(f);
	zib_doc_free(doc);
	zib_report_free(report);
	return code;
}
