/*
 * ndjson: NDJSON (one JSON document per line) told apart from one JSON
 * document by its first bytes.
 */
#ifndef ZIB_CORE_NDJSON_H
#define ZIB_CORE_NDJSON_H

#include <stddef.h>

/* Whether data is NDJSON: blank lines skipped, the first other line a
 * whole JSON object ('{' ... '}'), and more than white space after it. */
int ndjson_sniff(const char *data, size_t len);

#endif
