/* Dutch identifier systems: see naming.h. */
#include <stdio.h>
#include <string.h>

#include "model/naming.h"

static const struct { const char *uri, *oid; } naming_systems[] = {
	{ "http://fhir.nl/fhir/NamingSystem/bsn", "2.16.840.1.113883.2.4.6.3" },
	{ "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers", "2.16.528.1.1007.3.1" },
	{ "http://fhir.nl/fhir/NamingSystem/ura", "2.16.528.1.1007.3.3" },
	{ "http://fhir.nl/fhir/NamingSystem/agb-z", "2.16.840.1.113883.2.4.6.1" },
	{ "http://fhir.nl/fhir/NamingSystem/big", "2.16.528.1.1007.5.1" },
	{ "http://fhir.nl/fhir/NamingSystem/uzovi", "2.16.840.1.113883.2.4.6.4" },
	{ "http://fhir.nl/fhir/NamingSystem/uzi-rolcode", "2.16.840.1.113883.2.4.15.111" },
	/* Code systems codesystems.tsv may lack (HL7 terminology facts). */
	{ "http://www.whocc.no/atc", "2.16.840.1.113883.6.73" },
	{ "http://snomed.info/sct", "2.16.840.1.113883.6.96" },
	{ "http://loinc.org", "2.16.840.1.113883.6.1" },
	{ "http://unitsofmeasure.org", "2.16.840.1.113883.6.8" },
	{ "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender", "2.16.840.1.113883.5.1" },
	{ "http://terminology.hl7.org/CodeSystem/v3-ActStatus", "2.16.840.1.113883.5.14" },
	{ "http://terminology.hl7.org/CodeSystem/v3-ActCode", "2.16.840.1.113883.5.4" },
	{ "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "2.16.840.1.113883.5.1008" },
	{ "http://terminology.hl7.org/CodeSystem/v3-AddressUse", "2.16.840.1.113883.5.1119" },
	{ "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "2.16.840.1.113883.5.90" },
	{ "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "2.16.840.1.113883.5.111" },
	{ "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "2.16.840.1.113883.5.2" },
	{ "http://terminology.hl7.org/CodeSystem/v3-ActReason", "2.16.840.1.113883.5.8" },
	{ "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "2.16.840.1.113883.5.83" },
	{ "http://terminology.hl7.org/CodeSystem/v2-0078", "2.16.840.1.113883.12.78" },
};

/* Registers of care providers and organisations (Vektis AGB, CIBG UZI,
 * URA, BIG): their numbers name a professional or an organisation. */
static const struct { const char *oid, *name; } provider_registers[] = {
	{ "2.16.840.1.113883.2.4.6.1", "AGB" },
	{ "2.16.528.1.1007.3.1", "UZI" },
	{ "2.16.528.1.1007.3.2", "UZI" },
	{ "2.16.528.1.1007.3.3", "URA" },
	{ "2.16.528.1.1007.5.1", "BIG" },
};

#define N_NAMING (sizeof(naming_systems) / sizeof(naming_systems[0]))

const char *naming_system_oid(const char *uri)
{
	size_t i;

	for (i = 0; uri && i < N_NAMING; i++)
		if (strcmp(uri, naming_systems[i].uri) == 0)
			return naming_systems[i].oid;
	return NULL;
}

const char *naming_system_uri(const char *oid)
{
	size_t i;

	for (i = 0; oid && i < N_NAMING; i++)
		if (strcmp(oid, naming_systems[i].oid) == 0)
			return naming_systems[i].uri;
	return NULL;
}

const char *model_hl7_system_r4(const char *uri, char *buf, size_t size)
{
	if (!uri)
		return NULL;
	if (strncmp(uri, "http://hl7.org/fhir/v3/", 23) == 0)
		snprintf(buf, size, "http://terminology.hl7.org/CodeSystem/v3-%s", uri + 23);
	else if (strncmp(uri, "http://hl7.org/fhir/v2/", 23) == 0)
		snprintf(buf, size, "http://terminology.hl7.org/CodeSystem/v2-%s", uri + 23);
	else
		return NULL;
	return buf;
}

const char *naming_provider_register(const char *system)
{
	const char *oid = system;
	size_t i;

	if (!system)
		return NULL;
	if (strncmp(system, "urn:oid:", 8) == 0)
		oid = system + 8;
	else if (naming_system_oid(system))
		oid = naming_system_oid(system);
	for (i = 0; i < sizeof(provider_registers) / sizeof(provider_registers[0]); i++)
		if (strcmp(oid, provider_registers[i].oid) == 0)
			return provider_registers[i].name;
	return NULL;
}
