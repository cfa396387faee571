/*
 * fhir-bench DIR: FHIR XML <-> JSON conversion speed against the speed of
 * only parsing the same documents with libxml2 and cJSON.  Every *.xml in
 * DIR is loaded into memory first (and converted to JSON once, untimed, as
 * the JSON input), so the timings are CPU only, single-threaded.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <libxml/parser.h>

#include "zib.h"

struct doc {
	char *data;
	size_t len;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, size_t n, size_t bytes, double secs, double base)
{
	printf("%-34s %8.0f docs/s %8.1f MB/s", what, (double)n / secs, (double)bytes / secs / 1e6);
	if (base > 0)
		printf("   %.2fx of parse-only", base / secs);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct doc *xml = NULL, *json = NULL;
	size_t n = 0, cap = 0, i, xml_bytes = 0, json_bytes = 0, failed = 0;
	DIR *d;
	struct dirent *e;
	double t0, t_xml_parse, t_json_parse, t;
	zib_error err;

	if (argc != 2) {
		fprintf(stderr, "usage: fhir-bench DIR\n");
		return 2;
	}
	d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			xml = realloc(xml, cap * sizeof(*xml));
			json = realloc(json, cap * sizeof(*json));
		}
		snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
		if (zib_read_file(&xml[n].data, &xml[n].len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
			continue;
		xml_bytes += xml[n].len;
		n++;
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		zib_fhir *f = NULL;
		json[i].data = NULL;
		json[i].len = 0;
		if (zib_fhir_parse(&f, xml[i].data, xml[i].len, NULL, NULL, &err) == 0)
			zib_fhir_write_json(&json[i].data, &json[i].len, f, 0, &err);
		zib_fhir_free(f);
		if (!json[i].data) {
			json[i].data = strdup("{}");
			json[i].len = 2;
		}
		json_bytes += json[i].len;
	}
	printf("%zu documents, %.1f MB XML, %.1f MB JSON (compact)\n", n, xml_bytes / 1e6,
		json_bytes / 1e6);

	t0 = now();
	for (i = 0; i < n; i++)
		xmlFreeDoc(xmlReadMemory(xml[i].data, (int)xml[i].len, NULL, NULL,
			XML_PARSE_NONET | XML_PARSE_BIG_LINES));
	t_xml_parse = now() - t0;
	report("libxml2 parse only (xmlReadMemory)", n, xml_bytes, t_xml_parse, 0);

	t0 = now();
	for (i = 0; i < n; i++) {
		zib_fhir *f = NULL;
		char *out;
		size_t len;
		if (zib_fhir_parse(&f, xml[i].data, xml[i].len, NULL, NULL, &err) < 0) {
			failed++;
			continue;
		}
		if (zib_fhir_write_json(&out, &len, f, 0, &err) == 0)
			free(out);
		zib_fhir_free(f);
	}
	t = now() - t0;
	report("XML -> JSON (zib_fhir)", n, xml_bytes, t, t_xml_parse);

	t0 = now();
	for (i = 0; i < n; i++)
		cJSON_Delete(cJSON_ParseWithLength(json[i].data, json[i].len));
	t_json_parse = now() - t0;
	report("cJSON parse only", n, json_bytes, t_json_parse, 0);

	t0 = now();
	for (i = 0; i < n; i++) {
		zib_fhir *f = NULL;
		char *out;
		size_t len;
		if (zib_fhir_parse(&f, json[i].data, json[i].len, NULL, NULL, &err) < 0) {
			failed++;
			continue;
		}
		if (zib_fhir_write_xml(&out, &len, f, 0, &err) == 0)
			free(out);
		zib_fhir_free(f);
	}
	t = now() - t0;
	report("JSON -> XML (zib_fhir)", n, json_bytes, t, t_json_parse);
	if (failed)
		printf("%zu documents failed to convert\n", failed);
	for (i = 0; i < n; i++) {
		free(xml[i].data);
		free(json[i].data);
	}
	free(xml);
	free(json);
	return failed ? 1 : 0;
}
