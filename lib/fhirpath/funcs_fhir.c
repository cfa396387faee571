/*
 * funcs_fhir: the functions FHIR adds to FHIRPath (R4, "FHIRPath in
 * FHIR"): extension(), hasValue(), getValue(), resolve() within a Bundle
 * and contained resources, htmlChecks() on narrative, and memberOf() and
 * conformsTo(), which ask the caller (see struct fhirpath_env).
 */
#include <string.h>
#include <strings.h>

#include "fhirpath/funcs.h"

static int push_node(struct fp_eval *ev, struct fp_coll *out, const struct fhir_node *n)
{
	fp_val v;

	fp_node_val(n, &v);
	return fp_push(ev, out, &v);
}

static int f_extension(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *url;
	size_t ul, i;
	const struct fhir_node *c, *u;
	int r = fp_arg_string(ev, n, 0, fr, &url, &ul);

	if (r <= 0)
		return r;
	for (i = 0; i < in->n; i++) {
		if (in->v[i].kind != FHIRPATH_NODE)
			continue;
		for (c = in->v[i].node->children; c; c = c->next) {
			if (strcmp(c->name, "extension") != 0)
				continue;
			u = fp_child(c, "url");
			if (u && u->value && strlen(u->value) == ul && memcmp(u->value, url, ul) == 0 &&
				push_node(ev, out, c))
				return -1;
		}
	}
	return 0;
}

static int is_primitive_node(const fp_val *v)
{
	return v->kind == FHIRPATH_NODE && (v->node->kind == FHIR_K_PRIM ||
		v->node->kind == FHIR_K_ATTR || v->node->kind == FHIR_K_XHTML);
}

static int f_hasvalue(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	return fp_push_bool(ev, out, in->n == 1 && (is_primitive_node(&in->v[0]) ?
		in->v[0].node->value != NULL : in->v[0].kind != FHIRPATH_NODE));
}

static int f_getvalue(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	fp_val v;

	if (in->n != 1 || !is_primitive_node(&in->v[0]))
		return 0;
	if (fp_prim(ev, &in->v[0], &v) != 1)
		return 0;
	return fp_push(ev, out, &v);
}

/* ---- resolve() ---- */

static const struct fhir_node *enclosing_resource(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n;
}

static int id_is(const struct fhir_node *res, const char *id, size_t len)
{
	const struct fhir_node *c = fp_child(res, "id");

	return c && c->value && strlen(c->value) == len && memcmp(c->value, id, len) == 0;
}

/* "Patient/1" (or ".../Patient/1", "Patient/1/_history/2") against a
 * resource's type and id. */
static int ref_names(const struct fhir_node *res, const char *ref)
{
	const char *type = fhir_resource_name(res), *h = strstr(ref, "/_history/");
	size_t len = h ? (size_t)(h - ref) : strlen(ref), tl = strlen(type);
	const char *slash;

	/* The last two segments of the reference. */
	slash = NULL;
	{
		size_t i, seen = 0;
		for (i = len; i > 0; i--)
			if (ref[i - 1] == '/' && ++seen == 2) {
				slash = ref + i;
				break;
			}
		if (!slash)
			slash = ref;
	}
	len -= (size_t)(slash - ref);
	return len > tl + 1 && memcmp(slash, type, tl) == 0 && slash[tl] == '/' &&
		id_is(res, slash + tl + 1, len - tl - 1);
}

static const struct fhir_node *resolve_ref(const struct fhir_node *from, const char *ref)
{
	const struct fhir_node *res, *c, *e;

	if (ref[0] == '#') {
		res = enclosing_resource(from);
		while (res && res->parent && strcmp(res->name, "contained") == 0)
			res = enclosing_resource(res->parent);
		if (!res)
			return NULL;
		if (!ref[1])
			return res;
		for (c = res->children; c; c = c->next)
			if (strcmp(c->name, "contained") == 0 && id_is(c, ref + 1, strlen(ref + 1)))
				return c;
		return NULL;
	}
	/* The Bundles around the reference, innermost first. */
	for (res = enclosing_resource(from); res; res = enclosing_resource(res->parent)) {
		if (strcmp(fhir_resource_name(res), "Bundle") != 0) {
			if (!res->parent)
				break;
			continue;
		}
		for (e = res->children; e; e = e->next) {
			const struct fhir_node *fu, *r;
			if (strcmp(e->name, "entry") != 0)
				continue;
			fu = fp_child(e, "fullUrl");
			r = fp_child(e, "resource");
			if (!r)
				continue;
			if (fu && fu->value && strcmp(fu->value, ref) == 0)
				return r;
			if (ref_names(r, ref))
				return r;
		}
		if (!res->parent)
			break;
	}
	res = enclosing_resource(from);
	while (res && res->parent)
		res = enclosing_resource(res->parent);
	if (res && ref_names(res, ref))
		return res;
	return NULL;
}

static int f_resolve(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		const fp_val *v = &in->v[i];
		const struct fhir_node *from = ev->context, *target;
		const char *ref = NULL;
		char *copy;
		if (v->kind == FHIRPATH_NODE) {
			const struct fhir_node *rn = v->node;
			from = rn;
			if (rn->kind == FHIR_K_COMPLEX)
				rn = fp_child(rn, "reference");
			if (rn)
				ref = rn->value;
		} else if (v->kind == FHIRPATH_STRING) {
			ref = copy = arena_strndup(ev->arena, v->s, v->len);
		}
		if (!ref || !from)
			continue;
		target = resolve_ref(from, ref);
		if (target && push_node(ev, out, target))
			return -1;
	}
	return 0;
}

/* ---- htmlChecks() ---- */

/* Is the markup free of what R4 forbids in narrative (txt-1): active
 * content, forms, frames, event handlers and script URLs? */
static int html_safe(const char *s)
{
	static const char *const banned[] = { "<script", "<object", "<embed", "<iframe",
		"<frame", "<form", "<input", "<button", "<applet", "<base", "<link", "<meta",
		"<style", "javascript:", NULL };
	const char *p;
	int i;

	for (i = 0; banned[i]; i++) {
		size_t bl = strlen(banned[i]);
		for (p = s; *p; p++)
			if (strncasecmp(p, banned[i], bl) == 0)
				return 0;
	}
	/* Event handler attributes: on...= inside a tag. */
	for (p = s; *p; p++) {
		if (*p == '<') {
			const char *q = p + 1;
			while (*q && *q != '>') {
				if ((q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n') &&
					strncasecmp(q, "on", 2) == 0) {
					const char *a = q + 2;
					while ((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z'))
						a++;
					if (*a == '=' && a > q + 2)
						return 0;
				}
				q++;
			}
		}
	}
	return 1;
}

static int f_htmlchecks(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	size_t i;

	if (in->n == 0)
		return 0;
	for (i = 0; i < in->n; i++) {
		const fp_val *v = &in->v[i];
		const char *s = v->kind == FHIRPATH_NODE ? v->node->value : v->s;
		if (!s || !html_safe(s))
			return fp_push_bool(ev, out, 0);
	}
	return fp_push_bool(ev, out, 1);
}

/* ---- callbacks ---- */

static int f_memberof(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *vs;
	size_t vl;
	char *url;
	int r;

	if (in->n == 0)
		return 0;
	if (in->n > 1)
		return fp_fail(ev, n, "memberOf() takes a single item, found %zu", in->n);
	if ((r = fp_arg_string(ev, n, 0, fr, &vs, &vl)) <= 0)
		return r;
	if (!ev->env->member_of)
		return fp_fail(ev, n, "memberOf(): no value set checker available");
	if (!(url = arena_strndup(ev->arena, vs, vl)))
		return fp_fail(ev, n, "out of memory");
	r = ev->env->member_of(ev->env->user, &in->v[0], url);
	return r == FHIRPATH_UNKNOWN ? 0 : fp_push_bool(ev, out, r == FHIRPATH_YES);
}

#define CORE_SD "http://hl7.org/fhir/StructureDefinition/"

static int f_conformsto(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out)
{
	const char *p;
	size_t pl, i;
	char *url;
	int r;

	if ((r = fp_arg_string(ev, n, 0, fr, &p, &pl)) <= 0)
		return r;
	if (!(url = arena_strndup(ev->arena, p, pl)))
		return fp_fail(ev, n, "out of memory");
	for (i = 0; i < in->n; i++) {
		const fp_val *v = &in->v[i];
		int ans;
		if (v->kind != FHIRPATH_NODE)
			return fp_fail(ev, n, "conformsTo() needs a resource or element");
		if (strncmp(url, CORE_SD, strlen(CORE_SD)) == 0 &&
			fp_type_resolve(ev, url + strlen(CORE_SD), &p, &p)) {
			/* A core type's own profile: a type test. */
			ans = fp_is_type(ev, v, "FHIR", url + strlen(CORE_SD), 0);
		} else if (ev->env->conforms_to) {
			ans = ev->env->conforms_to(ev->env->user, v->node, url);
		} else {
			return fp_fail(ev, n, "conformsTo(): unknown profile '%s'", url);
		}
		if (ans == FHIRPATH_UNKNOWN)
			continue;
		if (fp_push_bool(ev, out, ans == FHIRPATH_YES))
			return -1;
	}
	return 0;
}

const struct fp_func fp_funcs_fhir[] = {
	{ "extension", 1, 1, f_extension },
	{ "hasValue", 0, 0, f_hasvalue },
	{ "getValue", 0, 0, f_getvalue },
	{ "resolve", 0, 0, f_resolve },
	{ "htmlChecks", 0, 0, f_htmlchecks },
	{ "memberOf", 1, 1, f_memberof },
	{ "conformsTo", 1, 1, f_conformsto },
	{ NULL, 0, 0, NULL }
};
