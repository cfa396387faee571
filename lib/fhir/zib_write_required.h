/*
 * What FHIR R4 and the zib2020 profiles require of a resource that its zib
 * values may not give (fhir/zib_write.c calls it on each resource made).
 */
#ifndef ZIB_FHIR_ZIB_WRITE_REQUIRED_H
#define ZIB_FHIR_ZIB_WRITE_REQUIRED_H

#include "fhir/tree.h"

/* Told each element written for want of a value, or left out as FHIR
 * forbids it: its path in the resource ("Procedure.status") and what was
 * done, a sentence. */
typedef void (*fhir_required_note)(void *ctx, const char *element, const char *what);

/* Adds to resource res (R4) the codings its profile fixes for a required
 * element (Consent.scope of an AdvanceDirective, the laboratory category
 * of a LaboratoryTestResult), and every element FHIR requires that is
 * still absent: "unknown" where its required value set has that code,
 * else the element with a data-absent-reason extension; an abatement a
 * Condition's status forbids (con-4) is left out; note is told of those.
 * Returns 0, or -1 when out of memory. */
int fhir_write_required(struct zib_fhir *t, struct fhir_node *res, fhir_required_note note, void *ctx);

#endif
