/*
 * Batches: expanding the inputs of a command and running a job per input on
 * worker threads.  Each job is isolated (its own buffers, its own exit code)
 * so one bad file never stops the others, and output is printed in input
 * order whatever the number of threads.
 */
#define _GNU_SOURCE  /* mremap */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "strbuf.h"

const char *const cmd_document_extensions[] = { ".xml", ".json", ".ndjson", NULL };

static struct input_id id_of(const struct stat *st)
{
	struct input_id id;

	id.dev = (unsigned long long)st->st_dev;
	id.ino = (unsigned long long)st->st_ino;
	return id;
}

static size_t id_hash(struct input_id id)
{
	unsigned long long h = id.ino * 0x9E3779B97F4A7C15ULL ^ id.dev * 0xC2B2AE3D27D4EB4FULL;
	return (size_t)(h ^ (h >> 29));
}

static int id_in(const struct id_set *s, struct input_id id)
{
	size_t i;

	if (!s->cap)
		return 0;
	for (i = id_hash(id) & (s->cap - 1); s->slots[i].dev || s->slots[i].ino; i = (i + 1) & (s->cap - 1))
		if (s->slots[i].dev == id.dev && s->slots[i].ino == id.ino)
			return 1;
	return 0;
}

/* Adds id; 1 when new, 0 when there already, -1 out of memory. */
static int id_add(struct id_set *s, struct input_id id)
{
	size_t i;

	if (id_in(s, id))
		return 0;
	if ((s->count + 1) * 2 > s->cap) {
		struct id_set bigger = { NULL, s->cap ? s->cap * 2 : 64, 0 };
		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->slots[i].dev || s->slots[i].ino)
				id_add(&bigger, s->slots[i]);
		free(s->slots);
		*s = bigger;
	}
	for (i = id_hash(id) & (s->cap - 1); s->slots[i].dev || s->slots[i].ino; i = (i + 1) & (s->cap - 1))
		;
	s->slots[i] = id;
	s->count++;
	return 1;
}

/* Paths are kept end to end in blocks of this size (a longer path gets
 * a block of its own): no allocation, no malloc header per path. */
#define PATH_BLOCK 65536

struct path_block {
	struct path_block *next;
	size_t used, cap;
	char data[];
};

/* A copy of path in the list's blocks, or NULL out of memory. */
static char *path_copy(struct input_list *list, const char *path)
{
	size_t n = strlen(path) + 1;  /* (a walk's entries: a type byte, then the path) */
	struct path_block *b = list->blocks;
	char *p;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > PATH_BLOCK ? n : PATH_BLOCK;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = list->blocks;
		b->used = 0;
		b->cap = cap;
		list->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, path, n);
	b->used += n;
	return p;
}

/*
 * The array of path pointers grows in an anonymous mapping: mremap moves
 * pages instead of copying them, and pages reserved but not yet written
 * take no memory, so doubling costs nothing and no old and new array are
 * held at once.  NULL when the mapping fails.
 */
static char **paths_grow(char **old, size_t old_cap, size_t cap)
{
	void *p;

#ifdef MREMAP_MAYMOVE
	if (old) {
		p = mremap(old, old_cap * sizeof(char *), cap * sizeof(char *), MREMAP_MAYMOVE);
		return p == MAP_FAILED ? NULL : p;
	}
#endif
	p = mmap(NULL, cap * sizeof(char *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (old) {  /* no mremap: copied */
		memcpy(p, old, old_cap * sizeof(char *));
		munmap(old, old_cap * sizeof(char *));
	}
	return p;
}

static int paths_reserve(struct input_list *list, size_t need)
{
	size_t cap = list->cap ? list->cap : 4096;
	char **p;

	if (need <= list->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (!(p = paths_grow(list->paths, list->cap, cap)))
		return -1;
	list->paths = p;
	list->cap = cap;
	return 0;
}

/* Appends a copy of path; with remember, its device+inode (not 0, 0) go
 * to the set of files. */
static int push_with_id(struct input_list *list, const char *path, struct input_id id, int remember)
{
	char *copy;

	if (paths_reserve(list, list->count + 1) < 0)
		return -1;
	if (remember && (id.dev || id.ino) && id_add(&list->files, id) < 0)
		return -1;
	if (!(copy = path_copy(list, path)))
		return -1;
	list->paths[list->count++] = copy;
	return 0;
}

int inputs_push(struct input_list *list, const char *path)
{
	struct input_id none = { 0, 0 };
	struct stat st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return push_with_id(list, path, id_of(&st), 1);
	return push_with_id(list, path, none, 0);
}

static int has_extension(const char *name, const char *const *extensions);

/* 1 when a walk takes a file of this name from a directory it walks. */
static int walk_takes(const char *name, const char *const *extensions)
{
	return name[0] != '.' && has_extension(name, extensions);
}

/* 1 when the file path really is (all links resolved) a file a walk
 * takes from a directory the list walked: listed by that walk, under its
 * own name. */
static int in_walked_dir(const struct input_list *list, const char *path)
{
	char *real = realpath(path, NULL), *slash;
	struct stat st;
	int in = 0;

	if (!real)
		return 0;
	slash = strrchr(real, '/');
	if (slash && walk_takes(slash + 1, list->extensions)) {
		*slash = '\0';
		in = stat(slash == real ? "/" : real, &st) == 0 && id_in(&list->dirs, id_of(&st));
	}
	free(real);
	return in;
}

int inputs_holds(const struct input_list *list, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (id_in(&list->files, id_of(&st)))
		return 1;
	/* The set holds every input with several names; a file with one
	 * is an input when a walk took it. */
	return S_ISREG(st.st_mode) && st.st_nlink == 1 && in_walked_dir(list, path);
}

int inputs_require(const struct input_list *list, int errors)
{
	if (list->count)
		return 0;
	if (!errors)
		cmd_error("no documents to read");
	return ZIB_EXIT_USAGE;
}

/* ".xml, .json or .ndjson" into buf. */
static const char *extension_names(char *buf, size_t size, const char *const *extensions)
{
	size_t n = 0, i;

	buf[0] = '\0';
	for (i = 0; extensions && extensions[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i == 0 ? "" :
			extensions[i + 1] ? ", " : " or ", extensions[i]);
	return buf;
}

/* Marks a directory walked; 0 when it already was (a link back to it). */
static int dir_first_visit(struct input_list *list, struct input_id id)
{
	return id_add(&list->dirs, id);
}

static int has_extension(const char *name, const char *const *extensions)
{
	size_t n = strlen(name);

	for (; extensions && *extensions; extensions++) {
		size_t e = strlen(*extensions);
		if (n > e && strcmp(name + n - e, *extensions) == 0)
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entry is a symbolic link (the type byte readdir left before the
 * path in the list's blocks, or lstat when it did not know). */
static int is_link(const char *path)
{
	struct stat st;

	if (path[-1] != '?')
		return path[-1] == 'l';
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Reads dir's entries onto the end of the list, as "dir/name" with a type
 * byte before each (but dot files, and plain files no walk takes), then
 * sorts them there: nothing else holds a directory of any size.  -1 out
 * of memory, -2 when it cannot be opened (errno set). */
static int read_dir(struct input_list *list, const char *dir, const char *const *extensions)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t start = list->count, dlen = strlen(dir);
	struct input_id none = { 0, 0 };
	struct strbuf path = STRBUF_INIT;
	int sep = dlen && dir[dlen - 1] != '/';

	if (!d)
		return -2;
	while ((e = readdir(d)) != NULL) {
		char type = '?';
		if (e->d_name[0] == '.')
			continue;
#ifdef DT_LNK
		if (e->d_type == DT_REG && !has_extension(e->d_name, extensions))
			continue;
		type = e->d_type == DT_LNK ? 'l' : e->d_type == DT_UNKNOWN ? '?' : '-';
#endif
		strbuf_reset(&path);
		strbuf_putc(&path, type);
		strbuf_printf(&path, "%s%s%s", dir, sep ? "/" : "", e->d_name);
		if (path.oom || push_with_id(list, path.data, none, 0) < 0) {
			closedir(d);
			strbuf_release(&path);
			return -1;
		}
		/* The type byte stays before the path. */
		list->paths[list->count - 1]++;
	}
	closedir(d);
	strbuf_release(&path);
	if (list->count > start)  /* qsort(NULL, 0) is undefined (found by fuzz_inputs) */
		qsort(list->paths + start, list->count - start, sizeof(*list->paths), cmp_str);
	return 0;
}

/* Walks dir (already marked visited) depth first, entries sorted: its
 * entries are read onto the end of the list, then kept (documents), or
 * dropped, or replaced by what a subdirectory holds. */
static int expand_dir(struct input_list *list, const char *dir,
	const char *const *extensions, int *errors, int depth)
{
	size_t start = list->count, end, i, w;
	int rc = read_dir(list, dir, extensions);

	if (rc == -2) {
		cmd_error("cannot open directory '%s': %s", dir, strerror(errno));
		(*errors)++;
		return 0;
	}
	if (rc < 0)
		return -1;
	end = list->count;
	for (i = w = start; i < end; i++) {
		char *path = list->paths[i];
		const char *name = strrchr(path, '/') + 1;
		struct stat st;
		int first;

		if (stat(path, &st) != 0)
			continue;  /* a dangling link */
		if (S_ISDIR(st.st_mode)) {
			size_t rest = end - i - 1;
			char **tail;

			first = dir_first_visit(list, id_of(&st));
			if (first < 0)
				return -1;
			if (!first)
				continue;  /* a link to a directory already walked */
			if (depth >= 64) {
				cmd_error("'%s': directories nested over 64 deep", path);
				(*errors)++;
				continue;
			}
			/* The entries after it wait aside while it is walked. */
			tail = malloc((rest ? rest : 1) * sizeof(*tail));
			if (!tail)
				return -1;
			memcpy(tail, list->paths + i + 1, rest * sizeof(*tail));
			list->count = w;
			rc = expand_dir(list, path, extensions, errors, depth + 1);
			if (rc == 0 && paths_reserve(list, list->count + rest) < 0)
				rc = -1;
			if (rc < 0) {
				free(tail);
				return -1;
			}
			w = list->count;
			memcpy(list->paths + w, tail, rest * sizeof(*tail));
			free(tail);
			i = w - 1;
			end = list->count = w + rest;
		} else if (S_ISREG(st.st_mode) && has_extension(name, extensions) &&
			   !id_in(&list->files, id_of(&st))) {
			/* A plain file of a directory walked once is met once;
			 * a link (or another hard link) may lead to a file met
			 * before or after: that file is remembered, and a link
			 * to a file its own directory's walk takes is left to
			 * that walk. */
			int link = is_link(path);
			if (link && in_walked_dir(list, path))
				continue;
			if ((link || st.st_nlink > 1) && id_add(&list->files, id_of(&st)) < 0)
				return -1;
			list->paths[w++] = path;
		}
	}
	list->count = w;
	return 0;
}

static int expand_list_file(struct input_list *list, const char *listfile,
	const char *const *extensions, int *errors)
{
	zib_error err;
	char *data, *line, *next;
	size_t len;

	if (zib_read_file(&data, &len, listfile, ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		cmd_error("%s", err.message);
		(*errors)++;
		return 0;
	}
	for (line = data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (!*line || *line == '#')
			continue;
		if (inputs_expand(list, &line, 1, extensions, errors) < 0) {
			free(data);
			return -1;
		}
	}
	free(data);
	return 0;
}

int inputs_gather(struct input_list *list, char **args, int nargs, int as_sets, int *errors)
{
	int i;

	if (!as_sets) {
		if (inputs_expand(list, args, nargs, cmd_document_extensions, errors) < 0)
			goto oom;
		return 0;
	}
	for (i = 0; i < nargs; i++)
		if (inputs_push(list, args[i]) < 0)
			goto oom;
	return 0;
oom:
	cmd_error("out of memory");
	return -1;
}

int inputs_expand(struct input_list *list, char **args, int nargs,
	const char *const *extensions, int *errors)
{
	int i;

	if (extensions)
		list->extensions = extensions;
	for (i = 0; i < nargs; i++) {
		const char *a = args[i];
		size_t before = list->count;
		int errors_before = *errors;
		struct stat st;

		if (a[0] == '@' && a[1]) {
			if (expand_list_file(list, a + 1, extensions, errors) < 0)
				return -1;
			if (list->count == before && *errors == errors_before) {
				cmd_error("'%s' lists no documents", a + 1);
				(*errors)++;
			}
		} else if (strcmp(a, "-") == 0) {
			if (inputs_push(list, a) < 0)
				return -1;
		} else if (stat(a, &st) != 0) {
			/* The job reports it, as a finding of that input. */
			if (inputs_push(list, a) < 0)
				return -1;
		} else if (S_ISDIR(st.st_mode)) {
			int first = dir_first_visit(list, id_of(&st));
			if (first < 0 || (first && expand_dir(list, a, extensions, errors, 0) < 0))
				return -1;
			if (first && list->count == before && *errors == errors_before) {
				char names[64];
				cmd_error("'%s' holds no documents (no %s files)", a,
					extension_names(names, sizeof(names), extensions));
				(*errors)++;
			}
		} else if (!S_ISREG(st.st_mode)) {
			/* A FIFO or device could block forever or never end. */
			cmd_error("'%s' is not a regular file (give a pipe as - on standard input)", a);
			(*errors)++;
		} else if (push_with_id(list, a, id_of(&st), 1) < 0) {
			return -1;
		}
	}
	return 0;
}

void inputs_release(struct input_list *list)
{
	while (list->blocks) {
		struct path_block *next = list->blocks->next;
		free(list->blocks);
		list->blocks = next;
	}
	if (list->paths)
		munmap(list->paths, list->cap * sizeof(*list->paths));
	free(list->files.slots);
	free(list->dirs.slots);
	memset(list, 0, sizeof(*list));
}

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
			s->next_print < s->count ? s->inputs->paths[s->next_print] : "");
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
		j->path = s->inputs->paths[k];
		j->index = k;
		pthread_mutex_unlock(&s->lock);

		s->fn(j, s->data);

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
	int i;

	s->window = (size_t)(nthreads > 1 ? nthreads : 1) * BATCH_AHEAD;
	s->slots = calloc(s->window, sizeof(*s->slots));
	if (!s->slots) {
		free(s->codes);
		s->codes = NULL;
		cmd_error("out of memory");
		return ZIB_EXIT_INTERNAL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->read_lock, NULL);
	pthread_cond_init(&s->room, NULL);
	if (nthreads <= 1) {
		batch_worker(s);
	} else {
		for (i = 0; i < nthreads; i++) {
			if (pthread_create(&threads[i], NULL, batch_worker, s) != 0) {
				nthreads = i;
				break;
			}
		}
		if (nthreads == 0)
			batch_worker(s);
		for (i = 0; i < nthreads; i++)
			pthread_join(threads[i], NULL);
	}
	pthread_mutex_lock(&s->lock);
	batch_print_ready(s);
	if (s->progress)
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&s->lock);
	pthread_cond_destroy(&s->room);
	pthread_mutex_destroy(&s->read_lock);
	pthread_mutex_destroy(&s->lock);
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
		if (strcmp(inputs->paths[k], "-") == 0)
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
