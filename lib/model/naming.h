/*
 * Dutch identifier systems: the NamingSystem URI of the Dutch FHIR
 * profiles and the OID CDA and ADA use for the same identifiers.  One
 * table for the diff (URI -> OID) and the FHIR writer (OID -> URI).
 */
#ifndef ZIB_MODEL_NAMING_H
#define ZIB_MODEL_NAMING_H

/* The OID of a NamingSystem URI, or NULL. */
const char *naming_system_oid(const char *uri);
/* The NamingSystem URI of an OID, or NULL. */
const char *naming_system_uri(const char *oid);

#endif
