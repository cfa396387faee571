/*
 * types: the two namespaces of FHIRPath types.  System: Boolean, String,
 * Integer, Decimal, Date, DateTime, Time, Quantity.  FHIR: the types of the
 * structure tables, with the R4 hierarchy (code is a string, Age a
 * Quantity, Patient a DomainResource, every datatype an Element).
 */
#include <string.h>

#include "fhirpath/fp_int.h"

static const char *system_types[] = {
	"Boolean", "String", "Integer", "Decimal", "Date", "DateTime", "Time", "Quantity",
	"Any", NULL
};

static const char *fhir_primitives[] = {
	"boolean", "integer", "string", "decimal", "uri", "url", "canonical", "base64Binary",
	"instant", "date", "dateTime", "time", "code", "oid", "id", "markdown", "unsignedInt",
	"positiveInt", "uuid", "xhtml", "integer64", NULL
};

static const char *abstract_types[] = {
	"Element", "BackboneElement", "Resource", "DomainResource", NULL
};

/* Direct supertypes that are not Element. */
static const struct { const char *type, *parent; } parents[] = {
	{ "code", "string" }, { "id", "string" }, { "markdown", "string" },
	{ "url", "uri" }, { "canonical", "uri" }, { "oid", "uri" }, { "uuid", "uri" },
	{ "positiveInt", "integer" }, { "unsignedInt", "integer" },
	{ "Age", "Quantity" }, { "Distance", "Quantity" }, { "Duration", "Quantity" },
	{ "Count", "Quantity" }, { "SimpleQuantity", "Quantity" },
	{ "MoneyQuantity", "Quantity" },
	{ "DomainResource", "Resource" }, { "BackboneElement", "Element" },
	{ "Bundle", "Resource" }, { "Binary", "Resource" }, { "Parameters", "Resource" },
};

static int in_list(const char **list, const char *s)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int fhir_known(const struct fhir_defs *d, const char *name)
{
	return in_list(fhir_primitives, name) || in_list(abstract_types, name) ||
		(!strchr(name, '.') && fhir_type_find(d, name));
}

static const char *parent_of(const struct fhir_defs *d, const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(parents) / sizeof(parents[0]); i++)
		if (strcmp(parents[i].type, t) == 0)
			return parents[i].parent;
	if (strcmp(t, "Element") == 0 || strcmp(t, "Resource") == 0)
		return NULL;
	if (fhir_resource_type(d, t))
		return "DomainResource";
	return "Element";
}

int fp_type_resolve(struct fp_eval *ev, const char *name, const char **ns, const char **base)
{
	const char *dot = strchr(name, '.');

	if (dot && (size_t)(dot - name) == 6 && strncmp(name, "System", 6) == 0) {
		/* An unknown System type is no error: nothing is of it. */
		*ns = "System";
		*base = dot + 1;
		return 1;
	}
	if (dot && (size_t)(dot - name) == 4 && strncmp(name, "FHIR", 4) == 0) {
		*ns = "FHIR";
		*base = dot + 1;
		return fhir_known(ev->defs, *base);
	}
	*ns = NULL;
	*base = name;
	return in_list(system_types, name) || fhir_known(ev->defs, name);
}

const char *fp_system_type(const fp_val *v)
{
	switch (v->kind) {
	case FHIRPATH_BOOLEAN: return "Boolean";
	case FHIRPATH_INTEGER: return "Integer";
	case FHIRPATH_DECIMAL: return "Decimal";
	case FHIRPATH_STRING: return "String";
	case FHIRPATH_DATE: return "Date";
	case FHIRPATH_DATETIME: return "DateTime";
	case FHIRPATH_TIME: return "Time";
	case FHIRPATH_QUANTITY: return "Quantity";
	case FHIRPATH_TYPEINFO: return "TypeInfo";
	case FHIRPATH_NODE: break;
	}
	return NULL;
}

int fp_is_type(struct fp_eval *ev, const fp_val *v, const char *ns, const char *base, int exact)
{
	const char *t;

	if (v->kind != FHIRPATH_NODE) {
		if (ns && strcmp(ns, "System") != 0)
			return 0;
		t = fp_system_type(v);
		return t && (strcmp(t, base) == 0 || strcmp(base, "Any") == 0);
	}
	if (ns && strcmp(ns, "FHIR") != 0)
		return 0;
	t = v->ftype;
	if (!t)
		return 0;
	if (strcmp(t, base) == 0)
		return 1;
	/* as() and ofType() take the exact type, but an abstract one stands
	 * for all of its kind. */
	if (exact && !in_list(abstract_types, base))
		return 0;
	while ((t = parent_of(ev->defs, t)))
		if (strcmp(t, base) == 0)
			return 1;
	return 0;
}

const char *fhirpath_value_type(const struct fhirpath_value *v)
{
	switch (v->kind) {
	case FHIRPATH_NODE: return v->ftype;
	case FHIRPATH_BOOLEAN: return "boolean";
	case FHIRPATH_INTEGER: return "integer";
	case FHIRPATH_DECIMAL: return "decimal";
	case FHIRPATH_STRING: return "string";
	case FHIRPATH_DATE: return "date";
	case FHIRPATH_DATETIME: return "dateTime";
	case FHIRPATH_TIME: return "time";
	case FHIRPATH_QUANTITY: return "Quantity";
	case FHIRPATH_TYPEINFO: return "TypeInfo";
	}
	return NULL;
}
