/*
 * Lookup of the generated ConceptMap table (conceptmaps_gen.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/strmap.h"
#include "fhir/conceptmaps.h"

static struct strmap map_index;
static pthread_once_t map_once = PTHREAD_ONCE_INIT;
static char *map_keys;

static void map_index_build(void)
{
	size_t i, off = 0, size = 0;

	strmap_init(&map_index, 0);
	for (i = 0; i < fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &fhir_conceptmaps[i];
		size += (size_t)snprintf(NULL, 0, "%s|%s|%s", m->valueset, m->fhir_system, m->fhir_code) + 1;
	}
	map_keys = malloc(size ? size : 1);
	if (!map_keys)
		return;
	for (i = 0; i < fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &fhir_conceptmaps[i];
		int n = snprintf(map_keys + off, size - off, "%s|%s|%s", m->valueset, m->fhir_system, m->fhir_code);
		strmap_put(&map_index, map_keys + off, (void *)m);
		off += (size_t)n + 1;
	}
}

const struct fhir_conceptmap *fhir_conceptmap_find(const char *oid, const char *system, const char *code)
{
	char key[1024];

	if (!oid || !system || !code)
		return NULL;
	pthread_once(&map_once, map_index_build);
	if (!map_keys)
		return NULL;
	snprintf(key, sizeof(key), "%s|%s|%s", oid, system, code);
	return strmap_get(&map_index, key);
}
