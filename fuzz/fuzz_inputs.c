/*
 * libFuzzer target: input expansion (cmd/inputs.c): @LIST files and
 * directory walks.  The input is a small script, one line each:
 *   d NAME         make a directory      f NAME   make an empty file
 *   l TARGET NAME  make a symbolic link  @ TEXT   a line of the @LIST
 * run in a fresh directory; then the directory and the @LIST are expanded
 * as a command would.  Every walk must end (links to . and .. included)
 * and list each file once.
 */
#include <sys/stat.h>

#include "../cmd/cmd.h"
#include "fuzz_util.h"

static void clean(const char *dir)
{
	if (access(dir, F_OK) == 0 && fuzz_rmtree(dir) != 0)
		abort();
}

/* NAME relative to root, refusing what would leave it. */
static int safe_name(const char *s)
{
	return *s && *s != '/' && !strstr(s, "..") && !strchr(s, '\'') && strlen(s) < 100;
}

/* 1 when the directory that would hold path is really inside root: a
 * link made through another link (a -> .., then a/up -> ..) would leave
 * the scratch directory, and a walk would then read the file system. */
static int holder_inside(const char *root, const char *path)
{
	char holder[512], *slash, *real_root, *real;
	int inside;

	snprintf(holder, sizeof(holder), "%s", path);
	slash = strrchr(holder, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	real_root = realpath(root, NULL);
	real = realpath(holder, NULL);
	inside = real_root && real && strncmp(real, real_root, strlen(real_root)) == 0 &&
		(real[strlen(real_root)] == '\0' || real[strlen(real_root)] == '/');
	free(real_root);
	free(real);
	return inside;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[256], path[512], list[300], *in, *line, *next;
	struct input_list inputs = { 0 };
	char *args[1], **paths;
	FILE *lf;
	int errors = 0;
	size_t i, j;

	if (size > 4096)
		return 0;
	g_opts.quiet = 1;
	snprintf(root, sizeof(root), "%s/tree", fuzz_dir());
	clean(root);
	if (mkdir(root, 0777) != 0)
		abort();
	snprintf(list, sizeof(list), "%s/list", fuzz_dir());
	lf = fopen(list, "w");
	if (!lf)
		abort();
	in = fuzz_str(data, size);
	for (line = in; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] && line[1] == ' ') {
			char *name = line + 2, *sp;
			switch (line[0]) {
			case 'd':
			case 'f':
				if (!safe_name(name))
					break;
				snprintf(path, sizeof(path), "%s/%s", root, name);
				if (line[0] == 'd') {
					mkdir(path, 0777);
				} else {
					FILE *f = fopen(path, "a");
					if (f)
						fclose(f);
				}
				break;
			case 'l':
				sp = strchr(name, ' ');
				if (!sp)
					break;
				*sp = '\0';
				/* Targets stay in the scratch directory: ".", ".." or a name below. */
				if (!safe_name(sp + 1) || (strcmp(name, ".") && strcmp(name, "..") &&
				    !safe_name(name)))
					break;
				snprintf(path, sizeof(path), "%s/%s", root, sp + 1);
				if (!holder_inside(root, path) || symlink(name, path) != 0)
					break;
				break;
			case '@':
				/* Paths inside the tree only: never walk the real file system. */
				if (safe_name(name))
					fprintf(lf, "%s/%s\n", root, name);
				break;
			}
		}
	}
	fclose(lf);
	/* A walk lists each file once, however many links lead to it. */
	args[0] = root;
	if (inputs_expand(&inputs, args, 1, cmd_document_extensions, &errors) < 0)
		abort();
	paths = inputs_path_array(&inputs);
	if (!paths)
		abort();
	for (i = 0; i < inputs.count; i++) {
		struct stat si, sj;
		if (stat(paths[i], &si) != 0)
			continue;
		for (j = i + 1; j < inputs.count; j++)
			if (stat(paths[j], &sj) == 0 && si.st_dev == sj.st_dev && si.st_ino == sj.st_ino)
				abort();
	}
	free(paths);
	inputs_release(&inputs);
	snprintf(path, sizeof(path), "@%s", list);
	args[0] = path;
	if (inputs_expand(&inputs, args, 1, cmd_document_extensions, &errors) < 0)
		abort();
	inputs_release(&inputs);
	free(in);
	return 0;
}
