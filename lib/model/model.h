/*
 * Internal view of the zib models: the structs behind the public opaque
 * types, for the readers, writers and validators inside libzib.  All of it
 * lives in the zib_ctx arena and is read-only after zib_ctx_new().
 */
#ifndef ZIB_MODEL_MODEL_H
#define ZIB_MODEL_MODEL_H

#include "core/arena.h"
#include "core/strmap.h"
#include "model/release.h"
#include "zib.h"

struct zib_concept {
	const char *id;
	const char *name_nl;
	const char *name_en;
	const char *datatype;
	const char *valuesets;   /* space-separated OIDs */
	const char *fhir[ZIB_RELEASE_MAX];   /* element paths, by release slot */
	const char *cda_template;
	const char *cda_xpath;
	const char *role;        /* roles.tsv: what the engines treat it as; NULL: none */
	int min, max;            /* max -1 is "*" */
	/* strict_tables.c: the BgZ transaction's own minimum (-1: not in
	 * bgz-transaction.tsv) and conformance; the zib's UCUM units
	 * (space-separated, NULL: any) and kind (a unit of the dimension
	 * the value must have, NULL: any) from units.tsv. */
	int tx_min;
	const char *tx_card;
	const char *units;
	const char *unit_kind;
	int depth;
	const struct zib_concept *parent;
	const struct zib_model *model;
	size_t index;            /* position in model->concepts */
};

struct zib_model {
	const char *number;
	const char *section;
	const char *name_nl;
	const char *name_en;
	const char *root;
	const char *version;
	const char *fhir_r4_resource;
	const char *fhir_profiles[ZIB_RELEASE_MAX];   /* by release slot */
	const char *cda_templates;
	int is_bgz;
	struct zib_concept *concepts;
	size_t nconcepts;
	struct strmap by_id;     /* first concept with each NL-CM id */
};

struct valueset_code {
	const char *code;
	const char *system;      /* OID */
	const char *display;
};

struct zib_valueset {
	const char *oid;
	const char *name;
	struct valueset_code *codes;
	size_t ncodes;
	struct strmap by_key;    /* "system|code" -> code */
};

struct codesystem {
	const char *oid;
	const char *uri;
	const char *name;
};

/*
 * cda-map.tsv: a CDA mapping the concepts' cda_template/cda_xpath columns
 * cannot express (zib-models/README.md).  templates may list several ids
 * (space-separated); the row applies to each.  lib/cda reads them.
 */
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
	const char *zib;       /* Dutch name; NULL for containers and parts */
	const char *concept;   /* CDA_CONCEPT / CDA_PART */
	const char *xpath;     /* CDA_CONCEPT / CDA_PART */
	const char *from;      /* CDA_ALIAS: template of the data mapping */
	const char *nested;    /* CDA_ALIAS: where `from` sits now (NULL: the root) */
	const char *prefix_from, *prefix_to; /* CDA_ALIAS, or NULL */
	/* CDA_ROOT: the zib is read only when its data is there (kind
	 * optional-root). */
	int optional;
	/* CDA_CONCEPT: a 0..1 concept zib2017 repeats on every component
	 * observation (kind shared); identical repeats are one value,
	 * differing ones stay unmapped. */
	int shared;
};

/* The alias rows of one template and zib, in table order. */
struct cda_row_link {
	const struct cda_row *row;
	struct cda_row_link *next;
};

/* cda-sections.tsv: one section of a BgZ CDA document. */
struct cda_section {
	const char *template_id;
	const char *code;      /* LOINC */
	const char *display;
	const char *title;
};

/* A row of fhir-codes.tsv: a resource of fhir_type whose element has code
 * (element NULL: any of the type) is of zib model; write marks the code the
 * writer gives a new resource of the zib, with category (or NULL). */
struct fhir_code_rule {
	const char *fhir_type;
	const char *element;
	const char *system;
	const char *code;
	const struct zib_model *model;
	int write;
	const char *category;
};

struct zib_ctx {
	struct arena arena;
	const char *version;
	const char *source;
	struct zib_model *models;
	size_t nmodels;
	struct strmap model_by_name;   /* nl and en names, case-insensitive */
	struct strmap concept_by_id;
	struct strmap valueset_by_oid;
	struct strmap codesystem_by_oid;
	struct strmap codesystem_by_uri;
	struct cda_row *cda_rows;      /* cda-map.tsv, in file order */
	size_t ncda_rows;
	struct strmap cda_row_index;   /* see model_cda_row() */
	struct cda_section *cda_sections; /* cda-sections.tsv, in document order */
	size_t ncda_sections;
	struct fhir_code_rule *fhir_codes;   /* in file order */
	size_t nfhir_codes;
};

/* Loads cda-map.tsv (after the zibs: rows name zibs and concepts) and
 * cda-sections.tsv from their text (lib/model/cda_tables.c). */
int model_cda_map_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err);
int model_cda_sections_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err);
/* Loads bgz-transaction.tsv and units.tsv into the concepts they name
 * (lib/model/strict_tables.c); a model directory without them has none. */
int model_transaction_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err);
int model_units_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err);
/* The first concept row of template tmpl for concept id, or NULL. */
const struct cda_row *model_cda_concept_row(const zib_ctx *ctx, const char *tmpl, const char *id);
/* The first part row for concept id, or NULL. */
const struct cda_row *model_cda_part_row(const zib_ctx *ctx, const char *id);
/* The alias rows of template tmpl for zib (Dutch name), or NULL. */
const struct cda_row_link *model_cda_aliases(const zib_ctx *ctx, const char *tmpl, const char *zib);


/* The next OID of a concept's value set list ("oid oid ...") at *p, into
 * oid (advancing *p); 0 at the list's end. */
int model_valueset_list_next(const char **p, char *oid, size_t size);

/* The child of parent with concept id (a range's minimumWaarde), or NULL. */
const struct zib_concept *model_concept_child(const struct zib_concept *parent, const char *id);

/* The code system of code in c's value sets, when they have it in one
 * system only (a CDA addr/@use "HP" is HL7 AddressUse's); else NULL. */
const char *model_concept_code_system(const zib_ctx *ctx, const struct zib_concept *c, const char *code);

/* Is word one of a space-separated list's (value sets, templates, ...)? */
int model_list_has(const char *list, const char *word);

/* The code of vs with system (an OID or urn:oid:OID) and code; NULL if none. */
const struct valueset_code *model_valueset_code_find(const struct zib_valueset *vs, const char *system,
	const char *code);

/* Has c the role (roles.tsv: "schedule-interval", ...)? */
int model_concept_has_role(const struct zib_concept *c, const char *role);
/* The child of parent with the role, or NULL. */
const struct zib_concept *model_concept_child_with_role(const struct zib_concept *parent, const char *role);

/* A concept's element paths in release rel's own column ("" when none),
 * and the paths it is read and written by: its own, or where empty the
 * fallback release's. */
const char *model_concept_fhir_column(const struct zib_concept *c, const struct zib_release *rel);
const char *model_concept_fhir_paths(const struct zib_concept *c, const struct zib_release *rel);
/* A zib's profile urls in release rel, space-separated; "" when none. */
const char *model_fhir_profiles(const struct zib_model *m, const struct zib_release *rel);

#endif
