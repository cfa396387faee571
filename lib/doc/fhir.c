/*
 * FHIR conformance (lib/fhirval) in the validate pipeline, beside the zib
 * rules: R4 documents only, as no STU3 definitions are loaded by default.
 */
#include <string.h>

#include "core/error.h"
#include "doc/doc.h"
#include "fhirval/fhirval.h"
#include "model/doc.h"

int doc_fhir_conformance(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report)
{
	return doc_fhir_conformance_raw(doc, opts, file, data, len, NULL, report);
}

int doc_fhir_conformance_raw(const zib_doc *doc, const zib_check_options *opts,
	const char *file, const char *data, size_t len, const struct fhir_raw *raw,
	zib_report *report)
{
	struct fhirdef_set *defs = NULL;
	const char *const *profiles = NULL;
	size_t nprofiles = 0;

	/* The zib reader calls any document with content R4 lacks STU3; only
	 * a Dutch (zib) profile makes that a zib2017 document rather than a
	 * broken R4 one.  A document whose zib-* profile both releases share
	 * and that says nothing else ("zib2017 or zib2020") is not checked
	 * either: R4 rules would judge an STU3 resource. */
	if (doc && doc->source_version && strncmp(doc->source_version, "zib2017", 7) == 0 &&
	    (doc_sniff_contains(data, len, "fhir.nl/fhir/StructureDefinition/") ||
	     doc_sniff_contains(data, len, "nictiz.nl/fhir/StructureDefinition/"))) {
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
	if (opts && opts->version >= 3) {
		defs = fhirval_defs_set(opts->fhir_defs);
		profiles = opts->fhir_profiles;
		nprofiles = opts->nfhir_profiles;
	}
	if (raw)
		return fhirval_check_raw(file, raw, defs, profiles, nprofiles, report);
	return fhirval_check_data(file, data, len, defs, profiles, nprofiles, report);
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
