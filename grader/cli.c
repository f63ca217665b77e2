/*
 * cli.c - argument parsing, help, man page section and completion, all made
 * from main.c's command and option tables (see cli.h for the design).
 *
 * getopt_long does the parsing (GNU permutation, so options may follow
 * operands, and unique prefixes of long names are accepted); its arrays are
 * built from the command's row each time a command starts. Messages about
 * bad arguments are ours, not getopt's (opterr = 0): they name the option as
 * the user wrote it and point at the command's --help.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "challenge.h"
#include "format.h"
#include "buf.h"

#define HELP_COL 28      /* where option help starts */
#define HELP_WIDTH 79
#define MAX_OPTS 64

static const struct cli_command *commands;
static size_t ncommands;
static const struct cli_option *options;
static size_t noptions;
static const struct cli_option_note *notes;
static size_t nnotes;

static int verbosity;
enum colour_mode { COLOUR_AUTO, COLOUR_ALWAYS, COLOUR_NEVER };
static enum colour_mode colour = COLOUR_AUTO;

/* Every command takes these; cli_next handles them. */
static const int COMMON[] = {OPT_HELP, OPT_QUIET, OPT_VERBOSE, OPT_COLOR, 0};

void cli_init(const struct cli_command *cmds, size_t ncmds, const struct cli_option *opts, size_t nopts,
	      const struct cli_option_note *nts, size_t nnts)
{
	commands = cmds;
	ncommands = ncmds;
	options = opts;
	noptions = nopts;
	notes = nts;
	nnotes = nnts;
}

static const struct cli_option_note *note_of(const struct cli_command *c, const struct cli_option *o)
{
	size_t i;

	for (i = 0; c && o && i < nnotes; i++)
		if (notes[i].id == o->id && !strcmp(notes[i].command, c->name))
			return &notes[i];
	return NULL;
}

/* The option's help and completion as command c shows them. */
static const char *help_of(const struct cli_command *c, const struct cli_option *o)
{
	const struct cli_option_note *n = note_of(c, o);

	return n && n->help ? n->help : o->help;
}

static const char *complete_of(const struct cli_command *c, const struct cli_option *o)
{
	const struct cli_option_note *n = note_of(c, o);

	return n && n->complete ? n->complete : o->complete;
}

const struct cli_command *cli_command_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ncommands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const struct cli_option *option_by_id(int id)
{
	size_t i;

	for (i = 0; i < noptions; i++)
		if (options[i].id == id)
			return &options[i];
	return NULL;
}

static const struct cli_option *option_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < noptions; i++)
		if (strlen(options[i].name) == len && !strncmp(options[i].name, name, len))
			return &options[i];
	return NULL;
}

static bool takes(const struct cli_command *c, int id)
{
	const int *o;

	for (o = COMMON; *o; o++)
		if (*o == id)
			return true;
	for (o = c && c->opts ? c->opts : COMMON + 4; *o; o++)
		if (*o == id)
			return true;
	return false;
}

/* ---- the data folder ------------------------------------------------------ */

/*
 * $GRADER_DATADIR; else <the binary's folder>/../share/grader when it is
 * there (an installed grader: `make install` puts the data beside bin/, so
 * the install can be staged with DESTDIR or moved and still find it); else
 * the folder it was built in (GRADER_DATADIR, the source tree).
 */
const char *cli_datadir(void)
{
	static char found[PATH_MAX];
	const char *d = getenv("GRADER_DATADIR");
	char exe[PATH_MAX], probe[PATH_MAX + 64], *slash;
	ssize_t n;
	struct stat st;

	if (d && *d)
		return d;
	if (found[0])
		return found;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(probe, sizeof(probe), "%s/../share/grader/grader/boot", exe);
			if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
				snprintf(probe, sizeof(probe), "%s/../share/grader", exe);
				if (realpath(probe, found))
					return found;
				found[0] = '\0';
			}
		}
	}
	return GRADER_DATADIR;
}

/* ---- files the command will write ------------------------------------------ */

int cli_check_writable(const char *cmd, const char *opt, const char *path)
{
	char dir[PATH_MAX], *slash;
	struct stat st;
	int fd;

	if (!*path)
		return cli_usage_error(cmd, "%s was given an empty path", opt);
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return cli_usage_error(cmd, "%s %s: is a folder; expected a file", opt, path);
		/* Open without creating or truncating: only ask. */
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return cli_usage_error(cmd, "%s %s: cannot write it: %s", opt, path, strerror(errno));
		close(fd);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return cli_usage_error(cmd, "%s %s: no such folder: %s", opt, path, dir);
	if (access(dir, W_OK | X_OK) < 0)
		return cli_usage_error(cmd, "%s %s: cannot create files in %s: %s", opt, path, dir, strerror(errno));
	return 0;
}

/* ---- output choices ------------------------------------------------------ */

int cli_verbosity(void)
{
	return verbosity;
}

bool cli_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (colour != COLOUR_AUTO)
		return colour == COLOUR_ALWAYS;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

void cli_style_report(struct format_opts *o, const char *out_path)
{
	o->colour = !out_path && cli_colour(stdout);
	o->only_not_passed = verbosity < 0;
}

void cli_note(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	fputs("grader: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "grader%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'grader %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* The option common to all commands: -q, -v, --color. 0, or an exit status. */
static int common_option(const char *cmd, int id, const char *arg)
{
	switch (id) {
	case OPT_QUIET: verbosity = -1; return 0;
	case OPT_VERBOSE: verbosity = verbosity < 0 ? 1 : verbosity + 1; return 0;
	case OPT_COLOR:
		if (!arg || !strcmp(arg, "always"))
			colour = COLOUR_ALWAYS;
		else if (!strcmp(arg, "never"))
			colour = COLOUR_NEVER;
		else if (!strcmp(arg, "auto"))
			colour = COLOUR_AUTO;
		else
			return cli_usage_error(cmd, "--color takes auto, always or never, not '%s'", arg);
		return 0;
	}
	return cli_usage_error(cmd, "internal: option %d not handled", id);
}

/* ---- parsing --------------------------------------------------------------- */

static struct option longopts[MAX_OPTS + 1];
static char shortopts[2 * MAX_OPTS + 2];

static void add_opt(const struct cli_option *o, size_t *nl, size_t *ns)
{
	if (!o || *nl >= MAX_OPTS)
		return;
	longopts[*nl].name = o->name;
	longopts[*nl].has_arg = !o->arg ? no_argument : o->arg_optional ? optional_argument : required_argument;
	longopts[*nl].flag = NULL;
	longopts[*nl].val = o->id;
	(*nl)++;
	if (o->letter) {
		shortopts[(*ns)++] = o->letter;
		if (o->arg && !o->arg_optional)
			shortopts[(*ns)++] = ':';
	}
}

static void build_getopt(const struct cli_command *c)
{
	size_t nl = 0, ns = 0;
	const int *o;

	memset(longopts, 0, sizeof(longopts));
	shortopts[ns++] = ':';   /* ':' for a missing argument, '?' for an unknown option */
	for (o = COMMON; *o; o++)
		add_opt(option_by_id(*o), &nl, &ns);
	for (o = c && c->opts ? c->opts : COMMON + 4; *o; o++)
		add_opt(option_by_id(*o), &nl, &ns);
	shortopts[ns] = '\0';
}

void cli_parse_begin(struct cli_parse *p, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->cmd = cli_command_find(argv[0]);
	build_getopt(p->cmd);
	optind = 0;   /* GNU: start over (a previous parse may have run) */
	opterr = 0;
}

static int letter_to_id(int ch)
{
	size_t i;

	for (i = 0; i < noptions; i++)
		if (options[i].letter == ch)
			return options[i].id;
	return ch;
}

/* What the user typed for the option getopt just complained about. */
static const char *offending(const struct cli_parse *p)
{
	int i = optind - 1;

	return i > 0 && i < p->argc ? p->argv[i] : "?";
}

int cli_next(struct cli_parse *p)
{
	const char *cmd = p->argv[0];
	const struct cli_option *o;
	int ch;

	for (;;) {
		ch = getopt_long(p->argc, p->argv, shortopts, longopts, NULL);
		p->ind = optind;
		p->arg = optarg;
		if (ch == -1) {
			p->ind = optind;
			return 0;
		}
		if (ch == ':' || ch == '?') {
			const char *w = offending(p);

			o = option_by_id(letter_to_id(optopt));
			if (ch == ':' && o)
				p->status = cli_usage_error(cmd, "option '%s' needs an argument (%s)", w, o->arg);
			else if (o && !o->arg && strchr(w, '='))
				p->status = cli_usage_error(cmd, "option '--%s' takes no value, found '%s'", o->name, w);
			else if (optopt && optopt < 256 && !o)
				p->status = cli_usage_error(cmd, "unknown option '-%c'", optopt);
			else
				p->status = cli_usage_error(cmd, "unknown option '%s'", w);
			return -1;
		}
		ch = letter_to_id(ch);
		o = option_by_id(ch);
		p->name = o ? o->name : "?";
		if (ch == OPT_HELP) {
			cli_help(stdout, p->cmd);
			p->status = 0;
			return -1;
		}
		if (ch == OPT_QUIET || ch == OPT_VERBOSE || ch == OPT_COLOR) {
			if ((p->status = common_option(cmd, ch, optarg)) != 0)
				return -1;
			continue;
		}
		return ch;
	}
}

int cli_global_options(int argc, char **argv, int *status)
{
	int i;

	*status = 0;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			common_option(NULL, OPT_QUIET, NULL);
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			common_option(NULL, OPT_VERBOSE, NULL);
		} else if (!strcmp(a, "--color") || !strncmp(a, "--color=", 8)) {
			if ((*status = common_option(NULL, OPT_COLOR, a[7] ? a + 8 : NULL)) != 0)
				return -1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_help(stdout, NULL);
			return -1;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			return i;   /* the caller runs `version` */
		} else {
			*status = cli_usage_error(NULL, "unknown option '%s'", a);
			return -1;
		}
	}
	return i;
}

/* ---- help ------------------------------------------------------------------- */

/* Write `text` wrapped at HELP_WIDTH, continuing lines at column `indent`;
 * the first line starts at column `col`. */
static void wrap(FILE *f, const char *text, int col, int indent)
{
	const char *p = text;

	while (*p) {
		size_t w = strcspn(p, " \n");

		if (col > indent && col + 1 + (int)w > HELP_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, p);
		col += (int)w;
		p += w;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', f);
}

static void help_option(FILE *f, const struct cli_command *c, const struct cli_option *o)
{
	char left[96];
	int n;

	if (!o || o->hidden)
		return;
	if (o->letter)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->letter, o->name);
	else
		n = snprintf(left, sizeof(left), "      --%s", o->name);
	if (o->arg)
		snprintf(left + n, sizeof(left) - (size_t)n, o->arg_optional ? "[=%s]" : " %s", o->arg);
	fputs(left, f);
	if ((int)strlen(left) >= HELP_COL - 1) {
		fprintf(f, "\n%*s", HELP_COL, "");
	} else {
		fprintf(f, "%*s", HELP_COL - (int)strlen(left), "");
	}
	wrap(f, help_of(c, o), HELP_COL, HELP_COL);
}

static void help_synopsis(FILE *f, const struct cli_command *c)
{
	fprintf(f, "usage: grader %s%s%s%s\n", c->name, c->opts ? " [options]" : "",
		c->operands && *c->operands ? " " : "", c->operands ? c->operands : "");
}

void cli_help(FILE *f, const struct cli_command *c)
{
	const int *o;
	size_t i;

	if (c) {
		help_synopsis(f, c);
		fputc('\n', f);
		wrap(f, c->description ? c->description : c->summary, 0, 0);
		fprintf(f, "\noptions:\n");
		for (o = c->opts; o && *o; o++)
			help_option(f, c, option_by_id(*o));
		for (o = COMMON; *o; o++)
			help_option(f, c, option_by_id(*o));
		return;
	}
	fprintf(f, "usage: grader [-q | -v] [--color[=WHEN]] COMMAND [options] [ARGS]\n"
		   "       grader --version | -V\n"
		   "       grader help [COMMAND]\n\n"
		   "commands:\n");
	for (i = 0; i < ncommands; i++)
		if (commands[i].summary)
			fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\noptions every command takes:\n");
	for (o = COMMON; *o; o++)
		help_option(f, c, option_by_id(*o));
	fprintf(f, "\nSee 'grader help COMMAND' for a command's options, and grader(1).\n");
}

/* ---- man page ---------------------------------------------------------------- */

/*
 * troff-safe text: backslash and hyphen-minus escaped, a line never starting
 * with a dot or a quote (a request), each sentence on a line of its own and
 * lines kept under 80 bytes (man(7) style; mandoc -T lint checks both).
 */
static void troff_text(FILE *f, const char *s, bool wrap)
{
	int col = 0;

	for (; *s; s++) {
		bool sentence_end = col > 0 && s[-1] == '.' && *s == ' ' && s[1] >= 'A' && s[1] <= 'Z';

		if (wrap && (*s == ' ' || *s == '\n') && (sentence_end || col > 64)) {
			fputc('\n', f);
			col = 0;
			continue;
		}
		if (col == 0 && (*s == '.' || *s == '\''))
			col += fprintf(f, "\\&");
		if (*s == '\\')
			col += fprintf(f, "\\e");
		else if (*s == '-')
			col += fprintf(f, "\\-");
		else if (*s == '\n')
			col += fprintf(f, " ");
		else
			col += fprintf(f, "%c", *s);
	}
}

/* Running text (wrapped), and text inside a macro's line (never wrapped). */
static void troff(FILE *f, const char *s)
{
	troff_text(f, s, true);
}

static void troff_inline(FILE *f, const char *s)
{
	troff_text(f, s, false);
}

/* A sentence: troff-safe, ending with one full stop. */
static void troff_sentence(FILE *f, const char *s)
{
	size_t n = strlen(s);

	troff(f, s);
	fputs(n && s[n - 1] == '.' ? "\n" : ".\n", f);
}

static void man_option(FILE *f, const struct cli_command *c, const struct cli_option *o)
{
	if (!o || o->hidden)
		return;
	fputs(".TP\n", f);
	if (o->letter)
		fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
	fputs("\\fB\\-\\-", f);
	troff_inline(f, o->name);
	fputs("\\fR", f);
	if (o->arg) {
		fputs(o->arg_optional ? "[=\\fI" : " \\fI", f);
		troff_inline(f, o->arg);
		fputs(o->arg_optional ? "\\fR]" : "\\fR", f);
	}
	fputc('\n', f);
	troff_sentence(f, help_of(c, o));
}

void cli_man_commands(FILE *f)
{
	const int *o;
	size_t i;

	fputs(".SH COMMANDS\n", f);
	for (i = 0; i < ncommands; i++) {
		const struct cli_command *c = &commands[i];

		if (!c->summary)
			continue;
		fputs(".SS \"grader ", f);
		troff_inline(f, c->name);
		if (c->opts)
			fputs(" [\\fIoptions\\fR]", f);
		if (c->operands && *c->operands) {
			fputc(' ', f);
			troff_inline(f, c->operands);
		}
		fputs("\"\n", f);
		troff_sentence(f, c->description ? c->description : c->summary);
		for (o = c->opts; o && *o; o++)
			man_option(f, c, option_by_id(*o));
	}
	fputs(".SH \"COMMON OPTIONS\"\nEvery command takes these, before or after its name.\n", f);
	for (o = COMMON; *o; o++)
		man_option(f, NULL, option_by_id(*o));
}

/* ---- completion ----------------------------------------------------------------- */

static void cand(FILE *f, const char *word, const char *prefix, const char *cur)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", prefix, word);
	if (!strncmp(full, cur, strlen(cur)))
		fprintf(f, "%s\n", full);
}

static void complete_words(FILE *f, const char *spec, const char *cur, const char *datadir)
{
	struct gbuf names = GBUF_INIT(64 << 10);
	const char *p;

	if (!spec) {
		fputs("@files\n", f);
		return;
	}
	if (!strcmp(spec, "@none"))
		return;
	if (!strcmp(spec, "@dirs")) {
		fputs("@dirs\n", f);
		return;
	}
	if (!strcmp(spec, "@commands")) {
		size_t i;

		for (i = 0; i < ncommands; i++)
			if (commands[i].summary)
				cand(f, commands[i].name, "", cur);
		return;
	}
	if (!strcmp(spec, "@challenges")) {
		/* Names under challenges/; a path to a folder works too. */
		if (challenge_list(datadir, "\n", &names) == 0)
			spec = gbuf_str(&names);
		else
			spec = "";
		fputs("@dirs\n", f);
	}
	for (p = spec; *p;) {
		size_t w = strcspn(p, " \n");
		char word[256];

		if (w && w < sizeof(word)) {
			memcpy(word, p, w);
			word[w] = '\0';
			cand(f, word, "", cur);
		}
		p += w;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	gbuf_release(&names);
}

static void complete_options(FILE *f, const struct cli_command *c, const char *cur)
{
	const int *lists[2] = {c && c->opts ? c->opts : COMMON + 4, COMMON};
	const int *o;
	int k;

	for (k = 0; k < 2; k++)
		for (o = lists[k]; *o; o++) {
			const struct cli_option *d = option_by_id(*o);

			if (d && !d->hidden)
				cand(f, d->name, "--", cur);
		}
}

void cli_complete(FILE *f, int cword, int nwords, char **words, const char *datadir)
{
	const struct cli_command *c;
	const struct cli_option *o = NULL;
	const char *cur = cword < nwords ? words[cword] : "", *prev;
	int ci;
	size_t i;

	/* The command word: the first that is not a global option. */
	for (ci = 1; ci < nwords && ci < cword && words[ci][0] == '-'; ci++)
		;
	if (cword <= ci) {
		if (cur[0] == '-') {
			static const char *const g[] = {"--help", "--version", "--quiet", "--verbose", "--color="};

			for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
				cand(f, g[i] + 2, "--", cur);
			return;
		}
		for (i = 0; i < ncommands; i++)
			if (commands[i].summary)
				cand(f, commands[i].name, "", cur);
		return;
	}
	c = cli_command_find(words[ci]);
	if (!c)
		return;
	prev = words[cword - 1];
	/* bash splits "--color=al" into "--color", "=", "al". */
	if (!strcmp(cur, "=") && cword - 1 > ci && !strncmp(prev, "--", 2)) {
		o = option_by_name(prev + 2, strlen(prev + 2));
		if (o && o->arg && takes(c, o->id))
			complete_words(f, complete_of(c, o), "", datadir);
		return;
	}
	if (!strcmp(prev, "=") && cword - 2 > ci && !strncmp(words[cword - 2], "--", 2)) {
		o = option_by_name(words[cword - 2] + 2, strlen(words[cword - 2] + 2));
		if (o && o->arg && takes(c, o->id))
			complete_words(f, complete_of(c, o), cur, datadir);
		return;
	}
	if (cword - 1 > ci && !strncmp(prev, "--", 2))
		o = option_by_name(prev + 2, strlen(prev + 2));
	else if (cword - 1 > ci && prev[0] == '-' && prev[1] && !prev[2])
		o = option_by_id(letter_to_id(prev[1]));
	if (o && o->arg && !o->arg_optional && takes(c, o->id)) {
		complete_words(f, complete_of(c, o), cur, datadir);
		return;
	}
	if (cur[0] == '-') {
		complete_options(f, c, cur);
		return;
	}
	complete_words(f, c->complete ? c->complete : "@none", cur, datadir);
}
