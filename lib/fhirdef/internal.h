/*
 * fhirdef internals shared by its files.  The life of a definition:
 *
 *   source bytes (gather.c: files, folders, .tgz, ID#VERSION)
 *   -> JSON resources (resource.c: XML through the FHIR element tree)
 *   -> snapshots made where missing (snapshot*.c, on cJSON objects)
 *   -> a compiled file (compiled.c: an index + one trimmed JSON record
 *      per resource, checksummed)
 *   -> on first lookup, a record decoded into the API structs (decode.c)
 */
#ifndef ZIB_FHIRDEF_INTERNAL_H
#define ZIB_FHIRDEF_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "fhirdef/fhirdef.h"

/* Bumped whenever the compiled form or what decode.c keeps changes, so an
 * old cache file is stale. */
#define FHIRDEF_FORMAT "zib-fhirdefs-8"

enum fhirdef_rkind { RK_SD = 0, RK_VS = 1, RK_CS = 2, RK_CM = 3, RK_COUNT = 4 };

/* ---- hash.c ---- */
/* A fast 64-bit hash of bytes (content keys and checksums). */
uint64_t fhirdef_hash(const void *data, size_t len, uint64_t seed);

/* ---- gather.c: the bytes of every file a source stands for ---- */
struct gathered_file {
	char *name;                  /* path, or archive!member */
	char *data;                  /* NUL-terminated */
	size_t len;
	int in_folder;               /* one of a folder's or package's files */
	char *fhir_version;          /* its package's fhirVersions[0], or NULL */
};

struct gathered {
	struct gathered_file *files;
	size_t n, cap;
	int in_folder;               /* the source being gathered is a folder */
	int with_defaults;           /* the defaults (core, zib2020) are loaded too */
	struct buf problems;         /* dependencies not found, one a line */
	char **seen;                 /* packages gathered, "id#version" */
	size_t nseen;
	char *fhir_version;          /* of the package being gathered, or NULL */
};

int fhirdef_gather(struct gathered *g, const char *source, zib_error *err);
void fhirdef_gathered_release(struct gathered *g);

/* ---- resource.c: resources out of the gathered bytes ---- */
struct raw_resource {
	int kind;                    /* enum fhirdef_rkind */
	const char *url;             /* points into json */
	const char *version;
	cJSON *json;                 /* owned */
	char *source;                /* malloc'd: file name (+ Bundle entry) */
	char *error;                 /* malloc'd: snapshot problem, then not usable */
	int snapshot_state;          /* 0 to do, 1 in progress, 2 done */
	int major;                   /* FHIR release (fhirdef_fhir_major), 0 unknown */
	char *key;                   /* malloc'd: the index key when major is not 0 */
};

struct raw_set {
	struct raw_resource *res;
	size_t n, cap;
	/* fhirdef_raw_key(url, major) -> index + 1 (the later wins) */
	struct strmap by_url[RK_COUNT];
	struct buf problems;         /* lines */
	const char *file_fhir_version; /* the package release of the file being added */
};

/* Adds the conformance resources of one file (a resource or a Bundle);
 * other resources are skipped.  ZIB_EPARSE names the file. */
int fhirdef_raw_add_file(struct raw_set *rs, const struct gathered_file *f, zib_error *err);
void fhirdef_raw_release(struct raw_set *rs);
/* The resource of url for a definition of FHIR release major: that
 * release's, else one of no known release; major 0 (not known) also takes
 * the primary release's (R4). */
struct raw_resource *fhirdef_raw_find(struct raw_set *rs, int kind, const char *url, int major);

/* ---- releases ----
 * Each resource belongs to the FHIR release of its fhirVersion (SDs) or
 * its package's fhirVersions, as a major number (3 STU3, 4 R4); 0 when
 * neither says.  The set's own index holds the primary release (R4, the
 * defaults' and the default zib release's) and the resources of no known
 * release; each other release loaded gets a view (fhirdef_set_release)
 * holding its own and those of no known release, never R4's. */
int fhirdef_fhir_major(const char *fhir_version);
int fhirdef_primary_major(void);
/* The raw set's key of url in release major: url itself for 0, else url
 * and the release; 0 when it does not fit. */
int fhirdef_raw_key(char *buf, size_t size, const char *url, int major);
/* Builds the views of the releases the opened units hold beside the
 * primary one (set.c calls it once all units are indexed). */
int fhirdef_set_make_views(struct fhirdef_set *set);
/* Frees a set's views. */
void fhirdef_set_free_views(struct fhirdef_set *set);
void fhirdef_problem(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- snapshot.c ---- */
/* How the snapshot maker finds a base or type definition: the raw set
 * being compiled first, then the already opened compiled units. */
struct sd_lookup {
	struct raw_set *raw;
	struct fhirdef_set *set;     /* may be NULL */
	cJSON *keep;                 /* records parsed from the set, freed after */
};

/* Returns the snapshot element array of the SD with this url of FHIR
 * release major (made when missing); NULL with *why when there is none. */
const cJSON *fhirdef_snapshot_of(struct sd_lookup *lk, const char *url, int major,
	const char **why);
/* Makes the snapshots of every raw SD that has none. */
void fhirdef_snapshot_all(struct sd_lookup *lk);

/* ---- compiled.c ---- */
struct unit_entry {
	int kind;
	int major;                   /* FHIR release, 0 unknown */
	const char *url;
	const char *version;
	size_t off, len;             /* the record in the unit's data */
	const char *text;            /* data + off: NUL-terminated JSON */
	uint64_t hash;               /* the record's checksum */
	/* 0 not checked yet, 1 intact, 2 damaged: set under the record's
	 * stripe lock, read without it by fhirdef_record_json */
	_Atomic int state;
	/* API struct once decoded: published with release order, so that a
	 * lookup of a decoded record takes no lock (lookup.c) */
	_Atomic(void *) decoded;
};

struct unit {
	char *data;                  /* the whole file: malloc'd, or mapped */
	size_t len;
	int mapped;                  /* data is a private mmap of the file */
	uint64_t key;
	uint64_t checksum;
	struct unit_entry *entries;
	size_t nentries;
	const char *problems;        /* lines, inside data */
	char *path;
};

/* Writes the raw set as a compiled unit with this key into *out (malloc'd). */
int fhirdef_compile(struct buf *out, struct raw_set *rs, uint64_t key, zib_error *err);
/* Checks and indexes a compiled unit held in data (taken over).  ZIB_EPARSE
 * when the checksum or the layout is wrong. */
int fhirdef_unit_open(struct unit *u, char *data, size_t len, int mapped, const char *path,
	zib_error *err);
/* The same, checking each record only when it is first used
 * (fhirdef_entry_intact): for the big defaults. */
int fhirdef_unit_open_lazy(struct unit *u, char *data, size_t len, int mapped, const char *path,
	zib_error *err);
/* Whether e's record matches its checksum (checked once, then
 * remembered: call it under the set's lock). */
int fhirdef_entry_intact(struct unit_entry *e);
/* A file mapped private and writable (the index is split in place);
 * released by fhirdef_unit_release or fhirdef_unmap. */
int fhirdef_map(const char *path, char **data, size_t *len);
void fhirdef_unmap(char *data, size_t len);
void fhirdef_unit_release(struct unit *u);
/* The key a unit was compiled for, without checking it (0 if unreadable). */
uint64_t fhirdef_unit_peek_key(const char *data, size_t len);

/* ---- urlindex.c: records by "url" and "url|version", per kind ---- */
struct urlindex_slot {
	uint64_t h;
	struct unit_entry *e;        /* NULL: empty */
	int kind;
	int with_version;            /* the key is url|version */
};

struct fhirdef_urlindex {
	struct urlindex_slot *slots;
	size_t cap, count;
};

/* Room for more keys without growing; -1 out of memory. */
int fhirdef_urlindex_reserve(struct fhirdef_urlindex *x, size_t more);
/* Adds e under its url (or url|version), replacing an earlier record of
 * that key; *fresh (optional) says whether the key is new. */
int fhirdef_urlindex_put(struct fhirdef_urlindex *x, struct unit_entry *e, int with_version,
	int *fresh);
struct unit_entry *fhirdef_urlindex_get(const struct fhirdef_urlindex *x, int kind,
	const char *key, size_t len);
void fhirdef_urlindex_release(struct fhirdef_urlindex *x);

/* ---- the set ---- */
#define FHIRDEF_MAX_UNITS 2

struct vs_expansion;

/* Records are decoded on first use under one of these locks, chosen by the
 * record, into that stripe's arena: -j workers that meet their first
 * records at the same time decode different records at once. */
#define FHIRDEF_STRIPES 16
struct fhirdef_stripe {
	pthread_mutex_t lock;
	struct arena arena;
};

struct fhirdef_set {
	struct arena arena;
	struct fhirdef_stripe stripes[FHIRDEF_STRIPES];
	struct unit units[FHIRDEF_MAX_UNITS];
	size_t nunits;
	struct fhirdef_urlindex by_url;  /* "url" and "url|version" -> unit_entry */
	struct unit_entry **cms;        /* all ConceptMaps */
	size_t ncms;
	struct strmap expansions;        /* vs canonical -> struct vs_expansion */
	/* Expansions: read under a shared lock, made under the exclusive one
	 * (an expansion imports others within it: expand.c). */
	pthread_rwlock_t exp_lock;
	struct arena exp_arena;          /* expansions live here, under exp_lock */
	struct buf problems;
	const char **problem_lines;
	size_t nproblems;
	struct fhirdef_stats stats;
	char *cache_file;
	char *defaults_file;
	/* Release views (see "releases" above): owner is the set a view
	 * belongs to (NULL for the set itself), whose lock and arena decode
	 * records; major the release a view serves. */
	struct fhirdef_set *owner;
	int major;
	struct fhirdef_set *views[4];
	size_t nviews;
};

/* expand.c: frees the remembered expansions. */
void fhirdef_expansions_release(struct fhirdef_set *set);

/* The set's locks and the stripes' arenas (set.c); destroying them frees
 * the decoded records. */
void fhirdef_locks_init(struct fhirdef_set *set);
void fhirdef_locks_destroy(struct fhirdef_set *set);

/* Adds an opened unit's entries to the set's index (later units win). */
int fhirdef_set_index_unit(struct fhirdef_set *set, struct unit *u);
/* The decoded record for a url (decoded on first use under the record's
 * stripe lock, which the caller must not hold). */
void *fhirdef_lookup(struct fhirdef_set *set, int kind, const char *canonical);
/* The raw JSON record of a canonical, parsed (the caller cJSON_Deletes);
 * for the snapshot maker and the expander. */
cJSON *fhirdef_record_json(struct fhirdef_set *set, int kind, const char *canonical);

/* ---- decode.c: a record into API structs in the set's arena ---- */
/* A read-only cJSON tree of text built in arena a (jarena.c); NULL when
 * text is not one JSON value.  Never give it to cJSON_Delete. */
const cJSON *fhirdef_json_parse_arena(struct arena *a, const char *text, size_t len);

struct fhirdef_sd *fhirdef_decode_sd(struct arena *a, const cJSON *j, const char *source);
struct fhirdef_cs *fhirdef_decode_cs(struct arena *a, const cJSON *j, const char *source);
struct fhirdef_vs *fhirdef_decode_vs(struct arena *a, const cJSON *j, const char *source);
struct fhirdef_cm *fhirdef_decode_cm(struct arena *a, const cJSON *j, const char *source);

/* The SD struct with its id index, as decode.c allocates it. */
struct sd_full {
	struct fhirdef_sd pub;
	struct strmap ids;               /* element id -> index + 1 */
};

/* The CodeSystem struct with its code index. */
struct cs_full {
	struct fhirdef_cs pub;
	struct strmap codes;             /* code -> concept index + 1 */
	/* Parents named by properties (child, parent, subsumedBy) beside the
	 * nesting: those of concept i are more_parents[more_first[i] ..
	 * more_first[i + 1]); more_first NULL when there are none. */
	int *more_first;
	int *more_parents;
};
/* The index of a code in cs->concepts, or -1 (hash lookup). */
int fhirdef_cs_concept(const struct fhirdef_cs *cs, const char *code);

/* The ValueSet struct with the compose kept as JSON text for expand.c. */
struct vs_full {
	struct fhirdef_vs pub;
	const char *compose;             /* JSON text, NULL when none */
	const char *expansion;           /* a shipped expansion.contains, JSON text */
};

/* Small cJSON helpers (decode.c).  _jdup copies into the arena. */
const char *fhirdef_jstr(const cJSON *o, const char *key);
int fhirdef_jbool(const cJSON *o, const char *key);
const char *fhirdef_jdup(struct arena *a, const cJSON *o, const char *key);
const char *fhirdef_jdup_s(struct arena *a, const char *s);

/* Compiles sources (no defaults, no cache) into the file out: what `make`
 * runs to build the defaults. */
int fhirdef_compile_to_file(const char *out, const char *const *sources, size_t n,
	size_t *nproblems, zib_error *err);

#endif
