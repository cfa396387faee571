/*
 * zib validate [options] FILE|DIR|-|@LIST...: checks BgZ documents and
 * prints the findings (text, json, junit, sarif, outcome).  Each document
 * runs as a batch job (cmd/batch.c); machine formats are rendered after
 * the batch so that one valid document covers every input, in input order.
 *
 * Adding an option: a row in longopts, a case in the switch, a line in
 * usage[] and in man/zib-validate.1.  `--package DIR` is an ART-DECOR
 * runtime package folder; today its schemas/ is used, Schematron later.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"

static const char usage[] =
	"usage: zib validate [--format text|json|junit|sarif|outcome] [--fail-on error|warning]\n"
	"                    [--schema FILE | --package DIR] [-j N] [--max-size BYTES]\n"
	"                    [--dump-tree] [--set] [-q] [-v] FILE|DIR|-|@LIST...\n"
	"\n"
	"   --format FMT      text (default), json, junit, sarif or outcome (FHIR OperationOutcome)\n"
	"   --fail-on LEVEL   exit 1 on findings at or above LEVEL: error (default) or warning\n"
	"   --schema FILE     also validate against this XML schema (the NL CDA schema)\n"
	"   --package DIR     ART-DECOR runtime package folder; uses DIR/schemas/CDANL_extended.xsd\n"
	"   -j N              worker threads (default: one per core)\n"
	"   --max-size BYTES  refuse documents larger than this (default 256 MiB)\n"
	"   --dump-tree       print the zib instances read from each document instead of findings\n"
	"   --set             read the FHIR files of each argument (DIR, @LIST) as one set, so\n"
	"                     references between them resolve\n"
	"   -q, --quiet       no summary line\n"
	"   -v, --verbose     also show info findings (content not mapped to a zib)\n";

enum { OPT_SCHEMA = OPT_FIRST_COMMAND_OPT, OPT_PACKAGE, OPT_FAIL_ON, OPT_MAX_SIZE, OPT_DUMP_TREE, OPT_SET };

struct validate_run {
	const zib_ctx *ctx;
	zib_check_options opts;
	zib_render_format format;
	zib_severity fail_on;
	zib_severity min_shown;
	size_t max_size;
	int dump_tree;
	int set;                  /* each argument is one set of FHIR files */
	/* Per input, filled by the workers. */
	zib_report **reports;
	const char **names;
};

static const char *display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static void add_doc_finding(zib_report *r, const char *file, const char *code, const char *msg)
{
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = code;
	d.file = file;
	d.message = msg;
	zib_report_add(r, &d);
}

static void validate_one(struct batch_job *job, void *data)
{
	struct validate_run *run = data;
	const char *name = display_name(job->path);
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = NULL, *errf = NULL;
	int rc;

	zib_error_clear(&err);
	job->exit_code = ZIB_EXIT_OK;
	out = open_memstream(&job->out, &job->out_len);
	errf = open_memstream(&job->err, &job->err_len);
	if (!out || !errf || zib_report_new(&report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	run->reports[job->index] = report;
	run->names[job->index] = name;
	rc = zib_read_file(&buf, &len, job->path, run->max_size, &err);
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		add_doc_finding(report, name, rc == ZIB_ETOOBIG ? "ZIB-DOC-002" : "ZIB-DOC-003", err.message);
		job->exit_code = ZIB_EXIT_USAGE;
		goto done;
	}
	rc = zib_check_document(run->dump_tree ? &doc : NULL, run->ctx, &run->opts, name, buf, len,
		report, &err);
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		job->exit_code = rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
		goto done;
	}
	if (zib_report_worst(report) >= (int)run->fail_on)
		job->exit_code = ZIB_EXIT_FINDINGS;
	if (run->dump_tree) {
		if (doc)
			zib_doc_write_tree(out, doc, 1);
		else
			zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, ZIB_SEV_WARNING,
				g_opts.color);
	} else if (run->format == ZIB_RENDER_TEXT) {
		zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, run->min_shown, g_opts.color);
	}
done:
	zib_doc_free(doc);
	free(buf);
	if (out)
		fclose(out);
	if (errf)
		fclose(errf);
}

/* -v: what the FHIR reader left unread, as ZIB-FHIRZ-003 info findings. */
static void report_unmapped(zib_report *report, const zib_doc *doc)
{
	size_t i, n = zib_doc_unmapped_count(doc);
	zib_diag d;

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_INFO;
	d.code = "ZIB-FHIRZ-003";
	d.file = zib_doc_file(doc);
	for (i = 0; i < n; i++) {
		zib_doc_unmapped_at(doc, i, &d.line, &d.path, &d.message);
		zib_report_add(report, &d);
	}
}

/* --set: the FHIR files of one argument (a directory, an @LIST, a file)
 * read together as one document, so that references between them resolve
 * (a BgZ answer saved one resource per file). */
static void validate_set(struct batch_job *job, void *data)
{
	static const char *const extensions[] = { ".xml", ".json", NULL };
	struct validate_run *run = data;
	const char *name = display_name(job->path);
	struct input_list files = { NULL, 0, 0 };
	char *arg = (char *)job->path;
	char **datas = NULL;
	size_t *lens = NULL, i, n = 0;
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	FILE *out = NULL, *errf = NULL;
	int rc, input_errors = 0;

	zib_error_clear(&err);
	job->exit_code = ZIB_EXIT_OK;
	out = open_memstream(&job->out, &job->out_len);
	errf = open_memstream(&job->err, &job->err_len);
	if (!out || !errf || zib_report_new(&report) < 0 ||
	    inputs_expand(&files, &arg, 1, extensions, &input_errors) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	run->reports[job->index] = report;
	run->names[job->index] = name;
	datas = calloc(files.count + 1, sizeof(*datas));
	lens = calloc(files.count + 1, sizeof(*lens));
	if (!datas || !lens) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	for (n = 0; n < files.count; n++) {
		rc = zib_read_file(&datas[n], &lens[n], files.paths[n], run->max_size, &err);
		if (rc < 0) {
			fprintf(errf, "zib: %s\n", err.message);
			add_doc_finding(report, files.paths[n], rc == ZIB_ETOOBIG ? "ZIB-DOC-002" : "ZIB-DOC-003",
				err.message);
			job->exit_code = ZIB_EXIT_USAGE;
			goto done;
		}
	}
	rc = zib_doc_read_many(&doc, run->ctx, name, files.count, (const char *const *)files.paths,
		(const char *const *)datas, lens, report, &err);
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		job->exit_code = rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
		goto done;
	}
	if (zib_validate_doc(run->ctx, doc, report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (run->opts.unmapped_findings)
		report_unmapped(report, doc);
	if (input_errors)
		job->exit_code = ZIB_EXIT_USAGE;
	else if (zib_report_worst(report) >= (int)run->fail_on)
		job->exit_code = ZIB_EXIT_FINDINGS;
	if (run->dump_tree)
		zib_doc_write_tree(out, doc, 1);
	else if (run->format == ZIB_RENDER_TEXT)
		zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, run->min_shown, g_opts.color);
done:
	zib_doc_free(doc);
	for (i = 0; datas && i < n; i++)
		free(datas[i]);
	free(datas);
	free(lens);
	inputs_release(&files);
	if (out)
		fclose(out);
	if (errf)
		fclose(errf);
}

static int load_schema(zib_schema **schema, const char *schema_file, const char *package)
{
	char path[4096];
	zib_error err;

	if (!schema_file && !package)
		return ZIB_EXIT_OK;
	if (package) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/schemas/CDANL_extended.xsd", package);
		if (stat(package, &st) != 0 || !S_ISDIR(st.st_mode)) {
			cmd_error("cannot open package folder '%s'", package);
			return ZIB_EXIT_USAGE;
		}
		if (stat(path, &st) != 0) {
			cmd_error("package folder '%s' has no schemas/CDANL_extended.xsd", package);
			return ZIB_EXIT_USAGE;
		}
		schema_file = path;
	}
	if (zib_schema_load(schema, schema_file, &err) < 0) {
		cmd_error("%s", err.message);
		return ZIB_EXIT_USAGE;
	}
	return ZIB_EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "package", required_argument, NULL, OPT_PACKAGE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "dump-tree", no_argument, NULL, OPT_DUMP_TREE },
		{ "set", no_argument, NULL, OPT_SET },
		{ "jobs", required_argument, NULL, 'j' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const extensions[] = { ".xml", NULL };
	struct validate_run run;
	struct input_list inputs = { NULL, 0, 0 };
	struct batch_job *jobs = NULL;
	zib_ctx *ctx = NULL;
	zib_schema *schema = NULL;
	zib_render_totals totals;
	const char *schema_file = NULL, *package = NULL;
	int c, rc = ZIB_EXIT_OK, njobs = 0, input_errors = 0, f;
	size_t i;
	long n;

	memset(&run, 0, sizeof(run));
	memset(&totals, 0, sizeof(totals));
	run.fail_on = ZIB_SEV_ERROR;
	run.max_size = ZIB_DEFAULT_MAX_SIZE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, GLOBAL_SHORTOPTS "j:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DUMP_TREE:
			run.dump_tree = 1;
			break;
		case OPT_SET:
			run.set = 1;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				run.fail_on = ZIB_SEV_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				run.fail_on = ZIB_SEV_WARNING;
			else {
				cmd_error("--fail-on takes error or warning, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			break;
		case OPT_MAX_SIZE:
			n = cmd_parse_count(optarg);
			if (n <= 0) {
				cmd_error("--max-size takes a positive number of bytes, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			run.max_size = (size_t)n;
			break;
		case OPT_PACKAGE:
			package = optarg;
			break;
		case OPT_SCHEMA:
			schema_file = optarg;
			break;
		case 'j':
			n = cmd_parse_count(optarg);
			if (n <= 0 || n > 256) {
				cmd_error("-j takes a number from 1 to 256, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			njobs = (int)n;
			break;
		case OPT_HELP:
			return cmd_usage(usage, ZIB_EXIT_OK);
		case '?':
			cmd_bad_option(argv);
			return cmd_usage(usage, ZIB_EXIT_USAGE);
		default:
			if (global_opt(c, optarg) <= 0)
				return cmd_usage(usage, ZIB_EXIT_USAGE);
		}
	}
	global_opts_finish();
	f = zib_render_format_parse(g_opts.format ? g_opts.format : "text");
	if (f < 0) {
		cmd_error("--format takes text, json, junit, sarif or outcome, not '%s'", g_opts.format);
		return ZIB_EXIT_USAGE;
	}
	run.format = (zib_render_format)f;
	run.min_shown = g_opts.verbose ? ZIB_SEV_INFO : ZIB_SEV_WARNING;
	run.opts.version = ZIB_CHECK_OPTIONS_VERSION;
	run.opts.unmapped_findings = g_opts.verbose > 0;
	if (schema_file && package) {
		cmd_error("--schema and --package cannot be used together");
		return ZIB_EXIT_USAGE;
	}
	if (optind >= argc) {
		cmd_error("no input documents");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		return rc;
	rc = load_schema(&schema, schema_file, package);
	if (rc != ZIB_EXIT_OK)
		goto done;
	run.ctx = ctx;
	run.opts.schema = schema;
	if (run.set) {
		/* One job per argument; each expands its own files. */
		for (c = optind; c < argc; c++)
			if (inputs_push(&inputs, argv[c]) < 0) {
				cmd_error("out of memory");
				rc = ZIB_EXIT_INTERNAL;
				goto done;
			}
	} else if (inputs_expand(&inputs, argv + optind, argc - optind, extensions, &input_errors) < 0) {
		cmd_error("out of memory");
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	run.reports = calloc(inputs.count + 1, sizeof(*run.reports));
	run.names = calloc(inputs.count + 1, sizeof(*run.names));
	if (!run.reports || !run.names) {
		cmd_error("out of memory");
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (run.set && (schema_file || package)) {
		cmd_error("--set reads FHIR; --schema and --package are for CDA");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	rc = batch_run(&inputs, njobs, run.set ? validate_set : validate_one, &run, &jobs);
	for (i = 0; i < inputs.count; i++) {
		zib_report *r = run.reports[i];
		totals.documents++;
		totals.errors += zib_report_count_severity(r, ZIB_SEV_ERROR);
		totals.warnings += zib_report_count_severity(r, ZIB_SEV_WARNING);
		totals.infos += zib_report_count_severity(r, ZIB_SEV_INFO);
		if (zib_report_count_severity(r, ZIB_SEV_ERROR))
			totals.failed_documents++;
	}
	if (run.format != ZIB_RENDER_TEXT && !run.dump_tree) {
		zib_render_begin(stdout, run.format, &totals);
		for (i = 0; i < inputs.count; i++)
			if (run.reports[i])
				zib_render_document(stdout, run.format, i, run.names[i], run.reports[i],
					run.min_shown, 0);
		zib_render_end(stdout, run.format, &totals);
	}
	if (!g_opts.quiet)
		fprintf(stderr, "%zu document%s, %zu error%s, %zu warning%s\n", totals.documents,
			totals.documents == 1 ? "" : "s", totals.errors, totals.errors == 1 ? "" : "s",
			totals.warnings, totals.warnings == 1 ? "" : "s");
	if (input_errors && rc < ZIB_EXIT_USAGE)
		rc = ZIB_EXIT_USAGE;
done:
	if (run.reports)
		for (i = 0; i < inputs.count; i++)
			zib_report_free(run.reports[i]);
	free(run.reports);
	free(run.names);
	batch_free(jobs, inputs.count);
	inputs_release(&inputs);
	zib_schema_free(schema);
	zib_ctx_free(ctx);
	return rc;
}
