/*
 * libFuzzer target: zib diff.  The input is two documents separated by a
 * NUL byte (else split in half); both are read and compared both ways.
 */
#include "fuzz_util.h"

static zib_doc *read_side(const char *data, size_t len)
{
	zib_doc *doc = NULL;
	zib_error err;

	if (zib_doc_read(&doc, fuzz_ctx(), "side", data, len, NULL, &err) != ZIB_OK)
		return NULL;
	return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *sep = memchr(p, '\0', size);
	size_t na = sep ? (size_t)(sep - p) : size / 2;
	size_t skip = sep ? 1 : 0;
	zib_doc *a = read_side(p, na), *b = read_side(p + na + skip, size - na - skip);
	zib_diff_options opts = ZIB_DIFF_OPTIONS_INIT;
	zib_diff *d = NULL;
	zib_error err;

	if (a && b) {
		if (zib_diff_docs(&d, fuzz_ctx(), (const zib_doc *const *)&a, 1,
		    (const zib_doc *const *)&b, 1, &opts, &err) == ZIB_OK) {
			size_t i;
			for (i = 0; i < zib_diff_count(d); i++)
				(void)zib_diff_at(d, i);
			zib_diff_free(d);
		}
		if (zib_diff_docs(&d, fuzz_ctx(), (const zib_doc *const *)&a, 1,
		    (const zib_doc *const *)&a, 1, &opts, &err) == ZIB_OK) {
			/* A document never differs from itself. */
			if (zib_diff_count(d) != 0)
				abort();
			zib_diff_free(d);
		}
	}
	zib_doc_free(a);
	zib_doc_free(b);
	return 0;
}
