/*
 * The FHIR element tree: nodes, paths, findings, and the public entry
 * points (zib_fhir_parse, zib_fhir_free, ...).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "fhir/tree.h"

/* The length of a choice element's name without its type: 8 for
 * "deceasedBoolean" (type boolean). */
static size_t choice_base_len(const struct fhir_elem *e)
{
	size_t n = strlen(e->name), t = strlen(e->type_code);

	return t < n ? n - t : n;
}

const struct fhir_node *fhir_node_choice_taken(const struct fhir_node *parent,
	const struct fhir_elem *def)
{
	const struct fhir_node *ch;
	size_t base;

	if (!def || !def->choice)
		return NULL;
	base = choice_base_len(def);
	for (ch = parent->children; ch; ch = ch->next)
		if (ch->def && ch->def != def && ch->def->choice && choice_base_len(ch->def) == base &&
		    strncmp(ch->def->name, def->name, base) == 0)
			return ch;
	return NULL;
}

const struct fhir_node *fhir_node_child(const struct fhir_node *parent,
	const struct fhir_elem *def)
{
	const struct fhir_node *ch;

	/* Siblings of one def are adjacent and usually last. */
	if (parent->last && parent->last->def == def)
		return parent->last;
	for (ch = parent->children; ch; ch = ch->next)
		if (ch->def == def)
			return ch;
	return NULL;
}

struct fhir_node *fhir_node_add(struct zib_fhir *t, struct fhir_node *parent,
	const struct fhir_elem *def, int line, int column)
{
	struct fhir_node *n = arena_alloc(&t->arena, sizeof(*n));
	const struct fhir_type *pt;

	if (!n)
		return NULL;
	n->def = def;
	n->name = def->name;
	n->kind = def->kind;
	n->type = fhir_elem_type(t->defs, def);
	n->line = line;
	n->column = column;
	n->parent = parent;
	pt = parent->type ? parent->type : t->prim_type;
	n->order = pt ? fhir_elem_order(t->defs, pt, def) : 0;
	/* Sources are nearly always in order already: appending is O(1); an
	 * element out of order is placed after the last one not after it. */
	if (!parent->last || parent->last->order <= n->order) {
		struct fhir_node *last = parent->last;
		/* Siblings of one def share its order: after a smaller order
		 * n is the first of its def, after its own def the next. */
		if (!last || last->order < n->order)
			n->same_index = 1;
		else if (last->def == def && last->same_index)
			n->same_index = last->same_index + 1;
		if (last)
			last->next = n;
		else
			parent->children = n;
		parent->last = n;
	} else {
		struct fhir_node **pp = &parent->children, *s;
		while (*pp && (*pp)->order <= n->order)
			pp = &(*pp)->next;
		n->next = *pp;
		*pp = n;
		for (s = n->next; s; s = s->next)
			s->same_index = 0;
	}
	return n;
}

/* The position of n among its parent's children of the same def (or,
 * without def, of the same name) and how many there are (*n_same, only
 * counted without def or when the position is not known). */
static int sibling_index(const struct fhir_node *n, int *n_same)
{
	const struct fhir_node *s;
	int index = 0;

	*n_same = 0;
	if (n->def && n->same_index)
		return n->same_index - 1;
	for (s = n->parent->children; s; s = s->next) {
		if (n->def ? s->def != n->def : strcmp(s->name, n->name) != 0)
			continue;
		if (s == n)
			index = *n_same;
		(*n_same)++;
	}
	return index;
}

/* Appends "name[i]" for n to buf at *pos (recursively from the root). */
static void path_append(const struct fhir_node *n, char *buf, size_t size, size_t *pos)
{
	int index, n_same;
	int w;

	if (n->parent)
		path_append(n->parent, buf, size, pos);
	if (*pos >= size)
		return;
	if (!n->parent) {
		w = snprintf(buf + *pos, size - *pos, "%s", n->type ? n->type->name : n->name);
	} else {
		index = sibling_index(n, &n_same);
		if (n->def ? n->def->repeats : n_same > 1)
			w = snprintf(buf + *pos, size - *pos, ".%s[%d]", n->name, index);
		else
			w = snprintf(buf + *pos, size - *pos, ".%s", n->name);
	}
	if (w > 0)
		*pos += (size_t)w;
	if (*pos >= size)
		*pos = size - 1;
}

const char *fhir_node_path(const struct fhir_node *n, char *buf, size_t size)
{
	size_t pos = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (n)
		path_append(n, buf, size, &pos);
	return buf;
}

void fhir_diag(struct fhir_tree_src *src, zib_severity sev, const char *code, int line,
	int column, const char *path, const char *fmt, ...)
{
	char msg[1024];
	zib_diag d;
	va_list ap;

	if (sev == ZIB_SEV_ERROR)
		src->errors++;
	if (!src->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = src->file;
	d.line = line;
	d.column = column;
	d.path = path && *path ? path : NULL;
	d.message = msg;
	zib_report_add(src->report, &d);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*) then, for decimals, (\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number_ok(const char *s, size_t len, int decimal)
{
	size_t i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || !is_digit(s[i]))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (i < len && is_digit(s[i]))
			i++;
	if (!decimal)
		return i == len;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || !is_digit(s[i]))
			return 0;
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return 0;
		while (i < len && is_digit(s[i]))
			i++;
	}
	return i == len;
}

const char *fhir_check_prim(const struct fhir_elem *def, const char *s, size_t len)
{
	switch (def->prim) {
	case FHIR_P_BOOLEAN:
		if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0))
			return NULL;
		return "not a boolean (true or false)";
	case FHIR_P_INTEGER:
		if (!number_ok(s, len, 0))
			return "not an integer";
		if (len > 11 || (len == 11 && s[0] != '-') ||
		    strtoll(s, NULL, 10) > 2147483647LL || strtoll(s, NULL, 10) < -2147483648LL)
			return "integer out of range (32 bits)";
		if (strcmp(def->type_code, "positiveInt") == 0 && (s[0] == '-' || strtoll(s, NULL, 10) == 0))
			return "not a positiveInt (1 or more)";
		if (strcmp(def->type_code, "unsignedInt") == 0 && s[0] == '-')
			return "not an unsignedInt (0 or more)";
		return NULL;
	case FHIR_P_DECIMAL:
		return number_ok(s, len, 1) ? NULL : "not a decimal";
	}
	return NULL;
}

/* ---- public API ---- */

int fhir_first_char(const char *data, size_t len)
{
	size_t i = utf8_bom_len(data, len);

	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	return i < len ? data[i] : 0;
}

int zib_fhir_parse_part(zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, zib_report *report, zib_error *err)
{
	return fhir_parse(out, data, len, file, first_line, 0, report, err);
}

const char *fhir_resource_name(const struct fhir_node *n)
{
	if (n->type)
		return n->type->name;
	return n->value ? n->value : n->name;
}

int fhir_not_fhir(struct fhir_tree_src *src, int c, const char *file, zib_error *err)
{
	fhir_diag(src, ZIB_SEV_ERROR, FHIR_CODE_NOT_FHIR, src->first_line, 1, NULL,
		c ? "not FHIR XML or JSON (starts with neither '<' nor '{')" : "empty document");
	return error_set(err, ZIB_EPARSE, "%s: not FHIR XML or JSON", file ? file : "-");
}

struct zib_fhir *fhir_tree_new(struct fhir_tree_src *src, const struct fhir_defs *defs,
	const char *file, size_t src_len, int first_line, int tolerant, zib_report *report)
{
	struct zib_fhir *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	arena_init(&t->arena);
	t->defs = defs ? defs : &fhir_defs_r4;
	t->prim_type = fhir_type_find(t->defs, "Extension");
	t->file = file ? arena_strdup(&t->arena, file) : NULL;
	t->src_len = src_len;
	memset(src, 0, sizeof(*src));
	src->file = t->file;
	src->first_line = first_line > 0 ? first_line : 1;
	src->report = report;
	src->tolerant = tolerant;
	return t;
}

/* fhir_parse and fhir_parse_keep: keep says what a structure error does
 * (0: the parse fails, 1: the tree is kept). */
static int parse_tree(struct zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, const struct fhir_defs *defs, int tolerant, int keep, zib_report *report,
	zib_error *err)
{
	struct fhir_tree_src src;
	struct zib_fhir *t;
	int c, rc;

	*out = NULL;
	t = fhir_tree_new(&src, defs, file, len, first_line, tolerant, report);
	if (!t)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	c = fhir_first_char(data, len);
	if (c == '<') {
		t->format = ZIB_FORMAT_FHIR_XML;
		rc = fhir_read_xml(t, data, len, &src, err);
	} else if (c == '{') {
		t->format = ZIB_FORMAT_FHIR_JSON;
		rc = fhir_read_json(t, data, len, &src, err);
	} else {
		rc = fhir_not_fhir(&src, c, file, err);
	}
	if (rc == 0 && src.errors && !keep)
		rc = error_set(err, ZIB_EPARSE, "%s: %d error%s in FHIR document", file ? file : "-",
			src.errors, src.errors == 1 ? "" : "s");
	if (rc < 0 && (!keep || rc == ZIB_ENOMEM || t->format == ZIB_FORMAT_UNKNOWN)) {
		zib_fhir_free(t);
		return rc;
	}
	*out = t;
	return ZIB_OK;
}

int fhir_parse(struct zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, int tolerant, zib_report *report, zib_error *err)
{
	return parse_tree(out, data, len, file, first_line, NULL, tolerant, 0, report, err);
}

int fhir_parse_keep(struct zib_fhir **out, const char *data, size_t len, const char *file,
	int first_line, const struct fhir_defs *defs, int tolerant, zib_report *report,
	zib_error *err)
{
	return parse_tree(out, data, len, file, first_line, defs, tolerant, 1, report, err);
}

int zib_fhir_parse(zib_fhir **out, const char *data, size_t len, const char *file,
	zib_report *report, zib_error *err)
{
	return zib_fhir_parse_part(out, data, len, file, 1, report, err);
}

void zib_fhir_free(zib_fhir *t)
{
	if (!t)
		return;
	arena_release(&t->arena);
	free(t);
}

zib_source_format zib_fhir_format(const zib_fhir *t)
{
	return t->format;
}

const char *zib_fhir_resource_type(const zib_fhir *t)
{
	return t->root && t->root->type ? t->root->type->name : "";
}

const char *zib_fhir_version(const zib_fhir *t)
{
	return t->defs->version;
}

/* Do path segments a and b name the same element (slices aside)? */
static int same_element(const char *a, size_t la, const char *b, size_t lb)
{
	const char *ca = memchr(a, ':', la), *cb = memchr(b, ':', lb);

	if (ca)
		la = (size_t)(ca - a);
	if (cb)
		lb = (size_t)(cb - b);
	return la == lb && strncmp(a, b, la) == 0;
}

size_t fhir_path_beside(const char *path, const char *group_path, const char **rest)
{
	const char *pa = path, *pb = group_path;
	size_t shared = 0, la, lb, up = 1;

	for (;;) {
		la = strcspn(pa, ".");
		lb = strcspn(pb, ".");
		if (!same_element(pa, la, pb, lb) || !pa[la] || !pb[lb])
			break;
		shared++;
		pa += la + 1;
		pb += lb + 1;
	}
	/* Below or above the group's path is no path beside it. */
	if (shared < 2 || same_element(pa, la, pb, lb))
		return 0;
	for (; *pb; pb++)
		up += *pb == '.';
	*rest = pa;
	return up;
}

static void unlink_node(struct fhir_node *n)
{
	struct fhir_node *p = n->parent, **pp, *prev = NULL, *s;

	for (pp = &p->children; *pp && *pp != n; pp = &(*pp)->next)
		prev = *pp;
	if (!*pp)
		return;
	*pp = n->next;
	if (p->last == n)
		p->last = prev;
	for (s = n->next; s; s = s->next)
		s->same_index = 0;
}

void fhir_node_prune(struct fhir_node *n)
{
	while (n && n->parent && n->kind != FHIR_K_RESOURCE && !n->children && !n->value) {
		struct fhir_node *p = n->parent;
		unlink_node(n);
		n = p;
	}
}
