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

#endif
