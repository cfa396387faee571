/*
 * Comparing zib values by meaning, whatever format they were read from:
 * codes by system + code (not display), timestamps by instant with their
 * precision, quantities by value and UCUM unit, strings exactly.
 */
#ifndef ZIB_MODEL_VALUE_H
#define ZIB_MODEL_VALUE_H

#include "core/buf.h"
#include "model/codesys.h"
#include "model/doc.h"
#include "model/timestamp.h"

enum value_cmp {
	VALUE_EQUAL = 0,
	VALUE_DIFFERENT = 1,
	VALUE_INCOMPARABLE = 2   /* e.g. quantities in units UCUM does not know */
};

/* Compares two timestamps as written; note says why when they differ. */
enum value_cmp model_ts_compare(const char *a, const char *b, const char **note);

/* Compares two quantities: value and UCUM unit each (see model/ucum.h),
 * converted where the units differ; note says why when they do not. */
enum value_cmp model_pq_compare(const char *va, const char *ua, const char *vb, const char *ub,
	const char **note);

/* Compares two leaf values of the same concept (not references, not groups). */
enum value_cmp value_compare(const zib_ctx *ctx, const struct zib_value *a,
	const struct zib_value *b, const char **note);

/* Appends a canonical form of a leaf value: equal forms mean equal values. */
void value_signature(const zib_ctx *ctx, const struct zib_value *v, struct buf *out);

/* Appends v as a person reads it: `70 kg`, `267038008 (2.16...96) "Oedeem"`. */
void value_render(const struct zib_value *v, struct buf *out);

#endif
