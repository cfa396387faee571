/*
 * utf8: byte-level facts about UTF-8 text that several readers need
 * before any parser sees the data.
 */
#ifndef ZIB_CORE_UTF8_H
#define ZIB_CORE_UTF8_H

#include <stddef.h>

/* The length of the UTF-8 byte order mark (EF BB BF) data starts with:
 * 3, or 0 when it has none. */
size_t utf8_bom_len(const char *data, size_t len);

/* Writes code point c as UTF-8 at o (room for 4 bytes); returns the bytes
 * written, 1 to 4. */
size_t utf8_put(char *o, unsigned long c);

/*
 * XML in UTF-16 (a byte order mark, or '<' as UTF-16 without one), which
 * XML parsers must accept, as UTF-8 in *out (malloc'd, NUL-terminated;
 * the declaration's encoding becomes UTF-8, lines keep their numbers).
 * Returns 1 when converted, 0 when data is not UTF-16 (*out NULL), -1
 * when out of memory.
 */
int utf8_from_utf16_xml(const char *data, size_t len, char **out, size_t *out_len);

#endif
