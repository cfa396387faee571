/*
 * zib validate [options] FILE|DIR|-|@LIST...: checks BgZ documents and
 * prints the findings (text, json, junit, sarif, outcome, html).  Each
 * document runs as a batch job (cmd/batch.c); its result is rendered in
 * input order as the batch prints it and then dropped, only counts kept,
 * so memory does not grow with the number of documents.
 *
 * Adding an option: a row in longopts, a case in the switch, a line in
 * usage[] and in man/zib-validate.1.  `--package DIR` is an ART-DECOR
 * runtime package folder: its schemas/ for the XSD, its Schematron rule
 * files chosen by --transaction or per document (lib/schematron/package.c).
 * Rule files are compiled once and shared by the worker threads.
 * --format svrl writes the Schematron's own report: one SVRL document per
 * input, on stdout for a single input, else to -o DIR/BASE.svrl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"

static const char usage[] =
	"usage: zib validate [--format text|json|junit|sarif|outcome|html|svrl] [--fail-on error|warning]\n"
	"                    [--schema FILE] [--schematron FILE] [--package DIR [--transaction NAME]]\n"
	"                    [--fhir-package PATH|ID#VERSION] [--profile URL] [--checks fhir|zib|all]\n"
	"                    [--ignore CODE[,CODE...]] [--baseline FILE] [--write-baseline FILE]\n"
	"                    [-o DIR] [--force] [-j N] [--max-size SIZE]\n"
	"                    [--dump-tree] [--set] [-q] [-v] FILE|DIR|-|@LIST...\n"
	"\n"
	"   --format FMT      text (default), json, junit, sarif, outcome (FHIR OperationOutcome),\n"
	"                     html (one page for people), or svrl (the Schematron report, one\n"
	"                     SVRL document per input)\n"
	"   --fail-on LEVEL   exit 1 on findings at or above LEVEL: error (default) or warning\n"
	"   --schema FILE     also validate against this XML schema (the NL CDA schema)\n"
	"   --schematron FILE also validate against this ISO Schematron rule set\n"
	"   --package DIR     ART-DECOR runtime package folder: DIR/schemas/CDANL_extended.xsd and\n"
	"                     the Schematron rule file per document (instance2schematron map)\n"
	"   --transaction NAME  the package's rule file for this transaction, e.g. createUpdate\n"
	"   --fhir-package P  FHIR definitions (profiles, extensions, value sets) to load beside\n"
	"                     R4 core and zib2020: a file, a folder, a package .tgz, or ID#VERSION\n"
	"                     from ~/.fhir/packages; resources are checked against their meta.profile\n"
	"   --profile URL     also check each document's resource against this profile\n"
	"   --checks WHICH    fhir: FHIR conformance only (what the HL7 validator checks);\n"
	"                     zib: the zib-level checks only; all (default): both\n"
	"   --ignore CODES    suppress the findings of these codes (comma-separated, repeatable)\n"
	"   --baseline FILE   suppress the findings recorded in FILE; only new ones count\n"
	"   --write-baseline FILE  record every finding of this run in FILE (for --baseline)\n"
	"   -o DIR            --format svrl: write DIR/BASE.svrl per input (needed for several);\n"
	"                     --format outcome: DIR/BASE.outcome.json per input\n"
	"   --force           overwrite existing files in -o DIR\n"
	"   -j N              worker threads (default: one per core)\n"
	"   --max-size SIZE   refuse documents larger than this: bytes, or 256M, 1G (default 256M)\n"
	"   --dump-tree       print the zib instances read from each document instead of findings\n"
	"   --set             read the FHIR files of each argument (DIR, @LIST) as one set, so\n"
	"                     references between them resolve\n"
	"   -q, --quiet       no summary line and no per-code count\n"
	"   -v, --verbose     also show info findings (content not mapped to a zib)\n";

enum { OPT_SCHEMA = OPT_FIRST_COMMAND_OPT, OPT_PACKAGE, OPT_FAIL_ON, OPT_MAX_SIZE, OPT_DUMP_TREE,
	OPT_SCHEMATRON, OPT_TRANSACTION, OPT_FORCE, OPT_SET, OPT_FHIR_PACKAGE, OPT_PROFILE,
	OPT_IGNORE, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_CHECKS };

/* The repeatable --fhir-package and --profile arguments. */
#define MAX_FHIR_ARGS 64

struct validate_run {
	const zib_ctx *ctx;
	zib_check_options opts;
	zib_render_format format;
	zib_severity fail_on;
	zib_severity min_shown;
	size_t max_size;
	int dump_tree;
	int svrl;              /* --format svrl */
	const char *out_dir;   /* -o DIR */
	int force;
	int set;               /* each argument is one set of FHIR files */
	const zib_suppress *suppress;   /* --ignore, --baseline; NULL when neither */
	/* Filled in input order by validate_emit as documents finish. */
	zib_render_totals totals;
	struct code_tally tally;
	int outcome_files;              /* --format outcome -o DIR */
	int render_stream;              /* a machine format to the batch's output */
	int json_lines;                 /* records of stdin with --format json */
	struct record_stream *stream;   /* "-": stdin, record by record */
	FILE *baseline;                 /* --write-baseline FILE, streamed */
	int emit_rc;                    /* worst exit code of writing outcome files */
	const struct input_list *inputs;  /* no output may replace one */
};

/* What a worker leaves for validate_emit (job->keep). */
struct validated {
	zib_report *report;
	zib_report *suppressed;         /* the findings suppress moved out */
	double seconds;                 /* time spent on the input */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Moves the suppressed findings of a document out of its report. */
static int apply_suppress(const struct validate_run *run, struct validated *v)
{
	zib_report *kept = NULL, *supp = NULL;

	if (!run->suppress)
		return 0;
	if (zib_report_new(&kept) < 0 || zib_report_new(&supp) < 0 ||
	    zib_suppress_split(run->suppress, v->report, kept, supp) < 0) {
		zib_report_free(kept);
		zib_report_free(supp);
		return -1;
	}
	zib_report_free(v->report);
	v->report = kept;
	v->suppressed = supp;
	return 0;
}

static void validated_free(struct validated *v)
{
	if (!v)
		return;
	zib_report_free(v->report);
	zib_report_free(v->suppressed);
	free(v);
}

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

/* DIR/BASE.svrl for an input path ("stdin.svrl" for -). */
static char *svrl_path(const char *dir, const char *path)
{
	const char *base = strcmp(path, "-") == 0 ? "stdin.xml" : strrchr(path, '/');
	const char *dot;
	size_t n;
	char *s;

	base = base ? (*base == '/' ? base + 1 : base) : path;
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	s = malloc(strlen(dir) + n + 8);
	if (s)
		sprintf(s, "%s%s%.*s.svrl", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/", (int)n, base);
	return s;
}

/*
 * --format svrl: the SVRL goes to stdout or DIR/BASE.svrl; findings SVRL
 * cannot hold (well-formedness, XSD, zib rules) go to stderr as text.
 */
static void write_svrl(struct validate_run *run, struct batch_job *job, const char *name,
	const char *svrl, const zib_report *report, FILE *out, FILE *errf)
{
	zib_error err;
	size_t i;

	for (i = 0; i < zib_report_count(report); i++) {
		const zib_diag *d = zib_report_at(report, i);
		if (strncmp(d->code, "SCH-", 4) != 0 && d->severity >= run->min_shown)
			zib_diag_write_text(errf, d, g_opts.color_err);
	}
	if (!svrl) {
		fprintf(errf, "zib: %s: no Schematron report (no rule file applies, or not XML)\n", name);
		return;
	}
	if (!run->out_dir) {
		fputs(svrl, out);
		return;
	}
	char *path = svrl_path(run->out_dir, job->path);
	zib_error_clear(&err);
	if (!path || cmd_write_output(run->inputs, path, svrl, strlen(svrl), run->force, &err) < 0) {
		fprintf(errf, "zib: %s\n", path ? err.message : "out of memory");
		job->exit_code = ZIB_EXIT_USAGE;
	}
	free(path);
}

static int error_too_big(zib_error *err, const char *name, size_t len, size_t max)
{
	err->status = ZIB_ETOOBIG;
	snprintf(err->message, sizeof(err->message), "'%s': a record of %zu bytes, over the limit of %zu",
		name, len, max);
	return ZIB_ETOOBIG;
}

static void validate_one(struct batch_job *job, void *data)
{
	struct validate_run *run = data;
	const char *name = display_name(job->path);
	struct validated *v = calloc(1, sizeof(*v));
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	char *buf = NULL, *svrl = NULL;
	size_t len = 0;
	FILE *out = NULL, *errf = NULL;
	int rc;

	double started = now();

	zib_error_clear(&err);
	job->exit_code = ZIB_EXIT_OK;
	job->keep = v;
	out = open_memstream(&job->out, &job->out_len);
	errf = open_memstream(&job->err, &job->err_len);
	if (!v || !out || !errf || zib_report_new(&report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	v->report = report;
	if (job->from_stream) {
		/* A record of standard input, read by the batch. */
		rc = ZIB_OK;
		if (job->too_big)
			rc = error_too_big(&err, name, job->data_len, run->max_size);
		buf = job->data;
		len = job->data_len;
		job->data = NULL;
	} else {
		rc = zib_read_file(&buf, &len, job->path, run->max_size, &err);
	}
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		add_doc_finding(report, name, rc == ZIB_ETOOBIG ? "ZIB-DOC-002" : "ZIB-DOC-003", err.message);
		job->exit_code = ZIB_EXIT_USAGE;
		goto done;
	}
	rc = zib_check_document_svrl(run->svrl ? &svrl : NULL, run->dump_tree ? &doc : NULL, run->ctx,
		&run->opts, name, buf, len, report, &err);
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		job->exit_code = rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
		goto done;
	}
	if (apply_suppress(run, v) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	report = v->report;
	if (zib_report_worst(report) >= (int)run->fail_on)
		job->exit_code = ZIB_EXIT_FINDINGS;
	if (run->dump_tree) {
		if (doc)
			zib_doc_write_tree(out, doc, 1);
		else
			zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, ZIB_SEV_WARNING,
				g_opts.color);
	} else if (run->svrl) {
		write_svrl(run, job, name, svrl, report, out, errf);
	} else if (run->format == ZIB_RENDER_TEXT) {
		zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, run->min_shown, g_opts.color);
	}
done:
	if (v)
		v->seconds = now() - started;
	free(svrl);
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
	for (i = 0; i < n; i++) {
		zib_doc_unmapped_at(doc, i, &d.line, &d.path, &d.message);
		d.file = zib_doc_unmapped_file(doc, i);
		zib_report_add(report, &d);
	}
}

/* --set: the FHIR files of one argument (a directory, an @LIST, a file)
 * read together as one document, so that references between them resolve
 * (a BgZ answer saved one resource per file). */
static void validate_set(struct batch_job *job, void *data)
{
	struct validate_run *run = data;
	const char *name = display_name(job->path);
	struct input_list files = { 0 };
	char *arg = (char *)job->path;
	char **datas = NULL, **paths = NULL;
	size_t *lens = NULL, i, n = 0;
	struct validated *v = calloc(1, sizeof(*v));
	zib_report *report = NULL, *zread = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	FILE *out = NULL, *errf = NULL;
	int rc, input_errors = 0;
	double started = now();

	zib_error_clear(&err);
	job->exit_code = ZIB_EXIT_OK;
	job->keep = v;
	out = open_memstream(&job->out, &job->out_len);
	errf = open_memstream(&job->err, &job->err_len);
	if (!v || !out || !errf || zib_report_new(&report) < 0) {
		zib_report_free(report);
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	v->report = report;
	if (inputs_expand(&files, &arg, 1, cmd_document_extensions, &input_errors) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	paths = inputs_path_array(&files);
	datas = calloc(files.count + 1, sizeof(*datas));
	lens = calloc(files.count + 1, sizeof(*lens));
	if (!paths || !datas || !lens) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	for (n = 0; n < files.count; n++) {
		rc = zib_read_file(&datas[n], &lens[n], paths[n], run->max_size, &err);
		if (rc < 0) {
			fprintf(errf, "zib: %s\n", err.message);
			add_doc_finding(report, paths[n], rc == ZIB_ETOOBIG ? "ZIB-DOC-002" : "ZIB-DOC-003",
				err.message);
			job->exit_code = ZIB_EXIT_USAGE;
			goto done;
		}
	}
	/* --checks fhir: the zib reader's findings are set aside; the strict
	 * FHIR parse of each file reports what is FHIR-level in them. */
	if (!(run->opts.checks & ZIB_CHECKS_ZIB) && zib_report_new(&zread) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	rc = zib_doc_read_many(&doc, run->ctx, name, files.count, (const char *const *)paths,
		(const char *const *)datas, lens, zread ? zread : report, &err);
	zib_report_free(zread);
	if (rc < 0) {
		fprintf(errf, "zib: %s\n", err.message);
		job->exit_code = rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
		goto done;
	}
	if ((run->opts.checks & ZIB_CHECKS_ZIB) && zib_validate_doc(run->ctx, doc, report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	/* FHIR conformance file by file: each file is its own resource. */
	for (i = 0; i < files.count && (run->opts.checks & ZIB_CHECKS_FHIR); i++)
		if (zib_check_fhir(doc, &run->opts, paths[i], datas[i], lens[i], report, &err) < 0) {
			fprintf(errf, "zib: %s\n", err.message);
			job->exit_code = ZIB_EXIT_INTERNAL;
			goto done;
		}
	if (run->opts.unmapped_findings)
		report_unmapped(report, doc);
	if (apply_suppress(run, v) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	report = v->report;
	if (input_errors)
		job->exit_code = ZIB_EXIT_USAGE;
	else if (zib_report_worst(report) >= (int)run->fail_on)
		job->exit_code = ZIB_EXIT_FINDINGS;
	if (run->dump_tree)
		zib_doc_write_tree(out, doc, 1);
	else if (run->format == ZIB_RENDER_TEXT)
		zib_render_document(out, ZIB_RENDER_TEXT, job->index, name, report, run->min_shown, g_opts.color);
done:
	if (v)
		v->seconds = now() - started;
	zib_doc_free(doc);
	for (i = 0; datas && i < n; i++)
		free(datas[i]);
	free(datas);
	free(lens);
	free(paths);
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
		if (stat(path, &st) != 0)
			return ZIB_EXIT_OK;   /* a runtime folder alone: Schematron only */
		schema_file = path;
	}
	if (zib_schema_load(schema, schema_file, &err) < 0) {
		cmd_error("%s", err.message);
		return ZIB_EXIT_USAGE;
	}
	return ZIB_EXIT_OK;
}

/*
 * --schematron FILE is compiled now; a package's rule file too when
 * --transaction (or a single rule file) fixes it, so that a broken rule
 * file is a usage error before any document is read.  Per-document rule
 * files are compiled on first use.
 */
static int load_rules(zib_schematron **sch, zib_package **pkg, const char *sch_file,
	const char *package, const char *transaction)
{
	zib_error err;

	zib_error_clear(&err);
	if (sch_file) {
		if (zib_schematron_compile(sch, sch_file, NULL, &err) < 0)
			goto fail;
		return ZIB_EXIT_OK;
	}
	if (!package)
		return ZIB_EXIT_OK;
	if (zib_package_open(pkg, package, &err) < 0) {
		char xsd[4096];
		struct stat st;
		snprintf(xsd, sizeof(xsd), "%s/schemas/CDANL_extended.xsd", package);
		if (err.status == ZIB_ENOTFOUND && stat(xsd, &st) == 0 && !transaction)
			return ZIB_EXIT_OK;   /* schemas only: the XSD check alone */
		if (err.status == ZIB_ENOTFOUND)
			cmd_error("package folder '%s' has neither schemas/CDANL_extended.xsd nor Schematron "
				"rule files (*.sch)", package);
		else
			cmd_error("%s", err.message);
		return ZIB_EXIT_USAGE;
	}
	if (zib_package_select(*pkg, transaction, &err) < 0)
		goto fail;
	if (zib_package_selected(*pkg) >= 0) {
		const zib_schematron *s;
		if (zib_package_compile(*pkg, (size_t)zib_package_selected(*pkg), &s, &err) < 0)
			goto fail;
	}
	return ZIB_EXIT_OK;
fail:
	cmd_error("%s", err.message);
	return err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Several SVRL documents need -o DIR, and distinct names in it. */
static int check_svrl_outputs(const struct validate_run *run, const struct input_list *inputs)
{
	struct strbuf buf = STRBUF_INIT;
	const char *path;
	char **names;
	size_t i;
	int rc = ZIB_EXIT_OK;

	if (!run->out_dir) {
		if (inputs->count > 1) {
			cmd_error("--format svrl with %zu inputs needs -o DIR (one SVRL document per input)",
				inputs->count);
			return ZIB_EXIT_USAGE;
		}
		return ZIB_EXIT_OK;
	}
	if ((rc = cmd_make_out_dir(run->out_dir)) != ZIB_EXIT_OK)
		return rc;
	names = calloc(inputs->count + 1, sizeof(*names));
	if (!names) {
		cmd_error("out of memory");
		return ZIB_EXIT_INTERNAL;
	}
	for (i = 0; i < inputs->count && rc == ZIB_EXIT_OK; i++)
		if (!(path = inputs_path(inputs, i, &buf)) ||
		    !(names[i] = svrl_path(run->out_dir, path))) {
			cmd_error("out of memory");
			rc = ZIB_EXIT_INTERNAL;
		}
	if (rc == ZIB_EXIT_OK)
		qsort(names, inputs->count, sizeof(*names), str_cmp);
	for (i = 1; i < inputs->count && rc == ZIB_EXIT_OK; i++)
		if (strcmp(names[i - 1], names[i]) == 0) {
			cmd_error("two inputs would both be written to '%s'; give them distinct names", names[i]);
			rc = ZIB_EXIT_USAGE;
		}
	for (i = 0; i < inputs->count; i++)
		free(names[i]);
	free(names);
	strbuf_release(&buf);
	return rc;
}

static void render_item(FILE *out, const struct validate_run *run, size_t index, const char *name,
	const struct validated *v)
{
	zib_render_item it;

	memset(&it, 0, sizeof(it));
	it.version = ZIB_RENDER_ITEM_VERSION;
	it.index = index;
	it.file = name;
	it.report = v->report;
	it.suppressed = v->suppressed;
	it.min_severity = run->min_shown;
	it.fail_on = run->fail_on;
	it.seconds = v->seconds;
	zib_render_item_write(out, run->format, &it);
}

/* DIR/BASE.outcome.json for an input path. */
static char *outcome_path(const char *dir, const char *path)
{
	char *svrl = svrl_path(dir, path), *s;
	size_t n;

	if (!svrl)
		return NULL;
	n = strlen(svrl) - strlen(".svrl");
	s = malloc(n + sizeof(".outcome.json"));
	if (s)
		sprintf(s, "%.*s.outcome.json", (int)n, svrl);
	free(svrl);
	return s;
}

/* --format outcome -o DIR: the OperationOutcome file of one input. */
static int write_outcome(const struct validate_run *run, const char *input,
	const struct validated *v)
{
	zib_render_totals one;
	char *path = outcome_path(run->out_dir, input), *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	zib_error err;
	int rc = ZIB_EXIT_OK;

	memset(&one, 0, sizeof(one));
	one.documents = 1;
	zib_error_clear(&err);
	if (!path || !f) {
		cmd_error("out of memory");
		rc = ZIB_EXIT_INTERNAL;
	} else if (v->report) {
		zib_render_begin(f, ZIB_RENDER_OUTCOME, &one);
		render_item(f, run, 0, display_name(input), v);
		zib_render_end(f, ZIB_RENDER_OUTCOME, &one);
	}
	if (f)
		fclose(f);
	if (path && data && cmd_write_output(run->inputs, path, data, len, run->force, &err) < 0) {
		cmd_error("%s", err.message);
		rc = ZIB_EXIT_USAGE;
	}
	free(data);
	free(path);
	return rc;
}

/* A record of a stream with --format json: its document object on one
 * line (JSON Lines), so that the output of chunks run apart (GNU parallel
 * --pipe, Hadoop, Spark) joins into the output of one run. */
static void write_json_line(FILE *out, const struct validate_run *run, const char *name,
	const struct validated *v)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	render_item(f, run, 0, name, v);
	fclose(f);
	/* Raw newlines are only the layout (in strings they are escaped):
	 * drop them with the indentation after them. */
	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			while (i + 1 < len && text[i + 1] == ' ')
				i++;
			continue;
		}
		putc(text[i], out);
	}
	putc('\n', out);
	free(text);
}

/*
 * A finished document, in input order as the batch prints it: its counts
 * go to the run's totals and per-code tally, its findings to the baseline
 * being written and to the machine format's output (or its outcome file);
 * then they are dropped.
 */
static void validate_emit(struct batch_job *job, FILE *out, void *data)
{
	struct validate_run *run = data;
	struct validated *v = job->keep;
	const zib_report *r;

	if (!v)
		return;
	job->keep = NULL;
	r = v->report;
	run->totals.errors += zib_report_count_severity(r, ZIB_SEV_ERROR);
	run->totals.warnings += zib_report_count_severity(r, ZIB_SEV_WARNING);
	run->totals.infos += zib_report_count_severity(r, ZIB_SEV_INFO);
	run->totals.suppressed += zib_report_count(v->suppressed);
	if (zib_report_worst(r) >= (int)run->fail_on)
		run->totals.failed_documents++;
	tally_add(&run->tally, r, run->min_shown, 0);
	tally_add(&run->tally, v->suppressed, run->min_shown, 1);
	if (run->baseline) {
		zib_baseline_write(run->baseline, r, ZIB_SEV_WARNING);
		zib_baseline_write(run->baseline, v->suppressed, ZIB_SEV_WARNING);
	}
	if (run->outcome_files) {
		int rc = write_outcome(run, job->path, v);
		if (rc > run->emit_rc)
			run->emit_rc = rc;
	} else if (run->json_lines && r) {
		write_json_line(out, run, display_name(job->path), v);
	} else if (run->render_stream && r) {
		render_item(out, run, job->index, display_name(job->path), v);
	}
	validated_free(v);
}

/* Copies the spooled document parts to out; -1 on a read or write error. */
static int copy_spool(FILE *spool, FILE *out)
{
	char buf[65536];
	size_t n;

	fflush(spool);
	rewind(spool);
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	return ferror(spool) ? -1 : 0;
}

/* The run's totals after the batch: what validate_emit counted, the
 * number of documents and the time taken. */
static zib_render_totals finish_totals(const struct validate_run *run, long long started_at,
	size_t documents, double started)
{
	zib_render_totals t = run->totals;

	t.started = started_at;
	t.documents = documents;
	t.seconds = now() - started;
	return t;
}

/* Runs the documents: the inputs, or the records of stdin. */
static int run_batch(struct validate_run *run, const struct input_list *inputs, int njobs,
	FILE *out, size_t *documents)
{
	int rc;

	if (run->stream) {
		rc = batch_run_stream(run->stream, njobs, validate_one, run, out, validate_emit,
			documents, NULL);
		if (run->stream->error) {
			cmd_error("cannot read standard input: %s", ferror(stdin) ? strerror(errno) :
				"out of memory");
			if (rc < ZIB_EXIT_USAGE)
				rc = ZIB_EXIT_USAGE;
		}
		return rc;
	}
	*documents = inputs->count;
	return batch_run_to(inputs, njobs, run->set ? validate_set : validate_one, run, out,
		validate_emit, NULL);
}

int cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "package", required_argument, NULL, OPT_PACKAGE },
		{ "schematron", required_argument, NULL, OPT_SCHEMATRON },
		{ "transaction", required_argument, NULL, OPT_TRANSACTION },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "dump-tree", no_argument, NULL, OPT_DUMP_TREE },
		{ "set", no_argument, NULL, OPT_SET },
		{ "fhir-package", required_argument, NULL, OPT_FHIR_PACKAGE },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "checks", required_argument, NULL, OPT_CHECKS },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
		{ "jobs", required_argument, NULL, 'j' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct validate_run run;
	struct input_list inputs = { 0 };
	zib_atomic_file *baseline = NULL;
	zib_ctx *ctx = NULL;
	zib_schema *schema = NULL;
	zib_schematron *sch = NULL;
	zib_package *pkg = NULL;
	zib_fhir_defs *fhir_defs = NULL;
	const char *fhir_sources[MAX_FHIR_ARGS], *profiles[MAX_FHIR_ARGS];
	size_t nfhir_sources = 0, nprofiles = 0;
	zib_render_totals totals;
	zib_suppress *suppress = NULL;
	zib_error err;
	const char *schema_file = NULL, *package = NULL, *sch_file = NULL, *transaction = NULL;
	const char *write_baseline_file = NULL;
	double started = now();
	int c, rc = ZIB_EXIT_OK, njobs = 0, input_errors = 0, f, baseline_rc = ZIB_EXIT_OK;
	int stream = 0;
	struct record_stream rs;
	size_t documents = 0;
	int checks = ZIB_CHECKS_ALL;
	long n;

	memset(&run, 0, sizeof(run));
	memset(&totals, 0, sizeof(totals));
	run.fail_on = ZIB_SEV_ERROR;
	run.max_size = ZIB_DEFAULT_MAX_SIZE;
	totals.started = (long long)time(NULL);
	zib_error_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, GLOBAL_SHORTOPTS "j:o:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FORCE:
			run.force = 1;
			break;
		case OPT_SCHEMATRON:
			sch_file = optarg;
			break;
		case OPT_TRANSACTION:
			transaction = optarg;
			break;
		case 'o':
			run.out_dir = cmd_out_is_stdout(optarg) ? NULL : optarg;  /* -o - is stdout */
			break;
		case OPT_DUMP_TREE:
			run.dump_tree = 1;
			break;
		case OPT_FHIR_PACKAGE:
		case OPT_PROFILE:
			if ((c == OPT_PROFILE ? nprofiles : nfhir_sources) >= MAX_FHIR_ARGS) {
				cmd_error("at most %d --fhir-package and %d --profile", MAX_FHIR_ARGS,
					MAX_FHIR_ARGS);
				return ZIB_EXIT_USAGE;
			}
			if (c == OPT_PROFILE)
				profiles[nprofiles++] = optarg;
			else
				fhir_sources[nfhir_sources++] = optarg;
			break;
		case OPT_SET:
			run.set = 1;
			break;
		case OPT_CHECKS:
			if (strcmp(optarg, "fhir") == 0)
				checks = ZIB_CHECKS_FHIR;
			else if (strcmp(optarg, "zib") == 0)
				checks = ZIB_CHECKS_ZIB;
			else if (strcmp(optarg, "all") == 0)
				checks = ZIB_CHECKS_ALL;
			else {
				cmd_error("--checks takes fhir, zib or all, not '%s'", optarg);
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
			break;
		case OPT_IGNORE:
		case OPT_BASELINE:
			if (!suppress && zib_suppress_new(&suppress) < 0) {
				cmd_error("out of memory");
				return ZIB_EXIT_INTERNAL;
			}
			if ((c == OPT_IGNORE ? zib_suppress_add_codes(suppress, optarg, &err) :
			     zib_suppress_load_baseline(suppress, optarg, &err)) < 0) {
				cmd_error("%s%s", c == OPT_IGNORE ? "--ignore: " : "", err.message);
				zib_suppress_free(suppress);
				return err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
			}
			break;
		case OPT_WRITE_BASELINE:
			write_baseline_file = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				run.fail_on = ZIB_SEV_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				run.fail_on = ZIB_SEV_WARNING;
			else {
				cmd_error("--fail-on takes error or warning, not '%s'", optarg);
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
			break;
		case OPT_MAX_SIZE: {
			long long size = cmd_parse_size(optarg);
			if (size <= 0) {
				cmd_error("--max-size takes a size in bytes or with K, M or G (256M, 1G), "
					"not '%s'", optarg);
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
			run.max_size = (size_t)size;
			break;
		}
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
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
			njobs = (int)n;
			break;
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				goto done;
		}
	}
	global_opts_finish();
	run.svrl = g_opts.format && strcmp(g_opts.format, "svrl") == 0;
	f = run.svrl ? ZIB_RENDER_TEXT : zib_render_format_parse(g_opts.format ? g_opts.format : "text");
	if (f < 0) {
		cmd_error("--format takes text, json, junit, sarif, outcome, html or svrl, not '%s'",
			g_opts.format);
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	run.format = (zib_render_format)f;
	if (run.svrl && !sch_file && !package) {
		cmd_error("--format svrl needs Schematron rules: --schematron FILE or --package DIR");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (run.out_dir && !run.svrl && run.format != ZIB_RENDER_OUTCOME) {
		cmd_error("-o DIR is for --format svrl and outcome (other formats write one report to stdout)");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (transaction && !package) {
		cmd_error("--transaction needs --package DIR");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (sch_file && package) {
		cmd_error("--schematron and --package cannot be used together");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	run.min_shown = g_opts.verbose ? ZIB_SEV_INFO : ZIB_SEV_WARNING;
	run.opts.version = ZIB_CHECK_OPTIONS_VERSION;
	run.opts.checks = checks;
	run.opts.unmapped_findings = g_opts.verbose > 0 && (checks & ZIB_CHECKS_ZIB);
	if (schema_file && package) {
		cmd_error("--schema and --package cannot be used together");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (run.set && (schema_file || package || sch_file)) {
		cmd_error("--set reads FHIR; --schema, --schematron and --package are for CDA");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		cmd_error("no input documents");
		rc = cmd_usage(usage, ZIB_EXIT_USAGE);
		goto done;
	}
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		goto done;
	rc = load_schema(&schema, schema_file, package);
	if (rc != ZIB_EXIT_OK)
		goto done;
	rc = load_rules(&sch, &pkg, sch_file, package, transaction);
	if (rc != ZIB_EXIT_OK)
		goto done;
	{
		/* The defaults (R4 core, zib2020) alone are opened by the first
		 * FHIR document (a CDA run never reads them); without them,
		 * profiles are simply not checked (a build without the corpus
		 * has no defaults).  --fhir-package and --profile open them now,
		 * so a bad package is a usage error before any document. */
		zib_error defs_err;
		memset(&defs_err, 0, sizeof(defs_err));
		if (!nfhir_sources && !nprofiles) {
			if (zib_fhir_defs_open_lazy(&fhir_defs, NULL, 0, &defs_err) < 0) {
				cmd_error("%s", defs_err.message);
				rc = ZIB_EXIT_INTERNAL;
				goto done;
			}
		} else if (zib_fhir_defs_open(&fhir_defs, fhir_sources, nfhir_sources, &defs_err) < 0) {
			cmd_error("%s", defs_err.message);
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
	}
	run.opts.fhir_defs = fhir_defs;
	run.opts.fhir_profiles = profiles;
	run.opts.nfhir_profiles = nprofiles;
	run.ctx = ctx;
	run.opts.schema = schema;
	run.opts.schematron = sch;
	run.opts.package = pkg;
	/* With --set one job per argument, each reading its files as one set. */
	if (inputs_gather(&inputs, argv + optind, argc - optind, run.set, &input_errors) < 0) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if ((rc = inputs_require(&inputs, input_errors)) != ZIB_EXIT_OK)
		goto done;
	if (!run.set && (stream = inputs_are_stdin(&inputs)) < 0) {
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	run.suppress = suppress;
	run.inputs = &inputs;
	if (run.svrl) {
		rc = check_svrl_outputs(&run, &inputs);
		if (rc != ZIB_EXIT_OK)
			goto done;
	}
	if (write_baseline_file) {
		/* Written as documents finish, put in place at the end; never
		 * over an input. */
		if (cmd_refuse_input(&inputs, write_baseline_file, &err) < 0 ||
		    zib_atomic_open(&baseline, write_baseline_file, 1, &err) < 0) {
			cmd_error("%s", err.message);
			baseline_rc = err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
		} else {
			run.baseline = zib_atomic_stream(baseline);
			zib_baseline_write_header(run.baseline);
		}
	}
	run.outcome_files = run.format == ZIB_RENDER_OUTCOME && run.out_dir;
	/* -o DIR is made when absent, as for SVRL and every command's -o DIR. */
	if (run.outcome_files && (rc = cmd_make_out_dir(run.out_dir)) != ZIB_EXIT_OK)
		goto done;
	run.render_stream = !run.outcome_files && run.format != ZIB_RENDER_TEXT && !run.dump_tree &&
		!run.svrl;
	if (stream) {
		/* "-": stdin, read record by record (a filter for GNU parallel,
		 * Hadoop Streaming, Spark's pipe). */
		record_stream_init(&rs, stdin, run.max_size);
		if (record_stream_start(&rs) < 0) {
			cmd_error("cannot read standard input: %s", ferror(stdin) ? strerror(errno) :
				"out of memory");
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
		run.stream = &rs;
		run.json_lines = rs.mode == STREAM_RECORDS && run.format == ZIB_RENDER_JSON;
		if (rs.mode == STREAM_RECORDS && (run.out_dir || run.dump_tree)) {
			cmd_error("standard input holds records (NDJSON): %s is for one document",
				run.dump_tree ? "--dump-tree" : "-o DIR");
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
	}
	if (run.render_stream && run.format == ZIB_RENDER_JUNIT) {
		/* JUnit opens with the totals: the documents' parts wait in a
		 * temporary file, not in memory. */
		FILE *spool = tmpfile();
		if (!spool) {
			cmd_error("cannot create a temporary file: %s", strerror(errno));
			rc = ZIB_EXIT_INTERNAL;
			goto done;
		}
		rc = run_batch(&run, &inputs, njobs, spool, &documents);
		totals = finish_totals(&run, totals.started, documents, started);
		zib_render_begin(stdout, run.format, &totals);
		if (copy_spool(spool, stdout) < 0 && rc < ZIB_EXIT_INTERNAL)
			rc = ZIB_EXIT_INTERNAL;
		fclose(spool);
		zib_render_end(stdout, run.format, &totals);
	} else if (run.render_stream) {
		/* The other machine formats want the totals only at the end. */
		totals.documents = stream ? 0 : inputs.count;
		if (!run.json_lines)
			zib_render_begin(stdout, run.format, &totals);
		rc = run_batch(&run, &inputs, njobs, stdout, &documents);
		totals = finish_totals(&run, totals.started, documents, started);
		if (!run.json_lines)
			zib_render_end(stdout, run.format, &totals);
	} else {
		rc = run_batch(&run, &inputs, njobs, stdout, &documents);
		totals = finish_totals(&run, totals.started, documents, started);
	}
	if (run.emit_rc > rc)
		rc = run.emit_rc;
	if (baseline) {
		run.baseline = NULL;
		c = zib_atomic_commit(baseline, &err);
		baseline = NULL;
		if (c < 0) {
			cmd_error("%s", err.message);
			baseline_rc = ZIB_EXIT_USAGE;
		}
	}
	if (baseline_rc > rc)
		rc = baseline_rc;
	if (!g_opts.quiet) {
		fflush(stdout);
		fprintf(stderr, "%zu document%s, %zu error%s, %zu warning%s", totals.documents,
			totals.documents == 1 ? "" : "s", totals.errors, totals.errors == 1 ? "" : "s",
			totals.warnings, totals.warnings == 1 ? "" : "s");
		if (totals.suppressed)
			fprintf(stderr, ", %zu suppressed", totals.suppressed);
		fputc('\n', stderr);
		if (totals.documents > 1)
			tally_print(stderr, &run.tally);
	}
	if (input_errors && rc < ZIB_EXIT_USAGE)
		rc = ZIB_EXIT_USAGE;
done:
	if (run.stream)
		record_stream_release(run.stream);
	zib_atomic_abort(baseline);
	zib_suppress_free(suppress);
	tally_release(&run.tally);
	inputs_release(&inputs);
	zib_schema_free(schema);
	zib_schematron_free(sch);
	zib_package_free(pkg);
	zib_fhir_defs_free(fhir_defs);
	zib_ctx_free(ctx);
	return rc;
}
