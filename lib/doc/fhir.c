/*
 * FHIR conformance (lib/fhirval) in the validate pipeline, beside the zib
 * rules, by the definitions of the document's FHIR release: an R4
 * document by R4 core and the loaded R4 definitions, an STU3 one by the
 * STU3 definitions loaded with --fhir-package (never by R4's core rules).
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "doc/doc.h"
#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"
#include "model/doc.h"
#include "model/release.h"

/* Does the document name (meta.profile) a profile that only the
 * definitions of release major hold?  The profile urls of data are
 * found by a scan for "StructureDefinition/" values. */
static int claims_profile_of(struct fhirdef_set *defs, int major, const char *data, size_t len)
{
	struct fhirdef_set *view = fhirdef_set_release(defs, major);
	const char *p = data, *end = data + len;

	if (!view || view == defs)
		return 0;
	while (p < end && (p = memchr(p, 'h', (size_t)(end - p))) != NULL) {
		char url[512];
		size_t n = 0;
		if ((size_t)(end - p) > 8 && strncmp(p, "http", 4) == 0) {
			while (p + n < end && n < sizeof(url) - 1 && p[n] != '"' && p[n] != '\'' &&
			       p[n] != '<' && p[n] != ' ' && p[n] != '|')
				n++;
			memcpy(url, p, n);
			url[n] = '\0';
			if (strstr(url, "/StructureDefinition/") && fhirdef_sd(view, url) &&
			    !fhirdef_sd(defs, url))
				return 1;
		}
		p += n ? n : 1;
	}
	return 0;
}

/* The FHIR release of the document.  The zib reader calls a document
 * with content R4 lacks zib2017; that makes it STU3 only with positive
 * evidence (a broken R4 document has unknown elements too): a Dutch zib
 * profile (a fhir.nl one alone is STU3: zib2017's nl-core), or an STU3
 * name of an HL7 code system (http://hl7.org/fhir/v3/ where R4 has
 * terminology.hl7.org).  A profile that only loaded STU3
 * definitions hold makes any document STU3.  0: not evident (a zib-*
 * profile both releases share and nothing else). */
static int release_of(const zib_doc *doc, struct fhirdef_set *defs, const char *data, size_t len)
{
	const struct zib_release *other = release_of_other_structure();
	const char *v = doc ? doc->source_version : NULL;

	if (!other)
		return release_default()->fhir_major;
	if (claims_profile_of(defs, other->fhir_major, data, len))
		return other->fhir_major;
	/* fhir.nl profiles are zib2017's nl-core (zib2020's are nictiz.nl). */
	if (doc_sniff_contains(data, len, "://fhir.nl/fhir/StructureDefinition/"))
		return other->fhir_major;
	if (v && strncmp(v, other->id, strlen(other->id)) == 0) {
		/* only here: each is a scan of the whole document */
		int dutch = doc_sniff_contains(data, len, "fhir.nl/fhir/StructureDefinition/") ||
			doc_sniff_contains(data, len, "nictiz.nl/fhir/StructureDefinition/");
		if (strncmp(v + strlen(other->id), " (", 2) == 0 && (dutch ||
		    doc_sniff_contains(data, len, other->hl7_v3_prefix) ||
		    doc_sniff_contains(data, len, other->hl7_v2_prefix)))
			return other->fhir_major;
		if (strncmp(v + strlen(other->id), " or ", 4) == 0 && dutch)
			return 0;
	}
	return release_default()->fhir_major;
}

/* What an STU3 run does not check, as one info finding. */
static void release_note(const char *file, int major, int with_defs, int evident,
	zib_report *report)
{
	const struct zib_release *rel = release_by_fhir_major(major);
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_INFO;
	d.code = FV_CODE_STU3;
	d.file = file;
	if (!evident)
		zib_report_addf(report, &d, "%s", "FHIR conformance not checked: the document's "
			"FHIR release is not evident (a zib profile STU3 and R4 share, and nothing "
			"else says which); the zib-level checks ran");
	else if (with_defs)
		zib_report_addf(report, &d, "checked as %s by the %s definitions loaded "
			"(--fhir-package), never by R4's: each resource and datatype against its base "
			"definition where that is loaded (structure, cardinality, bindings, invariants), "
			"profiles by their snapshot or, without one, by their differential (elements "
			"outside slices, extension slices by url)", rel ? rel->fhir_name : "FHIR",
			rel ? rel->fhir_name : "");
	else
		zib_report_addf(report, &d, "%s document, and no %s definitions are loaded: only "
			"well-formedness, primitive formats, narrative safety, Extension.url and local "
			"references are checked; structure, cardinality, bindings, invariants, "
			"extensions and profiles are not (load %s core with --fhir-package)",
			rel ? rel->fhir_name : "FHIR", rel ? rel->fhir_name : "",
			rel ? rel->fhir_name : "");
}

int doc_fhir_conformance(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report)
{
	return doc_fhir_conformance_raw(doc, opts, file, data, len, NULL, report);
}

int doc_fhir_conformance_raw(const zib_doc *doc, const zib_check_options *opts,
	const char *file, const char *data, size_t len, const struct fhir_raw *raw,
	zib_report *report)
{
	struct fhirdef_set *defs = opts && opts->version >= 3 ? fhirval_defs_set(opts->fhir_defs) :
		NULL;
	const char *const *profiles = opts && opts->version >= 3 ? opts->fhir_profiles : NULL;
	size_t nprofiles = opts && opts->version >= 3 ? opts->nfhir_profiles : 0;
	int major = release_of(doc, defs, data, len), rc;
	struct fhirdef_set *view;

	if (major == 0) {
		release_note(file, 0, 0, 0, report);
		return ZIB_OK;
	}
	if (major == release_default()->fhir_major) {
		if (raw)
			return fhirval_check_raw(file, raw, major, defs, profiles, nprofiles, report);
		return fhirval_check_data(file, data, len, major, defs, profiles, nprofiles, report);
	}
	view = fhirdef_set_release(defs, major);
	rc = fhirval_check_data(file, data, len, major, view, view ? profiles : NULL,
		view ? nprofiles : 0, report);
	release_note(file, major, view != NULL, 1, report);
	return rc;
}

int zib_check_fhir(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err)
{
	zib_source_format f = zib_sniff_format(data, len);
	int rc;

	if (!report || (f != ZIB_FORMAT_FHIR_XML && f != ZIB_FORMAT_FHIR_JSON))
		return ZIB_OK;
	rc = doc_fhir_conformance(doc, opts, file ? file : "<input>", data, len, report);
	return rc < 0 ? error_set(err, rc, "out of memory validating '%s'", file ? file : "<input>") : rc;
}
