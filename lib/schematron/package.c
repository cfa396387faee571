/*
 * package: an ART-DECOR runtime package folder as `zib validate --package`
 * uses it.  Finds the runtime folder and its rule files, reads the
 * *-instance2schematron.xml map, chooses a rule file per transaction or
 * per document, and compiles each rule file once, on first use, under a
 * lock (several worker threads may ask for it at once).
 *
 * Invariants: everything but the rule files' compiled state is fixed once
 * zib_package_select has run; a rule file's state only goes from "not
 * compiled" to "compiled" or "failed", under pkg->lock.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/xml.h"
#include "schematron/schematron.h"


struct pkg_rules {
	const char *file;          /* file name in the runtime folder */
	const char *path;
	const char *short_name;    /* the tokens of file the other rule files lack */
	zib_schematron *sch;
	int state;                 /* 0 not compiled, 1 compiled, -1 failed */
	zib_error err;             /* why it failed */
};

/* One <map> of instance2schematron: what a document must have, and its rules. */
struct pkg_map {
	const char *root_name, *root_ns;   /* NULL: any */
	const char *template_root, *template_ext;
	size_t rules;
};

/* One <template><transaction> of instance2schematron. */
struct pkg_tx {
	const char *id, *name;
	size_t rules;
};

struct zib_package {
	struct arena arena;
	const char *dir, *runtime, *schema_path, *map_file;
	struct pkg_rules *rules;
	size_t nrules;
	struct pkg_map *maps;
	size_t nmaps;
	struct pkg_tx *txs;
	size_t ntxs;
	long selected;             /* -1: per document */
	pthread_mutex_t lock;
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names in dir ending with suffix (or subfolders when suffix is
 * NULL); *out is NULL-terminated, in the package arena. */
static int list_dir(struct zib_package *pkg, const char *dir, const char *suffix,
	const char ***out, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	const char **names = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*count = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		const char *full;
		if (e->d_name[0] == '.')
			continue;
		full = arena_printf(&pkg->arena, "%s/%s", dir, e->d_name);
		if (!full || stat(full, &st) != 0)
			continue;
		if (suffix ? !S_ISREG(st.st_mode) || !ends_with(e->d_name, suffix) : !S_ISDIR(st.st_mode))
			continue;
		if (n + 1 >= cap) {
			const char **p = realloc(names, (cap = cap ? cap * 2 : 8) * sizeof(*p));
			if (!p) {
				free(names);
				closedir(d);
				return -1;
			}
			names = p;
		}
		names[n++] = arena_strdup(&pkg->arena, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	if (names)
		names[n] = NULL;
	*out = names;
	*count = n;
	return 0;
}

static size_t count_sch(struct zib_package *pkg, const char *dir)
{
	const char **names;
	size_t n;

	if (list_dir(pkg, dir, ".sch", &names, &n) < 0)
		return 0;
	free(names);
	return n;
}

/* The runtime folder: dir itself when it holds rule files, else its one
 * subfolder that does. */
static int find_runtime(struct zib_package *pkg, zib_error *err)
{
	const char **subs;
	size_t nsubs, i, found = 0;
	const char *hit = NULL;
	struct buf names = BUF_INIT;

	if (count_sch(pkg, pkg->dir)) {
		pkg->runtime = pkg->dir;
		return 0;
	}
	if (list_dir(pkg, pkg->dir, NULL, &subs, &nsubs) < 0)
		return error_set(err, ZIB_EIO, "cannot open package folder '%s'", pkg->dir);
	for (i = 0; i < nsubs; i++) {
		const char *sub = arena_printf(&pkg->arena, "%s/%s", pkg->dir, subs[i]);
		if (sub && count_sch(pkg, sub)) {
			found++;
			hit = sub;
			buf_printf(&names, "%s'%s'", found > 1 ? ", " : "", subs[i]);
		}
	}
	free(subs);
	if (found == 1) {
		buf_release(&names);
		pkg->runtime = hit;
		return 0;
	}
	if (found == 0) {
		buf_release(&names);
		return error_set(err, ZIB_ENOTFOUND, "package folder '%s' has no Schematron rule files "
			"(*.sch), in itself or in a runtime subfolder", pkg->dir);
	}
	error_set(err, ZIB_EINVAL, "package folder '%s' has several runtime folders (%s); name one "
		"of them with --package", pkg->dir, names.data ? names.data : "");
	buf_release(&names);
	return ZIB_EINVAL;
}

/* Short names: the '-'-separated tokens of a file name (minus .sch) that
 * are not in every rule file's name. */
static void make_short_names(struct zib_package *pkg)
{
	for (size_t i = 0; i < pkg->nrules; i++) {
		char *base = arena_strndup(&pkg->arena, pkg->rules[i].file,
			strlen(pkg->rules[i].file) - 4);
		struct buf b = BUF_INIT;
		char *save = NULL, *tok;
		if (!base)
			continue;
		pkg->rules[i].short_name = base;
		if (pkg->nrules == 1)
			continue;
		char *copy = arena_strdup(&pkg->arena, base);
		for (tok = strtok_r(copy, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
			size_t in_all = 1;
			for (size_t j = 0; j < pkg->nrules && in_all; j++) {
				char pat[512];
				const char *f = pkg->rules[j].file;
				size_t tl = strlen(tok);
				int found = 0;
				if (tl + 3 > sizeof(pat))
					break;
				/* token present in f as a whole '-' or '.'-bounded token */
				for (const char *p = strstr(f, tok); p; p = strstr(p + 1, tok))
					if ((p == f || p[-1] == '-') && (p[tl] == '-' || p[tl] == '.'))
						found = 1;
				in_all = found;
			}
			if (!in_all)
				buf_printf(&b, "%s%s", b.len ? "-" : "", tok);
		}
		if (b.len && b.data)
			pkg->rules[i].short_name = arena_strdup(&pkg->arena, b.data);
		buf_release(&b);
	}
}

static size_t rules_by_file(const struct zib_package *pkg, const char *file)
{
	for (size_t i = 0; i < pkg->nrules; i++)
		if (strcmp(pkg->rules[i].file, file) == 0)
			return i;
	return (size_t)-1;
}

static const char *attr(struct zib_package *pkg, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	const char *s;

	if (!v)
		return NULL;
	s = arena_strdup(&pkg->arena, (const char *)v);
	xmlFree(v);
	return s && *s ? s : NULL;
}

static void *grow(void *p, size_t n, size_t size)
{
	/* one more slot whenever n reaches a power of two */
	if (n && (n & (n - 1)))
		return p;
	return realloc(p, (n ? n * 2 : 4) * size);
}

/* Reads *-instance2schematron.xml, when there is one.  Maps naming rule
 * files that do not exist are skipped. */
static int read_map(struct zib_package *pkg, zib_error *err)
{
	const char **names;
	size_t n;
	char *data = NULL;
	size_t len;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc;

	if (list_dir(pkg, pkg->runtime, "-instance2schematron.xml", &names, &n) < 0)
		return error_set(err, ZIB_EIO, "cannot open '%s'", pkg->runtime);
	if (n == 0) {
		free(names);
		return 0;
	}
	pkg->map_file = arena_printf(&pkg->arena, "%s/%s", pkg->runtime, names[0]);
	free(names);
	rc = zib_read_file(&data, &len, pkg->map_file, ZIB_DEFAULT_MAX_SIZE, err);
	if (rc < 0)
		return rc;
	rc = xml_parse(&doc, data, len, pkg->map_file, NULL, err);
	free(data);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
		const char *sch;
		size_t r;
		if (c->type != XML_ELEMENT_NODE || !(sch = attr(pkg, c, "sch")) ||
		    (r = rules_by_file(pkg, sch)) == (size_t)-1)
			continue;
		if (strcmp((const char *)c->name, "map") == 0) {
			struct pkg_map *m = grow(pkg->maps, pkg->nmaps, sizeof(*m));
			if (!m)
				goto oom;
			pkg->maps = m;
			m = &pkg->maps[pkg->nmaps++];
			m->root_name = attr(pkg, c, "rootelement");
			m->root_ns = attr(pkg, c, "namespace");
			m->template_root = attr(pkg, c, "templateRoot");
			m->template_ext = attr(pkg, c, "templateExt");
			m->rules = r;
		} else if (strcmp((const char *)c->name, "template") == 0) {
			for (xmlNode *t = c->children; t; t = t->next) {
				struct pkg_tx *x;
				if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "transaction") != 0)
					continue;
				x = grow(pkg->txs, pkg->ntxs, sizeof(*x));
				if (!x)
					goto oom;
				pkg->txs = x;
				x = &pkg->txs[pkg->ntxs++];
				x->id = attr(pkg, t, "id");
				x->name = attr(pkg, t, "name");
				x->rules = r;
			}
		}
	}
	xmlFreeDoc(doc);
	return 0;
oom:
	xmlFreeDoc(doc);
	return error_set(err, ZIB_ENOMEM, "out of memory");
}

int zib_package_open(zib_package **out, const char *dir, zib_error *err)
{
	struct zib_package *pkg;
	const char **names = NULL;
	size_t n, i;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return error_set(err, ZIB_EIO, "cannot open package folder '%s'", dir);
	pkg = calloc(1, sizeof(*pkg));
	if (!pkg)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	arena_init(&pkg->arena);
	pthread_mutex_init(&pkg->lock, NULL);
	pkg->selected = -1;
	pkg->dir = arena_strdup(&pkg->arena, dir);
	pkg->schema_path = arena_printf(&pkg->arena, "%s/schemas/CDANL_extended.xsd", dir);
	if (!pkg->schema_path || stat(pkg->schema_path, &st) != 0)
		pkg->schema_path = NULL;
	rc = find_runtime(pkg, err);
	if (rc < 0)
		goto fail;
	if (list_dir(pkg, pkg->runtime, ".sch", &names, &n) < 0 || !n) {
		rc = error_set(err, ZIB_EIO, "cannot list '%s'", pkg->runtime);
		goto fail;
	}
	pkg->rules = calloc(n, sizeof(*pkg->rules));
	if (!pkg->rules) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		pkg->rules[i].file = names[i];
		pkg->rules[i].path = arena_printf(&pkg->arena, "%s/%s", pkg->runtime, names[i]);
	}
	pkg->nrules = n;
	free(names);
	names = NULL;
	make_short_names(pkg);
	rc = read_map(pkg, err);
	if (rc < 0)
		goto fail;
	*out = pkg;
	return ZIB_OK;
fail:
	free(names);
	zib_package_free(pkg);
	return rc;
}

void zib_package_free(zib_package *pkg)
{
	if (!pkg)
		return;
	for (size_t i = 0; i < pkg->nrules; i++)
		zib_schematron_free(pkg->rules[i].sch);
	free(pkg->rules);
	free(pkg->maps);
	free(pkg->txs);
	pthread_mutex_destroy(&pkg->lock);
	arena_release(&pkg->arena);
	free(pkg);
}

const char *zib_package_schema_path(const zib_package *pkg)
{
	return pkg->schema_path;
}

const char *zib_package_runtime_dir(const zib_package *pkg)
{
	return pkg->runtime;
}

size_t zib_package_rule_file_count(const zib_package *pkg)
{
	return pkg->nrules;
}

const char *zib_package_rule_file_at(const zib_package *pkg, size_t index)
{
	return index < pkg->nrules ? pkg->rules[index].path : NULL;
}

const char *zib_package_transaction_at(const zib_package *pkg, size_t index)
{
	return index < pkg->nrules ? pkg->rules[index].short_name : NULL;
}

long zib_package_selected(const zib_package *pkg)
{
	return pkg->selected;
}

/* "createUpdate (bgz2020-...-createUpdate-2020.sch), response (...)" */
static void list_choices(const struct zib_package *pkg, struct buf *b)
{
	for (size_t i = 0; i < pkg->nrules; i++)
		buf_printf(b, "%s%s (%s)", i ? ", " : "", pkg->rules[i].short_name, pkg->rules[i].file);
}

/* Whether tok occurs in file as a whole '-'-separated token, without case. */
static int has_token(const char *file, const char *tok)
{
	size_t tl = strlen(tok);

	for (const char *p = file; *p; p++)
		if ((p == file || p[-1] == '-') && strncasecmp(p, tok, tl) == 0 &&
		    (p[tl] == '-' || p[tl] == '.' || p[tl] == '\0'))
			return 1;
	return 0;
}

int zib_package_select(zib_package *pkg, const char *transaction, zib_error *err)
{
	unsigned char *hit;
	size_t nhit = 0, last = 0, i;
	struct buf b = BUF_INIT;
	int rc;

	if (!transaction) {
		if (pkg->nrules == 1)
			pkg->selected = 0;
		else if (pkg->nmaps == 0) {
			list_choices(pkg, &b);
			error_set(err, ZIB_EINVAL, "package '%s' has %zu rule files and no "
				"instance2schematron map; choose one with --transaction: %s", pkg->runtime,
				pkg->nrules, b.data ? b.data : "");
			buf_release(&b);
			return ZIB_EINVAL;
		} else
			pkg->selected = -1;
		return ZIB_OK;
	}
	hit = calloc(pkg->nrules, 1);
	if (!hit)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	for (i = 0; i < pkg->nrules; i++) {
		const struct pkg_rules *r = &pkg->rules[i];
		size_t fl = strlen(r->file) - 4;
		if (strcasecmp(r->file, transaction) == 0 || strcasecmp(r->short_name, transaction) == 0 ||
		    (strlen(transaction) == fl && strncasecmp(r->file, transaction, fl) == 0) ||
		    has_token(r->file, transaction))
			hit[i] = 1;
	}
	for (i = 0; i < pkg->ntxs; i++)
		if ((pkg->txs[i].id && strcmp(pkg->txs[i].id, transaction) == 0) ||
		    (pkg->txs[i].name && strcasecmp(pkg->txs[i].name, transaction) == 0))
			hit[pkg->txs[i].rules] = 1;
	for (i = 0; i < pkg->nrules; i++)
		if (hit[i]) {
			nhit++;
			last = i;
		}
	free(hit);
	if (nhit == 1) {
		pkg->selected = (long)last;
		return ZIB_OK;
	}
	list_choices(pkg, &b);
	rc = error_set(err, nhit ? ZIB_EINVAL : ZIB_ENOTFOUND, "%s transaction '%s' in '%s'; "
		"choose one of: %s", nhit ? "ambiguous" : "unknown", transaction, pkg->runtime,
		b.data ? b.data : "");
	buf_release(&b);
	return rc;
}

int zib_package_compile(zib_package *pkg, size_t index, const zib_schematron **out,
	zib_error *err)
{
	struct pkg_rules *r;
	int rc = ZIB_OK;

	*out = NULL;
	if (index >= pkg->nrules)
		return error_set(err, ZIB_EINVAL, "no rule file %zu in package '%s'", index, pkg->runtime);
	r = &pkg->rules[index];
	pthread_mutex_lock(&pkg->lock);
	if (r->state == 0) {
		zib_error_clear(&r->err);
		r->state = zib_schematron_compile(&r->sch, r->path, NULL, &r->err) < 0 ? -1 : 1;
	}
	if (r->state > 0)
		*out = r->sch;
	else {
		if (err)
			*err = r->err;
		rc = r->err.status ? r->err.status : ZIB_ERROR;
	}
	pthread_mutex_unlock(&pkg->lock);
	return rc;
}

/* Whether the root element has <templateId root=R [extension=E]>. */
static int has_template(xmlNode *root, const char *troot, const char *text)
{
	for (xmlNode *c = root->children; c; c = c->next) {
		xmlChar *r, *e;
		int ok;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "templateId") != 0)
			continue;
		r = xmlGetNoNsProp(c, (const xmlChar *)"root");
		e = xmlGetNoNsProp(c, (const xmlChar *)"extension");
		ok = r && strcmp((const char *)r, troot) == 0 &&
			(!text || (e && strcmp((const char *)e, text) == 0));
		xmlFree(r);
		xmlFree(e);
		if (ok)
			return 1;
	}
	return 0;
}

static int root_matches(const struct pkg_map *m, xmlNode *root)
{
	const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";

	return (!m->root_name || strcmp(m->root_name, (const char *)root->name) == 0) &&
		(!m->root_ns || strcmp(m->root_ns, ns) == 0);
}

int schematron_package_rules_for_doc(zib_package *pkg, xmlDoc *doc, const zib_schematron **out,
	zib_error *err)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	size_t i;

	*out = NULL;
	if (pkg->selected >= 0)
		return zib_package_compile(pkg, (size_t)pkg->selected, out, err);
	if (!root)
		return ZIB_OK;
	/* The first map whose template the root element has; then the first
	 * map by root element alone (ART-DECOR's fallback). */
	for (i = 0; i < pkg->nmaps; i++)
		if (pkg->maps[i].template_root && root_matches(&pkg->maps[i], root) &&
		    has_template(root, pkg->maps[i].template_root, pkg->maps[i].template_ext))
			return zib_package_compile(pkg, pkg->maps[i].rules, out, err);
	for (i = 0; i < pkg->nmaps; i++)
		if (!pkg->maps[i].template_root && pkg->maps[i].root_name && root_matches(&pkg->maps[i], root))
			return zib_package_compile(pkg, pkg->maps[i].rules, out, err);
	return ZIB_OK;
}
