/*
 * XSD validation against the NL CDA schema.
 *
 * Loading: libxml2 reads xs:include/xs:import through the external entity
 * loader, which refuses everything (lib/core/xml.c).  While a schema
 * compiles, this thread installs a loader that serves local files below the
 * schema's package folder (the folder above the schema file, which holds
 * schemas/ and coreschemas/) and nothing else: no http, https or ftp.
 *
 * libxml2 keeps only the first xs:import per namespace.  The NL schema
 * imports urn:hl7-nl:v3 twice (datatypes-extensions-hl7nl.xsd from
 * datatypes.xsd, hl7nl_extension.xsd from POCD_MT000040NL_extended.xsd), so
 * the second file's types would be lost.  Before compiling we scan every
 * .xsd in the package for imports; for a namespace imported from more than
 * one file, a request for any of those files is answered with an in-memory
 * wrapper schema that xs:includes all of them (through a "zib-real:" URL
 * the loader maps back to the file itself).
 *
 * Validation: the compiled schema is read-only and shared; each call makes
 * its own xmlSchemaValidCtxt, so threads can validate at once.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

#include "cda/cda.h"
#include "cda/schema.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/xml.h"

#define REAL_SCHEME "zib-real:"

struct zib_schema {
	xmlSchemaPtr schema;
};

struct multi_import {
	char ns[256];
	char files[8][PATH_MAX];
	int nfiles;
	char *wrapper;
};

struct load_state {
	char root[PATH_MAX];          /* only files below this folder */
	struct multi_import imports[16];
	int nimports;
	char error[512];
};

static void note_import(struct load_state *st, const char *ns, const char *file)
{
	int i, k;

	for (i = 0; i < st->nimports; i++)
		if (strcmp(st->imports[i].ns, ns) == 0)
			break;
	if (i == st->nimports) {
		if (st->nimports == 16)
			return;
		snprintf(st->imports[i].ns, sizeof(st->imports[i].ns), "%s", ns);
		st->nimports++;
	}
	for (k = 0; k < st->imports[i].nfiles; k++)
		if (strcmp(st->imports[i].files[k], file) == 0)
			return;
	if (k < 8)
		snprintf(st->imports[i].files[st->imports[i].nfiles++], PATH_MAX, "%s", file);
}

/* Finds xs:import namespace/schemaLocation pairs in one schema file by a
 * plain text scan (the files are schemas we are about to parse anyway). */
static void scan_file(struct load_state *st, const char *path)
{
	char *data = NULL, *p, dir[PATH_MAX], *slash;
	size_t len;

	if (zib_read_file(&data, &len, path, (size_t)16 << 20, NULL) < 0)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	for (p = data; (p = strstr(p, ":import")) != NULL; p++) {
		char *end = strchr(p, '>'), *ns, *loc, nsv[256], locv[PATH_MAX], full[PATH_MAX * 2], real[PATH_MAX];
		char *c = p;
		while (c > data && *c != '<')
			c--;
		if (!end || (c > data && c[1] == '!') )
			continue;
		if (c >= data + 4 && strncmp(c - 4, "<!--", 4) == 0)
			continue;
		*end = '\0';
		ns = strstr(p, "namespace=\"");
		loc = strstr(p, "schemaLocation=\"");
		if (ns && loc && sscanf(ns + 11, "%255[^\"]", nsv) == 1 && sscanf(loc + 16, "%4095[^\"]", locv) == 1) {
			snprintf(full, sizeof(full), "%s/%s", dir, locv);
			if (realpath(full, real))
				note_import(st, nsv, real);
		}
		*end = '>';
	}
	free(data);
}

static void scan_dir(struct load_state *st, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat sb;
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode) && depth < 3)
			scan_dir(st, path, depth + 1);
		else if (S_ISREG(sb.st_mode) && n > 4 && strcmp(e->d_name + n - 4, ".xsd") == 0)
			scan_file(st, path);
	}
	closedir(d);
}

static void build_wrappers(struct load_state *st)
{
	int i, k;

	for (i = 0; i < st->nimports; i++) {
		struct multi_import *mi = &st->imports[i];
		struct buf b = BUF_INIT;
		if (mi->nfiles < 2)
			continue;
		buf_printf(&b, "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
			"targetNamespace=\"%s\" elementFormDefault=\"qualified\">\n", mi->ns);
		for (k = 0; k < mi->nfiles; k++)
			buf_printf(&b, "  <xs:include schemaLocation=\"" REAL_SCHEME "%s\"/>\n", mi->files[k]);
		buf_puts(&b, "</xs:schema>\n");
		mi->wrapper = buf_detach(&b, NULL);
	}
}

/* Maps a URL to a local path below the allowed root; 0 when refused. */
static int local_path(const struct load_state *st, const char *url, char *out, int *real)
{
	char tmp[PATH_MAX];

	*real = 0;
	if (strncmp(url, REAL_SCHEME, strlen(REAL_SCHEME)) == 0) {
		url += strlen(REAL_SCHEME);
		*real = 1;
	} else if (strncmp(url, "file://", 7) == 0) {
		url += 7;
	} else if (strncmp(url, "file:", 5) == 0) {
		url += 5;
	} else if (strstr(url, "://") || strncmp(url, "http:", 5) == 0 || strncmp(url, "ftp:", 4) == 0) {
		return 0;
	}
	if (!realpath(url, tmp))
		return 0;
	if (strncmp(tmp, st->root, strlen(st->root)) != 0 || tmp[strlen(st->root)] != '/')
		return 0;
	snprintf(out, PATH_MAX, "%s", tmp);
	return 1;
}

static xmlParserInputPtr schema_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt, void *data)
{
	struct load_state *st = data;
	char path[PATH_MAX];
	int real, i, k;
	xmlParserInputPtr in;

	(void)id;
	if (!url || !local_path(st, url, path, &real)) {
		if (!st->error[0])
			snprintf(st->error, sizeof(st->error), "refused to load '%.200s' (only local files below '%.200s')",
				url ? url : "?", st->root);
		return NULL;
	}
	if (!real) {
		for (i = 0; i < st->nimports; i++) {
			if (!st->imports[i].wrapper)
				continue;
			for (k = 0; k < st->imports[i].nfiles; k++) {
				if (strcmp(st->imports[i].files[k], path) == 0) {
					in = xmlNewStringInputStream(ctxt, (const xmlChar *)st->imports[i].wrapper);
					if (in)
						in->filename = (const char *)xmlStrdup((const xmlChar *)path);
					return in;
				}
			}
		}
	}
	return xmlNewInputFromFile(ctxt, path);
}

static void collect_schema_error(void *data, xmlErrorPtr e)
{
	struct load_state *st = data;

	if (e && e->level >= XML_ERR_ERROR && !st->error[0])
		snprintf(st->error, sizeof(st->error), "%.200s:%d: %.250s", e->file ? e->file : "schema", e->line,
			e->message ? e->message : "schema error");
}

int zib_schema_load(zib_schema **out, const char *path, zib_error *err)
{
	struct load_state *st;
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;
	char real[PATH_MAX], *slash;
	int i;

	*out = NULL;
	xml_init();
	if (!realpath(path, real))
		return error_set(err, ZIB_EIO, "cannot open schema '%s'", path);
	st = calloc(1, sizeof(*st));
	if (!st)
		return error_set(err, ZIB_ENOMEM, "out of memory loading '%s'", path);
	/* The package folder: the schema's folder's parent (schemas/..). */
	snprintf(st->root, sizeof(st->root), "%s", real);
	for (i = 0; i < 2; i++) {
		slash = strrchr(st->root, '/');
		if (slash && slash != st->root)
			*slash = '\0';
	}
	scan_dir(st, st->root, 0);
	build_wrappers(st);
	xml_set_thread_loader(schema_loader, st);
	pctxt = xmlSchemaNewParserCtxt(real);
	schema = NULL;
	if (pctxt) {
		xmlSchemaSetParserStructuredErrors(pctxt, collect_schema_error, st);
		schema = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	xml_set_thread_loader(NULL, NULL);
	for (i = 0; i < st->nimports; i++)
		free(st->imports[i].wrapper);
	if (!schema) {
		error_set(err, ZIB_EPARSE, "cannot load schema '%s': %s", path,
			st->error[0] ? st->error : "not a valid XML schema");
		free(st);
		return ZIB_EPARSE;
	}
	free(st);
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		xmlSchemaFree(schema);
		return error_set(err, ZIB_ENOMEM, "out of memory loading '%s'", path);
	}
	(*out)->schema = schema;
	return ZIB_OK;
}

void zib_schema_free(zib_schema *schema)
{
	if (!schema)
		return;
	xmlSchemaFree(schema->schema);
	free(schema);
}

struct validate_state {
	const char *file;
	zib_report *report;
	int count;
};

static void on_validity_error(void *data, xmlErrorPtr e)
{
	struct validate_state *vs = data;
	zib_diag d;
	char msg[1024], path[2048];
	size_t n;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	vs->count++;
	if (vs->count > 100)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "schema violation");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = XSD_CODE_INVALID;
	d.file = vs->file;
	d.line = e->line;
	if (e->node)
		d.path = xml_node_path_hl7((xmlNode *)e->node, path, sizeof(path));
	d.message = msg;
	zib_report_add(vs->report, &d);
}

int cda_schema_validate_doc(const zib_schema *schema, xmlDoc *xml, const char *file,
	zib_report *report, zib_error *err)
{
	struct validate_state vs = { file, report, 0 };
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema->schema);

	if (!v)
		return error_set(err, ZIB_ENOMEM, "out of memory validating '%s'", file);
	xmlSchemaSetValidStructuredErrors(v, on_validity_error, &vs);
	xmlSchemaValidateDoc(v, xml);
	xmlSchemaFreeValidCtxt(v);
	return ZIB_OK;
}
