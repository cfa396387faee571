/*
 * set: opening a definitions set (the compiled defaults, then the other
 * sources through the cache) and freeing it.
 *
 * The cache file of a list of sources is named after the list (their
 * names), and holds the content key of what it was compiled from: the
 * bytes of every source file and the defaults' checksum.  A file whose key
 * differs (stale) or that fails its checksum (corrupt) is compiled anew
 * and replaced; it is never used.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "fhirdef/internal.h"

#define DEFAULTS_NAME "fhir-r4-defs.zdefs"

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The defaults: given, $ZIB_FHIR_DEFS, beside the binary (the build tree:
 * build/share/zib), the install tree (bin/../share/zib), ZIB_DATADIR. */
static char *find_defaults(const char *given, struct buf *tried)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("ZIB_FHIR_DEFS");
	ssize_t n;
	char *slash;

	if (given)
		return strdup(given);
	if (env && *env)
		return strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/share/zib/%s", exe, DEFAULTS_NAME);
		buf_printf(tried, "'%s'", path);
		if (file_exists(path))
			return strdup(path);
		snprintf(path, sizeof(path), "%s/../share/zib/%s", exe, DEFAULTS_NAME);
		buf_printf(tried, ", '%s'", path);
		if (file_exists(path))
			return strdup(path);
	}
#ifdef ZIB_DATADIR
	snprintf(path, sizeof(path), "%s/%s", ZIB_DATADIR, DEFAULTS_NAME);
	buf_printf(tried, ", '%s'", path);
	if (file_exists(path))
		return strdup(path);
#endif
	return NULL;
}

static int open_defaults(struct fhirdef_set *set, const char *given, zib_error *err)
{
	struct buf tried = BUF_INIT;
	char *path = find_defaults(given, &tried), *data;
	size_t len;
	int rc;

	if (!path || fhirdef_map(path, &data, &len) != 0) {
		rc = error_set(err, ZIB_ENOTFOUND,
			"FHIR definitions (R4 core, zib2020) not found: looked for %s; build them with "
			"'make' where ../shared/corpus is present, or set ZIB_FHIR_DEFS",
			path ? path : tried.data ? tried.data : DEFAULTS_NAME);
		free(path);
		buf_release(&tried);
		return rc;
	}
	buf_release(&tried);
	rc = fhirdef_unit_open_lazy(&set->units[set->nunits], data, len, 1, path, err);
	if (rc) {
		error_set(err, rc, "FHIR definitions '%s' are damaged (%s); rebuild with 'make'",
			path, err ? err->message : "");
		free(path);
		return rc;
	}
	set->defaults_file = path;
	{
		/* The defaults are R4 core and zib2020: the primary release,
		 * value sets and code systems included. */
		struct unit *u = &set->units[set->nunits];
		size_t i;
		for (i = 0; i < u->nentries; i++)
			if (!u->entries[i].major)
				u->entries[i].major = fhirdef_primary_major();
	}
	return fhirdef_set_index_unit(set, &set->units[set->nunits++]);
}

static char *cache_dir(const char *given)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	if (given)
		return strdup(given);
	if (x && *x)
		snprintf(path, sizeof(path), "%s/zib", x);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.cache/zib", home);
	else
		return NULL;
	return strdup(path);
}

static int mkdir_p(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0755) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return mkdir(dir, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Compiles the gathered files (snapshots made against the set as opened
 * so far) into out. */
static int compile_sources(struct fhirdef_set *set, struct gathered *g, uint64_t key,
	struct buf *out, zib_error *err)
{
	struct raw_set rs;
	struct sd_lookup lk;
	size_t i;
	int rc = 0;

	memset(&rs, 0, sizeof(rs));
	if (g->problems.len)
		buf_append(&rs.problems, g->problems.data, g->problems.len);
	for (i = 0; i < g->n && !rc; i++) {
		zib_error one;

		zib_error_clear(&one);
		rc = fhirdef_raw_add_file(&rs, &g->files[i], &one);
		/* One unreadable file of a folder or package is skipped and
		 * listed; a file given by itself fails the set. */
		if (rc == ZIB_EPARSE && g->files[i].in_folder) {
			fhirdef_problem(&rs.problems, "%s; skipped", one.message);
			rc = 0;
		} else if (rc) {
			error_set(err, rc, "%s", one.message);
		}
	}
	if (!rc) {
		lk.raw = &rs;
		lk.set = set;
		lk.keep = cJSON_CreateArray();
		fhirdef_snapshot_all(&lk);
		cJSON_Delete(lk.keep);
		rc = fhirdef_compile(out, &rs, key, err);
	}
	fhirdef_raw_release(&rs);
	return rc;
}

static int open_sources(struct fhirdef_set *set, const struct fhirdef_opts *opts,
	zib_error *err)
{
	struct gathered g;
	struct buf out = BUF_INIT;
	uint64_t key, names = fhirdef_hash(FHIRDEF_FORMAT, strlen(FHIRDEF_FORMAT), 1);
	char *dir = NULL, *path = NULL, *data = NULL;
	size_t i, len;
	int rc = 0;

	memset(&g, 0, sizeof(g));
	g.with_defaults = !opts->no_defaults;
	for (i = 0; i < opts->nsources && !rc; i++) {
		rc = fhirdef_gather(&g, opts->sources[i], err);
		names = fhirdef_hash(opts->sources[i], strlen(opts->sources[i]), names);
	}
	if (rc)
		goto done;
	key = names ^ (set->nunits ? set->units[0].checksum : 0);
	for (i = 0; i < g.n; i++) {
		key = fhirdef_hash(g.files[i].name, strlen(g.files[i].name), key);
		key = fhirdef_hash(g.files[i].data, g.files[i].len, key);
	}
	if (!opts->no_cache && (dir = cache_dir(opts->cache_dir))) {
		size_t plen = strlen(dir) + 64;

		if ((path = malloc(plen)))
			snprintf(path, plen, "%s/defs-%016" PRIx64 ".zdefs", dir, names);
	}
	if (path && fhirdef_map(path, &data, &len) == 0) {
		if (fhirdef_unit_peek_key(data, len) != key)
			fhirdef_unmap(data, len);
		else if (fhirdef_unit_open(&set->units[set->nunits], data, len, 1, path, NULL) == 0) {
			set->stats.cache_hit = 1;
			set->cache_file = path;
			path = NULL;
			rc = fhirdef_set_index_unit(set, &set->units[set->nunits++]);
			goto done;
		} /* else unit_open freed data: corrupt */
		set->stats.cache_rebuilt = 1;
	}
	rc = compile_sources(set, &g, key, &out, err);
	if (rc)
		goto done;
	/* A cache that cannot be written costs speed next time, not this run. */
	if (path && mkdir_p(dir) == 0 &&
	    zib_write_file_atomic(path, out.data, out.len, 1, NULL) == 0) {
		set->cache_file = path;
		path = NULL;
	}
	len = out.len;
	data = buf_detach(&out, &len);
	rc = fhirdef_unit_open(&set->units[set->nunits], data, len, 0,
		set->cache_file ? set->cache_file : "(in memory)", err);
	if (!rc)
		rc = fhirdef_set_index_unit(set, &set->units[set->nunits++]);
done:
	buf_release(&out);
	fhirdef_gathered_release(&g);
	free(dir);
	free(path);
	return rc;
}

int fhirdef_compile_to_file(const char *out, const char *const *sources, size_t n,
	size_t *nproblems, zib_error *err)
{
	struct fhirdef_set *set = calloc(1, sizeof(*set));
	struct gathered g;
	struct buf bytes = BUF_INIT;
	size_t i;
	int rc = 0;

	if (!set)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	arena_init(&set->arena);
	memset(&g, 0, sizeof(g));
	for (i = 0; i < n && !rc; i++)
		rc = fhirdef_gather(&g, sources[i], err);
	if (!rc)
		rc = compile_sources(set, &g, 0, &bytes, err);
	if (!rc && nproblems) {
		const char *p = strstr(bytes.data, "\n--\n");
		*nproblems = 0;
		for (p = p ? p + 4 : NULL; p && strncmp(p, "--\n", 3) != 0; p = strchr(p, '\n') + 1)
			(*nproblems)++;
	}
	if (!rc)
		rc = zib_write_file_atomic(out, bytes.data, bytes.len, 1, err);
	buf_release(&bytes);
	fhirdef_gathered_release(&g);
	arena_release(&set->arena);
	free(set);
	return rc;
}

static void collect_problems(struct fhirdef_set *set)
{
	size_t u, n = 0;
	const char *p;

	for (u = 0; u < set->nunits; u++)
		buf_puts(&set->problems, set->units[u].problems);
	for (p = set->problems.data; p && *p; p = strchr(p, '\n') + 1)
		n++;
	set->problem_lines = n ? arena_alloc(&set->arena, n * sizeof(char *)) : NULL;
	if (!set->problem_lines)
		return;
	for (p = set->problems.data; p && *p; p = strchr(p, '\n') + 1) {
		const char *nl = strchr(p, '\n');
		set->problem_lines[set->nproblems++] = arena_strndup(&set->arena, p,
			(size_t)(nl - p));
	}
}

static int list_cms(struct fhirdef_set *set);

void fhirdef_locks_init(struct fhirdef_set *set)
{
	for (int i = 0; i < FHIRDEF_STRIPES; i++) {
		pthread_mutex_init(&set->stripes[i].lock, NULL);
		arena_init(&set->stripes[i].arena);
	}
	pthread_rwlock_init(&set->exp_lock, NULL);
}

void fhirdef_locks_destroy(struct fhirdef_set *set)
{
	for (int i = 0; i < FHIRDEF_STRIPES; i++) {
		pthread_mutex_destroy(&set->stripes[i].lock);
		arena_release(&set->stripes[i].arena);
	}
	pthread_rwlock_destroy(&set->exp_lock);
}

int fhirdef_set_open(struct fhirdef_set **out, const struct fhirdef_opts *opts,
	zib_error *err)
{
	struct fhirdef_opts none = FHIRDEF_OPTS_INIT;
	struct fhirdef_set *set = calloc(1, sizeof(*set));
	int rc = 0;

	*out = NULL;
	if (!opts)
		opts = &none;
	if (!set)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	arena_init(&set->arena);
	fhirdef_locks_init(set);
	arena_init(&set->exp_arena);
	strmap_init(&set->expansions, 0);
	if (!opts->no_defaults)
		rc = open_defaults(set, opts->defaults_file, err);
	if (!rc && opts->nsources)
		rc = open_sources(set, opts, err);
	if (!rc && list_cms(set))
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
	if (!rc && fhirdef_set_make_views(set))
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
	if (rc) {
		fhirdef_set_free(set);
		return rc;
	}
	collect_problems(set);
	set->stats.cache_file = set->cache_file;
	set->stats.defaults_file = set->defaults_file;
	*out = set;
	return 0;
}

int fhirdef_set_index_unit(struct fhirdef_set *set, struct unit *u)
{
	size_t i;

	if (fhirdef_urlindex_reserve(&set->by_url, u->nentries * 2) < 0)
		return ZIB_ENOMEM;
	for (i = 0; i < u->nentries; i++) {
		struct unit_entry *e = &u->entries[i];
		int fresh = 0;

		/* Another release's definitions are in its view only. */
		if (e->major && e->major != fhirdef_primary_major())
			continue;

		if (fhirdef_urlindex_put(&set->by_url, e, 0, &fresh) < 0 ||
		    (e->version && fhirdef_urlindex_put(&set->by_url, e, 1, NULL) < 0))
			return ZIB_ENOMEM;
		if (fresh) {
			size_t *counts[RK_COUNT] = { &set->stats.nsd, &set->stats.nvs,
				&set->stats.ncs, &set->stats.ncm };
			(*counts[e->kind])++;
		}
	}
	return 0;
}

static int list_cms(struct fhirdef_set *set)
{
	size_t u, i;

	for (u = 0; u < set->nunits; u++)
		for (i = 0; i < set->units[u].nentries; i++)
			set->ncms += set->units[u].entries[i].kind == RK_CM;
	if (!set->ncms)
		return 0;
	set->cms = arena_alloc(&set->arena, set->ncms * sizeof(*set->cms));
	if (!set->cms)
		return ZIB_ENOMEM;
	set->ncms = 0;
	for (u = 0; u < set->nunits; u++) {
		for (i = 0; i < set->units[u].nentries; i++) {
			struct unit_entry *e = &set->units[u].entries[i];

			if (e->kind == RK_CM && fhirdef_urlindex_get(&set->by_url, RK_CM, e->url,
			    strlen(e->url)) == e)
				set->cms[set->ncms++] = e;
		}
	}
	return 0;
}

void fhirdef_set_free(struct fhirdef_set *set)
{
	size_t u, i;

	if (!set)
		return;
	fhirdef_set_free_views(set);
	for (u = 0; u < set->nunits; u++) {
		for (i = 0; i < set->units[u].nentries; i++) {
			struct unit_entry *e = &set->units[u].entries[i];
			if (e->kind == RK_SD && e->decoded)
				strmap_release(&((struct sd_full *)e->decoded)->ids);
			else if (e->kind == RK_CS && e->decoded)
				strmap_release(&((struct cs_full *)e->decoded)->codes);
		}
		fhirdef_unit_release(&set->units[u]);
	}
	fhirdef_urlindex_release(&set->by_url);
	fhirdef_expansions_release(set);
	strmap_release(&set->expansions);
	buf_release(&set->problems);
	fhirdef_locks_destroy(set);
	arena_release(&set->exp_arena);
	arena_release(&set->arena);
	free(set->cache_file);
	free(set->defaults_file);
	free(set);
}
