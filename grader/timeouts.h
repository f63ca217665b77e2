/*
 * timeouts.h - the default time limits of a run, stated once. Options
 * (--fetch-timeout, --env-timeout, --boot-timeout, --run-timeout) override
 * them; a 0 in an options struct means "the default here". The request
 * limit is the challenge's (challenge.h).
 */
#ifndef GRADER_TIMEOUTS_H
#define GRADER_TIMEOUTS_H

#define GRADER_FETCH_TIMEOUT_MS 120000L  /* clone and checkout */
#define GRADER_ENV_TIMEOUT_MS 600000L    /* making the virtualenv: the install */
#define GRADER_BOOT_TIMEOUT_MS 120000L   /* import, migrate, users, listen */
#define GRADER_RUN_TIMEOUT_MS 300000L    /* the checks phase */
/* What a sandbox's wall-clock limit adds to boot + checks: teardown room. */
#define GRADER_SANDBOX_WALL_MARGIN_MS 30000L

#endif
