/*
 * tree: one in-memory form of a FHIR resource, built from FHIR XML or FHIR
 * JSON and written to either without loss.
 *
 * A node is one element of the resource.  Its children are kept in the
 * order the specification defines (the XML order), repeated elements next
 * to each other.  The root is the resource (name = its type).
 *
 *   FHIR_K_RESOURCE  root, contained[], Bundle.entry.resource: type is the
 *                    resource type, children its elements
 *   FHIR_K_COMPLEX   a datatype or backbone element: children
 *   FHIR_K_PRIM      value (the exact text, NULL when only id/extension),
 *                    children: an "id" attribute node and "extension"s
 *   FHIR_K_ATTR      value: Element.id or Extension.url
 *   FHIR_K_XHTML     value: the narrative div as XHTML markup
 *   FHIR_K_GENERIC   tolerant mode only: an element the table does not
 *                    know; def NULL, value (XML value="") and children
 *
 * Walking: for (c = n->children; c; c = c->next).  Everything lives in the
 * tree's arena and is released by fhir_tree_free().
 */
#ifndef ZIB_FHIR_TREE_H
#define ZIB_FHIR_TREE_H

#include "core/arena.h"
#include "fhir/defs.h"
#include "zib.h"

/* Finding codes of the FHIR format layer (man/zib-convert.1).  Never
 * renumber; retired codes stay here as comments. */
#define FHIR_CODE_MALFORMED_JSON "ZIB-FHIR-001" /* not well-formed JSON */
#define FHIR_CODE_DUP_KEY "ZIB-FHIR-002"        /* duplicate JSON property */
#define FHIR_CODE_UNKNOWN "ZIB-FHIR-003"        /* unknown element */
#define FHIR_CODE_JSON_TYPE "ZIB-FHIR-004"      /* wrong JSON type for the element */
#define FHIR_CODE_NO_RTYPE "ZIB-FHIR-005"       /* missing / unknown resourceType or resource */
#define FHIR_CODE_VALUE "ZIB-FHIR-006"          /* bad primitive value (number, boolean) */
#define FHIR_CODE_ARRAY "ZIB-FHIR-007"          /* array where one value belongs, or the reverse */
#define FHIR_CODE_XHTML "ZIB-FHIR-008"          /* narrative div is not well-formed XHTML */
#define FHIR_CODE_XML_FORM "ZIB-FHIR-009"       /* XML not in FHIR form (namespace, text, attributes) */
#define FHIR_CODE_COMMENT "ZIB-FHIR-010"        /* XML comments dropped: no JSON form (warning) */
#define FHIR_CODE_PRIM_ARRAYS "ZIB-FHIR-011"    /* name / _name arrays do not match */
#define FHIR_CODE_EMPTY "ZIB-FHIR-012"          /* empty value, object or array (warning) */
#define FHIR_CODE_NOT_FHIR "ZIB-FHIR-013"       /* neither FHIR XML nor FHIR JSON */
#define FHIR_CODE_TOO_DEEP "ZIB-FHIR-014"       /* nesting over the depth limit */
#define FHIR_CODE_SCHEMA_LOC "ZIB-FHIR-015"     /* xsi:schemaLocation dropped (warning) */

/* A node kind beside enum fhir_kind, made by tolerant parsing only. */
#define FHIR_K_GENERIC 5

/* True when n holds elements the structure table does not describe. */
#define FHIR_NODE_IS_GENERIC(n) ((n)->kind == FHIR_K_GENERIC || \
	((n)->kind == FHIR_K_RESOURCE && !(n)->type))

/* Nesting limit for JSON and XML (objects/elements). */
#define FHIR_MAX_DEPTH 256

struct fhir_node {
	const char *name;
	const struct fhir_elem *def;     /* NULL for the root */
	const struct fhir_type *type;    /* complex or resource type; else NULL */
	const char *value;               /* see above */
	size_t value_len;
	struct fhir_node *parent;
	struct fhir_node *children;
	struct fhir_node *last;
	struct fhir_node *next;
	int order;                       /* position of def in the parent's type */
	/* 1 + the position among the siblings of the same def, or 0 when
	 * not known (fhir_node_path then counts them): paths of the entries
	 * of a long Bundle without a walk of the list for each. */
	int same_index;
	int kind;                        /* enum fhir_kind */
	int used;                        /* zib reader: content read */
	int line;
	int column;
};

struct zib_fhir {
	struct arena arena;
	const struct fhir_defs *defs;
	struct fhir_node *root;
	/* Where a primitive's id and extension are looked up: the first
	 * rows of Extension (id, extension) are those of Element. */
	const struct fhir_type *prim_type;
	const char *file;
	size_t src_len;                  /* bytes read, to size the output */
	zib_source_format format;
	int comments;                    /* XML comments seen (and dropped) */
};

struct fhir_tree_src {
	const char *file;
	/* Tolerant mode (the zib reader): elements the R4 table does not know
	 * (STU3 documents) become FHIR_K_GENERIC nodes holding their name,
	 * value and children instead of ZIB_FHIR_003 errors; a resource type
	 * R4 does not know becomes a FHIR_K_RESOURCE node without type whose
	 * value is the type name.  Conversion warnings are not reported.
	 * Strict mode (0, convert) is unchanged. */
	int tolerant;
	int first_line;                  /* line of data[0] in the file */
	zib_report *report;
	int errors;
};

/* The first character of a document after a UTF-8 BOM and white space
 * ('<' FHIR XML, '{' FHIR JSON), 0 when there is none. */
int fhir_first_char(const char *data, size_t len);
/* Reports a document that starts with c (fhir_first_char) as no FHIR
 * XML or JSON; returns ZIB_EPARSE. */
int fhir_not_fhir(struct fhir_tree_src *src, int c, const char *file, zib_error *err);

/* A new empty tree for a document of src_len bytes from file, its
 * elements known from defs (NULL: R4), and src set up to read into it;
 * NULL when out of memory. */
struct zib_fhir *fhir_tree_new(struct fhir_tree_src *src, const struct fhir_defs *defs,
	const char *file, size_t src_len, int first_line, int tolerant, zib_report *report);

/* A new node of kind under parent (appended in specification order). */
/* The child of parent that already holds another type of def's choice
 * element ("deceasedBoolean" when def is deceasedDateTime), or NULL: a
 * choice element [x] has one value. */
const struct fhir_node *fhir_node_choice_taken(const struct fhir_node *parent,
	const struct fhir_elem *def);
/* The first child of parent for def, or NULL. */
const struct fhir_node *fhir_node_child(const struct fhir_node *parent,
	const struct fhir_elem *def);
struct fhir_node *fhir_node_add(struct zib_fhir *t, struct fhir_node *parent,
	const struct fhir_elem *def, int line, int column);

/* Unlinks n if it holds nothing, then each parent so left empty, up to a
 * resource: what a writer made for a value it could not place. */
void fhir_node_prune(struct fhir_node *n);

/* The FHIRPath of a node: Observation.component[1].valueQuantity.value,
 * written into buf. */
const char *fhir_node_path(const struct fhir_node *n, char *buf, size_t size);

/* Is profile path path ("Encounter.participant.type") beside group_path
 * ("Encounter.participant.individual"): an element besides the type in
 * common (by name, slices aside), then each its own?  Returns how many
 * levels to climb from a node of group_path to the element in common, with
 * *rest set to what follows it in path; 0 when not beside. */
size_t fhir_path_beside(const char *path, const char *group_path, const char **rest);

/* Adds an error (or, with sev, another severity) to the source's report. */
void fhir_diag(struct fhir_tree_src *src, zib_severity sev, const char *code, int line,
	int column, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Checks a primitive's text against its JSON kind (numbers, booleans);
 * returns a message when it does not fit, else NULL. */
const char *fhir_check_prim(const struct fhir_elem *def, const char *s, size_t len);

/* zib_fhir_parse_part with the tolerant flag (see struct fhir_tree_src). */
int fhir_parse(struct zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, int tolerant, zib_report *report, zib_error *err);

/* fhir_parse with the element table defs (NULL: R4) that keeps the tree
 * when the document has structure errors, so that conformance rules still
 * run on what could be placed; *out is NULL only when nothing could be
 * read (not XML or JSON, out of memory), and then the error is returned. */
int fhir_parse_keep(struct zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, const struct fhir_defs *defs, int tolerant, zib_report *report,
	zib_error *err);

/* The resource type of a resource node (also of a generic one). */
const char *fhir_resource_name(const struct fhir_node *n);

/* Readers (fhir/xml_read.c, fhir/json_read.c): fill t->root or report
 * why not; return 0 or ZIB_EPARSE. */
int fhir_read_xml(struct zib_fhir *t, const char *data, size_t len,
	struct fhir_tree_src *src, zib_error *err);
int fhir_read_json(struct zib_fhir *t, const char *data, size_t len,
	struct fhir_tree_src *src, zib_error *err);
/* The same in two steps: parse (an xmlDoc from core/xml's
 * xml_parse_columns; a JSON value tree in arena a, reported when
 * malformed), then build the tree from what was parsed, as often as
 * needed.  Strings of a JSON-built tree point into a: keep it longer. */
int fhir_read_xml_doc(struct zib_fhir *t, const void *xml_doc, struct fhir_tree_src *src,
	zib_error *err);
int fhir_parse_json_value(void **out, struct arena *a, const char *data, size_t len,
	struct fhir_tree_src *src, zib_error *err);
int fhir_read_json_value(struct zib_fhir *t, const void *value, struct fhir_tree_src *src,
	zib_error *err);

/*
 * A document parsed once for several trees (raw.c): `zib validate` builds
 * the zib reader's tolerant tree and the validator's strict tree from it.
 * data must outlive it, and it must outlive the trees built from it.
 */
struct fhir_raw {
	int kind;                        /* '<' XML, '{' JSON, else neither */
	void *xml;                       /* xmlDoc */
	void *json;                      /* the JSON value tree, in arena */
	struct arena arena;
	const char *data;
	size_t len;
	int first_line;
	int failed;                      /* malformed: reported by fhir_raw_parse */
};

/* Parses data (findings of malformed input into report).  0 also when
 * malformed (raw->failed); ZIB_ENOMEM. */
int fhir_raw_parse(struct fhir_raw *raw, const char *data, size_t len, const char *file,
	int first_line, zib_report *report, zib_error *err);
/* A tree from raw as fhir_parse makes one (tolerant or strict).  keep: a
 * strict tree with errors is kept (the validator checks what could be
 * placed); without it errors fail with ZIB_EPARSE as fhir_parse does. */
int fhir_build(struct zib_fhir **out, const struct fhir_raw *raw, const char *file, int tolerant,
	int keep, zib_report *report, zib_error *err);
void fhir_raw_release(struct fhir_raw *raw);

#endif
