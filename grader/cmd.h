/*
 * cmd.h - the command layer, split by subcommand: each cmd_*.c file holds
 * one family of subcommands, main.c holds the table that names them and the
 * helpers they share. Like main.c, these are the only places that print or
 * choose an exit status; the modules they call return -1 + err_last().
 */
#ifndef GRADER_CMD_H
#define GRADER_CMD_H

#include <stdbool.h>

#include "challenge.h"
#include "cli.h"
#include "exitcode.h"
#include "format.h"
#include "grade.h"
#include "result.h"
#include "sandbox.h"
#include "store.h"

/* What grade, prove and batch parse alike. */
struct cmd_common {
	struct grade_opts go;
	const char *profile;     /* --sandbox-profile */
	bool unsafe;             /* --unsafe-no-sandbox */
};

/* Subcommands (one row each in main.c's table). */
int cmd_show(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Helpers main.c lends the other command files. */
/* The grader's data folder ($GRADER_DATADIR or the build's). */
const char *cmd_datadir(void);
/*
 * The one report writer of grade, show, convert and badge: render r as f
 * (fo styled by cli_style_report for out_path: colour only for a person at
 * a terminal) and write it to out_path, or stdout when NULL. A regular (or
 * new) file is written beside its final name and renamed into place, so a
 * reader (a web server serving the badge, a CI step) never sees half a
 * report; anything else (a device, a FIFO, a symlink) is written in place.
 * Every write is checked: 0, or -1 + err ("cannot write the report to
 * OUT: ..."), which the caller prints and exits 1 on.
 */
int cmd_write_report(const struct grade_result *r, enum report_format f, const struct format_opts *fo,
		     const char *out_path);
/* Load a challenge by name or folder; prints why not. 0 or an exit status. */
int cmd_load_challenge(const char *name, struct challenge **c);
/* The options grade, prove and batch share (timeouts, python, sandbox). 0 or an exit status. */
int cmd_parse_common(const struct cli_parse *p, int opt, struct cmd_common *cm);
/* Choose the sandbox (or refuse without one); fills cm->go. 0 or an exit status. */
int cmd_setup_sandbox(struct cmd_common *cm, const struct challenge *c, struct sandbox_profile **prof);
/* Open `db`, or the default database when NULL; prints why not. 0 or an exit status. */
int cmd_open_store(const char *db, struct store **st);

#endif
