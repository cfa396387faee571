/*
 * zib fhirpath [--strict] EXPR INPUT...: evaluates a FHIRPath expression
 * on FHIR resources (XML or JSON) and prints each value of the result, to
 * debug invariants and profiles' paths.  The expression is compiled once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char usage[] =
	"usage: zib fhirpath [--strict] EXPR INPUT ...\n"
	"\n"
	"   --strict   a name the element's type does not have is an error\n"
	"   INPUT      FHIR XML or JSON files, directories, - for stdin, @LIST\n";

struct print_ctx {
	const char *file;
	size_t count;
};

/* One value: FILE:LINE:COLUMN: PATH: TYPE 'TEXT' for an element of the
 * document, FILE: TYPE 'TEXT' for a computed one. */
static int print_value(void *user, const zib_fhirpath_value *v)
{
	struct print_ctx *pc = user;

	pc->count++;
	if (v->path)
		printf("%s:%d:%d: %s: %s", pc->file, v->line, v->column, v->path, v->type);
	else
		printf("%s: %s", pc->file, v->type);
	if (v->text)
		printf(" '%s'", v->text);
	putchar('\n');
	return 0;
}

static int eval_file(const zib_fhirpath *p, const char *path, int flags)
{
	char *data = NULL;
	size_t len;
	zib_error err;
	zib_report *report = NULL;
	zib_fhir *f = NULL;
	struct print_ctx pc = { path, 0 };
	int rc = ZIB_EXIT_OK, st;
	size_t i;

	zib_error_clear(&err);
	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		cmd_error("%s", err.message);
		return ZIB_EXIT_USAGE;
	}
	if (zib_report_new(&report) < 0) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	st = zib_fhir_parse(&f, data, len, path, report, &err);
	if (st != 0) {
		for (i = 0; i < zib_report_count(report); i++)
			zib_diag_write_text(stderr, zib_report_at(report, i), g_opts.color_err);
		if (st != ZIB_EPARSE)
			cmd_error("%s", err.message);
		rc = st == ZIB_EPARSE ? ZIB_EXIT_FINDINGS : ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (zib_fhirpath_eval(p, f, flags, print_value, &pc, &err) != 0) {
		cmd_error("%s: %s", path, err.message);
		rc = ZIB_EXIT_FINDINGS;
	}
done:
	zib_fhir_free(f);
	zib_report_free(report);
	free(data);
	return rc;
}

int cmd_fhirpath(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const exts[] = { ".xml", ".json", NULL };
	struct input_list inputs = { 0 };
	struct strbuf path_buf = STRBUF_INIT;
	zib_fhirpath *p = NULL;
	zib_error err;
	int c, rc = ZIB_EXIT_OK, errors = 0, flags = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			flags |= ZIB_FHIRPATH_STRICT;
			break;
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				return rc;
			rc = ZIB_EXIT_OK;
		}
	}
	global_opts_finish();
	if (argc - optind < 2) {
		cmd_error("fhirpath: needs an expression and at least one input");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	zib_error_clear(&err);
	if (zib_fhirpath_compile(&p, argv[optind], &err) != 0) {
		cmd_error("fhirpath: %s", err.message);
		return ZIB_EXIT_USAGE;
	}
	if (inputs_expand(&inputs, argv + optind + 1, argc - optind - 1, exts, &errors) < 0) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (errors)
		rc = ZIB_EXIT_USAGE;
	for (i = 0; i < inputs.count; i++) {
		const char *path = inputs_path(&inputs, i, &path_buf);
		int r = path ? eval_file(p, path, flags) : ZIB_EXIT_INTERNAL;
		if (!path)
			cmd_error("out of memory");
		if (r > rc)
			rc = r;
	}
done:
	strbuf_release(&path_buf);
	inputs_release(&inputs);
	zib_fhirpath_free(p);
	return cmd_finish_output(rc);
}
