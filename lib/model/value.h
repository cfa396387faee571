/*
 * Comparing zib values by meaning, whatever format they were read from:
 * codes by system + code (not display), timestamps by instant with their
 * precision, quantities by value and UCUM unit, strings exactly.
 */
#ifndef ZIB_MODEL_VALUE_H
#define ZIB_MODEL_VALUE_H

#include "core/buf.h"
#include "model/doc.h"

enum value_cmp {
	VALUE_EQUAL = 0,
	VALUE_DIFFERENT = 1,
	VALUE_INCOMPARABLE = 2   /* e.g. quantities in units this table does not know */
};

/* A parsed timestamp: HL7 TS (20200101103000+0100) or ISO 8601. */
struct ts {
	int year, month, day, hour, minute, second;
	char frac[16];      /* fraction digits as written, "" when none */
	int precision;      /* 1 year .. 6 second, 7 with a fraction */
	int has_tz;
	int tz_minutes;     /* offset east of UTC */
};

/* 0 when s is a timestamp in either form, -1 when not. */
int ts_parse(const char *s, struct ts *out);
/* A test date relative to the run day (ADA "T-44D{14:22:10}", FHIR fixture
 * "${DATE, T, D, -44}T14:22:10+02:00") in one form; -1 when s is none. */
int ts_relative(const char *s, char *out, size_t size);
/* Compares two timestamps as written; note says why when they differ. */
enum value_cmp ts_compare(const char *a, const char *b, const char **note);

/*
 * Parses a UCUM unit ("kg", "mm[Hg]", "/min", "10*9/L", "kg/m2") into a
 * factor to base units and a dimension vector; -1 for an unknown unit.
 * Cel is returned as K with *offset 273.15.
 */
int ucum_parse(const char *unit, double *factor, int dim[6], double *offset);
enum value_cmp pq_compare(const char *va, const char *ua, const char *vb, const char *ub,
	const char **note);

/* Normalises a code system or identifier system to an OID where known. */
const char *system_norm(const zib_ctx *ctx, const char *system, char *buf, size_t size);

/* Compares two leaf values of the same concept (not references, not groups). */
enum value_cmp value_compare(const zib_ctx *ctx, const struct zib_value *a,
	const struct zib_value *b, const char **note);

/* Appends a canonical form of a leaf value: equal forms mean equal values. */
void value_signature(const zib_ctx *ctx, const struct zib_value *v, struct buf *out);

/* Appends v as a person reads it: `70 kg`, `267038008 (2.16...96) "Oedeem"`. */
void value_render(const struct zib_value *v, struct buf *out);

#endif
