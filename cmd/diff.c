/*
 * zib diff [--ignore CONCEPT|ZIB]... [--only ZIB]... A B: compares the zib
 * content of two documents, or two directories of documents, whatever
 * their formats.  Exit 0 same, 1 different, 2 error.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "strbuf.h"

static const char usage[] =
	"usage: zib diff [--ignore CONCEPT|ZIB]... [--only ZIB]... [--format text|json|html] A B\n"
	"\n"
	"   --ignore ID|ZIB  leave out a concept (NL-CM:x.y.z, with what is below it) or a zib\n"
	"   --only ZIB       compare only this zib (repeatable)\n"
	"   --format FMT     text (default), json, or html (one page, A and B side by side)\n"
	"   A, B             a document (CDA, FHIR, ADA), a directory or an @list of them;\n"
	"                    the FHIR files of a side are read as one set\n";

#define DIFF_FORMAT_VERSION 1
#define MAX_NAMES 256

enum { OPT_IGNORE = OPT_FIRST_COMMAND_OPT, OPT_ONLY };

struct side {
	struct input_list inputs;
	char **paths;    /* the inputs' paths */
	zib_doc **docs;
	size_t ndocs;
	int bad;     /* a line or file was left out: exit 1 whatever the diff */
};

/* Prints the error findings of a read (NDJSON lines, files of a set that
 * did not parse, each with file:line) and returns how many. */
static size_t report_errors(const zib_report *rep)
{
	size_t i, n = 0;

	for (i = 0; rep && i < zib_report_count(rep); i++) {
		const zib_diag *dg = zib_report_at(rep, i);
		if (dg->severity != ZIB_SEV_ERROR)
			continue;
		zib_diag_write_text(stderr, dg, 0);
		n++;
	}
	return n;
}

/*
 * Reads every document of one side.  The FHIR files of a side (a directory
 * of resource files, an @list) are read as one set, so references between
 * them resolve; other documents are read one by one.  NDJSON follows the
 * rule of every command: a line that does not parse is reported with its
 * file:line and left out, the others are compared, and s->bad makes the
 * exit status 1; a file of a set that does not parse likewise.  A document
 * that cannot be read at all: prints why and returns 1 (malformed) or 2.
 */
static int side_read(struct side *s, const zib_ctx *ctx, char *arg)
{
	char **datas = NULL;
	size_t *lens = NULL, nfhir = 0, i;
	int errors = 0, rc = ZIB_EXIT_OK;

	if (inputs_expand(&s->inputs, &arg, 1, cmd_document_extensions, &errors) < 0 || errors)
		return ZIB_EXIT_USAGE;
	if (s->inputs.count == 0) {
		cmd_error("'%s' holds no documents (.xml, .json or .ndjson files)", arg);
		return ZIB_EXIT_USAGE;
	}
	s->paths = inputs_path_array(&s->inputs);
	s->docs = calloc(s->inputs.count, sizeof(*s->docs));
	datas = calloc(s->inputs.count, sizeof(*datas));
	lens = calloc(s->inputs.count, sizeof(*lens));
	if (!s->paths || !s->docs || !datas || !lens) {
		rc = ZIB_EXIT_INTERNAL;
		goto done;
	}
	for (i = 0; i < s->inputs.count; i++) {
		zib_error err;
		zib_source_format f;

		zib_error_clear(&err);
		if (zib_read_file(&datas[i], &lens[i], s->paths[i], ZIB_DEFAULT_MAX_SIZE,
		    &err) < 0) {
			cmd_error("%s", err.message);
			rc = ZIB_EXIT_USAGE;
			goto done;
		}
		f = zib_sniff_format(datas[i], lens[i]);
		nfhir += f == ZIB_FORMAT_FHIR_XML || f == ZIB_FORMAT_FHIR_JSON;
	}
	for (i = 0; i < s->inputs.count; i++) {
		zib_source_format f = zib_sniff_format(datas[i], lens[i]);
		zib_error err;
		int r;

		zib_report *rep = NULL;

		if (nfhir > 1 && (f == ZIB_FORMAT_FHIR_XML || f == ZIB_FORMAT_FHIR_JSON))
			continue;
		zib_error_clear(&err);
		/* The report holds the NDJSON lines that did not parse. */
		if (zib_report_new(&rep) != 0) {
			rc = ZIB_EXIT_INTERNAL;
			goto done;
		}
		r = zib_doc_read(&s->docs[s->ndocs], ctx, s->paths[i], datas[i], lens[i],
			rep, &err);
		if (r == 0 && zib_doc_malformed_lines(s->docs[s->ndocs]) > 0) {
			report_errors(rep);
			s->bad = 1;
		} else if (r < 0 && zib_sniff_ndjson(datas[i], lens[i])) {
			report_errors(rep);   /* no line parsed: each one's finding */
		}
		zib_report_free(rep);
		if (r < 0) {
			cmd_error("%s", err.message);
			/* Malformed or not a document is a finding (1), as in every command. */
			rc = r == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : r == ZIB_EPARSE ? ZIB_EXIT_FINDINGS :
				ZIB_EXIT_USAGE;
			goto done;
		}
		s->ndocs++;
	}
	if (nfhir > 1) {
		const char **files = calloc(nfhir, sizeof(*files)), **fd = calloc(nfhir, sizeof(*fd));
		size_t *fl = calloc(nfhir, sizeof(*fl)), k = 0;
		zib_report *rep = NULL;
		zib_error err;
		int r = ZIB_ENOMEM;

		zib_error_clear(&err);
		if (files && fd && fl && zib_report_new(&rep) == 0) {
			for (i = 0; i < s->inputs.count; i++) {
				zib_source_format f = zib_sniff_format(datas[i], lens[i]);
				if (f != ZIB_FORMAT_FHIR_XML && f != ZIB_FORMAT_FHIR_JSON)
					continue;
				files[k] = s->paths[i];
				fd[k] = datas[i];
				fl[k++] = lens[i];
			}
			r = zib_doc_read_many(&s->docs[s->ndocs], ctx, arg, nfhir, files, fd, fl, rep,
				&err);
		}
		if (r < 0) {
			if (r == ZIB_ENOMEM)
				cmd_error("out of memory");
			else
				cmd_error("%s", err.message);
			rc = r == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : r == ZIB_EPARSE ? ZIB_EXIT_FINDINGS :
				ZIB_EXIT_USAGE;
		} else {
			s->ndocs++;
			if (report_errors(rep))
				s->bad = 1;
		}
		zib_report_free(rep);
		free(files);
		free(fd);
		free(fl);
	}
done:
	for (i = 0; datas && i < s->inputs.count; i++)
		free(datas[i]);
	free(datas);
	free(lens);
	return rc;
}

static void side_release(struct side *s)
{
	size_t i;

	for (i = 0; i < s->ndocs; i++)
		zib_doc_free(s->docs[i]);
	free(s->docs);
	free(s->paths);
	inputs_release(&s->inputs);
}

static void print_loc(FILE *out, const char *file, const zib_value *v, const zib_instance *inst)
{
	int line = v ? zib_value_line(v) : inst ? zib_instance_line(inst) : 0;
	const char *path = v ? zib_value_path(v) : inst ? zib_instance_path(inst) : NULL;

	fprintf(out, "%s:%d", file ? file : "?", line);
	if (path)
		fprintf(out, " %s", path);
}

/* What an instance found on one side only holds, a line per value,
 * indented by depth below the "only in" line. */
static void print_values(FILE *out, const zib_value *v, int depth)
{
	char text[1024];

	for (; v; v = zib_value_next(v)) {
		const zib_concept *c = zib_value_concept(v);
		zib_value_format(text, sizeof(text), v);
		fprintf(out, "%*s%s %s: %s\n", 6 + 2 * depth, "", c ? zib_concept_id(c) : "?",
			c ? zib_concept_name_nl(c) : "?", text);
		if (!zib_value_target(v))
			print_values(out, zib_value_children(v), depth + 1);
	}
}

static void write_text(FILE *out, const zib_diff *d)
{
	const zib_model *zib = NULL;
	const zib_instance *ia = NULL, *ib = NULL;
	size_t i;

	for (i = 0; i < zib_diff_count(d); i++) {
		const zib_diff_item *it = zib_diff_at(d, i);
		if (it->zib != zib) {
			fprintf(out, "%s== %s (%s)\n", zib ? "\n" : "", zib_model_name_nl(it->zib),
				zib_model_root_concept(it->zib));
			zib = it->zib;
			ia = ib = NULL;
		}
		switch (it->kind) {
		case ZIB_DIFF_ONLY_A:
			fputs("only in A: ", out);
			print_loc(out, it->a_file, NULL, it->a_instance);
			fputc('\n', out);
			print_values(out, zib_instance_values(it->a_instance), 0);
			break;
		case ZIB_DIFF_ONLY_B:
			fputs("only in B: ", out);
			print_loc(out, it->b_file, NULL, it->b_instance);
			fputc('\n', out);
			print_values(out, zib_instance_values(it->b_instance), 0);
			break;
		case ZIB_DIFF_CHANGED:
			if (it->a_instance != ia || it->b_instance != ib) {
				fprintf(out, "changed: %s:%d <> %s:%d\n", it->a_file,
					zib_instance_line(it->a_instance), it->b_file,
					zib_instance_line(it->b_instance));
				ia = it->a_instance;
				ib = it->b_instance;
			}
			fprintf(out, "  %s %s%s%s\n", zib_concept_id(it->concept), it->concept_path,
				it->note ? ": " : "", it->note ? it->note : "");
			fprintf(out, "    - %s  ", it->a ? it->a_text : "(absent)");
			print_loc(out, it->a_file, it->a, it->a ? NULL : it->a_instance);
			fprintf(out, "\n    + %s  ", it->b ? it->b_text : "(absent)");
			print_loc(out, it->b_file, it->b, it->b ? NULL : it->b_instance);
			fputc('\n', out);
			break;
		}
	}
}

static void json_str(FILE *out, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	if (!s) {
		fputs("null", out);
		return;
	}
	strbuf_json_escape(&b, s);
	fprintf(out, "\"%s\"", b.data ? b.data : "");
	strbuf_release(&b);
}

static void json_side(FILE *out, const char *file, const zib_instance *inst, const zib_value *v,
	const char *text)
{
	if (!inst) {
		fputs("null", out);
		return;
	}
	fputs("{\"file\": ", out);
	json_str(out, file);
	fprintf(out, ", \"line\": %d, \"path\": ", v ? zib_value_line(v) : zib_instance_line(inst));
	json_str(out, v ? zib_value_path(v) : zib_instance_path(inst));
	fputs(", \"value\": ", out);
	json_str(out, v ? text : NULL);
	fputc('}', out);
}

static void write_json(FILE *out, const zib_diff *d, const struct side *a, const struct side *b)
{
	static const char *const kinds[] = { "", "only_a", "only_b", "changed" };
	size_t i;

	fprintf(out, "{\"format_version\": %d, \"a\": [", DIFF_FORMAT_VERSION);
	for (i = 0; i < a->ndocs; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, zib_doc_file(a->docs[i]));
	}
	fputs("], \"b\": [", out);
	for (i = 0; i < b->ndocs; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, zib_doc_file(b->docs[i]));
	}
	fprintf(out, "],\n \"instances_a\": %zu, \"instances_b\": %zu, \"matched\": %zu,\n"
		" \"differences\": [", zib_diff_instances_a(d), zib_diff_instances_b(d),
		zib_diff_matched(d));
	for (i = 0; i < zib_diff_count(d); i++) {
		const zib_diff_item *it = zib_diff_at(d, i);
		fprintf(out, "%s\n  {\"kind\": \"%s\", \"zib\": ", i ? "," : "", kinds[it->kind]);
		json_str(out, zib_model_name_nl(it->zib));
		fputs(", \"key\": ", out);
		json_str(out, it->key);
		fputs(", \"concept\": ", out);
		json_str(out, it->concept ? zib_concept_id(it->concept) : NULL);
		fputs(", \"concept_path\": ", out);
		json_str(out, it->concept_path);
		fputs(", \"note\": ", out);
		json_str(out, it->note);
		fputs(",\n   \"a\": ", out);
		json_side(out, it->a_file, it->a_instance, it->a, it->a_text);
		fputs(",\n   \"b\": ", out);
		json_side(out, it->b_file, it->b_instance, it->b, it->b_text);
		fputc('}', out);
	}
	fputs(zib_diff_count(d) ? "\n]}\n" : "]}\n", out);
}

/*
 * The line that ends every diff on standard error: "no differences" or
 * the differences by kind, then the instance counts.
 */
static void write_summary(FILE *out, const zib_diff *d)
{
	const zib_instance *ia = NULL, *ib = NULL;
	size_t i, concepts = 0, instances = 0, only_a = 0, only_b = 0;

	for (i = 0; i < zib_diff_count(d); i++) {
		const zib_diff_item *it = zib_diff_at(d, i);
		if (it->kind == ZIB_DIFF_ONLY_A)
			only_a++;
		else if (it->kind == ZIB_DIFF_ONLY_B)
			only_b++;
		else {
			concepts++;
			if (it->a_instance != ia || it->b_instance != ib)
				instances++;
			ia = it->a_instance;
			ib = it->b_instance;
		}
	}
	fflush(stdout);
	if (zib_diff_count(d) == 0)
		fputs("no differences", out);
	else
		fprintf(out, "%zu difference%s: %zu concept%s changed in %zu instance%s, %zu only in A, "
			"%zu only in B", zib_diff_count(d), zib_diff_count(d) == 1 ? "" : "s", concepts,
			concepts == 1 ? "" : "s", instances, instances == 1 ? "" : "s", only_a, only_b);
	fprintf(out, "; %zu instance%s in A, %zu in B, %zu matched\n", zib_diff_instances_a(d),
		zib_diff_instances_a(d) == 1 ? "" : "s", zib_diff_instances_b(d), zib_diff_matched(d));
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "only", required_argument, NULL, OPT_ONLY },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *ignore[MAX_NAMES], *only[MAX_NAMES];
	zib_diff_options opts = ZIB_DIFF_OPTIONS_INIT;
	struct side a, b;
	zib_ctx *ctx = NULL;
	zib_diff *d = NULL;
	zib_error err;
	int c, rc, f, json = 0, html = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	opts.ignore = ignore;
	opts.only = only;
	cmd_getopt_reset();
	while ((c = getopt_long(argc, argv, GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_IGNORE:
		case OPT_ONLY:
			if ((c == OPT_IGNORE ? opts.nignore : opts.nonly) >= MAX_NAMES) {
				cmd_error("too many --%s options", c == OPT_IGNORE ? "ignore" : "only");
				return ZIB_EXIT_USAGE;
			}
			if (c == OPT_IGNORE)
				ignore[opts.nignore++] = optarg;
			else
				only[opts.nonly++] = optarg;
			break;
		default:
			if ((rc = cmd_shared_opt(c, optarg, argv, usage)) != CMD_OPT_NEXT)
				return rc;
		}
	}
	global_opts_finish();
	if (g_opts.format && strcmp(g_opts.format, "json") == 0) {
		json = 1;
	} else if (g_opts.format && strcmp(g_opts.format, "html") == 0) {
		html = 1;
	} else if (g_opts.format && strcmp(g_opts.format, "text") != 0) {
		cmd_error("unknown format '%s' (text, json or html)", g_opts.format);
		return ZIB_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		cmd_error("diff needs two inputs, A and B");
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		return rc;
	/* Both sides are read, so the worst problem decides the exit status. */
	rc = side_read(&a, ctx, argv[optind]);
	f = side_read(&b, ctx, argv[optind + 1]);
	if (f > rc)
		rc = f;
	if (rc != ZIB_EXIT_OK)
		goto done;
	zib_error_clear(&err);
	if (zib_diff_docs(&d, ctx, (const zib_doc *const *)a.docs, a.ndocs,
	    (const zib_doc *const *)b.docs, b.ndocs, &opts, &err) < 0) {
		cmd_error("%s", err.message);
		rc = err.status == ZIB_EINVAL ? ZIB_EXIT_USAGE : ZIB_EXIT_INTERNAL;
		goto done;
	}
	if (json)
		write_json(stdout, d, &a, &b);
	else if (html)
		diff_write_html(stdout, d, argv[optind], argv[optind + 1]);
	else
		write_text(stdout, d);
	if (!g_opts.quiet)
		write_summary(stderr, d);
	rc = zib_diff_count(d) || a.bad || b.bad ? ZIB_EXIT_FINDINGS : ZIB_EXIT_OK;
	rc = cmd_finish_output(rc);
done:
	zib_diff_free(d);
	side_release(&a);
	side_release(&b);
	zib_ctx_free(ctx);
	return rc;
}
