/*
 * Batches: running a job per input of a command on worker threads.  Each
 * job is isolated (its own buffers, its own exit code) so one bad file
 * never stops the others, and output is printed in input order whatever
 * the number of threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "strbuf.h"

int batch_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* Jobs run at most this many per thread ahead of the oldest one not yet
 * printed: the outputs held while waiting for it stay bounded, whatever
 * the number of inputs. */
#define BATCH_AHEAD 4

struct batch_state {
	const struct input_list *inputs;  /* NULL for a stream */
	struct record_stream *stream;
	pthread_mutex_t read_lock;        /* one reader of the stream at a time */
	struct batch_job *slots;  /* job k lives in slots[k % window] */
	struct strbuf *paths;     /* and its path in paths[k % window] */
	size_t window;
	unsigned char *codes;     /* exit code per input (a list's only) */
	int worst;
	size_t ok;                /* inputs that exited 0 */
	size_t count;             /* SIZE_MAX until a stream ends */
	size_t next_job;      /* next index a worker takes */
	size_t next_print;    /* next index to print */
	batch_fn fn;
	batch_emit_fn emit;
	void *data;
	FILE *out;
	int progress;
	time_t last_progress;
	pthread_mutex_t lock;
	pthread_cond_t room;  /* next_print moved: a slot is free */
};

static void batch_print_ready(struct batch_state *s)
{
	int printed = 0;

	while (s->next_print < s->count && s->slots[s->next_print % s->window].done) {
		struct batch_job *j = &s->slots[s->next_print % s->window];
		if (s->progress)
			fputs("\r\033[K", stderr);
		if (s->emit)
			s->emit(j, s->out, s->data);
		if (j->out_len)
			fwrite(j->out, 1, j->out_len, s->out);
		fflush(s->out);
		if (j->err_len)
			fwrite(j->err, 1, j->err_len, stderr);
		free(j->out);
		free(j->err);
		if (j->from_stream) {
			free((char *)j->path);
			free(j->data);
		}
		if (s->codes)
			s->codes[s->next_print] = (unsigned char)j->exit_code;
		if (j->exit_code > s->worst)
			s->worst = j->exit_code;
		s->ok += j->exit_code == ZIB_EXIT_OK;
		memset(j, 0, sizeof(*j));
		s->next_print++;
		printed = 1;
	}
	if (printed)
		pthread_cond_broadcast(&s->room);
	if (s->progress && (printed || time(NULL) != s->last_progress)) {
		fprintf(stderr, "\r\033[K[%zu/%zu] %s", s->next_print, s->count,
			s->next_print < s->next_job ? s->slots[s->next_print % s->window].path : "");
		s->last_progress = time(NULL);
	}
}

/* Takes the next record of a stream as job k (in the order read); 0 at
 * the end of the stream. */
static int take_record(struct batch_state *s, struct batch_job **job)
{
	struct stream_record rec;
	struct batch_job *j;
	size_t k;

	pthread_mutex_lock(&s->read_lock);
	pthread_mutex_lock(&s->lock);
	while (s->next_job < s->count && s->next_job >= s->next_print + s->window)
		pthread_cond_wait(&s->room, &s->lock);
	if (s->next_job >= s->count) {
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_unlock(&s->read_lock);
		return 0;
	}
	k = s->next_job++;
	pthread_mutex_unlock(&s->lock);
	/* Read outside the batch's lock: a slow stream never holds back
	 * the printing of records already done. */
	if (record_stream_next(s->stream, &rec) <= 0) {
		pthread_mutex_lock(&s->lock);
		s->count = s->next_job = k;
		pthread_cond_broadcast(&s->room);
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_unlock(&s->read_lock);
		return 0;
	}
	j = &s->slots[k % s->window];
	j->path = rec.name;
	j->data = rec.data;
	j->data_len = rec.len;
	j->too_big = rec.too_big;
	j->from_stream = 1;
	j->index = k;
	pthread_mutex_unlock(&s->read_lock);
	*job = j;
	return 1;
}

static void *batch_worker(void *arg)
{
	struct batch_state *s = arg;

	for (;;) {
		struct batch_job *j;
		size_t k;

		if (s->stream) {
			if (!take_record(s, &j))
				return NULL;
			s->fn(j, s->data);
			pthread_mutex_lock(&s->lock);
			j->done = 1;
			batch_print_ready(s);
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		while (s->next_job < s->count && s->next_job >= s->next_print + s->window)
			pthread_cond_wait(&s->room, &s->lock);
		if (s->next_job >= s->count) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		k = s->next_job++;
		j = &s->slots[k % s->window];
		j->path = inputs_path(s->inputs, k, &s->paths[k % s->window]);
		j->index = k;
		pthread_mutex_unlock(&s->lock);

		if (j->path) {
			s->fn(j, s->data);
		} else {
			j->err = strdup("zib: out of memory\n");
			j->err_len = j->err ? strlen(j->err) : 0;
			j->exit_code = ZIB_EXIT_INTERNAL;
		}

		pthread_mutex_lock(&s->lock);
		j->done = 1;
		batch_print_ready(s);
		pthread_mutex_unlock(&s->lock);
	}
}

int batch_run(const struct input_list *inputs, int jobs, batch_fn fn, void *data,
	unsigned char **codes_out)
{
	return batch_run_to(inputs, jobs, fn, data, stdout, NULL, codes_out);
}

/* Runs the workers over s (set up by the caller) and cleans up. */
static int batch_go(struct batch_state *s, int nthreads)
{
	pthread_t threads[256];
	int i, spawned;

	s->window = (size_t)(nthreads > 1 ? nthreads : 1) * BATCH_AHEAD;
	s->slots = calloc(s->window, sizeof(*s->slots));
	s->paths = calloc(s->window, sizeof(*s->paths));
	if (!s->slots || !s->paths) {
		free(s->slots);
		free(s->paths);
		free(s->codes);
		s->codes = NULL;
		cmd_error("out of memory");
		return ZIB_EXIT_INTERNAL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->read_lock, NULL);
	pthread_cond_init(&s->room, NULL);
	/* The calling thread is one of the workers: its memory is warm from
	 * start-up, where a new thread's malloc arena starts cold (page
	 * faults, 11-15 us each on a VM). */
	for (spawned = 0; spawned < nthreads - 1; spawned++)
		if (pthread_create(&threads[spawned], NULL, batch_worker, s) != 0)
			break;
	batch_worker(s);
	for (i = 0; i < spawned; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_lock(&s->lock);
	batch_print_ready(s);
	if (s->progress)
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&s->lock);
	pthread_cond_destroy(&s->room);
	pthread_mutex_destroy(&s->read_lock);
	pthread_mutex_destroy(&s->lock);
	for (i = 0; (size_t)i < s->window; i++)
		strbuf_release(&s->paths[i]);
	free(s->paths);
	free(s->slots);
	return s->worst;
}

static int thread_count(int jobs)
{
	int n = jobs > 0 ? jobs : batch_default_jobs();
	return n > 256 ? 256 : n;
}

int batch_run_to(const struct input_list *inputs, int jobs, batch_fn fn, void *data, FILE *out,
	batch_emit_fn emit, unsigned char **codes_out)
{
	struct batch_state s;
	int nthreads, rc;
	size_t k;

	memset(&s, 0, sizeof(s));
	s.inputs = inputs;
	s.count = inputs->count;
	s.fn = fn;
	s.data = data;
	s.out = out;
	s.emit = emit;
	s.progress = !g_opts.quiet && isatty(STDERR_FILENO) && inputs->count > 1;
	nthreads = thread_count(jobs);
	if ((size_t)nthreads > s.count)
		nthreads = (int)s.count;
	/* stdin cannot be shared: a batch reading "-" runs on this thread. */
	for (k = 0; k < s.count; k++)
		if (inputs_is_stdin(inputs, k))
			nthreads = 1;
	if (codes_out) {
		s.codes = calloc(s.count ? s.count : 1, 1);
		if (!s.codes) {
			cmd_error("out of memory");
			return ZIB_EXIT_INTERNAL;
		}
	}
	rc = batch_go(&s, nthreads);
	if (codes_out)
		*codes_out = s.codes;
	return rc;
}

int batch_run_stream(struct record_stream *rs, int jobs, batch_fn fn, void *data, FILE *out,
	batch_emit_fn emit, size_t *count, size_t *ok)
{
	struct batch_state s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.stream = rs;
	s.count = (size_t)-1;
	s.fn = fn;
	s.data = data;
	s.out = out;
	s.emit = emit;
	rc = batch_go(&s, thread_count(jobs));
	if (count)
		*count = s.next_print;
	if (ok)
		*ok = s.ok;
	return rc;
}
