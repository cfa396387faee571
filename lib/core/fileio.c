/*
 * Safe file I/O: bounded reads and atomic writes.  Inputs are only ever
 * opened for reading; outputs go to a temporary file in the same directory
 * that is renamed over the target, so a reader never sees half a file.
 */
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
			cap = (size_t)st.st_size + 1;
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

int zib_write_file_atomic(const char *path, const void *data, size_t len,
	int force, zib_error *err)
{
	int slot;
	char *tmp;
	size_t plen = strlen(path);
	int fd;
	const char *p = data;
	struct stat st;

	if (!force && lstat(path, &st) == 0)
		return error_set(err, ZIB_EEXIST, "'%s' exists (use --force to overwrite)", path);
	tmp = malloc(plen + 16);
	if (!tmp)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
	slot = temp_register(tmp);
	fd = mkstemp(tmp);
	if (fd < 0) {
		temp_unregister(slot);
		error_set(err, ZIB_EIO, "cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return ZIB_EIO;
	}
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
	if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	/* Without force, link() refuses to replace a file that appeared meanwhile. */
	if (force ? rename(tmp, path) != 0 : link(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		temp_unregister(slot);
		free(tmp);
		if (saved == EEXIST)
			return error_set(err, ZIB_EEXIST, "'%s' exists (use --force to overwrite)", path);
		return error_set(err, ZIB_EIO, "cannot write '%s': %s", path, strerror(saved));
	}
	if (!force)
		unlink(tmp);
	temp_unregister(slot);
	free(tmp);
	return ZIB_OK;
fail:
	error_set(err, ZIB_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	temp_unregister(slot);
	free(tmp);
	return ZIB_EIO;
}
