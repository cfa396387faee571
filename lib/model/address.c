/* House number letter and addition from one element: see address.h. */
#include <ctype.h>
#include <string.h>

#include "model/address.h"

int address_is_suffix_concept(const char *concept_id)
{
	return strcmp(concept_id, ZIB_CONCEPT_HOUSE_LETTER) == 0 ||
		strcmp(concept_id, ZIB_CONCEPT_HOUSE_ADDITION) == 0;
}

int address_suffix_fits(const char *concept_id, size_t index, size_t count, const char *value)
{
	int letter = strcmp(concept_id, ZIB_CONCEPT_HOUSE_LETTER) == 0;
	int one_letter;

	if (count >= 2)
		return letter ? index == 0 : index == 1;
	one_letter = value && strlen(value) == 1 && isalpha((unsigned char)value[0]);
	return one_letter == letter;
}
