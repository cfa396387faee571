/*
 * Address parts that share one source element.  CDA (buildingNumberSuffix)
 * and FHIR (the buildingNumberSuffix / houseNumberLetter-houseNumberAddition
 * extension) hold Huisnummerletter and Huisnummertoevoeging in the same
 * element; the CDA and FHIR readers tell them apart by the same rule so
 * that a document and its conversion read alike.
 */
#ifndef ZIB_MODEL_ADDRESS_H
#define ZIB_MODEL_ADDRESS_H

#include <stddef.h>

#define ZIB_CONCEPT_HOUSE_LETTER   "NL-CM:20.5.11"   /* Huisnummerletter */
#define ZIB_CONCEPT_HOUSE_ADDITION "NL-CM:20.5.10"   /* Huisnummertoevoeging */

/* Is concept_id one of the two house number suffix concepts? */
int address_is_suffix_concept(const char *concept_id);

/* Does suffix element number index (of count in one address), holding
 * value, belong to concept_id?  With two elements the first is the letter
 * and the second the addition; a lone one is the letter when it is one
 * letter, else the addition. */
int address_suffix_fits(const char *concept_id, size_t index, size_t count, const char *value);

#endif
