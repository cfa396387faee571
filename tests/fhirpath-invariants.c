/*
 * fhirpath-invariants: evaluates the invariants of the R4 core
 * StructureDefinitions on FHIR documents, as a check of lib/fhirpath on
 * real constraints and real data.
 *
 *   fhirpath-invariants CORE_DIR DOC...
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
 * Exit status 0, 1 when an invariant does not compile or fails with an
 * error, 2 when the definitions cannot be read.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	int i, bad = 0, hold = 0, nohold = 0, errors = 0, evals = 0;
	size_t k;

	if (argc < 3) {
		fprintf(stderr, "usage: fhirpath-invariants CORE_DIR DOC...\n");
		return 2;
	}
	if (load_defs(argv[1], "profiles-resources.json", &bad) ||
		load_defs(argv[1], "profiles-types.json", &bad))
		return 2;
	for (i = 2; i < argc; i++) {
		const char *file = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		size_t len;
		char *data = slurp(argv[i], &len);
		zib_fhir *doc = NULL;
		zib_error zerr;
		const struct fhir_node *root;
		const char *rtype;

		if (!data || zib_fhir_parse(&doc, data, len, argv[i], NULL, &zerr) != 0) {
			printf("%s: cannot read or parse\n", file);
			free(data);
			errors++;
			continue;
		}
		root = ((struct zib_fhir *)doc)->root;
		rtype = fhir_resource_name(root);
		for (k = 0; k < ninvs; k++) {
			struct fhirpath_env env;
			struct fhirpath_error err;
			int r;
			if (!invs[k].datatype && strcmp(invs[k].type, rtype) != 0)
				continue;
			memset(&env, 0, sizeof(env));
			evals++;
			r = fhirpath_eval_bool(invs[k].expr, root, &env, &err);
			if (r == FHIRPATH_YES || r == FHIRPATH_UNKNOWN) {
				hold++;
			} else if (r == FHIRPATH_NO) {
				nohold++;
				printf("%s %s %s: false\n", file, invs[k].key, invs[k].severity);
			} else {
				errors++;
				printf("%s %s %s: error %d:%d: %s\n", file, invs[k].key, invs[k].severity,
					err.line, err.column, err.message);
			}
		}
		zib_fhir_free(doc);
		free(data);
	}
	printf("invariants: %zu compiled; %d evaluations, %d hold, %d do not, %d errors\n",
		ninvs, evals, hold, nohold, errors);
	for (k = 0; k < ninvs; k++) {
		fhirpath_free(invs[k].expr);
		free(invs[k].type);
		free(invs[k].key);
		free(invs[k].severity);
	}
	free(invs);
	return bad || errors ? 1 : 0;
}
