/*
 * Element tree -> FHIR JSON and FHIR XML.  One canonical style each, so the
 * same tree always gives the same bytes:
 *
 * JSON: "resourceType" first, then the elements in specification order,
 * "_name" right after "name"; repeating elements always arrays; primitive
 * values as strings, or as the exact number text / true / false.  Compact
 * by default; with ZIB_FHIR_PRETTY two-space indentation, "key": value,
 * arrays of primitives on one line, arrays of objects one item per line.
 *
 * XML: <?xml version="1.0" encoding="UTF-8"?>, the FHIR namespace on the
 * root, elements in specification order, id/url/value as attributes,
 * empty elements as <x/>; compact, or indented by two spaces.
 */
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "fhir/tree.h"

struct writer {
	struct buf b;
	int pretty;
};

static void indent(struct writer *w, int depth)
{
	static const char spaces[] = "                                                                ";
	int n = depth * 2;

	buf_putc(&w->b, '\n');
	while (n > 0) {
		int k = n > 64 ? 64 : n;
		buf_append(&w->b, spaces, (size_t)k);
		n -= k;
	}
}

/* ---- JSON ---- */

static void json_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *end = s + len;

	buf_putc(b, '"');
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			n = 6;
		}
		buf_append(b, esc, n);
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

static void json_key(struct writer *w, const char *prefix, const char *name, int *first, int depth)
{
	if (!*first)
		buf_putc(&w->b, ',');
	*first = 0;
	if (w->pretty)
		indent(w, depth);
	buf_putc(&w->b, '"');
	if (prefix)
		buf_puts(&w->b, prefix);
	buf_puts(&w->b, name);
	buf_puts(&w->b, w->pretty ? "\": " : "\":");
}

static void json_prim_value(struct writer *w, const struct fhir_node *n)
{
	if (!n->value)
		buf_puts(&w->b, "null");
	else if (n->def->prim == FHIR_P_STRING)
		json_string(&w->b, n->value, n->value_len);
	else
		buf_append(&w->b, n->value, n->value_len);
}

static void json_object(struct writer *w, const struct fhir_node *n, int depth);

/* The "_name" object of a primitive: its id and extensions. */
static int has_ext(const struct fhir_node *n)
{
	return n->children != NULL;
}

static void json_value(struct writer *w, const struct fhir_node *n, int depth)
{
	switch (n->kind) {
	case FHIR_K_ATTR:
	case FHIR_K_XHTML:
		json_string(&w->b, n->value, n->value_len);
		break;
	case FHIR_K_PRIM:
		json_prim_value(w, n);
		break;
	default:
		json_object(w, n, depth);
	}
}

/* Writes the members of an object for n's children (and resourceType). */
static void json_members(struct writer *w, const struct fhir_node *n, int depth, int *first)
{
	const struct fhir_node *c = n->children, *g, *end;

	while (c) {
		int count = 0, any_value = 0, any_ext = 0;

		for (end = c; end && end->def == c->def; end = end->next) {
			count++;
			if (end->kind == FHIR_K_PRIM) {
				any_value |= end->value != NULL;
				any_ext |= has_ext(end);
			}
		}
		if (c->kind == FHIR_K_PRIM) {
			if (!c->def->repeats) {
				if (c->value) {
					json_key(w, NULL, c->name, first, depth);
					json_prim_value(w, c);
				}
				if (has_ext(c)) {
					json_key(w, "_", c->name, first, depth);
					json_object(w, c, depth);
				}
			} else {
				if (any_value) {
					json_key(w, NULL, c->name, first, depth);
					buf_putc(&w->b, '[');
					for (g = c; g != end; g = g->next) {
						if (g != c)
							buf_puts(&w->b, w->pretty ? ", " : ",");
						json_prim_value(w, g);
					}
					buf_putc(&w->b, ']');
				}
				if (any_ext) {
					json_key(w, "_", c->name, first, depth);
					buf_putc(&w->b, '[');
					for (g = c; g != end; g = g->next) {
						if (g != c)
							buf_putc(&w->b, ',');
						if (w->pretty)
							indent(w, depth + 1);
						if (has_ext(g))
							json_object(w, g, depth + 1);
						else
							buf_puts(&w->b, "null");
					}
					if (w->pretty)
						indent(w, depth);
					buf_putc(&w->b, ']');
				}
			}
		} else if (c->def->repeats) {
			json_key(w, NULL, c->name, first, depth);
			buf_putc(&w->b, '[');
			for (g = c; g != end; g = g->next) {
				if (g != c)
					buf_putc(&w->b, ',');
				if (w->pretty)
					indent(w, depth + 1);
				json_value(w, g, depth + 1);
			}
			if (w->pretty)
				indent(w, depth);
			buf_putc(&w->b, ']');
		} else {
			for (g = c; g != end; g = g->next) {
				json_key(w, NULL, g->name, first, depth);
				json_value(w, g, depth);
			}
		}
		c = end;
	}
}

static void json_object(struct writer *w, const struct fhir_node *n, int depth)
{
	int first = 1;

	buf_putc(&w->b, '{');
	if (n->kind == FHIR_K_RESOURCE) {
		json_key(w, NULL, "resourceType", &first, depth + 1);
		json_string(&w->b, n->type->name, strlen(n->type->name));
	}
	json_members(w, n, depth + 1, &first);
	if (w->pretty && !first)
		indent(w, depth);
	buf_putc(&w->b, '}');
}

int zib_fhir_write_json(char **out, size_t *len, const zib_fhir *f, int flags, zib_error *err)
{
	struct writer w;

	memset(&w, 0, sizeof(w));
	w.pretty = flags & ZIB_FHIR_PRETTY;
	json_object(&w, f->root, 0);
	buf_putc(&w.b, '\n');
	if (w.b.oom) {
		buf_release(&w.b);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	*out = buf_detach(&w.b, len);
	return ZIB_OK;
}

/* ---- XML ---- */

static void xml_attr_value(struct buf *b, const char *s, size_t len)
{
	const char *run = s, *end = s + len;

	for (; s < end; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\t': rep = "&#9;"; break;
		case '\n': rep = "&#10;"; break;
		case '\r': rep = "&#13;"; break;
		default: continue;
		}
		buf_append(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
}

static void xml_attr(struct writer *w, const char *name, const char *value, size_t len)
{
	buf_putc(&w->b, ' ');
	buf_puts(&w->b, name);
	buf_puts(&w->b, "=\"");
	xml_attr_value(&w->b, value, len);
	buf_putc(&w->b, '"');
}

static void xml_element(struct writer *w, const struct fhir_node *n, int depth, int root);

/* Writes n's element children (attributes already written) and the end
 * tag, or "/>" when there are none. */
static void xml_content(struct writer *w, const struct fhir_node *n, const char *tag, int depth)
{
	const struct fhir_node *c;
	int any = 0;

	for (c = n->children; c; c = c->next) {
		if (c->kind == FHIR_K_ATTR)
			continue;
		if (!any)
			buf_putc(&w->b, '>');
		any = 1;
		xml_element(w, c, depth + 1, 0);
	}
	if (!any) {
		buf_puts(&w->b, "/>");
		return;
	}
	if (w->pretty)
		indent(w, depth);
	buf_puts(&w->b, "</");
	buf_puts(&w->b, tag);
	buf_putc(&w->b, '>');
}

static void xml_attrs(struct writer *w, const struct fhir_node *n)
{
	const struct fhir_node *c;

	for (c = n->children; c && c->kind == FHIR_K_ATTR; c = c->next)
		xml_attr(w, c->name, c->value, c->value_len);
}

static void xml_element(struct writer *w, const struct fhir_node *n, int depth, int root)
{
	if (w->pretty && !root)
		indent(w, depth);
	switch (n->kind) {
	case FHIR_K_XHTML:
		buf_append(&w->b, n->value, n->value_len);
		return;
	case FHIR_K_PRIM:
		buf_putc(&w->b, '<');
		buf_puts(&w->b, n->name);
		xml_attrs(w, n);
		if (n->value)
			xml_attr(w, "value", n->value, n->value_len);
		xml_content(w, n, n->name, depth);
		return;
	case FHIR_K_COMPLEX:
		buf_putc(&w->b, '<');
		buf_puts(&w->b, n->name);
		xml_attrs(w, n);
		xml_content(w, n, n->name, depth);
		return;
	case FHIR_K_RESOURCE:
		if (!root) {
			buf_putc(&w->b, '<');
			buf_puts(&w->b, n->name);
			buf_putc(&w->b, '>');
			depth++;
			if (w->pretty)
				indent(w, depth);
		}
		buf_putc(&w->b, '<');
		buf_puts(&w->b, n->type->name);
		if (root)
			buf_puts(&w->b, " xmlns=\"http://hl7.org/fhir\"");
		xml_content(w, n, n->type->name, depth);
		if (!root) {
			depth--;
			if (w->pretty)
				indent(w, depth);
			buf_puts(&w->b, "</");
			buf_puts(&w->b, n->name);
			buf_putc(&w->b, '>');
		}
		return;
	}
}

int zib_fhir_write_xml(char **out, size_t *len, const zib_fhir *f, int flags, zib_error *err)
{
	struct writer w;

	memset(&w, 0, sizeof(w));
	w.pretty = flags & ZIB_FHIR_PRETTY;
	buf_puts(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	xml_element(&w, f->root, 0, 1);
	buf_putc(&w.b, '\n');
	if (w.b.oom) {
		buf_release(&w.b);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	*out = buf_detach(&w.b, len);
	return ZIB_OK;
}
