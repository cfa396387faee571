/*
 * A small unit-test harness.  Tests register themselves at load time:
 *
 *	TEST(arena, grows_past_first_block)
 *	{
 *		ASSERT_INT_EQ(3, 1 + 2);
 *	}
 *
 * A failing ASSERT reports file:line and returns from the test.  The runner
 * (tests/unit/main.c) runs every test, or those whose name contains argv[1],
 * and prints one line per test plus a closing "N passed, N failed".
 */
#ifndef ZIB_TEST_HARNESS_H
#define ZIB_TEST_HARNESS_H

#include <string.h>

typedef void (*harness_fn)(void);
void harness_register(const char *name, harness_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Directory of the shared corpus, or NULL (with a message) when absent. */
const char *harness_corpus(void);
/* Marks the running test as skipped, with a reason. */
void harness_skip(const char *why);

#define TEST(suite, name) \
	static void test_##suite##__##name(void); \
	__attribute__((constructor)) static void register_##suite##__##name(void) \
	{ harness_register(#suite "::" #name, test_##suite##__##name); } \
	static void test_##suite##__##name(void)

#define ASSERT(cond) do { if (!(cond)) { \
	harness_fail(__FILE__, __LINE__, "assertion failed: %s", #cond); return; } } while (0)

#define ASSERT_INT_EQ(want, got) do { long long w_ = (long long)(want), g_ = (long long)(got); \
	if (w_ != g_) { harness_fail(__FILE__, __LINE__, "%s: want %lld, got %lld", #got, w_, g_); \
	return; } } while (0)

#define ASSERT_STR_EQ(want, got) do { const char *w_ = (want), *g_ = (got); \
	if (!g_ || strcmp(w_, g_) != 0) { harness_fail(__FILE__, __LINE__, "%s: want \"%s\", got \"%s\"", \
	#got, w_, g_ ? g_ : "(null)"); return; } } while (0)

/* Skips the rest of the test when the corpus is absent. */
#define NEED_CORPUS(var) const char *var = harness_corpus(); \
	if (!var) { harness_skip("../shared/corpus not found"); return; }

#endif
