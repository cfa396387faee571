/*
 * lib/fhirpath: compile errors with their positions, and evaluations on
 * testdata/fhirpath/bundle.xml and its JSON form bundle.json, which must
 * give the same answers (one tree for both forms).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/tree.h"
#include "fhirpath/fhirpath.h"
#include "fhirpath/fp_int.h"
#include "harness.h"

static const char *const bundles[] = {
	"testdata/fhirpath/bundle.xml", "testdata/fhirpath/bundle.json"
};

static zib_fhir *load(const char *path)
{
	char *data = NULL;
	size_t len;
	zib_error err;
	zib_fhir *f = NULL;

	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return NULL;
	if (zib_fhir_parse(&f, data, len, path, NULL, &err) != 0)
		f = NULL;
	free(data);
	return f;
}

/* Evaluates expr on the root of f; the values joined by '|' as text
 * ("-" for a complex node), or "ERROR: message". */
static const char *eval_text(zib_fhir *f, const char *expr, const struct fhirpath_env *env,
	char *buf, size_t size)
{
	struct fhirpath_expr *e;
	struct fhirpath_error err;
	struct fhirpath_result r;
	size_t i, n = 0;

	buf[0] = '\0';
	if (fhirpath_compile(&e, expr, &err) != 0) {
		snprintf(buf, size, "COMPILE: %s", err.message);
		return buf;
	}
	if (fhirpath_eval(&r, e, ((struct zib_fhir *)f)->root, env, &err) != 0) {
		snprintf(buf, size, "ERROR: %s", err.message);
	} else {
		for (i = 0; i < r.n && n < size; i++) {
			const char *s = fhirpath_value_string(&r.arena, &r.v[i]);
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "|" : "", s ? s : "-");
		}
	}
	fhirpath_result_release(&r);
	fhirpath_free(e);
	return buf;
}

/* Compiling expr fails at line 1, column col, with a message holding what. */
static int compile_fails(const char *expr, int col, const char *what)
{
	struct fhirpath_expr *e = NULL;
	struct fhirpath_error err;

	if (fhirpath_compile(&e, expr, &err) == 0) {
		fhirpath_free(e);
		printf("    '%s' compiled\n", expr);
		return 0;
	}
	if (err.column != col || !strstr(err.message, what)) {
		printf("    '%s': %d:%d: %s\n", expr, err.line, err.column, err.message);
		return 0;
	}
	return 1;
}

TEST(fhirpath, compile_errors_name_the_place)
{
	struct fhirpath_expr *e = NULL;
	struct fhirpath_error err;

	ASSERT(compile_fails("2 + 2 /", 8, "expected an expression"));
	ASSERT(compile_fails("name.given /* open", 12, "unterminated comment"));
	ASSERT(compile_fails("name.where(given = 'Jo", 20, "unterminated string"));
	ASSERT(compile_fails("name.frobnicate()", 6, "unknown function 'frobnicate'"));
	ASSERT(compile_fails("iif(true)", 1, "iif() takes 2 to 3 arguments, not 1"));
	ASSERT(compile_fails("name.first(1)", 6, "first() takes 0 arguments, not 1"));
	ASSERT(compile_fails("@2015-13-01", 1, "bad date/time literal"));
	ASSERT(compile_fails("(1 + 2", 7, "expected ')'"));
	ASSERT(compile_fails("name given", 6, "expected an operator or the end"));
	ASSERT(compile_fails("'a\\qb'", 3, "unknown escape"));
	ASSERT(compile_fails("", 1, "empty expression"));
	ASSERT(compile_fails("name.\n  where(", 9, "expected an expression"));
	/* Lines count too. */
	ASSERT(fhirpath_compile(&e, "name\n  .given\n  + ", &err) != 0);
	ASSERT_INT_EQ(3, err.line);
	/* A good one, with its text kept. */
	ASSERT_INT_EQ(0, fhirpath_compile(&e, "Patient.name.given.first()", &err));
	ASSERT_STR_EQ("Patient.name.given.first()", fhirpath_text(e));
	fhirpath_free(e);
	fhirpath_free(NULL);
}

/* The same expressions give the same answers on the XML and JSON forms. */
TEST(fhirpath, navigates_both_forms_alike)
{
	static const char *const cases[][2] = {
		{ "Bundle.entry.resource.ofType(Patient).name.given", "Johannes|Jacobus" },
		{ "entry.resource.ofType(Observation).value.ofType(Quantity).value", "72.50" },
		{ "entry.resource.ofType(Observation).value.is(Quantity)", "ERROR" },
		{ "entry.resource.ofType(Observation).value.ofType(string)", "onbekend" },
		{ "entry.resource.ofType(Observation).where(value.ofType(Quantity) > 70 'kg').id", "o1" },
		{ "entry.resource.ofType(Observation).where(value.ofType(Quantity) > 70000 'g').id", "o1" },
		{ "entry.resource.ofType(Observation).where(value.ofType(Quantity) ~ 72.5 'kg').id", "o1" },
		{ "entry.resource.ofType(Observation).valueQuantity", "ERROR" },
		{ "entry.resource.Patient.birthDate.extension("
			"%`ext-patient-birthTime`).value", "1970-03-15T08:30:00+01:00" },
		{ "entry.resource.ofType(Patient).extension('http://example.org/fhir/"
			"StructureDefinition/nickname').value", "Joop" },
		{ "entry.resource.ofType(Observation).subject.resolve().ofType(Patient).id",
			"p1|p1" },
		{ "entry.resource.ofType(Patient).managingOrganization.resolve().name",
			"Huisartsenpraktijk De Linde" },
		{ "entry.resource.ofType(Patient).birthDate < @1970-03-16", "true" },
		{ "entry.resource.ofType(Patient).birthDate = @1970-03-15T10:00", "" },
		{ "entry.resource.ofType(Patient).birthDate.hasValue()", "true" },
		{ "entry.resource.ofType(Patient).name.given.count() + 1", "3" },
		{ "entry.resource.ofType(Observation).effective.all(start <= end)", "false" },
		{ "entry.resource.ofType(Observation).effective.start + 1 day",
			"2024-05-03T10:00:00+02:00" },
		{ "entry.resource.ofType(Patient).identifier.where(system = 'http://fhir.nl/fhir/"
			"NamingSystem/bsn').value.matches('^[0-9]{9}$')", "true" },
		{ "entry.resource.ofType(Patient).gender.type().name", "code" },
		{ "entry.resource.ofType(Patient).contained.ofType(Organization).id", "org" },
		{ "entry.select(resource.id & ':' & fullUrl.substring(0, 8)).join(',')",
			"p1:urn:uuid,o1:urn:uuid,o2:http://e" },
		{ "%ucum & ' ' & %sct", "http://unitsofmeasure.org http://snomed.info/sct" },
		{ "%unknown", "ERROR" },
		{ "(1 | 2).not()", "ERROR" },
		{ "1 / 0", "" },
		/* Overflow is an error, never a wrapped number. */
		{ "9223372036854775807 + 1", "ERROR" },
		{ "-9223372036854775807 * 2", "ERROR" },
		{ "100000000000000000000.0.floor()", "ERROR" },
		{ "@2015 + 99999 years", "ERROR" },
		{ "(5.5).floor() + 1", "6" },
		{ "@2015-01-31 + 1 month", "2015-02-28" },
		{ "@2016-02-29T23:30:00+01:00 + 45 minutes", "2016-03-01T00:15:00+01:00" },
	};
	char buf[512];
	size_t i, k;
	struct fhirpath_env env;

	memset(&env, 0, sizeof(env));
	env.strict = 1;
	for (k = 0; k < 2; k++) {
		zib_fhir *f = load(bundles[k]);
		ASSERT(f != NULL);
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const char *got = eval_text(f, cases[i][0], &env, buf, sizeof(buf));
			if (strcmp(cases[i][1], "ERROR") == 0 ? strncmp(got, "ERROR", 5) != 0 :
				strcmp(got, cases[i][1]) != 0) {
				harness_fail(__FILE__, __LINE__, "%s: %s: got \"%s\", want \"%s\"",
					bundles[k], cases[i][0], got, cases[i][1]);
				zib_fhir_free(f);
				return;
			}
		}
		zib_fhir_free(f);
	}
}

struct calls {
	int member_of;
	int conforms_to;
	int traced;
	char last_trace[64];
};

static int member_of(void *user, const struct fhirpath_value *code, const char *vs)
{
	struct calls *c = user;

	c->member_of++;
	if (strcmp(vs, "http://hl7.org/fhir/ValueSet/administrative-gender") != 0)
		return FHIRPATH_UNKNOWN;
	return code->kind == FHIRPATH_NODE && code->node->value &&
		strcmp(code->node->value, "male") == 0 ? FHIRPATH_YES : FHIRPATH_NO;
}

static int conforms_to(void *user, const struct fhir_node *res, const char *profile)
{
	struct calls *c = user;

	c->conforms_to++;
	return strcmp(profile, "http://example.org/fhir/StructureDefinition/my-patient") == 0 &&
		strcmp(fhir_resource_name(res), "Patient") == 0 ? FHIRPATH_YES : FHIRPATH_NO;
}

static void trace(void *user, const char *name, const struct fhirpath_value *v, size_t n)
{
	struct calls *c = user;

	c->traced += (int)n;
	snprintf(c->last_trace, sizeof(c->last_trace), "%s", name);
}

TEST(fhirpath, callbacks_and_variables)
{
	zib_fhir *f = load("testdata/fhirpath/bundle.xml");
	struct fhirpath_env env;
	struct calls calls;
	struct fhirpath_var vars[] = { { "who", "Jacobus", NULL } };
	char buf[256];

	ASSERT(f != NULL);
	memset(&env, 0, sizeof(env));
	memset(&calls, 0, sizeof(calls));
	/* Without a checker memberOf() is an error, not a silent false. */
	ASSERT(strncmp(eval_text(f, "entry.resource.ofType(Patient).gender.memberOf("
		"%`vs-administrative-gender`)", &env, buf, sizeof(buf)), "ERROR", 5) == 0);
	env.member_of = member_of;
	env.conforms_to = conforms_to;
	env.trace = trace;
	env.user = &calls;
	env.vars = vars;
	env.nvars = 1;
	ASSERT_STR_EQ("true", eval_text(f, "entry.resource.ofType(Patient).gender.memberOf("
		"%`vs-administrative-gender`)", &env, buf, sizeof(buf)));
	ASSERT_STR_EQ("", eval_text(f, "entry.resource.ofType(Patient).gender.memberOf("
		"'http://example.org/vs')", &env, buf, sizeof(buf)));
	ASSERT_INT_EQ(2, calls.member_of);
	ASSERT_STR_EQ("true|false|false", eval_text(f, "entry.resource.conformsTo("
		"'http://example.org/fhir/StructureDefinition/my-patient')", &env, buf, sizeof(buf)));
	/* Core profiles are answered without the callback. */
	ASSERT_STR_EQ("false|true|true", eval_text(f, "entry.resource.conformsTo("
		"'http://hl7.org/fhir/StructureDefinition/Observation')", &env, buf, sizeof(buf)));
	ASSERT_INT_EQ(3, calls.conforms_to);
	ASSERT_STR_EQ("true", eval_text(f, "entry.resource.ofType(Patient).name.given."
		"trace('given').where($this = %who).exists()", &env, buf, sizeof(buf)));
	ASSERT_INT_EQ(2, calls.traced);
	ASSERT_STR_EQ("given", calls.last_trace);
	/* Order from children() is no order, when asked to check. */
	ASSERT_STR_EQ("fp-1", eval_text(f, "children().first()", &env, buf, sizeof(buf)));
	env.check_ordered = 1;
	ASSERT_STR_EQ("ERROR: first() needs an ordered collection; children() and descendants() "
		"give none", eval_text(f, "children().where(true).first()", &env, buf, sizeof(buf)));
	ASSERT_STR_EQ("5", eval_text(f, "children().count()", &env, buf, sizeof(buf)));
	zib_fhir_free(f);
}

/* Invariants are evaluated on an element, with %resource its resource. */
TEST(fhirpath, invariants_on_elements)
{
	zib_fhir *f = load("testdata/fhirpath/bundle.json");
	const struct fhir_node *bundle, *entry, *obs = NULL, *c, *per = NULL;
	struct fhirpath_expr *per1, *res, *root, *bad;
	struct fhirpath_error err;
	struct fhirpath_env env;

	ASSERT(f != NULL);
	bundle = ((struct zib_fhir *)f)->root;
	for (entry = bundle->children; entry; entry = entry->next)
		for (c = entry->children; c; c = c->next)
			if (strcmp(c->name, "resource") == 0 && !obs &&
				strcmp(fhir_resource_name(c), "Observation") == 0)
				obs = c;
	ASSERT(obs != NULL);
	for (c = obs->children; c; c = c->next)
		if (strcmp(c->name, "effectivePeriod") == 0)
			per = c;
	ASSERT(per != NULL);
	memset(&env, 0, sizeof(env));
	/* per-1 of R4, compiled once, evaluated on the element. */
	ASSERT_INT_EQ(0, fhirpath_compile(&per1, "start.hasValue().not() or end.hasValue().not() "
		"or (start <= end)", &err));
	ASSERT_INT_EQ(FHIRPATH_NO, fhirpath_eval_bool(per1, per, &env, &err));
	ASSERT_INT_EQ(0, fhirpath_compile(&res, "%resource.id", &err));
	ASSERT_INT_EQ(0, fhirpath_compile(&root, "%rootResource.contained.id | %context.start",
		&err));
	{
		struct fhirpath_result r;
		ASSERT_INT_EQ(0, fhirpath_eval(&r, res, per, &env, &err));
		ASSERT_INT_EQ(1, r.n);
		ASSERT_STR_EQ("o1", fhirpath_value_string(&r.arena, &r.v[0]));
		fhirpath_result_release(&r);
	}
	ASSERT_INT_EQ(FHIRPATH_YES, fhirpath_eval_bool(root, per, &env, &err));
	ASSERT_INT_EQ(FHIRPATH_UNKNOWN, fhirpath_eval_bool(res, NULL, &env, &err));
	ASSERT_INT_EQ(0, fhirpath_compile(&bad, "start < 'noon'", &err));
	ASSERT_INT_EQ(-2, fhirpath_eval_bool(bad, per, &env, &err));
	ASSERT(strstr(err.message, "cannot compare dateTime with string") != NULL);
	ASSERT_INT_EQ(7, err.column);
	fhirpath_free(per1);
	fhirpath_free(res);
	fhirpath_free(root);
	fhirpath_free(bad);
	zib_fhir_free(f);
}

TEST(fhirpath, quantities_compare_through_ucum)
{
	/* Units lib/model/ucum knows and the stop-gap table did not (mm[Hg]
	 * against kPa, [degF] as an offset scale), calendar words against
	 * their UCUM units, and what must not compare. */
	static const char *const cases[][2] = {
		{ "4 'g' = 4000 'mg'", "true" },
		{ "185 '[lb_av]' > 83.9 'kg' and 185 '[lb_av]' < 84 'kg'", "true" },
		{ "1 'mmol/L' = 1 'umol/mL'", "true" },
		{ "2 'wk' = 14 'd'", "true" },
		{ "120 'mm[Hg]' > 15.9 'kPa' and 120 'mm[Hg]' < 16.1 'kPa'", "true" },
		{ "98.6 '[degF]' ~ 37.0 'Cel'", "true" },
		{ "37 'Cel'.toQuantity('K')", "310.15 'K'" },
		{ "1 '[IU]/mL' = 1000 '[iU]/L'", "true" },
		{ "2 weeks = 14 'd'", "true" },
		{ "1 year = 1 'a'", "" },
		{ "1 'cm' = 1 's'", "false" },
		{ "1 'cm' < 1 's'", "" },
		{ "1 'cm'.comparable(1 '[s]')", "false" },
		{ "7 '[pH]'.comparable(7 '[pH]')", "false" },
		{ "1.0 'kg' + 500 'g'", "1.5 'kg'" },
	};
	zib_fhir *f = load(bundles[0]);
	char buf[256];
	size_t i;

	ASSERT(f != NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eval_text(f, cases[i][0], NULL, buf, sizeof(buf));
		if (strcmp(buf, cases[i][1]) != 0) {
			zib_fhir_free(f);
			harness_fail(__FILE__, __LINE__, "%s: want '%s', got '%s'", cases[i][0],
				cases[i][1], buf);
			return;
		}
	}
	zib_fhir_free(f);
}

TEST(fhirpath, regex_literals_compile_once)
{
	/* The same answers from a pattern compiled with the expression (a
	 * literal) and one computed at evaluation time. */
	static const char *const cases[][2] = {
		{ "'abc'.matches('b')", "true" },
		{ "'abc'.matches('B'.lower())", "true" },
		{ "'abc'.matchesFull('b')", "false" },
		{ "'abc'.matchesFull('a.c')", "true" },
		{ "'abc'.matchesFull('a.' & 'c')", "true" },
		{ "'a\nb'.matches('^a.b$')", "true" },
		{ "'abcb'.replaceMatches('b', 'X')", "aXcX" },
		{ "'abc'.replaceMatches('', 'X')", "abc" },
		{ "'abc'.matches('(')", "ERROR: bad regular expression '('" },
		{ "'abc'.matches('(' & '')", "ERROR: bad regular expression '('" },
	};
	static const char *const literal[] = {
		"'abc'.matches('b')", "'abc'.matchesFull('b')", "'x'.replaceMatches('b', 'c')"
	};
	static const char *const computed[] = {
		"'abc'.matches('B'.lower())", "'abc'.matches('(')", "'x'.replaceMatches('', 'c')"
	};
	zib_fhir *f = load(bundles[0]);
	struct fhirpath_expr *e;
	struct fhirpath_error err;
	char buf[256];
	size_t i;

	ASSERT(f != NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eval_text(f, cases[i][0], NULL, buf, sizeof(buf));
		if (strncmp(buf, cases[i][1], strlen(cases[i][1])) != 0) {
			zib_fhir_free(f);
			harness_fail(__FILE__, __LINE__, "%s: want '%s', got '%s'", cases[i][0],
				cases[i][1], buf);
			return;
		}
	}
	zib_fhir_free(f);
	for (i = 0; i < 3; i++) {
		ASSERT_INT_EQ(0, fhirpath_compile(&e, literal[i], &err));
		ASSERT(e->root->kind == A_FUNC && e->root->regex != NULL);
		fhirpath_free(e);
		ASSERT_INT_EQ(0, fhirpath_compile(&e, computed[i], &err));
		ASSERT(e->root->kind == A_FUNC && e->root->regex == NULL);
		fhirpath_free(e);
	}
}

struct shared_eval {
	const struct fhirpath_expr *e;
	const struct fhir_node *root;
	int wrong;
};

static void *eval_many(void *arg)
{
	struct shared_eval *t = arg;
	struct fhirpath_env env;
	struct fhirpath_error err;
	int i;

	memset(&env, 0, sizeof(env));
	for (i = 0; i < 2000; i++)
		if (fhirpath_eval_bool(t->e, t->root, &env, &err) != FHIRPATH_YES)
			t->wrong++;
	return NULL;
}

TEST(fhirpath, compiled_patterns_are_shared_between_threads)
{
	zib_fhir *f = load(bundles[0]);
	struct fhirpath_expr *e;
	struct fhirpath_error err;
	struct shared_eval t[4];
	pthread_t th[4];
	int i, started = 0, wrong = 0;

	ASSERT(f != NULL);
	ASSERT_INT_EQ(0, fhirpath_compile(&e, "entry.resource.ofType(Patient).name.given"
		".all(matches('^[A-Z][a-z]+$') and replaceMatches('[aeiou]', '').length() < length())",
		&err));
	for (i = 0; i < 4; i++) {
		t[i].e = e;
		t[i].root = ((struct zib_fhir *)f)->root;
		t[i].wrong = 0;
		if (pthread_create(&th[i], NULL, eval_many, &t[i]) == 0)
			started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		wrong += t[i].wrong;
	}
	fhirpath_free(e);
	zib_fhir_free(f);
	ASSERT_INT_EQ(4, started);
	ASSERT_INT_EQ(0, wrong);
}
