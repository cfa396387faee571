/*
 * Cardinality: every element of a resource, datatype or backbone element
 * whose base definition has min >= 1 must be there.  Maximum cardinality
 * (an array where one value belongs) is the parser's (ZIB-FHIR-007).
 */
#include <string.h>

#include "fhirval/core.h"
#include "fhirval/fhirval.h"

/* How many children of n the rule's element has (value[x]: any type). */
static int occurrences(const struct fhir_node *n, const struct fv_rule *r)
{
	const struct fhir_node *c;
	char name[128];
	int count = 0;

	for (c = n->children; c; c = c->next)
		if (c->def && strcmp(fv_def_name(c, name, sizeof(name)), r->name) == 0)
			count++;
	return count;
}

void fv_check_cardinality(struct fv_run *run, const struct fhir_node *n)
{
	const struct fv_rule *r;
	size_t count, i;
	const char *dot;

	if ((n->kind != FHIR_K_COMPLEX && n->kind != FHIR_K_RESOURCE) || !n->type)
		return;
	r = fv_rules_of(n->type->name, &count);
	dot = strchr(n->type->name, '.');
	for (i = 0; r && i < count; i++) {
		int found;
		if (r[i].min < 1)
			continue;
		found = occurrences(n, &r[i]);
		if (found < r[i].min)
			fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_CARD_MIN,
				"%s.%s: minimum required = %d, but only found %d (from "
				"http://hl7.org/fhir/StructureDefinition/%.*s|4.0.1)",
				n->type->name, r[i].name, r[i].min, found,
				(int)(dot ? (size_t)(dot - n->type->name) : strlen(n->type->name)),
				n->type->name);
	}
}
