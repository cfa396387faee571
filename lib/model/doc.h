/*
 * Internal view of zib_doc, the pivot of every operation: a document read
 * into zib instances.  Readers (lib/cda, lib/fhir, lib/ada) build it with the
 * doc_* functions below; operations read it.  Everything lives in the
 * document's arena and goes with zib_doc_free().
 *
 * Values form a tree per instance, following the zib's concept tree: a
 * GROUP concept's value holds its children.  A concept may repeat.  Every
 * value keeps where it came from (line and XPath/FHIRPath).
 */
#ifndef ZIB_MODEL_DOC_H
#define ZIB_MODEL_DOC_H

#include "core/arena.h"
#include "model/model.h"

struct zib_value {
	const struct zib_concept *concept;
	enum zib_value_type type;
	/* By type (unused fields NULL):
	 *   CD/CO: code, system (OID), display, text (originalText), null_flavor
	 *   ST/TS/ED/ANY: text (TS as written, e.g. 20200101 or 2020-01-01T10:00:00+01:00;
	 *     ED from a FHIR Attachment: its base64 data, code its contentType)
	 *   PQ: number (decimal as written), unit (UCUM; or, when system is set, a
	 *     code of that unit system: G-Standaard 2.16.840.1.113883.2.4.4.1.900.2
	 *     "229", with display "mg" as written for people); per, for a rate (a
	 *     FHIR Ratio, MaximaleDosering), its denominator as a UCUM term: "d"
	 *     for per 1 d, "2.d" for per 2 d ("600 229 per d": 600 mg a day)
	 *   II: system (OID or URI), code (the identifier value)
	 *   BL: boolean; INT: integer (and number as written); CO also ordinal */
	const char *code;
	const char *system;
	const char *display;
	const char *text;
	const char *number;
	const char *unit;
	const char *per;
	const char *null_flavor;
	long long integer;
	int boolean;
	/* A reference to another instance (GROUP concepts that point at a zib). */
	const char *ref;                  /* as written: "Patient/1", "#id", an II */
	struct zib_instance *target;      /* resolved, or NULL */
	int line;
	const char *path;
	struct zib_value *children, *last_child;
	struct zib_value *next;
};

struct zib_instance {
	const struct zib_model *model;
	const char *id;          /* source identity: resource id, entry id, ... */
	int line;
	const char *path;
	const char *file;        /* the file it was read from when not the doc's (a FHIR set) */
	struct zib_value *values, *last_value; /* values of the root's children */
	struct zib_instance *next;
	struct zib_instance *prev; /* so unlinking one of many is O(1) */
};

struct unmapped {
	const char *file;        /* the file it is in when not the doc's (a FHIR set) */
	int line;
	const char *path;
	const char *what;
};

/* A section of the source document (CDA sections), kept even when it holds
 * narrative only, so "present with text" is not lost. */
struct doc_section {
	const char *template_id;  /* the section's templateId, or NULL */
	const char *code;         /* section code (LOINC) */
	const char *title;
	const char *text;         /* narrative, whitespace collapsed; NULL when absent */
	const struct zib_model *model; /* first zib of this section, or NULL */
	size_t nentries;          /* entries in the source */
	int line;
	const char *path;
	struct doc_section *next;
};

struct zib_doc {
	struct arena arena;
	const struct zib_ctx *ctx;
	const char *file;
	enum zib_source_format format;
	const char *source_version;   /* "zib2017", "zib2020", "BgZ 2020" ... */
	struct zib_instance *instances, *last_instance;
	size_t ninstances;
	struct unmapped *unmapped;
	size_t nunmapped, unmapped_cap;
	struct doc_section *sections, *last_section;
	size_t nsections;
	size_t malformed_lines;   /* NDJSON lines reported and left out */
};

struct zib_doc *doc_new(const zib_ctx *ctx, const char *file, enum zib_source_format format);
struct zib_instance *doc_add_instance(struct zib_doc *doc, const struct zib_model *model,
	const char *id, int line, const char *path);
/* Takes an instance the reader found empty out of the document's list (its
 * memory stays in the arena). */
void doc_unlink_instance(struct zib_doc *doc, struct zib_instance *inst);
/* Adds a value under parent (NULL: at the instance's top level). */
struct zib_value *doc_add_value(struct zib_doc *doc, struct zib_instance *inst,
	struct zib_value *parent, const struct zib_concept *concept, int line, const char *path);
/* Takes back v, the value doc_add_value just added under parent (the
 * memory stays in the arena): a reader found it held nothing. */
void doc_drop_last_value(struct zib_instance *inst, struct zib_value *parent, struct zib_value *v);
/* Keeps content the reader could not place; never drop data silently. */
int doc_add_unmapped(struct zib_doc *doc, const char *file, int line, const char *path, const char *what);
/* Appends a section (strings are copied). */
struct doc_section *doc_add_section(struct zib_doc *doc, const char *template_id,
	const char *code, const char *title, const char *text, int line, const char *path);
/* Copies s into the document's arena (NULL stays NULL). */
const char *doc_str(struct zib_doc *doc, const char *s);

#endif
