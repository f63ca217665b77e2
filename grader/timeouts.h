/*
 * timeouts.h - the default time limits of a run, stated once. Options
 * (--fetch-timeout, --env-timeout, --boot-timeout, --run-timeout) override
 * them; a 0 in an options struct means "the default here". The option help
 * (main.c's table, hence --help, the man page and the completion) prints
 * these numbers through GRADER_TIMEOUT_STR; README's list of the options is
 * compared with that help by tests/e2e/test_cli.sh. A challenge sets its own
 * request limit (challenge.h), within the bounds below.
 */
#ifndef GRADER_TIMEOUTS_H
#define GRADER_TIMEOUTS_H

/* In seconds, as the options take them. */
#define GRADER_FETCH_TIMEOUT_S 120   /* clone and checkout */
#define GRADER_ENV_TIMEOUT_S 600     /* making the virtualenv: the install */
#define GRADER_BOOT_TIMEOUT_S 120    /* import, migrate, users, listen */
#define GRADER_RUN_TIMEOUT_S 300     /* the checks phase */

#define GRADER_FETCH_TIMEOUT_MS (GRADER_FETCH_TIMEOUT_S * 1000L)
#define GRADER_ENV_TIMEOUT_MS (GRADER_ENV_TIMEOUT_S * 1000L)
#define GRADER_BOOT_TIMEOUT_MS (GRADER_BOOT_TIMEOUT_S * 1000L)
#define GRADER_RUN_TIMEOUT_MS (GRADER_RUN_TIMEOUT_S * 1000L)

/* What a sandbox's wall-clock limit adds to boot + checks: teardown room. */
#define GRADER_SANDBOX_WALL_MARGIN_MS 30000L

/* Making the default runtime (grader env default): many more packages
 * than a submission's requirements, so longer than --env-timeout. */
#define GRADER_RUNTIME_ENV_TIMEOUT_MS 900000L

/* A challenge's request limit (request_timeout_ms) when it sets none, and
 * the largest it or a step's timeout_ms may set. */
#define GRADER_REQUEST_TIMEOUT_MS 10000L
#define GRADER_REQUEST_TIMEOUT_MAX_MS 600000

/* A number above as a string literal, for help texts: "120". */
#define GRADER_TIMEOUT_STR(n) GRADER_TIMEOUT_STR_(n)
#define GRADER_TIMEOUT_STR_(n) #n

#endif
