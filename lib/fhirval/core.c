/*
 * Lookups over the generated core rules (core_r4.c): the rows of a parent
 * type, one row by parent and name, and value set membership.  The hash
 * tables are built once per process, on first use (pthread_once), and never
 * change after: worker threads share them.  A value set's code table is
 * built the first time that set is asked about (under a mutex, published
 * with release/acquire): building all of them was a tenth of a one-Patient
 * run's start-up, and a document meets a handful.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "fhirval/core.h"

struct group {
	size_t first, count;
};

static struct {
	struct strmap parents;      /* parent -> struct group */
	struct group *groups;
	struct strmap *vs_codes;    /* per value set: "system|code" and "|code" -> set */
	atomic_int *vs_built;       /* per value set: its vs_codes is complete */
	char **keys;                /* the "|code" keys, owned */
	size_t nkeys;
	int failed;
} ix;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t vs_lock = PTHREAD_MUTEX_INITIALIZER;

/* The code table of value set i (vs_lock held): 1, or 2 out of memory. */
static int build_vs(size_t i)
{
	const struct fv_valueset *vs = &fv_core_valuesets[i];
	int k, rc = 1;

	for (k = 0; k < vs->ncodes; k++) {
		const char *bar = strchr(vs->codes[k], '|');
		if (strmap_put(&ix.vs_codes[i], vs->codes[k], (void *)vs) < 0)
			rc = 2;
		/* The code alone (a code element has no system): "|code". */
		if (bar && !strmap_get(&ix.vs_codes[i], bar)) {
			char *key = strdup(bar);
			if (!key || strmap_put(&ix.vs_codes[i], key, (void *)vs) < 0) {
				free(key);
				rc = 2;
				continue;
			}
			ix.keys[ix.nkeys++] = key;
		}
	}
	return rc;
}

static void build(void)
{
	size_t i, ngroups = 0, nkeys = 0;

	strmap_init(&ix.parents, 0);
	ix.groups = calloc(fv_core_nrules ? fv_core_nrules : 1, sizeof(*ix.groups));
	ix.vs_codes = calloc(fv_core_nvaluesets ? fv_core_nvaluesets : 1, sizeof(*ix.vs_codes));
	for (i = 0; i < fv_core_nvaluesets; i++)
		nkeys += (size_t)fv_core_valuesets[i].ncodes;
	ix.keys = calloc(nkeys ? nkeys : 1, sizeof(*ix.keys));
	ix.vs_built = calloc(fv_core_nvaluesets ? fv_core_nvaluesets : 1, sizeof(*ix.vs_built));
	if (!ix.groups || !ix.vs_codes || !ix.keys || !ix.vs_built) {
		ix.failed = 1;
		return;
	}
	for (i = 0; i < fv_core_nrules; i++) {
		if (i == 0 || strcmp(fv_core_rules[i].parent, fv_core_rules[i - 1].parent) != 0) {
			ix.groups[ngroups].first = i;
			if (strmap_put(&ix.parents, fv_core_rules[i].parent, &ix.groups[ngroups]) < 0)
				ix.failed = 1;
			ngroups++;
		}
		ix.groups[ngroups - 1].count++;
	}
	for (i = 0; i < fv_core_nvaluesets; i++) {
		strmap_init(&ix.vs_codes[i], 0);
		atomic_init(&ix.vs_built[i], 0);
	}
}

static int ready(void)
{
	pthread_once(&once, build);
	return !ix.failed;
}

const struct fv_rule *fv_rules_of(const char *parent, size_t *count)
{
	const struct group *g;

	*count = 0;
	if (!ready() || !(g = strmap_get(&ix.parents, parent)))
		return NULL;
	*count = g->count;
	return &fv_core_rules[g->first];
}

const struct fv_rule *fv_rule_find(const char *parent, const char *name)
{
	size_t n, i;
	const struct fv_rule *r = fv_rules_of(parent, &n);

	for (i = 0; r && i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	return NULL;
}

int fv_valueset_has(const struct fv_valueset *vs, const char *system, const char *code)
{
	size_t i = (size_t)(vs - fv_core_valuesets);
	char key[512];
	int n;

	if (!ready() || i >= fv_core_nvaluesets || !code)
		return 0;
	if (!atomic_load_explicit(&ix.vs_built[i], memory_order_acquire)) {
		pthread_mutex_lock(&vs_lock);
		if (!atomic_load_explicit(&ix.vs_built[i], memory_order_relaxed)) {
			atomic_store_explicit(&ix.vs_built[i], build_vs(i), memory_order_release);
		}
		pthread_mutex_unlock(&vs_lock);
	}
	if (atomic_load_explicit(&ix.vs_built[i], memory_order_acquire) != 1)
		return 0;
	n = system ? snprintf(key, sizeof(key), "%s|%s", system, code)
		: snprintf(key, sizeof(key), "|%s", code);
	if (n < 0 || (size_t)n >= sizeof(key))
		return 0;
	return strmap_get(&ix.vs_codes[i], key) != NULL;
}

int fv_valueset_has_system(const struct fv_valueset *vs, const char *system)
{
	size_t len = strlen(system);
	int k;

	for (k = 0; k < vs->ncodes; k++)
		if (strncmp(vs->codes[k], system, len) == 0 && vs->codes[k][len] == '|')
			return 1;
	return 0;
}
