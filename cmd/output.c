/*
 * Outputs, the same for every command: "-o -" is standard output, "-o DIR"
 * is made when absent (with its parents), no output may replace an input
 * (not even with --force), and an interrupted write leaves no temporary
 * file behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

int cmd_out_is_stdout(const char *out)
{
	return out && strcmp(out, "-") == 0;
}

int cmd_make_out_dir(const char *dir)
{
	struct stat st;
	char *p, *s;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return ZIB_EXIT_OK;
		cmd_error("-o '%s' is not a directory", dir);
		return ZIB_EXIT_USAGE;
	}
	s = strdup(dir);
	if (!s) {
		cmd_error("out of memory");
		return ZIB_EXIT_INTERNAL;
	}
	/* Each missing parent, then the directory itself (like mkdir -p). */
	for (p = s + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(s, 0777) != 0 && errno != EEXIST) {
			cmd_error("cannot create directory '%s': %s", s, strerror(errno));
			free(s);
			return ZIB_EXIT_USAGE;
		}
		*p = c;
		if (!c)
			break;
	}
	free(s);
	return ZIB_EXIT_OK;
}

int cmd_refuse_input(const struct input_list *inputs, const char *path, zib_error *err)
{
	if (!inputs || !inputs_holds(inputs, path))
		return ZIB_OK;
	err->status = ZIB_EEXIST;
	snprintf(err->message, sizeof(err->message),
		"'%s' is one of the inputs: refusing to replace it (even with --force)", path);
	return ZIB_EEXIST;
}

int cmd_write_output(const struct input_list *inputs, const char *path, const void *data,
	size_t len, int force, zib_error *err)
{
	int rc;

	/* Without --force an existing file is never replaced, so only then
	 * is it worth asking whether it is an input: looking a new name up
	 * waits for the other -j workers' changes to the directory. */
	if (force && (rc = cmd_refuse_input(inputs, path, err)) != ZIB_OK)
		return rc;
	rc = zib_write_file_atomic(path, data, len, force, err);
	if (rc == ZIB_EEXIST)
		cmd_refuse_input(inputs, path, err);
	return rc;
}

static void on_fatal_signal(int sig)
{
	zib_remove_temp_files();
	signal(sig, SIG_DFL);
	raise(sig);
}

void cmd_clean_up_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* A signal ignored by the caller (nohup) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}
