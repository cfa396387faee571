/*
 * Schematron compilation: read the rule file, splice in every <include>,
 * expand abstract patterns (is-a + param) and abstract rules (extends),
 * choose the phase, compile every XPath, and put the rule contexts into
 * one pattern set (lib/xpath2/patset.c) that matches them all in a walk.
 */
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "core/error.h"
#include "core/xml.h"
#include "schematron/schematron.h"

#define SCH_NS "http://purl.oclc.org/dsdl/schematron"

/* Source text -> compiled expression.  The keys are long (BgZ 2020: 500
 * characters on average), so each slot keeps its hash: growing and
 * probing never hash or compare a key again for nothing. */
struct src_slot {
	uint64_t hash;
	const char *key;
	struct xp_expr *e;
};

struct src_cache {
	struct src_slot *slots;
	size_t cap, count;
};

static uint64_t src_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h | 1;   /* 0 marks an empty slot */
}

static struct src_slot *src_find(const struct src_cache *c, const char *key, uint64_t h)
{
	size_t i;

	if (!c->cap)
		return NULL;
	for (i = h & (c->cap - 1); c->slots[i].hash; i = (i + 1) & (c->cap - 1))
		if (c->slots[i].hash == h && strcmp(c->slots[i].key, key) == 0)
			return &c->slots[i];
	return &c->slots[i];
}

static int src_put(struct src_cache *c, const char *key, uint64_t h, struct xp_expr *e)
{
	struct src_slot *s;

	if ((c->count + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct src_slot *old = c->slots, *n = calloc(cap, sizeof(*n));
		if (!n)
			return -1;
		for (size_t i = 0; i < c->cap; i++)
			if (old[i].hash) {
				size_t j = old[i].hash & (cap - 1);
				while (n[j].hash)
					j = (j + 1) & (cap - 1);
				n[j] = old[i];
			}
		free(old);
		c->slots = n;
		c->cap = cap;
	}
	s = src_find(c, key, h);
	s->hash = h;
	s->key = key;
	s->e = e;
	c->count++;
	return 0;
}

struct loader {
	zib_schematron *sch;
	zib_error *err;
	xmlDoc *main;
	/* included roots and the files they came from, for messages */
	xmlNode **roots;
	const char **root_files;
	/* the parsed include files, whose roots are linked into main as they
	 * are (no copy); NULL for roots of main's own */
	xmlDoc **root_docs;
	size_t nroots, caproots;
	struct strmap abstract_rules;   /* id -> xmlNode* */
	struct strmap abstract_patterns;
	struct xp_static st;
	/* compiled expressions by source text: abstract rules, extends and
	 * is-a repeat the same tests thousands of times (BgZ 2020: 62,000
	 * compiles, 3,300 distinct), and a compiled tree is read-only */
	struct src_cache exprs, patterns;
	size_t capexprs;
	/* abstract rule id -> struct body: an abstract rule compiles to the
	 * same items wherever it is extended (BgZ 2020: 1,383 extends of a
	 * few hundred rules, 26,000 of the 31,000 asserts), so once */
	struct strmap bodies;
	int depth;
};

struct body {
	struct sch_item *v;
	size_t n, nasserts;
};

static int is_sch(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
		strcmp((const char *)n->ns->href, SCH_NS) == 0 && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(struct loader *l, const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	const char *s;

	if (!v)
		return NULL;
	s = arena_strdup(&l->sch->arena, (const char *)v);
	xmlFree(v);
	return s;
}

static const char *node_file(struct loader *l, const xmlNode *n)
{
	for (; n; n = n->parent)
		for (size_t i = 0; i < l->nroots; i++)
			if (l->roots[i] == n)
				return l->root_files[i];
	return l->sch->path;
}

static int fail(struct loader *l, const xmlNode *n, const char *fmt, const char *a, const char *b)
{
	char msg[400];

	snprintf(msg, sizeof(msg), fmt, a, b ? b : "");
	return error_set(l->err, ZIB_EPARSE, "%s:%ld: %s", node_file(l, n),
		n ? xmlGetLineNo(n) : 0L, msg);
}

static xmlDoc *read_xml(struct loader *l, const char *path)
{
	char *data;
	size_t len;
	xmlDoc *doc;

	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, l->err) < 0)
		return NULL;
	if (xml_parse(&doc, data, len, path, NULL, l->err) < 0)
		doc = NULL;
	free(data);
	l->sch->nfiles++;
	return doc;
}

static int remember_root(struct loader *l, xmlNode *root, xmlDoc *doc, const char *file)
{
	if (l->nroots == l->caproots) {
		size_t cap = l->caproots ? l->caproots * 2 : 64;
		xmlNode **r = realloc(l->roots, cap * sizeof(*r));
		const char **f;
		xmlDoc **d;
		if (!r)
			return -1;
		l->roots = r;
		f = realloc(l->root_files, cap * sizeof(*f));
		if (!f)
			return -1;
		l->root_files = f;
		d = realloc(l->root_docs, cap * sizeof(*d));
		if (!d)
			return -1;
		l->root_docs = d;
		l->caproots = cap;
	}
	l->roots[l->nroots] = root;
	l->root_docs[l->nroots] = doc;
	l->root_files[l->nroots++] = file;
	return 0;
}

/* Puts root (of another document) where old is, without adopting it: its
 * strings stay in its own document's dictionary, which frees them. */
static void splice_root(xmlNode *old, xmlNode *root)
{
	xmlUnlinkNode(root);
	root->parent = old->parent;
	root->prev = old->prev;
	root->next = old->next;
	if (old->prev)
		old->prev->next = root;
	else if (old->parent)
		old->parent->children = root;
	if (old->next)
		old->next->prev = root;
	else if (old->parent)
		old->parent->last = root;
	old->parent = old->prev = old->next = NULL;
}

/* Takes the spliced roots out again and frees each with its document,
 * before main is freed (xmlFreeDoc frees a tree with one dictionary). */
static void free_included(struct loader *l)
{
	for (size_t i = 0; i < l->nroots; i++)
		if (l->root_docs[i])
			xmlUnlinkNode(l->roots[i]);
	for (size_t i = 0; i < l->nroots; i++)
		if (l->root_docs[i]) {
			xmlFreeNode(l->roots[i]);
			xmlFreeDoc(l->root_docs[i]);
		}
}

/* Replaces every <include href> below n by the root element of the file,
 * recursively (relative to the including file). */
static int splice_includes(struct loader *l, xmlNode *n, const char *file)
{
	xmlNode *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_sch(c, "include")) {
			const char *href = attr(l, c, "href");
			char path[4096], dir[4096];
			xmlDoc *inc;
			xmlNode *copy;
			const char *ipath;
			if (!href)
				return fail(l, c, "<include> without href", NULL, NULL);
			if (strchr(href, ':') && !strchr(href, '/'))
				return fail(l, c, "include '%s': only local files", href, NULL);
			snprintf(dir, sizeof(dir), "%s", file);
			snprintf(path, sizeof(path), "%s%s%s", href[0] == '/' ? "" : dirname(dir),
				href[0] == '/' ? "" : "/", href);
			if (++l->depth > 32)
				return fail(l, c, "include '%s' nested too deep", href, NULL);
			inc = read_xml(l, path);
			if (!inc)
				return ZIB_EPARSE;
			copy = xmlDocGetRootElement(inc);
			ipath = arena_strdup(&l->sch->arena, path);
			if (!copy || remember_root(l, copy, inc, ipath) < 0) {
				xmlFreeDoc(inc);
				return error_set(l->err, ZIB_ENOMEM, "out of memory");
			}
			splice_root(c, copy);
			xmlFreeNode(c);
			if (splice_includes(l, copy, ipath) < 0)
				return ZIB_EPARSE;
			l->depth--;
		} else if (splice_includes(l, c, file) < 0) {
			return ZIB_EPARSE;
		}
	}
	return 0;
}

static void collect_abstracts(struct loader *l, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_sch(c, "rule")) {
			xmlChar *abs = xmlGetNoNsProp(c, (const xmlChar *)"abstract");
			if (abs && strcmp((const char *)abs, "true") == 0) {
				const char *id = attr(l, c, "id");
				/* the first definition wins, as xsl:key lookups take the first */
				if (id && !strmap_get(&l->abstract_rules, id))
					strmap_put(&l->abstract_rules, id, c);
			}
			xmlFree(abs);
			continue;
		}
		if (is_sch(c, "pattern")) {
			xmlChar *abs = xmlGetNoNsProp(c, (const xmlChar *)"abstract");
			if (abs && strcmp((const char *)abs, "true") == 0) {
				const char *id = attr(l, c, "id");
				if (id && !strmap_get(&l->abstract_patterns, id))
					strmap_put(&l->abstract_patterns, id, c);
			}
			xmlFree(abs);
		}
		collect_abstracts(l, c);
	}
}

/* ---- abstract patterns: textual $param substitution ---- */

struct param {
	const char *name;
	const char *value;
};

static char *substitute(const char *s, const struct param *p, size_t np)
{
	size_t cap = strlen(s) + 1, n = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	while (*s) {
		size_t best = np, bl = 0;
		if (*s == '$') {
			for (size_t i = 0; i < np; i++) {
				size_t l = strlen(p[i].name);
				char after;
				if (strncmp(s + 1, p[i].name, l) != 0)
					continue;
				after = s[1 + l];
				if (l > bl &&
					!(after == '-' || after == '_' || after == '.' ||
					(after >= '0' && after <= '9') || (after >= 'a' && after <= 'z') ||
					(after >= 'A' && after <= 'Z'))) {
					best = i;
					bl = l;
				}
			}
		}
		if (best < np) {
			size_t vl = strlen(p[best].value);
			char *o;
			cap += vl;
			o = realloc(out, cap);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
			memcpy(out + n, p[best].value, vl);
			n += vl;
			s += 1 + bl;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

static void substitute_tree(xmlNode *n, const struct param *p, size_t np)
{
	static const char *const attrs[] = { "context", "test", "select", "path", "value", NULL };

	for (xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; attrs[i]; i++) {
			xmlChar *v = xmlGetNoNsProp(c, (const xmlChar *)attrs[i]);
			if (v) {
				char *s = substitute((const char *)v, p, np);
				if (s)
					xmlSetProp(c, (const xmlChar *)attrs[i], (const xmlChar *)s);
				free(s);
				xmlFree(v);
			}
		}
		substitute_tree(c->children, p, np);
	}
}

/* <pattern is-a="X"><param name value/></pattern>: copy X's content in. */
static int instantiate_patterns(struct loader *l, xmlNode *schema)
{
	for (xmlNode *c = schema->children; c; c = c->next) {
		const char *isa;
		xmlNode *abs, *k;
		struct param params[64];
		size_t np = 0;

		if (!is_sch(c, "pattern") || !(isa = attr(l, c, "is-a")))
			continue;
		abs = strmap_get(&l->abstract_patterns, isa);
		if (!abs)
			return fail(l, c, "pattern is-a '%s': no abstract pattern with that id", isa, NULL);
		for (k = c->children; k; k = k->next)
			if (is_sch(k, "param") && np < 64) {
				params[np].name = attr(l, k, "name");
				params[np].value = attr(l, k, "value");
				if (!params[np].name || !params[np].value)
					return fail(l, k, "<param> needs name and value", NULL, NULL);
				np++;
			}
		for (k = abs->children; k; k = k->next) {
			xmlNode *copy;
			if (k->type != XML_ELEMENT_NODE || is_sch(k, "title") || is_sch(k, "p"))
				continue;
			/* into the pattern's own document (an included file keeps its
			 * own, and a tree is freed with one dictionary) */
			copy = xmlDocCopyNode(k, c->doc, 1);
			if (!copy || !xmlAddChild(c, copy))
				return error_set(l->err, ZIB_ENOMEM, "out of memory");
			substitute_tree(copy, params, np);
		}
	}
	return 0;
}

/* ---- compiling ---- */

static struct xp_expr *compile_xpath(struct loader *l, const xmlNode *n, const char *src,
	int pattern)
{
	struct src_cache *cache = pattern ? &l->patterns : &l->exprs;
	zib_schematron *sch = l->sch;
	uint64_t h = src_hash(src);
	struct src_slot *hit = src_find(cache, src, h);
	char msg[400];
	struct xp_expr *e;
	const char *key;

	if (hit && hit->hash)
		return hit->e;
	if (sch->nexprs == l->capexprs) {
		size_t cap = l->capexprs ? l->capexprs * 2 : 1024;
		struct xp_expr **v = realloc(sch->exprs, cap * sizeof(*v));
		if (!v) {
			error_set(l->err, ZIB_ENOMEM, "out of memory");
			return NULL;
		}
		sch->exprs = v;
		l->capexprs = cap;
	}
	e = pattern ? xp_compile_pattern(src, &l->st, msg, sizeof(msg))
		: xp_compile(src, &l->st, msg, sizeof(msg));
	if (!e) {
		fail(l, n, "%s in '%s'", msg, src);
		return NULL;
	}
	sch->exprs[sch->nexprs++] = e;
	/* a failed put only costs sharing */
	if ((key = arena_strdup(&sch->arena, src)))
		src_put(cache, key, h, e);
	return e;
}

static int add_part(struct loader *l, struct sch_msg *m, size_t *cap, int kind, const char *text,
	struct xp_expr *e)
{
	if (m->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct sch_part *p = arena_alloc(&l->sch->arena, nc * sizeof(*p));
		if (!p)
			return -1;
		if (m->n)
			memcpy(p, m->parts, m->n * sizeof(*p));
		m->parts = p;
		*cap = nc;
	}
	m->parts[m->n].kind = kind;
	m->parts[m->n].text = text;
	m->parts[m->n].expr = e;
	m->n++;
	return 0;
}

static int compile_msg(struct loader *l, const xmlNode *n, struct sch_msg *m, size_t *cap)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (add_part(l, m, cap, 't', arena_strdup(&l->sch->arena,
				(const char *)c->content), NULL) < 0)
				return -1;
		} else if (is_sch(c, "value-of")) {
			const char *sel = attr(l, c, "select");
			struct xp_expr *e;
			if (!sel)
				return fail(l, c, "<value-of> without select", NULL, NULL);
			if (!(e = compile_xpath(l, c, sel, 0)) || add_part(l, m, cap, 'v', NULL, e) < 0)
				return -1;
		} else if (is_sch(c, "name")) {
			const char *path = attr(l, c, "path");
			struct xp_expr *e = NULL;
			if (path && !(e = compile_xpath(l, c, path, 0)))
				return -1;
			if (add_part(l, m, cap, 'n', NULL, e) < 0)
				return -1;
		} else if (c->type == XML_ELEMENT_NODE) {
			/* emph, dir, span, foreign elements: their content */
			if (compile_msg(l, c, m, cap) < 0)
				return -1;
		}
	}
	return 0;
}

static zib_severity role_severity(const char *role, int is_report)
{
	(void)is_report;
	if (!role)
		return ZIB_SEV_ERROR;
	if (strcasecmp(role, "warning") == 0 || strcasecmp(role, "warn") == 0)
		return ZIB_SEV_WARNING;
	if (strcasecmp(role, "info") == 0 || strcasecmp(role, "information") == 0 ||
		strcasecmp(role, "informational") == 0 || strcasecmp(role, "hint") == 0)
		return ZIB_SEV_INFO;
	return ZIB_SEV_ERROR;
}

/* FNV-1a: a code for asserts without an id that is stable across runs. */
static unsigned long fnv1a(const char *a, const char *b)
{
	unsigned long h = 2166136261UL;
	for (const char *s = a; s && *s; s++)
		h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
	h = ((h ^ 0x1f) * 16777619UL) & 0xffffffffUL;
	for (const char *s = b; s && *s; s++)
		h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
	return h;
}

struct items {
	struct sch_item *v;
	size_t n, cap;
};

static struct sch_item *items_push(struct loader *l, struct items *it)
{
	if (it->n == it->cap) {
		size_t nc = it->cap ? it->cap * 2 : 8;
		struct sch_item *p = realloc(it->v, nc * sizeof(*p));
		if (!p) {
			error_set(l->err, ZIB_ENOMEM, "out of memory");
			return NULL;
		}
		it->v = p;
		it->cap = nc;
	}
	memset(&it->v[it->n], 0, sizeof(it->v[0]));
	return &it->v[it->n++];
}

static int compile_let(struct loader *l, const xmlNode *c, struct items *it)
{
	struct sch_item *x = items_push(l, it);
	const char *value;

	if (!x)
		return -1;
	x->kind = 'l';
	x->name = attr(l, c, "name");
	value = attr(l, c, "value");
	if (!x->name || !value)
		return fail(l, c, "<let> needs name and value", NULL, NULL);
	x->file = node_file(l, c);
	x->line = (int)xmlGetLineNo(c);
	return (x->expr = compile_xpath(l, c, value, 0)) ? 0 : -1;
}

static const struct body *compile_abstract(struct loader *l, const xmlNode *abs, const char *ref,
	int depth);

/* The body of a rule: lets, asserts and reports in order; extends pulls in
 * an abstract rule's body at its place.  owner names where asserts are
 * defined, for their codes. */
static int compile_body(struct loader *l, const xmlNode *rule, const char *owner, struct items *it,
	int depth)
{
	for (const xmlNode *c = rule->children; c; c = c->next) {
		if (is_sch(c, "let")) {
			if (compile_let(l, c, it) < 0)
				return -1;
		} else if (is_sch(c, "assert") || is_sch(c, "report")) {
			struct sch_item *x = items_push(l, it);
			size_t cap = 0;
			const char *diags;
			if (!x)
				return -1;
			x->kind = is_sch(c, "assert") ? 'a' : 'r';
			x->src = attr(l, c, "test");
			if (!x->src)
				return fail(l, c, "<%s> without test", (const char *)c->name, NULL);
			x->id = attr(l, c, "id");
			x->role = attr(l, c, "role");
			x->flag = attr(l, c, "flag");
			x->see = attr(l, c, "see");
			x->fpi = attr(l, c, "fpi");
			x->severity = role_severity(x->role, x->kind == 'r');
			x->file = node_file(l, c);
			x->line = (int)xmlGetLineNo(c);
			x->code = x->id ? arena_printf(&l->sch->arena, "SCH-%s", x->id)
				: arena_printf(&l->sch->arena, "SCH-%08lx", fnv1a(owner, x->src));
			if (!(x->expr = compile_xpath(l, c, x->src, 0)))
				return -1;
			if (compile_msg(l, c, &x->msg, &cap) < 0)
				return -1;
			diags = attr(l, c, "diagnostics");
			if (diags) {
				char *copy = arena_strdup(&l->sch->arena, diags), *save = NULL, *tok;
				size_t n = 0;
				x->diags = arena_alloc(&l->sch->arena, (strlen(diags) / 2 + 2) * sizeof(char *));
				for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
					x->diags[n++] = tok;
				x->ndiags = n;
			}
			l->sch->nasserts++;
		} else if (is_sch(c, "extends")) {
			const char *ref = attr(l, c, "rule");
			const xmlNode *abs;
			const struct body *b;
			if (!ref)
				return fail(l, c, "<extends> without rule (href is not supported)", NULL, NULL);
			abs = strmap_get(&l->abstract_rules, ref);
			if (!abs)
				return fail(l, c, "extends: no abstract rule '%s'", ref, NULL);
			if (depth > 16)
				return fail(l, c, "extends: rule '%s' extends itself", ref, NULL);
			if (!(b = strmap_get(&l->bodies, ref)) && !(b = compile_abstract(l, abs, ref, depth)))
				return -1;
			for (size_t i = 0; i < b->n; i++) {
				struct sch_item *x = items_push(l, it);
				if (!x)
					return -1;
				*x = b->v[i];
			}
			l->sch->nasserts += b->nasserts;
		}
	}
	return 0;
}

/* Compiles abstract rule ref once and remembers its items.  Its asserts
 * are counted on every extends, as before. */
static const struct body *compile_abstract(struct loader *l, const xmlNode *abs, const char *ref,
	int depth)
{
	struct items sub = { 0 };
	size_t before = l->sch->nasserts;
	struct body *b = arena_alloc(&l->sch->arena, sizeof(*b));

	if (!b || compile_body(l, abs, ref, &sub, depth + 1) < 0) {
		free(sub.v);
		return NULL;
	}
	b->n = sub.n;
	b->v = sub.n ? arena_alloc(&l->sch->arena, sub.n * sizeof(*sub.v)) : NULL;
	if (sub.n && b->v)
		memcpy(b->v, sub.v, sub.n * sizeof(*sub.v));
	free(sub.v);
	if (sub.n && !b->v)
		return NULL;
	b->nasserts = l->sch->nasserts - before;
	l->sch->nasserts = before;
	/* a failed put only costs sharing */
	strmap_put(&l->bodies, ref, b);
	return b;
}

static int phase_active(struct loader *l, xmlNode *schema, const char *phase, struct strmap *active,
	struct items *globals)
{
	for (xmlNode *c = schema->children; c; c = c->next) {
		const char *id;
		if (!is_sch(c, "phase") || !(id = attr(l, c, "id")) || strcmp(id, phase) != 0)
			continue;
		for (xmlNode *k = c->children; k; k = k->next) {
			if (is_sch(k, "active")) {
				const char *p = attr(l, k, "pattern");
				if (p)
					strmap_put(active, p, (void *)1);
			} else if (is_sch(k, "let") && compile_let(l, k, globals) < 0) {
				return -1;
			}
		}
		return 1;
	}
	return 0;
}

static int compile_schema(struct loader *l, xmlNode *schema, const char *phase)
{
	zib_schematron *sch = l->sch;
	struct items globals = { 0 };
	struct strmap active;
	int use_phase = 0, rc = -1;
	size_t nns = 0, cap = 0, pcap = 0, rcap = 0;
	xmlNode *c;

	strmap_init(&active, 0);
	/* namespaces first: every expression needs them */
	for (c = schema->children; c; c = c->next)
		if (is_sch(c, "ns"))
			nns++;
	sch->ns = arena_alloc(&sch->arena, (2 * nns + 1) * sizeof(char *));
	if (!sch->ns)
		goto done;
	for (c = schema->children; c; c = c->next)
		if (is_sch(c, "ns")) {
			const char *p = attr(l, c, "prefix"), *u = attr(l, c, "uri");
			if (!p || !u) {
				fail(l, c, "<ns> needs prefix and uri", NULL, NULL);
				goto done;
			}
			sch->ns[sch->nns * 2] = p;
			sch->ns[sch->nns * 2 + 1] = u;
			sch->nns++;
		}
	l->st.ns = sch->ns;
	sch->title = NULL;
	for (c = schema->children; c; c = c->next)
		if (is_sch(c, "title")) {
			xmlChar *t = xmlNodeGetContent(c);
			sch->title = arena_strdup(&sch->arena, t ? (const char *)t : "");
			xmlFree(t);
			break;
		}
	if (!phase)
		phase = attr(l, schema, "defaultPhase");
	if (phase && strcmp(phase, "#DEFAULT") == 0)
		phase = attr(l, schema, "defaultPhase");
	if (phase && strcmp(phase, "#ALL") != 0) {
		int f;
		for (c = schema->children; c; c = c->next)
			if (is_sch(c, "let") && compile_let(l, c, &globals) < 0)
				goto done;
		f = phase_active(l, schema, phase, &active, &globals);
		if (f < 0)
			goto done;
		if (f == 0) {
			error_set(l->err, ZIB_ENOTFOUND, "%s: no phase '%s'", sch->path, phase);
			goto done;
		}
		use_phase = 1;
		sch->phase = arena_strdup(&sch->arena, phase);
	} else {
		for (c = schema->children; c; c = c->next)
			if (is_sch(c, "let") && compile_let(l, c, &globals) < 0)
				goto done;
		sch->phase = "#ALL";
	}
	/* diagnostics */
	for (c = schema->children; c; c = c->next) {
		if (!is_sch(c, "diagnostics"))
			continue;
		for (xmlNode *d = c->children; d; d = d->next) {
			struct sch_diagnostic *dg;
			size_t mcap = 0;
			if (!is_sch(d, "diagnostic"))
				continue;
			dg = arena_alloc(&sch->arena, sizeof(*dg));
			if (!dg || !(dg->id = attr(l, d, "id")))
				continue;
			if (compile_msg(l, d, &dg->msg, &mcap) < 0)
				goto done;
			strmap_put(&sch->diagnostics, dg->id, dg);
		}
	}
	/* patterns */
	for (c = schema->children; c; c = c->next) {
		const char *pid;
		xmlChar *abs;
		int is_abstract;
		struct sch_pattern *pat;
		if (!is_sch(c, "pattern"))
			continue;
		abs = xmlGetNoNsProp(c, (const xmlChar *)"abstract");
		is_abstract = abs && strcmp((const char *)abs, "true") == 0;
		xmlFree(abs);
		if (is_abstract)
			continue;
		pid = attr(l, c, "id");
		if (use_phase && (!pid || !strmap_get(&active, pid)))
			continue;
		if (sch->npatterns == pcap) {
			size_t nc = pcap ? pcap * 2 : 16;
			struct sch_pattern *p = realloc(sch->patterns, nc * sizeof(*p));
			if (!p)
				goto done;
			sch->patterns = p;
			pcap = nc;
		}
		pat = &sch->patterns[sch->npatterns++];
		pat->id = pid;
		pat->name = NULL;
		for (xmlNode *k = c->children; k; k = k->next)
			if (is_sch(k, "title")) {
				xmlChar *t = xmlNodeGetContent(k);
				pat->name = arena_strdup(&sch->arena, t ? (const char *)t : "");
				xmlFree(t);
			}
		for (xmlNode *k = c->children; k; k = k->next) {
			struct sch_rule *rule;
			struct items body = { 0 };
			xmlChar *rabs;
			int rule_abstract;
			if (is_sch(k, "let")) {
				if (compile_let(l, k, &globals) < 0)
					goto done;
				continue;
			}
			if (!is_sch(k, "rule"))
				continue;
			rabs = xmlGetNoNsProp(k, (const xmlChar *)"abstract");
			rule_abstract = rabs && strcmp((const char *)rabs, "true") == 0;
			xmlFree(rabs);
			if (rule_abstract)
				continue;
			if (sch->nrules == rcap) {
				size_t nc = rcap ? rcap * 2 : 256;
				struct sch_rule *p = realloc(sch->rules, nc * sizeof(*p));
				if (!p)
					goto done;
				sch->rules = p;
				rcap = nc;
			}
			rule = &sch->rules[sch->nrules];
			memset(rule, 0, sizeof(*rule));
			rule->context_src = attr(l, k, "context");
			if (!rule->context_src) {
				fail(l, k, "<rule> without context", NULL, NULL);
				goto done;
			}
			rule->id = attr(l, k, "id");
			rule->role = attr(l, k, "role");
			rule->flag = attr(l, k, "flag");
			rule->pattern = sch->npatterns - 1;
			rule->index = sch->nrules;
			rule->file = node_file(l, k);
			rule->line = (int)xmlGetLineNo(k);
			if (!(rule->context = compile_xpath(l, k, rule->context_src, 1)))
				goto done;
			if (compile_body(l, k, rule->id ? rule->id : rule->context_src, &body, 0) < 0) {
				free(body.v);
				goto done;
			}
			rule->items = body.n ? arena_alloc(&sch->arena, body.n * sizeof(*body.v)) : NULL;
			rule->steps = body.n ? arena_alloc(&sch->arena, body.n * sizeof(*rule->steps)) : NULL;
			if (body.n && (!rule->items || !rule->steps)) {
				free(body.v);
				goto done;
			}
			for (size_t i = 0; i < body.n; i++) {
				rule->items[i] = body.v[i];
				rule->steps[i].kind = body.v[i].kind;
				rule->steps[i].name = body.v[i].name;
				rule->steps[i].expr = body.v[i].expr;
			}
			rule->nitems = body.n;
			free(body.v);
			sch->nrules++;
			if (xp_patset_add(sch->contexts, rule->context, sch->nrules - 1) < 0)
				goto done;
		}
	}
	(void)cap;
	sch->globals = globals.n ? arena_alloc(&sch->arena, globals.n * sizeof(*globals.v)) : NULL;
	if (globals.n)
		memcpy(sch->globals, globals.v, globals.n * sizeof(*globals.v));
	sch->nglobals = globals.n;
	rc = 0;
done:
	free(globals.v);
	strmap_release(&active);
	if (rc < 0 && l->err && l->err->status == 0)
		error_set(l->err, ZIB_ENOMEM, "out of memory compiling '%s'", sch->path);
	return rc;
}

int zib_schematron_compile(zib_schematron **out, const char *path, const char *phase,
	zib_error *err)
{
	struct loader l;
	zib_schematron *sch;
	xmlNode *root;
	char dir[4096];
	int rc = ZIB_EPARSE;
	zib_error local;

	*out = NULL;
	if (!err) {
		err = &local;
	}
	zib_error_clear(err);
	sch = calloc(1, sizeof(*sch));
	if (!sch)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	arena_init(&sch->arena);
	xp_docs_init(&sch->docs, &sch->arena);
	strmap_init(&sch->diagnostics, 0);
	sch->contexts = xp_patset_new();
	sch->workers = schematron_workers_new();
	if (!sch->contexts || !sch->workers) {
		zib_schematron_free(sch);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	sch->path = arena_strdup(&sch->arena, path);
	snprintf(dir, sizeof(dir), "%s", path);
	sch->base_dir = arena_strdup(&sch->arena, dirname(dir));

	memset(&l, 0, sizeof(l));
	l.sch = sch;
	l.err = err;
	strmap_init(&l.abstract_rules, 0);
	strmap_init(&l.abstract_patterns, 0);
	strmap_init(&l.bodies, 0);
	l.st.base_dir = sch->base_dir;
	l.st.docs = &sch->docs;
	l.st.arena = &sch->arena;
	l.st.folds = xp_fold_cache_new();   /* NULL only costs sharing */
	xml_init();

	l.main = read_xml(&l, path);
	if (!l.main) {
		rc = err->status ? err->status : ZIB_EPARSE;
		goto done;
	}
	root = xmlDocGetRootElement(l.main);
	if (!is_sch(root, "schema")) {
		rc = error_set(err, ZIB_EPARSE, "%s: not an ISO Schematron schema (root element "
			"must be schema in %s)", path, SCH_NS);
		goto done;
	}
	{
		xmlChar *qb = xmlGetNoNsProp(root, (const xmlChar *)"queryBinding");
		int ok = !qb || strcasecmp((const char *)qb, "xslt2") == 0 ||
			strcasecmp((const char *)qb, "xpath2") == 0 || strcasecmp((const char *)qb, "xslt") == 0 ||
			strcasecmp((const char *)qb, "xpath") == 0;
		if (!ok)
			error_set(err, ZIB_EPARSE, "%s: queryBinding '%s' is not supported (xslt2, xpath2)",
				path, (const char *)qb);
		xmlFree(qb);
		if (!ok)
			goto done;
	}
	if (splice_includes(&l, root, sch->path) < 0)
		goto done;
	collect_abstracts(&l, root);
	if (instantiate_patterns(&l, root) < 0)
		goto done;
	if (compile_schema(&l, root, phase) < 0) {
		rc = err->status ? err->status : ZIB_EPARSE;
		goto done;
	}
	rc = ZIB_OK;
done:
	free_included(&l);
	xmlFreeDoc(l.main);
	free(l.roots);
	free(l.root_files);
	free(l.root_docs);
	strmap_release(&l.abstract_rules);
	strmap_release(&l.abstract_patterns);
	free(l.exprs.slots);
	free(l.patterns.slots);
	strmap_release(&l.bodies);
	xp_fold_cache_free(l.st.folds);
	if (rc != ZIB_OK) {
		if (err->status == 0)
			error_set(err, rc, "%s: cannot compile", path);
		zib_schematron_free(sch);
		return rc;
	}
	*out = sch;
	return ZIB_OK;
}

/* Expressions are shared between items (compile_xpath's cache): each is
 * freed once, from the list of distinct ones; the trees themselves live in
 * the arena, released last. */
void zib_schematron_free(zib_schematron *sch)
{
	if (!sch)
		return;
	for (size_t i = 0; i < sch->nexprs; i++)
		xp_expr_free(sch->exprs[i]);
	free(sch->exprs);
	strmap_release(&sch->diagnostics);
	xp_patset_free(sch->contexts);
	schematron_workers_free(sch->workers);
	free(sch->rules);
	free(sch->patterns);
	xp_docs_release(&sch->docs);
	arena_release(&sch->arena);
	free(sch);
}

size_t zib_schematron_pattern_count(const zib_schematron *sch)
{
	return sch->npatterns;
}

size_t zib_schematron_rule_count(const zib_schematron *sch)
{
	return sch->nrules;
}

size_t zib_schematron_assert_count(const zib_schematron *sch)
{
	return sch->nasserts;
}

const char *zib_schematron_title(const zib_schematron *sch)
{
	return sch->title;
}
