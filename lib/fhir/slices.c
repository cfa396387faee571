/*
 * Lookup of the generated slice table (slices_gen.c) by key.
 */
#include <pthread.h>

#include "core/strmap.h"
#include "fhir/slices.h"

static struct strmap slice_index;
static pthread_once_t slice_once = PTHREAD_ONCE_INIT;

static void slice_index_build(void)
{
	size_t i;

	strmap_init(&slice_index, 0);
	for (i = 0; i < fhir_nslices; i++)
		strmap_put(&slice_index, fhir_slices[i].key, (void *)&fhir_slices[i]);
}

const struct fhir_slice *fhir_slice_find(const char *key)
{
	pthread_once(&slice_once, slice_index_build);
	return strmap_get(&slice_index, key);
}
