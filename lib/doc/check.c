/*
 * zib_check_document: the whole of `zib validate` for one document.  The
 * document is read (doc_read_any), its zib instances are checked against
 * the models (lib/validate), content no zib holds is reported when asked,
 * and Schematron rules run over its XML when given.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/ndjson.h"
#include "core/xml.h"
#include "doc/doc.h"
#include "fhir/tree.h"
#include "fhir/zib_read.h"
#include "fhirval/fhirval.h"
#include "model/doc.h"
#include "schematron/schematron.h"

/* What the reader could not place, as info findings under code (the
 * format's own: ZIB-CDA-020, ZIB-FHIRZ-003). */
static void report_unmapped(const zib_doc *doc, zib_report *report, const char *code)
{
	size_t i;
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_INFO;
	d.code = code;
	d.file = doc->file;
	for (i = 0; i < doc->nunmapped; i++) {
		d.line = doc->unmapped[i].line;
		d.path = doc->unmapped[i].path;
		d.message = doc->unmapped[i].what;
		zib_report_add(report, &d);
	}
}

/* The rules to run over a document, from opts; NULL when none. */
static int rules_for(const zib_check_options *opts, xmlDoc *xml, const zib_schematron **out,
	zib_error *err)
{
	*out = NULL;
	if (!opts || opts->version < 2)
		return ZIB_OK;
	if (opts->schematron) {
		*out = opts->schematron;
		return ZIB_OK;
	}
	if (opts->package)
		return schematron_package_rules_for_doc(opts->package, xml, out, err);
	return ZIB_OK;
}

static int wants_rules(const zib_check_options *opts)
{
	return opts && opts->version >= 2 && (opts->schematron || opts->package);
}

/*
 * Schematron over a parsed document.  FHIR XML and ADA were read from
 * their own trees, so they are parsed again here, only when rules are
 * given.  A document no rule file applies to gets ZIB-SCH-002.
 */
static int run_rules(char **svrl, const zib_check_options *opts, xmlDoc *xml, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err)
{
	const zib_schematron *sch = NULL;
	xmlDoc *own = NULL;
	int rc;

	if (!xml) {
		if (!doc_sniff_looks_like_xml(data, len))
			return ZIB_OK;   /* JSON: Schematron is for XML */
		rc = xml_parse(&own, data, len, file, NULL, err);
		if (rc < 0)
			return rc == ZIB_EPARSE ? ZIB_OK : rc;
		xml = own;
	}
	rc = rules_for(opts, xml, &sch, err);
	if (rc == ZIB_OK && !sch && report) {
		xmlNode *root = xmlDocGetRootElement(xml);
		zib_diag d;
		memset(&d, 0, sizeof(d));
		d.severity = ZIB_SEV_WARNING;
		d.code = ZIB_SCH_CODE_NO_RULES;
		d.file = file;
		d.line = root ? (int)xmlGetLineNo(root) : 0;
		zib_report_addf(report, &d, "no Schematron rule file of the package applies to root "
			"element '%s' and its templateIds (see the instance2schematron map)",
			root ? (const char *)root->name : "");
	}
	if (rc == ZIB_OK && sch)
		rc = schematron_run_doc(sch, xml, file, 1, report, svrl, NULL, err);
	xmlFreeDoc(own);
	return rc;
}

int zib_check_document(zib_doc **doc_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err)
{
	return zib_check_document_svrl(NULL, doc_out, ctx, opts, file, data, len, report, err);
}

int doc_checks(const zib_check_options *opts)
{
	if (!opts || opts->version < 4 || !(opts->checks & ZIB_CHECKS_ALL))
		return ZIB_CHECKS_ALL;
	return opts->checks & ZIB_CHECKS_ALL;
}

/* --checks fhir on a document that is not FHIR: only its well-formedness
 * (the reader's findings of severity error) and a note that nothing else
 * ran. */
static void not_fhir(const zib_report *read, const char *file, zib_report *report)
{
	size_t i;
	zib_diag d;

	for (i = 0; i < zib_report_count(read); i++)
		if (zib_report_at(read, i)->severity == ZIB_SEV_ERROR &&
		    (strncmp(zib_report_at(read, i)->code, "ZIB-XML-", 8) == 0 ||
		     strncmp(zib_report_at(read, i)->code, "ZIB-DOC-", 8) == 0))
			zib_report_add(report, zib_report_at(read, i));
	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_INFO;
	d.code = FV_CODE_NOT_FHIR;
	d.file = file;
	zib_report_addf(report, &d, "%s", "FHIR conformance only (--checks fhir), and the "
		"document is not FHIR: nothing checked beyond well-formedness");
}

static int check_utf8(char **svrl, zib_doc **doc_out, const zib_ctx *ctx,
	const zib_check_options *opts, const char *file, const char *data, size_t len,
	zib_report *report, zib_error *err)
{
	zib_doc *doc = NULL;
	xmlDoc *xml = NULL;
	struct fhir_raw raw;
	const struct fhir_raw *rawp = NULL;
	zib_source_format f = zib_sniff_format(data, len);
	zib_report *read = report;
	int checks = doc_checks(opts), is_fhir, rc;

	is_fhir = f == ZIB_FORMAT_FHIR_XML || f == ZIB_FORMAT_FHIR_JSON;
	/* FHIR only: the zib reader's findings are kept apart, and what is
	 * FHIR-level in them the strict parse of fhirval reports again. */
	if (!(checks & ZIB_CHECKS_ZIB) && report && zib_report_new(&read) < 0)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	/* FHIR (but NDJSON, one parse per line) is parsed once here for the
	 * zib reader and the conformance checks; malformed input is reported
	 * by that parse, whatever the checks. */
	if (is_fhir && !ndjson_sniff(data, len)) {
		if (fhir_raw_parse(&raw, data, len, file, 1, report, err) < 0) {
			fhir_raw_release(&raw);
			if (read != report)
				zib_report_free(read);
			return error_set(err, ZIB_ENOMEM, "out of memory");
		}
		rawp = &raw;
		rc = doc_read_fhir_raw(&doc, ctx, file, rawp, read, err);
	} else {
		rc = doc_read_any(&doc, &xml, ctx, opts, file, data, len, read, err);
	}
	if (read != report && !is_fhir && rc != ZIB_ENOMEM)
		not_fhir(read, file, report);
	if (read != report)
		zib_report_free(read);
	if (doc && (doc->format == ZIB_FORMAT_FHIR_XML || doc->format == ZIB_FORMAT_FHIR_JSON) &&
	    opts && opts->unmapped_findings && (checks & ZIB_CHECKS_ZIB)) {
		/* FHIR content not read, under the FHIR reader's code. */
		report_unmapped(doc, report, FHIRZ_CODE_UNMAPPED);
	}
	if (rc == ZIB_EPARSE && (!is_fhir || (checks & ZIB_CHECKS_ZIB) || (rawp && raw.failed))) {
		xmlFreeDoc(xml);
		zib_doc_free(doc);
		if (rawp)
			fhir_raw_release(&raw);
		return ZIB_OK;   /* judged: the finding is in the report */
	}
	if (rc < 0 && rc != ZIB_EPARSE) {
		xmlFreeDoc(xml);
		zib_doc_free(doc);
		if (rawp)
			fhir_raw_release(&raw);
		return rc;
	}
	if (report && is_fhir && (checks & ZIB_CHECKS_FHIR)) {
		rc = doc_fhir_conformance_raw(doc, opts, file, data, len, rawp, report);
		if (rawp)
			fhir_raw_release(&raw);
		rawp = NULL;
		if (rc < 0) {
			xmlFreeDoc(xml);
			zib_doc_free(doc);
			return error_set(err, rc, "out of memory validating '%s'", file);
		}
	}
	if (rawp)
		fhir_raw_release(&raw);
	if (doc && (checks & ZIB_CHECKS_ZIB)) {
		zib_validate_doc(ctx, doc, report);
		if (opts && opts->unmapped_findings && doc->format != ZIB_FORMAT_FHIR_XML &&
		    doc->format != ZIB_FORMAT_FHIR_JSON)
			report_unmapped(doc, report, "ZIB-CDA-020");
	}
	if (wants_rules(opts) && (xml || doc)) {
		rc = run_rules(svrl, opts, xml, file, data, len, report, err);
		if (rc < 0) {
			xmlFreeDoc(xml);
			zib_doc_free(doc);
			return rc;
		}
	}
	xmlFreeDoc(xml);
	if (doc_out)
		*doc_out = doc;
	else
		zib_doc_free(doc);
	return ZIB_OK;
}

int zib_check_document_svrl(char **svrl, zib_doc **doc_out, const zib_ctx *ctx,
	const zib_check_options *opts, const char *file, const char *data, size_t len,
	zib_report *report, zib_error *err)
{
	char *u8 = NULL;
	int rc;

	if (svrl)
		*svrl = NULL;
	if (doc_out)
		*doc_out = NULL;
	if (!file)
		file = "<input>";
	/* UTF-16 XML is read as the UTF-8 it holds. */
	if (doc_as_utf8(&data, &len, &u8) < 0)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	rc = check_utf8(svrl, doc_out, ctx, opts, file, data, len, report, err);
	free(u8);
	return rc;
}
