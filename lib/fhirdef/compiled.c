/*
 * compiled: the on-disk form of a loaded definitions set, used both for
 * the defaults `make` builds and for the cache of other sources.
 *
 *   header   fixed HEADER_LEN bytes of text: magic, format, content key,
 *            checksum of the body, checksum of the index part (index and
 *            problem lines), body length
 *   body     index lines   kind TAB url TAB version-or-"-" TAB offset TAB length
 *                          TAB checksum of the record TAB release (FHIR
 *                          major, 0 unknown)
 *            "--"
 *            problem lines (snapshot errors and skipped files)
 *            "--"
 *            records: each resource as trimmed JSON, NUL-terminated;
 *            offsets count from the first record
 *
 * Opening checks the index part's checksum and every offset, so a
 * truncated or altered file is refused, never trusted.  The records are
 * checked either at once (the whole body: a cache file, rebuilt when
 * damaged) or lazily, each the first time it is used (the 23 MB defaults,
 * of which a run reads a few hundred kilobytes: hashing all of it was a
 * quarter of a one-Patient run); a record that fails its checksum then is
 * treated as absent.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "fhirdef/internal.h"

#define MAGIC "ZIBFDEF"
#define HEADER_LEN 128

/* What a validator never reads: dropped from the compiled records. */
static const char *const elem_drop[] = {
	"mapping", "definition", "comment", "requirements", "alias", "example",
	"meaningWhenMissing", "orderMeaning", "isModifierReason", "label", "code", NULL
};
static const char *const res_drop[] = {
	"text", "mapping", "contact", "description", "purpose", "copyright", "jurisdiction",
	"useContext", "publisher", "keyword", "identifier", "date", "meta", NULL
};

static void drop(cJSON *o, const char *const *names)
{
	for (; *names; names++)
		cJSON_DeleteItemFromObjectCaseSensitive(o, *names);
}

/* Keeps only the extensions whose url ends in one of tails. */
static void keep_extensions(cJSON *o, const char *const *tails)
{
	cJSON *exts = cJSON_GetObjectItemCaseSensitive(o, "extension");
	int i;

	for (i = cJSON_GetArraySize(exts) - 1; i >= 0; i--) {
		const char *url = fhirdef_jstr(cJSON_GetArrayItem(exts, i), "url");
		const char *const *t;
		int keep = 0;

		for (t = tails; url && *t && !keep; t++) {
			size_t n = strlen(url), m = strlen(*t);
			keep = n >= m && strcmp(url + n - m, *t) == 0;
		}
		if (!keep)
			cJSON_DeleteItemFromArray(exts, i);
	}
	if (exts && !cJSON_GetArraySize(exts))
		cJSON_DeleteItemFromObjectCaseSensitive(o, "extension");
}

/* A snapshot element without what no check reads (xpath, descriptions,
 * binding names): a quarter of the compiled size. */
static void trim_elem(cJSON *e)
{
	static const char *const bp[] = { "elementdefinition-bestpractice", NULL };
	static const char *const maxvs[] = { "elementdefinition-maxValueSet", NULL };
	/* The element extensions a check reads (decode.c). */
	static const char *const checked[] = { "StructureDefinition/minLength",
		"extension-ElementDefinition.mustHaveValue",
		"extension-ElementDefinition.valueAlternatives",
		"StructureDefinition/narrative-language-control", NULL };
	cJSON *c;

	drop(e, elem_drop);
	keep_extensions(e, checked);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "constraint")) {
		cJSON_DeleteItemFromObjectCaseSensitive(c, "xpath");
		cJSON_DeleteItemFromObjectCaseSensitive(c, "requirements");
		keep_extensions(c, bp);
	}
	c = cJSON_GetObjectItemCaseSensitive(e, "binding");
	if (c) {
		cJSON_DeleteItemFromObjectCaseSensitive(c, "description");
		keep_extensions(c, maxvs);
	}
}

static void trim_concepts(cJSON *list)
{
	cJSON *c;

	cJSON_ArrayForEach(c, list) {
		cJSON_DeleteItemFromObjectCaseSensitive(c, "definition");
		cJSON_DeleteItemFromObjectCaseSensitive(c, "designation");
		trim_concepts(cJSON_GetObjectItemCaseSensitive(c, "concept"));
	}
}

static void trim(struct raw_resource *r)
{
	cJSON *snap, *e;

	drop(r->json, res_drop);
	if (r->kind == RK_SD) {
		snap = cJSON_GetObjectItemCaseSensitive(r->json, "snapshot");
		if (snap)
			cJSON_DeleteItemFromObjectCaseSensitive(r->json, "differential");
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(snap, "element"))
			trim_elem(e);
	} else if (r->kind == RK_CS) {
		trim_concepts(cJSON_GetObjectItemCaseSensitive(r->json, "concept"));
	}
}

static const char kind_letters[RK_COUNT] = { 'S', 'V', 'C', 'M' };

int fhirdef_compile(struct buf *out, struct raw_set *rs, uint64_t key, zib_error *err)
{
	struct buf index = BUF_INIT, records = BUF_INIT;
	char header[HEADER_LEN + 1];
	size_t i;
	uint64_t sum, isum;

	for (i = 0; i < rs->n; i++) {
		struct raw_resource *r = &rs->res[i];
		char *text;
		size_t off = records.len;

		/* A resource a later source redefines is left out. */
		if (fhirdef_raw_find(rs, r->kind, r->url, r->major) != r)
			continue;
		trim(r);
		if (r->error) {
			/* The differential stays for a check by it alone (a profile
			 * of a release whose base is not loaded: fhirval/release.c). */
			cJSON *e;
			cJSON_DeleteItemFromObjectCaseSensitive(r->json, "snapshot");
			cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(r->json, "differential"), "element"))
				trim_elem(e);
			cJSON_AddStringToObject(r->json, "_zibError", r->error);
		}
		cJSON_AddStringToObject(r->json, "_zibSource", r->source);
		text = cJSON_PrintUnformatted(r->json);
		if (!text) {
			buf_release(&index);
			buf_release(&records);
			return error_set(err, ZIB_ENOMEM, "out of memory compiling definitions");
		}
		buf_puts(&records, text);
		buf_putc(&records, '\0');
		free(text);
		buf_printf(&index, "%c\t%s\t%s\t%zu\t%zu\t%016" PRIx64 "\t%d\n", kind_letters[r->kind],
			r->url, r->version ? r->version : "-", off, records.len - off - 1,
			fhirdef_hash(records.data + off, records.len - off - 1, 0), r->major);
	}
	buf_puts(&index, "--\n");
	if (rs->problems.len)
		buf_append(&index, rs->problems.data, rs->problems.len);
	buf_puts(&index, "--\n");
	isum = fhirdef_hash(index.data, index.len, 0);
	buf_append(&index, records.data ? records.data : "", records.len);
	/* The body ends in a NUL, so no string search runs off a mapping. */
	buf_putc(&index, '\0');
	buf_release(&records);
	if (index.oom) {
		buf_release(&index);
		return error_set(err, ZIB_ENOMEM, "out of memory compiling definitions");
	}
	sum = fhirdef_hash(index.data, index.len, 0);
	snprintf(header, sizeof(header), "%s %-24s %016" PRIx64 " %016" PRIx64 " %016" PRIx64
		" %020zu", MAGIC, FHIRDEF_FORMAT, key, sum, isum, index.len);
	memset(header + strlen(header), ' ', HEADER_LEN - 1 - strlen(header));
	header[HEADER_LEN - 1] = '\n';
	buf_append(out, header, HEADER_LEN);
	buf_append(out, index.data, index.len);
	buf_release(&index);
	return out->oom ? error_set(err, ZIB_ENOMEM, "out of memory compiling definitions") : 0;
}

static int parse_header(const char *data, size_t len, uint64_t *key, uint64_t *sum,
	uint64_t *isum, size_t *body)
{
	char magic[16], format[32];
	unsigned long long k, s, is, b;

	if (len < HEADER_LEN || data[HEADER_LEN - 1] != '\n')
		return -1;
	if (sscanf(data, "%15s %31s %16llx %16llx %16llx %20llu", magic, format, &k, &s, &is,
	    &b) != 6)
		return -1;
	if (strcmp(magic, MAGIC) != 0 || strcmp(format, FHIRDEF_FORMAT) != 0)
		return -1;
	*key = k;
	*sum = s;
	*isum = is;
	*body = (size_t)b;
	return 0;
}

uint64_t fhirdef_unit_peek_key(const char *data, size_t len)
{
	uint64_t key, sum, isum;
	size_t body;

	return parse_header(data, len, &key, &sum, &isum, &body) == 0 ? key : 0;
}

static int letter_kind(char c)
{
	int k;

	for (k = 0; k < RK_COUNT; k++)
		if (kind_letters[k] == c)
			return k;
	return -1;
}

int fhirdef_map(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return -1;
	}
	/* Not populated: the defaults are read a few records at a time. */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}

void fhirdef_unmap(char *data, size_t len)
{
	if (data)
		munmap(data, len);
}

/* Where the records start (after the problem lines), or NULL: a read-only
 * scan, before the index part is trusted. */
static char *records_start(char *p, char *end, size_t *nlines)
{
	char *line, *nl;
	int part = 0;

	*nlines = 0;
	for (line = p; line < end; line = nl + 1) {
		if (end - line >= 3 && memcmp(line, "--\n", 3) == 0) {
			if (++part == 2)
				return line + 3;
			nl = line + 2;
			continue;
		}
		if (!(nl = memchr(line, '\n', (size_t)(end - line))))
			return NULL;
		if (part == 0)
			(*nlines)++;
	}
	return NULL;
}

static int unit_open(struct unit *u, char *data, size_t len, int mapped, int lazy,
	const char *path, zib_error *err)
{
	size_t body = 0, n = 0, i, rec_start;
	uint64_t isum = 0;
	char *p, *end, *line, *sep, *recs = NULL;
	const char *what = NULL;

	memset(u, 0, sizeof(*u));
	u->data = data;
	u->len = len;
	u->mapped = mapped;
	u->path = strdup(path ? path : "");
	if (parse_header(data, len, &u->key, &u->checksum, &isum, &body) != 0)
		what = "not a compiled definitions file of this version";
	else if (body != len - HEADER_LEN)
		what = "truncated";
	else if (data[len - 1] != '\0')
		what = "not terminated";
	else if (!lazy && fhirdef_hash(data + HEADER_LEN, body, 0) != u->checksum)
		what = "checksum mismatch";
	else if (!(recs = records_start(data + HEADER_LEN, data + len, &n)))
		what = "damaged index";
	else if (fhirdef_hash(data + HEADER_LEN, (size_t)(recs - data) - HEADER_LEN, 0) != isum)
		what = "checksum mismatch";
	if (what) {
		fhirdef_unit_release(u);
		return error_set(err, ZIB_EPARSE, "'%s': %s", path, what);
	}
	p = data + HEADER_LEN;
	end = data + len;
	u->entries = calloc(n ? n : 1, sizeof(*u->entries));
	if (!u->entries) {
		fhirdef_unit_release(u);
		return error_set(err, ZIB_ENOMEM, "out of memory opening '%s'", path);
	}
	for (line = p, i = 0; i < n; i++) {
		char *nl = strchr(line, '\n'), *f[7];
		int k, nf = 0;

		*nl = '\0';
		for (f[nf++] = line; nf < 7 && (sep = strchr(f[nf - 1], '\t')); nf++) {
			*sep = '\0';
			f[nf] = sep + 1;
		}
		k = letter_kind(f[0][0]);
		if (nf != 7 || k < 0)
			goto bad;
		u->entries[i].major = atoi(f[6]);
		u->entries[i].kind = k;
		u->entries[i].url = f[1];
		u->entries[i].version = strcmp(f[2], "-") ? f[2] : NULL;
		u->entries[i].off = strtoull(f[3], NULL, 10);
		u->entries[i].len = strtoull(f[4], NULL, 10);
		u->entries[i].hash = strtoull(f[5], NULL, 16);
		u->entries[i].state = lazy ? 0 : 1;
		line = nl + 1;
	}
	u->nentries = n;
	if (line + 3 > end || strncmp(line, "--\n", 3) != 0)
		goto bad;
	line[2] = '\0';
	u->problems = line + 3;
	/* The problems end at the line just "--" before the records. */
	recs[-3] = '\0';
	rec_start = (size_t)(recs - data);
	for (i = 0; i < n; i++) {
		struct unit_entry *e = &u->entries[i];

		if (e->off > len - rec_start || e->len >= len - rec_start - e->off ||
		    data[rec_start + e->off + e->len] != '\0')
			goto bad;
		e->off += rec_start;
		e->text = data + e->off;
	}
	return 0;
bad:
	fhirdef_unit_release(u);
	return error_set(err, ZIB_EPARSE, "'%s': damaged index", path);
}

int fhirdef_unit_open(struct unit *u, char *data, size_t len, int mapped, const char *path,
	zib_error *err)
{
	return unit_open(u, data, len, mapped, 0, path, err);
}

int fhirdef_unit_open_lazy(struct unit *u, char *data, size_t len, int mapped, const char *path,
	zib_error *err)
{
	return unit_open(u, data, len, mapped, 1, path, err);
}

int fhirdef_entry_intact(struct unit_entry *e)
{
	if (e->state == 0)
		e->state = fhirdef_hash(e->text, e->len, 0) == e->hash ? 1 : 2;
	return e->state == 1;
}

void fhirdef_unit_release(struct unit *u)
{
	/* Decoded records live in the set's stripe arenas. */
	free(u->entries);
	if (u->mapped)
		fhirdef_unmap(u->data, u->len);
	else
		free(u->data);
	free(u->path);
	memset(u, 0, sizeof(*u));
}
