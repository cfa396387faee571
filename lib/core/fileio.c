/*
 * Safe file I/O: bounded reads and atomic writes.  Inputs are only ever
 * opened for reading; outputs go to a temporary file in the same directory
 * that is renamed over the target, so a reader never sees half a file.
 */
#define _GNU_SOURCE     /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

int zib_read_file(char **out, size_t *len, const char *path, size_t max_size,
	zib_error *err)
{
	int fd, is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	size_t cap = 65536, n = 0;
	char *data = NULL;
	struct stat st;

	*out = NULL;
	if (len)
		*len = 0;
	/* O_NONBLOCK: opening a FIFO with no writer must not hang (refused below). */
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return error_set(err, ZIB_EIO, "cannot open '%s': %s", name, strerror(errno));
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			return error_set(err, ZIB_EIO, "cannot read '%s': is a directory", name);
		}
		if (!is_stdin && !S_ISREG(st.st_mode)) {
			/* A FIFO or device may block forever or never end. */
			close(fd);
			return error_set(err, ZIB_EIO,
				"cannot read '%s': not a regular file (give a pipe as - on standard input)", name);
		}
		if (!is_stdin)
			fcntl(fd, F_SETFL, 0);
		if (S_ISREG(st.st_mode)) {
			if ((size_t)st.st_size > max_size) {
				close(fd);
				return error_set(err, ZIB_ETOOBIG, "'%s' is %lld bytes, over the limit of %zu",
					name, (long long)st.st_size, max_size);
			}
			/* The size, the byte that finds the end, the NUL: no
			 * doubling of the buffer at the last read. */
			cap = (size_t)st.st_size + 2;
		}
	}
	for (;;) {
		ssize_t got;

		if (!data || n + 1 >= cap) {
			char *p;

			if (data)
				cap *= 2;
			p = realloc(data, cap);
			if (!p) {
				free(data);
				if (!is_stdin)
					close(fd);
				return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
			}
			data = p;
		}
		got = read(fd, data + n, cap - n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(data);
			if (!is_stdin)
				close(fd);
			return error_set(err, ZIB_EIO, "cannot read '%s': %s", name, strerror(errno));
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max_size) {
			free(data);
			if (!is_stdin)
				close(fd);
			return error_set(err, ZIB_ETOOBIG, "'%s' is over the size limit of %zu bytes",
				name, max_size);
		}
	}
	if (!is_stdin)
		close(fd);
	data[n] = '\0';
	*out = data;
	if (len)
		*len = n;
	return ZIB_OK;
}

/*
 * The temporary files being written, for zib_remove_temp_files() to
 * unlink from a signal handler: slots taken and freed with atomics (no
 * lock a handler could deadlock on).  More writers than slots only lose
 * the clean-up, never a write.
 */
#define TEMP_SLOTS 512
static _Atomic(char *) temp_slots[TEMP_SLOTS];

static int temp_register(char *tmp)
{
	int i;

	for (i = 0; i < TEMP_SLOTS; i++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&temp_slots[i], &expected, tmp))
			return i;
	}
	return -1;
}

static void temp_unregister(int slot)
{
	if (slot >= 0)
		atomic_store(&temp_slots[slot], NULL);
}

void zib_remove_temp_files(void)
{
	int i;

	for (i = 0; i < TEMP_SLOTS; i++) {
		char *p = atomic_load(&temp_slots[i]);
		if (p)
			unlink(p);  /* async-signal-safe */
	}
}

/* Moves tmp to path without replacing a file there: one change to the
 * directory (renameat2 RENAME_NOREPLACE) where the system has it, else
 * link then unlink.  -j workers writing into one directory queue for
 * each change to it. */
static int rename_noreplace(const char *tmp, const char *path)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Puts the finished temporary file tmp at path: rename with force, else
 * without replacing a file that appeared meanwhile; tmp is gone after. */
static int place_file(const char *tmp, const char *path, int force, zib_error *err)
{
	if (force ? rename(tmp, path) != 0 : rename_noreplace(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		if (saved == EEXIST)
			return error_set(err, ZIB_EEXIST, "'%s' exists (use --force to overwrite)", path);
		return error_set(err, ZIB_EIO, "cannot write '%s': %s", path, strerror(saved));
	}
	return ZIB_OK;
}

/* A temporary file beside path, opened for writing (mode 0644) as *fd,
 * *tmp its name (freed by the caller after temp_unregister(*slot)).
 * early: without force, refuse an existing path now, before the caller
 * writes (a stream); else place_file refuses it at the end.  Looking a
 * new name up waits for the other -j workers' changes to the directory,
 * so a file written in one go skips it. */
static int open_beside(const char *path, int force, int early, char **tmp, int *fd, int *slot,
	zib_error *err)
{
	size_t plen = strlen(path);
	struct stat st;
	int rc;

	*tmp = NULL;
	*fd = -1;
	*slot = -1;
	if (!force && early && lstat(path, &st) == 0)
		return error_set(err, ZIB_EEXIST, "'%s' exists (use --force to overwrite)", path);
	*tmp = malloc(plen + 16);
	if (!*tmp)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	snprintf(*tmp, plen + 16, "%s.tmp-XXXXXX", path);
	*slot = temp_register(*tmp);
	*fd = mkstemp(*tmp);
	if (*fd < 0) {
		rc = error_set(err, ZIB_EIO, "cannot create '%s': %s", *tmp, strerror(errno));
		temp_unregister(*slot);
		*slot = -1;
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	if (fchmod(*fd, 0644) != 0) {
		rc = error_set(err, ZIB_EIO, "cannot write '%s': %s", path, strerror(errno));
		close(*fd);
		*fd = -1;
		unlink(*tmp);
		temp_unregister(*slot);
		*slot = -1;
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	return ZIB_OK;
}

int zib_write_file_atomic(const char *path, const void *data, size_t len,
	int force, zib_error *err)
{
	int slot;
	char *tmp;
	int fd, rc;
	const char *p = data;

	rc = open_beside(path, force, 0, &tmp, &fd, &slot, err);
	if (rc < 0)
		return rc;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	rc = place_file(tmp, path, force, err);
	temp_unregister(slot);
	free(tmp);
	return rc;
fail:
	error_set(err, ZIB_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	temp_unregister(slot);
	free(tmp);
	return ZIB_EIO;
}

struct zib_atomic_file {
	FILE *stream;
	char *tmp;
	char *path;
	int force;
	int slot;  /* in temp_slots, for zib_remove_temp_files */
};

int zib_atomic_open(zib_atomic_file **out, const char *path, int force, zib_error *err)
{
	zib_atomic_file *f = calloc(1, sizeof(*f));
	int fd, rc;

	*out = NULL;
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	rc = open_beside(path, force, 1, &f->tmp, &fd, &f->slot, err);
	if (rc < 0) {
		free(f->path);
		free(f);
		return rc;
	}
	f->stream = fdopen(fd, "w");
	if (!f->stream) {
		close(fd);
		zib_atomic_abort(f);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	f->force = force;
	*out = f;
	return ZIB_OK;
}

FILE *zib_atomic_stream(zib_atomic_file *f)
{
	return f->stream;
}

int zib_atomic_commit(zib_atomic_file *f, zib_error *err)
{
	int failed = ferror(f->stream) != 0, rc;

	failed |= fclose(f->stream) != 0;
	f->stream = NULL;
	if (failed) {
		rc = error_set(err, ZIB_EIO, "cannot write '%s': %s", f->path, strerror(errno));
		zib_atomic_abort(f);
		return rc;
	}
	rc = place_file(f->tmp, f->path, f->force, err);
	temp_unregister(f->slot);
	free(f->tmp);
	free(f->path);
	free(f);
	return rc;
}

void zib_atomic_abort(zib_atomic_file *f)
{
	if (!f)
		return;
	if (f->stream)
		fclose(f->stream);
	if (f->tmp) {
		unlink(f->tmp);
		temp_unregister(f->slot);
	}
	free(f->tmp);
	free(f->path);
	free(f);
}
