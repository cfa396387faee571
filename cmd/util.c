/*
 * Helpers shared by the commands: global options, messages, model loading.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

struct global_opts g_opts = { NULL, NULL, 0, 0, 0, 0, "auto" };

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("zib: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int global_opt(int c, const char *arg)
{
	switch (c) {
	case OPT_MODELS:
		g_opts.models_dir = arg;
		return 1;
	case OPT_FORMAT:
		g_opts.format = arg;
		return 1;
	case OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never")) {
			cmd_error("--color takes auto, always or never, not '%s'", arg);
			return -1;
		}
		g_opts.color_mode = arg;
		return 1;
	case 'q':
		g_opts.quiet = 1;
		return 1;
	case 'v':
		g_opts.verbose++;
		return 1;
	}
	return 0;
}

void global_opts_finish(void)
{
	const char *term = getenv("TERM");
	int usable = !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;

	if (strcmp(g_opts.color_mode, "always") == 0) {
		g_opts.color = g_opts.color_err = 1;
	} else if (strcmp(g_opts.color_mode, "never") == 0) {
		g_opts.color = g_opts.color_err = 0;
	} else {
		g_opts.color = usable && isatty(STDOUT_FILENO);
		g_opts.color_err = usable && isatty(STDERR_FILENO);
	}
}

void cmd_getopt_reset(void)
{
	optind = 0;
	opterr = 0;
}

int cmd_load_models(zib_ctx **ctx)
{
	zib_error err;
	int rc;

	zib_error_clear(&err);
	rc = zib_ctx_new(ctx, g_opts.models_dir, &err);
	if (rc == ZIB_OK)
		return ZIB_EXIT_OK;
	cmd_error("cannot load zib models: %s", err.message);
	return rc == ZIB_ENOMEM ? ZIB_EXIT_INTERNAL : ZIB_EXIT_USAGE;
}

void cmd_bad_option(char **argv)
{
	const char *hint;

	if (optopt && optopt < 0x1000) {
		cmd_error("%s: unknown option '-%c' or missing value", argv[0], optopt);
	} else if ((hint = cmd_suggest_option(argv[optind - 1])) &&
		   strncmp(argv[optind - 1] + 2, hint, strlen(hint)) != 0) {
		cmd_error("%s: unknown option '%s'; did you mean '--%s'?", argv[0], argv[optind - 1], hint);
	} else {
		cmd_error("%s: unknown option '%s' or missing value", argv[0], argv[optind - 1]);
	}
}

int cmd_usage(const char *usage, int code)
{
	fputs(usage, code ? stderr : stdout);
	return code;
}

int cmd_shared_opt(int c, const char *arg, char **argv, const char *usage)
{
	int rc;

	if (c == OPT_HELP)
		return cmd_usage(usage, ZIB_EXIT_OK);
	if (c == '?') {
		cmd_bad_option(argv);
		return cmd_usage(usage, ZIB_EXIT_USAGE);
	}
	rc = global_opt(c, arg);
	if (rc < 0)
		return ZIB_EXIT_USAGE;  /* global_opt said why */
	return rc ? CMD_OPT_NEXT : cmd_usage(usage, ZIB_EXIT_USAGE);
}

long cmd_parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 0)
		return -1;
	return n;
}

long long cmd_parse_size(const char *s)
{
	static const char units[] = "KMG";
	char *end;
	const char *u;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || n <= 0)
		return -1;
	if (*end && (u = strchr(units, *end >= 'a' ? *end - 'a' + 'A' : *end)) && *end != '\0') {
		int shift = 10 * (int)(u - units + 1);
		if (n > (1LL << (62 - shift)))
			return -1;
		n <<= shift;
		end++;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
	} else if (*end == 'B') {
		end++;
	}
	return *end ? -1 : n;
}

int cmd_finish_output(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "zib: cannot write output: %s\n", strerror(errno));
		/* An output that cannot be written is 2, like an unreadable input. */
		return code > ZIB_EXIT_USAGE ? code : ZIB_EXIT_USAGE;
	}
	return code;
}
