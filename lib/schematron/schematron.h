/*
 * schematron: ISO Schematron (queryBinding xslt2) compiled once into rules
 * over lib/xpath2 expressions, run many times.  Internal to lib/schematron;
 * the public API is the Schematron section of zib.h.
 *
 * Invariants: after compile, struct zib_schematron is read-only (but for
 * the idle workers list, which has its own lock); every
 * string and expression lives in its arena; the doc() documents are in
 * its xp_docs cache, shared by all runs.
 */
#ifndef ZIB_SCHEMATRON_H
#define ZIB_SCHEMATRON_H

#include "core/arena.h"
#include "core/strmap.h"
#include "xpath2/xpath2.h"
#include "zib.h"

/* A piece of a message: text, <value-of select>, <name path>. */
struct sch_part {
	int kind;                 /* 't', 'v', 'n' */
	const char *text;
	struct xp_expr *expr;     /* NULL for <name/> without path */
};

struct sch_msg {
	struct sch_part *parts;
	size_t n;
};

/* One step of a rule body, in document order: a let, an assert, a report. */
struct sch_item {
	int kind;                 /* 'l', 'a', 'r' */
	const char *name;         /* let */
	struct xp_expr *expr;     /* let value / test */
	const char *src;          /* test text */
	const char *id, *role, *flag, *see, *fpi;
	const char *code;         /* "SCH-" + id or hash */
	zib_severity severity;
	struct sch_msg msg;
	const char **diags;       /* diagnostic ids */
	size_t ndiags;
	const char *file;
	int line;
};

/* What running an item reads, kept apart from the rest of struct
 * sch_item (read only when a test fails): a document's run walks the
 * items of every rule that fires, and 24 bytes an item take a third of
 * the cache lines the whole item would. */
struct sch_step {
	int kind;                 /* 'l', 'a', 'r' */
	const char *name;         /* let */
	struct xp_expr *expr;
};

struct sch_rule {
	struct xp_expr *context;
	const char *context_src;
	const char *id, *role, *flag;
	size_t pattern;
	size_t index;             /* order over the whole schema */
	struct sch_item *items;
	struct sch_step *steps;   /* steps[i] is items[i] for the run */
	size_t nitems;
	const char *file;
	int line;
};

struct sch_pattern {
	const char *id;
	const char *name;
};

struct sch_diagnostic {
	const char *id;
	struct sch_msg msg;
};

struct zib_schematron {
	struct arena arena;
	struct xp_docs docs;
	const char *path;
	const char *base_dir;
	const char *title;
	const char *phase;
	const char **ns;               /* prefix, uri, ..., NULL */
	size_t nns;
	struct sch_pattern *patterns;
	size_t npatterns;
	struct sch_rule *rules;
	size_t nrules;
	struct sch_item *globals;      /* schema, phase and pattern lets */
	size_t nglobals;
	struct strmap diagnostics;     /* id -> struct sch_diagnostic */
	struct xp_patset *contexts;    /* rule contexts, matched together; ids = rule index */
	struct sch_workers *workers;   /* run state kept between documents (run.c) */
	size_t nasserts;
	size_t nfiles;
	/* every distinct compiled expression once (items share them), for
	 * zib_schematron_free */
	struct xp_expr **exprs;
	size_t nexprs;
};

/* The run state threads reuse between documents (run.c); the list is the
 * only part of a compiled rule set that changes, under its own lock. */
struct sch_workers;
struct sch_workers *schematron_workers_new(void);
void schematron_workers_free(struct sch_workers *w);

/*
 * Runs sch over a parsed document (zib_schematron_run without the parse;
 * validate parses once for all its checks).  cda_paths: finding paths in
 * the hl7:/sdtc: form of the other validate findings instead of the ISO
 * skeleton's SVRL location (SVRL keeps the skeleton's form either way).
 * The document gets its element order numbers (xmlXPathOrderDocElems).
 */
int schematron_run_doc(const zib_schematron *sch, xmlDoc *doc, const char *file, int cda_paths,
	zib_report *report, char **svrl, size_t *failed, zib_error *err);

/*
 * The rules of pkg for doc: the selected rule file, or the one the
 * instance2schematron map gives for the root element and its templateIds
 * (compiled on first use).  *out NULL when nothing applies.
 */
int schematron_package_rules_for_doc(zib_package *pkg, xmlDoc *doc, const zib_schematron **out,
	zib_error *err);

#endif
