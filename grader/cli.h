/*
 * cli.h - what the command layer's files (main.c, cmd_*.c) share: the option
 * and command tables' row types, argument parsing against them, help, the
 * man page's command section, shell completion, and the output choices
 * every command honours (-q / -v, colour).
 *
 * Design (git's): main.c holds one table of commands and one table of
 * options. Each option is written once (spelling, letter, argument, help,
 * what completes its argument); a command names the options it takes. From
 * these two tables come getopt's arrays, `grader help CMD` / `CMD --help`,
 * the man page's COMMANDS section (`grader help --man`), and the bash
 * completion's candidates (`grader __complete`). Adding a command with its
 * options is one command row plus a row per new option.
 *
 * Only the command layer includes this header: modules never print.
 * Nothing here allocates anything the caller must free.
 */
#ifndef GRADER_CLI_H
#define GRADER_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "exitcode.h"

/* Option ids: above any short-option letter. */
enum cli_opt_id {
	OPT_CHALLENGE = 256, OPT_REF, OPT_DB, OPT_NO_DB, OPT_FORMAT, OPT_OUT, OPT_PYTHON,
	OPT_BOOT_TO, OPT_REQ_TO, OPT_RUN_TO, OPT_ENV_TO, OPT_FETCH_TO, OPT_KEEP, OPT_NONCE,
	OPT_PROFILE, OPT_UNSAFE, OPT_DAYS, OPT_JOBS_CHECKS,
	/* the clone's caps and credentials (fetch.h) */
	OPT_MAX_BYTES, OPT_MAX_FILES, OPT_MAX_DEPTH, OPT_CREDENTIALS, OPT_WORKTREE,
	/* the formats commands (cmd_formats.c) and grade */
	OPT_SHOW_HIDDEN, OPT_DUE, OPT_REPORT, OPT_LABEL, OPT_RUN_ID,
	/* the class commands (cmd_store.c, cmd_batch.c, cmd_report.c) */
	OPT_CHECKS, OPT_INTO, OPT_JOBS, OPT_DEADLINE, OPT_LATE_POLICY, OPT_REPO_TEMPLATE,
	OPT_REGRADE, OPT_SHARD, OPT_HTML,
	/* the grading service (cmd_serve.c) */
	OPT_LISTEN, OPT_CONFIG, OPT_STUDENT,
	/* common to every command (parsed by cli_next itself) */
	OPT_HELP, OPT_QUIET, OPT_VERBOSE, OPT_COLOR,
};

/* One option, in one place. */
struct cli_option {
	int id;
	const char *name;       /* long name, without "--" */
	char letter;            /* short option letter; 0: none */
	const char *arg;        /* the argument's name in help ("FILE"); NULL: a flag */
	bool arg_optional;      /* --name[=ARG] (only as --name=ARG) */
	bool hidden;            /* for tests only: not in help, man page or completion */
	const char *help;       /* one sentence, lower case, no full stop */
	/* What completes the argument: NULL: file names; "@dirs": folder names;
	 * "@challenges": the bundled challenges (and folders); "@none": nothing;
	 * else a space-separated list of words. */
	const char *complete;
};

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);   /* argv[0] is the command's name */
	const char *operands;   /* after the options in the synopsis, e.g. "SOURCE" */
	const char *summary;    /* one line for `grader help` */
	const char *description;/* a paragraph for `grader help CMD` and the man page; may be NULL */
	const int *opts;        /* ids of the options it takes, 0-terminated; NULL: none */
	const char *complete;   /* what completes its operands (as cli_option.complete) */
};

/* The grader's data folder: $GRADER_DATADIR, else the one built in. */
const char *cli_datadir(void);

/* Commands implemented in their own files (cmd_NAME.c). */
int cmd_check(int argc, char **argv);

/* Where one command means something of its own by a shared option: the
 * help (and what completes its argument; NULL: the option's) it shows
 * there. One row per (command, option). */
struct cli_option_note {
	const char *command;
	int id;
	const char *help;
	const char *complete;
};

/* Register the tables (main.c, once, before anything below). */
void cli_init(const struct cli_command *cmds, size_t ncmds, const struct cli_option *opts, size_t nopts,
	      const struct cli_option_note *notes, size_t nnotes);

const struct cli_command *cli_command_find(const char *name);

/*
 * Parse a command's options, getopt style:
 *
 *	struct cli_parse p;
 *	cli_parse_begin(&p, argc, argv);
 *	while ((opt = cli_next(&p)) > 0)
 *		switch (opt) { case OPT_OUT: out = p.arg; break; ... }
 *	if (opt < 0)
 *		return p.status;
 *	operands: argv[p.ind] .. argv[argc - 1]
 *
 * cli_next returns an option id (p.arg its argument, p.name how it was
 * spelt), 0 at the end of the options, or -1 when the command must stop with
 * p.status: 0 after printing --help, EXIT_USAGE after printing what was
 * wrong (the unknown option, the missing argument). -h/--help, -q, -v and
 * --color are handled here for every command.
 */
struct cli_parse {
	int argc;
	char **argv;
	const struct cli_command *cmd;
	const char *arg;
	const char *name;
	int ind;
	int status;
};

void cli_parse_begin(struct cli_parse *p, int argc, char **argv);
int cli_next(struct cli_parse *p);

/* "grader CMD: <message>" and "Try 'grader CMD --help'." on stderr; returns
 * EXIT_USAGE. The message should name the offending option, value or path. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A note for the user on stderr ("grader: ..."), unless -q. */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Refuse early (before any cloning or grading) a file the command will
 * write to but could not: `path` must be a file whose folder exists and is
 * writable, or an existing file that opens for writing (it is neither
 * created nor truncated here). 0, or EXIT_USAGE after a message naming the
 * option (`opt`, e.g. "--out") and the path.
 */
int cli_check_writable(const char *cmd, const char *opt, const char *path);

/* Output choices: -q gives -1, each -v adds 1. */
int cli_verbosity(void);
/* Parse the global options before the command (grader -q CMD ...): returns
 * the index of the command word, or -1 with *status set. */
int cli_global_options(int argc, char **argv, int *status);

/* Colour for `f`: never with NO_COLOR set and non-empty unless
 * --color=always, otherwise only on a terminal (TERM not "dumb"). */
bool cli_colour(FILE *f);

/* Style a text report for where it goes: colour only for a person at a
 * terminal (never into out_path), only the checks that did not pass with -q.
 * Every command that prints a report calls this. */
struct format_opts;
void cli_style_report(struct format_opts *o, const char *out_path);

/* Help: all commands (cmd NULL) or one command, to `f`. */
void cli_help(FILE *f, const struct cli_command *cmd);
/* The man page's COMMANDS section in troff (man macros). */
void cli_man_commands(FILE *f);
/*
 * Completion candidates, one per line, for the word at index `cword` of
 * `words` (words[0] is "grader"). A line "@files" or "@dirs" asks the shell
 * to complete file or folder names itself. `datadir` lists the challenges.
 */
void cli_complete(FILE *f, int cword, int nwords, char **words, const char *datadir);

#endif
