/*
 * The CDA mapping of the zibs: where each concept sits in a BgZ CDA
 * document.  All of it is data from zib-models: each concept's
 * cda_template and cda_xpath, and what those columns cannot say in
 * cda-map.tsv (struct cda_row in model/model.h): the zib2017/eOverdracht-era
 * templates that real BgZ documents still use, the header participants
 * that carry no templateId, and the container templates (concern acts,
 * organizers) that hold a zib without being one.  The pseudo template ids
 * below are the ones cda-map.tsv uses for places without a templateId.
 */
#ifndef ZIB_CDA_MAP_H
#define ZIB_CDA_MAP_H

#include "model/model.h"

/* The BgZ 2020 document template and its LOINC code. */
#define CDA_BGZ_DOCUMENT_TEMPLATE "2.16.840.1.113883.2.4.3.11.60.126.10.1"
/* The HL7 NL CDA header (CDA NL R2 header), required beside it. */
#define CDA_NL_HEADER_TEMPLATE "2.16.840.1.113883.2.4.6.10.100001"
#define CDA_BGZ_SECTION_PREFIX "2.16.840.1.113883.2.4.3.11.60.126.10."
#define CDA_LOINC "2.16.840.1.113883.6.1"
#define CDA_BGZ_LOINC_CODE "60591-5"

/* Header participants without a templateId get these pseudo template ids. */
#define CDA_PSEUDO_PATIENT "header:recordTarget"
#define CDA_PSEUDO_AUTHOR "header:assignedAuthor"
#define CDA_PSEUDO_AUTHOR_ORG "header:representedOrganization"
#define CDA_PSEUDO_GUARDIAN "header:guardian"
/* A care provider of the summary: documentationOf/serviceEvent/performer. */
#define CDA_PSEUDO_PERFORMER "header:performer"
/* Entities without a template that become an instance when referenced. */
#define CDA_ENTITY_ORGANIZATION "entity:organization"
#define CDA_ENTITY_LOCATION "entity:location"

#endif
