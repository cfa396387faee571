/*
 * fhirdef: the FHIR conformance resources a validator needs
 * (StructureDefinition with snapshot, ValueSet, CodeSystem, ConceptMap),
 * loaded from files, folders, Bundles and FHIR NPM packages, compiled once
 * into a checksummed file and looked up by canonical URL (hash, never a
 * scan).
 *
 * Ownership: everything a lookup returns belongs to the set and lives until
 * fhirdef_set_free(); never free or change it.  Lookups are safe from
 * several threads at once (a record is decoded on first use under one of
 * the set's stripe locks, and read without a lock after); building the
 * set (fhirdef_set_open) is not.
 *
 * Element layout: sd->elems[0 .. nelems) is the snapshot in the order the
 * StructureDefinition lists it.  Index links (-1 = none) make walking it
 * free of string work:
 *   parent       the element one path level up (a slice's own children
 *                have the slice as parent: component:systolic.code ->
 *                component:systolic)
 *   first_child  the first direct child that is not a slice; next_sibling
 *                the next such child of the same parent
 *   first_slice  on a sliced element (slicing != NULL): its first slice;
 *                next_slice the next slice of the same slicing; slice_of
 *                on a slice: the sliced element.  Re-slices hang off the
 *                slice they re-slice in the same way.
 *   content_ref  contentReference resolved to an element of the same SD
 * An element whose children are not in the snapshot (Observation.code)
 * takes them from its type's StructureDefinition (fhirdef_sd_type()).
 */
#ifndef ZIB_FHIRDEF_FHIRDEF_H
#define ZIB_FHIRDEF_FHIRDEF_H

#include <stddef.h>

#include "zib.h"

struct fhirdef_set;

/* A fixed[x] / pattern[x] / defaultValue[x] / example value as a small
 * JSON-shaped tree.  name is the JSON property ("coding", "system"); value
 * is a primitive's text exactly as written (NULL for a complex value);
 * children are a complex value's elements in order, a repeating element
 * being several siblings with the same name. */
struct fhirdef_value {
	const char *name;
	const char *value;
	struct fhirdef_value *children;
	struct fhirdef_value *next;
};

/* ElementDefinition.type */
struct fhirdef_type {
	const char *code;            /* as written: "Quantity", "http://hl7.org/fhirpath/System.String" */
	const char *fhir_type;       /* code, or the structuredefinition-fhir-type
	                              * extension's value for System.* codes ("string") */
	const char *const *profiles; /* type.profile, nprofiles of them */
	size_t nprofiles;
	const char *const *target_profiles; /* type.targetProfile (Reference, canonical) */
	size_t ntarget_profiles;
	const char *const *aggregation;     /* "contained", "referenced", "bundled" */
	size_t naggregation;
	const char *versioning;      /* NULL, "either", "independent", "specific" */
	const char *regex;           /* the regex extension on a primitive's value type */
};

/* ElementDefinition.constraint */
struct fhirdef_constraint {
	const char *key;             /* "ele-1", "obs-7" */
	const char *severity;        /* "error" or "warning" */
	const char *human;
	const char *expression;      /* FHIRPath; NULL when only xpath */
	const char *xpath;           /* NULL: not kept in the compiled form */
	const char *source;          /* the SD that defined it, when given */
	int best_practice;           /* elementdefinition-bestpractice extension true */
};

/* ElementDefinition.slicing */
struct fhirdef_discriminator {
	const char *type;            /* value, exists, pattern, type, profile */
	const char *path;            /* FHIRPath, "$this" included */
};

struct fhirdef_slicing {
	const struct fhirdef_discriminator *discriminators;
	size_t ndiscriminators;
	const char *description;
	int ordered;
	const char *rules;           /* "closed", "open", "openAtEnd" */
};

/* ElementDefinition.binding */
struct fhirdef_binding {
	const char *strength;        /* required, extensible, preferred, example */
	const char *value_set;       /* canonical, may carry "|version"; NULL when none */
	const char *max_value_set;   /* elementdefinition-maxValueSet extension */
	const char *description;     /* NULL: not kept in the compiled form */
};

/* One ElementDefinition of a snapshot. */
struct fhirdef_elem {
	const char *id;              /* "Observation.component:systolic.value[x]" */
	const char *path;            /* "Observation.component.value[x]" */
	const char *name;            /* last path step: "value[x]" */
	const char *slice_name;      /* "systolic", "systolic/reslice", NULL */
	int min;
	int max;                     /* -1 for "*" */
	const char *max_text;        /* "*", "1", "0" as written */
	const char *base_path;       /* ElementDefinition.base */
	int base_min;
	int base_max;                /* -1 for "*" */
	const struct fhirdef_type *types;
	size_t ntypes;
	const char *content_reference; /* "#Questionnaire.item", else NULL */
	const struct fhirdef_constraint *constraints;
	size_t nconstraints;
	const char *const *conditions; /* ElementDefinition.condition (constraint keys) */
	size_t nconditions;
	const struct fhirdef_slicing *slicing; /* NULL when not sliced here */
	const struct fhirdef_binding *binding; /* NULL when none */
	/* fixed[x] / pattern[x]: NULL when absent.  *_type is the [x] type
	 * ("CodeableConcept"); the value's name is the JSON property it came
	 * from ("fixedUri"), its value/children the content. */
	const struct fhirdef_value *fixed;
	const char *fixed_type;
	const struct fhirdef_value *pattern;
	const char *pattern_type;
	const struct fhirdef_value *min_value; /* minValue[x], name "minValueInteger" */
	const struct fhirdef_value *max_value;
	const struct fhirdef_value *default_value;
	int max_length;              /* 0 when not given */
	/* ElementDefinition extensions a check reads (0 / NULL when absent):
	 * minLength, and the R5 value controls mustHaveValue (a primitive needs
	 * its value, extensions alone do not do) and valueAlternatives (the
	 * extensions that may stand in for an absent value), and on a
	 * Narrative the narrative-language-control codes ("_no", "_yes",
	 * "_resource" or language codes). */
	int min_length;
	int must_have_value;
	const char *const *value_alternatives;
	size_t nvalue_alternatives;
	const char *const *lang_controls;
	size_t nlang_controls;
	int must_support;
	int is_modifier;
	int is_summary;
	/* ElementDefinition.representation: xmlAttr, xmlText, typeAttr, cdaText, xhtml */
	const char *const *representation;
	size_t nrepresentation;
	const char *short_text;      /* ElementDefinition.short */
	/* Links, see the top of this file; -1 = none. */
	int parent;
	int first_child;
	int next_sibling;
	int first_slice;
	int next_slice;
	int slice_of;
	int content_ref;
};

/* StructureDefinition.context (extension contexts) */
struct fhirdef_context {
	const char *type;            /* fhirpath, element, extension */
	const char *expression;
};

enum fhirdef_kind {
	FHIRDEF_PRIMITIVE = 0,       /* primitive-type */
	FHIRDEF_COMPLEX = 1,         /* complex-type */
	FHIRDEF_RESOURCE = 2,        /* resource */
	FHIRDEF_LOGICAL = 3          /* logical */
};

struct fhirdef_sd {
	const char *url;
	const char *version;
	const char *name;
	const char *status;
	const char *fhir_version;
	const char *type;            /* "Observation", "Extension", "string" */
	int kind;                    /* enum fhirdef_kind */
	int abstract;
	const char *derivation;      /* "specialization", "constraint" */
	const char *base_definition; /* canonical, NULL for Base/Element roots */
	const struct fhirdef_context *contexts;
	size_t ncontexts;
	const char *const *context_invariants;
	size_t ncontext_invariants;
	const struct fhirdef_elem *elems; /* the snapshot */
	size_t nelems;
	const char *source;          /* file (and Bundle entry / package member) it came from */
	/* Non-NULL when no snapshot could be made: names the profile and the
	 * differential element that does not fit; then nelems is 0. */
	const char *error;
	/* With error: the differential's elements as written, in order, for a
	 * check by the differential alone; no links (all -1); id is the path
	 * where the differential gives none (STU3 often does not). */
	const struct fhirdef_elem *diff;
	size_t ndiff;
};

/* ---- ValueSet, CodeSystem, ConceptMap ----------------------------------- */

struct fhirdef_concept {
	const char *code;
	const char *display;
	int parent;                  /* index of the concept one level up (is-a), -1 at the top */
	int abstract;                /* notSelectable / abstract property true */
	int inactive;                /* status retired / inactive property true */
};

struct fhirdef_cs {
	const char *url;
	const char *version;
	const char *name;
	const char *content;         /* complete, fragment, example, not-present, supplement */
	int case_sensitive;
	const struct fhirdef_concept *concepts; /* all, depth first */
	size_t nconcepts;
	const char *source;
};

struct fhirdef_vs {
	const char *url;
	const char *version;
	const char *name;
	const char *source;
};

/* ConceptMap, kept simple: one row per source code and target. */
struct fhirdef_cm_row {
	const char *source_system;
	const char *source_code;
	const char *target_system;
	const char *target_code;
	const char *equivalence;     /* equivalent, wider, ... */
};

struct fhirdef_cm {
	const char *url;
	const char *version;
	const char *name;
	const char *source_vs;       /* sourceUri / sourceCanonical */
	const char *target_vs;
	const struct fhirdef_cm_row *rows;
	size_t nrows;
	const char *source;
};

/* ---- The set -------------------------------------------------------------- */

/*
 * What to load.  Sources are tried in order; a canonical URL defined twice
 * is taken from the later source (a package given on the command line
 * overrides a default).  Each source is one of:
 *   a file           .json or .xml: one resource or a Bundle of them
 *   a folder         every .json/.xml in it, recursively (a package folder
 *                    with package/package.json reads package/)
 *   a .tgz           a FHIR NPM package as published
 *   ID#VERSION       the package in ~/.fhir/packages/ID#VERSION
 * A package's dependencies (package.json) are loaded from the package cache
 * before it; one not there is a problem line (none for the packages the
 * defaults hold: hl7.fhir.r4.core, nictiz.fhir.nl.r4.zib2020 / nl-core).
 * Defaults (unless no_defaults): R4 core and the zib2020 / nl-core
 * profiles and terminology, compiled by `make` (README "FHIR definitions").
 */
struct fhirdef_opts {
	const char *const *sources;
	size_t nsources;
	int no_defaults;
	/* The compiled defaults file; NULL: $ZIB_FHIR_DEFS, then beside the
	 * binary (build tree) and $(PREFIX)/share/zib. */
	const char *defaults_file;
	/* Cache folder; NULL: $XDG_CACHE_HOME/zib, else ~/.cache/zib. */
	const char *cache_dir;
	int no_cache;                /* compile in memory, write no cache */
};

#define FHIRDEF_OPTS_INIT { NULL, 0, 0, NULL, NULL, 0 }

/*
 * Opens the set: the compiled defaults, then the sources, compiled into a
 * cache file keyed by their content (a stale or corrupt cache file is
 * rebuilt, never used).  Fails with ZIB_EIO / ZIB_ENOTFOUND (a source or
 * the defaults missing: the message says which and where it looked),
 * ZIB_EPARSE (a source that is not FHIR; the message names the file).
 * A profile whose differential does not fit its base does not fail the
 * set: its fhirdef_sd has error set, and it is listed by
 * fhirdef_set_problem().
 */
int fhirdef_set_open(struct fhirdef_set **out, const struct fhirdef_opts *opts,
	zib_error *err);
/* NULL is a harmless no-op. */
void fhirdef_set_free(struct fhirdef_set *set);

/*
 * The definitions for documents of one FHIR release, by major version (3
 * STU3, 4 R4): the set itself for R4 (and for 0), else a view of what was
 * loaded for that release (an SD's fhirVersion, a package's fhirVersions)
 * together with what names no release; NULL when nothing of that release
 * is loaded.  STU3 and R4 share canonical URLs: a view never answers with
 * another release's definition.  The view lives as long as the set.
 */
struct fhirdef_set *fhirdef_set_release(struct fhirdef_set *set, int major);

/* Problems met while loading (a profile without snapshot, a resource that
 * could not be read and was skipped): index 0 .. count-1, one line each
 * naming the file and the profile / element. */
size_t fhirdef_set_problem_count(const struct fhirdef_set *set);
const char *fhirdef_set_problem(const struct fhirdef_set *set, size_t index);

/* How the set was opened, for `zib` debug output and tests. */
struct fhirdef_stats {
	size_t nsd, nvs, ncs, ncm;
	int cache_hit;               /* the sources came from a valid cache file */
	int cache_rebuilt;           /* a cache file was there but stale or corrupt */
	const char *cache_file;      /* NULL when no cache was used */
	const char *defaults_file;   /* NULL when no defaults */
};
void fhirdef_set_stats(const struct fhirdef_set *set, struct fhirdef_stats *out);

/* ---- Lookups (hash by canonical URL) ------------------------------------
 * "url|version" picks that version; when only another version of url is
 * loaded, that one is returned (one version per url is the normal case). */

const struct fhirdef_sd *fhirdef_sd(struct fhirdef_set *set, const char *canonical);
/* The base definition of a type: "Observation", "string", "Extension". */
const struct fhirdef_sd *fhirdef_sd_type(struct fhirdef_set *set, const char *type);
const struct fhirdef_vs *fhirdef_vs(struct fhirdef_set *set, const char *canonical);
const struct fhirdef_cs *fhirdef_cs(struct fhirdef_set *set, const char *canonical);
const struct fhirdef_cm *fhirdef_cm(struct fhirdef_set *set, const char *canonical);
/* All ConceptMaps, for a reader that translates codes: index 0 .. ncm-1. */
const struct fhirdef_cm *fhirdef_cm_at(struct fhirdef_set *set, size_t index);

/* ---- Elements --------------------------------------------------------------- */

/* The element with this id in sd, or -1 (hash lookup). */
int fhirdef_elem_by_id(const struct fhirdef_sd *sd, const char *id);
/*
 * The child of element parent (an index into sd->elems) that an instance
 * element called name (len bytes) matches, slices aside: "valueQuantity"
 * matches value[x] with *type_code "Quantity" (a type the element allows,
 * its first letter upper-cased in the name); other names match exactly
 * with *type_code NULL.  Returns the index or -1.  parent -1 is the root.
 * With a contentReference parent, children are those of content_ref.
 */
int fhirdef_elem_child(const struct fhirdef_sd *sd, int parent, const char *name, size_t len,
	const char **type_code);

/* ---- Terminology ----------------------------------------------------------- */

enum fhirdef_answer {
	FHIRDEF_NO = 0,
	FHIRDEF_YES = 1,
	FHIRDEF_UNKNOWN = 2          /* not checkable locally (SNOMED CT, LOINC, ...) */
};

/*
 * Is (system, code) in the value set?  The set is expanded locally from its
 * compose (concepts, is-a / descendent-of / is-not-a / = filters over local
 * CodeSystems, whole local code systems, imported value sets, excludes) on
 * first use and remembered.  system NULL matches a code in any system of
 * the set.  FHIRDEF_UNKNOWN when the value set is not loaded or depends on
 * a code system that is not (or not completely) here; *why (optional) then
 * says which, e.g. "code system 'http://snomed.info/sct' is not available
 * locally".  *display (optional) gets the code's display when known.
 */
int fhirdef_vs_contains(struct fhirdef_set *set, const char *vs_canonical, const char *system,
	const char *code, const char **display, const char **why);

/*
 * Is code defined by the code system?  FHIRDEF_UNKNOWN when the system is
 * not loaded or its content is not complete.  *display as above.
 */
int fhirdef_cs_contains(struct fhirdef_set *set, const char *system, const char *code,
	const char **display);

/* The expansion (code, system, display per row) when it is complete, for
 * listing in messages: returns the number of codes, or -1 with *why set
 * when not expandable locally. */
struct fhirdef_code {
	const char *system;
	const char *code;
	const char *display;
};
long fhirdef_vs_expand(struct fhirdef_set *set, const char *vs_canonical,
	const struct fhirdef_code **codes, const char **why);

#endif
