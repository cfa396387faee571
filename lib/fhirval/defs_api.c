/*
 * zib_fhir_defs: the public handle on a set of FHIR definitions (fhirdef)
 * that `zib validate` checks profiles against.
 */
#include <stdlib.h>

#include "core/error.h"
#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"
#include "zib.h"

struct zib_fhir_defs {
	struct fhirdef_set *set;
};

int zib_fhir_defs_open(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err)
{
	struct fhirdef_opts o = FHIRDEF_OPTS_INIT;
	zib_fhir_defs *d;
	int rc;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	o.sources = sources;
	o.nsources = nsources;
	rc = fhirdef_set_open(&d->set, &o, err);
	if (rc < 0) {
		free(d);
		return rc;
	}
	*out = d;
	return ZIB_OK;
}

void zib_fhir_defs_free(zib_fhir_defs *d)
{
	if (!d)
		return;
	fhirdef_set_free(d->set);
	free(d);
}

/* The set behind the handle, for lib/ (fhirval.h). */
struct fhirdef_set *fhirval_defs_set(const zib_fhir_defs *d)
{
	return d ? d->set : NULL;
}
