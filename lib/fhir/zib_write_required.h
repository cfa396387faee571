/*
 * What FHIR R4 and the zib2020 profiles require of a resource that its zib
 * values may not give (fhir/zib_write.c calls it on each resource made).
 */
#ifndef ZIB_FHIR_ZIB_WRITE_REQUIRED_H
#define ZIB_FHIR_ZIB_WRITE_REQUIRED_H

#include "fhir/tree.h"

/* Told each element written for want of a value: its path in the
 * resource ("Procedure.status") and what it holds. */
typedef void (*fhir_required_note)(void *ctx, const char *element, const char *written);

/* Adds to resource res (R4) the codings its profile fixes for a required
 * element (Consent.scope of an AdvanceDirective, the laboratory category
 * of a LaboratoryTestResult), and every element FHIR requires that is
 * still absent: "unknown" where its required value set has that code,
 * else the element with a data-absent-reason extension; note is told of
 * those.  Returns 0, or -1 when out of memory. */
int fhir_write_required(struct zib_fhir *t, struct fhir_node *res, fhir_required_note note, void *ctx);

#endif
