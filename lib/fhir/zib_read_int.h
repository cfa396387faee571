/*
 * Internal to the FHIR zib reader (fhir/zib_read*.c): the reader's state
 * and the functions its files share.  Nothing here is API.
 */
#ifndef ZIB_FHIR_ZIB_READ_INT_H
#define ZIB_FHIR_ZIB_READ_INT_H

#include <stddef.h>

#include "core/strmap.h"
#include "fhir/tree.h"
#include "fhir/zib_read.h"
#include "model/doc.h"

struct res {
	struct fhir_node *node;
	const char *type;
	const char *id;
	const char *full_url;
	const char *file;
	struct res *container;          /* for contained resources */
	/* rel: the release read as (its paths).  profiled: the default
	 * release (zib2020) when meta.profile names one of its own profiles
	 * (also on a resource of zib2017 structure), or, with no other
	 * evidence in the input, a profile both releases share; else NULL.
	 * zib_read_zibs.c fhir_decide_versions sets both. */
	const struct zib_release *rel;
	const struct zib_release *profiled;
	int part;                       /* read as part of another resource's zib */
	struct res *owner;              /* then: the first resource it was read for */
	int guessed;                    /* no version evidence: rel's paths, then its fallback's */
	struct zib_instance *inst;      /* first instance read from it */
	struct res *panel;              /* a lab panel's member: the panel (zib_read_lab.c) */
};

struct pend_ref {
	struct zib_value *v;
	struct res *target;
};

struct reader {
	const zib_ctx *ctx;
	struct zib_doc *doc;
	zib_report *report;
	struct arena tmp;
	struct res *res;
	size_t nres, capres;
	struct strmap by_key;           /* "Type/id", fullUrl, "%p#id" -> res */
	struct strmap by_profile;       /* profile url -> model list */
	struct pend_ref *refs;
	size_t nrefs, caprefs;
	/* Who references whom from its top-level elements (built on first
	 * use, zib_read_refs.c): res[i] is referenced by res[by[at[i]]] ..
	 * res[by[at[i + 1] - 1]], in input order. */
	size_t *referrers_at, *referrers_by;
	int failed;
};

struct model_link {
	const struct zib_model *m;
	struct model_link *next;
};

#define MAX_HITS 256

struct hits {
	struct fhir_node *n[MAX_HITS];
	size_t count;
};

struct where {
	struct fhir_node *node;     /* the parent group's node, or the resource */
	const char *path;           /* the path the parent matched ("Observation.component:X") */
	struct res *res;            /* the resource the instance is read from */
	struct fhir_node *within;   /* when set, read only nodes below it */
};

/* zib_read.c */
struct fhir_node *fhir_child(const struct fhir_node *n, const char *name);
const char *fhir_child_value(const struct fhir_node *n, const char *name);
void fhir_mark_tree(struct fhir_node *n);
const char *fhir_reader_node_path(struct reader *r, const struct fhir_node *n);
struct res *fhir_resolve(struct reader *r, struct res *from, const char *ref);
void fhir_finding(struct reader *r, const struct res *x, const struct fhir_node *n, zib_severity sev,
	const char *code, const char *actual, const char *fmt, const char *arg);

/* zib_read_zibs.c */
void fhir_profiles_index(struct reader *r);
int fhir_is_part_type(const char *type);
int fhir_is_subprofile_path(const struct zib_model *m, const char *map, size_t n);
int fhir_res_has_profile(const struct res *x, const char *map, size_t n);
int fhir_claims_sibling_profile(const struct res *x, const char *map, size_t n);
int fhir_is_classifying_code(struct reader *r, const char *code);
int fhir_claims_subprofile(struct reader *r, const struct res *x);
void fhir_decide_versions(struct reader *r);
void fhir_read_resource(struct reader *r, struct res *x);

/* zib_read_path.c */
int fhir_has_code(const struct fhir_node *n, const char *list);
void fhir_hit(struct hits *h, struct fhir_node *n);
int fhir_is_extension_of(const struct fhir_node *n, const char *prof);
void fhir_eval(struct reader *r, const char *mapping, size_t mlen, const struct where *w,
	struct hits *out, const char **matched);
void fhir_eval_member(struct reader *r, const char *map, size_t n, const struct where *w,
	struct hits *out, const char **matched);

/* zib_read_value.c */
struct fhir_node *fhir_ext_value(struct fhir_node *n);
const char *fhir_own_null_flavor(const struct fhir_node *n);
int fhir_fill_value(struct reader *r, struct zib_value *v, struct fhir_node *n);
int fhir_to_zib_code(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	const struct fhir_node *node);
int fhir_other_coding(struct reader *r, const struct zib_concept *c, struct zib_value *v,
	struct fhir_node *n);

/* zib_read_map.c */
const char *fhir_mapping_of(const struct zib_concept *c, const struct zib_release *rel);
int fhir_read_as(struct reader *r, struct res *x, const struct zib_model *m, int optional);
int fhir_map_concept(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w);

/* zib_read_lab.c */
void fhir_mark_lab_members(struct reader *r);
int fhir_read_panel_tests(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w);

/* zib_read_schedule.c */
int fhir_is_schedule_part(const struct zib_concept *c);
int fhir_read_schedule_part(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w);

/* zib_read_refs.c */
void fhir_add_ref(struct reader *r, struct zib_value *v, struct res *target);
int fhir_ref_fits_zib(struct reader *r, struct res *from, const struct zib_concept *c, const char *ref);
struct fhir_node *fhir_reference_of_group(struct fhir_node *n);
struct res *fhir_reversed_reference_holder(struct reader *r, struct res *from, const struct fhir_node *rn);
int fhir_is_order_type(const char *type);
void fhir_mark_orders(struct reader *r);
struct fhir_node *fhir_order_requester(struct reader *r, struct res *from, const struct fhir_node *rn,
	struct res **in);
void fhir_resolve_refs(struct reader *r);
struct res *fhir_referrer_of_type(struct reader *r, struct res *x, const char *type);
void fhir_check_refs(struct reader *r, struct res *x, struct fhir_node *n);

/* zib_read_payer.c */
void fhir_fit_payors(struct reader *r, const struct zib_concept *c, const struct where *w, struct hits *h);
int fhir_is_payer_person_insurer(const struct zib_concept *c, const struct where *w);
void fhir_payor_display_name(const struct zib_concept *c, const struct where *w, struct hits *h);

/* zib_read_unread.c */
void fhir_scan_unmapped(struct reader *r, struct fhir_node *n, const struct res *x);

#endif
