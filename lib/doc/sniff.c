/*
 * What a document is, from its first bytes: CDA, FHIR XML or JSON, ADA,
 * or none of them.  The one place that knows how each format starts.
 */
#include <stdlib.h>
#include <string.h>

#include "core/ndjson.h"
#include "core/utf8.h"
#include "doc/doc.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int doc_sniff_is_blank(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_space(data[i]))
			return 0;
	return 1;
}

int doc_sniff_looks_like_xml(const char *data, size_t len)
{
	size_t i = utf8_bom_len(data, len);

	while (i < len && is_space(data[i]))
		i++;
	return i < len && data[i] == '<';
}

int doc_as_utf8(const char **data, size_t *len, char **owned)
{
	size_t n;
	int rc = utf8_from_utf16_xml(*data, *len, owned, &n);

	if (rc == 1) {
		*data = *owned;
		*len = n;
	}
	return rc < 0 ? -1 : 0;
}

int zib_sniff_ndjson(const char *data, size_t len)
{
	return ndjson_sniff(data, len);
}

int doc_sniff_contains(const char *data, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = data, *end = data + len;

	while ((size_t)(end - p) >= n && (p = memchr(p, needle[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, needle, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Finds the root element's local name and namespace in the first bytes. */
static zib_source_format sniff_utf8(const char *data, size_t len)
{
	size_t i = utf8_bom_len(data, len);

	while (i < len && is_space(data[i]))
		i++;
	/* JSON is FHIR only when it names a resourceType somewhere (package.json,
	 * settings and other JSON are not documents). */
	if (i < len && (data[i] == '{' || data[i] == '['))
		return doc_sniff_contains(data, len, "\"resourceType\"") ? ZIB_FORMAT_FHIR_JSON
			: ZIB_FORMAT_UNKNOWN;
	/* Skip the prolog: declarations, comments, processing instructions. */
	while (i + 1 < len && data[i] == '<' && (data[i + 1] == '?' || data[i + 1] == '!')) {
		const char *end = NULL;
		if (i + 3 < len && data[i + 1] == '!' && data[i + 2] == '-' && data[i + 3] == '-') {
			const char *p = data + i + 4;
			while (p + 2 < data + len && !(p[0] == '-' && p[1] == '-' && p[2] == '>'))
				p++;
			end = p + 2 < data + len ? p + 2 : NULL;
		} else {
			end = memchr(data + i, '>', len - i);
		}
		if (!end)
			return ZIB_FORMAT_UNKNOWN;
		i = (size_t)(end - data) + 1;
		while (i < len && is_space(data[i]))
			i++;
	}
	if (i >= len || data[i] != '<')
		return ZIB_FORMAT_UNKNOWN;
	{
		/* Look at the start tag only. */
		const char *tag = data + i, *gt = memchr(tag, '>', len - i);
		size_t n = gt ? (size_t)(gt - tag) : len - i;
		char head[4096];

		if (n >= sizeof(head))
			n = sizeof(head) - 1;
		memcpy(head, tag, n);
		head[n] = '\0';
		if (strstr(head, "http://hl7.org/fhir"))
			return ZIB_FORMAT_FHIR_XML;
		if (strstr(head, "urn:hl7-org:v3") && strstr(head, "ClinicalDocument"))
			return ZIB_FORMAT_CDA;
		if (strstr(head, "urn:hl7-org:v3"))
			return ZIB_FORMAT_CDA;
		if (strstr(head, "<adaxml") || strstr(head, "app=") || strstr(head, "transactionRef"))
			return ZIB_FORMAT_ADA;
	}
	return ZIB_FORMAT_UNKNOWN;
}

zib_source_format zib_sniff_format(const char *data, size_t len)
{
	char *u8 = NULL;
	size_t n;
	zib_source_format f;

	/* UTF-16 XML: sniff the start of it as UTF-8 (names are ASCII). */
	if (utf8_from_utf16_xml(data, len < 65536 ? len : 65536, &u8, &n) == 1) {
		f = sniff_utf8(u8, n);
		free(u8);
		return f;
	}
	return sniff_utf8(data, len);
}
