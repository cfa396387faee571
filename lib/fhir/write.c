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

/* Appending is most of the writers' work: copy straight into the buffer,
 * which is sized up front, and call buf_append() only to grow it.  The
 * closing NUL is written once at the end (finish()). */
static inline void put_n(struct buf *b, const char *s, size_t n)
{
	if (n < b->cap - b->len) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
	} else {
		buf_append(b, s, n);
	}
}

static inline void put_c(struct buf *b, char c)
{
	if (b->len + 1 < b->cap)
		b->data[b->len++] = c;
	else
		buf_append(b, &c, 1);
}

static inline void put_s(struct buf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* Room for the output of a document read from src_len bytes: FHIR XML
 * is about 1.3 times its JSON, JSON about 0.8 times its XML. */
static void start(struct writer *w, const zib_fhir *f, int flags, size_t per_byte)
{
	memset(w, 0, sizeof(*w));
	w->pretty = flags & ZIB_FHIR_PRETTY;
	buf_reserve(&w->b, f->src_len * per_byte + 4096);
}

static int finish(struct writer *w, char **out_data, size_t *len, zib_error *err)
{
	put_c(&w->b, '\n');
	if (w->b.oom) {
		buf_release(&w->b);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	w->b.data[w->b.len] = '\0';
	*out_data = buf_detach(&w->b, len);
	return ZIB_OK;
}

static void indent(struct writer *w, int depth)
{
	static const char spaces[] = "                                                                ";
	int n = depth * 2;

	put_c(&w->b, '\n');
	while (n > 0) {
		int k = n > 64 ? 64 : n;
		put_n(&w->b, spaces, (size_t)k);
		n -= k;
	}
}

/* ---- JSON ---- */

static void json_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *end = s + len;

	put_c(b, '"');
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put_n(b, run, (size_t)(s - run));
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
		put_n(b, esc, n);
	}
	put_n(b, run, (size_t)(s - run));
	put_c(b, '"');
}

static void json_key(struct writer *w, const char *prefix, const char *name, int *first, int depth)
{
	if (!*first)
		put_c(&w->b, ',');
	*first = 0;
	if (w->pretty)
		indent(w, depth);
	put_c(&w->b, '"');
	if (prefix)
		put_s(&w->b, prefix);
	put_s(&w->b, name);
	put_s(&w->b, w->pretty ? "\": " : "\":");
}

static void json_prim_value(struct writer *w, const struct fhir_node *n)
{
	if (!n->value)
		put_s(&w->b, "null");
	else if (n->def->prim == FHIR_P_STRING)
		json_string(&w->b, n->value, n->value_len);
	else
		put_n(&w->b, n->value, n->value_len);
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

		if (!c->def) {
			/* A generic node of a tolerant read (another release's
			 * element): as written, siblings of one name an array. */
			for (end = c; end && !end->def && strcmp(end->name, c->name) == 0; end = end->next)
				count++;
			json_key(w, NULL, c->name, first, depth);
			if (count > 1)
				put_c(&w->b, '[');
			for (g = c; g != end; g = g->next) {
				if (g != c)
					put_c(&w->b, ',');
				if (g->children)
					json_object(w, g, depth + (count > 1));
				else if (g->value)
					json_string(&w->b, g->value, g->value_len);
				else
					put_s(&w->b, "null");
			}
			if (count > 1)
				put_c(&w->b, ']');
			c = end;
			continue;
		}
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
					put_c(&w->b, '[');
					for (g = c; g != end; g = g->next) {
						if (g != c)
							put_s(&w->b, w->pretty ? ", " : ",");
						json_prim_value(w, g);
					}
					put_c(&w->b, ']');
				}
				if (any_ext) {
					json_key(w, "_", c->name, first, depth);
					put_c(&w->b, '[');
					for (g = c; g != end; g = g->next) {
						if (g != c)
							put_c(&w->b, ',');
						if (w->pretty)
							indent(w, depth + 1);
						if (has_ext(g))
							json_object(w, g, depth + 1);
						else
							put_s(&w->b, "null");
					}
					if (w->pretty)
						indent(w, depth);
					put_c(&w->b, ']');
				}
			}
		} else if (c->def->repeats) {
			json_key(w, NULL, c->name, first, depth);
			put_c(&w->b, '[');
			for (g = c; g != end; g = g->next) {
				if (g != c)
					put_c(&w->b, ',');
				if (w->pretty)
					indent(w, depth + 1);
				json_value(w, g, depth + 1);
			}
			if (w->pretty)
				indent(w, depth);
			put_c(&w->b, ']');
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

	put_c(&w->b, '{');
	if (n->kind == FHIR_K_RESOURCE) {
		json_key(w, NULL, "resourceType", &first, depth + 1);
		json_string(&w->b, n->type->name, strlen(n->type->name));
	}
	json_members(w, n, depth + 1, &first);
	if (w->pretty && !first)
		indent(w, depth);
	put_c(&w->b, '}');
}

int zib_fhir_write_json(char **out, size_t *len, const zib_fhir *f, int flags, zib_error *err)
{
	struct writer w;

	start(&w, f, flags, flags & ZIB_FHIR_PRETTY ? 2 : 1);
	json_object(&w, f->root, 0);
	return finish(&w, out, len, err);
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
		put_n(b, run, (size_t)(s - run));
		put_s(b, rep);
		run = s + 1;
	}
	put_n(b, run, (size_t)(s - run));
}

static void xml_attr(struct writer *w, const char *name, const char *value, size_t len)
{
	put_c(&w->b, ' ');
	put_s(&w->b, name);
	put_s(&w->b, "=\"");
	xml_attr_value(&w->b, value, len);
	put_c(&w->b, '"');
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
			put_c(&w->b, '>');
		any = 1;
		xml_element(w, c, depth + 1, 0);
	}
	if (!any) {
		put_s(&w->b, "/>");
		return;
	}
	if (w->pretty)
		indent(w, depth);
	put_s(&w->b, "</");
	put_s(&w->b, tag);
	put_c(&w->b, '>');
}

static void xml_attrs(struct writer *w, const struct fhir_node *n)
{
	const struct fhir_node *c;

	for (c = n->children; c && c->kind == FHIR_K_ATTR; c = c->next)
		xml_attr(w, c->name, c->value, c->value_len);
}

static void xml_element(struct writer *w, const struct fhir_node *n, int depth, int root)
{
	/* A primitive with neither value nor extension is no element (as in
	 * JSON): FHIR forbids it (ele-1). */
	if (n->kind == FHIR_K_PRIM && !n->value && !n->children)
		return;
	if (w->pretty && !root)
		indent(w, depth);
	switch (n->kind) {
	case FHIR_K_XHTML:
		put_n(&w->b, n->value, n->value_len);
		return;
	case FHIR_K_PRIM:
		put_c(&w->b, '<');
		put_s(&w->b, n->name);
		xml_attrs(w, n);
		if (n->value)
			xml_attr(w, "value", n->value, n->value_len);
		xml_content(w, n, n->name, depth);
		return;
	case FHIR_K_COMPLEX:
		put_c(&w->b, '<');
		put_s(&w->b, n->name);
		xml_attrs(w, n);
		xml_content(w, n, n->name, depth);
		return;
	case FHIR_K_RESOURCE:
		if (!root) {
			put_c(&w->b, '<');
			put_s(&w->b, n->name);
			put_c(&w->b, '>');
			depth++;
			if (w->pretty)
				indent(w, depth);
		}
		put_c(&w->b, '<');
		put_s(&w->b, n->type->name);
		if (root)
			put_s(&w->b, " xmlns=\"http://hl7.org/fhir\"");
		xml_content(w, n, n->type->name, depth);
		if (!root) {
			depth--;
			if (w->pretty)
				indent(w, depth);
			put_s(&w->b, "</");
			put_s(&w->b, n->name);
			put_c(&w->b, '>');
		}
		return;
	}
}

int zib_fhir_write_xml(char **out, size_t *len, const zib_fhir *f, int flags, zib_error *err)
{
	struct writer w;

	start(&w, f, flags, 2);
	put_s(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	xml_element(&w, f->root, 0, 1);
	return finish(&w, out, len, err);
}
