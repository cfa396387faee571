/*
 * Reading a document into a zib_doc, whatever its format: the one place
 * that dispatches on the sniffed format (CDA and ADA now; FHIR readers plug
 * in here), and zib_check_document, the whole of `zib validate` for one
 * document.
 */
#include <stdlib.h>
#include <string.h>

#include "ada/ada.h"
#include "cda/cda.h"
#include "cda/schema.h"
#include "core/error.h"
#include "core/xml.h"
#include "fhir/zib_read.h"
#include "fhirval/fhirval.h"
#include "model/doc.h"
#include "schematron/schematron.h"

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

static int is_blank(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return 0;
	return 1;
}

/* Whether data starts (after a BOM and white space) with '<'. */
static int looks_like_xml(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && (unsigned char)data[0] == 0xEF)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '<';
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

static int is_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* NDJSON: JSON whose first resource ends on its first line and more follow. */
static int is_ndjson(const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t i;

	if (!nl || (size_t)(nl - data) + 1 >= len)
		return 0;
	for (i = 0; i < (size_t)(nl - data) && (data[i] == ' ' || data[i] == '\t'); i++)
		;
	if (i >= (size_t)(nl - data) || data[i] != '{')
		return 0;
	for (i = (size_t)(nl - data); i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\r'); i--)
		;
	return i > 0 && data[i - 1] == '}';
}

/*
 * FHIR: parse (tolerantly: STU3 elements R4 does not know are kept) and read
 * into zib instances.  NDJSON is one tree per line, one document.
 */
static int read_fhir(zib_doc **out, const zib_ctx *ctx, const char *file, const char *data,
	size_t len, zib_report *report, zib_error *err)
{
	struct zib_fhir **trees = NULL;
	size_t n = 0, cap = 0, i;
	int rc = ZIB_OK, line = 1;

	*out = NULL;
	if (is_ndjson(data, len)) {
		const char *p = data, *end = data + len;
		while (p < end && rc == ZIB_OK) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (!is_blank_line(p, l)) {
				struct zib_fhir *t = NULL;
				if (n == cap) {
					struct zib_fhir **tt = realloc(trees, (cap = cap ? cap * 2 : 16) * sizeof(*tt));
					if (!tt) {
						rc = error_set(err, ZIB_ENOMEM, "out of memory");
						break;
					}
					trees = tt;
				}
				rc = fhir_parse(&t, p, l, file, line, 1, report, err);
				if (rc == ZIB_OK)
					trees[n++] = t;
			}
			line++;
			p += l + 1;
		}
	} else {
		trees = malloc(sizeof(*trees));
		if (!trees)
			return error_set(err, ZIB_ENOMEM, "out of memory");
		rc = fhir_parse(&trees[0], data, len, file, 1, 1, report, err);
		if (rc == ZIB_OK)
			n = 1;
	}
	if (rc == ZIB_OK)
		rc = fhir_zib_read_trees(out, ctx, file, trees, n, report, err);
	for (i = 0; i < n; i++)
		zib_fhir_free(trees[i]);
	free(trees);
	return rc;
}

int zib_doc_read_many(zib_doc **out, const zib_ctx *ctx, const char *name, size_t count,
	const char *const *files, const char *const *datas, const size_t *lens,
	zib_report *report, zib_error *err)
{
	struct zib_fhir **trees;
	size_t n = 0, i;
	int rc = ZIB_OK;

	*out = NULL;
	trees = calloc(count ? count : 1, sizeof(*trees));
	if (!trees)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	for (i = 0; i < count; i++) {
		zib_source_format f = zib_sniff_format(datas[i], lens[i]);
		if (f != ZIB_FORMAT_FHIR_XML && f != ZIB_FORMAT_FHIR_JSON) {
			/* A set shares references: only FHIR resources do that. */
			rc = error_set(err, ZIB_EINVAL, "%s: a set of documents read as one must be FHIR "
				"(this is %s)", files[i], zib_source_format_name(f));
			break;
		}
		rc = fhir_parse(&trees[n], datas[i], lens[i], files[i], 1, 1, report, err);
		if (rc == ZIB_OK)
			n++;
		else if (rc != ZIB_EPARSE)
			break;
		else
			rc = ZIB_OK;   /* judged: the finding is in the report */
	}
	if (rc == ZIB_OK)
		rc = fhir_zib_read_trees(out, ctx, name ? name : "<set>", trees, n, report, err);
	for (i = 0; i < n; i++)
		zib_fhir_free(trees[i]);
	free(trees);
	return rc;
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
	if (f == ZIB_FORMAT_FHIR_JSON || f == ZIB_FORMAT_FHIR_XML)
		return read_fhir(out, ctx, file, data, len, report, err);
	if (f == ZIB_FORMAT_ADA)
		return ada_read(out, ctx, file, data, len, report, err);
	/* White space only is an empty document (ZIB-XML-003), as no bytes are. */
	if (f == ZIB_FORMAT_UNKNOWN && len > 0 && !looks_like_xml(data, len) && !is_blank(data, len))
		return not_a_document(file, report, err);
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
	int rc;

	if (!file)
		file = "<input>";
	rc = read_xml(out, NULL, ctx, NULL, file, data, len, report, err);
	/* read_xml leaves *out NULL for XML that is no CDA (the finding is in
	 * report); callers of zib_doc_read need a document or a failure. */
	if (rc == ZIB_OK && !*out)
		return error_set(err, ZIB_EPARSE, "%s: not a CDA, FHIR or ADA document", file);
	return rc;
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
		return package_rules_for_doc(opts->package, xml, out, err);
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
		if (!looks_like_xml(data, len))
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

/* Whether data holds needle (memmem is not standard C or POSIX). */
static int has_text(const char *data, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = data, *end = data + len;

	while ((size_t)(end - p) >= n && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
		if (memcmp(p, needle, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* FHIR conformance (lib/fhirval) beside the zib rules: R4 documents only,
 * as no STU3 definitions are loaded. */
static int fhir_conformance(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report)
{
	/* The zib reader calls any document with content R4 lacks STU3; only
	 * a Dutch (zib) profile makes that a zib2017 document rather than a
	 * broken R4 one.  A document whose zib-* profile both releases share
	 * and that says nothing else ("zib2017 or zib2020") is not checked
	 * either: R4 rules would judge an STU3 resource. */
	if (doc && doc->source_version && strncmp(doc->source_version, "zib2017", 7) == 0 &&
	    (has_text(data, len, "fhir.nl/fhir/StructureDefinition/") ||
	     has_text(data, len, "nictiz.nl/fhir/StructureDefinition/"))) {
		zib_diag d;
		memset(&d, 0, sizeof(d));
		d.severity = ZIB_SEV_INFO;
		d.code = FV_CODE_STU3;
		d.file = file;
		zib_report_addf(report, &d, "FHIR conformance not checked: the document is %s and "
			"no STU3 definitions are loaded", strncmp(doc->source_version, "zib2017 (", 9) == 0 ?
			"STU3 (zib2017)" : "perhaps STU3 (a zib profile both releases share)");
		return ZIB_OK;
	}
	if (opts && opts->version >= 3)
		return fhirval_check_data(file, data, len, fhirval_defs_set(opts->fhir_defs),
			opts->fhir_profiles, opts->nfhir_profiles, report);
	return fhirval_check_data(file, data, len, NULL, NULL, 0, report);
}

int zib_check_fhir(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err)
{
	zib_source_format f = zib_sniff_format(data, len);
	int rc;

	if (!report || (f != ZIB_FORMAT_FHIR_XML && f != ZIB_FORMAT_FHIR_JSON))
		return ZIB_OK;
	rc = fhir_conformance(doc, opts, file ? file : "<input>", data, len, report);
	return rc < 0 ? error_set(err, rc, "out of memory validating '%s'", file ? file : "<input>") : rc;
}

int zib_check_document(zib_doc **doc_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err)
{
	return zib_check_document_svrl(NULL, doc_out, ctx, opts, file, data, len, report, err);
}

int zib_check_document_svrl(char **svrl, zib_doc **doc_out, const zib_ctx *ctx,
	const zib_check_options *opts, const char *file, const char *data, size_t len,
	zib_report *report, zib_error *err)
{
	zib_doc *doc = NULL;
	xmlDoc *xml = NULL;
	int rc;

	if (svrl)
		*svrl = NULL;
	if (doc_out)
		*doc_out = NULL;
	if (!file)
		file = "<input>";
	rc = read_xml(&doc, &xml, ctx, opts, file, data, len, report, err);
	if (doc && (doc->format == ZIB_FORMAT_FHIR_XML || doc->format == ZIB_FORMAT_FHIR_JSON) &&
	    opts && opts->unmapped_findings) {
		/* FHIR content not read, under the FHIR reader's code. */
		size_t i;
		zib_diag d;
		memset(&d, 0, sizeof(d));
		d.severity = ZIB_SEV_INFO;
		d.code = FHIRZ_CODE_UNMAPPED;
		d.file = doc->file;
		for (i = 0; i < doc->nunmapped; i++) {
			d.line = doc->unmapped[i].line;
			d.path = doc->unmapped[i].path;
			d.message = doc->unmapped[i].what;
			zib_report_add(report, &d);
		}
	}
	if (rc == ZIB_EPARSE) {
		xmlFreeDoc(xml);
		zib_doc_free(doc);
		return ZIB_OK;   /* judged: the finding is in the report */
	}
	if (rc < 0) {
		xmlFreeDoc(xml);
		zib_doc_free(doc);
		return rc;
	}
	if (report && (zib_sniff_format(data, len) == ZIB_FORMAT_FHIR_XML ||
	    zib_sniff_format(data, len) == ZIB_FORMAT_FHIR_JSON)) {
		rc = fhir_conformance(doc, opts, file, data, len, report);
		if (rc < 0) {
			xmlFreeDoc(xml);
			zib_doc_free(doc);
			return error_set(err, rc, "out of memory validating '%s'", file);
		}
	}
	if (doc) {
		zib_validate_doc(ctx, doc, report);
		if (opts && opts->unmapped_findings && doc->format != ZIB_FORMAT_FHIR_XML &&
		    doc->format != ZIB_FORMAT_FHIR_JSON)
			report_unmapped(doc, report);
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
