/* CSV cells by datatype (cells.c): split codes and quantities, ISO times. */
#ifndef ZIB_EXTRACT_CELLS_H
#define ZIB_EXTRACT_CELLS_H

#include "core/buf.h"
#include "model/doc.h"

enum { CELLS_ONE, CELLS_CODE, CELLS_QUANTITY, CELLS_TIME };

/* How a concept's values are written: one of the CELLS_ kinds. */
int extract_cells_kind(const struct zib_concept *c);
/* Columns per concept of that kind: 3 for codes, 2 for quantities, else 1. */
size_t extract_cells_width(int kind);
/* The header suffix of column i ("code", "system", "display"; "value",
 * "unit"), NULL for one-column kinds. */
const char *extract_cells_suffix(int kind, size_t i);
/* Appends column i of value v. */
void extract_cells_render(const struct zib_value *v, int kind, size_t i, struct buf *out);
/* Appends s (HL7 TS or ISO 8601) in ISO 8601 at its own precision. */
void extract_cells_iso_time(const char *s, struct buf *out);

#endif
