/*
 * zib_fhir_defs: the public handle on a set of FHIR definitions (fhirdef)
 * that `zib validate` checks profiles against.  A lazy handle opens its
 * set on the first FHIR document (fhirval_defs_set), once, under a mutex:
 * validate's worker threads may all ask at the same moment, and a run of
 * CDA documents never pays for the definitions.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"
#include "zib.h"

struct zib_fhir_defs {
	struct fhirdef_set *set;
	pthread_mutex_t lock;
	int tried;                   /* the set was opened (or that failed) */
	char **sources;              /* copies, for the lazy open */
	size_t nsources;
};

static void defs_free_sources(zib_fhir_defs *d)
{
	size_t i;

	for (i = 0; i < d->nsources; i++)
		free(d->sources[i]);
	free(d->sources);
	d->sources = NULL;
	d->nsources = 0;
}

static int defs_open_set(zib_fhir_defs *d, zib_error *err)
{
	struct fhirdef_opts o = FHIRDEF_OPTS_INIT;

	o.sources = (const char *const *)d->sources;
	o.nsources = d->nsources;
	return fhirdef_set_open(&d->set, &o, err);
}

static int defs_new(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err)
{
	zib_fhir_defs *d;
	size_t i;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	pthread_mutex_init(&d->lock, NULL);
	if (nsources && !(d->sources = calloc(nsources, sizeof(char *))))
		goto oom;
	for (i = 0; i < nsources; i++) {
		if (!(d->sources[i] = strdup(sources[i])))
			goto oom;
		d->nsources++;
	}
	*out = d;
	return ZIB_OK;
oom:
	zib_fhir_defs_free(d);
	return error_set(err, ZIB_ENOMEM, "out of memory");
}

int zib_fhir_defs_open(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err)
{
	zib_fhir_defs *d;
	int rc = defs_new(&d, sources, nsources, err);

	if (rc < 0)
		return rc;
	d->tried = 1;
	rc = defs_open_set(d, err);
	defs_free_sources(d);
	if (rc < 0) {
		zib_fhir_defs_free(d);
		return rc;
	}
	*out = d;
	return ZIB_OK;
}

int zib_fhir_defs_open_lazy(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err)
{
	return defs_new(out, sources, nsources, err);
}

void zib_fhir_defs_free(zib_fhir_defs *d)
{
	if (!d)
		return;
	fhirdef_set_free(d->set);
	defs_free_sources(d);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* The set behind the handle, for lib/ (fhirval.h); a lazy handle opens it
 * here the first time.  A lazy open that fails (no defaults in this
 * build) leaves no set: profiles are then not checked, as with the eager
 * open whose failure the caller ignored. */
struct fhirdef_set *fhirval_defs_set(zib_fhir_defs *d)
{
	struct fhirdef_set *set;

	if (!d)
		return NULL;
	pthread_mutex_lock(&d->lock);
	if (!d->tried) {
		d->tried = 1;
		if (defs_open_set(d, NULL) < 0)
			d->set = NULL;
		defs_free_sources(d);
	}
	set = d->set;
	pthread_mutex_unlock(&d->lock);
	return set;
}
