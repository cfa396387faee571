/*
 * elem: finding elements of a decoded snapshot, by id (hash) and by the
 * name an instance uses (choice types by their type suffix).
 */
#include <string.h>

#include "fhirdef/internal.h"

int fhirdef_elem_by_id(const struct fhirdef_sd *sd, const char *id)
{
	const struct sd_full *f = (const struct sd_full *)sd;

	return sd && id ? (int)(uintptr_t)strmap_get(&f->ids, id) - 1 : -1;
}

static int type_matches(const struct fhirdef_elem *e, const char *rest, size_t n,
	const char **type_code)
{
	size_t i;

	for (i = 0; i < e->ntypes; i++) {
		const char *c = e->types[i].code;

		if (c && strlen(c) == n && (c[0] & ~0x20) == rest[0] && strncmp(c + 1, rest + 1, n - 1) == 0) {
			*type_code = c;
			return 1;
		}
	}
	return 0;
}

int fhirdef_elem_child(const struct fhirdef_sd *sd, int parent, const char *name, size_t len,
	const char **type_code)
{
	const struct fhirdef_elem *els = sd->elems;
	const char *tc = NULL;
	int c;

	if (type_code)
		*type_code = NULL;
	if (!sd->nelems)
		return -1;
	if (parent < 0)
		return strlen(els[0].path) == len && strncmp(els[0].path, name, len) == 0 ? 0 : -1;
	if (parent >= (int)sd->nelems)
		return -1;
	if (els[parent].first_child < 0 && els[parent].content_ref >= 0)
		parent = els[parent].content_ref;
	for (c = els[parent].first_child; c >= 0; c = els[c].next_sibling) {
		const char *n = els[c].name;
		size_t nl = strlen(n);

		if (nl == len && strncmp(n, name, len) == 0)
			return c;
		if (nl > 3 && strcmp(n + nl - 3, "[x]") == 0 && len > nl - 3 &&
		    strncmp(n, name, nl - 3) == 0 &&
		    type_matches(&els[c], name + nl - 3, len - (nl - 3), &tc)) {
			if (type_code)
				*type_code = tc;
			return c;
		}
	}
	return -1;
}
