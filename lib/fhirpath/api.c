/*
 * api: the public face of lib/fhirpath in zib.h (zib_fhirpath_*), for the
 * `zib fhirpath` command and library users: values come out as text with
 * their type and, for elements, their location.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fhirpath/fhirpath.h"

struct zib_fhirpath {
	struct fhirpath_expr *expr;
};

int zib_fhirpath_compile(zib_fhirpath **out, const char *expr, zib_error *err)
{
	struct fhirpath_error fe;
	zib_fhirpath *p;

	*out = NULL;
	if (!expr)
		return error_set(err, ZIB_EINVAL, "no FHIRPath expression");
	if (!(p = calloc(1, sizeof(*p))))
		return error_set(err, ZIB_ENOMEM, "out of memory");
	if (fhirpath_compile(&p->expr, expr, &fe) != 0) {
		free(p);
		return error_set(err, ZIB_EINVAL, "%d:%d: %s", fe.line, fe.column, fe.message);
	}
	*out = p;
	return ZIB_OK;
}

void zib_fhirpath_free(zib_fhirpath *p)
{
	if (!p)
		return;
	fhirpath_free(p->expr);
	free(p);
}

int zib_fhirpath_eval(const zib_fhirpath *p, const zib_fhir *f, int flags,
	int (*fn)(void *user, const zib_fhirpath_value *v), void *user, zib_error *err)
{
	struct fhirpath_env env;
	struct fhirpath_error fe;
	struct fhirpath_result r;
	size_t i;
	char path[1024];

	memset(&env, 0, sizeof(env));
	env.defs = f->defs;
	env.strict = (flags & ZIB_FHIRPATH_STRICT) != 0;
	if (fhirpath_eval(&r, p->expr, f->root, &env, &fe) != 0) {
		fhirpath_result_release(&r);
		return error_set(err, ZIB_EINVAL, "%d:%d: %s", fe.line, fe.column, fe.message);
	}
	for (i = 0; i < r.n; i++) {
		const struct fhirpath_value *v = &r.v[i];
		zib_fhirpath_value out;
		memset(&out, 0, sizeof(out));
		out.type = fhirpath_value_type(v);
		if (!out.type)
			out.type = "Element";
		out.text = fhirpath_value_string(&r.arena, v);
		if (v->kind == FHIRPATH_NODE) {
			out.path = fhir_node_path(v->node, path, sizeof(path));
			out.line = v->node->line;
			out.column = v->node->column;
		}
		if (fn(user, &out))
			break;
	}
	fhirpath_result_release(&r);
	return ZIB_OK;
}
