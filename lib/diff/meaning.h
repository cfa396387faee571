/*
 * Equal by meaning across formats: what one format says in another way
 * than the other, so that zib diff of the same data in ADA, CDA and FHIR
 * reports no difference for it (meaning.c lists each rule and why).
 */
#ifndef ZIB_DIFF_MEANING_H
#define ZIB_DIFF_MEANING_H

#include "model/doc.h"

/* 1 when two leaf values of one concept say the same in the ways the
 * formats differ (initials spaced or not, a free-text unit as a UCUM
 * annotation). */
int diff_meaning_values_equal(const struct zib_value *a, const struct zib_value *b);

/* 1 when the values of concept c in the sibling lists a and b need no
 * comparison: the lists say the same through c and its neighbours
 * (OverlijdensIndicator true beside a DatumOverlijden on one side, the
 * date alone on the other; Huisnummerletter and Huisnummertoevoeging as
 * two values or as one "A 2e"; an OrganisatieLocatie named as the
 * organisation beside it, on one side only). */
int diff_meaning_skip_concept(const struct zib_concept *c, const struct zib_value *a,
	const struct zib_value *b);

#endif
