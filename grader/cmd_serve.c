/*
 * cmd_serve.c - `grader serve`: the command layer of the grading service.
 *
 * Reads the options and the configuration file, fills in what they leave
 * open (the database, this binary's path, the bundled challenges), then
 * runs the service until SIGINT or SIGTERM. Exit status 0 after a clean
 * stop, 2 for bad options or a bad configuration file, 1 when the service
 * could not start (the port is taken, the database cannot be opened).
 */
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "serve.h"
#include "store.h"

int cmd_serve(int argc, char **argv);

static volatile sig_atomic_t serve_stop_flag;

static void serve_on_signal(int sig)
{
	(void)sig;
	serve_stop_flag = 1;
}

/* Every bundled challenge (a folder of <datadir>/challenges with a
 * challenge.yaml), sorted, when the configuration names none. */
static int serve_bundled(struct serve_config *c)
{
	char path[PATH_MAX];
	struct dirent **names = NULL;
	struct stat st;
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/challenges", c->datadir);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return err_set_errno("%s", path);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/challenges/%s/challenge.yaml", c->datadir, names[i]->d_name);
		if (rc == 0 && names[i]->d_name[0] != '.' && stat(path, &st) == 0)
			rc = strlist_push(&c->challenges, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int serve_fill(struct serve_config *c)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return err_set_errno("cannot find the grader binary");
	self[n] = 0;
	if (!c->grader && !(c->grader = strdup(self)))
		return err_set("out of memory");
	if (!c->db && !(c->db = store_default_path()))
		return -1;
	if (c->challenges.n == 0 && serve_bundled(c) < 0)
		return -1;
	if (c->default_challenge) {
		size_t i;

		for (i = 0; i < c->challenges.n; i++)
			if (!strcmp(c->challenges.v[i], c->default_challenge))
				break;
		if (i == c->challenges.n)
			return err_set("default_challenge %s is not one of the challenges served",
				       c->default_challenge);
	}
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_config c;
	const char *listen = NULL, *db = NULL, *config = NULL;
	struct cli_parse p;
	struct sigaction sa;
	char *end = NULL;
	long jobs = 0;
	int opt, status = EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		switch (opt) {
		case OPT_LISTEN: listen = p.arg; break;
		case OPT_DB: db = p.arg; break;
		case OPT_CONFIG: config = p.arg; break;
		case OPT_JOBS:
			jobs = strtol(p.arg, &end, 10);
			if (!end || *end || jobs < 1 || jobs > 256)
				return cli_usage_error("serve", "%s %s: expected a number from 1 to 256", p.name, p.arg);
			break;
		default: break;
		}
	}
	if (opt < 0)
		return p.status;
	if (p.ind < argc)
		return cli_usage_error("serve", "takes no operands, found '%s'", argv[p.ind]);
	if (serve_config_load(config, cli_datadir(), &c) < 0 ||
	    (listen && serve_config_set(&c.listen, listen) < 0) || (db && serve_config_set(&c.db, db) < 0) ||
	    serve_fill(&c) < 0) {
		fprintf(stderr, "grader serve: %s\n", err_last());
		goto done;
	}
	if (jobs)
		c.jobs = (int)jobs;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	status = EXIT_INTERNAL;
	if (serve_run(&c, &serve_stop_flag, NULL, NULL) < 0) {
		fprintf(stderr, "grader serve: %s\n", err_last());
		goto done;
	}
	status = 0;
done:
	serve_config_release(&c);
	return status;
}
