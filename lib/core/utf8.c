/* The one byte-order-mark check of libzib (see utf8.h). */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

size_t utf8_bom_len(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	return len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
}

/* 0: not UTF-16; 1: little-endian; 2: big-endian.  *skip: the BOM's length. */
static int utf16_kind(const unsigned char *p, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE && !(len >= 4 && p[2] == 0 && p[3] == 0))
		return *skip = 2, 1;
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return *skip = 2, 2;
	/* No BOM: XML starts with '<', which is 3C 00 or 00 3C in UTF-16. */
	if (len >= 4 && p[0] == '<' && p[1] == 0 && p[2] != 0 && p[3] == 0)
		return 1;
	if (len >= 4 && p[0] == 0 && p[1] == '<' && p[2] == 0 && p[3] != 0)
		return 2;
	return 0;
}

size_t utf8_put(char *o, unsigned long c)
{
	if (c < 0x80)
		return o[0] = (char)c, 1;
	if (c < 0x800)
		return o[0] = (char)(0xC0 | (c >> 6)), o[1] = (char)(0x80 | (c & 0x3F)), 2;
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* In an XML declaration at the start of s, the encoding's value becomes
 * UTF-8 (the text is UTF-8 now); the rest of the line keeps its place. */
static size_t relabel_declaration(char *s, size_t n)
{
	char *end, *enc, *q, *close;
	size_t vlen;

	if (n < 6 || memcmp(s, "<?xml", 5) != 0 || !(end = memchr(s, '>', n)))
		return n;
	enc = s;
	for (;;) {
		enc = memchr(enc, 'e', (size_t)(end - enc));
		if (!enc || (size_t)(end - enc) < 9)
			return n;
		if (memcmp(enc, "encoding", 8) == 0)
			break;
		enc++;
	}
	for (q = enc + 8; q < end && (*q == ' ' || *q == '=' || *q == '\t'); q++)
		;
	if (q >= end || (*q != '"' && *q != '\''))
		return n;
	close = memchr(q + 1, *q, (size_t)(end - q - 1));
	if (!close)
		return n;
	vlen = (size_t)(close - q - 1);
	if (vlen < 5)
		return n;
	/* Write UTF-8 and drop the rest of the old value. */
	memcpy(q + 1, "UTF-8", 5);
	memmove(q + 6, close, n - (size_t)(close - s));
	return n - (vlen - 5);
}

int utf8_from_utf16_xml(const char *data, size_t len, char **out, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t skip, i, n = 0;
	int kind = utf16_kind(p, len, &skip);
	char *o;

	*out = NULL;
	*out_len = 0;
	if (!kind)
		return 0;
	/* At most 3 UTF-8 bytes per UTF-16 unit (a pair of units makes 4). */
	o = malloc((len / 2) * 3 + 1);
	if (!o)
		return -1;
	for (i = skip; i + 1 < len; i += 2) {
		unsigned long c = kind == 1 ? (unsigned long)(p[i] | p[i + 1] << 8) :
			(unsigned long)(p[i] << 8 | p[i + 1]);
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
			unsigned long lo = kind == 1 ? (unsigned long)(p[i + 2] | p[i + 3] << 8) :
				(unsigned long)(p[i + 2] << 8 | p[i + 3]);
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;  /* a lone surrogate: the parser reports bad text */
		}
		n += utf8_put(o + n, c);
	}
	n = relabel_declaration(o, n);
	o[n] = '\0';
	*out = o;
	*out_len = n;
	return 1;
}
