/*
 * zib: the command line of libzib.  main() handles only what comes before
 * the command name (global options, --help, --version) and dispatches
 * through commands[]; each command parses the rest itself.
 */
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>   /* mallopt */
#endif
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Keep sorted by name; `zib --help` lists them in this order. */
static const struct command commands[] = {
	{ "convert", cmd_convert, "convert FHIR between XML, JSON, NDJSON; BgZ data to FHIR R4 or CDA" },
	{ "diff", cmd_diff, "compare the zib content of two documents or directories" },
	{ "extract", cmd_extract, "write selected zib instances as CSV or a table; BgZ summary" },
	{ "fhirpath", cmd_fhirpath, "evaluate a FHIRPath expression on FHIR resources" },
	{ "help", cmd_help, "show help for zib or a command" },
	{ "models", cmd_models, "list the BgZ zibs, or show one zib's concepts" },
	{ "schematron", cmd_schematron, "validate documents against an ISO Schematron rule set" },
	{ "validate", cmd_validate, "check BgZ documents (CDA, FHIR, ADA) against the zibs and rules" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char usage_text[] =
	"usage: zib [--models DIR] [--format FORMAT] [-q] [-v] [--color WHEN] COMMAND [ARGS]\n"
	"       zib --help | --version\n";

static const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* "'x' is not a zib command", with the closest command when there is one. */
static void not_a_command(const char *name)
{
	const char *names[NCOMMANDS];
	const char *hint;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	hint = cmd_suggest(name, names, NCOMMANDS);
	if (hint)
		cmd_error("'%s' is not a zib command; did you mean '%s'?", name, hint);
	else
		cmd_error("'%s' is not a zib command; see 'zib --help'", name);
}

static int main_usage(int code)
{
	FILE *out = code ? stderr : stdout;
	size_t i;

	fputs(usage_text, out);
	if (code)
		return code;
	fputs("\nzibkit reads HL7 CDA and FHIR documents of the Dutch BgZ into zibs and\n"
	      "validates, converts, compares and extracts them.\n\ncommands:\n", out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nglobal options:\n"
	      "   --models DIR    load the zib models from DIR (default: built in, or $ZIB_MODELS)\n"
	      "   --format NAME   output format (each command lists its formats)\n"
	      "   -q, --quiet     print less: no summary, no progress\n"
	      "   -v, --verbose   print more\n"
	      "   --color WHEN    auto, always or never\n"
	      "\n'zib help COMMAND' shows a command's options; 'man zib-COMMAND' explains them.\n", out);
	return 0;
}

static int print_version(void)
{
	zib_ctx *ctx = NULL;
	int rc;

	printf("zib %s (libzib %s)\n", zib_version(), zib_version());
	rc = cmd_load_models(&ctx);
	if (rc != ZIB_EXIT_OK)
		return rc;
	printf("models %s (%s, %zu zibs)\n", zib_ctx_models_version(ctx),
		zib_ctx_models_source(ctx), zib_model_count(ctx));
	zib_ctx_free(ctx);
	return ZIB_EXIT_OK;
}

/* zib help codes: every finding code with its severity, for scripts that
 * filter findings and for people reading one. */
static int help_codes(void)
{
	static const char *const sev[] = { "info", "warning", "error" };
	size_t i;

	for (i = 0; i < zib_code_count(); i++) {
		const char *code, *desc;
		zib_severity s;
		zib_code_at(i, &code, &s, &desc);
		printf("%-14s %-8s %s\n", code, (unsigned)s < 3 ? sev[s] : "?", desc);
	}
	return ZIB_EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
	const struct command *cmd;
	char *args[3];

	if (argc < 2)
		return main_usage(0);
	if (argc > 2) {
		cmd_error("help takes one command name");
		return ZIB_EXIT_USAGE;
	}
	if (strcmp(argv[1], "codes") == 0)
		return help_codes();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs("usage: zib help [COMMAND | codes]\n\n"
		      "   COMMAND   show the options of a zib command (as 'zib COMMAND --help')\n"
		      "   codes     list every finding code with its severity and description\n", stdout);
		return ZIB_EXIT_OK;
	}
	cmd = command_find(argv[1]);
	if (!cmd) {
		not_a_command(argv[1]);
		return ZIB_EXIT_USAGE;
	}
	if (cmd->fn == cmd_help)
		return main_usage(0);
	args[0] = (char *)cmd->name;
	args[1] = "--help";
	args[2] = NULL;
	cmd_getopt_reset();
	return cmd->fn(2, args);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const struct command *cmd;
	int c, rc, first;

#ifdef __GLIBC__
	/*
	 * Worker threads allocate from glibc's per-thread arenas, which hand
	 * freed memory back with madvise() after every document; the next
	 * document faults it in again (2000+ page faults per BgZ document
	 * under Schematron, serialised on the process's memory map lock).
	 * Keeping up to 256 MiB freed memory per arena avoids that.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
	cmd_clean_up_on_signals();
	/* '+' stops at the command name; the command parses the rest. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" GLOBAL_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			global_opts_finish();
			return cmd_finish_output(print_version());
		case OPT_HELP:
			return cmd_finish_output(main_usage(0));
		case '?': {
			const char *hint = cmd_suggest_option(argv[optind - 1]);
			if (hint)
				cmd_error("unknown option '%s'; did you mean '--%s'?", argv[optind - 1], hint);
			else
				cmd_error("unknown option '%s'", argv[optind - 1]);
			return main_usage(ZIB_EXIT_USAGE);
		}
		default:
			rc = global_opt(c, optarg);
			if (rc < 0)
				return ZIB_EXIT_USAGE;
			if (rc == 0)
				return main_usage(ZIB_EXIT_USAGE);
		}
	}
	if (optind >= argc)
		return main_usage(ZIB_EXIT_USAGE);
	cmd = command_find(argv[optind]);
	if (!cmd) {
		not_a_command(argv[optind]);
		return ZIB_EXIT_USAGE;
	}
	first = optind;
	cmd_getopt_reset();
	global_opts_finish();
	rc = cmd->fn(argc - first, argv + first);
	return cmd_finish_output(rc);
}
