/*
 * Lookup of the generated ConceptMap table (conceptmaps_gen.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "model/conceptmaps.h"
#include "model/doc.h"
#include "model/model.h"

static struct strmap map_index;
static struct strmap code_index;   /* "oid|code" -> entry, or &ambiguous */
static const struct fhir_conceptmap ambiguous;
static pthread_once_t map_once = PTHREAD_ONCE_INIT;
static char *map_keys;

static void map_index_build(void)
{
	size_t i, off = 0, size = 0;

	strmap_init(&map_index, 0);
	strmap_init(&code_index, 0);
	for (i = 0; i < model_fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &model_fhir_conceptmaps[i];
		size += (size_t)snprintf(NULL, 0, "%s|%s|%s", m->valueset, m->fhir_system, m->fhir_code) + 1;
		size += (size_t)snprintf(NULL, 0, "%s|%s", m->valueset, m->fhir_code) + 1;
		size += strlen(m->valueset) + 1;
	}
	map_keys = malloc(size ? size : 1);
	if (!map_keys)
		return;
	for (i = 0; i < model_fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &model_fhir_conceptmaps[i];
		int n = snprintf(map_keys + off, size - off, "%s|%s|%s", m->valueset, m->fhir_system, m->fhir_code);
		const struct fhir_conceptmap *had;
		strmap_put(&map_index, map_keys + off, (void *)m);
		off += (size_t)n + 1;
		/* By code alone: only when every system's code maps alike. */
		n = snprintf(map_keys + off, size - off, "%s|%s", m->valueset, m->fhir_code);
		had = strmap_get(&code_index, map_keys + off);
		if (!had)
			strmap_put(&code_index, map_keys + off, (void *)m);
		else if (had != &ambiguous && (strcmp(had->zib_code, m->zib_code) != 0 ||
		    strcmp(had->zib_system, m->zib_system) != 0))
			strmap_put(&code_index, map_keys + off, (void *)&ambiguous);
		off += (size_t)n + 1;
		/* The value set alone: it has a ConceptMap. */
		n = snprintf(map_keys + off, size - off, "%s", m->valueset);
		strmap_put(&code_index, map_keys + off, (void *)m);
		off += (size_t)n + 1;
	}
}

const struct fhir_conceptmap *model_fhir_conceptmap_find(const char *oid, const char *system, const char *code)
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

const struct fhir_conceptmap *model_fhir_conceptmap_find_code(const char *oid, const char *code)
{
	char key[1024];
	const struct fhir_conceptmap *m;

	if (!oid || !code)
		return NULL;
	pthread_once(&map_once, map_index_build);
	if (!map_keys)
		return NULL;
	snprintf(key, sizeof(key), "%s|%s", oid, code);
	m = strmap_get(&code_index, key);
	return m == &ambiguous ? NULL : m;
}

int model_fhir_conceptmap_has_system(const char *oid, const char *system)
{
	size_t i;

	for (i = 0; oid && system && i < model_fhir_nconceptmaps; i++)
		if (strcmp(model_fhir_conceptmaps[i].valueset, oid) == 0 &&
		    strcmp(model_fhir_conceptmaps[i].fhir_system, system) == 0)
			return 1;
	return 0;
}

int model_fhir_conceptmap_has_valueset(const char *oid)
{
	if (!oid)
		return 0;
	pthread_once(&map_once, map_index_build);
	return map_keys && strmap_get(&code_index, oid) != NULL;
}

/* The first row of value set oid into element's required value set, for
 * zib code code (NULL: any).  A short table: a scan is enough for the
 * writer's few coded values. */
static const struct fhir_conceptmap *element_row(const char *oid, const char *code, const char *element)
{
	size_t i;

	if (!oid || !element)
		return NULL;
	for (i = 0; i < model_fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &model_fhir_conceptmaps[i];
		if (strcmp(m->valueset, oid) == 0 && model_list_has(m->fhir_element, element) &&
		    (!code || (!m->derived && strcmp(m->zib_code, code) == 0)))
			return m;
	}
	return NULL;
}

const struct fhir_conceptmap *model_fhir_conceptmap_for_element(const char *oid, const char *code,
	const char *element)
{
	return code ? element_row(oid, code, element) : NULL;
}

int model_fhir_conceptmap_binds(const char *oid, const char *element)
{
	return element_row(oid, NULL, element) != NULL;
}

static const char *without_urn(const char *s)
{
	return s && strncmp(s, "urn:oid:", 8) == 0 ? s + 8 : s;
}

const struct fhir_conceptmap *model_fhir_conceptmap_zib2017(const char *oid, const char *zib_system,
	const char *zib_code)
{
	size_t i;

	if (!oid || !zib_system || !zib_code)
		return NULL;
	for (i = 0; i < model_fhir_nconceptmaps; i++) {
		const struct fhir_conceptmap *m = &model_fhir_conceptmaps[i];
		if (strncmp(m->fhir_system, "urn:oid:", 8) == 0 && strcmp(m->valueset, oid) == 0 &&
		    strcmp(m->zib_code, zib_code) == 0 &&
		    strcmp(without_urn(m->zib_system), without_urn(zib_system)) == 0)
			return m;
	}
	return NULL;
}

void model_fhir_conceptmap_zib2017_code(const struct zib_ctx *ctx, const struct zib_concept *c,
	struct zib_value *v)
{
	const struct fhir_conceptmap *m = NULL;
	const zib_valueset *vs = NULL;
	const struct valueset_code *vc;
	char oid[128], sys[160];
	const char *p;

	if (v->type != ZIB_VALUE_CD || !v->code || !v->system || !c->valuesets)
		return;
	snprintf(sys, sizeof(sys), "urn:oid:%s", v->system);
	for (p = c->valuesets; !m && model_valueset_list_next(&p, oid, sizeof(oid)); ) {
		vs = zib_valueset_find(ctx, oid);
		if (zib_valueset_contains(vs, v->system, v->code))
			return;
		m = model_fhir_conceptmap_find(oid, sys, v->code);
	}
	if (!m || strncmp(m->zib_system, "urn:oid:", 8) != 0)
		return;
	v->system = m->zib_system + 8;
	v->code = m->zib_code;
	if ((vc = model_valueset_code_find(vs, v->system, v->code)) != NULL)
		v->display = vc->display;
}
