/*
 * fhirpath-suite: runs the official FHIRPath test suite (tests-fhir-r4.xml
 * of fhir-test-cases) against lib/fhirpath.
 *
 *   fhirpath-suite TESTS.xml INPUT_DIR
 *
 * Prints one line per test, "pass NAME" or "fail NAME: why", then
 * "fhirpath: P of N passed (X.X%)".  A test passes when the expression
 * compiles and evaluates to the expected outputs (same count, order unless
 * ordered="false", same type and text), or when it is marked invalid and
 * compiling or evaluating fails.  Exit status 0, or 2 when the suite
 * cannot be read.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/tree.h"
#include "fhirpath/fhirpath.h"

struct input {
	char *name;
	zib_fhir *doc;
	char why[1600];
};

static struct input inputs[32];
static int ninputs;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
		(buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static struct input *load(const char *dir, const char *name)
{
	char path[1024];
	struct input *in;
	size_t len;
	char *data;
	zib_error err;
	int i;

	for (i = 0; i < ninputs; i++)
		if (strcmp(inputs[i].name, name) == 0)
			return &inputs[i];
	if (ninputs == (int)(sizeof(inputs) / sizeof(inputs[0])))
		return NULL;
	in = &inputs[ninputs++];
	in->name = strdup(name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	data = slurp(path, &len);
	if (!data) {
		snprintf(in->why, sizeof(in->why), "cannot read %s", path);
		return in;
	}
	memset(&err, 0, sizeof(err));
	if (zib_fhir_parse(&in->doc, data, len, path, NULL, &err) != 0)
		snprintf(in->why, sizeof(in->why), "cannot parse %s: %s", name, err.message);
	free(data);
	return in;
}

static char *attr(xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static xmlNode *child(xmlNode *n, const char *name)
{
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

struct want {
	char *type;
	char *text;
	int used;
};

/* Does value v print as the expected output w? */
static int value_matches(struct arena *a, const struct fhirpath_value *v, const struct want *w)
{
	const char *s = fhirpath_value_string(a, v), *t = fhirpath_value_type(v);
	char *got;

	if (!s)
		s = "";
	if (v->kind == FHIRPATH_DATE || v->kind == FHIRPATH_DATETIME ||
		(t && (strcmp(t, "date") == 0 || strcmp(t, "dateTime") == 0 ||
		strcmp(t, "instant") == 0)))
		got = arena_printf(a, "@%s", s);
	else if (v->kind == FHIRPATH_TIME || (t && strcmp(t, "time") == 0))
		got = arena_printf(a, "@T%s", s);
	else
		got = arena_strdup(a, s);
	if (w->type && t && strcmp(w->type, t) != 0)
		return 0;
	if (strcmp(got, w->text ? w->text : "") == 0)
		return 1;
	if (w->type && (strcmp(w->type, "decimal") == 0 || strcmp(w->type, "integer") == 0)) {
		char *e1, *e2;
		double x = strtod(got, &e1), y = strtod(w->text ? w->text : "", &e2);
		return !*e1 && !*e2 && fabs(x - y) < 1e-9;
	}
	return 0;
}

static int run_test(xmlNode *t, const char *dir, char *why, size_t wsize)
{
	char *file = attr(t, "inputfile"), *pred = attr(t, "predicate");
	char *ordered = attr(t, "ordered"), *check = attr(t, "checkOrderedFunctions");
	xmlNode *ex = child(t, "expression"), *o;
	char *expr = ex ? (char *)xmlNodeGetContent(ex) : NULL;
	char *invalid = ex ? attr(ex, "invalid") : NULL;
	struct fhirpath_expr *e = NULL;
	struct fhirpath_error err;
	struct fhirpath_result r;
	struct fhirpath_env env;
	struct want wants[64];
	const struct fhir_node *ctx = NULL;
	int nwant = 0, ok = 0, i, j;

	memset(&r, 0, sizeof(r));
	why[0] = '\0';
	for (o = t->children; o; o = o->next)
		if (o->type == XML_ELEMENT_NODE && strcmp((const char *)o->name, "output") == 0 &&
			nwant < 64) {
			wants[nwant].type = attr(o, "type");
			wants[nwant].text = (char *)xmlNodeGetContent(o);
			wants[nwant].used = 0;
			nwant++;
		}
	if (file) {
		struct input *in = load(dir, file);
		if (!in || !in->doc) {
			snprintf(why, wsize, "%s", in ? in->why : "too many input files");
			goto done;
		}
		ctx = ((struct zib_fhir *)in->doc)->root;
	}
	if (fhirpath_compile(&e, expr ? expr : "", &err) != 0) {
		if (invalid)
			ok = 1;
		else
			snprintf(why, wsize, "compile error at %d:%d: %s", err.line, err.column,
				err.message);
		goto done;
	}
	memset(&env, 0, sizeof(env));
	env.strict = 1;
	env.check_ordered = check && strcmp(check, "true") == 0;
	if (fhirpath_eval(&r, e, ctx, &env, &err) != 0) {
		if (invalid)
			ok = 1;
		else
			snprintf(why, wsize, "error at %d:%d: %s", err.line, err.column, err.message);
		goto done;
	}
	if (invalid) {
		snprintf(why, wsize, "expected a %s error, got %zu items", invalid, r.n);
		goto done;
	}
	if (pred && strcmp(pred, "true") == 0) {
		/* The result read as a boolean: does it hold anything? */
		struct fhirpath_value b;
		memset(&b, 0, sizeof(b));
		b.kind = FHIRPATH_BOOLEAN;
		b.i = r.n > 0;
		r.v = arena_alloc(&r.arena, sizeof(b));
		if (!r.v)
			goto done;
		r.v[0] = b;
		r.n = 1;
	}
	if (r.n != (size_t)nwant) {
		snprintf(why, wsize, "%zu items, want %d", r.n, nwant);
		if (r.n >= 1) {
			const char *s = fhirpath_value_string(&r.arena, &r.v[0]);
			size_t l = strlen(why);
			snprintf(why + l, wsize - l, " (first: %s %s)", fhirpath_value_type(&r.v[0]),
				s ? s : "-");
		}
		goto done;
	}
	for (i = 0; i < nwant; i++) {
		int found = 0;
		if (ordered && strcmp(ordered, "false") == 0) {
			for (j = 0; j < nwant && !found; j++)
				if (!wants[j].used && value_matches(&r.arena, &r.v[i], &wants[j]))
					wants[j].used = found = 1;
		} else {
			found = value_matches(&r.arena, &r.v[i], &wants[i]);
		}
		if (!found) {
			const char *s = fhirpath_value_string(&r.arena, &r.v[i]);
			snprintf(why, wsize, "item %d is %s '%s', want %s '%s'", i,
				fhirpath_value_type(&r.v[i]) ? fhirpath_value_type(&r.v[i]) : "?",
				s ? s : "", wants[i].type ? wants[i].type : "-",
				wants[i].text ? wants[i].text : "");
			goto done;
		}
	}
	ok = 1;
done:
	fhirpath_result_release(&r);
	fhirpath_free(e);
	for (i = 0; i < nwant; i++) {
		xmlFree(wants[i].type);
		xmlFree(wants[i].text);
	}
	xmlFree(file);
	xmlFree(pred);
	xmlFree(ordered);
	xmlFree(check);
	xmlFree(expr);
	xmlFree(invalid);
	return ok;
}

/* -e EXPR FILE: prints each value of the result, for debugging. */
static int eval_one(const char *expr, const char *path)
{
	char dir[1024], *slash;
	struct input *in;
	struct fhirpath_expr *e;
	struct fhirpath_error err;
	struct fhirpath_result r;
	struct fhirpath_env env;
	size_t i;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		return 2;
	*slash = '\0';
	in = load(dir, slash + 1);
	if (!in || !in->doc) {
		fprintf(stderr, "%s\n", in ? in->why : "?");
		return 2;
	}
	if (fhirpath_compile(&e, expr, &err) != 0) {
		fprintf(stderr, "%d:%d: %s\n", err.line, err.column, err.message);
		return 1;
	}
	memset(&env, 0, sizeof(env));
	if (fhirpath_eval(&r, e, ((struct zib_fhir *)in->doc)->root, &env, &err) != 0)
		fprintf(stderr, "%d:%d: %s\n", err.line, err.column, err.message);
	for (i = 0; i < r.n; i++) {
		const char *s = fhirpath_value_string(&r.arena, &r.v[i]);
		printf("%s\t%s\n", fhirpath_value_type(&r.v[i]), s ? s : "(complex)");
	}
	fhirpath_result_release(&r);
	fhirpath_free(e);
	return 0;
}

int main(int argc, char **argv)
{
	xmlDoc *doc;
	xmlNode *root, *g, *t;
	int total = 0, passed = 0, i;
	char why[2048];

	if (argc == 4 && strcmp(argv[1], "-e") == 0)
		return eval_one(argv[2], argv[3]);
	if (argc != 3) {
		fprintf(stderr, "usage: fhirpath-suite TESTS.xml INPUT_DIR\n");
		return 2;
	}
	doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET);
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		fprintf(stderr, "fhirpath-suite: cannot read '%s'\n", argv[1]);
		return 2;
	}
	for (g = root->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE || strcmp((const char *)g->name, "group") != 0)
			continue;
		for (t = g->children; t; t = t->next) {
			char *name;
			if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "test") != 0)
				continue;
			name = attr(t, "name");
			total++;
			if (run_test(t, argv[2], why, sizeof(why))) {
				passed++;
				printf("pass %s\n", name ? name : "?");
			} else {
				printf("fail %s: %s\n", name ? name : "?", why);
			}
			xmlFree(name);
		}
	}
	printf("fhirpath: %d of %d passed (%.1f%%)\n", passed, total,
		total ? 100.0 * passed / total : 0.0);
	for (i = 0; i < ninputs; i++) {
		zib_fhir_free(inputs[i].doc);
		free(inputs[i].name);
	}
	xmlFreeDoc(doc);
	xmlCleanupParser();
	return 0;
}
