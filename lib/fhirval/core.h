/*
 * core: the R4 core rules the validator needs beyond the structure table
 * (fhir/defs.h), generated from the official definitions by
 * tools/gen-fhirval-core.py into core_r4.c: per element of a base resource
 * or datatype its minimum cardinality, its required or extensible binding
 * and its Reference target types; and the local expansion of the value
 * sets those bindings name.
 *
 * Rows are keyed by the parent type as fhir/defs.h names it ("Patient",
 * "Patient.contact") and the element name as the definition writes it
 * ("gender", "value[x]").  The lookups hash once per process.
 */
#ifndef ZIB_FHIRVAL_CORE_H
#define ZIB_FHIRVAL_CORE_H

#include <stddef.h>

enum fv_strength { FV_BIND_NONE = 0, FV_BIND_REQUIRED = 1, FV_BIND_EXTENSIBLE = 2 };

struct fv_valueset {
	const char *url;
	const char *const *codes;   /* "system|code", NULL-terminated */
	int ncodes;
	int complete;               /* every code of the set is listed */
};

struct fv_rule {
	const char *parent;         /* "Patient", "Bundle.entry" */
	const char *name;           /* "gender", "value[x]" */
	int min;
	int strength;               /* enum fv_strength */
	int valueset;               /* index into fv_core_valuesets, or -1 */
	const char *targets;        /* Reference targets "Patient|Group", or NULL */
};

extern const struct fv_valueset fv_core_valuesets[];
extern const size_t fv_core_nvaluesets;
extern const struct fv_rule fv_core_rules[];
extern const size_t fv_core_nrules;

/* The rules of the elements of type parent: *count rows, sorted by name;
 * NULL when none. */
const struct fv_rule *fv_rules_of(const char *parent, size_t *count);
/* The rule of element name of parent; NULL when none. */
const struct fv_rule *fv_rule_find(const char *parent, const char *name);

/* Value set membership: 1 in, 0 not in.  system NULL matches the code in
 * any system of the set. */
int fv_valueset_has(const struct fv_valueset *vs, const char *system, const char *code);
/* 1 when the set lists codes of system. */
int fv_valueset_has_system(const struct fv_valueset *vs, const char *system);

#endif
