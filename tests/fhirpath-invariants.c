/*
 * fhirpath-invariants: evaluates the invariants of the R4 core
 * StructureDefinitions on FHIR documents, as a check of lib/fhirpath on
 * real constraints and real data.
 *
 *   fhirpath-invariants [--bench SECONDS] CORE_DIR DOC...
 *
 * CORE_DIR holds profiles-resources.json and profiles-types.json (the R4
 * definitions).  Every constraint with an expression is compiled once (ele-1
 * and the extension ones aside).  For each document, the invariants of its
 * resource type are evaluated with the resource as context, an element's
 * invariant on every occurrence (EXPR on Observation.component becomes
 * component.all(EXPR)); a datatype's own invariants on every element of
 * that type (descendants().ofType(Period).all(EXPR)).  Prints one line per
 * invariant that does not hold, "FILE KEY SEVERITY: result", then
 * "invariants: N compiled; E evaluations, H hold, F do not, X errors".
 * With --bench, the parsed documents are then evaluated again, round after
 * round, for at least SECONDS of CPU time, and the speed printed (make
 * bench).
 * Exit status 0, 1 when an invariant does not compile or fails with an
 * error, 2 when the definitions cannot be read.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fhir/tree.h"
#include "fhirpath/fhirpath.h"

struct inv {
	char *type;        /* resource or datatype name */
	char *key;
	char *severity;
	int datatype;      /* a datatype's own invariant: applied anywhere */
	struct fhirpath_expr *expr;
};

static struct inv *invs;
static size_t ninvs, cap;

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

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Adds the invariant of element path (Type.a.b[x]) with expression ex. */
static int add(const char *type, const char *path, const char *key, const char *sev,
	const char *ex, int datatype_kind)
{
	const char *rest = strchr(path, '.');
	char text[4096], restbuf[512];
	struct fhirpath_error err;
	struct inv *iv;
	char *x;

	if (ninvs == cap) {
		cap = cap ? cap * 2 : 256;
		invs = realloc(invs, cap * sizeof(*invs));
		if (!invs)
			return -1;
	}
	iv = &invs[ninvs];
	memset(iv, 0, sizeof(*iv));
	if (rest) {
		snprintf(restbuf, sizeof(restbuf), "%s", rest + 1);
		while ((x = strstr(restbuf, "[x]")))
			memmove(x, x + 3, strlen(x + 3) + 1);
		snprintf(text, sizeof(text), "%s.all(%s)", restbuf, ex);
	} else if (datatype_kind) {
		snprintf(text, sizeof(text), "descendants().ofType(%s).all(%s)", type, ex);
		iv->datatype = 1;
	} else {
		snprintf(text, sizeof(text), "%s", ex);
	}
	/* A datatype's element invariants would need its every occurrence:
	 * only its own (root) invariants are applied. */
	if (datatype_kind && rest)
		return 0;
	if (fhirpath_compile(&iv->expr, text, &err) != 0) {
		printf("%s %s: does not compile: %d:%d: %s\n", type, key, err.line, err.column,
			err.message);
		return 1;
	}
	iv->type = strdup(type);
	iv->key = strdup(key);
	iv->severity = strdup(sev ? sev : "error");
	ninvs++;
	return 0;
}

static int load_defs(const char *dir, const char *name, int *bad)
{
	char path[1024];
	size_t len;
	char *data;
	cJSON *b, *entry;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(data = slurp(path, &len)) || !(b = cJSON_ParseWithLength(data, len))) {
		fprintf(stderr, "fhirpath-invariants: cannot read '%s'\n", path);
		free(data);
		return -1;
	}
	cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(b, "entry")) {
		const cJSON *sd = cJSON_GetObjectItemCaseSensitive(entry, "resource"), *el;
		const char *kind = str(sd, "kind"), *deriv = str(sd, "derivation"),
			*type = str(sd, "type");
		int dt;
		if (!type || !str(sd, "resourceType") ||
			strcmp(str(sd, "resourceType"), "StructureDefinition") != 0 ||
			(deriv && strcmp(deriv, "constraint") == 0) || !kind)
			continue;
		if (strcmp(kind, "resource") != 0 && strcmp(kind, "complex-type") != 0)
			continue;
		dt = strcmp(kind, "complex-type") == 0;
		cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(sd, "snapshot"), "element")) {
			const cJSON *c;
			const char *epath = str(el, "path");
			cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(el, "constraint")) {
				const char *key = str(c, "key"), *ex = str(c, "expression");
				const char *src = str(c, "source");
				if (!key || !ex || !epath || strcmp(key, "ele-1") == 0 ||
					strncmp(key, "ext-", 4) == 0)
					continue;
				/* Inherited ones (dom-*, from DomainResource) come once per
				 * resource type, as they should. */
				(void)src;
				*bad += add(type, epath, key, str(c, "severity"), ex, dt);
			}
		}
	}
	cJSON_Delete(b);
	free(data);
	return 0;
}

struct doc {
	const char *file;
	char *data;
	zib_fhir *fhir;
};

struct tally {
	int hold, nohold, errors, evals;
};

/* Evaluates every invariant that applies to doc; prints those that do not
 * hold or fail unless quiet. */
static void eval_doc(const struct doc *d, int quiet, struct tally *t)
{
	const struct fhir_node *root = ((struct zib_fhir *)d->fhir)->root;
	const char *rtype = fhir_resource_name(root);
	size_t k;

	for (k = 0; k < ninvs; k++) {
		struct fhirpath_env env;
		struct fhirpath_error err;
		int r;
		if (!invs[k].datatype && strcmp(invs[k].type, rtype) != 0)
			continue;
		memset(&env, 0, sizeof(env));
		t->evals++;
		r = fhirpath_eval_bool(invs[k].expr, root, &env, &err);
		if (r == FHIRPATH_YES || r == FHIRPATH_UNKNOWN) {
			t->hold++;
		} else if (r == FHIRPATH_NO) {
			t->nohold++;
			if (!quiet)
				printf("%s %s %s: false\n", d->file, invs[k].key, invs[k].severity);
		} else {
			t->errors++;
			if (!quiet)
				printf("%s %s %s: error %d:%d: %s\n", d->file, invs[k].key,
					invs[k].severity, err.line, err.column, err.message);
		}
	}
}

/* CPU time of this process: on a shared machine, less noisy than the
 * wall clock, and what a figure per core means. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --bench: the documents evaluated again for at least secs seconds of CPU,
 * timed without reading and parsing. */
static void bench(const struct doc *docs, size_t ndocs, double secs)
{
	struct tally t = { 0, 0, 0, 0 };
	double t0 = now_s(), el;
	long rounds = 0;
	size_t i;

	do {
		for (i = 0; i < ndocs; i++)
			eval_doc(&docs[i], 1, &t);
		rounds++;
		el = now_s() - t0;
	} while (el < secs);
	printf("bench: %ld rounds over %zu documents, %d evaluations in %.3f CPU s: "
		"%.0f invariants/s, %.0f documents/s\n", rounds, ndocs, t.evals, el,
		t.evals / el, (double)rounds * (double)ndocs / el);
}

int main(int argc, char **argv)
{
	int i, bad = 0, errors = 0, first = 1;
	double bench_secs = 0;
	struct tally t = { 0, 0, 0, 0 };
	struct doc *docs;
	size_t k, ndocs = 0;

	if (argc > 2 && strcmp(argv[1], "--bench") == 0) {
		bench_secs = atof(argv[2]);
		first = 3;
	}
	if (argc < first + 2) {
		fprintf(stderr, "usage: fhirpath-invariants [--bench SECONDS] CORE_DIR DOC...\n");
		return 2;
	}
	if (load_defs(argv[first], "profiles-resources.json", &bad) ||
		load_defs(argv[first], "profiles-types.json", &bad))
		return 2;
	docs = calloc((size_t)argc, sizeof(*docs));
	if (!docs)
		return 2;
	for (i = first + 1; i < argc; i++) {
		struct doc *d = &docs[ndocs];
		size_t len;
		zib_error zerr;

		d->file = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		d->data = slurp(argv[i], &len);
		if (!d->data || zib_fhir_parse(&d->fhir, d->data, len, argv[i], NULL, &zerr) != 0) {
			printf("%s: cannot read or parse\n", d->file);
			free(d->data);
			errors++;
			continue;
		}
		eval_doc(d, 0, &t);
		ndocs++;
	}
	printf("invariants: %zu compiled; %d evaluations, %d hold, %d do not, %d errors\n",
		ninvs, t.evals, t.hold, t.nohold, errors + t.errors);
	if (bench_secs > 0)
		bench(docs, ndocs, bench_secs);
	for (k = 0; k < ndocs; k++) {
		zib_fhir_free(docs[k].fhir);
		free(docs[k].data);
	}
	free(docs);
	for (k = 0; k < ninvs; k++) {
		fhirpath_free(invs[k].expr);
		free(invs[k].type);
		free(invs[k].key);
		free(invs[k].severity);
	}
	free(invs);
	return bad || errors || t.errors ? 1 : 0;
}
