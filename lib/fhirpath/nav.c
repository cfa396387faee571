/*
 * nav: from a node to its children by FHIRPath name.  A choice element is
 * found by its name without the type ("value" finds valueQuantity) and
 * keeps its type; a type name at the start of a path ("Patient.name")
 * stands for the focus itself when the focus is of that type.
 */
#include <string.h>

#include "fhirpath/fp_int.h"

const char *fp_node_type(const struct fhir_node *n)
{
	if (n->kind == FHIR_K_RESOURCE)
		return fhir_resource_name(n);
	if (!n->def)
		return n->type ? n->type->name : NULL;
	/* R4 types Resource.id as System.String with the FHIR type id. */
	if (n->kind == FHIR_K_PRIM && n->parent && n->parent->kind == FHIR_K_RESOURCE &&
		strcmp(n->name, "id") == 0)
		return "id";
	return n->def->type_code;
}

void fp_node_val(const struct fhir_node *n, fp_val *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = FHIRPATH_NODE;
	v->node = n;
	v->ftype = fp_node_type(n);
}

/* Does element e (its name as in the tree) answer to FHIRPath name? */
static int elem_matches(const char *ename, const struct fhir_elem *def, const char *name)
{
	size_t nl, tl;

	if (!def || !def->choice)
		return strcmp(ename, name) == 0;
	nl = strlen(ename);
	tl = strlen(def->type_code);
	return nl > tl && strlen(name) == nl - tl && memcmp(ename, name, nl - tl) == 0;
}

int fp_type_has(const struct fp_eval *ev, const struct fhir_type *t, const char *name)
{
	int i;

	for (i = 0; i < t->count; i++) {
		const struct fhir_elem *e = &ev->defs->elems[t->first + i];
		if (elem_matches(e->name, e, name))
			return 1;
	}
	return 0;
}

/* Does the type of n define an element called name? */
static int type_has(const struct fp_eval *ev, const struct fhir_node *n, const char *name)
{
	if (n->kind == FHIR_K_PRIM || n->kind == FHIR_K_ATTR || n->kind == FHIR_K_XHTML)
		return strcmp(name, "id") == 0 || strcmp(name, "extension") == 0;
	if (!n->type || FHIR_NODE_IS_GENERIC(n))
		return 1;
	return fp_type_has(ev, n->type, name);
}

int fp_member(struct fp_eval *ev, const struct fp_ast *at, const fp_val *in, const char *name,
	struct fp_coll *out, int *known)
{
	const struct fhir_node *c;
	size_t before = out->n;
	fp_val v;

	if (in->kind == FHIRPATH_TYPEINFO) {
		*known = 1;
		if (strcmp(name, "name") == 0)
			return fp_push_str(ev, out, in->s, in->len);
		if (strcmp(name, "namespace") == 0)
			return fp_push_str(ev, out, in->ns, strlen(in->ns));
		return 0;
	}
	if (in->kind != FHIRPATH_NODE)
		return 0;
	for (c = in->node->children; c; c = c->next) {
		if (!elem_matches(c->name, c->def, name))
			continue;
		fp_node_val(c, &v);
		if (fp_push(ev, out, &v))
			return -1;
	}
	if (out->n > before) {
		*known = 1;
		return 0;
	}
	if (name[0] >= 'A' && name[0] <= 'Z' && fp_is_type(ev, in, "FHIR", name, 0)) {
		*known = 1;
		return fp_push(ev, out, in);
	}
	if (type_has(ev, in->node, name))
		*known = 1;
	return 0;
}

int fp_children(struct fp_eval *ev, const fp_val *in, struct fp_coll *out)
{
	const struct fhir_node *c;
	fp_val v;

	if (in->kind != FHIRPATH_NODE)
		return 0;
	for (c = in->node->children; c; c = c->next) {
		fp_node_val(c, &v);
		if (fp_push(ev, out, &v))
			return -1;
	}
	return 0;
}

const struct fhir_node *fp_child(const struct fhir_node *n, const char *name)
{
	const struct fhir_node *c;

	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
