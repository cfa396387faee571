/*
 * What the fuzz targets share: the models loaded once, a private scratch
 * directory, and writing the input to a file for APIs that read paths.
 */
#ifndef ZIB_FUZZ_UTIL_H
#define ZIB_FUZZ_UTIL_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline const zib_ctx *fuzz_ctx(void)
{
	static zib_ctx *ctx;
	zib_error err;

	if (!ctx && zib_ctx_new(&ctx, NULL, &err) != ZIB_OK)
		abort();
	return ctx;
}

/* rm -rf without a shell (a fork and exec per run cost more than the
 * run); links are removed, not followed. */
static inline int fuzz_rmtree(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char sub[1024];
	int rc = 0;

	if (lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub))
			rc = -1;
		else
			rc |= fuzz_rmtree(sub);
	}
	closedir(d);
	return rc | rmdir(path);
}

static inline void fuzz_dir_remove(void);

/* A directory of this process's own, made once: in /dev/shm when there
 * is one, since targets that read paths write every input there. */
static inline const char *fuzz_dir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/zibfuzz-XXXXXX",
			access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(dir))
			abort();
		atexit(fuzz_dir_remove);
	}
	return dir;
}

static inline void fuzz_dir_remove(void)
{
	fuzz_rmtree(fuzz_dir());
}

/* Writes data to DIR/name and returns the path (static storage). */
static inline const char *fuzz_file(const char *name, const void *data, size_t size)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}

/* The input as a NUL-terminated string (free() it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
