/*
 * ndjson: the one rule for telling NDJSON from a single JSON document,
 * shared by the document sniffer (lib/doc) and the FHIR conformance
 * check (lib/fhirval), which sit side by side above the formats.
 */
#include <string.h>

#include "core/ndjson.h"

int ndjson_sniff(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *q;

	/* Blank lines before the first resource are skipped, as between. */
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return 0;
		for (q = p; q < nl && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < nl)
			break;
		p = nl + 1;
	}
	if (*q != '{')
		return 0;
	for (q = nl; q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'); q--)
		;
	if (q == p || q[-1] != '}')
		return 0;
	/* More than white space after the first line. */
	for (q = nl + 1; q < end; q++)
		if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
			return 1;
	return 0;
}
