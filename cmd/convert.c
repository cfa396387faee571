/*
 * zib convert --to json|xml|ndjson [options] INPUT...: converts FHIR
 * documents between FHIR XML, FHIR JSON and NDJSON (one resource per line)
 * through the FHIR element tree, never through zibs.
 *
 * Targets are dispatched in one place, targets[] below.  `--to cda` is a
 * row whose from_doc function writes a document read into zibs
 * (zib_doc_read: CDA, FHIR, ADA) instead of a FHIR tree.  Each input is
 * one batch job: read, parse (findings to stderr), convert, then write
 * atomically to -o DIR/FILE or hand the bytes to the batch runner for
 * stdout in input order.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "strbuf.h"

static const char usage[] =
	"usage: zib convert --to json|xml|ndjson [--from auto|xml|json|ndjson] [--pretty]\n"
	"                   [-o OUT] [--force] [-j N] [--max-size SIZE] [-q] INPUT ...\n"
	"       zib convert --to fhir-r4|fhir-stu3 [--format json|xml|ndjson]\n"
	"                   [--bundle collection|transaction|document | --split] [--strict] [--set]\n"
	"                   [--pretty] [-o OUT] [--force] [-j N] [--max-size SIZE] [-q] INPUT ...\n"
	"       zib convert --to cda [--strict] [--now] [-o OUT] [--force] [-j N]\n"
	"                   [--max-size SIZE] [-q] INPUT ...\n"
	"\n"
	"   --to FORMAT     json, xml (FHIR R4) or ndjson (one resource per line);\n"
	"                   fhir-r4: any document read into zibs (CDA, FHIR, ADA) as a\n"
	"                   Bundle of zib2020/nl-core resources; fhir-stu3: the same as\n"
	"                   zib2017 resources (MedMij BgZ 3.0); cda: as a BgZ 2020 CDA document\n"
	"   --format F      fhir-r4/fhir-stu3 output: json (default) or xml, a Bundle per\n"
	"                   input; ndjson: its resources, one per line, referencing as Type/id\n"
	"   --bundle TYPE   Bundle type: collection (default), transaction, or document\n"
	"                   (a Composition first: the BgZ Patient summary, LOINC 60591-5)\n"
	"   --split         one file per resource in -o DIR, named Type-id.json (.xml),\n"
	"                   referencing as Type/id\n"
	"   --strict        fhir-r4, fhir-stu3, cda: what the target cannot carry is an\n"
	"                   error (exit 1, no output) instead of a warning\n"
	"   --set           fhir-r4, fhir-stu3: the FHIR files of each INPUT (a directory,\n"
	"                   an @LIST) are one set, so references between them resolve;\n"
	"                   one output per INPUT\n"
	"   --now           cda: the document's effectiveTime is now (default: the\n"
	"                   latest date in the data, so the output is reproducible)\n"
	"   --from FORMAT   input format; auto (default) looks at each file:\n"
	"                   '<' is XML, '{' JSON, a .ndjson name NDJSON\n"
	"   --pretty        indent the output (2 spaces); ndjson is never indented\n"
	"   -o OUT          a directory (one output per input, named after it), or\n"
	"                   a file (one input, or all inputs --to ndjson); default stdout\n"
	"   --force         overwrite existing outputs\n"
	"   -j N            N documents at a time (default: one per core)\n"
	"   --max-size SIZE refuse larger inputs: bytes, or 256M, 1G (default 256M)\n"
	"   -q              no summary line, no progress\n"
	"   INPUT           files, directories (*.xml *.json *.ndjson), - for stdin, @LIST\n";

enum input_kind { IN_AUTO, IN_XML, IN_JSON, IN_NDJSON };

struct target;

/* One converted resource, to be written. */
struct conv_opts {
	const struct target *target;
	enum input_kind from;
	int flags;            /* ZIB_FHIR_PRETTY */
	const char *out;      /* -o */
	int out_is_dir;
	int force;
	size_t max_size;
	int strict;           /* --strict: losses are errors, no output */
	const char *now;      /* --now: effectiveTime of written documents */
	const zib_ctx *ctx;   /* targets that write zibs */
	zib_fhir_bundle bundle;   /* --to fhir-r4|fhir-stu3 --bundle */
	int bundle_given;
	int split;                /* --split: one file per resource in -o DIR */
	int set;                  /* --set: each argument's FHIR files are one document */
	const char *r4_format;    /* --to fhir-r4|fhir-stu3 --format: json, xml or ndjson */
	const struct input_list *inputs;  /* no output may replace one */
	/* -o FILE --to ndjson with several inputs: each job's piece goes
	 * to the batch's output, a temporary file put at -o at the end. */
	int collect;
};

/* A target turns a parsed tree into bytes appended to out. */
typedef int (*convert_fn)(struct strbuf *out, const zib_fhir *f, int flags, zib_error *err);

struct target {
	const char *name;
	const char *ext;      /* of outputs in -o DIR */
	int one_line;         /* several resources per output, one per line */
	convert_fn convert;
	/* Targets written from zibs (any readable input): NULL for FHIR-only. */
	int (*from_doc)(struct strbuf *out, const zib_doc *doc, const struct conv_opts *o,
		zib_report *report, zib_error *err);
};

static int append_written(struct strbuf *out, int rc, char *data, size_t len)
{
	if (rc == ZIB_OK) {
		strbuf_append(out, data, len);
		free(data);
	}
	return rc;
}

static int to_json(struct strbuf *out, const zib_fhir *f, int flags, zib_error *err)
{
	char *data;
	size_t len;
	int rc = zib_fhir_write_json(&data, &len, f, flags, err);
	return append_written(out, rc, data, len);
}

static int to_ndjson(struct strbuf *out, const zib_fhir *f, int flags, zib_error *err)
{
	return to_json(out, f, 0, err);
}

static int to_xml(struct strbuf *out, const zib_fhir *f, int flags, zib_error *err)
{
	char *data;
	size_t len;
	int rc = zib_fhir_write_xml(&data, &len, f, flags, err);
	return append_written(out, rc, data, len);
}

static int to_cda(struct strbuf *out, const zib_doc *doc, const struct conv_opts *o,
	zib_report *report, zib_error *err)
{
	zib_cda_write_options wo = ZIB_CDA_WRITE_OPTIONS_INIT;
	char *data;
	size_t len;

	int rc;

	wo.strict = o->strict;
	wo.effective_time = o->now;
	rc = zib_doc_write_cda(&data, &len, doc, &wo, report, err);
	return append_written(out, rc, data, len);
}

/* --split: where one resource goes. */
struct split_ctx {
	const struct conv_opts *o;
	const char *ext;
	zib_error *err;
};

/* Writes one resource of --split atomically to DIR/Type-id.EXT. */
static int write_split(const char *type, const char *id, const char *data, size_t len, void *p)
{
	struct split_ctx *sc = p;
	struct strbuf path = STRBUF_INIT;
	int rc;

	strbuf_puts(&path, sc->o->out);
	if (path.len && path.data[path.len - 1] != '/')
		strbuf_putc(&path, '/');
	strbuf_printf(&path, "%s-%s%s", type, id, sc->ext);
	if (path.oom) {
		strbuf_release(&path);
		sc->err->status = ZIB_ENOMEM;
		snprintf(sc->err->message, sizeof(sc->err->message), "out of memory");
		return ZIB_ENOMEM;
	}
	rc = cmd_write_output(sc->o->inputs, path.data, data, len, sc->o->force, sc->err);
	strbuf_release(&path);
	return rc;
}

/* --to fhir-r4 / fhir-stu3: one Bundle (JSON or XML), its resources as
 * NDJSON, or (--split) one file per resource. */
static int to_fhir(struct strbuf *out, const zib_doc *doc, const struct conv_opts *o,
	zib_report *report, zib_error *err, zib_fhir_release release)
{
	zib_fhir_write_options wo = ZIB_FHIR_WRITE_OPTIONS_INIT;
	zib_fhir *f = NULL;
	const char *fmt = o->r4_format ? o->r4_format : "json";
	char *data = NULL;
	size_t len = 0;
	int rc;

	wo.bundle = o->bundle;
	wo.strict = o->strict;
	wo.release = release;
	wo.type_refs = strcmp(fmt, "ndjson") == 0 || o->split;
	rc = zib_doc_to_fhir(&f, doc, &wo, report, err);
	if (rc == ZIB_OK && o->split) {
		struct split_ctx sc;
		sc.o = o;
		sc.ext = strcmp(fmt, "xml") == 0 ? ".xml" : ".json";
		sc.err = err;
		/* Nothing is written when the target cannot carry everything
		 * under --strict. */
		if (!(o->strict && zib_report_count_severity(report, ZIB_SEV_ERROR) > 0))
			rc = zib_fhir_each_resource(f, strcmp(fmt, "xml") == 0, o->flags, write_split,
				&sc, err);
		zib_fhir_free(f);
		return rc;
	}
	if (rc == ZIB_OK)
		rc = strcmp(fmt, "xml") == 0 ? zib_fhir_write_xml(&data, &len, f, o->flags, err) :
			wo.type_refs ? zib_fhir_write_ndjson_entries(&data, &len, f, err) :
			zib_fhir_write_json(&data, &len, f, o->flags, err);
	zib_fhir_free(f);
	return append_written(out, rc, data, len);
}

static int to_fhir_r4(struct strbuf *out, const zib_doc *doc, const struct conv_opts *o,
	zib_report *report, zib_error *err)
{
	return to_fhir(out, doc, o, report, err, ZIB_FHIR_R4);
}

static int to_fhir_stu3(struct strbuf *out, const zib_doc *doc, const struct conv_opts *o,
	zib_report *report, zib_error *err)
{
	return to_fhir(out, doc, o, report, err, ZIB_FHIR_STU3);
}

static int is_fhir_target(const struct target *t)
{
	return t->from_doc == to_fhir_r4 || t->from_doc == to_fhir_stu3;
}

static const struct target targets[] = {
	{ "cda", ".xml", 0, NULL, to_cda },
	{ "fhir-r4", ".json", 0, NULL, to_fhir_r4 },
	{ "fhir-stu3", ".json", 0, NULL, to_fhir_stu3 },
	{ "json", ".json", 0, to_json, NULL },
	{ "ndjson", ".ndjson", 1, to_ndjson, NULL },
	{ "xml", ".xml", 0, to_xml, NULL },
};

/* The extension of outputs in -o DIR: fhir-r4's follows --format. */
static const char *output_ext(const struct conv_opts *o)
{
	if (is_fhir_target(o->target) && o->r4_format)
		return strcmp(o->r4_format, "xml") == 0 ? ".xml" :
			strcmp(o->r4_format, "ndjson") == 0 ? ".ndjson" : ".json";
	return o->target->ext;
}

static const struct target *target_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* DIR/BASE[-N]EXT for input path: the basename without its extension (of
 * a --set directory "a/set/": set; of "@list.txt": list). */
static char *output_path(const char *dir, const char *path, int line, const char *ext)
{
	size_t plen = strlen(path);
	const char *base, *dot;
	struct strbuf b = STRBUF_INIT;

	while (plen > 1 && path[plen - 1] == '/')
		plen--;
	for (base = path + plen; base > path && base[-1] != '/'; base--)
		;
	if (*base == '@')
		base++;
	dot = memchr(base, '.', (size_t)(path + plen - base)) ? strrchr(base, '.') : NULL;
	if (dot && dot >= path + plen)
		dot = NULL;
	strbuf_puts(&b, dir);
	if (b.len && b.data[b.len - 1] != '/')
		strbuf_putc(&b, '/');
	strbuf_append(&b, base, dot && dot != base ? (size_t)(dot - base) : (size_t)(path + plen - base));
	if (line > 0)
		strbuf_printf(&b, "-%d", line);
	strbuf_puts(&b, ext);
	return b.oom ? NULL : strbuf_detach(&b, NULL);
}

struct job_ctx {
	struct batch_job *job;
	FILE *err;
	int exit_code;
};

static void job_fail(struct job_ctx *jc, int code, const char *fmt, const char *arg)
{
	fprintf(jc->err, "zib: ");
	fprintf(jc->err, fmt, arg);
	fputc('\n', jc->err);
	if (code > jc->exit_code)
		jc->exit_code = code;
}

static int exit_for_status(int status)
{
	switch (status) {
	case ZIB_ENOMEM:
	case ZIB_ERROR:
		return ZIB_EXIT_INTERNAL;
	case ZIB_EPARSE:
		return ZIB_EXIT_FINDINGS;
	default:
		return ZIB_EXIT_USAGE;
	}
}

/* --to json|xml|ndjson convert FHIR between its formats only: a CDA or
 * ADA input is pointed at the targets that read zibs. */
static void format_hint(struct job_ctx *jc, const struct conv_opts *o, const char *data, size_t len)
{
	zib_source_format f = zib_sniff_format(data, len);

	if (f == ZIB_FORMAT_CDA || f == ZIB_FORMAT_ADA)
		fprintf(jc->err, "zib: hint: '%s' is %s, and --to %s converts FHIR between XML and "
			"JSON; for FHIR from it use --to fhir-r4 (or fhir-stu3)\n", jc->job->path,
			f == ZIB_FORMAT_CDA ? "a CDA document" : "an ADA instance", o->target->name);
}

/* Parses one resource (the whole file, or one NDJSON line) and converts
 * it into out; findings go to the job's stderr text. */
static int convert_resource(struct job_ctx *jc, const struct conv_opts *o, const char *data,
	size_t len, int first_line, struct strbuf *out)
{
	zib_report *report = NULL;
	zib_fhir *f = NULL;
	zib_error err;
	size_t i;
	int rc;

	zib_error_clear(&err);
	if (zib_report_new(&report) < 0) {
		job_fail(jc, ZIB_EXIT_INTERNAL, "%s", "out of memory");
		return -1;
	}
	rc = zib_fhir_parse_part(&f, data, len, jc->job->path, first_line, report, &err);
	for (i = 0; i < zib_report_count(report); i++)
		zib_diag_write_text(jc->err, zib_report_at(report, i), g_opts.color_err);
	zib_report_free(report);
	if (rc < 0) {
		if (rc != ZIB_EPARSE)
			job_fail(jc, exit_for_status(rc), "%s", err.message);
		else if (jc->exit_code < ZIB_EXIT_FINDINGS)
			jc->exit_code = ZIB_EXIT_FINDINGS;
		return -1;
	}
	rc = o->target->convert(out, f, o->flags, &err);
	zib_fhir_free(f);
	if (rc < 0 || out->oom) {
		job_fail(jc, ZIB_EXIT_INTERNAL, "%s", rc < 0 ? err.message : "out of memory");
		return -1;
	}
	return 0;
}

static int write_output(struct job_ctx *jc, const struct conv_opts *o, const char *path,
	const struct strbuf *b)
{
	zib_error err;

	zib_error_clear(&err);
	if (cmd_write_output(o->inputs, path, b->data ? b->data : "", b->len, o->force, &err) < 0) {
		job_fail(jc, exit_for_status(err.status), "%s", err.message);
		return -1;
	}
	return 0;
}

/* NDJSON input: every non-empty line is a resource. */
static int convert_ndjson(struct job_ctx *jc, const struct conv_opts *o, const char *data,
	size_t len, struct strbuf *out)
{
	const char *p = data, *end = data + len;
	int line = 1, failed = 0, count = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end, *q;

		for (q = p; q < stop && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < stop) {
			struct strbuf one = STRBUF_INIT;
			count++;
			if (convert_resource(jc, o, p, (size_t)(stop - p), line, &one) < 0) {
				failed = 1;
			} else if (o->out_is_dir && !o->target->one_line) {
				char *path = output_path(o->out, jc->job->path, line, o->target->ext);
				if (!path || write_output(jc, o, path, &one) < 0)
					failed = 1;
				free(path);
			} else {
				if (o->out && !o->out_is_dir && !o->target->one_line && count > 1) {
					job_fail(jc, ZIB_EXIT_USAGE, "%s: several resources: use -o DIR or --to ndjson",
						jc->job->path);
					strbuf_release(&one);
					return -1;
				}
				strbuf_append(out, one.data ? one.data : "", one.len);
			}
			strbuf_release(&one);
		}
		line++;
		p = nl ? nl + 1 : end;
	}
	return failed ? -1 : 0;
}

/* The per-code count of the batch, filled by the worker threads. */
static struct code_tally convert_tally;
static pthread_mutex_t convert_tally_lock = PTHREAD_MUTEX_INITIALIZER;

/* Errors and warnings always (-q silences only the summary); info with -v. */
static void show_findings(struct job_ctx *jc, const zib_report *report)
{
	zib_severity min = g_opts.verbose ? ZIB_SEV_INFO : ZIB_SEV_WARNING;
	size_t i;

	for (i = 0; i < zib_report_count(report); i++) {
		const zib_diag *d = zib_report_at(report, i);
		if (d->severity >= min)
			zib_diag_write_text(jc->err, d, g_opts.color_err);
	}
	pthread_mutex_lock(&convert_tally_lock);
	tally_add(&convert_tally, report, min, 0);
	pthread_mutex_unlock(&convert_tally_lock);
}

static int error_set_msg(zib_error *err, int status, const char *fmt, const char *arg)
	__attribute__((format(printf, 3, 0)));

/* Fills err (cmd/ has no lib error helpers); returns status. */
static int error_set_msg(zib_error *err, int status, const char *fmt, const char *arg)
{
	err->status = status;
	snprintf(err->message, sizeof(err->message), fmt, arg);
	return status;
}

/* --set: the FHIR files of the job's argument read as one document, so
 * references between them resolve.  A file that does not parse is a
 * finding in rread (exit 1), the others are read. */
static int read_set(struct job_ctx *jc, const struct conv_opts *o, zib_doc **doc,
	zib_report *rread, zib_error *err)
{
	struct input_list files = { 0 };
	char *arg = (char *)jc->job->path, **datas = NULL, **paths = NULL;
	size_t *lens = NULL, n;
	int rc = ZIB_ENOMEM, input_errors = 0;

	if (inputs_expand(&files, &arg, 1, cmd_document_extensions, &input_errors) < 0)
		goto done;
	if (input_errors || files.count == 0) {
		rc = error_set_msg(err, ZIB_EIO, "%s: no documents to read as a set", arg);
		goto done;
	}
	paths = inputs_path_array(&files);
	datas = calloc(files.count, sizeof(*datas));
	lens = calloc(files.count, sizeof(*lens));
	if (!paths || !datas || !lens)
		goto done;
	for (n = 0; n < files.count; n++)
		if ((rc = zib_read_file(&datas[n], &lens[n], paths[n], o->max_size, err)) < 0)
			goto done;
	rc = zib_doc_read_many(doc, o->ctx, arg, files.count, (const char *const *)paths,
		(const char *const *)datas, lens, rread, err);
	if (rc == ZIB_OK && zib_report_count_severity(rread, ZIB_SEV_ERROR) > 0 &&
	    jc->exit_code < ZIB_EXIT_FINDINGS)
		jc->exit_code = ZIB_EXIT_FINDINGS;  /* a file that did not parse */
done:
	if (rc == ZIB_ENOMEM)
		error_set_msg(err, ZIB_ENOMEM, "%s", "out of memory");
	for (n = 0; datas && n < files.count; n++)
		free(datas[n]);
	free(datas);
	free(lens);
	free(paths);
	inputs_release(&files);
	return rc;
}

/* Reads the whole input (with --set: the argument's set) into zibs and
 * writes it with the target; findings of reading and of writing (what
 * the target cannot carry) to stderr. */
static int convert_doc(struct job_ctx *jc, const struct conv_opts *o, const char *data,
	size_t len, struct strbuf *out)
{
	zib_report *rread = NULL, *report = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	size_t errors;
	int rc;

	zib_error_clear(&err);
	if (zib_report_new(&rread) < 0 || zib_report_new(&report) < 0) {
		zib_report_free(rread);
		job_fail(jc, ZIB_EXIT_INTERNAL, "%s", "out of memory");
		return -1;
	}
	if (o->set)
		rc = read_set(jc, o, &doc, rread, &err);
	else
		rc = zib_doc_read(&doc, o->ctx, jc->job->path, data, len, rread, &err);
	/* Findings about the input as read: shown, they do not stop the
	 * conversion (zib validate judges inputs); a parse failure does. */
	show_findings(jc, rread);
	if (rc == ZIB_OK && zib_doc_malformed_lines(doc) > 0 && jc->exit_code < ZIB_EXIT_FINDINGS)
		jc->exit_code = ZIB_EXIT_FINDINGS;  /* NDJSON: the good lines go on */
	if (rc == ZIB_OK)
		rc = o->target->from_doc(out, doc, o, report, &err);
	show_findings(jc, report);
	errors = zib_report_count_severity(report, ZIB_SEV_ERROR);
	if (rc == ZIB_OK && errors > 0) {
		/* --strict and something the target cannot carry: no output. */
		fprintf(jc->err, "zib: %s: %zu item%s cannot be carried to %s (--strict): no output\n",
			jc->job->path, errors, errors == 1 ? "" : "s", o->target->name);
		strbuf_reset(out);
		if (jc->exit_code < ZIB_EXIT_FINDINGS)
			jc->exit_code = ZIB_EXIT_FINDINGS;
		rc = -1;
	} else if (rc == ZIB_EPARSE) {
		if (jc->exit_code < ZIB_EXIT_FINDINGS)
			jc->exit_code = ZIB_EXIT_FINDINGS;
	} else if (rc < 0) {
		job_fail(jc, exit_for_status(rc), "%s", err.message);
	}
	zib_doc_free(doc);
	zib_report_free(rread);
	zib_report_free(report);
	if (out->oom) {
		job_fail(jc, ZIB_EXIT_INTERNAL, "%s", "out of memory");
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

static void convert_job(struct batch_job *job, void *data)
{
	const struct conv_opts *o = data;
	struct job_ctx jc;
	struct strbuf out = STRBUF_INIT;
	char *errtext = NULL, *input = NULL;
	size_t errlen = 0, len;
	zib_error err;
	enum input_kind kind = o->from;
	int rc;

	memset(&jc, 0, sizeof(jc));
	jc.job = job;
	jc.err = open_memstream(&errtext, &errlen);
	if (!jc.err) {
		job->exit_code = ZIB_EXIT_INTERNAL;
		return;
	}
	zib_error_clear(&err);
	if (job->from_stream) {
		/* A record of standard input, read by the batch. */
		if (job->too_big) {
			fprintf(jc.err, "zib: %s: a record of %zu bytes, over the limit of %zu\n",
				job->path, job->data_len, o->max_size);
			jc.exit_code = ZIB_EXIT_USAGE;
			goto done;
		}
		input = job->data;
		len = job->data_len;
		job->data = NULL;
	} else if (!o->set && zib_read_file(&input, &len, job->path, o->max_size, &err) < 0) {
		job_fail(&jc, err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE, "%s",
			err.message);
		goto done;
	}
	if (kind == IN_AUTO && !o->set)
		kind = ends_with(job->path, ".ndjson") || zib_sniff_ndjson(input, len) ? IN_NDJSON : IN_AUTO;
	if (o->target->from_doc) {
		if (convert_doc(&jc, o, input, len, &out) < 0)
			goto done;
		kind = IN_AUTO;
		rc = 0;
	} else if (kind == IN_NDJSON) {
		rc = convert_ndjson(&jc, o, input, len, &out);
	} else {
		size_t i = 0;
		while (i < len && (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n'))
			i++;
		if ((kind == IN_XML && (i >= len || input[i] != '<')) ||
		    (kind == IN_JSON && (i >= len || input[i] != '{'))) {
			job_fail(&jc, ZIB_EXIT_FINDINGS, "%s: not the format given with --from",
				job->path);
			goto done;
		}
		rc = convert_resource(&jc, o, input, len, 1, &out);
		if (rc < 0)
			format_hint(&jc, o, input, len);
	}
	if (rc < 0 && kind != IN_NDJSON)
		goto done;
	if (o->collect) {
		/* Printed, in input order, into the one -o FILE. */
		job->out = strbuf_detach(&out, &job->out_len);
	} else if (o->split) {
		/* Written resource by resource already. */
	} else if (o->out && (!o->out_is_dir || kind != IN_NDJSON || o->target->one_line)) {
		char *path = o->out_is_dir ? output_path(o->out, job->path, 0, output_ext(o)) :
			strdup(o->out);
		if (!path)
			job_fail(&jc, ZIB_EXIT_INTERNAL, "%s", "out of memory");
		else if (out.len || kind != IN_NDJSON)
			write_output(&jc, o, path, &out);
		free(path);
	} else if (!o->out) {
		job->out = strbuf_detach(&out, &job->out_len);
	}
done:
	strbuf_release(&out);
	free(input);
	fclose(jc.err);
	job->err = errtext;
	job->err_len = errlen;
	job->exit_code = jc.exit_code;
}

int cmd_convert(int argc, char **argv)
{
	enum { OPT_TO = OPT_FIRST_COMMAND_OPT, OPT_FROM, OPT_PRETTY, OPT_FORCE, OPT_MAX_SIZE,
		OPT_BUNDLE, OPT_STRICT, OPT_NOW, OPT_SPLIT, OPT_SET };
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "pretty", no_argument, NULL, OPT_PRETTY },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "bundle", required_argument, NULL, OPT_BUNDLE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "now", no_argument, NULL, OPT_NOW },
		{ "split", no_argument, NULL, OPT_SPLIT },
		{ "set", no_argument, NULL, OPT_SET },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct conv_opts o;
	char now_ts[32];
	struct input_list inputs = { 0 }, set_files = { 0 };
	unsigned char *codes = NULL;
	zib_atomic_file *collected = NULL;
	int c, rc, jobs_n = 0, input_errors = 0, stream = 0;
	size_t i, ok = 0, failed, documents = 0;
	long n;
	zib_ctx *ctx = NULL;

	memset(&o, 0, sizeof(o));
	o.max_size = ZIB_DEFAULT_MAX_SIZE;
	while ((c = getopt_long(argc, argv, "o:j:" GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TO:
			o.target = target_find(optarg);
			if (!o.target) {
				cmd_error("convert: unknown target '%s' (cda, fhir-r4, fhir-stu3, json, xml or "
					"ndjson)", optarg);
				return ZIB_EXIT_USAGE;
			}
			break;
		case OPT_FROM:
			if (strcmp(optarg, "auto") == 0) o.from = IN_AUTO;
			else if (strcmp(optarg, "xml") == 0) o.from = IN_XML;
			else if (strcmp(optarg, "json") == 0) o.from = IN_JSON;
			else if (strcmp(optarg, "ndjson") == 0) o.from = IN_NDJSON;
			else {
				cmd_error("convert: unknown input format '%s' (auto, xml, json or ndjson)", optarg);
				return ZIB_EXIT_USAGE;
			}
			break;
		case OPT_PRETTY:
			o.flags |= ZIB_FHIR_PRETTY;
			break;
		case OPT_BUNDLE:
			if (strcmp(optarg, "collection") == 0) o.bundle = ZIB_BUNDLE_COLLECTION;
			else if (strcmp(optarg, "transaction") == 0) o.bundle = ZIB_BUNDLE_TRANSACTION;
			else if (strcmp(optarg, "document") == 0) o.bundle = ZIB_BUNDLE_DOCUMENT;
			else {
				cmd_error("convert: unknown Bundle type '%s' (collection, transaction or "
					"document)", optarg);
				return ZIB_EXIT_USAGE;
			}
			o.bundle_given = 1;
			break;
		case OPT_SPLIT:
			o.split = 1;
			break;
		case OPT_SET:
			o.set = 1;
			break;
		case 'o':
			o.out = cmd_out_is_stdout(optarg) ? NULL : optarg;  /* -o - is stdout */
			break;
		case OPT_FORCE:
			o.force = 1;
			break;
		case 'j':
			n = cmd_parse_count(optarg);
			if (n < 1 || n > 256) {
				cmd_error("convert: -j takes a number from 1 to 256, not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			jobs_n = (int)n;
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_NOW: {
			time_t t = time(NULL);
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(now_ts, sizeof(now_ts), "%Y%m%d%H%M%S+0000", &tm);
			o.now = now_ts;
			break;
		}
		case OPT_MAX_SIZE: {
			long long size = cmd_parse_size(optarg);
			if (size <= 0) {
				cmd_error("convert: --max-size takes a size in bytes or with K, M or G "
					"(256M, 1G), not '%s'", optarg);
				return ZIB_EXIT_USAGE;
			}
			/* It took megabytes before 0.2: say so when that is likely meant. */
			if (strspn(optarg, "0123456789") == strlen(optarg) && size <= 4096)
				cmd_error("convert: warning: --max-size %s is %s bytes; megabytes are %sM",
					optarg, optarg, optarg);
			o.max_size = (size_t)size;
			break;
		}
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				return rc;
		}
	}
	global_opts_finish();
	if (!o.target) {
		cmd_error("convert: --to is required (cda, fhir-r4, fhir-stu3, json, xml or ndjson)");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	if (optind >= argc) {
		cmd_error("convert: no input");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	if (g_opts.format && !is_fhir_target(o.target)) {
		cmd_error("convert: --format is for --to fhir-r4 or fhir-stu3 (json, xml or ndjson)");
		return ZIB_EXIT_USAGE;
	}
	if ((o.bundle_given || o.split) && !is_fhir_target(o.target)) {
		cmd_error("convert: %s is for --to fhir-r4 or fhir-stu3", o.split ? "--split" : "--bundle");
		return ZIB_EXIT_USAGE;
	}
	if (o.split && o.bundle_given) {
		cmd_error("convert: --split writes resources, not a Bundle: drop --bundle");
		return ZIB_EXIT_USAGE;
	}
	if (o.split && g_opts.format && strcmp(g_opts.format, "ndjson") == 0) {
		cmd_error("convert: --split writes json or xml files, not ndjson");
		return ZIB_EXIT_USAGE;
	}
	if (g_opts.format && strcmp(g_opts.format, "json") != 0 && strcmp(g_opts.format, "xml") != 0 &&
	    strcmp(g_opts.format, "ndjson") != 0) {
		cmd_error("convert: unknown --format '%s' (json, xml or ndjson)", g_opts.format);
		return ZIB_EXIT_USAGE;
	}
	o.r4_format = g_opts.format;
	if (o.set && !is_fhir_target(o.target)) {
		cmd_error("convert: --set is for --to fhir-r4 or fhir-stu3");
		return ZIB_EXIT_USAGE;
	}
	/* With --set one job per argument, each reading its files as one set. */
	if (inputs_gather(&inputs, argv + optind, argc - optind, o.set, &input_errors) < 0) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	if ((rc = inputs_require(&inputs, input_errors)) != ZIB_EXIT_OK)
		goto done;
	if (!o.set && (stream = inputs_are_stdin(&inputs)) < 0) {
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	if (o.split && !o.out) {
		cmd_error("convert: --split needs -o DIR");
		rc = ZIB_EXIT_USAGE;
		goto done;
	}
	o.inputs = &inputs;
	if (o.set) {
		/* The files of the sets, so that no output replaces one. */
		int ignored = 0;  /* reported by inputs_expand */
		if (inputs_expand(&set_files, argv + optind, argc - optind, cmd_document_extensions,
		    &ignored) < 0) {
			cmd_error("out of memory");
			rc = ZIB_EXIT_INTERNAL;
			goto done;
		}
		if (ignored) {
			rc = ZIB_EXIT_USAGE;  /* said why (an empty set, a FIFO) */
			goto done;
		}
		o.inputs = &set_files;
	}
	if (o.split) {
		/* -o names a directory, existing or to be made. */
		if ((rc = cmd_make_out_dir(o.out)) != ZIB_EXIT_OK)
			goto done;
	}
	if (o.out && !o.split) {
		struct stat st;
		size_t l = strlen(o.out);
		o.out_is_dir = (stat(o.out, &st) == 0 && S_ISDIR(st.st_mode)) || (l && o.out[l - 1] == '/');
		if (o.out_is_dir && (rc = cmd_make_out_dir(o.out)) != ZIB_EXIT_OK)
			goto done;
		if (!o.out_is_dir && inputs_holds(&inputs, o.out)) {
			zib_error err;
			cmd_refuse_input(&inputs, o.out, &err);
			cmd_error("%s", err.message);
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
		if (!o.out_is_dir && inputs.count > 1 && !stream && !o.target->one_line &&
		    !(o.r4_format && strcmp(o.r4_format, "ndjson") == 0)) {
			cmd_error("convert: -o '%s' is a file but there are %zu inputs: give a directory "
				"(or --to ndjson)", o.out, inputs.count);
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
		for (i = 0; o.out_is_dir && i < inputs.count; i++) {
			if (inputs_is_stdin(&inputs, i)) {
				cmd_error("convert: standard input has no name for -o DIR: use -o FILE");
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
		}
		if (!o.out_is_dir) {
			if (!o.force && stat(o.out, &st) == 0) {
				cmd_error("'%s' exists (use --force to overwrite)", o.out);
				rc = ZIB_EXIT_USAGE;
				goto done;
			}
			if (inputs.count > 1 || stream) {
				/* A stream may hold many records: all go to -o FILE. */
				zib_error err;
				zib_error_clear(&err);
				if (zib_atomic_open(&collected, o.out, o.force, &err) < 0) {
					cmd_error("%s", err.message);
					rc = err.status == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
					goto done;
				}
				o.collect = 1;
			}
		}
	}
	if (o.target->from_doc) {
		rc = cmd_load_models(&ctx);
		if (rc != ZIB_EXIT_OK)
			goto done;
		o.ctx = ctx;
	}
	if (stream) {
		/* Standard input, record by record (a filter for GNU parallel,
		 * Hadoop Streaming, Spark's pipe). */
		struct record_stream rs;
		record_stream_init(&rs, stdin, o.max_size);
		rc = batch_run_stream(&rs, jobs_n, convert_job, &o,
			collected ? zib_atomic_stream(collected) : stdout, NULL, &documents, &ok);
		if (rs.error) {
			cmd_error("cannot read standard input: %s", ferror(stdin) ? strerror(errno) :
				"out of memory");
			if (rc < ZIB_EXIT_USAGE)
				rc = ZIB_EXIT_USAGE;
		}
		record_stream_release(&rs);
	} else {
		rc = batch_run_to(&inputs, jobs_n, convert_job, &o,
			collected ? zib_atomic_stream(collected) : stdout, NULL, &codes);
		for (i = 0; i < inputs.count; i++)
			if (codes && codes[i] == ZIB_EXIT_OK)
				ok++;
		documents = inputs.count;
	}
	if (input_errors && rc < ZIB_EXIT_USAGE)
		rc = ZIB_EXIT_USAGE;
	failed = documents - ok + (size_t)input_errors;
	if (collected) {
		/* All inputs into one NDJSON file, in input order. */
		zib_error err;
		zib_error_clear(&err);
		/* -o was checked against the inputs before it was opened. */
		if (zib_atomic_commit(collected, &err) < 0) {
			cmd_error("%s", err.message);
			if (rc < ZIB_EXIT_USAGE)
				rc = ZIB_EXIT_USAGE;
		}
		collected = NULL;
	}
	if (!g_opts.quiet && (documents + (size_t)input_errors) > 1) {
		fflush(stdout);
		fprintf(stderr, "zib: converted %zu, failed %zu\n", ok, failed);
		tally_print(stderr, &convert_tally);
	}
done:
	free(codes);
	zib_atomic_abort(collected);
	inputs_release(&inputs);
	inputs_release(&set_files);
	zib_ctx_free(ctx);
	tally_release(&convert_tally);
	return rc;
}
