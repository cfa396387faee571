/*
 * Dutch identifier systems: the NamingSystem URI of the Dutch FHIR
 * profiles and the OID CDA and ADA use for the same identifiers.  One
 * table for the diff (URI -> OID) and the FHIR writer (OID -> URI).
 */
#ifndef ZIB_MODEL_NAMING_H
#define ZIB_MODEL_NAMING_H

#include <stddef.h>

/* The OID of a NamingSystem URI, or NULL. */
const char *naming_system_oid(const char *uri);
/* The NamingSystem URI of an OID, or NULL. */
const char *naming_system_uri(const char *oid);

/* The name of the register of care providers or organisations an
 * identifier system (OID or NamingSystem URI) is ("AGB", "UZI", "URA",
 * "BIG"), or NULL: such a number cannot identify a patient. */
const char *naming_provider_register(const char *system);

/* The R4 name of an HL7 code system written with its STU3 name
 * ("http://hl7.org/fhir/v3/AddressUse" ->
 * "http://terminology.hl7.org/CodeSystem/v3-AddressUse") into buf; NULL
 * when uri is no such name. */
const char *model_hl7_system_r4(const char *uri, char *buf, size_t size);

#endif
