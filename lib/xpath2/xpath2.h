/*
 * xpath2: an XPath 2.0 engine over libxml2 trees, covering what ISO
 * Schematron rule sets with queryBinding="xslt2" use (ART-DECOR's
 * generated CDA rules in particular).
 *
 * Lifecycle: xp_compile() turns an expression into a tree owned by the
 * caller's arena (compile time, single thread); compiled expressions are
 * read-only afterwards and may be evaluated by many threads at once, each
 * with its own struct xp_run (scratch memory, regex cache, error text).
 *
 * Values are sequences of items.  Nodes are libxml2 nodes (xmlAttr is used
 * through its xmlNode prefix); strings live in the run's scratch memory or
 * in the documents.  Nothing is schema-aware: the typed value of a node is
 * xs:untypedAtomic.
 */
#ifndef ZIB_XPATH2_H
#define ZIB_XPATH2_H

#include <stddef.h>
#include <libxml/tree.h>
#include <pthread.h>

#include "core/arena.h"
#include "core/strmap.h"

enum xp_type {
	XP_NODE, XP_UNTYPED, XP_STRING, XP_ANYURI, XP_BOOLEAN, XP_INTEGER,
	XP_DECIMAL, XP_DOUBLE, XP_DATETIME, XP_DATE, XP_QNAME
};

struct xp_item {
	enum xp_type type;
	union {
		xmlNode *node;
		const char *str;      /* strings, untypedAtomic, anyURI, date/time lexical */
		int b;
		long long i;
		double d;
	} v;
	/* QName: namespace uri (v.str is the local name); date/time: seconds. */
	const char *uri;
	double secs;
	int has_tz;
};

struct xp_seq {
	size_t n;
	struct xp_item *items;
};

/* Scratch memory with marks: everything a run allocates, reset per rule. */
struct xp_pool_block;
struct xp_pool {
	struct xp_pool_block *head, *free;
	size_t used;
};
struct xp_mark {
	struct xp_pool_block *block;
	size_t used;
};
void *xp_alloc(struct xp_pool *p, size_t n);
/* The same without zeroing, for memory the caller fills completely. */
void *xp_alloc_raw(struct xp_pool *p, size_t n);
char *xp_strndup(struct xp_pool *p, const char *s, size_t n);
struct xp_mark xp_pool_mark(struct xp_pool *p);
void xp_pool_reset(struct xp_pool *p, struct xp_mark m);
void xp_pool_release(struct xp_pool *p);

/* A variable binding; bindings form a stack, the newest shadows older ones
 * of the same name (ART-DECOR reuses names, XSLT allows local shadowing). */
struct xp_var {
	const char *name;
	struct xp_seq value;
	const struct xp_var *next;
};

/* Documents loaded by doc(): read-only, shared, loaded once. */
struct xp_docs {
	struct strmap map;      /* absolute path -> xmlDoc* */
	struct arena *arena;
	pthread_mutex_t lock;
	int lock_init;
};
void xp_docs_init(struct xp_docs *d, struct arena *a);
void xp_docs_release(struct xp_docs *d);
/* Loads (or finds) a local file; NULL and errmsg on failure. */
xmlDoc *xp_docs_get(struct xp_docs *d, const char *path, char *errmsg, size_t errsize);

/* Static context of compilation. */
struct xp_static {
	const char *const *ns;     /* prefix, uri, prefix, uri, ..., NULL */
	const char *base_dir;      /* for doc(): directory of the rule file */
	struct xp_docs *docs;
	struct arena *arena;       /* where the compiled tree lives */
	/* Variables known to be bound to constants at compile time (may be NULL). */
	const struct xp_var *constants;
	/* Folded constants by expression, shared between the expressions of
	 * one rule set (NULL: none).  See xp_fold_cache_new. */
	struct xp_fold_cache *folds;
};

/* One evaluation thread's state. */
struct xp_run {
	struct xp_pool pool;
	struct strmap regex_cache;     /* pattern "\x01" flags -> pcre2_code* */
	xmlNode *current;              /* current() */
	struct xp_docs *docs;
	const char *base_dir;
	/* attrindex.c: they point into docs' trees, so a run is released
	 * before its docs are */
	struct xp_attr_indexes *attr_indexes;
	char error[512];
};
void xp_run_init(struct xp_run *r, struct xp_docs *docs);
void xp_run_release(struct xp_run *r);

struct xp_expr;

/*
 * Compiles src.  On failure returns NULL and writes a message (with the
 * offending token) into errmsg.  Unknown functions are compile errors.
 */
struct xp_expr *xp_compile(const char *src, const struct xp_static *st,
	char *errmsg, size_t errsize);

/* The same for an XSLT match pattern (a rule context). */
struct xp_expr *xp_compile_pattern(const char *src, const struct xp_static *st,
	char *errmsg, size_t errsize);
/* A cache for xp_static.folds: a document-independent subexpression that
 * many expressions repeat (ART-DECOR's doc('voc-...')//valueSet[1]/...
 * look-ups) is evaluated, and its value set hashed, once.  Its entries
 * live in the static arena; free it before that arena goes. */
struct xp_fold_cache *xp_fold_cache_new(void);
void xp_fold_cache_free(struct xp_fold_cache *c);
/* Frees what a compiled expression holds outside its arena (regexes, sets). */
void xp_expr_free(struct xp_expr *e);

/* Evaluates e with the context item ctx (may be NULL: no context item). */
int xp_eval(const struct xp_expr *e, struct xp_run *r, const struct xp_item *ctx,
	const struct xp_var *vars, struct xp_seq *out);
/* Effective boolean value of e; -1 on error (r->error says why). */
int xp_eval_bool(const struct xp_expr *e, struct xp_run *r, xmlNode *ctx,
	const struct xp_var *vars);
/* The string value of e's result: items' string values joined by a space
 * (as xsl:value-of does); NULL on error. */
const char *xp_eval_string(const struct xp_expr *e, struct xp_run *r, xmlNode *ctx,
	const struct xp_var *vars);

/* Helpers shared with the schematron layer. */
const char *xp_item_string(struct xp_run *r, const struct xp_item *it);
const char *xp_node_string(struct xp_pool *p, const xmlNode *n);
void xp_item_node(struct xp_item *it, xmlNode *n);
/* 1 when the node matches the expression used as an XSLT match pattern. */
int xp_pattern_matches(const struct xp_expr *pat, struct xp_run *r, xmlNode *node,
	const struct xp_var *vars);
/* For indexing patterns: the element name the pattern's node must have.
 * Alternatives of a union pattern are returned through alts/nalts.  Returns
 * the kinds: 'e' element with name (*uri, *local; local "*" any element),
 * 'a' attribute, 'd' document node, 'n' any node. */
int xp_pattern_alternatives(const struct xp_expr *pat, const struct xp_expr ***alts, size_t *nalts,
	struct arena *a);
int xp_pattern_target(const struct xp_expr *alt, const char **uri, const char **local);

/* Checks that e is usable as a match pattern; 0 ok, -1 with errmsg. */
int xp_pattern_check(const struct xp_expr *pat, char *errmsg, size_t errsize);
/*
 * A pattern set: the match patterns of many rules, matched together in one
 * walk over a document (patset.c).  Rules are added with increasing ids;
 * once built the set is read-only and shared by threads.  A walk is one
 * document on one thread: enter each node in document order (the
 * document node first, an element before its attributes and children),
 * leave it after its subtree; entering returns the rules whose pattern
 * matches the node, ascending, with the error message where testing the
 * pattern failed (error NULL: it matched).
 */
struct xp_patset;
struct xp_patwalk;
struct xp_hit {
	size_t id;
	const char *error;
};
struct xp_patset *xp_patset_new(void);
void xp_patset_free(struct xp_patset *ps);
int xp_patset_add(struct xp_patset *ps, const struct xp_expr *pattern, size_t id);
/* 1 when some pattern can match an attribute (attributes need visiting). */
int xp_patset_has_attributes(const struct xp_patset *ps);
/* The number of distinct steps the patterns have after sharing. */
size_t xp_patset_steps(const struct xp_patset *ps);
struct xp_patwalk *xp_patwalk_new(const struct xp_patset *ps, struct xp_run *r,
	const struct xp_var *vars);
void xp_patwalk_free(struct xp_patwalk *w);
/* Makes w ready for another document (its memory is kept). */
void xp_patwalk_reset(struct xp_patwalk *w, const struct xp_var *vars);
int xp_patwalk_enter(struct xp_patwalk *w, xmlNode *n, const struct xp_hit **hits, size_t *nhits);
void xp_patwalk_leave(struct xp_patwalk *w);

#endif
