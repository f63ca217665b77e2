/*
 * exitcode.h - the exit statuses of `grader`, in one place (contracts §1).
 * Only the command layer (main.c, cmd_*.c) chooses an exit status; modules
 * return 0 / -1 and, for a run, a result whose status result_exit_code()
 * maps here. "The grader broke" (1) is kept apart from "the submission
 * could not be graded" (3) so a batch can retry the one and not the other.
 */
#ifndef GRADER_EXITCODE_H
#define GRADER_EXITCODE_H

#define EXIT_GRADED 0       /* graded, whatever the score; prove: the suite is proven */
#define EXIT_INTERNAL 1     /* the grader itself broke (a report is still printed) */
#define EXIT_USAGE 2        /* bad usage, a bad challenge file or sandbox profile */
#define EXIT_UNGRADED 3     /* the submission could not be graded (fetch, setup, boot,
			     * time limit) */
#define EXIT_NOT_PROVEN 4   /* prove: a mutant survived or the reference failed */
/* 128 + the signal: 130 for SIGINT, 143 for SIGTERM (intr.h). The run's
 * processes were killed and its workspace removed; nothing was recorded or
 * reported. */
#define EXIT_SIGNAL_BASE 128

#endif
