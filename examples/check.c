/*
 * examples/check.c: libzib in a program of your own.  Reads one BgZ
 * document (CDA, FHIR or ADA), checks it as `zib validate` does, prints
 * each finding as one compiler-style line and then the zib instances it
 * found, and exits 1 when there is an error.
 *
 *   cc -o check examples/check.c $(pkg-config --cflags --libs libzib)
 *   ./check document.xml
 *
 * (man 3 libzib describes the API; tests/t0008-libzib-example.sh builds
 * and runs this file.)
 */
#include <stdio.h>
#include <stdlib.h>

#include <zib.h>

int main(int argc, char **argv)
{
	zib_check_options opts = ZIB_CHECK_OPTIONS_INIT;
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_report *report = NULL;
	zib_error err;
	char *data = NULL;
	size_t len = 0, i;
	int status = 2;

	if (argc != 2) {
		fprintf(stderr, "usage: check FILE\n");
		return 2;
	}
	zib_error_clear(&err);
	/* The compiled-in zib models (NULL: no --models folder). */
	if (zib_ctx_new(&ctx, NULL, &err) < 0 || zib_report_new(&report) < 0 ||
	    zib_read_file(&data, &len, argv[1], ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		fprintf(stderr, "check: %s\n", err.message);
		goto done;
	}
	/* A document that could be judged returns 0, whatever it holds; what
	 * is wrong with it is in the report.  A negative status is an input
	 * that could not be judged at all. */
	if (zib_check_document(&doc, ctx, &opts, argv[1], data, len, report, &err) < 0) {
		fprintf(stderr, "check: %s\n", err.message);
		goto done;
	}
	for (i = 0; i < zib_report_count(report); i++)
		zib_diag_write_text(stdout, zib_report_at(report, i), 0);
	for (i = 0; doc && i < zib_doc_instance_count(doc); i++) {
		const zib_instance *inst = zib_doc_instance_at(doc, i);
		printf("instance %s at line %d\n", zib_model_name_nl(zib_instance_model(inst)),
			zib_instance_line(inst));
	}
	status = zib_report_worst(report) == ZIB_SEV_ERROR;
done:
	zib_doc_free(doc);
	zib_report_free(report);
	zib_ctx_free(ctx);
	free(data);
	return status;
}
