/*
 * The inputs of a command: files, directories walked for documents, "-"
 * and @LIST files, expanded in order into a list that costs little per
 * entry whatever its length.
 *
 * Each entry is a record in the list's blocks: the index of the walked
 * directory it came from (4 bytes, NO_DIR for a path given as it is), a
 * type byte readdir told (see is_link), then its text: the name within
 * that directory, or the whole path.  A directory's path is kept once
 * however many documents it holds; inputs_path puts a path together when
 * a job needs it.  40,000 files of one directory take about 25 bytes
 * each with their pointer (10-character names), where "dir/name" strings
 * took 50 and more.
 */
#define _GNU_SOURCE  /* mremap */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "strbuf.h"

const char *const cmd_document_extensions[] = { ".xml", ".json", ".ndjson", NULL };

#define NO_DIR UINT32_MAX
#define RECORD_HEAD 5  /* directory index and type byte before the text */

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

/* Records are kept end to end in blocks of this size (a longer one gets
 * a block of its own): no allocation, no malloc header per entry. */
#define PATH_BLOCK 65536

struct path_block {
	struct path_block *next;
	size_t used, cap;
	char data[];
};

/* n bytes in the list's blocks, or NULL out of memory. */
static char *block_alloc(struct input_list *list, size_t n)
{
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
	b->used += n;
	return p;
}

/* A record of text from directory dir with its type byte; returns its
 * text, or NULL out of memory. */
static char *record_new(struct input_list *list, uint32_t dir, char type, const char *text)
{
	size_t n = strlen(text) + 1;
	char *r = block_alloc(list, RECORD_HEAD + n);

	if (!r)
		return NULL;
	memcpy(r, &dir, sizeof(dir));
	r[4] = type;
	memcpy(r + RECORD_HEAD, text, n);
	return r + RECORD_HEAD;
}

static uint32_t record_dir(const char *text)
{
	uint32_t dir;

	memcpy(&dir, text - RECORD_HEAD, sizeof(dir));
	return dir;
}

static char record_type(const char *text)
{
	return text[-1];
}

/*
 * The array of entries grows in an anonymous mapping: mremap moves
 * pages instead of copying them, and pages reserved but not yet written
 * take no memory, so doubling costs nothing and no old and new array are
 * held at once.  NULL when the mapping fails.
 */
static char **entries_grow(char **old, size_t old_cap, size_t cap)
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

static int entries_reserve(struct input_list *list, size_t need)
{
	size_t cap = list->cap ? list->cap : 4096;
	char **p;

	if (need <= list->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (!(p = entries_grow(list->entries, list->cap, cap)))
		return -1;
	list->entries = p;
	list->cap = cap;
	return 0;
}

/* Appends an entry; with remember, its device+inode (not 0, 0) go to the
 * set of files. */
static int push_entry(struct input_list *list, uint32_t dir, char type, const char *text,
	struct input_id id, int remember)
{
	char *copy;

	if (entries_reserve(list, list->count + 1) < 0)
		return -1;
	if (remember && (id.dev || id.ino) && id_add(&list->files, id) < 0)
		return -1;
	if (!(copy = record_new(list, dir, type, text)))
		return -1;
	list->entries[list->count++] = copy;
	return 0;
}

int inputs_push(struct input_list *list, const char *path)
{
	struct input_id none = { 0, 0 };
	struct stat st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return push_entry(list, NO_DIR, '-', path, id_of(&st), 1);
	return push_entry(list, NO_DIR, '-', path, none, 0);
}

/* Keeps the path of a directory to walk; its index, or -1 out of memory
 * (or past NO_DIR directories). */
static long long dir_add(struct input_list *list, const char *path)
{
	char *copy;

	if (list->ndirs == list->dirs_cap) {
		size_t cap = list->dirs_cap ? list->dirs_cap * 2 : 16;
		char **p = cap < NO_DIR ? realloc(list->dir_paths, cap * sizeof(*p)) : NULL;
		if (!p)
			return -1;
		list->dir_paths = p;
		list->dirs_cap = cap;
	}
	if (!(copy = block_alloc(list, strlen(path) + 1)))
		return -1;
	strcpy(copy, path);
	list->dir_paths[list->ndirs] = copy;
	return (long long)list->ndirs++;
}

/* dir + "/" + name into buf (no second slash after one that ends dir). */
static const char *join_path(struct strbuf *buf, const char *dir, const char *name)
{
	size_t dlen = strlen(dir);

	strbuf_reset(buf);
	strbuf_puts(buf, dir);
	if (dlen && dir[dlen - 1] != '/')
		strbuf_putc(buf, '/');
	strbuf_puts(buf, name);
	return buf->oom ? NULL : buf->data;
}

const char *inputs_path(const struct input_list *list, size_t i, struct strbuf *buf)
{
	const char *text = list->entries[i];
	uint32_t dir = record_dir(text);

	return dir == NO_DIR ? text : join_path(buf, list->dir_paths[dir], text);
}

int inputs_is_stdin(const struct input_list *list, size_t i)
{
	return record_dir(list->entries[i]) == NO_DIR && strcmp(list->entries[i], "-") == 0;
}

char **inputs_path_array(const struct input_list *list)
{
	struct strbuf buf = STRBUF_INIT;
	size_t i, bytes = (list->count + 1) * sizeof(char *);
	char **array, *p;

	for (i = 0; i < list->count; i++) {
		const char *path = inputs_path(list, i, &buf);
		if (!path) {
			strbuf_release(&buf);
			return NULL;
		}
		bytes += strlen(path) + 1;
	}
	if (!(array = malloc(bytes))) {
		strbuf_release(&buf);
		return NULL;
	}
	p = (char *)(array + list->count + 1);
	for (i = 0; i < list->count; i++) {
		const char *path = inputs_path(list, i, &buf);  /* fits: it did above */
		size_t n = strlen(path) + 1;
		memcpy(p, path, n);
		array[i] = p;
		p += n;
	}
	array[list->count] = NULL;
	strbuf_release(&buf);
	return array;
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

/* The entry is a symbolic link (the type byte readdir left, or lstat
 * when it did not know). */
static int is_link(const char *entry, const char *path)
{
	struct stat st;

	if (record_type(entry) != '?')
		return record_type(entry) == 'l';
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Reads directory dir's entries onto the end of the list (but dot files,
 * and plain files no walk takes), then sorts them there by name: nothing
 * else holds a directory of any size.  -1 out of memory, -2 when it
 * cannot be opened (errno set). */
static int read_dir(struct input_list *list, uint32_t dir, const char *const *extensions)
{
	DIR *d = opendir(list->dir_paths[dir]);
	struct dirent *e;
	size_t start = list->count;
	struct input_id none = { 0, 0 };

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
		if (push_entry(list, dir, type, e->d_name, none, 0) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	/* One directory's names sort as its paths do.  (qsort(NULL, 0) is
	 * undefined: found by fuzz_inputs.) */
	if (list->count > start)
		qsort(list->entries + start, list->count - start, sizeof(*list->entries), cmp_str);
	return 0;
}

static int expand_dir(struct input_list *list, uint32_t dir,
	const char *const *extensions, int *errors, int depth);

/* Walks the subdirectory at path (an entry at i of its parent's walk)
 * in place of that entry: the entries after it wait aside meanwhile.
 * *w and *end move past what it held. */
static int expand_subdir(struct input_list *list, const char *path, size_t i, size_t *w,
	size_t *end, const char *const *extensions, int *errors, int depth)
{
	size_t rest = *end - i - 1;
	long long sub = dir_add(list, path);
	char **tail;
	int rc;

	if (sub < 0)
		return -1;
	tail = malloc((rest ? rest : 1) * sizeof(*tail));
	if (!tail)
		return -1;
	memcpy(tail, list->entries + i + 1, rest * sizeof(*tail));
	list->count = *w;
	rc = expand_dir(list, (uint32_t)sub, extensions, errors, depth + 1);
	if (rc == 0 && entries_reserve(list, list->count + rest) < 0)
		rc = -1;
	if (rc == 0) {
		*w = list->count;
		memcpy(list->entries + *w, tail, rest * sizeof(*tail));
		*end = list->count = *w + rest;
	}
	free(tail);
	return rc;
}

/* Walks directory dir (already marked visited) depth first, entries
 * sorted: its entries are read onto the end of the list, then kept
 * (documents), or dropped, or replaced by what a subdirectory holds. */
static int expand_dir(struct input_list *list, uint32_t dir,
	const char *const *extensions, int *errors, int depth)
{
	size_t start = list->count, end, i, w;
	struct strbuf buf = STRBUF_INIT;
	int rc = read_dir(list, dir, extensions);

	if (rc == -2) {
		cmd_error("cannot open directory '%s': %s", list->dir_paths[dir], strerror(errno));
		(*errors)++;
		return 0;
	}
	if (rc < 0)
		return -1;
	end = list->count;
	for (i = w = start; i < end; i++) {
		char *entry = list->entries[i];
		const char *path = join_path(&buf, list->dir_paths[dir], entry);
		struct stat st;
		int first;

		if (!path)
			goto oom;
		if (stat(path, &st) != 0)
			continue;  /* a dangling link */
		if (S_ISDIR(st.st_mode)) {
			first = dir_first_visit(list, id_of(&st));
			if (first < 0)
				goto oom;
			if (!first)
				continue;  /* a link to a directory already walked */
			if (depth >= 64) {
				cmd_error("'%s': directories nested over 64 deep", path);
				(*errors)++;
				continue;
			}
			if (expand_subdir(list, path, i, &w, &end, extensions, errors, depth) < 0)
				goto oom;
			i = w - 1;
		} else if (S_ISREG(st.st_mode) && has_extension(entry, extensions) &&
			   !id_in(&list->files, id_of(&st))) {
			/* A plain file of a directory walked once is met once;
			 * a link (or another hard link) may lead to a file met
			 * before or after: that file is remembered, and a link
			 * to a file its own directory's walk takes is left to
			 * that walk. */
			int link = is_link(entry, path);
			if (link && in_walked_dir(list, path))
				continue;
			if ((link || st.st_nlink > 1) && id_add(&list->files, id_of(&st)) < 0)
				goto oom;
			list->entries[w++] = entry;
		}
	}
	list->count = w;
	strbuf_release(&buf);
	return 0;
oom:
	strbuf_release(&buf);
	return -1;
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
			long long dir = first > 0 ? dir_add(list, a) : 0;
			if (first < 0 || dir < 0 ||
			    (first && expand_dir(list, (uint32_t)dir, extensions, errors, 0) < 0))
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
		} else if (push_entry(list, NO_DIR, '-', a, id_of(&st), 1) < 0) {
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
	if (list->entries)
		munmap(list->entries, list->cap * sizeof(*list->entries));
	free(list->dir_paths);
	free(list->files.slots);
	free(list->dirs.slots);
	memset(list, 0, sizeof(*list));
}
