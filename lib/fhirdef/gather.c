/*
 * gather: the bytes of every file a definitions source stands for, in a
 * fixed order (names sorted), so the content key of a source is stable.
 *
 *   file.json / file.xml   that file
 *   folder                 its .json/.xml files, recursively; a package
 *                          folder (package/package.json) only package/,
 *                          without its example/ folder
 *   name.tgz               a FHIR NPM package: package/ members the same way
 *   ID#VERSION             ~/.fhir/packages/ID#VERSION (the package cache)
 *
 * A package's dependencies (package.json) come from the package cache
 * too, before the package; one that is not there is a problem line, unless
 * the compiled defaults have it (R4 core, the Nictiz zib2020 / nl-core).
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "fhirdef/internal.h"

#define MAX_MEMBER ((size_t)256 << 20)

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Resource files: .json or .xml, not package.json / .index.json. */
static int wanted(const char *base)
{
	if (base[0] == '.' || strcmp(base, "package.json") == 0)
		return 0;
	return ends_with(base, ".json") || ends_with(base, ".xml");
}

static int add(struct gathered *g, const char *name, char *data, size_t len, zib_error *err)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct gathered_file *f = realloc(g->files, cap * sizeof(*f));

		if (!f) {
			free(data);
			return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
		}
		g->files = f;
		g->cap = cap;
	}
	g->files[g->n].name = strdup(name);
	if (!g->files[g->n].name) {
		free(data);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
	}
	g->files[g->n].data = data;
	g->files[g->n].len = len;
	g->files[g->n].in_folder = g->in_folder;
	g->files[g->n].fhir_version = g->fhir_version ? strdup(g->fhir_version) : NULL;
	g->n++;
	return 0;
}

static int add_file(struct gathered *g, const char *path, zib_error *err)
{
	char *data;
	size_t len;
	int rc = zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, err);

	return rc ? rc : add(g, path, data, len, err);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct gathered *g, const char *dir, int skip_examples, zib_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d)
		return error_set(err, ZIB_EIO, "cannot open folder '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*p));
			if (!p) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory listing '%s'", dir);
				goto done;
			}
			names = p;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory listing '%s'", dir);
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n && !rc; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(plen);
		struct stat st;

		if (!path) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory listing '%s'", dir);
			break;
		}
		snprintf(path, plen, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (!(skip_examples && strcmp(names[i], "example") == 0))
				rc = walk(g, path, skip_examples, err);
		} else if (wanted(names[i])) {
			rc = add_file(g, path, err);
		}
		free(path);
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int gather_dir(struct gathered *g, const char *dir, zib_error *err);

/* Packages the compiled defaults hold. */
static int in_defaults(const char *id)
{
	return strcmp(id, "hl7.fhir.r4.core") == 0 || strcmp(id, "nictiz.fhir.nl.r4.zib2020") == 0 ||
		strcmp(id, "nictiz.fhir.nl.r4.nl-core") == 0;
}

static int seen(struct gathered *g, const char *key)
{
	size_t i;
	char **p;

	for (i = 0; i < g->nseen; i++)
		if (strcmp(g->seen[i], key) == 0)
			return 1;
	if ((p = realloc(g->seen, (g->nseen + 1) * sizeof(*p))) && (p[g->nseen] = strdup(key))) {
		g->seen = p;
		g->nseen++;
	} else if (p) {
		g->seen = p;
	}
	return 0;
}

/* The release a package.json (text) names: fhirVersions[0] (or the older
 * "fhir-version-list"), NULL when none.  malloc'd. */
static char *package_fhir_version(const char *json)
{
	cJSON *pkg = cJSON_Parse(json), *v;
	char *out = NULL;

	v = cJSON_GetObjectItemCaseSensitive(pkg, "fhirVersions");
	if (!v)
		v = cJSON_GetObjectItemCaseSensitive(pkg, "fhir-version-list");
	v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : NULL;
	if (cJSON_IsString(v))
		out = strdup(v->valuestring);
	cJSON_Delete(pkg);
	return out;
}

/* The dependencies named by a package.json (text), from the package cache. */
static int gather_deps(struct gathered *g, const char *json, const char *where, zib_error *err)
{
	cJSON *pkg = cJSON_Parse(json), *d;
	const char *home = getenv("HOME");
	int rc = 0;

	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(pkg, "dependencies")) {
		char key[512], dir[1024];
		struct stat st;
		int was = g->in_folder;

		if (!cJSON_IsString(d) || !d->string)
			continue;
		snprintf(key, sizeof(key), "%s#%s", d->string, d->valuestring);
		if (seen(g, key))
			continue;
		snprintf(dir, sizeof(dir), "%s/.fhir/packages/%s", home ? home : "", key);
		if (home && *home && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			g->in_folder = 1;
			rc = gather_dir(g, dir, err);
			g->in_folder = was;
			if (rc)
				break;
		} else if (!(g->with_defaults && in_defaults(d->string))) {
			buf_printf(&g->problems, "%s: dependency '%s' is not in the package cache "
				"('%s'); not loaded\n", where, key, dir);
		}
	}
	cJSON_Delete(pkg);
	return rc;
}

static int gather_dir(struct gathered *g, const char *dir, zib_error *err)
{
	size_t plen = strlen(dir) + 32;
	char *pkg = malloc(plen);
	struct stat st;
	int rc;

	if (!pkg)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	snprintf(pkg, plen, "%s/package/package.json", dir);
	if (stat(pkg, &st) == 0) {
		char *json;
		size_t len;

		char *was = g->fhir_version;

		g->fhir_version = NULL;
		if (zib_read_file(&json, &len, pkg, 1 << 20, NULL) == 0) {
			rc = gather_deps(g, json, pkg, err);
			g->fhir_version = package_fhir_version(json);
			free(json);
			if (rc) {
				free(g->fhir_version);
				g->fhir_version = was;
				free(pkg);
				return rc;
			}
		}
		snprintf(pkg, plen, "%s/package", dir);
		rc = walk(g, pkg, 1, err);
		free(g->fhir_version);
		g->fhir_version = was;
	} else {
		rc = walk(g, dir, 0, err);
	}
	free(pkg);
	return rc;
}

/* A published package: a gzip'd tar whose members sit under package/.
 * libarchive reads it (the reason it is linked: no tar/gzip reader here). */
static int gather_tgz(struct gathered *g, const char *path, zib_error *err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	char *pkgjson = NULL;
	size_t first = g->n;
	int rc = 0, r;

	if (!ar)
		return error_set(err, ZIB_ENOMEM, "out of memory opening '%s'", path);
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		rc = error_set(err, ZIB_EIO, "cannot open package '%s': %s", path,
			archive_error_string(ar));
		goto done;
	}
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const char *base = strrchr(name, '/');
		la_int64_t size = archive_entry_size(e);
		char *data, *full;
		size_t flen;

		base = base ? base + 1 : name;
		if (strcmp(name, "package/package.json") == 0 && size > 0 && size < (1 << 20) &&
		    !pkgjson && (pkgjson = malloc((size_t)size + 1))) {
			if (archive_read_data(ar, pkgjson, (size_t)size) != size)
				pkgjson[0] = '\0';
			else
				pkgjson[size] = '\0';
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG || strncmp(name, "package/", 8) != 0 ||
		    strncmp(name, "package/example/", 16) == 0 || !wanted(base))
			continue;
		if (size < 0 || (size_t)size > MAX_MEMBER) {
			rc = error_set(err, ZIB_ETOOBIG, "'%s' in '%s' is too big", name, path);
			break;
		}
		data = malloc((size_t)size + 1);
		if (!data) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", path);
			break;
		}
		if (archive_read_data(ar, data, (size_t)size) != size) {
			free(data);
			rc = error_set(err, ZIB_EIO, "cannot read '%s' in '%s': %s", name, path,
				archive_error_string(ar));
			break;
		}
		data[size] = '\0';
		flen = strlen(path) + strlen(name) + 2;
		if (!(full = malloc(flen))) {
			free(data);
			rc = error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", path);
			break;
		}
		snprintf(full, flen, "%s!%s", path, name);
		rc = add(g, full, data, (size_t)size, err);
		free(full);
		if (rc)
			break;
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = error_set(err, ZIB_EPARSE, "'%s' is not a readable package (.tgz): %s", path,
			archive_error_string(ar));
	if (!rc && pkgjson) {
		/* package.json may come after the members it speaks for. */
		char *v = package_fhir_version(pkgjson);
		size_t i;
		for (i = first; v && i < g->n; i++)
			if (!g->files[i].fhir_version)
				g->files[i].fhir_version = strdup(v);
		free(v);
		rc = gather_deps(g, pkgjson, path, err);
	}
done:
	free(pkgjson);
	archive_read_free(ar);
	return rc;
}

int fhirdef_gather(struct gathered *g, const char *source, zib_error *err)
{
	struct stat st;
	const char *hash = strchr(source, '#');

	if (stat(source, &st) != 0 && hash && !strchr(source, '/')) {
		const char *home = getenv("HOME");
		size_t plen;
		char *dir;
		int rc;

		if (!home || !*home)
			return error_set(err, ZIB_ENOTFOUND,
				"package '%s': HOME is not set, so no package cache to look in", source);
		plen = strlen(home) + strlen(source) + 32;
		if (!(dir = malloc(plen)))
			return error_set(err, ZIB_ENOMEM, "out of memory");
		snprintf(dir, plen, "%s/.fhir/packages/%s", home, source);
		g->in_folder = 1;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = error_set(err, ZIB_ENOTFOUND,
				"package '%s' is not in the package cache ('%s' not found; zib never downloads)",
				source, dir);
		} else {
			rc = gather_dir(g, dir, err);
		}
		free(dir);
		return rc;
	}
	if (stat(source, &st) != 0)
		return error_set(err, ZIB_ENOTFOUND, "cannot open '%s': %s", source, strerror(errno));
	g->in_folder = S_ISDIR(st.st_mode) || ends_with(source, ".tgz") ||
		ends_with(source, ".tar.gz");
	if (S_ISDIR(st.st_mode))
		return gather_dir(g, source, err);
	if (g->in_folder)
		return gather_tgz(g, source, err);
	return add_file(g, source, err);
}

void fhirdef_gathered_release(struct gathered *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->files[i].name);
		free(g->files[i].data);
		free(g->files[i].fhir_version);
	}
	for (i = 0; i < g->nseen; i++)
		free(g->seen[i]);
	free(g->seen);
	buf_release(&g->problems);
	free(g->files);
	memset(g, 0, sizeof(*g));
}
