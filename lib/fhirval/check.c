/*
 * The validator's entry: a strict R4 parse of the document (what the
 * tolerant zib read let pass: unknown elements, wrong JSON shapes), then a
 * walk over the tree calling each rule class for each node.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ndjson.h"
#include "fhirval/fhirval.h"
#include "model/release.h"

const struct fhir_node *fv_child(const struct fhir_node *n, const char *name)
{
	const struct fhir_node *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->name && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const char *fv_child_value(const struct fhir_node *n, const char *name)
{
	const struct fhir_node *c = fv_child(n, name);

	return c ? c->value : NULL;
}

const char *fv_def_name(const struct fhir_node *n, char *buf, size_t size)
{
	size_t nl, tl;

	if (!n->def || !n->def->choice) {
		snprintf(buf, size, "%s", n->name);
		return buf;
	}
	nl = strlen(n->def->name);
	tl = strlen(n->def->type_code);
	snprintf(buf, size, "%.*s[x]", (int)(nl > tl ? nl - tl : nl), n->def->name);
	return buf;
}

/* Appends n's step to buf at *pos, the root's first. */
static void path_step(const struct fhir_node *n, char *buf, size_t size, size_t *pos)
{
	const struct fhir_node *s;
	int index = 0, w;

	if (n->parent)
		path_step(n->parent, buf, size, pos);
	if (*pos >= size - 1)
		return;
	if (!n->parent) {
		w = snprintf(buf + *pos, size - *pos, "%s", fhir_resource_name(n));
	} else {
		char base[128];
		const char *name = n->name;
		if (n->def && n->def->choice) {
			size_t nl = strlen(n->def->name), tl = strlen(n->def->type_code);
			snprintf(base, sizeof(base), "%.*s", (int)(nl > tl ? nl - tl : nl), n->def->name);
			name = base;
		}
		for (s = n->parent->children; s && s != n; s = s->next)
			if (n->def ? s->def == n->def : strcmp(s->name, n->name) == 0)
				index++;
		if (n->def && n->def->repeats)
			w = snprintf(buf + *pos, size - *pos, ".%s[%d]", name, index);
		else
			w = snprintf(buf + *pos, size - *pos, ".%s", name);
		if (w > 0 && n->def && n->def->choice && (size_t)w < size - *pos) {
			*pos += (size_t)w;
			w = snprintf(buf + *pos, size - *pos, ".ofType(%s)", n->def->type_code);
		}
	}
	if (w > 0)
		*pos += (size_t)w;
	if (*pos >= size)
		*pos = size - 1;
}

const char *fv_path(const struct fhir_node *n, char *buf, size_t size)
{
	size_t pos = 0;

	buf[0] = '\0';
	if (n && size > 1)
		path_step(n, buf, size, &pos);
	return buf;
}

void fv_report(struct fv_run *run, const struct fhir_node *n, zib_severity sev, const char *code,
	const char *fmt, ...)
{
	char msg[1024], path[1024];
	va_list ap;
	zib_diag d;

	if (sev == ZIB_SEV_ERROR)
		run->errors++;
	if (!run->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = run->file;
	d.line = n ? n->line : 0;
	d.column = n ? n->column : 0;
	d.path = n ? fv_path(n, path, sizeof(path)) : NULL;
	d.message = msg;
	zib_report_add(run->report, &d);
}

/* The profiles a resource claims (meta.profile), and --profile for the
 * root. */
static void profiles_of(struct fv_run *run, const struct fhir_node *res)
{
	const struct fhir_node *meta = fv_child(res, "meta"), *c;
	size_t i;

	for (c = meta ? meta->children : NULL; c; c = c->next)
		if (strcmp(c->name, "profile") == 0 && c->value)
			fv_check_profile(run, run->defs, c->value, res);
	for (i = 0; !res->parent && i < run->nprofiles; i++)
		fv_check_profile(run, run->defs, run->profiles[i], res);
}

static void walk(struct fv_run *run, const struct fhir_node *n, int depth)
{
	const struct fhir_node *c;

	if (depth > FHIR_MAX_DEPTH)
		return;
	fv_check_structure(run, n);
	if (run->core)
		fv_check_cardinality(run, n);
	fv_check_primitive(run, n);
	if (run->core)
		fv_check_binding(run, n);
	else
		fv_check_release(run, n);
	fv_check_reference(run, n);
	fv_check_extension(run, n);
	fv_check_invariants(run, n);
	if (run->core && n->kind == FHIR_K_RESOURCE && n->type && strcmp(n->type->name, "Bundle") == 0)
		fv_check_bundle(run, n);
	if (n->kind == FHIR_K_RESOURCE && n->type && run->defs)
		profiles_of(run, n);
	for (c = n->children; c; c = c->next)
		walk(run, c, depth + 1);
}

void fhirval_check_tree(struct fv_run *run)
{
	if (run->tree && run->tree->root)
		walk(run, run->tree->root, 0);
}

/* Whether report already has a finding of code at line:column. */
static int reported(const zib_report *report, const zib_diag *d)
{
	size_t i, n = zib_report_count(report);

	for (i = 0; i < n; i++) {
		const zib_diag *e = zib_report_at(report, i);
		if (e->line == d->line && e->column == d->column && strcmp(e->code, d->code) == 0)
			return 1;
	}
	return 0;
}

/* One document: parsed here from data, or built from raw (parsed once
 * for the zib reader and this, see fhir/tree.h; R4 core only). */
static int check_one(const char *file, const char *data, size_t len, int first_line, int major,
	const struct fhir_raw *raw, struct fhirdef_set *defs, const char *const *profiles,
	size_t nprofiles, zib_report *report)
{
	const struct zib_release *rel = release_by_fhir_major(major);
	int core = !rel || rel == release_default();
	const struct fhir_defs *table = core ? &fhir_defs_r4 : fhir_defs_of(rel);
	struct zib_fhir *t = NULL;
	zib_report *parse = NULL;
	zib_error err;
	size_t i;
	int rc;

	memset(&err, 0, sizeof(err));
	if (zib_report_new(&parse) < 0)
		return ZIB_ENOMEM;
	if (!table)
		return ZIB_ENOMEM;
	if (raw && core) {
		rc = fhir_build(&t, raw, file, 0, 1, parse, &err);
		if (rc != ZIB_ENOMEM)
			rc = ZIB_OK;
	} else {
		/* Another release: its elements that the table lacks become
		 * generic nodes, judged by its definitions (release.c), not
		 * parse errors. */
		rc = fhir_parse_keep(&t, data, len, file, first_line, table, !core, parse, &err);
	}
	for (i = 0; i < zib_report_count(parse); i++) {
		const zib_diag *d = zib_report_at(parse, i);
		/* Conversion notes (comments, schemaLocation dropped) are no
		 * conformance findings. */
		if (strcmp(d->code, FHIR_CODE_COMMENT) == 0 || strcmp(d->code, FHIR_CODE_SCHEMA_LOC) == 0)
			continue;
		if (!reported(report, d))
			zib_report_add(report, d);
		/* An empty JSON array is a conversion warning for the parser
		 * and an error for conformance: the property must be absent. */
		if (strcmp(d->code, FHIR_CODE_EMPTY) == 0 && d->message &&
		    strncmp(d->message, "empty array", 11) == 0) {
			zib_diag e = *d;
			e.severity = ZIB_SEV_ERROR;
			e.code = FV_CODE_STRUCT;
			zib_report_addf(report, &e, "%s: an array cannot be empty; leave the "
				"property out", d->message);
		}
	}
	zib_report_free(parse);
	if (t && t->root) {
		struct fv_run run;
		memset(&run, 0, sizeof(run));
		run.tree = t;
		run.file = file;
		run.report = report;
		run.defs = defs;
		run.major = core ? release_default()->fhir_major : major;
		run.core = core;
		run.profiles = profiles;
		run.nprofiles = nprofiles;
		fhirval_check_tree(&run);
		fv_run_release(&run);
	}
	zib_fhir_free(t);
	return rc == ZIB_ENOMEM ? rc : ZIB_OK;
}

int fhirval_check_data(const char *file, const char *data, size_t len, int major,
	struct fhirdef_set *defs, const char *const *profiles, size_t nprofiles, zib_report *report)
{
	const char *p = data, *end = data + len;
	int line = 1, rc = ZIB_OK;

	if (!ndjson_sniff(data, len))
		return check_one(file, data, len, 1, major, NULL, defs, profiles, nprofiles, report);
	while (p < end && rc == ZIB_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l > 0 && p[0] == '{')
			rc = check_one(file, p, l, line, major, NULL, defs, profiles, nprofiles, report);
		line++;
		p += l + 1;
	}
	return rc;
}

int fhirval_check_raw(const char *file, const struct fhir_raw *raw, int major,
	struct fhirdef_set *defs, const char *const *profiles, size_t nprofiles, zib_report *report)
{
	return check_one(file, raw->data, raw->len, raw->first_line, major, raw, defs, profiles,
		nprofiles, report);
}
