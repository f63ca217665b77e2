/*
 * test_batch.c - the pieces of a class batch that need no grading: the
 * roster reader (both shapes, RFC 4180 quoting, a BOM, CRLF, errors with
 * line numbers), ISO 8601 times, late policies and penalties, the shard
 * hash, and picking the commit at a deadline in a real git history.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "err.h"
#include "t.h"

static char t_dir[256];

static const char *t_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t_dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

TEST(roster_plain_quoted_bom_crlf)
{
	struct roster r;
	const char *p = t_file("r1.csv", "\xEF\xBB\xBFstudent,repo,ref,extension_until\r\n"
				  "alice,/srv/a,,\r\n"
				  "\"bob, jr\",\"/srv/b \"\"x\"\"\",main,2025-03-05\r\n"
				  "\r\n"
				  " carol , /srv/c ,,2025-03-05T10:00:00+02:00\r\n");

	EXPECT_INT(roster_load(p, NULL, &r), 0);
	EXPECT_INT(r.n, 3);
	EXPECT_STR(r.v[0].student, "alice");
	EXPECT(r.v[0].ref == NULL);
	EXPECT_INT(r.v[0].extension_until, 0);
	EXPECT_STR(r.v[1].student, "bob, jr");
	EXPECT_STR(r.v[1].repo, "/srv/b \"x\"");
	EXPECT_STR(r.v[1].ref, "main");
	EXPECT_INT(r.v[1].extension_until, 1741219199); /* 2025-03-05T23:59:59Z */
	EXPECT_STR(r.v[2].student, "carol");
	EXPECT_STR(r.v[2].repo, "/srv/c");
	EXPECT_INT(r.v[2].extension_until, 1741161600); /* 08:00Z */
	roster_free(&r);
}

TEST(roster_classroom_template)
{
	struct roster r;
	const char *p = t_file("r2.csv", "identifier,github_username,github_id,name\n"
				  "zoe@uni.example,zoe-gh,101,Zoe\n"
				  ",yan-gh,102,Yan\n"
				  "xi@uni.example,,,Xi\n");

	EXPECT_INT(roster_load(p, NULL, &r), -1);
	EXPECT(strstr(err_last(), "--repo-template") != NULL);
	EXPECT_INT(roster_load(p, "https://github.com/org/hw1-{github_username}", &r), 0);
	EXPECT_INT(r.n, 3);
	EXPECT_STR(r.v[0].student, "zoe@uni.example");
	EXPECT_STR(r.v[0].repo, "https://github.com/org/hw1-zoe-gh");
	EXPECT_STR(r.v[1].student, "yan-gh");
	EXPECT(r.v[2].repo == NULL);
	roster_free(&r);
	EXPECT_INT(roster_load(p, "https://github.com/org/{nope}", &r), -1);
	EXPECT(strstr(err_last(), "{nope}") != NULL);
}

TEST(roster_errors_name_the_line)
{
	struct roster r;

	EXPECT_INT(roster_load(t_file("e1.csv", "name,url\nx,y\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "student and repo") != NULL);
	EXPECT_INT(roster_load(t_file("e2.csv", "student,repo\na,/x\nb,/y\na,/z\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "line 4: student 'a' is listed twice") != NULL);
	EXPECT_INT(roster_load(t_file("e3.csv", "student,repo\n\"a,/x\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "line 2: a quoted field is not closed") != NULL);
	EXPECT_INT(roster_load(t_file("e4.csv", "student,repo,extension_until\na,/x,soon\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "line 2, extension_until: 'soon' is not an ISO 8601 time") != NULL);
	EXPECT_INT(roster_load(t_file("e5.csv", ""), NULL, &r), -1);
	EXPECT(strstr(err_last(), "is empty") != NULL);
	EXPECT_INT(roster_load(t_file("e6.csv", "student,repo\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "lists no student") != NULL);
	EXPECT_INT(roster_load(t_file("e7.csv", "student,repo\n,/x\n"), NULL, &r), -1);
	EXPECT(strstr(err_last(), "line 2: no student id") != NULL);
}

TEST(times)
{
	time_t t = 0;
	char buf[32];

	EXPECT_INT(batch_parse_time("2025-03-02T00:00:00Z", &t), 0);
	EXPECT_INT(t, 1740873600);
	EXPECT_INT(batch_parse_time("2025-03-02T01:30:00+01:30", &t), 0);
	EXPECT_INT(t, 1740873600);
	EXPECT_INT(batch_parse_time("2025-03-01T19:00:00-05:00", &t), 0);
	EXPECT_INT(t, 1740873600);
	EXPECT_INT(batch_parse_time("2025-03-02T00:00", &t), 0);
	EXPECT_INT(t, 1740873600);
	EXPECT_INT(batch_parse_time("2025-03-01", &t), 0);
	EXPECT_INT(t, 1740873599);
	batch_format_time(1740873600, buf);
	EXPECT_STR(buf, "2025-03-02T00:00:00Z");
	EXPECT_INT(batch_parse_time("tomorrow", &t), -1);
	EXPECT(strstr(err_last(), "'tomorrow' is not an ISO 8601 time") != NULL);
	EXPECT_INT(batch_parse_time("2025-03-02T00:00:00Zjunk", &t), -1);
	EXPECT_INT(batch_parse_time("2025-13-02", &t), -1);
}

TEST(late_policies_and_penalties)
{
	struct late_policy p;
	int days = -1;

	EXPECT_INT(late_policy_parse("per-day:10,cap:50", &p), 0);
	EXPECT_INT(p.per_day, 10);
	EXPECT_INT(p.cap, 50);
	EXPECT_INT(p.cutoff, 0);
	/* On time, a second late (one started day), 1.5 days, 9 days (capped). */
	EXPECT_INT(batch_penalty(&p, 1000000, 1000000, 80, 100, &days), 0);
	EXPECT_INT(days, 0);
	EXPECT_INT(batch_penalty(&p, 1000000, 1000001, 80, 100, &days), 10);
	EXPECT_INT(days, 1);
	EXPECT_INT(batch_penalty(&p, 1000000, 1000000 + 129600, 80, 100, &days), 20);
	EXPECT_INT(days, 2);
	EXPECT_INT(batch_penalty(&p, 1000000, 1000000 + 9 * 86400, 80, 100, &days), 50);
	/* Never more than the score. */
	EXPECT_INT(batch_penalty(&p, 1000000, 1000000 + 9 * 86400, 30, 100, &days), 30);
	EXPECT_INT(late_policy_parse("per-day:5", &p), 0);
	EXPECT_INT(p.cap, 100);
	EXPECT_INT(late_policy_parse("cutoff:2025-03-08T00:00:00Z", &p), 0);
	EXPECT_INT(p.cutoff, 1741392000);
	EXPECT_INT(batch_penalty(&p, 1000000, 1000000 + 86400, 80, 100, &days), 0);
	EXPECT_INT(days, 1);
	EXPECT_INT(late_policy_parse("per-day:10,cap:50,cutoff:2025-03-08", &p), 0);
	EXPECT_INT(late_policy_parse("per-day:ten", &p), -1);
	EXPECT(strstr(err_last(), "'ten' is not a percentage") != NULL);
	EXPECT_INT(late_policy_parse("cap:50", &p), -1);
	EXPECT_INT(late_policy_parse("weekly:3", &p), -1);
	EXPECT(strstr(err_last(), "unknown key 'weekly'") != NULL);
	EXPECT_INT(late_policy_parse("per-day:101", &p), -1);
}

TEST(shards_are_stable_and_spread)
{
	char id[32];
	unsigned count[4] = {0}, i;

	/* FNV-1a 32 of "alice" is 0x872213e7 (as any FNV-1a implementation
	 * computes it): the shard must not depend on this build. */
	EXPECT_INT(batch_shard_of("alice", 1000), 0x872213e7u % 1000);
	EXPECT_INT(batch_shard_of("alice", 4), 0x872213e7u % 4);
	EXPECT_INT(batch_shard_of("alice", 1), 0);
	for (i = 0; i < 400; i++) {
		snprintf(id, sizeof(id), "student%u", i);
		count[batch_shard_of(id, 4)]++;
	}
	for (i = 0; i < 4; i++)
		EXPECT(count[i] > 60 && count[i] < 140);
}

/* A repository whose commits have the given committer times. */
static int t_repo(const char *dir, const char *const *dates, int n)
{
	char cmd[1024];
	int i;

	snprintf(cmd, sizeof(cmd), "git init -q -b main '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "cd '%s' && echo %d > f && git add f && GIT_COMMITTER_DATE=%s "
			 "GIT_AUTHOR_DATE=%s git -c user.name=t -c user.email=t@example.invalid commit -q -m c%d",
			 dir, i, dates[i], dates[i], i);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

TEST(pick_commit_at_a_deadline)
{
	static const char *const dates[] = {"2025-03-01T10:00:00Z", "2025-03-01T20:00:00Z",
					    "2025-03-02T08:00:00Z", "2025-03-03T08:00:00Z"};
	char dir[512], commit[41], want[64] = "";
	time_t ct = 0;
	unsigned later = 0;
	bool found = false;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/repo", t_dir);
	EXPECT_INT(t_repo(dir, dates, 4), 0);
	/* No limit: HEAD. */
	EXPECT_INT(batch_pick_commit(dir, 0, commit, &ct, &later, &found), 0);
	EXPECT(found);
	EXPECT_INT(later, 0);
	EXPECT_INT(ct, 1740988800);
	/* The deadline 2025-03-02T00:00Z: the second commit; two later ones passed over. */
	EXPECT_INT(batch_pick_commit(dir, 1740873600, commit, &ct, &later, &found), 0);
	EXPECT(found);
	EXPECT_INT(later, 2);
	EXPECT_INT(ct, 1740859200);
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD~2", dir);
		f = popen(cmd, "r");
		EXPECT(f != NULL);
		EXPECT(fgets(want, sizeof(want), f) != NULL);
		pclose(f);
		want[strcspn(want, "\n")] = '\0';
	}
	EXPECT_STR(commit, want);
	/* Before the first commit: nothing. */
	EXPECT_INT(batch_pick_commit(dir, 1740000000, commit, &ct, &later, &found), 0);
	EXPECT(!found);
	EXPECT_INT(later, 4);
	/* Not a repository: the grader's error, naming it. */
	EXPECT_INT(batch_pick_commit(t_dir, 1740000000, commit, &ct, &later, &found), -1);
	EXPECT(strstr(err_last(), t_dir) != NULL);
}

int main(void)
{
	char cmd[300];

	snprintf(t_dir, sizeof(t_dir), "%s/grader-test-batch-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t_dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(roster_plain_quoted_bom_crlf);
	RUN(roster_classroom_template);
	RUN(roster_errors_name_the_line);
	RUN(times);
	RUN(late_policies_and_penalties);
	RUN(shards_are_stable_and_spread);
	RUN(pick_commit_at_a_deadline);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", t_dir);
	T_EXIT();
}
