/*
 * zib extract: the selected zib instances of many documents as a listing,
 * CSV or FHIR R4 (one Bundle per document, one per line), or the BgZ
 * completeness summary per document.
 * Documents are read by the batch runner (-j), output in input order.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char usage[] =
	"usage: zib extract [--zib NAME,...] [--section NAME,...] [--concept ID,...]\n"
	"                   [--to text|csv|json|ndjson|tree|fhir-r4] [--bom] [-j N] INPUT...\n"
	"       zib extract --summary [--format text|json] [-j N] INPUT...\n"
	"\n"
	"   --zib NAMES      only these zibs (Dutch or English names)\n"
	"   --section NAMES  only the zibs of these BgZ sections\n"
	"   --concept IDS    only these concepts (NL-CM:x.y.z) and what is below them\n"
	"   --to FORM        text (default), csv (RFC 4180; codes as code, system, display,\n"
	"                    quantities as value, unit, dates in ISO 8601), ndjson (one JSON\n"
	"                    object per instance and line), json (an array of them),\n"
	"                    tree (the reader's debug dump),\n"
	"                    fhir-r4 (one FHIR R4 Bundle of the selected instances per\n"
	"                    document, one per line; --concept does not apply)\n"
	"   --bom            start the CSV with a UTF-8 byte order mark (for spreadsheets)\n"
	"   --summary        per document: the 26 BgZ zibs, instances found, errors; with\n"
	"                    several documents then the totals per zib\n"
	"   --format FMT     for --summary: text (default) or json (one object per line)\n"
	"   -j N             read N documents at a time (default: one per core)\n"
	"   INPUT            files, directories, - for stdin, @LIST\n";

enum { OPT_ZIB = OPT_FIRST_COMMAND_OPT, OPT_SECTION, OPT_CONCEPT, OPT_TO, OPT_SUMMARY, OPT_BOM };
enum form { FORM_TEXT, FORM_CSV, FORM_TREE, FORM_SUMMARY_TEXT, FORM_SUMMARY_JSON, FORM_FHIR_R4,
	FORM_NDJSON, FORM_JSON };

struct extract_run {
	const zib_ctx *ctx;
	const zib_selection *sel;
	enum form form;
	size_t nmodels;
	size_t *instances;   /* --summary: per input, per model */
	char **collected;    /* --to json: each input's objects, printed as one array */
};

/* Appends a printf'd message to the job's stderr text. */
static void job_error(struct batch_job *job, const char *msg)
{
	size_t n = strlen(msg);
	char *p = realloc(job->err, job->err_len + n + 7);

	if (!p)
		return;
	memcpy(p + job->err_len, "zib: ", 5);
	memcpy(p + job->err_len + 5, msg, n);
	p[job->err_len + 5 + n] = '\n';
	p[job->err_len + 6 + n] = '\0';
	job->err = p;
	job->err_len += n + 6;
}

/* A document that cannot be read into zibs: malformed or not a CDA, FHIR
 * or ADA document (binary, JSON null) is a finding (1), as in every
 * command; anything else 2, out of memory 3. */
static int read_failure(int status)
{
	if (status == ZIB_EPARSE)
		return ZIB_EXIT_FINDINGS;
	return status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
}

/*
 * Zib-level errors per instance for the summary: zib validate's rules run
 * over the document, and each error goes to the instance whose source path
 * is the longest prefix of the error's path.
 */
struct instance_errors {
	const zib_doc *doc;
	size_t *counts;   /* per instance index */
};

static int path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int instance_errors_init(struct instance_errors *ie, const zib_ctx *ctx, const zib_doc *doc)
{
	size_t n = zib_doc_instance_count(doc), i, k;
	zib_report *report = NULL;

	ie->doc = doc;
	ie->counts = calloc(n ? n : 1, sizeof(*ie->counts));
	if (!ie->counts || zib_report_new(&report) < 0) {
		free(ie->counts);
		ie->counts = NULL;
		return -1;
	}
	zib_validate_doc(ctx, doc, report);
	for (k = 0; k < zib_report_count(report); k++) {
		const zib_diag *d = zib_report_at(report, k);
		size_t best = n, best_len = 0;
		if (d->severity != ZIB_SEV_ERROR || !d->path)
			continue;
		for (i = 0; i < n; i++) {
			const char *p = zib_instance_path(zib_doc_instance_at(doc, i));
			if (p && path_under(d->path, p) && strlen(p) >= best_len) {
				best = i;
				best_len = strlen(p);
			}
		}
		if (best < n)
			ie->counts[best]++;
	}
	zib_report_free(report);
	return 0;
}

static int instance_error_count(const zib_instance *inst, void *data)
{
	const struct instance_errors *ie = data;
	size_t i, n = zib_doc_instance_count(ie->doc);

	for (i = 0; i < n; i++)
		if (zib_doc_instance_at(ie->doc, i) == inst)
			return (int)ie->counts[i];
	return -1;
}

static int selected(const zib_instance *inst, void *data)
{
	return zib_selection_has_instance(data, inst);
}

/* The selected instances as one FHIR R4 Bundle on one line. */
static int write_fhir_r4(FILE *out, const zib_doc *doc, const zib_selection *sel, zib_error *err)
{
	zib_fhir_write_options wo = ZIB_FHIR_WRITE_OPTIONS_INIT;
	zib_fhir *f = NULL;
	char *json = NULL;
	size_t len;
	int rc;

	wo.select = selected;
	wo.select_data = (void *)sel;
	rc = zib_doc_to_fhir_r4(&f, doc, &wo, NULL, err);
	if (rc == ZIB_OK)
		rc = zib_fhir_write_json(&json, &len, f, 0, err);
	if (rc == ZIB_OK)
		fwrite(json, 1, len, out);
	free(json);
	zib_fhir_free(f);
	return rc;
}

static void extract_one(struct batch_job *job, void *data)
{
	const struct extract_run *run = data;
	zib_report *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	char *bytes = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	zib_error_clear(&err);
	job->exit_code = ZIB_EXIT_OK;
	if (zib_report_new(&report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		return;
	}
	if (zib_read_file(&bytes, &len, job->path, ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		job_error(job, err.message);
		job->exit_code = ZIB_EXIT_USAGE;
		goto done;
	}
	rc = zib_doc_read(&doc, run->ctx, job->path, bytes, len, report, &err);
	if (rc < 0) {
		job_error(job, err.message);
		job->exit_code = read_failure(rc);
		goto done;
	}
	if (zib_doc_malformed_lines(doc) > 0) {
		/* NDJSON lines that did not parse: reported, the others extracted. */
		size_t i;
		for (i = 0; i < zib_report_count(report); i++) {
			const zib_diag *d = zib_report_at(report, i);
			char *text = NULL;
			size_t tl = 0;
			FILE *m;
			if (d->severity != ZIB_SEV_ERROR || !(m = open_memstream(&text, &tl)))
				continue;
			zib_diag_write_text(m, d, 0);
			fclose(m);
			if (tl && text[tl - 1] == '\n')
				text[tl - 1] = '\0';
			if (text)
				job_error(job, text);
			free(text);
		}
		job->exit_code = ZIB_EXIT_FINDINGS;
	}
	out = open_memstream(&job->out, &job->out_len);
	if (!out) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	switch (run->form) {
	case FORM_TEXT:
		zib_extract_text(out, doc, run->sel);
		break;
	case FORM_CSV:
		zib_extract_csv_rows(out, doc, run->sel);
		break;
	case FORM_NDJSON:
	case FORM_JSON:
		zib_extract_ndjson(out, doc, run->sel);
		break;
	case FORM_TREE:
		zib_doc_write_tree(out, doc, 1);
		break;
	case FORM_FHIR_R4:
		if (write_fhir_r4(out, doc, run->sel, &err) < 0) {
			job_error(job, err.message);
			job->exit_code = ZIB_EXIT_INTERNAL;
		}
		break;
	case FORM_SUMMARY_TEXT:
	case FORM_SUMMARY_JSON:
	{
		struct instance_errors ie;
		/* The rules judge dates by the document's format (HL7 TS in CDA,
		 * ISO 8601 in FHIR and ADA), so every format counts errors. */
		int have = instance_errors_init(&ie, run->ctx, doc) == 0;
		size_t i, m;
		for (i = 0; i < zib_doc_instance_count(doc); i++) {
			const zib_model *zm = zib_instance_model(zib_doc_instance_at(doc, i));
			for (m = 0; m < run->nmodels && zib_model_at(run->ctx, m) != zm; m++)
				;
			if (m < run->nmodels)
				run->instances[job->index * run->nmodels + m]++;
		}
		zib_summary_write(out, doc, run->form == FORM_SUMMARY_JSON,
			have ? instance_error_count : NULL, have ? &ie : NULL);
		if (have)
			free(ie.counts);
		break;
	}
	}
	if (fclose(out) != 0)
		job->exit_code = ZIB_EXIT_INTERNAL;
	if (run->form == FORM_JSON) {   /* printed as one array at the end */
		run->collected[job->index] = job->out;
		job->out = NULL;
		job->out_len = 0;
	}
done:
	free(bytes);
	zib_doc_free(doc);
	zib_report_free(report);
}

/* --to json: the objects of every input as one array, in input order. */
static void print_json_array(const struct extract_run *run, size_t n)
{
	size_t i, shown = 0;

	fputs("[", stdout);
	for (i = 0; i < n; i++) {
		char *line = run->collected[i], *nl;
		for (; line && *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			fprintf(stdout, "%s\n%.*s", shown++ ? "," : "", (int)(nl - line), line);
		}
	}
	fputs(shown ? "\n]\n" : "]\n", stdout);
}

/* --summary of several inputs: the totals per zib, documents and instances. */
static void print_totals(const struct extract_run *run, size_t n, int json)
{
	size_t i, m, docs_read = 0, shown = 0;

	for (i = 0; i < n; i++)
		for (m = 0; m < run->nmodels; m++)
			if (run->instances[i * run->nmodels + m]) {
				docs_read++;
				break;
			}
	if (json)
		fprintf(stdout, "{\"format_version\": 1, \"total\": {\"documents\": %zu, \"zibs\": [", n);
	else
		fprintf(stdout, "total: %zu documents (%zu with zib instances)\n%-3s %-26s %9s %9s\n", n,
			docs_read, "n", "zib", "documents", "instances");
	for (m = 0; m < run->nmodels; m++) {
		const zib_model *zm = zib_model_at(run->ctx, m);
		size_t docs = 0, total = 0;
		for (i = 0; i < n; i++) {
			total += run->instances[i * run->nmodels + m];
			docs += run->instances[i * run->nmodels + m] != 0;
		}
		if (!zib_model_is_bgz(zm) && total == 0)
			continue;
		if (json)
			fprintf(stdout, "%s{\"zib\": \"%s\", \"documents\": %zu, \"instances\": %zu}",
				shown++ ? ", " : "", zib_model_name_nl(zm), docs, total);
		else
			fprintf(stdout, "%-3s %-26s %9zu %9zu\n", zib_model_number(zm), zib_model_name_nl(zm),
				docs, total);
	}
	if (json)
		fputs("]}}\n", stdout);
}

/* Appends a comma-separated option value to a list. */
static int list_add(char **list, const char *value)
{
	size_t n = *list ? strlen(*list) : 0;
	char *p = realloc(*list, n + strlen(value) + 2);

	if (!p)
		return -1;
	if (n)
		p[n++] = ',';
	strcpy(p + n, value);
	*list = p;
	return 0;
}

int cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "zib", required_argument, NULL, OPT_ZIB },
		{ "section", required_argument, NULL, OPT_SECTION },
		{ "concept", required_argument, NULL, OPT_CONCEPT },
		{ "to", required_argument, NULL, OPT_TO },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "bom", no_argument, NULL, OPT_BOM },
		{ "jobs", required_argument, NULL, 'j' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	char *zibs = NULL, *sections = NULL, *concepts = NULL;
	const char *to = "text";
	struct input_list inputs = { 0 };
	struct extract_run run;
	zib_selection *sel = NULL;
	zib_ctx *ctx = NULL;
	zib_error err;
	int c, rc = ZIB_EXIT_USAGE, st, summary = 0, jobs = 0, errors = 0, bom = 0;

	memset(&run, 0, sizeof(run));
	cmd_getopt_reset();
	while ((c = getopt_long(argc, argv, "j:" GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			long n = cmd_parse_count(optarg);
			if (n < 1 || n > 1024) {
				cmd_error("-j wants a number from 1 to 1024, not '%s'", optarg);
				goto done;
			}
			jobs = (int)n;
			break;
		}
		case OPT_ZIB:
		case OPT_SECTION:
		case OPT_CONCEPT:
			if (list_add(c == OPT_ZIB ? &zibs : c == OPT_SECTION ? &sections : &concepts,
			    optarg) < 0) {
				rc = ZIB_EXIT_INTERNAL;
				goto done;
			}
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_SUMMARY:
			summary = 1;
			break;
		case OPT_BOM:
			bom = 1;
			break;
		default:
			/* rc stays ZIB_EXIT_USAGE for the checks below */
			if ((st = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT) {
				rc = st;
				goto done;
			}
		}
	}
	global_opts_finish();
	if (summary) {
		if (!g_opts.format || strcmp(g_opts.format, "text") == 0) {
			run.form = FORM_SUMMARY_TEXT;
		} else if (strcmp(g_opts.format, "json") == 0) {
			run.form = FORM_SUMMARY_JSON;
		} else {
			cmd_error("unknown format '%s' (text or json)", g_opts.format);
			goto done;
		}
	} else if (strcmp(to, "text") == 0) {
		run.form = FORM_TEXT;
	} else if (strcmp(to, "csv") == 0) {
		run.form = FORM_CSV;
	} else if (strcmp(to, "tree") == 0) {
		run.form = FORM_TREE;
	} else if (strcmp(to, "fhir-r4") == 0) {
		run.form = FORM_FHIR_R4;
	} else if (strcmp(to, "ndjson") == 0) {
		run.form = FORM_NDJSON;
	} else if (strcmp(to, "json") == 0) {
		run.form = FORM_JSON;
	} else {
		cmd_error("unknown output form '%s' (text, csv, json, ndjson, tree or fhir-r4)", to);
		goto done;
	}
	if (bom && run.form != FORM_CSV) {
		cmd_error("--bom is for --to csv");
		goto done;
	}
	if (optind >= argc) {
		cmd_error("extract needs at least one input");
		rc = cmd_usage(usage, ZIB_EXIT_USAGE);
		goto done;
	}
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		goto done;
	zib_error_clear(&err);
	if (zib_selection_new(&sel, ctx, zibs, sections, concepts, &err) < 0) {
		cmd_error("%s", err.message);
		rc = err.status == ZIB_EINVAL ? ZIB_EXIT_USAGE : ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (inputs_expand(&inputs, argv + optind, argc - optind, cmd_document_extensions, &errors) < 0) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if ((rc = inputs_require(&inputs, errors)) != ZIB_EXIT_OK)
		goto done;
	run.ctx = ctx;
	run.sel = sel;
	run.nmodels = zib_model_count(ctx);
	run.instances = calloc(inputs.count * run.nmodels + 1, sizeof(*run.instances));
	run.collected = calloc(inputs.count + 1, sizeof(*run.collected));
	if (!run.instances || !run.collected) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (run.form == FORM_CSV) {
		if (bom)
			fputs("\xEF\xBB\xBF", stdout);
		zib_extract_csv_header(stdout, sel);
		fflush(stdout);
	}
	rc = batch_run(&inputs, jobs, extract_one, &run, NULL);
	if (run.form == FORM_JSON)
		print_json_array(&run, inputs.count);
	if ((run.form == FORM_SUMMARY_TEXT || run.form == FORM_SUMMARY_JSON) && inputs.count > 1)
		print_totals(&run, inputs.count, run.form == FORM_SUMMARY_JSON);
	if (errors && rc < ZIB_EXIT_USAGE)
		rc = ZIB_EXIT_USAGE;
	rc = cmd_finish_output(rc);
done:
	if (run.collected)
		for (c = 0; c < (int)inputs.count; c++)
			free(run.collected[c]);
	free(run.collected);
	free(run.instances);
	free(zibs);
	free(sections);
	free(concepts);
	inputs_release(&inputs);
	zib_selection_free(sel);
	zib_ctx_free(ctx);
	return rc;
}
