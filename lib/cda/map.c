/*
 * The CDA mappings zib-models data cannot express (see map.h).  Template
 * ids may be a space-separated list: the same rows apply to each.  XPaths
 * are relative to the template's root element, prefixes hl7: and sdtc:,
 * as in zib-models.  Facts from the Nictiz BgZ 2020 / eOverdracht
 * templates (ART-DECOR), written as data.
 */
#include <stddef.h>

#include "cda/map.h"

#define T(x) "2.16.840.1.113883.2.4.3.11.60." x
#define COMMENT_ACT "hl7:entryRelationship/hl7:act[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.3.10.0.32']/hl7:text"
#define ROOT(t, z) { CDA_ROOT, t, z, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
#define OPTIONAL_ROOT(t, z) { CDA_ROOT, t, z, NULL, "optional", NULL, NULL, NULL, NULL, 0 }
#define CONTAINER(t) { CDA_CONTAINER, t, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
#define SHARED(t, z, id, x) { CDA_CONCEPT, t, z, id, x, NULL, NULL, NULL, NULL, 1 }
#define C(t, z, id, x) { CDA_CONCEPT, t, z, id, x, NULL, NULL, NULL, NULL, 0 }
#define ALIAS(t, z, from, nested, pf, pt) { CDA_ALIAS, t, z, NULL, NULL, from, nested, pf, pt, 0 }
#define PART(id, x) { CDA_PART, "*", NULL, id, x, NULL, NULL, NULL, NULL, 0 }

#define PROBLEM T("7.10.3.19") " " T("7.10.3.25")
#define VERRICHTING T("7.10.3.23") " " T("7.10.3.24")
#define ASSIGNED_ENTITY T("3.10.0.26") " " CDA_PSEUDO_PERFORMER
#define ORG CDA_PSEUDO_AUTHOR_ORG " entity:organization " T("3.10.0.9") " " T("3.10.3.29")
#define ALLERGY_REACTION "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.7.10.3.10']"
#define SUPPLY "hl7:component/hl7:supply"
#define BA_BESLUIT "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.5.10.2']"

const struct cda_row cda_rows[] = {
	/* Header: the participants carry no templateId; their places are fixed. */
	ROOT(CDA_PSEUDO_PATIENT, "Patient"),
	ALIAS(CDA_PSEUDO_PATIENT, "Patient", T("3.10.1"), "", NULL, NULL),
	OPTIONAL_ROOT(CDA_PSEUDO_PATIENT, "BurgerlijkeStaat"),
	ALIAS(CDA_PSEUDO_PATIENT, "BurgerlijkeStaat", T("3.10.1"), "", NULL, NULL),
	ROOT(CDA_PSEUDO_GUARDIAN, "Contactpersoon"),
	/* The guardian's code is its role (COD472), not a relation (RoleCode). */
	C(CDA_PSEUDO_GUARDIAN, "Contactpersoon", "NL-CM:3.1.2", "hl7:code"),
	C(CDA_PSEUDO_GUARDIAN, "Contactpersoon", "NL-CM:3.1.3", "hl7:code[false()]"),
	ALIAS(CDA_PSEUDO_GUARDIAN, "Contactpersoon", T("3.10.35"), "", "hl7:associatedPerson/", "hl7:guardianPerson/"),
	ROOT(CDA_PSEUDO_AUTHOR, "Zorgverlener"),
	C(CDA_PSEUDO_AUTHOR, "Zorgverlener", "NL-CM:17.1.6", "hl7:representedOrganization"),
	C(CDA_PSEUDO_AUTHOR, "Zorgverlener", "NL-CM:17.2.1", "hl7:representedOrganization"),
	ALIAS(CDA_PSEUDO_AUTHOR, "Zorgverlener", T("3.10.1.34"), "", "hl7:associatedPerson/", "hl7:assignedPerson/"),

	/* Zorgverlener as assignedEntity (performer, informant; the summary's
	 * care providers in the header's serviceEvent) and participantRole. */
	ROOT(ASSIGNED_ENTITY, "Zorgverlener"),
	C(ASSIGNED_ENTITY, "Zorgverlener", "NL-CM:17.1.6", "hl7:representedOrganization"),
	C(ASSIGNED_ENTITY, "Zorgverlener", "NL-CM:17.2.1", "hl7:representedOrganization"),
	ALIAS(ASSIGNED_ENTITY, "Zorgverlener", T("3.10.1.34"), "", "hl7:associatedPerson/", "hl7:assignedPerson/"),
	ROOT(T("3.10.3.27"), "Zorgverlener"),
	C(T("3.10.3.27"), "Zorgverlener", "NL-CM:17.1.6", "hl7:scopingEntity"),
	C(T("3.10.3.27"), "Zorgverlener", "NL-CM:17.2.1", "hl7:scopingEntity"),
	ALIAS(T("3.10.3.27"), "Zorgverlener", T("3.10.1.34"), "", "hl7:associatedPerson/", "hl7:playingEntity/"),

	/* Zorgaanbieder: representedOrganization, scopingEntity, location role. */
	ROOT(ORG, "Zorgaanbieder"),
	C(ORG, "Zorgaanbieder", "NL-CM:17.2.2", "hl7:id"),
	C(ORG, "Zorgaanbieder", "NL-CM:17.2.3", "hl7:name|hl7:desc"),
	C(ORG, "Zorgaanbieder", "NL-CM:17.2.4", "hl7:standardIndustryClassCode|hl7:code"),
	C(ORG, "Zorgaanbieder", "NL-CM:17.2.6", "."),
	C(ORG, "Zorgaanbieder", "NL-CM:17.2.5", "hl7:addr"),

	/* A service delivery location (participantRole SDLOC) as Zorgaanbieder:
	 * its code is the department, scopingEntity/desc the organisation's name,
	 * playingEntity/name the location's. */
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.2", "hl7:id|hl7:scopingEntity/hl7:id"),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.3", "hl7:scopingEntity/hl7:desc"),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.9", "hl7:playingEntity"),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.8", "hl7:playingEntity/hl7:name"),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.7", "hl7:code"),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.6", "."),
	C(CDA_ENTITY_LOCATION, "Zorgaanbieder", "NL-CM:17.2.5", "hl7:addr"),

	/* Parts (address, telecom, name) relative to the group that holds them. */
	PART("NL-CM:20.5.2", "hl7:streetName"),
	PART("NL-CM:20.5.12", "hl7:houseNumber"),
	PART("NL-CM:20.5.11", "hl7:buildingNumberSuffix"),
	PART("NL-CM:20.5.9", "hl7:additionalLocator"),
	PART("NL-CM:20.5.6", "hl7:postalCode"),
	PART("NL-CM:20.5.3", "hl7:city"),
	PART("NL-CM:20.5.4", "hl7:county"),
	PART("NL-CM:20.5.5", "hl7:country"),
	PART("NL-CM:20.5.7", "hl7:unitID"),
	PART("NL-CM:20.5.8", "@use"),
	PART("NL-CM:20.6.2", "hl7:telecom[starts-with(@value,'tel:')]"),
	PART("NL-CM:20.6.4", "@value"),
	PART("NL-CM:20.6.6", "@use"),
	PART("NL-CM:20.6.3", "hl7:telecom[starts-with(@value,'mailto:')]"),
	PART("NL-CM:20.6.7", "@value"),
	PART("NL-CM:20.6.8", "@use"),

	/* Sociale anamnese, Vitale functies: zib2017-era templates with the
	 * structure of their zib2020 successors. */
	ROOT(T("7.10.34"), "Woonsituatie"),
	ALIAS(T("7.10.34"), "Woonsituatie", T("121.10.8"), "", NULL, NULL),
	ROOT(T("3.10.22"), "DrugsGebruik"),
	ALIAS(T("3.10.22"), "DrugsGebruik", T("121.10.7"), "", NULL, NULL),
	ALIAS(T("3.10.22"), "DrugsGebruik", T("121.10.4"), T("3.10.21"), NULL, NULL),
	ROOT(T("7.10.35"), "Bloeddruk"),
	ALIAS(T("7.10.35"), "Bloeddruk", T("121.10.10"), "", NULL, NULL),
	/* zib2017 repeats method, site, cuff, position and time on each
	 * component observation (zib2020: on the systolic one only). */
	SHARED(T("7.10.35"), "Bloeddruk", "NL-CM:12.4.7", "hl7:component/hl7:observation/hl7:methodCode"),
	SHARED(T("7.10.35"), "Bloeddruk", "NL-CM:12.4.10", "hl7:component/hl7:observation/hl7:targetSiteCode"),
	SHARED(T("7.10.35"), "Bloeddruk", "NL-CM:12.4.9", "hl7:component/hl7:observation/hl7:entryRelationship/hl7:observation[hl7:code/@code='70665002']/hl7:value"),
	SHARED(T("7.10.35"), "Bloeddruk", "NL-CM:12.4.11", "hl7:component/hl7:observation/hl7:entryRelationship/hl7:observation[hl7:code/@code='424724000']/hl7:value"),
	SHARED(T("7.10.35"), "Bloeddruk", "NL-CM:12.4.5", "hl7:component/hl7:observation/hl7:effectiveTime/@value"),
	/* zib2020 puts them on the systolic observation; without one (the
	 * BgZ 2020 example has only diastolic and endpoint) they are read,
	 * shared, from the other components.  The writer builds the first
	 * predicate (systolic), as zib-models says. */
#define BD_OBS "hl7:component/hl7:observation[hl7:code/@code='8480-6' or not(../../hl7:component/hl7:observation/hl7:code/@code='8480-6')]"
	SHARED(T("121.10.10"), "Bloeddruk", "NL-CM:12.4.7", BD_OBS "/hl7:methodCode"),
	SHARED(T("121.10.10"), "Bloeddruk", "NL-CM:12.4.10", BD_OBS "/hl7:targetSiteCode"),
	SHARED(T("121.10.10"), "Bloeddruk", "NL-CM:12.4.9", BD_OBS "/hl7:entryRelationship/hl7:observation[hl7:code/@code='70665002']/hl7:value"),
	SHARED(T("121.10.10"), "Bloeddruk", "NL-CM:12.4.11", BD_OBS "/hl7:entryRelationship/hl7:observation[hl7:code/@code='424724000']/hl7:value"),
	SHARED(T("121.10.10"), "Bloeddruk", "NL-CM:12.4.5", BD_OBS "/hl7:effectiveTime/@value"),
	CONTAINER(T("3.10.27")),
	CONTAINER(T("121.10.11")),
	CONTAINER(T("3.10.29")),
	CONTAINER(T("3.10.31")),
	CONTAINER(T("3.10.28")),
	CONTAINER(T("3.10.0.30")),
	CONTAINER(T("3.10.0.32")),

	/* Probleem (Klachten en diagnoses, Voorgeschiedenis, indications). */
	CONTAINER(T("7.10.45")),
	ROOT(PROBLEM, "Probleem"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.8", "hl7:code"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.3", "hl7:value"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.14", "hl7:targetSiteCode"),
	C(PROBLEM, "Probleem", "NL-CM:20.7.4", "hl7:targetSiteCode"),
	C(PROBLEM, "Probleem", "NL-CM:20.7.3", "hl7:targetSiteCode/hl7:qualifier/hl7:value"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.6", "hl7:effectiveTime/hl7:low/@value"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.9", "hl7:effectiveTime/hl7:high/@value"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.4", "hl7:entryRelationship/hl7:observation[hl7:code/@code='33999-4']/hl7:value"),
	C(PROBLEM, "Probleem", "NL-CM:5.1.5", COMMENT_ACT),
	CONTAINER(T("7.10.3.20") " " T("7.10.3.21")),

	/* Waarschuwingen */
	ROOT(T("7.10.3.86"), "Alert"),
	C(T("7.10.3.86"), "Alert", "NL-CM:8.3.6", "hl7:entryRelationship/hl7:observation/hl7:code"),
	C(T("7.10.3.86"), "Alert", "NL-CM:8.3.5", "hl7:entryRelationship/hl7:observation/hl7:effectiveTime/@value|hl7:entryRelationship/hl7:observation/hl7:effectiveTime/hl7:low/@value"),
	C(T("7.10.3.86"), "Alert", "NL-CM:8.3.8", "hl7:entryRelationship/hl7:observation/hl7:effectiveTime/hl7:high/@value"),
	C(T("7.10.3.86"), "Alert", "NL-CM:8.3.4", "hl7:entryRelationship/hl7:observation/hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.3.10.3.15']/hl7:value"),
	C(T("7.10.3.86"), "Alert", "NL-CM:8.3.7", "hl7:entryRelationship/hl7:observation/" COMMENT_ACT),
	CONTAINER(T("3.10.3.9") " " T("3.10.3.15")),

	/* Allergieën */
	CONTAINER(T("7.10.48")),
	ROOT(T("7.10.3.5"), "AllergieIntolerantie"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.4", "hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.2", "hl7:participant/hl7:participantRole/hl7:playingEntity/hl7:code"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.6", "hl7:effectiveTime/hl7:low/@value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.8", "hl7:effectiveTime/hl7:high/@value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.5", "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.7.10.3.6']/hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.7", "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.3.10.3.16']/hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.9", COMMENT_ACT),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.10", ALLERGY_REACTION),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.11", ALLERGY_REACTION "/hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.12", ALLERGY_REACTION "/hl7:participant/hl7:participantRole/hl7:playingEntity/hl7:code"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.15", ALLERGY_REACTION "/hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.3.10.3.11']/hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.14", ALLERGY_REACTION "/hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.3.10.3.18']/hl7:value"),
	C(T("7.10.3.5"), "AllergieIntolerantie", "NL-CM:8.2.17", ALLERGY_REACTION "/hl7:effectiveTime/@value"),
	CONTAINER(T("7.10.3.6") " " T("7.10.3.10") " " T("3.10.3.11") " " T("3.10.3.16") " " T("3.10.3.18")),

	/* Behandelaanwijzingen */
	ROOT(T("5.10.1"), "BehandelAanwijzing"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.3", "hl7:code"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.2", BA_BESLUIT "/hl7:code"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.4", BA_BESLUIT "/hl7:value"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.6", BA_BESLUIT "/hl7:effectiveTime/hl7:high/@value"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.5", BA_BESLUIT "/hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.5.10.3']/hl7:effectiveTime/@value"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.8", "hl7:entryRelationship/hl7:act[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.7.10.44']"),
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.13", COMMENT_ACT),
	/* zib2017's verification (5.10.3) became zib2020's MeestRecenteBespreekdatum
	 * and AfspraakPartij: a verifying party with role Patient (SNOMED
	 * 116154003) is the agreement party Patient, the document's patient. */
	C(T("5.10.1"), "BehandelAanwijzing", "NL-CM:2.2.10", BA_BESLUIT "/hl7:entryRelationship/hl7:observation[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.5.10.3']"
		"/hl7:participant[@typeCode='VRF']/hl7:participantRole[hl7:code[@code='116154003'][@codeSystem='2.16.840.1.113883.6.96']]"
		"/ancestor::hl7:ClinicalDocument/hl7:recordTarget"),
	CONTAINER(T("5.10.2") " " T("5.10.3")),
	ROOT(T("7.10.44"), "Wilsverklaring"),
	C(T("7.10.44"), "Wilsverklaring", "NL-CM:7.15.2", "hl7:code"),
	C(T("7.10.44"), "Wilsverklaring", "NL-CM:7.15.7", "hl7:effectiveTime/@value"),
	C(T("7.10.44"), "Wilsverklaring", "NL-CM:7.15.5", "hl7:reference/hl7:externalDocument/hl7:text"),
	C(T("7.10.44"), "Wilsverklaring", "NL-CM:7.15.6", COMMENT_ACT),

	/* Contacten */
	ROOT(T("7.10.43"), "Contact"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.2", "hl7:code"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.3", "hl7:effectiveTime/hl7:low/@value"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.4", "hl7:effectiveTime/hl7:high/@value"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.16", "sdtc:dischargeDispositionCode"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.14", "sdtc:admissionReferralSourceCode"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.7", "hl7:performer/hl7:assignedEntity"),
	C(T("7.10.43"), "Contact", "NL-CM:15.1.8", "hl7:participant[@typeCode='LOC']/hl7:participantRole"),
	C(T("7.10.43"), "Contact", "NL-CM:17.2.1", "hl7:participant[@typeCode='LOC']/hl7:participantRole"),
	CONTAINER(T("3.10.0.8")),

	/* Functionele status */
	ROOT(T("7.10.41"), "FunctioneleOfMentaleStatus"),
	C(T("7.10.41"), "FunctioneleOfMentaleStatus", "NL-CM:4.26.2", "hl7:code"),
	C(T("7.10.41"), "FunctioneleOfMentaleStatus", "NL-CM:4.26.3", "hl7:value"),
	C(T("7.10.41"), "FunctioneleOfMentaleStatus", "NL-CM:4.26.6", "hl7:effectiveTime/@value"),
	C(T("7.10.41"), "FunctioneleOfMentaleStatus", "NL-CM:4.26.4", COMMENT_ACT),
	C(T("7.10.41"), "FunctioneleOfMentaleStatus", "NL-CM:4.26.5", "hl7:entryRelationship/hl7:organizer[hl7:templateId/@root='2.16.840.1.113883.2.4.3.11.60.7.10.3.85']"),

	/* Medische hulpmiddelen: the organizer, and a device as participant. */
	ROOT(T("7.10.3.85"), "MedischHulpmiddel"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.2", SUPPLY "/hl7:participant[@typeCode='PRD']/hl7:participantRole"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.4", SUPPLY "/hl7:participant[@typeCode='PRD']/hl7:participantRole/hl7:id"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.3", SUPPLY "/hl7:participant[@typeCode='PRD']/hl7:participantRole/hl7:playingDevice/hl7:code"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.13", SUPPLY "/hl7:participant[@typeCode='PRD']/hl7:participantRole/hl7:playingDevice/sdtc:desc"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.11", SUPPLY "/hl7:effectiveTime/@value|" SUPPLY "/hl7:effectiveTime/hl7:low/@value"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.14", SUPPLY "/hl7:effectiveTime/hl7:high/@value"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.9", SUPPLY "/hl7:participant[@typeCode='ATND']/hl7:participantRole"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.8", SUPPLY "/hl7:participant[@typeCode='LOC']/hl7:participantRole"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.7", SUPPLY "/hl7:entryRelationship[@typeCode='RSON']/hl7:observation"),
	C(T("7.10.3.85"), "MedischHulpmiddel", "NL-CM:10.1.10", SUPPLY "/" COMMENT_ACT),
	ROOT(T("3.10.3.21"), "MedischHulpmiddel"),
	C(T("3.10.3.21"), "MedischHulpmiddel", "NL-CM:10.1.2", "."),
	C(T("3.10.3.21"), "MedischHulpmiddel", "NL-CM:10.1.4", "hl7:id"),
	C(T("3.10.3.21"), "MedischHulpmiddel", "NL-CM:10.1.3", "hl7:playingDevice/hl7:code"),
	C(T("3.10.3.21"), "MedischHulpmiddel", "NL-CM:10.1.13", "hl7:playingDevice/sdtc:desc"),

	/* Verrichtingen */
	CONTAINER(T("7.10.3.42")),
	ROOT(VERRICHTING, "Verrichting"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.4", "hl7:code"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.2", "hl7:effectiveTime/hl7:low/@value"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.3", "hl7:effectiveTime/hl7:high/@value"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.12", "hl7:methodCode"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.13", "hl7:targetSiteCode"),
	C(VERRICHTING, "Verrichting", "NL-CM:20.7.4", "hl7:targetSiteCode"),
	C(VERRICHTING, "Verrichting", "NL-CM:20.7.3", "hl7:targetSiteCode/hl7:qualifier/hl7:value"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.6", "hl7:performer/hl7:assignedEntity"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.10", "hl7:participant[@typeCode='REF']/hl7:participantRole"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.7", "hl7:participant[@typeCode='DEV']/hl7:participantRole"),
	C(VERRICHTING, "Verrichting", "NL-CM:14.1.9", "hl7:entryRelationship[@typeCode='RSON']/hl7:observation"),

	/* Vaccinaties */
	ROOT(T("7.10.42"), "Vaccinatie"),
	C(T("7.10.42"), "Vaccinatie", "NL-CM:11.1.2", "hl7:consumable/hl7:manufacturedProduct/hl7:manufacturedMaterial/hl7:code"),
	C(T("7.10.42"), "Vaccinatie", "NL-CM:11.1.4", "hl7:doseQuantity"),
	C(T("7.10.42"), "Vaccinatie", "NL-CM:11.1.3", "hl7:effectiveTime/@value"),
	C(T("7.10.42"), "Vaccinatie", "NL-CM:11.1.6", "hl7:performer/hl7:assignedEntity"),
	C(T("7.10.42"), "Vaccinatie", "NL-CM:11.1.7", COMMENT_ACT),
};

const size_t cda_nrows = sizeof(cda_rows) / sizeof(cda_rows[0]);
