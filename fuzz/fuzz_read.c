/*
 * libFuzzer target: any bytes through zib_doc_read (format sniffing, the
 * CDA, FHIR and ADA readers) and the zib-level rules.  Run with `make fuzz`.
 */
#include <stdint.h>
#include <stdlib.h>

#include "zib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static zib_ctx *ctx;
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;

	if (!ctx && zib_ctx_new(&ctx, NULL, &err) != ZIB_OK)
		abort();
	if (zib_report_new(&report) != ZIB_OK)
		abort();
	if (zib_doc_read(&doc, ctx, "fuzz", (const char *)data, size, report, &err) == ZIB_OK && doc)
		zib_validate_doc(ctx, doc, report);
	zib_doc_free(doc);
	zib_report_free(report);
	return 0;
}
