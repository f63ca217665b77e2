/*
 * cmd_formats.h - the commands that turn a grade into what other tools read
 * (issue 11): `convert` (a JSON report into any format of format.h), `badge`
 * (an SVG badge) and `export-gradescope` (an autograder bundle).
 *
 * Command layer only: these print and choose exit statuses (0 done,
 * 1 the grader broke, 2 bad usage or bad input named on stderr).
 */
#ifndef GRADER_CMD_FORMATS_H
#define GRADER_CMD_FORMATS_H

int cmd_convert(int argc, char **argv);
int cmd_badge(int argc, char **argv);
int cmd_export_gradescope(int argc, char **argv);

#endif
