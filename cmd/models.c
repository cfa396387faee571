/*
 * zib models [--all] [NAME]: the zib models this zib knows.  Without NAME a
 * table of the BgZ zibs; with NAME one zib's concept tree with datatypes,
 * cardinalities and value set bindings.  --format json for scripts.
 */
#include <string.h>

#include "cmd.h"
#include "strbuf.h"

static const char usage[] =
	"usage: zib models [--all] [--format text|json] [NAME]\n"
	"\n"
	"   --all           also list the related zibs (Zorgaanbieder, ...)\n"
	"   --format FMT    text (default) or json\n"
	"   NAME            a zib's Dutch or English name, case-insensitive\n";

#define MODELS_FORMAT_VERSION 1

static void json_str(FILE *out, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_json_escape(&b, s ? s : "");
	fprintf(out, "\"%s\"", b.data ? b.data : "");
	strbuf_release(&b);
}

/* Prints "key": "value" with a leading comma unless first. */
static void json_field(FILE *out, const char *key, const char *value, int first)
{
	fprintf(out, "%s\"%s\": ", first ? "" : ", ", key);
	json_str(out, value);
}

static void json_list(FILE *out, const char *key, const char *spaced)
{
	const char *p = spaced;
	int first = 1;

	fprintf(out, ", \"%s\": [", key);
	while (p && *p) {
		size_t n = strcspn(p, " ");
		if (n) {
			char item[1024];
			snprintf(item, sizeof(item), "%.*s", (int)n, p);
			fputs(first ? "" : ", ", out);
			json_str(out, item);
			first = 0;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc(']', out);
}

static void card_text(const zib_concept *c, char *out, size_t size)
{
	if (zib_concept_max(c) < 0)
		snprintf(out, size, "%d..*", zib_concept_min(c));
	else
		snprintf(out, size, "%d..%d", zib_concept_min(c), zib_concept_max(c));
}

/* Prints s left-aligned in width columns, counting UTF-8 characters. */
static void print_padded(const char *s, int width)
{
	int chars = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	fputs(s, stdout);
	while (chars++ < width)
		putchar(' ');
}

static void list_text(const zib_ctx *ctx, int all)
{
	size_t i;

	printf("%-3s %-28s %-28s %-30s %-16s %s\n", "n", "section", "zib", "English",
		"root", "concepts");
	for (i = 0; i < zib_model_count(ctx); i++) {
		const zib_model *m = zib_model_at(ctx, i);
		if (!all && !zib_model_is_bgz(m))
			continue;
		printf("%-3s ", zib_model_number(m));
		print_padded(zib_model_section(m), 28);
		putchar(' ');
		print_padded(zib_model_name_nl(m), 28);
		putchar(' ');
		print_padded(zib_model_name_en(m), 30);
		printf(" %-16s %zu\n", zib_model_root_concept(m), zib_model_concept_count(m));
	}
}

static void model_json_head(FILE *out, const zib_model *m)
{
	json_field(out, "n", zib_model_number(m), 1);
	fprintf(out, ", \"bgz\": %s", zib_model_is_bgz(m) ? "true" : "false");
	json_field(out, "section", zib_model_section(m), 0);
	json_field(out, "name_nl", zib_model_name_nl(m), 0);
	json_field(out, "name_en", zib_model_name_en(m), 0);
	json_field(out, "root_concept", zib_model_root_concept(m), 0);
	json_field(out, "version", zib_model_version(m), 0);
	json_list(out, "fhir_r4_resource", zib_model_fhir_r4_resource(m));
	json_list(out, "fhir_r4_profiles", zib_model_fhir_r4_profiles(m));
	json_list(out, "fhir_stu3_profiles", zib_model_fhir_stu3_profiles(m));
	json_list(out, "cda_templates", zib_model_cda_templates(m));
}

static void list_json(const zib_ctx *ctx, int all)
{
	size_t i;
	int first = 1;

	printf("{\"format_version\": %d, \"models_version\": ", MODELS_FORMAT_VERSION);
	json_str(stdout, zib_ctx_models_version(ctx));
	printf(", \"zibs\": [\n");
	for (i = 0; i < zib_model_count(ctx); i++) {
		const zib_model *m = zib_model_at(ctx, i);
		if (!all && !zib_model_is_bgz(m))
			continue;
		printf("%s  {", first ? "" : ",\n");
		model_json_head(stdout, m);
		printf(", \"concepts\": %zu}", zib_model_concept_count(m));
		first = 0;
	}
	printf("\n]}\n");
}

/* Calls fn for each value set OID in a space-separated list. */
static void each_valueset(const zib_ctx *ctx, const char *list,
	void (*fn)(const zib_ctx *, const char *, const zib_valueset *, void *), void *arg)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, " ");
		if (n) {
			char oid[256];
			snprintf(oid, sizeof(oid), "%.*s", (int)n, p);
			fn(ctx, oid, zib_valueset_find(ctx, oid), arg);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void binding_text(const zib_ctx *ctx, const char *oid, const zib_valueset *vs, void *arg)
{
	int depth = *(int *)arg;
	size_t i;

	if (!vs) {
		printf("%*s  binding %s (not enumerable)\n", depth * 2, "", oid);
		return;
	}
	printf("%*s  binding %s %s (%zu codes)\n", depth * 2, "", oid, zib_valueset_name(vs),
		zib_valueset_code_count(vs));
	if (!g_opts.verbose)
		return;
	for (i = 0; i < zib_valueset_code_count(vs); i++) {
		const char *code, *system, *display;
		zib_valueset_code_at(vs, i, &code, &system, &display);
		printf("%*s    %s %s %s\n", depth * 2, "", system, code, display);
	}
}

static void show_text(const zib_ctx *ctx, const zib_model *m)
{
	size_t i;

	printf("%s (%s), %s\n", zib_model_name_nl(m), zib_model_name_en(m), zib_model_version(m));
	printf("BgZ %s, section %s\n", zib_model_number(m), zib_model_section(m));
	if (*zib_model_fhir_r4_resource(m))
		printf("FHIR R4: %s\n", zib_model_fhir_r4_resource(m));
	if (*zib_model_cda_templates(m))
		printf("CDA templates: %s\n", zib_model_cda_templates(m));
	printf("\n");
	for (i = 0; i < zib_model_concept_count(m); i++) {
		const zib_concept *c = zib_model_concept_at(m, i);
		int depth = zib_concept_depth(c);
		char card[32];

		card_text(c, card, sizeof(card));
		printf("%*s%s %s %s %s", depth * 2, "", zib_concept_id(c), zib_concept_name_nl(c),
			zib_concept_datatype(c), card);
		if (*zib_concept_name_en(c))
			printf("  (%s)", zib_concept_name_en(c));
		printf("\n");
		each_valueset(ctx, zib_concept_valuesets(c), binding_text, &depth);
	}
}

static void binding_json(const zib_ctx *ctx, const char *oid, const zib_valueset *vs, void *arg)
{
	int *first = arg;
	size_t i;

	printf("%s{", *first ? "" : ", ");
	*first = 0;
	json_field(stdout, "oid", oid, 1);
	if (!vs) {
		printf(", \"enumerable\": false}");
		return;
	}
	json_field(stdout, "name", zib_valueset_name(vs), 0);
	printf(", \"enumerable\": true, \"codes\": [");
	for (i = 0; i < zib_valueset_code_count(vs); i++) {
		const char *code, *system, *display;
		zib_valueset_code_at(vs, i, &code, &system, &display);
		printf("%s{", i ? ", " : "");
		json_field(stdout, "code", code, 1);
		json_field(stdout, "system", system, 0);
		json_field(stdout, "display", display, 0);
		printf("}");
	}
	printf("]}");
}

static void show_json(const zib_ctx *ctx, const zib_model *m)
{
	size_t i;

	printf("{\"format_version\": %d, \"models_version\": ", MODELS_FORMAT_VERSION);
	json_str(stdout, zib_ctx_models_version(ctx));
	printf(", \"zib\": {");
	model_json_head(stdout, m);
	printf(", \"concepts\": [\n");
	for (i = 0; i < zib_model_concept_count(m); i++) {
		const zib_concept *c = zib_model_concept_at(m, i);
		char card[32];
		int first = 1;

		card_text(c, card, sizeof(card));
		printf("%s    {", i ? ",\n" : "");
		json_field(stdout, "id", zib_concept_id(c), 1);
		json_field(stdout, "parent", zib_concept_parent_id(c), 0);
		printf(", \"depth\": %d", zib_concept_depth(c));
		json_field(stdout, "name_nl", zib_concept_name_nl(c), 0);
		json_field(stdout, "name_en", zib_concept_name_en(c), 0);
		json_field(stdout, "datatype", zib_concept_datatype(c), 0);
		json_field(stdout, "cardinality", card, 0);
		json_list(stdout, "fhir_r4", zib_concept_fhir_r4(c));
		json_list(stdout, "fhir_stu3", zib_concept_fhir_stu3(c));
		json_field(stdout, "cda_template", zib_concept_cda_template(c), 0);
		json_field(stdout, "cda_xpath", zib_concept_cda_xpath(c), 0);
		printf(", \"bindings\": [");
		each_valueset(ctx, zib_concept_valuesets(c), binding_json, &first);
		printf("]}");
	}
	printf("\n]}}\n");
}

int cmd_models(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	zib_ctx *ctx = NULL;
	const zib_model *m;
	int c, all = 0, json, rc;

	while ((c = getopt_long(argc, argv, "a" GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				return rc;
		}
	}
	global_opts_finish();
	if (g_opts.format && strcmp(g_opts.format, "text") && strcmp(g_opts.format, "json")) {
		cmd_error("models: unknown format '%s' (text or json)", g_opts.format);
		return ZIB_EXIT_USAGE;
	}
	json = g_opts.format && strcmp(g_opts.format, "json") == 0;
	if (argc - optind > 1) {
		cmd_error("models: takes at most one zib NAME");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		return rc;
	if (optind == argc) {
		if (json)
			list_json(ctx, all);
		else
			list_text(ctx, all);
		goto done;
	}
	m = zib_model_find(ctx, argv[optind]);
	if (!m) {
		cmd_error("models: no zib named '%s'; 'zib models --all' lists them", argv[optind]);
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (json)
		show_json(ctx, m);
	else
		show_text(ctx, m);
done:
	zib_ctx_free(ctx);
	return rc;
}
