/* The one byte-order-mark check of libzib (see utf8.h). */
#include "core/utf8.h"

size_t utf8_bom_len(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	return len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
}
