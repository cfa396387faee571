/*
 * Runner for the unit tests registered with TEST() in the tests/unit/ sources.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "harness.h"

struct test_case {
	const char *name;
	harness_fn fn;
};

static struct test_case tests[2048];
static int ntests;
static int current_failed;
static const char *current_skip;

void harness_register(const char *name, harness_fn fn)
{
	if (ntests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "harness: too many tests\n");
		exit(3);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	current_failed = 1;
}

void harness_skip(const char *why)
{
	current_skip = why;
}

const char *harness_corpus(void)
{
	static const char *dir;
	static int looked;
	struct stat st;

	if (!looked) {
		const char *env = getenv("ZIB_CORPUS");
		looked = 1;
		dir = env && *env ? env : "../shared/corpus";
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
			dir = NULL;
	}
	return dir;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct test_case *)a)->name, ((const struct test_case *)b)->name);
}

int main(int argc, char **argv)
{
	int i, passed = 0, failed = 0, skipped = 0;
	const char *filter = argc > 1 ? argv[1] : NULL;

	qsort(tests, ntests, sizeof(tests[0]), cmp_name);
	for (i = 0; i < ntests; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		current_failed = 0;
		current_skip = NULL;
		tests[i].fn();
		if (current_failed) {
			printf("not ok %s\n", tests[i].name);
			failed++;
		} else if (current_skip) {
			printf("skip   %s (%s)\n", tests[i].name, current_skip);
			skipped++;
		} else {
			printf("ok     %s\n", tests[i].name);
			passed++;
		}
		fflush(stdout);
	}
	printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
