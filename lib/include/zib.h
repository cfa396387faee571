/*
 * zib.h: the public interface of libzib, a toolkit for Dutch zibs
 * (zorginformatiebouwstenen) and the BgZ in HL7 CDA and HL7 FHIR.
 *
 * This is the only public header; anything not declared here is internal.
 *
 * Ownership, once for the whole API: a pointer returned by a function is
 * borrowed from the object it came from and lives as long as that object;
 * a result written through a `**out` parameter belongs to the caller, who
 * releases it with the matching zib_*_free().  Every zib_*_free() accepts
 * NULL.  Functions that can fail return a zib_status (0 or negative) and,
 * when given a zib_error, fill it in; they never print and never exit.
 */
#ifndef ZIB_H
#define ZIB_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define ZIB_VERSION_MAJOR 0
#define ZIB_VERSION_MINOR 1
#define ZIB_VERSION_PATCH 0
#define ZIB_VERSION_NUMBER \
	((ZIB_VERSION_MAJOR << 16) | (ZIB_VERSION_MINOR << 8) | ZIB_VERSION_PATCH)

/* The library's version, "MAJOR.MINOR.PATCH", and as ZIB_VERSION_NUMBER. */
const char *zib_version(void);
int zib_version_number(void);

/* ---- Errors (API failures) ---------------------------------------------- */

/* Status codes.  Never renumbered; retired codes stay as comments. */
typedef enum zib_status {
	ZIB_OK = 0,
	ZIB_ERROR = -1,     /* any failure without a more specific code */
	ZIB_ENOMEM = -2,    /* out of memory */
	ZIB_EIO = -3,       /* a file could not be opened, read or written */
	ZIB_EPARSE = -4,    /* input is not well-formed (XML, JSON, TSV) */
	ZIB_ENOTFOUND = -5, /* no such zib, concept, file, ... */
	ZIB_EINVAL = -6,    /* invalid argument */
	ZIB_ETOOBIG = -7,   /* input over the size limit */
	ZIB_EEXIST = -8     /* output exists and overwriting was not asked */
} zib_status;

/* Filled in by a failing call; left untouched by a succeeding one. */
typedef struct zib_error {
	int status;         /* a zib_status */
	char message[512];  /* lowercase, no final full stop, names the file */
} zib_error;

/* Resets err to "no error". */
void zib_error_clear(zib_error *err);

/* ---- Context and zib models -------------------------------------------- */

/*
 * A zib_ctx holds what lives for the whole process: the loaded zib models
 * and value sets.  It is read-only once created and may be shared by threads.
 */
typedef struct zib_ctx zib_ctx;
typedef struct zib_model zib_model;       /* one zib, e.g. AlcoholGebruik */
typedef struct zib_concept zib_concept;   /* one concept, e.g. NL-CM:4.2.2 */
typedef struct zib_valueset zib_valueset; /* an enumerable value set */

/*
 * Creates a context.  models_dir NULL means: the ZIB_MODELS environment
 * variable when set, else the model set compiled into the library.  A
 * broken model file fails with ZIB_EPARSE and a message naming file:line.
 */
int zib_ctx_new(zib_ctx **out, const char *models_dir, zib_error *err);
void zib_ctx_free(zib_ctx *ctx);

/* The model set's version line, e.g. "bgz2020-zib2020 2026-11-22". */
const char *zib_ctx_models_version(const zib_ctx *ctx);
/* Where the models came from: "built-in" or the directory. */
const char *zib_ctx_models_source(const zib_ctx *ctx);

/* The zibs in BgZ order: the 26 BgZ zibs first, then the related ones. */
size_t zib_model_count(const zib_ctx *ctx);
const zib_model *zib_model_at(const zib_ctx *ctx, size_t index);
/* By Dutch or English name, case-insensitive; NULL when unknown. */
const zib_model *zib_model_find(const zib_ctx *ctx, const char *name);

/* "1".."26" for BgZ zibs, "R1".. for related zibs. */
const char *zib_model_number(const zib_model *m);
int zib_model_is_bgz(const zib_model *m);
const char *zib_model_section(const zib_model *m);
const char *zib_model_name_nl(const zib_model *m);
const char *zib_model_name_en(const zib_model *m);
const char *zib_model_root_concept(const zib_model *m);
/* zib version, e.g. "nl.zorg.AlcoholGebruik v3.2" */
const char *zib_model_version(const zib_model *m);
const char *zib_model_fhir_r4_resource(const zib_model *m);
/* Space-separated canonical URLs / OIDs; "" when none.  The profile urls
 * of release ("zib2020", "zib2017", or a FHIR version: "4.0.1", "3.0");
 * NULL for an unknown release. */
const char *zib_model_fhir_profiles(const zib_model *m, const char *release);
const char *zib_model_cda_templates(const zib_model *m);
/* Deprecated: zib_model_fhir_profiles(m, "zib2020") / (m, "zib2017"). */
const char *zib_model_fhir_r4_profiles(const zib_model *m);
const char *zib_model_fhir_stu3_profiles(const zib_model *m);

/* Concepts in model order (depth first, parents before children). */
size_t zib_model_concept_count(const zib_model *m);
const zib_concept *zib_model_concept_at(const zib_model *m, size_t index);
/* By NL-CM id within one zib; NULL when unknown. */
const zib_concept *zib_model_concept_find(const zib_model *m, const char *id);
/* By NL-CM id across all zibs (first match in BgZ order). */
const zib_concept *zib_concept_find(const zib_ctx *ctx, const char *id);

const char *zib_concept_id(const zib_concept *c);
const char *zib_concept_parent_id(const zib_concept *c); /* "" for the root */
const zib_model *zib_concept_model(const zib_concept *c);
int zib_concept_depth(const zib_concept *c);             /* root is 0 */
const char *zib_concept_name_nl(const zib_concept *c);
const char *zib_concept_name_en(const zib_concept *c);
/* Zib datatype: CD ST TS PQ II BL INT CO ED ANY, or GROUP for a container. */
const char *zib_concept_datatype(const zib_concept *c);
int zib_concept_min(const zib_concept *c);
int zib_concept_max(const zib_concept *c);               /* -1 is "*" */
/* Bound value set OIDs, space-separated; "" when none. */
const char *zib_concept_valuesets(const zib_concept *c);
/* The element paths of release (as zib_model_fhir_profiles names it) in
 * the models' own column of that release: "" where the release lists none
 * (zib2017 then reads and writes by zib2020's); NULL for an unknown one. */
const char *zib_concept_fhir(const zib_concept *c, const char *release);
const char *zib_concept_cda_template(const zib_concept *c);
const char *zib_concept_cda_xpath(const zib_concept *c);
/* Deprecated: zib_concept_fhir(c, "zib2020") / (c, "zib2017"). */
const char *zib_concept_fhir_r4(const zib_concept *c);
const char *zib_concept_fhir_stu3(const zib_concept *c);

/* The releases libzib reads and writes, newest first: "zib2020" (FHIR
 * 4.0.1), "zib2017" (FHIR 3.0.2).  zib_release_id is NULL past the end;
 * zib_release_fhir_version is NULL for an unknown release. */
size_t zib_release_count(void);
const char *zib_release_id(size_t index);
const char *zib_release_fhir_version(const char *release);

/* Value sets by OID; NULL when the set is unknown or not enumerable. */
const zib_valueset *zib_valueset_find(const zib_ctx *ctx, const char *oid);
const char *zib_valueset_oid(const zib_valueset *vs);
const char *zib_valueset_name(const zib_valueset *vs);
size_t zib_valueset_code_count(const zib_valueset *vs);
/* The index-th code; system is an OID, display may be "". */
void zib_valueset_code_at(const zib_valueset *vs, size_t index,
	const char **code, const char **system, const char **display);
/* 1 when system (an OID or urn:oid:OID) + code are in the set. */
int zib_valueset_contains(const zib_valueset *vs, const char *system, const char *code);

/* Code system identities: OID -> FHIR R4 URI and URI -> OID ("urn:oid:X"
 * gives X); NULL when the model set does not know the system. */
const char *zib_codesystem_uri(const zib_ctx *ctx, const char *oid);
const char *zib_codesystem_oid(const zib_ctx *ctx, const char *uri);

/* ---- Diagnostics (findings about a document) ---------------------------- */

typedef enum zib_severity {
	ZIB_SEV_INFO = 0,
	ZIB_SEV_WARNING = 1,
	ZIB_SEV_ERROR = 2
} zib_severity;

/*
 * One finding.  Strings may be NULL when unknown; line and column are 0
 * when unknown.  path is an XPath for XML sources and a FHIRPath for FHIR.
 */
typedef struct zib_diag {
	zib_severity severity;
	const char *code;      /* stable, e.g. "ZIB-CARD-001" */
	const char *file;
	int line;
	int column;
	const char *path;
	const char *zib;       /* e.g. "AlcoholUse" */
	const char *concept;   /* e.g. "NL-CM:4.2.2" */
	const char *message;   /* one line, lowercase first word */
	const char *expected;
	const char *actual;
} zib_diag;

/* An ordered list of findings for one document. */
typedef struct zib_report zib_report;

int zib_report_new(zib_report **out);
void zib_report_free(zib_report *r);
/* Copies d (and its strings) into the report. */
int zib_report_add(zib_report *r, const zib_diag *d);
/* Like zib_report_add, with the message formatted from fmt. */
int zib_report_addf(zib_report *r, const zib_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t zib_report_count(const zib_report *r);
const zib_diag *zib_report_at(const zib_report *r, size_t index);
/* Number of findings of exactly this severity. */
size_t zib_report_count_severity(const zib_report *r, zib_severity sev);
/* Worst severity present, or -1 when the report is empty. */
int zib_report_worst(const zib_report *r);

/* Writes d as one compiler-style line: FILE:LINE:COL: LEVEL[CODE] msg */
void zib_diag_write_text(FILE *out, const zib_diag *d, int color);
const char *zib_severity_name(zib_severity sev);

/* ---- Documents read into zibs ------------------------------------------- */

/*
 * A zib_doc is one input document read into zib instances (the patient, a
 * problem, a blood pressure, ...), each a tree of values keyed by concept,
 * with the source location of every value.  Content the reader could not
 * place is listed as unmapped, never dropped silently.
 */
typedef struct zib_doc zib_doc;
typedef struct zib_instance zib_instance;
typedef struct zib_value zib_value;

typedef enum zib_source_format {
	ZIB_FORMAT_UNKNOWN = 0,
	ZIB_FORMAT_CDA = 1,        /* HL7 CDA R2 XML */
	ZIB_FORMAT_FHIR_XML = 2,
	ZIB_FORMAT_FHIR_JSON = 3,
	ZIB_FORMAT_ADA = 4         /* ART-DECOR ADA instance XML */
} zib_source_format;

/* The zib datatypes of a value; GROUP for a container or a reference. */
typedef enum zib_value_type {
	ZIB_VALUE_GROUP = 0,
	ZIB_VALUE_CD, ZIB_VALUE_CO, ZIB_VALUE_ST, ZIB_VALUE_TS, ZIB_VALUE_PQ,
	ZIB_VALUE_II, ZIB_VALUE_BL, ZIB_VALUE_INT, ZIB_VALUE_ED, ZIB_VALUE_ANY
} zib_value_type;

/* Guesses the format of a document from its first bytes and root element. */
zib_source_format zib_sniff_format(const char *data, size_t len);
/* 1 when data is NDJSON: the first non-blank line is one JSON object and
 * more lines follow (the rule every reader and command uses). */
int zib_sniff_ndjson(const char *data, size_t len);
const char *zib_source_format_name(zib_source_format f);

void zib_doc_free(zib_doc *doc);
const char *zib_doc_file(const zib_doc *doc);
zib_source_format zib_doc_format(const zib_doc *doc);
size_t zib_doc_instance_count(const zib_doc *doc);
const zib_instance *zib_doc_instance_at(const zib_doc *doc, size_t index);
size_t zib_doc_unmapped_count(const zib_doc *doc);
/* NDJSON lines that did not parse: each is a finding in the read's report
 * (with its line number) and is left out; the other lines are read.  A
 * command reading such a document exits 1. */
size_t zib_doc_malformed_lines(const zib_doc *doc);
/* The index-th piece of content the reader could not place. */
void zib_doc_unmapped_at(const zib_doc *doc, size_t index, int *line,
	const char **path, const char **what);
/* The file the index-th unplaced content is in: the document's, or, for a
 * FHIR set read as one document, the file of its resource. */
const char *zib_doc_unmapped_file(const zib_doc *doc, size_t index);

const zib_model *zib_instance_model(const zib_instance *inst);
const char *zib_instance_id(const zib_instance *inst);
int zib_instance_line(const zib_instance *inst);
const char *zib_instance_path(const zib_instance *inst);
/* The first top-level value; walk with zib_value_next/zib_value_children. */
const zib_value *zib_instance_values(const zib_instance *inst);

const zib_value *zib_value_next(const zib_value *v);
const zib_value *zib_value_children(const zib_value *v);
const zib_concept *zib_value_concept(const zib_value *v);
zib_value_type zib_value_get_type(const zib_value *v);
/* Fields by type; NULL when not set (see lib/model/doc.h for which). */
const char *zib_value_code(const zib_value *v);
const char *zib_value_system(const zib_value *v);
const char *zib_value_display(const zib_value *v);
const char *zib_value_text(const zib_value *v);
const char *zib_value_number(const zib_value *v);
const char *zib_value_unit(const zib_value *v);
/* A rate's denominator as a UCUM term ("d", "2.d"); NULL when no rate. */
const char *zib_value_per(const zib_value *v);
const char *zib_value_null_flavor(const zib_value *v);
const char *zib_value_ref(const zib_value *v);
const zib_instance *zib_value_target(const zib_value *v);
int zib_value_line(const zib_value *v);
const char *zib_value_path(const zib_value *v);
/* The value as people read it ("2947-0 (2.16.840.1.113883.6.1) \"Natrium\"",
 * "138 mmol/l", "-> Patient/1 (Patient)", "(group)"), as zib diff shows
 * it; snprintf-like: the length it needs, out always terminated. */
int zib_value_format(char *out, size_t size, const zib_value *v);

/*
 * Writes the document as an indented tree of instances and values, one per
 * line (the debug form, also the golden output of the reader tests).
 */
void zib_doc_write_tree(FILE *out, const zib_doc *doc, int with_locations);

/* ---- Schematron ---------------------------------------------------------- */

/*
 * An ISO Schematron rule set (queryBinding "xslt2", as ART-DECOR publishes
 * them) compiled by libzib's own XPath 2.0 engine: no Java, no XSLT.
 * Compile once; the compiled set is read-only and may be run by many
 * threads at once.  doc() reads local files only, relative to the rule
 * file, each parsed once at compile time.
 */
typedef struct zib_schematron zib_schematron;

/* Finding codes of the engine itself (the rules' own findings are coded
 * "SCH-" + the assert's id, or "SCH-" + a stable hash of rule and test). */
#define ZIB_SCH_CODE_EVAL "ZIB-SCH-001"   /* a test could not be evaluated */

/*
 * Compiles the rule file at path with its includes.  phase NULL means the
 * schema's defaultPhase (all patterns when it has none); "#ALL" all
 * patterns.  A rule file that is not usable (unknown function, bad XPath,
 * missing include) fails with ZIB_EPARSE and a message naming file:line.
 */
int zib_schematron_compile(zib_schematron **out, const char *path, const char *phase,
	zib_error *err);
void zib_schematron_free(zib_schematron *sch);

/* Counts, for statistics: patterns, rules (non-abstract), asserts and
 * reports (after abstract rules are expanded), files read. */
size_t zib_schematron_pattern_count(const zib_schematron *sch);
size_t zib_schematron_rule_count(const zib_schematron *sch);
size_t zib_schematron_assert_count(const zib_schematron *sch);
const char *zib_schematron_title(const zib_schematron *sch);

/*
 * Validates one document (data, len; file names it in findings).  Failed
 * asserts and successful reports are added to report: severity from the
 * role (fatal/error -> error, warning/warn -> warning, info/information/
 * hint -> info; none -> error), the code, the message with value-of and
 * name filled in, the line and the XPath of the node.  When svrl is not
 * NULL it receives the SVRL output (free() it).  A document that is not
 * well-formed is a finding and returns ZIB_EPARSE.  *failed (optional)
 * receives the number of failed asserts plus successful reports.
 */
int zib_schematron_run(const zib_schematron *sch, const char *data, size_t len,
	const char *file, zib_report *report, char **svrl, size_t *failed, zib_error *err);

/* ---- ART-DECOR runtime packages ---------------------------------------- */

/*
 * An ART-DECOR runtime package folder: its schemas/ (the CDA XSD) and its
 * runtime folder (DIR itself or the one subfolder holding *.sch files),
 * with one Schematron rule file per transaction and, optionally, the
 * *-instance2schematron.xml map from a document's root element and
 * templateIds to its rule file.  Rule files are compiled on first use,
 * once, and shared by threads; a package is otherwise read-only.
 */
typedef struct zib_package zib_package;

/* Finding code: no rule file of the package applies to a document. */
#define ZIB_SCH_CODE_NO_RULES "ZIB-SCH-002"

/* Opens dir; ZIB_ENOTFOUND when it holds no rule files, ZIB_EINVAL when
 * several subfolders do. */
int zib_package_open(zib_package **out, const char *dir, zib_error *err);
void zib_package_free(zib_package *pkg);
/* DIR/schemas/CDANL_extended.xsd, or NULL when the package has none. */
const char *zib_package_schema_path(const zib_package *pkg);
const char *zib_package_runtime_dir(const zib_package *pkg);
/* The rule files (*.sch in the runtime folder, sorted), each with its
 * short transaction name: the part of its file name the others lack
 * ("createUpdate" for bgz2020-BasicHealthDataSet-createUpdate-2020.sch). */
size_t zib_package_rule_file_count(const zib_package *pkg);
const char *zib_package_rule_file_at(const zib_package *pkg, size_t index);
const char *zib_package_transaction_at(const zib_package *pkg, size_t index);

/*
 * Chooses the rule file for every document: transaction is a short name,
 * a file name (with or without .sch), or a transaction id or name from
 * the instance2schematron map, compared without case.  NULL means: per
 * document by the map (or the only rule file).  Fails with ZIB_ENOTFOUND
 * (unknown) or ZIB_EINVAL (ambiguous, or NULL without a map and with
 * several rule files); the message lists the choices.
 */
int zib_package_select(zib_package *pkg, const char *transaction, zib_error *err);
/* The chosen rule file's index, or -1 when chosen per document. */
long zib_package_selected(const zib_package *pkg);
/* Compiles the rule file at index now (compile errors surface early). */
int zib_package_compile(zib_package *pkg, size_t index, const zib_schematron **out,
	zib_error *err);

/* ---- FHIR format layer ------------------------------------------------- */

/*
 * A zib_fhir is one FHIR resource (a Bundle, a Patient, ...) read from FHIR
 * XML or FHIR JSON into one element tree, following the R4 rules of both
 * forms, and written back to either without loss (comments aside: XML
 * comments have no JSON form and are dropped with a warning).  Reading and
 * writing never pass through zibs.
 */
typedef struct zib_fhir zib_fhir;

/*
 * Reads data (XML or JSON, told apart by the first character) into *out.
 * Problems with the document (malformed, unknown elements, wrong JSON
 * types, duplicate keys) are findings in report (when given), with
 * file:line:column and FHIRPath; then the call fails with ZIB_EPARSE and
 * *out is NULL.  Warnings alone do not fail it.
 */
int zib_fhir_parse(zib_fhir **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err);
/* The same for a piece of a larger file that starts at line first_line
 * (one line of NDJSON), so findings carry the file's line numbers. */
int zib_fhir_parse_part(zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, zib_report *report, zib_error *err);
void zib_fhir_free(zib_fhir *f);

/* ZIB_FORMAT_FHIR_XML or ZIB_FORMAT_FHIR_JSON: what f was read from. */
zib_source_format zib_fhir_format(const zib_fhir *f);
/* The resource type of the root, e.g. "Bundle". */
const char *zib_fhir_resource_type(const zib_fhir *f);
/* The FHIR version of the structure table used, e.g. "4.0.1". */
const char *zib_fhir_version(const zib_fhir *f);

/*
 * FHIRPath (N1 with the FHIR R4 additions) on a zib_fhir.  An expression
 * is compiled once and may be evaluated on many documents, from several
 * threads at once.
 */
typedef struct zib_fhirpath zib_fhirpath;

/* Compiles expr; on a syntax error, an unknown function or a wrong number
 * of arguments fails with ZIB_EINVAL and a message starting "LINE:COLUMN: ". */
int zib_fhirpath_compile(zib_fhirpath **out, const char *expr, zib_error *err);
void zib_fhirpath_free(zib_fhirpath *p);

/* One value of a result: its type ("string", "HumanName", "integer"), its
 * text (NULL for a complex element), and for an element of the document
 * its FHIRPath location and source line and column (else NULL and 0). */
typedef struct zib_fhirpath_value {
	const char *type;
	const char *text;
	const char *path;
	int line;
	int column;
} zib_fhirpath_value;

/* Option flags of zib_fhirpath_eval. */
#define ZIB_FHIRPATH_STRICT 1  /* a name the element's type lacks is an error */

/*
 * Evaluates p with the root resource of f as context and calls fn once per
 * value of the result, in order (the value is valid during the call only;
 * a non-zero return from fn stops the walk).  An evaluation error (a
 * collection where one item is needed, types that do not compare, an
 * unknown type or variable) fails with ZIB_EINVAL and "LINE:COLUMN: ...".
 * memberOf() and conformsTo() of profiles other than the core ones are
 * errors here: they need a validator's terminology and profiles.
 */
int zib_fhirpath_eval(const zib_fhirpath *p, const zib_fhir *f, int flags,
	int (*fn)(void *user, const zib_fhirpath_value *v), void *user, zib_error *err);

/* Writer flags. */
#define ZIB_FHIR_PRETTY 1   /* indented (2 spaces), one element per line */

/*
 * Writes f as FHIR JSON / FHIR XML into a malloc'd NUL-terminated buffer
 * (*out, *len; the caller frees it with free()).  The output ends with a
 * newline.  The same tree always gives the same bytes.
 */
int zib_fhir_write_json(char **out, size_t *len, const zib_fhir *f, int flags,
	zib_error *err);
int zib_fhir_write_xml(char **out, size_t *len, const zib_fhir *f, int flags,
	zib_error *err);
/* ---- Diff ---------------------------------------------------------------- */

/*
 * Compares two sets of documents (each side a list of zib_docs, e.g. all
 * documents of a directory) zib by zib.  Instances are matched by zib and
 * identity, not by position or resource id: business identifiers (the II
 * values of the instance) first, else a key of its identifying values (the
 * mandatory codes and the dates), else the instance of the same zib that
 * shares most values.  Values are compared by meaning: codes by system and
 * code (not display), timestamps by instant and precision, quantities by
 * value and UCUM unit (70 kg equals 70000 g), strings exactly.  Resource
 * ids, meta and narrative never reach zib_doc, so they never differ.
 */
typedef struct zib_diff zib_diff;

typedef enum zib_diff_kind {
	ZIB_DIFF_ONLY_A = 1,   /* an instance only in A */
	ZIB_DIFF_ONLY_B = 2,   /* an instance only in B */
	ZIB_DIFF_CHANGED = 3   /* a concept of a matched instance differs */
} zib_diff_kind;

/* One difference.  For CHANGED, a or b is NULL when the value is on one side only. */
typedef struct zib_diff_item {
	zib_diff_kind kind;
	const zib_model *zib;
	const char *key;            /* the identity the instances were matched by */
	const zib_instance *a_instance, *b_instance;
	const char *a_file, *b_file;
	const zib_concept *concept; /* CHANGED: the concept that differs */
	const char *concept_path;   /* CHANGED: Dutch names below the root, "/"-joined */
	const zib_value *a, *b;
	const char *a_text, *b_text; /* the values as a person reads them */
	const char *note;           /* e.g. "precision differs"; NULL when none */
} zib_diff_item;

typedef struct zib_diff_options {
	unsigned version;              /* ZIB_DIFF_OPTIONS_VERSION */
	const char *const *ignore;     /* NL-CM ids (with their subtree) or zib names */
	size_t nignore;
	const char *const *only;       /* zib names; none means all */
	size_t nonly;
} zib_diff_options;

#define ZIB_DIFF_OPTIONS_VERSION 1
#define ZIB_DIFF_OPTIONS_INIT { ZIB_DIFF_OPTIONS_VERSION, NULL, 0, NULL, 0 }

/*
 * Compares side A (na documents) with side B.  opts may be NULL.  An
 * unknown zib name or concept id in opts fails with ZIB_EINVAL.  The
 * result borrows from the documents: free it before them.
 */
int zib_diff_docs(zib_diff **out, const zib_ctx *ctx, const zib_doc *const *a, size_t na,
	const zib_doc *const *b, size_t nb, const zib_diff_options *opts, zib_error *err);
void zib_diff_free(zib_diff *diff);
/* Differences grouped by zib in BgZ order, then in document order. */
size_t zib_diff_count(const zib_diff *diff);
const zib_diff_item *zib_diff_at(const zib_diff *diff, size_t index);
/* Instances compared on each side, and matched pairs. */
size_t zib_diff_instances_a(const zib_diff *diff);
size_t zib_diff_instances_b(const zib_diff *diff);
size_t zib_diff_matched(const zib_diff *diff);

/* ---- Extract ------------------------------------------------------------- */

/*
 * A selection of zib instances and concepts: by zib (Dutch or English
 * names), by BgZ section and by concept (an NL-CM id selects that concept
 * and what is below it).  Lists are comma-separated; NULL or "" selects all.
 */
typedef struct zib_selection zib_selection;

int zib_selection_new(zib_selection **out, const zib_ctx *ctx, const char *zibs,
	const char *sections, const char *concepts, zib_error *err);
void zib_selection_free(zib_selection *sel);
int zib_selection_has_instance(const zib_selection *sel, const zib_instance *inst);

/*
 * CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled).  One row per selected instance, one column per
 * selected concept in model order after file, zib, id and line; nested
 * concepts are named by their Dutch names joined with '.' (prefixed with
 * the zib when several zibs are selected); repeated values are joined with
 * " | ".  The header depends on the selection only, never on the data.
 */
void zib_extract_csv_header(FILE *out, const zib_selection *sel);
void zib_extract_csv_rows(FILE *out, const zib_doc *doc, const zib_selection *sel);
/* The same content as a readable listing: each instance, then its values. */
void zib_extract_text(FILE *out, const zib_doc *doc, const zib_selection *sel);
/* The selected instances as JSON, one object per line: file, zib, id,
 * line and "values" (concept, name, and by datatype code/system/display,
 * value/unit, an ISO 8601 value with "as_written", ref or nullFlavor). */
void zib_extract_ndjson(FILE *out, const zib_doc *doc, const zib_selection *sel);

/*
 * Counts an instance's zib-level errors (a validator provides it); -1 when
 * unknown.  With no counter the summary shows "-".
 */
typedef int (*zib_error_counter)(const zib_instance *inst, void *data);

/*
 * The BgZ completeness summary of one document: the 26 BgZ zibs in BgZ
 * order with section, instances found and instances with zib-level errors,
 * then the related zibs found.  json writes one JSON object on one line.
 */
void zib_summary_write(FILE *out, const zib_doc *doc, int json, zib_error_counter count,
	void *data);

/* ---- Files --------------------------------------------------------------- */

/* Default size limit for one input document. */
#define ZIB_DEFAULT_MAX_SIZE ((size_t)256 << 20)

/*
 * Reads a whole file ("-" is standard input) into a NUL-terminated buffer
 * the caller frees with free().  Fails with ZIB_ETOOBIG over max_size.
 */
int zib_read_file(char **out, size_t *len, const char *path, size_t max_size,
	zib_error *err);

/*
 * Writes data to path atomically: a temporary file beside it, then rename.
 * Without force an existing path fails with ZIB_EEXIST and is left alone.
 */
int zib_write_file_atomic(const char *path, const void *data, size_t len,
	int force, zib_error *err);

/*
 * The same for output written piece by piece (NDJSON of many inputs):
 * zib_atomic_stream is a temporary file beside path; zib_atomic_commit
 * closes it and puts it at path (freeing f), zib_atomic_abort removes it.
 */
typedef struct zib_atomic_file zib_atomic_file;
int zib_atomic_open(zib_atomic_file **out, const char *path, int force, zib_error *err);
FILE *zib_atomic_stream(zib_atomic_file *f);
int zib_atomic_commit(zib_atomic_file *f, zib_error *err);
void zib_atomic_abort(zib_atomic_file *f);

/*
 * Unlinks the temporary files of the zib_write_file_atomic and
 * zib_atomic_open calls under way.  Async-signal-safe: a program calls it from its SIGINT and SIGTERM
 * handlers so an interrupted write leaves no *.tmp-XXXXXX file behind.
 */
void zib_remove_temp_files(void);

/* ---- Reading and validating documents (CDA, FHIR, ADA) ----------------- */

/* Sections of the source document (CDA sections), narrative-only included. */
size_t zib_doc_section_count(const zib_doc *doc);
void zib_doc_section_at(const zib_doc *doc, size_t index, const char **template_id,
	const char **title, int *has_text, size_t *entries, int *line);

/*
 * Reads a document (format sniffed: HL7 CDA of the BgZ 2020, FHIR XML,
 * JSON or NDJSON, ADA instance XML) into *out.  A document that is not
 * well-formed, of a format this build cannot read (ZIB-DOC-001), or no
 * document at all (XML of none of these formats), is a finding in report
 * and fails with ZIB_EPARSE; on success *out is never NULL.  Findings
 * about the document's identity and sections also go to report.
 */
int zib_doc_read(zib_doc **out, const zib_ctx *ctx, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err);

/* ---- Writing zibs as CDA ---- */

/*
 * Writes a document read into zibs (from CDA, FHIR or ADA) as a BgZ 2020
 * CDA document (template 2.16.840.1.113883.2.4.3.11.60.126.10.1): the
 * header from Patient, Zorgverlener/Zorgaanbieder and Contactpersoon, one
 * section per BgZ section with a narrative table of its zibs, and entries
 * for the zibs that have a CDA entry template.  Whatever the target cannot
 * carry as data (narrative only, no place, unmapped source content) is a
 * finding ZIB-CDAW-0xx in report: a warning, or an error when strict.
 * The same document gives the same bytes: the document id is derived from
 * the content, the effectiveTime is the latest date in the data, unless
 * given.  *out (NUL-terminated, free() it) holds len bytes.
 */
typedef struct zib_cda_write_options {
	int version;                 /* ZIB_CDA_WRITE_OPTIONS_VERSION */
	int strict;                  /* losses are errors instead of warnings */
	const char *effective_time;  /* document effectiveTime (TS), or NULL */
	const char *document_id;     /* document id root (OID or UUID), or NULL */
} zib_cda_write_options;
#define ZIB_CDA_WRITE_OPTIONS_VERSION 1
#define ZIB_CDA_WRITE_OPTIONS_INIT { ZIB_CDA_WRITE_OPTIONS_VERSION, 0, NULL, NULL }

int zib_doc_write_cda(char **out, size_t *len, const zib_doc *doc, const zib_cda_write_options *opts,
	zib_report *report, zib_error *err);

/* ---- FHIR zib reader ---- */

/*
 * Reads several documents (FHIR XML or JSON: resources, Bundles of any
 * type) into one zib_doc called name, so that references between them
 * resolve: a directory of resource files, the pieces of a BgZ answer.
 * (zib_doc_read reads one FHIR document, or NDJSON, the same way.)  A
 * document that does not parse is a finding in report and is left out.
 */
int zib_doc_read_many(zib_doc **out, const zib_ctx *ctx, const char *name, size_t count,
	const char *const *files, const char *const *datas, const size_t *lens,
	zib_report *report, zib_error *err);
/* The release the document was read as: "zib2017 (FHIR STU3)",
 * "zib2020 (FHIR R4)", "BgZ 2020" (CDA). */
const char *zib_doc_source_version(const zib_doc *doc);

/* Zib-level rules over a read document: cardinality, datatype formats,
 * value sets and code systems, BSN and identifier OIDs. */
int zib_validate_doc(const zib_ctx *ctx, const zib_doc *doc, zib_report *report);

/* A compiled XML schema (the NL CDA schema), shareable by threads. */
typedef struct zib_schema zib_schema;

/* Loads an XSD from local files only (never the network). */
int zib_schema_load(zib_schema **out, const char *path, zib_error *err);
void zib_schema_free(zib_schema *schema);

/*
 * FHIR definitions for `zib validate` (profiles in meta.profile and
 * --profile): the compiled defaults (R4 core, zib2020 / nl-core) and
 * sources, each a file, a folder, a package .tgz or ID#VERSION from the
 * package cache (~/.fhir/packages).  Fails with ZIB_ENOTFOUND, ZIB_EIO or
 * ZIB_EPARSE, err naming the source.  zib_fhir_defs_free(NULL) is a no-op.
 */
typedef struct zib_fhir_defs zib_fhir_defs;
int zib_fhir_defs_open(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err);
/* The same, opened on first use: by the first FHIR document checked with
 * it (thread-safe), so a run without FHIR never reads the definitions.  It
 * fails only for lack of memory; definitions that cannot be opened then
 * are not used (profiles not checked, as a ZIB-FHIRV-060 warning says). */
int zib_fhir_defs_open_lazy(zib_fhir_defs **out, const char *const *sources, size_t nsources,
	zib_error *err);
void zib_fhir_defs_free(zib_fhir_defs *defs);

typedef struct zib_check_options {
	int version;                 /* ZIB_CHECK_OPTIONS_VERSION */
	const zib_schema *schema;    /* XSD check when not NULL */
	int unmapped_findings;       /* report unmapped content as info findings */
	/* version 2: Schematron over XML documents (CDA, FHIR XML, ADA) */
	const zib_schematron *schematron;  /* these rules for every document, */
	zib_package *package;        /* else the package's rules for each one */
	/* version 3: FHIR profiles.  With fhir_defs, each resource is checked
	 * against the profiles of its meta.profile, and the root resource
	 * against fhir_profiles as well. */
	zib_fhir_defs *fhir_defs;
	const char *const *fhir_profiles;
	size_t nfhir_profiles;
	/* version 4: which checks run (ZIB_CHECKS_*); 0 is ZIB_CHECKS_ALL.
	 * FHIR: conformance only, what the HL7 validator checks (well-formed
	 * FHIR, structure, cardinality, bindings, invariants, profiles); no
	 * zib rules and no zib reader findings.  ZIB: the zib level only.
	 * Rules given as schema, schematron or package run either way. */
	int checks;
} zib_check_options;
#define ZIB_CHECKS_FHIR 1
#define ZIB_CHECKS_ZIB 2
#define ZIB_CHECKS_ALL (ZIB_CHECKS_FHIR | ZIB_CHECKS_ZIB)
#define ZIB_CHECK_OPTIONS_VERSION 4
#define ZIB_CHECK_OPTIONS_INIT { ZIB_CHECK_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, 0, 0 }

/*
 * Everything `zib validate` checks on one document, parsing it once:
 * well-formedness, the schema (when given), document identity, sections,
 * and the zib rules.  *doc_out (optional) receives the read document.
 * Returns 0 when the document was judged (findings in report), or a
 * negative zib_status when it could not be (err says why).
 */
int zib_check_document(zib_doc **doc_out, const zib_ctx *ctx, const zib_check_options *opts,
	const char *file, const char *data, size_t len, zib_report *report, zib_error *err);
/* The same; *svrl receives the SVRL of the Schematron run (free() it), or
 * NULL when no rules ran (no rules given, JSON, not well-formed). */
int zib_check_document_svrl(char **svrl, zib_doc **doc_out, const zib_ctx *ctx,
	const zib_check_options *opts, const char *file, const char *data, size_t len,
	zib_report *report, zib_error *err);

/*
 * The FHIR conformance checks of zib_check_document alone, for a FHIR file
 * read as part of a set (zib_doc_read_many): structure, cardinality,
 * formats, bindings, references, Bundle rules, extensions, invariants and
 * profiles (opts->fhir_defs).  doc (optional) is the document the file was
 * read into; a zib2017 (STU3) one is not checked (an info finding).  Not
 * FHIR: nothing to do.  Returns 0, or a negative zib_status.
 */
int zib_check_fhir(const zib_doc *doc, const zib_check_options *opts, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err);

/* The registered finding codes: code, severity, one-line description. */
size_t zib_code_count(void);
void zib_code_at(size_t index, const char **code, zib_severity *severity, const char **description);

/*
 * Renderers for a batch of reports: begin once, one call per document (in
 * input order; index counts from 0), end once.  Machine formats produce one
 * valid document for the whole batch.  min_severity filters what is shown.
 * JUnit's begin carries the totals: its documents may be rendered first (to
 * a spool the caller copies after begin), they are kept for end as well.
 */
typedef enum zib_render_format {
	ZIB_RENDER_TEXT = 0, ZIB_RENDER_JSON, ZIB_RENDER_JUNIT, ZIB_RENDER_SARIF, ZIB_RENDER_OUTCOME,
	ZIB_RENDER_HTML   /* one self-contained page; snippets read from the files */
} zib_render_format;

typedef struct zib_render_totals {
	size_t documents, errors, warnings, infos, failed_documents;
	/* Added in 0.2: findings suppressed (--ignore, --baseline), the wall
	 * time of the batch in seconds and when it started (Unix time, UTC; the
	 * JUnit timestamp).  Zero when unknown. */
	size_t suppressed;
	double seconds;
	long long started;
} zib_render_totals;

/* Parses "text", "json", "junit", "sarif", "outcome", "html"; -1 when unknown. */
int zib_render_format_parse(const char *name);
void zib_render_begin(FILE *out, zib_render_format f, const zib_render_totals *totals);
void zib_render_document(FILE *out, zib_render_format f, size_t index, const char *file,
	const zib_report *report, zib_severity min_severity, int color);
/* The same for a run that fails a document on findings at or above fail_on
 * (zib validate --fail-on warning): JSON "valid" and JUnit <failure>
 * follow it.  zib_render_document is this with fail_on ZIB_SEV_ERROR. */
void zib_render_document_failing(FILE *out, zib_render_format f, size_t index, const char *file,
	const zib_report *report, zib_severity min_severity, zib_severity fail_on, int color);
void zib_render_end(FILE *out, zib_render_format f, const zib_render_totals *totals);

/*
 * One document for a renderer with what zib_render_document lacks: the
 * time it took (JUnit time) and the findings suppressed by --ignore or a
 * baseline (SARIF suppressions, a count in JSON and JUnit).  Set version
 * to ZIB_RENDER_ITEM_VERSION; zero the struct first.
 */
#define ZIB_RENDER_ITEM_VERSION 1
typedef struct zib_render_item {
	unsigned version;
	size_t index;                  /* from 0, in input order */
	const char *file;
	const zib_report *report;      /* the findings that count */
	const zib_report *suppressed;  /* NULL or the findings suppressed */
	zib_severity min_severity;
	zib_severity fail_on;
	double seconds;                /* < 0 when unknown */
	int color;
} zib_render_item;

void zib_render_item_write(FILE *out, zib_render_format f, const zib_render_item *item);

/*
 * Suppressing findings: codes (zib validate --ignore) and the findings
 * recorded in a baseline file (--baseline), so that only new findings
 * count.  A baseline line is "CODE<TAB>FILE<TAB>PATH<TAB>MESSAGE" after
 * the header line "# zib baseline 1"; the line number is left out, so a
 * baseline survives edits that move a known problem.
 */
typedef struct zib_suppress zib_suppress;

int zib_suppress_new(zib_suppress **out);
void zib_suppress_free(zib_suppress *s);
/* Adds the codes of a comma-separated list ("ZIB-FHIRZ-002,SCH-x"). */
int zib_suppress_add_codes(zib_suppress *s, const char *list, zib_error *err);
/* Adds the findings of a baseline file; ZIB_EPARSE names file and line. */
int zib_suppress_load_baseline(zib_suppress *s, const char *path, zib_error *err);
/* 1 when d is suppressed (its code ignored, or it is in the baseline). */
int zib_suppress_match(const zib_suppress *s, const zib_diag *d);
/* Copies each finding of src into kept or suppressed. */
int zib_suppress_split(const zib_suppress *s, const zib_report *src, zib_report *kept,
	zib_report *suppressed);
/* Writes the baseline header line, then the findings of r at or above min,
 * one line each. */
void zib_baseline_write_header(FILE *out);
void zib_baseline_write(FILE *out, const zib_report *r, zib_severity min);

/* The FHIR IssueType (OperationOutcome.issue.code) of a finding code:
 * "structure", "required", "value", "code-invalid", "invariant",
 * "not-found", ...; "invalid" when nothing more precise is known. */
const char *zib_code_issue_type(const char *code);

/* ---- Writing zibs as FHIR ---- */

/* Finding codes of the zib -> FHIR writer (man/zib-convert.1). */
#define ZIB_CONV_CODE_NOT_CARRIED "ZIB-CONV-001" /* a zib value the target cannot hold */
#define ZIB_CONV_CODE_UNMAPPED "ZIB-CONV-002"    /* source content outside the zibs, not carried */
#define ZIB_CONV_CODE_REDUCED "ZIB-CONV-003"     /* written conformant, with a loss or an absent-reason */

typedef enum zib_fhir_bundle {
	ZIB_BUNDLE_COLLECTION = 0,
	ZIB_BUNDLE_TRANSACTION = 1,
	/* A Composition first (the BgZ Patient summary, LOINC 60591-5) with a
	 * section per BgZ section referencing its entries (version 2). */
	ZIB_BUNDLE_DOCUMENT = 2
} zib_fhir_bundle;

/* The FHIR release written (version 2).  Deprecated: name the release in
 * release_id (version 3) instead. */
typedef enum zib_fhir_release {
	ZIB_FHIR_R4 = 0,     /* zib2020 / nl-core profiles, the fhir_r4 mappings */
	ZIB_FHIR_STU3 = 1    /* zib2017 profiles as MedMij BgZ 3.0, the fhir_stu3 mappings */
} zib_fhir_release;

typedef struct zib_fhir_write_options {
	unsigned version;             /* ZIB_FHIR_WRITE_OPTIONS_VERSION */
	zib_fhir_bundle bundle;
	const char *id_seed;          /* ids derive from it (default: the doc's file stem) */
	/* Only the instances select() keeps (NULL: all); references to others
	 * keep their source text.  The unmapped list is not reported then. */
	int (*select)(const zib_instance *inst, void *data);
	void *select_data;
	/* References as "Type/id" instead of the entries' urn:uuid fullUrls:
	 * for resources taken out of the Bundle (NDJSON). */
	int type_refs;
	/* What the Bundle cannot carry is reported as errors, not warnings. */
	int strict;
	/* version 2: the FHIR release and zib set written. */
	zib_fhir_release release;
	/* version 3: the release written by name ("zib2020", "zib2017", or
	 * a FHIR version as zib_release_fhir_version takes it); when NULL,
	 * release says.  An unknown name is ZIB_EINVAL. */
	const char *release_id;
} zib_fhir_write_options;
#define ZIB_FHIR_WRITE_OPTIONS_VERSION 3
#define ZIB_FHIR_WRITE_OPTIONS_INIT { ZIB_FHIR_WRITE_OPTIONS_VERSION, ZIB_BUNDLE_COLLECTION, NULL, \
	NULL, NULL, 0, 0, ZIB_FHIR_R4, NULL }

/* The resources of a Bundle written by zib_doc_to_fhir_r4 as NDJSON: one
 * compact JSON resource per line, appended to a malloc'd buffer. */
int zib_fhir_write_ndjson_entries(char **out, size_t *len, zib_fhir *bundle, zib_error *err);

/*
 * Builds a FHIR R4 Bundle (zib2020 / nl-core profiles in meta.profile) of
 * every instance of doc, driven by the models' fhir_r4 mappings, into *out
 * (write it with zib_fhir_write_json / _xml; free with zib_fhir_free).
 * Resource ids and fullUrls (urn:uuid) are derived from the seed, the zib
 * and the instance's identity, so the same input gives the same output.
 * Whatever the Bundle cannot carry is a warning in report (ZIB-CONV-001
 * for zib values, ZIB-CONV-002 for source content outside the zibs) with
 * its source location.  opts may be NULL.  Deprecated: zib_doc_to_fhir
 * below takes the release; this one writes zib2020 whatever opts says.
 */
int zib_doc_to_fhir_r4(zib_fhir **out, const zib_doc *doc, const zib_fhir_write_options *opts,
	zib_report *report, zib_error *err);

/*
 * The same for the release opts names (release_id, else release; the
 * default zib2020).  "zib2017" writes zib2017 resources on FHIR STU3 as
 * MedMij BgZ 3.0 uses them (the models' zib2017 paths and profiles); what
 * zib2017 cannot hold is reported as for zib2020.  zib_doc_to_fhir_r4 is
 * the deprecated form that always writes zib2020.
 */
int zib_doc_to_fhir(zib_fhir **out, const zib_doc *doc, const zib_fhir_write_options *opts,
	zib_report *report, zib_error *err);

/* Each resource of a Bundle written by zib_doc_to_fhir, as its own JSON
 * (or, with xml, XML) text: calls each(type, id, data, len, each_data) in
 * Bundle order and stops at the first negative return (returned). */
int zib_fhir_each_resource(zib_fhir *bundle, int xml, int flags,
	int (*each)(const char *type, const char *id, const char *data, size_t len, void *each_data),
	void *each_data, zib_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ZIB_H */
