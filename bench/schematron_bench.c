/*
 * schematron-bench RULES.sch N DOC...: the per-document part of Schematron
 * validation measured inside one process, so that neither compiling nor
 * starting the program blurs it (on a shared machine those vary by more
 * than the whole per-document part of 120 documents).  The rules are
 * compiled once (timed apart); the documents are read into memory; then
 * N rounds (after one to warm up) of a pass with 1 thread and a pass with
 * 2 threads taking documents from a shared counter, as zib schematron -j
 * does.  Figures: the best passes (wall time, CLOCK_MONOTONIC; CPU time of
 * all threads, CLOCK_PROCESS_CPUTIME_ID), and the median over the rounds of
 * each round's own ratios, which the host's drifting speed blurs less.
 */
#include <pthread.h>
#include <stdint.h>
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

#define MAX_ROUNDS 64

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The machine's own share: the same 1-then-2-thread rounds over a task with
 * nothing of zib in it, a walk through a random cycle of 8 MB per thread
 * (two such cycles overflow the cache this machine gives its two cores).
 * When two such walks slow each other down, memory-bound work such as
 * Schematron evaluation meets the same: that part of the CPU time -j 2
 * adds is the host's, not zib's.
 */
#define CHASE_BYTES (8u << 20)
#define CHASE_STEPS 4000000L

/* A random cycle through n slots (Sattolo's shuffle). */
static size_t *chase_cycle(unsigned long long seed)
{
	size_t n = CHASE_BYTES / sizeof(size_t), i;
	size_t *next = malloc(CHASE_BYTES);
	unsigned long long x = 88172645463325252ull ^ seed;

	if (!next)
		return NULL;
	for (i = 0; i < n; i++)
		next[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j, t;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (size_t)(x % i);
		t = next[i], next[i] = next[j], next[j] = t;
	}
	return next;
}

static void *chase(void *arg)
{
	const size_t *next = arg;
	size_t p = 0;

	for (long k = 0; k < CHASE_STEPS; k++)
		p = next[p];
	return (void *)p;
}

static void control_rounds(int rounds)
{
	double speed[MAX_ROUNDS], ratio[MAX_ROUNDS];
	size_t *cycle[2] = { chase_cycle(1), chase_cycle(2) };

	if (!cycle[0] || !cycle[1])
		goto done;
	for (int k = 0; k < rounds; k++) {
		double wall[3], cpu[3];
		for (int t = 1; t <= 2; t++) {
			pthread_t th[2];
			double w0 = clock_secs(CLOCK_MONOTONIC), c0 = clock_secs(CLOCK_PROCESS_CPUTIME_ID);
			for (int i = 0; i < t; i++)
				pthread_create(&th[i], NULL, chase, cycle[i]);
			for (int i = 0; i < t; i++)
				pthread_join(th[i], NULL);
			wall[t] = clock_secs(CLOCK_MONOTONIC) - w0;
			cpu[t] = clock_secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
		}
		/* two threads do two walks: twice the work of one */
		speed[k] = 2 * wall[1] / wall[2];
		ratio[k] = cpu[2] / (2 * cpu[1]);
	}
	printf("   control (8 MB random walk per thread, no zib), 2 threads vs 1, median of %d rounds: "
		"%.2fx faster, CPU time %+.1f%%\n", rounds, median(speed, rounds),
		(median(ratio, rounds) - 1) * 100);
done:
	free(cycle[0]);
	free(cycle[1]);
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
	double speedup[MAX_ROUNDS], cpu_ratio[MAX_ROUNDS];
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
	/* Rounds of a 1-thread pass then a 2-thread pass, so both meet the
	 * same load; the first round only warms memory up.  The host's speed
	 * drifts by more than the effect measured, so each round gives its own
	 * ratios and the median of those is reported beside the best passes. */
	if (passes > MAX_ROUNDS)
		passes = MAX_ROUNDS;
	for (int k = 0; k <= passes; k++) {
		double wall[3], cpu[3];
		for (int t = 1; t <= 2; t++) {
			if (run_pass(&p, t, &wall[t], &cpu[t]) < 0) {
				fprintf(stderr, "schematron-bench: a document failed\n");
				goto done;
			}
			findings[t] = p.findings;
		}
		if (k == 0)
			continue;
		for (int t = 1; t <= 2; t++) {
			if (!best_wall[t] || wall[t] < best_wall[t])
				best_wall[t] = wall[t];
			if (!best_cpu[t] || cpu[t] < best_cpu[t])
				best_cpu[t] = cpu[t];
		}
		speedup[k - 1] = wall[1] / wall[2];
		cpu_ratio[k - 1] = cpu[2] / cpu[1];
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
	printf("   in-process, 2 threads vs 1, best passes: %.2fx faster, CPU time %+.1f%%\n",
		best_wall[1] / best_wall[2], (best_cpu[2] / best_cpu[1] - 1) * 100);
	printf("   in-process, 2 threads vs 1, median of %d rounds: %.2fx faster, CPU time %+.1f%% "
		"(goals: >= 1.8x, within 5%%)\n", passes, median(speedup, passes),
		(median(cpu_ratio, passes) - 1) * 100);
	control_rounds(passes);
	rc = 0;
done:
	for (size_t i = 0; p.docs && i < p.ndocs; i++)
		free(p.docs[i].data);
	free(p.docs);
	pthread_mutex_destroy(&p.lock);
	zib_schematron_free(sch);
	return rc;
}
