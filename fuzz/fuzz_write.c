/*
 * libFuzzer target: the zib writers.  Any document read into zibs is
 * written as FHIR R4 and STU3 (JSON, XML, NDJSON) and as a CDA document;
 * what the R4 writer writes (JSON and XML) must parse again as strict R4.
 */
#include "fuzz_util.h"

static void to_fhir(const zib_doc *doc, zib_fhir_release release)
{
	zib_fhir_write_options wo = ZIB_FHIR_WRITE_OPTIONS_INIT;
	zib_fhir *f = NULL, *again = NULL;
	zib_report *report = NULL;
	zib_error err;
	char *out = NULL;
	size_t len = 0;

	wo.release = release;
	if (zib_report_new(&report) != ZIB_OK)
		abort();
	if (zib_doc_to_fhir(&f, doc, &wo, report, &err) == ZIB_OK) {
		if (zib_fhir_write_json(&out, &len, f, 0, &err) == ZIB_OK) {
			/* R4 must read back as strict R4 (STU3 is no R4: not checked). */
			if (release == ZIB_FHIR_R4 &&
			    zib_fhir_parse(&again, out, len, "again.json", NULL, &err) != ZIB_OK)
				abort();  /* the writer wrote JSON its own reader refuses */
			zib_fhir_free(again);
			free(out);
		}
		if (zib_fhir_write_xml(&out, &len, f, 0, &err) == ZIB_OK) {
			/* XML too: a non-repeating element written twice (the
			 * JSON writer keeps the first) shows only here. */
			again = NULL;
			if (release == ZIB_FHIR_R4 &&
			    zib_fhir_parse(&again, out, len, "again.xml", NULL, &err) != ZIB_OK)
				abort();
			zib_fhir_free(again);
			free(out);
		}
		if (zib_fhir_write_ndjson_entries(&out, &len, f, &err) == ZIB_OK)
			free(out);
		zib_fhir_free(f);
	}
	zib_report_free(report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zib_cda_write_options co = ZIB_CDA_WRITE_OPTIONS_INIT;
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	char *out = NULL;
	size_t len = 0;

	if (zib_doc_read(&doc, fuzz_ctx(), "fuzz", (const char *)data, size, NULL, &err) != ZIB_OK)
		return 0;
	to_fhir(doc, ZIB_FHIR_R4);
	to_fhir(doc, ZIB_FHIR_STU3);
	co.effective_time = "20200101120000+0100";
	if (zib_report_new(&report) != ZIB_OK)
		abort();
	if (zib_doc_write_cda(&out, &len, doc, &co, report, &err) == ZIB_OK)
		free(out);
	zib_report_free(report);
	zib_doc_free(doc);
	return 0;
}
