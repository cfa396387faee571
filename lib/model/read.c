/*
 * zib_doc_read: the one entry point that reads any supported document into
 * zibs.  It sniffs the format and hands the bytes to that format's reader;
 * nothing else lives here.
 */
#include "ada/ada.h"
#include "core/error.h"
#include "model/doc.h"

#define READ_CODE_UNSUPPORTED "ZIB-READ-001"  /* no zib reader for this format yet */
#define READ_CODE_UNKNOWN "ZIB-READ-002"      /* format not recognised */

int zib_doc_read(zib_doc **out, const zib_ctx *ctx, const char *file, const char *data,
	size_t len, zib_report *report, zib_error *err)
{
	zib_source_format f = zib_sniff_format(data, len);
	zib_diag d = { ZIB_SEV_ERROR, NULL, file, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL };

	*out = NULL;
	switch (f) {
	case ZIB_FORMAT_ADA:
		return ada_read(out, ctx, file, data, len, report, err);
	case ZIB_FORMAT_UNKNOWN:
		d.code = READ_CODE_UNKNOWN;
		if (report)
			zib_report_addf(report, &d, "not a CDA, FHIR or ADA document");
		return error_set(err, ZIB_EPARSE, "'%s' is not a CDA, FHIR or ADA document", file);
	default:
		d.code = READ_CODE_UNSUPPORTED;
		if (report)
			zib_report_addf(report, &d, "reading %s into zibs is not supported yet",
				zib_source_format_name(f));
		return error_set(err, ZIB_EPARSE, "'%s': reading %s into zibs is not supported yet",
			file, zib_source_format_name(f));
	}
}
