/*
 * schematron-bench RULES.sch N DOC...: the per-document part of Schematron
 * validation measured inside one process, so that neither compiling nor
 * starting the program blurs it (on a shared machine those vary by more
 * than the whole per-document part of 120 documents).  The rules are
 * compiled once (timed apart); the documents are read into memory; then
 * N passes over them run with 1 and with 2 threads taking documents from
 * a shared counter, as zib schematron -j does.  Each figure is the best of
 * the passes: wall time (CLOCK_MONOTONIC) and CPU time of all threads
 * (CLOCK_PROCESS_CPUTIME_ID).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "zib.h"

struct doc {
	const char *path;
	char *data;
	size_t len;
};

struct pass {
	const zib_schematron *sch;
	struct doc *docs;
	size_t ndocs;
	size_t next;
	size_t findings;
	int failed;
	pthread_mutex_t lock;
};

static double clock_secs(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	struct pass *p = arg;

	for (;;) {
		zib_report *report = NULL;
		zib_error err;
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->ndocs)
			return NULL;
		zib_error_clear(&err);
		if (zib_report_new(&report) < 0 || zib_schematron_run(p->sch, p->docs[i].data,
			p->docs[i].len, p->docs[i].path, report, NULL, NULL, &err) < 0) {
			pthread_mutex_lock(&p->lock);
			p->failed = 1;
			pthread_mutex_unlock(&p->lock);
		} else {
			pthread_mutex_lock(&p->lock);
			p->findings += zib_report_count(report);
			pthread_mutex_unlock(&p->lock);
		}
		zib_report_free(report);
	}
}

/* One pass over the documents with nthreads threads: wall and CPU secs. */
static int run_pass(struct pass *p, int nthreads, double *wall, double *cpu)
{
	pthread_t t[2];
	double w0 = clock_secs(CLOCK_MONOTONIC), c0 = clock_secs(CLOCK_PROCESS_CPUTIME_ID);
	int i;

	p->next = 0;
	p->findings = 0;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, worker, p) != 0)
			return -1;
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	*wall = clock_secs(CLOCK_MONOTONIC) - w0;
	*cpu = clock_secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return p->failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct pass p = { 0 };
	zib_schematron *sch = NULL;
	zib_error err;
	double w0, c0, best_wall[3] = { 0 }, best_cpu[3] = { 0 };
	size_t findings[3] = { 0 };
	int passes, rc = 1;

	if (argc < 4 || (passes = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: schematron-bench RULES.sch PASSES DOC...\n");
		return 2;
	}
	zib_error_clear(&err);
	w0 = clock_secs(CLOCK_MONOTONIC);
	c0 = clock_secs(CLOCK_PROCESS_CPUTIME_ID);
	if (zib_schematron_compile(&sch, argv[1], NULL, &err) < 0) {
		fprintf(stderr, "schematron-bench: %s\n", err.message);
		return 1;
	}
	printf("   compile only: %.0f ms wall, %.0f ms CPU (goal <= 300 ms)\n",
		(clock_secs(CLOCK_MONOTONIC) - w0) * 1000,
		(clock_secs(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1000);
	p.sch = sch;
	p.ndocs = (size_t)(argc - 3);
	p.docs = calloc(p.ndocs, sizeof(*p.docs));
	pthread_mutex_init(&p.lock, NULL);
	if (!p.docs)
		goto done;
	for (size_t i = 0; i < p.ndocs; i++) {
		p.docs[i].path = argv[3 + i];
		if (zib_read_file(&p.docs[i].data, &p.docs[i].len, p.docs[i].path,
			ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
			fprintf(stderr, "schematron-bench: %s\n", err.message);
			goto done;
		}
	}
	/* passes alternate between 1 and 2 threads, so both meet the same load */
	for (int k = 0; k < passes; k++)
		for (int t = 1; t <= 2; t++) {
			double wall, cpu;
			if (run_pass(&p, t, &wall, &cpu) < 0) {
				fprintf(stderr, "schematron-bench: a document failed\n");
				goto done;
			}
			if (!best_wall[t] || wall < best_wall[t])
				best_wall[t] = wall;
			if (!best_cpu[t] || cpu < best_cpu[t])
				best_cpu[t] = cpu;
			findings[t] = p.findings;
		}
	if (findings[1] != findings[2]) {
		fprintf(stderr, "schematron-bench: %zu findings with 1 thread, %zu with 2\n",
			findings[1], findings[2]);
		goto done;
	}
	/* CPU / wall: the cores the threads really had; below 2 with 2 threads
	 * the machine was busy elsewhere, and wall time cannot halve */
	for (int t = 1; t <= 2; t++)
		printf("   in-process, %d thread%s, %zu documents: %.2f ms wall, %.2f ms CPU per document "
			"(best of %d; %.2f cores busy)\n", t, t > 1 ? "s" : "", p.ndocs,
			best_wall[t] * 1000 / (double)p.ndocs, best_cpu[t] * 1000 / (double)p.ndocs, passes,
			best_cpu[t] / best_wall[t]);
	printf("   in-process, 2 threads vs 1: %.2fx faster, CPU time %+.1f%% "
		"(goals: >= 1.8x, within 5%%)\n", best_wall[1] / best_wall[2],
		(best_cpu[2] / best_cpu[1] - 1) * 100);
	rc = 0;
done:
	for (size_t i = 0; p.docs && i < p.ndocs; i++)
		free(p.docs[i].data);
	free(p.docs);
	pthread_mutex_destroy(&p.lock);
	zib_schematron_free(sch);
	return rc;
}
