/*
 * libFuzzer target: zib extract.  Any document read into zibs is written
 * as text, CSV and the instance tree (to /dev/null).
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static zib_selection *all;
	static FILE *sink;
	zib_doc *doc = NULL;
	zib_error err;

	if (!all && zib_selection_new(&all, fuzz_ctx(), NULL, NULL, NULL, &err) != ZIB_OK)
		abort();
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (zib_doc_read(&doc, fuzz_ctx(), "fuzz", (const char *)data, size, NULL, &err) != ZIB_OK)
		return 0;
	zib_extract_text(sink, doc, all);
	zib_extract_csv_header(sink, all);
	zib_extract_csv_rows(sink, doc, all);
	zib_doc_write_tree(sink, doc, 1);
	zib_doc_free(doc);
	return 0;
}
