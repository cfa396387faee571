/*
 * cmd.h: what the subcommands of `zib` share.
 *
 * Adding a command `zib foo`:
 *   1. cmd/foo.c with `int cmd_foo(int argc, char **argv)`: argv[0] is "foo";
 *      it returns a ZIB_EXIT_* code and cleans up at one `done:` label.
 *   2. Its prototype below and a row in commands[] in cmd/main.c.
 *   3. man/zib-foo.1 (SYNOPSIS equal to the usage text) and a line in zib.1.
 *   4. Golden tests in testdata/foo/ and a CHANGELOG.md entry.
 * The Makefile picks up every cmd/ source file by itself.
 */
#ifndef ZIB_CMD_H
#define ZIB_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "zib.h"
#include "strbuf.h"

/* Exit status of every subcommand (DESIGN.md). */
#define ZIB_EXIT_OK 0        /* valid / no differences */
#define ZIB_EXIT_FINDINGS 1  /* findings, invalid or malformed input, differences */
#define ZIB_EXIT_USAGE 2     /* usage error, or an input that cannot be opened or read */
#define ZIB_EXIT_INTERNAL 3  /* internal error (a bug, out of memory) */

/* Options every command accepts, before or after the command name. */
struct global_opts {
	const char *models_dir;  /* --models DIR */
	const char *format;      /* --format NAME; NULL means the command's default */
	int quiet;               /* -q */
	int verbose;             /* -v, repeatable */
	int color;               /* resolved --color: 1 or 0 for stdout */
	int color_err;           /* the same for stderr */
	const char *color_mode;  /* auto, always, never */
};

extern struct global_opts g_opts;

/*
 * The long options of struct global_opts, to put at the end of a command's
 * option table, and their short letters ("qv") for its optstring.  A
 * command's getopt loop passes unknown cases to global_opt().
 */
#define GLOBAL_SHORTOPTS "qv"
enum { OPT_MODELS = 0x1000, OPT_FORMAT, OPT_COLOR, OPT_HELP, OPT_FIRST_COMMAND_OPT };
#define GLOBAL_LONGOPTS \
	{ "models", required_argument, NULL, OPT_MODELS }, \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "color", required_argument, NULL, OPT_COLOR }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, OPT_HELP }

/* Handles a global option; 1 when it was one, 0 when not, -1 on a bad value. */
int global_opt(int c, const char *arg);
/* Resolves --color against the terminals; call once options are parsed. */
void global_opts_finish(void);

/*
 * "Did you mean" (cmd/suggest.c).  getopt_long is wrapped so that the
 * option table of the running command is known when an option is refused
 * (cmd_bad_option suggests the closest long option); commands call
 * getopt_long as usual.
 */
int cmd_getopt_long(int argc, char *const argv[], const char *optstring,
	const struct option *longopts, int *longindex);
#define getopt_long(argc, argv, optstring, longopts, longindex) \
	cmd_getopt_long(argc, argv, optstring, longopts, longindex)
/* The candidate closest to word, or NULL when none is close enough. */
const char *cmd_suggest(const char *word, const char *const *candidates, size_t n);
/* The long option (without "--") closest to arg ("--fromat"), or NULL. */
const char *cmd_suggest_option(const char *arg);

/* Starts getopt afresh for a command (glibc needs optind = 0). */
void cmd_getopt_reset(void);

/* Loads the models (--models, ZIB_MODELS or built-in); prints why not. */
int cmd_load_models(zib_ctx **ctx);

/* "zib: message" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the option getopt_long just refused (opterr is off). */
void cmd_bad_option(char **argv);
/* Prints the usage of a command: to stdout when code is 0, else stderr. */
int cmd_usage(const char *usage, int code);
/* The options all subcommands share, for the default of their switch:
 * --help, a refused option, the global options.  CMD_OPT_NEXT when c was
 * one and parsing goes on, else the exit status to return. */
#define CMD_OPT_NEXT (-1)
int cmd_shared_opt(int c, const char *arg, char **argv, const char *usage);
/* Parses a whole non-negative number; -1 when s is not one. */
long cmd_parse_count(const char *s);
/* Parses a size for --max-size, the same everywhere: bytes, or with a
 * binary unit K, M or G (256M, 1G, 512K; "MB", "MiB" read the same);
 * -1 when s is not a positive size. */
long long cmd_parse_size(const char *s);
/* Flushes stdout and reports a failed write (a full disk, a closed pipe). */
int cmd_finish_output(int code);

/* ---- The inputs of a command (cmd/inputs.c) ----------------------------- */

/*
 * The inputs of a command: files, directories (searched recursively for
 * files with one of the given extensions), "-" for stdin and @LIST files
 * (one path per line).  Expanded in the order given, directories sorted.
 * A walk reads a directory or a file once however many links lead to it,
 * and no output may replace an input (inputs_holds).
 *
 * The list costs about the length of its file names: a walked directory's
 * path is kept once (inputs_path joins it to a name), records are kept
 * end to end in blocks, and the device+inode set holds only the files a
 * walk cannot meet twice by itself (named directly, reached through a
 * symbolic link, or with several hard links); a plain file of a walked
 * directory is recognised by its directory (inputs_holds).
 */
struct input_id {
	unsigned long long dev, ino;  /* 0, 0: not a file (stdin, or stat failed) */
};

/* A hash set of device and inode pairs (a walk of 100,000 files stays
 * linear). */
struct id_set {
	struct input_id *slots;   /* 0, 0: free */
	size_t cap, count;
};

struct path_block;

struct input_list {
	char **entries;             /* private: read through inputs_path */
	size_t count;
	size_t cap;
	char **dir_paths;           /* the directories walked, by index */
	size_t ndirs, dirs_cap;
	struct path_block *blocks;  /* the records' bytes */
	struct id_set files;        /* see above */
	struct id_set dirs;         /* directories walked */
	const char *const *extensions;  /* what the walks took from a directory */
};

/* What every command reads from a directory: CDA, FHIR and ADA documents
 * as XML, JSON or NDJSON. */
extern const char *const cmd_document_extensions[];

/* Expands args into list; extensions like ".xml .json" pick directory
 * entries.  Unreadable arguments, FIFOs and devices (other than "-") and a
 * directory or @LIST holding no documents are reported and counted in
 * *errors (exit 2): nothing a command is given is silently skipped. */
int inputs_expand(struct input_list *list, char **args, int nargs,
	const char *const *extensions, int *errors);
/* The inputs of a command: with as_sets each argument is one job that
 * reads its own files as one set (pushed as it is), else args expand to
 * documents (inputs_expand with the document extensions).  -1 out of
 * memory (said). */
int inputs_gather(struct input_list *list, char **args, int nargs, int as_sets, int *errors);
void inputs_release(struct input_list *list);
/* Appends one path as it is (no expansion). */
int inputs_push(struct input_list *list, const char *path);
/* 1 when path names an existing file that is one of the inputs (the same
 * device and inode, whatever the path), else 0. */
int inputs_holds(const struct input_list *list, const char *path);
/* The path of input i: the text kept, or put together in buf (its last
 * contents are lost); NULL out of memory.  Valid until list or buf
 * changes. */
const char *inputs_path(const struct input_list *list, size_t i, struct strbuf *buf);
/* 1 when input i is "-" (standard input). */
int inputs_is_stdin(const struct input_list *list, size_t i);
/* Every input's path, NULL-terminated, in one allocation the caller
 * free()s: for a command that reads its inputs as one set.  NULL out of
 * memory. */
char **inputs_path_array(const struct input_list *list);
/* 2 when list is empty (saying so unless errors were already reported),
 * else 0: a run over no documents is not a success. */
int inputs_require(const struct input_list *list, int errors);

/* ---- Standard input as a stream of records (cmd/stream.c) ------------- */

/*
 * "-" is a stream of records when the first non-blank line of stdin is one
 * JSON object (NDJSON): each non-blank line is then a document of its own,
 * named "<stdin>#Type/id" from its own resourceType and id (never by a
 * line number, which would count from wherever an engine cut the stream);
 * otherwise all of stdin is one document named "-".  Records are read one
 * at a time: memory does not grow with the stream.
 */
enum { STREAM_RECORDS = 1, STREAM_WHOLE = 2 };

struct stream_record {
	char *data;       /* NUL-terminated, len bytes; NULL when too_big */
	size_t len;
	char *name;       /* "<stdin>#Type/id", "<stdin>", or "-" for all of stdin */
	int too_big;      /* over max_size: reported, not read */
};

struct record_stream {
	FILE *in;
	size_t max_size;
	int mode;         /* 0 until the first read, then STREAM_* */
	int done;
	int error;        /* a read error or out of memory ended the stream */
	size_t records;   /* read so far */
	struct stream_record pending;  /* read by record_stream_start */
	int has_pending;
	struct strbuf held;            /* a line read ahead to decide the mode */
	size_t held_len;
	int has_held;
};

void record_stream_init(struct record_stream *rs, FILE *in, size_t max_size);
/* The next record: 1, 0 at the end, -1 on a read error or out of memory. */
int record_stream_next(struct record_stream *rs, struct stream_record *rec);
/* Reads the first record ahead, so that mode is known (next returns it
 * first): 1, 0 for an empty stream, -1 as for next. */
int record_stream_start(struct record_stream *rs);
/* Frees a record read ahead and never taken. */
void record_stream_release(struct record_stream *rs);
/* 1 when every input is "-" (given once or more: stdin is read once), 0
 * when none is, -1 (said) when "-" is mixed with files. */
int inputs_are_stdin(const struct input_list *list);

/* ---- Batches of jobs, one per input (cmd/batch.c) ---------------------- */

/*
 * One job of a batch: the worker fills out and err (text for stdout and
 * stderr, printed in input order) and an exit code.  A job of a record
 * stream has its record in data (the job function may take it, setting
 * data to NULL) and its name in path; data is NULL and too_big set for a
 * record over the size limit.
 */
struct batch_job {
	const char *path;
	size_t index;
	char *data;
	size_t data_len;
	int too_big;
	int from_stream;
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
	int exit_code;
	int done;
	void *keep;       /* what the job leaves for an emit function */
};

typedef void (*batch_fn)(struct batch_job *job, void *data);
/* Called in input order, one job at a time, before the job's out is
 * written: renders what a job kept (job->keep) and releases it. */
typedef void (*batch_emit_fn)(struct batch_job *job, FILE *out, void *data);

/*
 * Runs fn over every input with up to jobs threads (0: one per core),
 * printing each job's output in input order as soon as it and those
 * before it are done; a job runs only a few ahead of the oldest not yet
 * printed, so memory does not grow with the number of inputs.  A progress
 * line goes to stderr on a terminal unless quiet.  Returns the worst exit
 * code; *codes_out (optional) receives each input's exit code, freed with
 * free().  batch_run_to writes the outputs to out instead of stdout and
 * calls emit (optional) for each job.
 */
int batch_run(const struct input_list *inputs, int jobs, batch_fn fn, void *data,
	unsigned char **codes_out);
int batch_run_to(const struct input_list *inputs, int jobs, batch_fn fn, void *data, FILE *out,
	batch_emit_fn emit, unsigned char **codes_out);
/* The same over the records of a stream: *count and *ok (optional)
 * receive the number of records and of those that exited 0. */
int batch_run_stream(struct record_stream *rs, int jobs, batch_fn fn, void *data, FILE *out,
	batch_emit_fn emit, size_t *count, size_t *ok);
/* Number of cores available. */
int batch_default_jobs(void);

/* ---- Per-code counts at the end of a batch (cmd/tally.c) --------------- */

struct tally_row {
	char *code;
	zib_severity severity;
	size_t count, suppressed;
};

struct code_tally {
	struct tally_row *rows;
	size_t count, cap;
};

/* Counts the findings of r at or above min (as suppressed ones when
 * suppressed is set). */
void tally_add(struct code_tally *t, const zib_report *r, zib_severity min, int suppressed);
/* "findings per code:" and a row per code, most frequent first. */
void tally_print(FILE *out, struct code_tally *t);
void tally_release(struct code_tally *t);

/* zib diff --format html (cmd/diff_html.c): the page for a diff of A and B. */
void diff_write_html(FILE *out, const zib_diff *d, const char *a_name, const char *b_name);

/* ---- Outputs (cmd/output.c) ------------------------------------------- */

/* 1 when -o names standard output ("-"). */
int cmd_out_is_stdout(const char *out);
/* Makes -o DIR (and missing parents) unless it exists; reports and returns
 * 2 when it cannot, or when it exists and is not a directory. */
int cmd_make_out_dir(const char *dir);
/* ZIB_EEXIST, with err filled, when path is one of inputs: an output never
 * replaces an input, whatever --force says. */
int cmd_refuse_input(const struct input_list *inputs, const char *path, zib_error *err);
/* cmd_refuse_input, then zib_write_file_atomic. */
int cmd_write_output(const struct input_list *inputs, const char *path, const void *data,
	size_t len, int force, zib_error *err);
/* SIGINT, SIGTERM, SIGHUP unlink the temporary files being written. */
void cmd_clean_up_on_signals(void);

/* ---- Commands ------------------------------------------------------------ */

int cmd_convert(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_fhirpath(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_schematron(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
