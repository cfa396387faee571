/*
 * fhirval: FHIR conformance validation of a FHIR element tree against the
 * R4 definitions: structure, cardinality, primitive formats, bindings,
 * references and Bundle rules, one file per rule class.  Findings go to the
 * report with a FHIRPath location (Observation.component[1].value.ofType(
 * Quantity)) and, in the message, the StructureDefinition and element they
 * come from.  Zib-level checks (lib/validate/) run beside these.
 *
 * Codes (lib/diag/codes.c, man/zib-validate.1); never renumber.
 */
#ifndef ZIB_FHIRVAL_H
#define ZIB_FHIRVAL_H

#include <stddef.h>

#include "fhir/tree.h"
#include "zib.h"

#define FV_CODE_STRUCT "ZIB-FHIRV-001"    /* structure: bad Extension.url, empty array */
#define FV_CODE_ORDER "ZIB-FHIRV-004"     /* XML element out of specification order */
#define FV_CODE_XHTML "ZIB-FHIRV-002"     /* narrative: element or attribute not allowed (txt-1) */
#define FV_CODE_XHTML_EMPTY "ZIB-FHIRV-003" /* narrative: no content (txt-2) */
#define FV_CODE_EXT_UNKNOWN "ZIB-FHIRV-005" /* an HL7 or Nictiz extension not loaded: not checked (info) */
#define FV_CODE_EXT_NOT_FOUND "ZIB-FHIRV-007" /* extension url that names no known definition */
#define FV_CODE_EXT_TYPE "ZIB-FHIRV-006"  /* extension value of a type its definition does not allow */
#define FV_CODE_EXT_CONTEXT "ZIB-FHIRV-008" /* extension used where its context does not allow it */
#define FV_CODE_CARD_MIN "ZIB-FHIRV-010"  /* fewer occurrences than min */
#define FV_CODE_PRIM "ZIB-FHIRV-020"      /* primitive value not in its type's format */
#define FV_CODE_ID "ZIB-FHIRV-021"        /* resource id not [A-Za-z0-9-.]{1,64} */
#define FV_CODE_TZ "ZIB-FHIRV-022"        /* dateTime with a time and no timezone */
#define FV_CODE_BASE64 "ZIB-FHIRV-023"    /* base64Binary not valid base64 */
#define FV_CODE_ATT_SIZE "ZIB-FHIRV-024"  /* Attachment.size does not match the data */
#define FV_CODE_BIND_REQ "ZIB-FHIRV-030"  /* code not in a required value set */
#define FV_CODE_BIND_EXT "ZIB-FHIRV-031"  /* code not in an extensible value set (warning) */
#define FV_CODE_BIND_NC "ZIB-FHIRV-032"   /* binding not checked: code system not local (info) */
#define FV_CODE_REF_LOCAL "ZIB-FHIRV-040" /* local reference #id without contained resource (ref-1) */
#define FV_CODE_REF_TYPE "ZIB-FHIRV-041"  /* reference resolves to a type the element does not allow */
#define FV_CODE_REF_AMBIG "ZIB-FHIRV-042" /* reference matches several Bundle entries (warning) */
#define FV_CODE_REF_AMBIG_DOC "ZIB-FHIRV-043" /* reference matches several entries of a document */
#define FV_CODE_REF_PROFILE "ZIB-FHIRV-044" /* resolved reference conforms to no targetProfile */
#define FV_CODE_BDL_FULLURL "ZIB-FHIRV-050" /* Bundle.entry.fullUrl missing or not absolute */
#define FV_CODE_BDL_RESTFUL "ZIB-FHIRV-051" /* RESTful fullUrl does not end in type/id */
#define FV_CODE_BDL_INV "ZIB-FHIRV-052"   /* a Bundle invariant bdl-1..bdl-12 fails */
#define FV_CODE_BDL_DUP "ZIB-FHIRV-053"   /* two entries with one fullUrl (bdl-7) */
#define FV_CODE_PROFILE "ZIB-FHIRV-060"   /* a profile not loaded: not checked (warning) */
#define FV_CODE_PROF_CARD "ZIB-FHIRV-062" /* profile: cardinality of an element or slice */
#define FV_CODE_PROF_VALUE "ZIB-FHIRV-063" /* profile: type, fixed, pattern, min/maxLength, value controls, binding */
#define FV_CODE_PROF_SLICE "ZIB-FHIRV-064" /* profile: closed slicing, slice order */
#define FV_CODE_INV "ZIB-FHIRV-070"     /* an invariant (constraint) does not hold */
#define FV_CODE_STU3 "ZIB-FHIRV-061"      /* STU3 document: what was not checked (info) */
#define FV_CODE_NOT_FHIR "ZIB-FHIRV-009"  /* --checks fhir on a document that is not FHIR (info) */

struct fhirdef_set;

/* One run over one tree. */
struct fv_run {
	const struct zib_fhir *tree;
	const char *file;
	zib_report *report;
	int errors;
	struct fhirdef_set *defs;        /* the definitions of the release, or NULL */
	/* The document's FHIR release: core is 1 for R4, whose rules are
	 * compiled in (core_r4.c, ext_gen.c, the structure table's order);
	 * another release (STU3) is checked by its loaded definitions only. */
	int major;
	int core;
	const char *const *profiles;     /* --profile: for the root resource */
	size_t nprofiles;
	struct fv_bundle_index *bundle_index; /* refs.c, released by fv_run_release */
	struct fv_target_cache *targets; /* profile.c: resource+profile verdicts */
	int target_depth;                /* profile.c: nested target checks now */
	int target_assumed;              /* profile.c: cycle assumptions made */
	/* A scratch run (does this value conform to that profile?) points at
	 * the document's run, whose Bundle index and verdicts it shares;
	 * NULL in the document's run itself. */
	struct fv_run *root;
};

/* Releases what a run built on the way (the Bundle index, the verdicts). */
void fv_run_release(struct fv_run *run);

/* The resource the Reference node ref points at, resolved in the
 * document: "#id" among the contained resources, else one entry of the
 * Bundle it is in; NULL when it does not resolve there (or to several). */
const struct fhir_node *fv_resolve(struct fv_run *run, const struct fhir_node *ref);
/* profile.c: frees the verdict cache. */
void fv_targets_release(struct fv_run *run);

/*
 * Checks data as a document of FHIR release major (4 R4, 3 STU3; 0 is
 * R4).  R4: a strict parse (the parse findings the tolerant zib read did
 * not report already), then the rules.  Another release: a tolerant parse
 * by that release's structure table, then only what does not depend on
 * R4 (fhirval/release.c): defs is then the release's view
 * (fhirdef_set_release), or NULL when none is loaded.  Returns 0, or a
 * negative zib_status (out of memory).
 */
int fhirval_check_data(const char *file, const char *data, size_t len, int major,
	struct fhirdef_set *defs, const char *const *profiles, size_t nprofiles, zib_report *report);

/* The same for one document (not NDJSON) already parsed by the caller:
 * its strict tree is built from raw, whose malformed-input findings the
 * caller has reported. */
int fhirval_check_raw(const char *file, const struct fhir_raw *raw, int major,
	struct fhirdef_set *defs, const char *const *profiles, size_t nprofiles, zib_report *report);

/* The definitions behind a public handle (defs_api.c), opened here the
 * first time for a lazy handle; NULL for NULL or when they cannot be. */
struct fhirdef_set *fhirval_defs_set(zib_fhir_defs *d);

/* Checks one parsed tree; adds findings to run->report. */
void fhirval_check_tree(struct fv_run *run);

/* ---- shared by the rule files ---- */

/* Adds a finding at node n: its location, FHIRPath and a message. */
void fv_report(struct fv_run *run, const struct fhir_node *n, zib_severity sev, const char *code,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The FHIRPath of n with choice elements as value.ofType(Quantity). */
const char *fv_path(const struct fhir_node *n, char *buf, size_t size);
/* The element name as the definition writes it: "value[x]" for a choice. */
const char *fv_def_name(const struct fhir_node *n, char *buf, size_t size);
/* The first child of n called name (an exact name), or NULL. */
const struct fhir_node *fv_child(const struct fhir_node *n, const char *name);
/* The value of n's child primitive name, or NULL. */
const char *fv_child_value(const struct fhir_node *n, const char *name);

/* Does instance node n match value v of a fixed[x] or pattern[x] (v's
 * content: a primitive's text, or children each matched by some child of
 * n)? (profile.c) */
struct fhirdef_value;
int fv_matches_pattern(const struct fhir_node *n, const struct fhirdef_value *v);

/* Is type_code one of element e's types? (profile.c) */
struct fhirdef_elem;
int fv_type_allowed(const struct fhirdef_elem *e, const char *type_code);

/* The rule classes, each in its own file; each is called for every node. */
void fv_check_structure(struct fv_run *run, const struct fhir_node *n);
void fv_check_cardinality(struct fv_run *run, const struct fhir_node *n);
void fv_check_primitive(struct fv_run *run, const struct fhir_node *n);
void fv_check_binding(struct fv_run *run, const struct fhir_node *n);
void fv_check_reference(struct fv_run *run, const struct fhir_node *n);
void fv_check_extension(struct fv_run *run, const struct fhir_node *n);
/* A resource against the profile url of defs (profile.c); an unknown
 * profile is a warning. */
void fv_check_profile(struct fv_run *run, struct fhirdef_set *defs, const char *url,
	const struct fhir_node *res);
/* Invariants of n's definition (invariant.c). */
void fv_check_invariants(struct fv_run *run, const struct fhir_node *n);
struct fhirdef_elem;
/* The constraints of element e on node n; profile_only: only those a
 * profile adds (not from a core definition). */
void fv_check_constraints(struct fv_run *run, const struct fhirdef_elem *e, const char *sd_url,
	const struct fhir_node *n, int profile_only);
/* A profile's narrative-language-control on element e, checked on the
 * Narrative node (narrative_lang.c). */
void fv_check_narrative_lang(struct fv_run *run, const struct fhirdef_elem *e, const char *sd_url,
	const struct fhir_node *narrative);
/* Another release than R4 (release.c): each resource and datatype node
 * against the release's base definition, when loaded. */
void fv_check_release(struct fv_run *run, const struct fhir_node *n);
struct fhirdef_sd;
/* A profile without a snapshot (its base of the release not loaded) by
 * its differential alone (release.c); 0 when it has none to check by. */
int fv_check_differential(struct fv_run *run, struct fhirdef_set *set,
	const struct fhirdef_sd *sd, const struct fhir_node *res);
/* Called for each Bundle resource node. */
void fv_check_bundle(struct fv_run *run, const struct fhir_node *bundle);

/* Primitive formats (prim.c), for the unit tests: 1 when s (len bytes)
 * fits the R4 format of type ("date", "dateTime", "instant", "time", "id",
 * "oid", "uuid", "uri", "code", "base64Binary"...). */
int fv_prim_valid(const char *type, const char *s, size_t len);

#endif
