#ifndef ZIB_MODEL_UNIT_H
#define ZIB_MODEL_UNIT_H

/*
 * UCUM terms of a count of a unit, as the zib model writes a period: "d"
 * for 1 d, "8.h" for 8 h (UCUM has no other way to say "per 8 hours" in
 * one unit: "/(8.h)").  Readers build them from FHIR period/periodUnit, a
 * Ratio's denominator or an ADA tijdseenheid; writers take them apart.
 */

#include <stddef.h>

/* count (a whole number) of unit as a term in buf; 0 when count is no
 * whole number, unit no plain unit, or buf too small. */
int model_ucum_count_term(const char *count, const char *unit, char *buf, size_t size);

/* The same as a "per" unit: "/d", "/(8.h)". */
int model_ucum_per_unit(const char *count, const char *unit, char *buf, size_t size);

/* term ("d", "8.h") back into count ("1", "8") and unit; 0 when it is no
 * such term or a buffer is too small. */
int model_ucum_split_term(const char *term, char *count, size_t csize, char *unit, size_t usize);

/* A "per" unit ("/d", "/(8.h)") back into count and unit. */
int model_ucum_split_per(const char *per, char *count, size_t csize, char *unit, size_t usize);

#endif
