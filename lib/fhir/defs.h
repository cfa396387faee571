/*
 * defs: what the FHIR format layer knows about the structure of FHIR: for
 * each complex datatype, resource and inline (backbone) element its
 * elements in specification order, whether they repeat, and their type.
 * The tables are generated from the official StructureDefinitions by
 * tools/gen-fhir-defs.py (defs_r4.c); another release (STU3) is one more
 * generated table of the same shape.
 *
 * Invariant: the elements of a type are elems[first .. first + count), in
 * the order the XML form requires, with XML attributes (id, url) first.
 * A choice element value[x] has one row per type (valueString, ...), all
 * with choice set.
 */
#ifndef ZIB_FHIR_DEFS_H
#define ZIB_FHIR_DEFS_H

#include <stddef.h>

/* How an element is represented. */
enum fhir_kind {
	FHIR_K_PRIM = 0,     /* primitive: XML value="", JSON scalar + "_name" */
	FHIR_K_ATTR = 1,     /* XML attribute (Element.id, Extension.url), JSON string */
	FHIR_K_XHTML = 2,    /* Narrative.div: XHTML in XML, a string in JSON */
	FHIR_K_COMPLEX = 3,  /* a datatype or backbone element: child elements */
	FHIR_K_RESOURCE = 4  /* a resource inside (contained, Bundle.entry.resource) */
};

/* The JSON form of a primitive. */
enum fhir_prim {
	FHIR_P_STRING = 0,
	FHIR_P_INTEGER = 1,  /* integer, positiveInt, unsignedInt: a JSON number */
	FHIR_P_DECIMAL = 2,  /* a JSON number, kept exactly as written */
	FHIR_P_BOOLEAN = 3
};

struct fhir_elem {
	const char *name;       /* as in JSON and XML: "valueQuantity" */
	const char *type_code;  /* FHIR type: "dateTime", "Quantity", "Resource" */
	int type;               /* index into types for FHIR_K_COMPLEX, else -1 */
	unsigned char kind;     /* enum fhir_kind */
	unsigned char prim;     /* enum fhir_prim */
	unsigned char repeats;  /* max > 1: always an array in JSON */
	unsigned char choice;   /* one type of a [x] element */
};

struct fhir_type {
	const char *name;       /* "Quantity", "Patient", "Patient.contact" */
	int is_resource;
	int first;              /* its elements: elems[first .. first + count) */
	int count;
};

struct fhir_defs {
	const char *version;    /* "4.0.1" */
	const struct fhir_type *types;
	size_t ntypes;
	const struct fhir_elem *elems;
	size_t nelems;
};

extern const struct fhir_defs fhir_defs_r4;
/* The R4 table with the STU3 differences of the BgZ resources (defs_stu3.c),
 * built on first use; NULL when out of memory.  For writing. */
const struct fhir_defs *fhir_defs_stu3(void);
/* The structure table of a release's FHIR version (struct zib_release
 * fhir_version); NULL when there is none or out of memory. */
struct zib_release;
const struct fhir_defs *fhir_defs_of(const struct zib_release *rel);

/* The lookups hash once per process (the first call builds the tables). */

/* A resource type by name ("Patient"); NULL when not a resource. */
const struct fhir_type *fhir_resource_type(const struct fhir_defs *d, const char *name);
/* Any type by name ("Extension", "Patient.contact"); NULL when unknown. */
const struct fhir_type *fhir_type_find(const struct fhir_defs *d, const char *name);
/* The element called name (len bytes) of type t; NULL when unknown. */
const struct fhir_elem *fhir_type_elem(const struct fhir_defs *d, const struct fhir_type *t,
	const char *name, size_t len);
/* The position of e within its type: the XML order. */
static inline int fhir_elem_order(const struct fhir_defs *d, const struct fhir_type *t,
	const struct fhir_elem *e)
{
	return (int)(e - d->elems) - t->first;
}
static inline const struct fhir_type *fhir_elem_type(const struct fhir_defs *d,
	const struct fhir_elem *e)
{
	return e->type >= 0 ? &d->types[e->type] : NULL;
}

#endif
