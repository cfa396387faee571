/*
 * Code systems by one name.  A document may write a code system as an
 * OID, a urn:oid, an HL7 URI of STU3 or R4, or a URI the zib models list;
 * comparing codes needs one form, the OID where one is known.
 */
#ifndef ZIB_MODEL_CODESYS_H
#define ZIB_MODEL_CODESYS_H

#include <stddef.h>

#include "zib.h"

/* Normalises a code system or identifier system to an OID where known. */
const char *model_system_norm(const zib_ctx *ctx, const char *system, char *buf, size_t size);

#endif
