/*
 * The CDA mapping of the zibs: where each concept sits in a BgZ CDA
 * document.  Most of it is data from zib-models (each concept's
 * cda_template and cda_xpath).  What that data cannot say lives in the
 * table of lib/cda/map.c: the zib2017/eOverdracht-era templates that real
 * BgZ documents still use, the header participants that carry no
 * templateId, and the container templates (concern acts, organizers) that
 * hold a zib without being one.
 */
#ifndef ZIB_CDA_MAP_H
#define ZIB_CDA_MAP_H

#include "model/model.h"

/* The BgZ 2020 document template and its LOINC code. */
#define CDA_BGZ_DOCUMENT_TEMPLATE "2.16.840.1.113883.2.4.3.11.60.126.10.1"
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

enum cda_row_kind {
	CDA_ROOT,       /* template is an instance root of zib */
	CDA_CONTAINER,  /* template wraps zib content but is no instance itself */
	CDA_CONCEPT,    /* concept of zib at xpath, relative to template's root */
	CDA_ALIAS,      /* zib's data mapped in `from` applies, xpath prefix rewritten */
	CDA_PART        /* concept (any zib) relative to its mapped parent group */
};

struct cda_row {
	enum cda_row_kind kind;
	const char *template_id;
	const char *zib;       /* Dutch name */
	const char *concept;   /* CDA_CONCEPT / CDA_PART */
	const char *xpath;     /* CDA_CONCEPT / CDA_PART */
	const char *from;      /* CDA_ALIAS: template of the data mapping */
	const char *nested;    /* CDA_ALIAS: where `from` sits now ("" is the root) */
	const char *prefix_from, *prefix_to; /* CDA_ALIAS */
	/* CDA_CONCEPT: a 0..1 concept zib2017 repeats on every component
	 * observation; identical repeats are one value, differing ones stay
	 * unmapped. */
	int shared;
};

extern const struct cda_row cda_rows[];
extern const size_t cda_nrows;

#endif
