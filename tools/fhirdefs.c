/*
 * fhirdefs: builds and inspects compiled FHIR definitions (lib/fhirdef/).
 * `make` runs `fhirdefs compile` to build the defaults from ../shared/corpus;
 * the other commands are for tests and benchmarks, not for users (the
 * zib command is the user's interface).
 *
 *   fhirdefs compile OUT SOURCE...        compile sources into OUT
 *   fhirdefs stats [SOURCE...]            open defaults + sources, print counts
 *   fhirdefs problems [SOURCE...]         the load problems, one a line
 *   fhirdefs snapshot URL [SOURCE...]     id min..max types, one element a line
 *   fhirdefs snapshot @FILE [SOURCE...]   the same for each url in FILE, url TAB first
 *   fhirdefs contains VS SYSTEM CODE      yes / no / unknown (reason)
 *   fhirdefs expand VS                    the codes of a value set
 * ZIB_FHIRDEFS_NO_DEFAULTS=1 leaves the defaults out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fhirdef/fhirdef.h"
#include "fhirdef/internal.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct fhirdef_set *open_set(int argc, char **argv, double *ms)
{
	struct fhirdef_opts o = FHIRDEF_OPTS_INIT;
	struct fhirdef_set *set;
	zib_error err;
	double t0 = now_ms();

	o.sources = (const char *const *)argv;
	o.nsources = (size_t)argc;
	o.no_defaults = getenv("ZIB_FHIRDEFS_NO_DEFAULTS") != NULL;
	zib_error_clear(&err);
	if (fhirdef_set_open(&set, &o, &err) != 0) {
		fprintf(stderr, "fhirdefs: %s\n", err.message);
		exit(2);
	}
	if (ms)
		*ms = now_ms() - t0;
	return set;
}

/* id min..max types, one element a line; 0 when there is no snapshot. */
static int print_snapshot(struct fhirdef_set *set, const char *url, const char *prefix)
{
	const struct fhirdef_sd *sd = fhirdef_sd(set, url);
	size_t i, t;

	if (!sd || sd->error) {
		fprintf(stderr, "fhirdefs: %s: %s\n", url, sd ? sd->error : "no such StructureDefinition");
		return 0;
	}
	for (i = 0; i < sd->nelems; i++) {
		const struct fhirdef_elem *e = &sd->elems[i];

		if (prefix)
			printf("%s\t", prefix);
		printf("%s %d..%s", e->id, e->min, e->max_text ? e->max_text : "?");
		for (t = 0; t < e->ntypes; t++)
			printf("%s%s", t ? "|" : " ", e->types[t].code ? e->types[t].code : "?");
		printf("\n");
	}
	return 1;
}

static const char *answer(int a)
{
	return a == FHIRDEF_YES ? "yes" : a == FHIRDEF_NO ? "no" : "unknown";
}

int main(int argc, char **argv)
{
	struct fhirdef_set *set;
	zib_error err;
	size_t i, n = 0;
	double ms;

	if (argc < 2) {
		fprintf(stderr, "usage: fhirdefs compile|stats|problems|snapshot|contains|expand ...\n");
		return 2;
	}
	zib_error_clear(&err);
	if (strcmp(argv[1], "compile") == 0 && argc >= 4) {
		double t0 = now_ms();
		if (fhirdef_compile_to_file(argv[2], (const char *const *)argv + 3,
		    (size_t)argc - 3, &n, &err) != 0) {
			fprintf(stderr, "fhirdefs: %s\n", err.message);
			return 2;
		}
		fprintf(stderr, "fhirdefs: compiled %s in %.0f ms (%zu problems)\n", argv[2],
			now_ms() - t0, n);
		return 0;
	}
	if (strcmp(argv[1], "stats") == 0 || strcmp(argv[1], "problems") == 0) {
		struct fhirdef_stats st;

		set = open_set(argc - 2, argv + 2, &ms);
		fhirdef_set_stats(set, &st);
		if (argv[1][0] == 's') {
			printf("open_ms %.1f\nsd %zu\nvs %zu\ncs %zu\ncm %zu\nproblems %zu\n"
				"cache_hit %d\ncache_rebuilt %d\ncache_file %s\ndefaults %s\n", ms,
				st.nsd, st.nvs, st.ncs, st.ncm, fhirdef_set_problem_count(set),
				st.cache_hit, st.cache_rebuilt, st.cache_file ? st.cache_file : "-",
				st.defaults_file ? st.defaults_file : "-");
		} else {
			for (i = 0; i < fhirdef_set_problem_count(set); i++)
				printf("%s\n", fhirdef_set_problem(set, i));
		}
		fhirdef_set_free(set);
		return 0;
	}
	if (strcmp(argv[1], "snapshot") == 0 && argc >= 3) {
		char line[2048];
		FILE *list = NULL;
		int rc = 0;

		set = open_set(argc - 3, argv + 3, NULL);
		/* @FILE: the urls in FILE, each element line prefixed by its url. */
		if (argv[2][0] == '@' && !(list = fopen(argv[2] + 1, "r"))) {
			fprintf(stderr, "fhirdefs: cannot open '%s'\n", argv[2] + 1);
			fhirdef_set_free(set);
			return 2;
		}
		while (list ? fgets(line, sizeof(line), list) != NULL : !n++) {
			const char *url = list ? line : argv[2];

			line[strcspn(line, "\n")] = '\0';
			if (!print_snapshot(set, url, list ? url : NULL))
				rc = 1;
		}
		if (list)
			fclose(list);
		fhirdef_set_free(set);
		return rc;
	}
	if (strcmp(argv[1], "contains") == 0 && argc == 5) {
		const char *why = NULL, *disp = NULL;
		int a;

		set = open_set(0, NULL, NULL);
		a = fhirdef_vs_contains(set, argv[2], argv[3][0] ? argv[3] : NULL, argv[4], &disp, &why);
		printf("%s%s%s%s%s\n", answer(a), disp ? " " : "", disp ? disp : "", why ? ": " : "",
			why ? why : "");
		fhirdef_set_free(set);
		return 0;
	}
	if (strcmp(argv[1], "expand") == 0 && argc == 3) {
		const struct fhirdef_code *codes;
		const char *why = NULL;
		long k, m;

		set = open_set(0, NULL, NULL);
		m = fhirdef_vs_expand(set, argv[2], &codes, &why);
		if (m < 0)
			printf("unknown: %s\n", why);
		for (k = 0; k < m; k++)
			printf("%s|%s %s\n", codes[k].system ? codes[k].system : "", codes[k].code,
				codes[k].display ? codes[k].display : "");
		fhirdef_set_free(set);
		return 0;
	}
	fprintf(stderr, "fhirdefs: bad command or arguments\n");
	return 2;
}
