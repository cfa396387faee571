/*
 * zib schematron [--phase NAME] [--fail-on LEVEL] [--format text|json|svrl]
 *     [-j N] RULES.sch FILE...: validates documents against an ISO
 * Schematron rule set with libzib's own XPath 2.0 engine.  The rules are
 * compiled once and shared by the worker threads.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "strbuf.h"

static const char usage[] =
	"usage: zib schematron [--phase NAME] [--fail-on LEVEL] [--format text|json|svrl]\n"
	"                      [-j N] RULES.sch FILE ...\n"
	"\n"
	"   --phase NAME     run this phase (default: the schema's defaultPhase, else all)\n"
	"   --fail-on LEVEL  exit 1 on findings of LEVEL or worse: error (default),\n"
	"                    warning or info\n"
	"   --format FMT     text (default), json, or svrl (one SVRL document per file)\n"
	"   -j N             worker threads (default: one per core)\n"
	"   FILE             documents, directories (*.xml), - for stdin, @LIST\n";

#define SCHEMATRON_FORMAT_VERSION 1

enum { FMT_TEXT, FMT_JSON, FMT_SVRL };

struct sch_job_data {
	zib_schematron *sch;
	int format;
	int fail_on;
};

static void json_str(struct strbuf *b, const char *s)
{
	strbuf_putc(b, '"');
	strbuf_json_escape(b, s ? s : "");
	strbuf_putc(b, '"');
}

static void write_json(struct strbuf *b, const zib_report *r, const char *file, size_t index)
{
	size_t i;

	strbuf_puts(b, index ? ",\n  {\"file\": " : "  {\"file\": ");
	json_str(b, file);
	strbuf_printf(b, ", \"errors\": %zu, \"warnings\": %zu, \"infos\": %zu, \"findings\": [",
		zib_report_count_severity(r, ZIB_SEV_ERROR), zib_report_count_severity(r, ZIB_SEV_WARNING),
		zib_report_count_severity(r, ZIB_SEV_INFO));
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		strbuf_puts(b, i ? ",\n    {" : "\n    {");
		strbuf_puts(b, "\"severity\": ");
		json_str(b, zib_severity_name(d->severity));
		strbuf_puts(b, ", \"code\": ");
		json_str(b, d->code);
		strbuf_printf(b, ", \"line\": %d, \"path\": ", d->line);
		json_str(b, d->path);
		strbuf_puts(b, ", \"message\": ");
		json_str(b, d->message);
		strbuf_putc(b, '}');
	}
	strbuf_puts(b, i ? "\n  ]}" : "]}");
}

static void run_one(struct batch_job *job, void *data)
{
	struct sch_job_data *jd = data;
	zib_report *report = NULL;
	zib_error err;
	char *doc = NULL, *svrl = NULL;
	size_t len, i;
	struct strbuf out = STRBUF_INIT, errb = STRBUF_INIT;
	int rc;

	zib_error_clear(&err);
	if (zib_read_file(&doc, &len, job->path, ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		strbuf_printf(&errb, "zib: %s\n", err.message);
		job->exit_code = ZIB_EXIT_USAGE;
		goto done;
	}
	if (zib_report_new(&report) < 0) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	rc = zib_schematron_run(jd->sch, doc, len, job->path, report,
		jd->format == FMT_SVRL ? &svrl : NULL, NULL, &err);
	if (rc < 0 && rc != ZIB_EPARSE) {
		strbuf_printf(&errb, "zib: %s\n", err.message);
		job->exit_code = ZIB_EXIT_INTERNAL;
		goto done;
	}
	job->exit_code = rc == ZIB_EPARSE ? ZIB_EXIT_FINDINGS : ZIB_EXIT_OK;
	for (i = 0; i < zib_report_count(report); i++)
		if ((int)zib_report_at(report, i)->severity >= jd->fail_on)
			job->exit_code = ZIB_EXIT_FINDINGS;
	if (jd->format == FMT_SVRL) {
		if (svrl)
			strbuf_puts(&out, svrl);
		else
			for (i = 0; i < zib_report_count(report); i++) {
				char *line = NULL;
				size_t ll = 0;
				FILE *f = open_memstream(&line, &ll);
				if (f) {
					zib_diag_write_text(f, zib_report_at(report, i), g_opts.color_err);
					fclose(f);
					strbuf_append(&errb, line, ll);
					free(line);
				}
			}
	} else if (jd->format == FMT_JSON) {
		write_json(&out, report, job->path, job->index);
	} else {
		for (i = 0; i < zib_report_count(report); i++) {
			char *line = NULL;
			size_t ll = 0;
			FILE *f = open_memstream(&line, &ll);
			if (!f)
				continue;
			zib_diag_write_text(f, zib_report_at(report, i), g_opts.color);
			fclose(f);
			strbuf_append(&out, line, ll);
			free(line);
		}
	}
done:
	job->out = strbuf_detach(&out, &job->out_len);
	job->err = strbuf_detach(&errb, &job->err_len);
	free(svrl);
	free(doc);
	zib_report_free(report);
}

int cmd_schematron(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "phase", required_argument, NULL, 'p' },
		{ "fail-on", required_argument, NULL, 'F' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const exts[] = { ".xml", NULL };
	struct input_list inputs = { 0 };
	struct sch_job_data jd = { NULL, FMT_TEXT, ZIB_SEV_ERROR };
	unsigned char *codes = NULL;
	const char *phase = NULL;
	zib_error err;
	int c, rc, errors = 0;
	long jobs_n = 0;
	struct timespec t0, t1;

	while ((c = getopt_long(argc, argv, "j:" GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (strcmp(optarg, "error") == 0)
				jd.fail_on = ZIB_SEV_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				jd.fail_on = ZIB_SEV_WARNING;
			else if (strcmp(optarg, "info") == 0)
				jd.fail_on = ZIB_SEV_INFO;
			else {
				cmd_error("schematron: --fail-on takes error, warning or info, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			break;
		case 'j':
			jobs_n = cmd_parse_count(optarg);
			if (jobs_n < 0) {
				cmd_error("schematron: -j takes a number, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			break;
		case 'p':
			phase = optarg;
			break;
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				return rc;
		}
	}
	global_opts_finish();
	if (g_opts.format) {
		if (strcmp(g_opts.format, "text") == 0)
			jd.format = FMT_TEXT;
		else if (strcmp(g_opts.format, "json") == 0)
			jd.format = FMT_JSON;
		else if (strcmp(g_opts.format, "svrl") == 0)
			jd.format = FMT_SVRL;
		else {
			cmd_error("schematron: unknown format '%s' (text, json or svrl)", g_opts.format);
			return ZIB_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		cmd_error("schematron: needs a rule file and at least one document");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (zib_schematron_compile(&jd.sch, argv[optind], phase, &err) < 0) {
		cmd_error("%s", err.message);
		return err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (g_opts.verbose)
		fprintf(stderr, "zib: compiled '%s': %zu patterns, %zu rules, %zu asserts in %.0f ms\n",
			argv[optind], zib_schematron_pattern_count(jd.sch), zib_schematron_rule_count(jd.sch),
			zib_schematron_assert_count(jd.sch),
			(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	if (inputs_expand(&inputs, argv + optind + 1, argc - optind - 1, exts, &errors) < 0) {
		cmd_error("out of memory");
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if ((rc = inputs_require(&inputs, errors)) != ZIB_EXIT_OK)
		goto done;
	if (jd.format == FMT_JSON)
		printf("{\"format_version\": %d, \"rules\": \"%s\", \"documents\": [\n",
			SCHEMATRON_FORMAT_VERSION, argv[optind]);
	rc = batch_run(&inputs, (int)jobs_n, run_one, &jd, &codes);
	if (jd.format == FMT_JSON)
		printf("\n]}\n");
	if (!g_opts.quiet && jd.format == FMT_TEXT) {
		size_t failed = 0, k;
		for (k = 0; k < inputs.count; k++)
			failed += codes && codes[k] == ZIB_EXIT_FINDINGS;
		fprintf(stderr, "%zu document%s, %zu invalid\n", inputs.count,
			inputs.count == 1 ? "" : "s", failed);
	}
	free(codes);
	if (errors && rc < ZIB_EXIT_USAGE)
		rc = ZIB_EXIT_USAGE;
done:
	inputs_release(&inputs);
	zib_schematron_free(jd.sch);
	return cmd_finish_output(rc);
}
