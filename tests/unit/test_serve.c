/*
 * test_serve.c - the grading service's pieces that need no network: the
 * webhook signature check, which sources are accepted, the configuration
 * loader, HTML escaping and the job queue (dedup, claim, recovery).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/hmac.h>

#include "buf.h"
#include "err.h"
#include "jobq.h"
#include "serve.h"
#include "serve_pages.h"
#include "t.h"

static char t_dir[256];

static void sig_of(const char *secret, const char *body, char out[72])
{
	unsigned char mac[32];
	unsigned int n = 0;
	int i;

	HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, strlen(body), mac, &n);
	strcpy(out, "sha256=");
	for (i = 0; i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", mac[i]);
}

TEST(signature_accepts_only_the_right_hmac)
{
	char sig[72];
	const char *body = "{\"after\":\"x\"}";

	sig_of("s3cret", body, sig);
	EXPECT(serve_signature_ok("s3cret", body, strlen(body), sig));
	EXPECT(!serve_signature_ok("other", body, strlen(body), sig));
	EXPECT(!serve_signature_ok("s3cret", "{}", 2, sig));
	sig[20] = sig[20] == 'a' ? 'b' : 'a';
	EXPECT(!serve_signature_ok("s3cret", body, strlen(body), sig));
	EXPECT(!serve_signature_ok("s3cret", body, strlen(body), NULL));
	EXPECT(!serve_signature_ok("s3cret", body, strlen(body), "sha256=zz"));
	EXPECT(!serve_signature_ok("s3cret", body, strlen(body), "sha1=0123"));
	EXPECT(!serve_signature_ok("", body, strlen(body), "sha256="));
	/* Upper-case hex is the same digest. */
	sig_of("s3cret", body, sig);
	for (char *p = sig + 7; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	EXPECT(serve_signature_ok("s3cret", body, strlen(body), sig));
}

TEST(sources_are_checked)
{
	struct serve_config c;
	char *slug = NULL;

	EXPECT_INT(serve_config_load(NULL, "/nonexistent", &c), 0);
	EXPECT_INT(serve_check_source(&c, "https://github.com/alice/shop.git", &slug), 0);
	EXPECT_STR(slug, "alice/shop");
	free(slug);
	EXPECT_INT(serve_check_source(&c, "https://GitLab.com/group/sub/proj/", &slug), 0);
	EXPECT_STR(slug, "sub/proj");
	free(slug);
	EXPECT_INT(serve_check_source(&c, "https://alice:tok@github.com/a/b", &slug), -1);
	EXPECT(strstr(err_last(), "credentials"));
	EXPECT_INT(serve_check_source(&c, "https://evil.example/a/b", &slug), -1);
	EXPECT_INT(serve_check_source(&c, "https://github.com.evil.example/a/b", &slug), -1);
	EXPECT_INT(serve_check_source(&c, "file:///srv/a/b", &slug), -1);
	EXPECT(strstr(err_last(), "file://"));
	EXPECT_INT(serve_check_source(&c, "ssh://github.com/a/b", &slug), -1);
	EXPECT_INT(serve_check_source(&c, "https://github.com/a/../b", &slug), -1);
	EXPECT_INT(serve_check_source(&c, "https://github.com/onlyone", &slug), -1);
	EXPECT_INT(serve_check_source(&c, "https://github.com/a/b c", &slug), -1);
	c.allow_file = true;
	EXPECT_INT(serve_check_source(&c, "file:///srv/a/b", &slug), 0);
	EXPECT_STR(slug, "a/b");
	free(slug);
	serve_config_release(&c);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

TEST(config_file_is_read_and_errors_are_placed)
{
	struct serve_config c;
	char path[300];

	snprintf(path, sizeof(path), "%s/serve.yaml", t_dir);
	EXPECT_INT(write_file(path, "listen: 127.0.0.1:9999\njobs: 3\nallowed_hosts: [git.example.edu]\n"
				    "allow_file_urls: true\ngithub_secret: abc\nbody_max: 1000\n"), 0);
	EXPECT_INT(serve_config_load(path, "/d", &c), 0);
	EXPECT_STR(c.listen, "127.0.0.1:9999");
	EXPECT_INT(c.jobs, 3);
	EXPECT_INT(c.hosts.n, 1);
	EXPECT_STR(c.hosts.v[0], "git.example.edu");
	EXPECT(c.allow_file);
	EXPECT_INT(c.body_max, 1000);
	serve_config_release(&c);
	EXPECT_INT(write_file(path, "listen: x\nsecret_typo: 1\n"), 0);
	EXPECT_INT(serve_config_load(path, "/d", &c), -1);
	EXPECT(strstr(err_last(), "serve.yaml:2:1: unknown setting secret_typo"));
	serve_config_release(&c);
	EXPECT_INT(write_file(path, "jobs: many\n"), 0);
	EXPECT_INT(serve_config_load(path, "/d", &c), -1);
	EXPECT(strstr(err_last(), ":1:7: expected a non-negative number for jobs"));
	serve_config_release(&c);
	/* Not YAML at all: where libyaml gave up (yamlx.h). */
	EXPECT_INT(write_file(path, "jobs: [1\n"), 0);
	EXPECT_INT(serve_config_load(path, "/d", &c), -1);
	EXPECT(strstr(err_last(), "serve.yaml:2:1: did not find expected ',' or ']'"));
	serve_config_release(&c);
}

TEST(escaping_leaves_no_markup)
{
	struct gbuf b = GBUF_INIT(0);

	EXPECT_INT(pages_escape(&b, "<script>alert('x')</script> & \"q\" \x01\xff"), 0);
	EXPECT_STR(gbuf_str(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \xEF\xBF\xBD");
	gbuf_release(&b);
}

static void fill_job(struct job *j, const char *ref)
{
	memset(j, 0, sizeof(*j));
	j->repo = "file:///r/alice/shop";
	j->slug = "alice/shop";
	j->ref = (char *)ref;
	j->challenge = "ecommerce-api";
	j->suite_sha256 = "00ff";
	j->origin = "github";
}

TEST(queue_dedups_claims_once_and_recovers)
{
	struct jobq *q = NULL, *q2 = NULL;
	struct job j, got, got2;
	char db[300];
	int64_t id1 = 0, id2 = 0, id3 = 0;
	bool existing = false;
	int pos = 0;
	const char *commit = "0123456789abcdef0123456789abcdef01234567";

	snprintf(db, sizeof(db), "%s/q.sqlite3", t_dir);
	EXPECT_INT(jobq_open(db, true, &q), 0);
	fill_job(&j, commit);
	EXPECT_INT(jobq_push(q, &j, false, 0, &id1, &existing), 0);
	EXPECT(!existing);
	EXPECT_INT(jobq_push(q, &j, false, 0, &id2, &existing), 0);
	EXPECT(existing);
	EXPECT_INT(id2, id1);
	fill_job(&j, "main");
	EXPECT_INT(jobq_push(q, &j, false, 0, &id3, &existing), 0);
	EXPECT(id3 != id1);
	EXPECT_INT(jobq_position(q, id3, &pos), 0);
	EXPECT_INT(pos, 2);
	/* A full queue refuses, and adds nothing. */
	fill_job(&j, "dev");
	EXPECT_INT(jobq_push(q, &j, false, 2, &id2, &existing), 1);
	EXPECT_INT(jobq_claim(q, &got), 0);
	EXPECT_INT(got.id, id1);
	EXPECT_INT(got.state, JOB_RUNNING);
	/* Another connection claims the next job, never the same one. */
	EXPECT_INT(jobq_open(db, false, &q2), 0);
	EXPECT_INT(jobq_claim(q2, &got2), 0);
	EXPECT_INT(got2.id, id3);
	job_release(&got2);
	EXPECT_INT(jobq_claim(q2, &got2), 1);
	jobq_close(q2);
	/* The service dies: reopening with recovery queues both again. */
	jobq_close(q);
	EXPECT_INT(jobq_open(db, true, &q), 0);
	EXPECT_INT(jobq_position(q, id1, &pos), 0);
	EXPECT_INT(pos, 1);
	got.state = JOB_DONE;
	got.status = strdup("graded");
	got.score = 85;
	got.max_score = 100;
	EXPECT_INT(jobq_finish(q, &got), 0);
	job_release(&got);
	EXPECT_INT(jobq_latest_graded(q, "alice/shop", "ecommerce-api", &got), 0);
	EXPECT_INT(got.id, id1);
	EXPECT_INT(got.score, 85);
	job_release(&got);
	EXPECT_INT(jobq_latest_graded(q, "bob/shop", "ecommerce-api", &got), 1);
	/* A done commit is still the same job; a forced regrade is a new one. */
	fill_job(&j, commit);
	EXPECT_INT(jobq_push(q, &j, false, 0, &id2, &existing), 0);
	EXPECT_INT(id2, id1);
	EXPECT_INT(jobq_push(q, &j, true, 0, &id2, &existing), 0);
	EXPECT(id2 != id1 && !existing);
	jobq_close(q);
}

int main(void)
{
	char cmd[300];

	snprintf(t_dir, sizeof(t_dir), "%s/grader-test-serve-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t_dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(signature_accepts_only_the_right_hmac);
	RUN(sources_are_checked);
	RUN(config_file_is_read_and_errors_are_placed);
	RUN(escaping_leaves_no_markup);
	RUN(queue_dedups_claims_once_and_recovers);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", t_dir);
	T_EXIT();
}
