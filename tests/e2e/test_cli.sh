#!/usr/bin/env bash
# The command line's conventions (git's and curl's): help from the command
# table, --version, usage errors that name what was wrong, bash completion.
# Nothing here grades a submission.
source "$(dirname "$0")/lib.sh"

# expect NAME WANT_RC GREP_PATTERN CMD...: exit status and a line of output.
expect() {
	local name=$1 want=$2 pat=$3; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then ok "$name"
	else notok "$name" "exit $rc (wanted $want), output lacks /$pat/:
$out"; fi
}

version=$(sed -n 's/^#define GRADER_VERSION "\(.*\)"/\1/p' grader/result.h)
expect "--version prints the version" 0 "^grader $version\$" "$GRADER" --version
expect "-V prints the version" 0 "^grader $version\$" "$GRADER" -V
expect "version -v names the data folder" 0 "^data: /" "$GRADER" version -v

# `grader help grade`, `grader grade --help` and `-h` are one text, naming
# every option with its description.
a=$("$GRADER" help grade 2>&1); b=$("$GRADER" grade --help 2>&1); c=$("$GRADER" grade -h 2>&1)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && grep -q '^usage: grader grade' <<<"$a" \
	&& grep -qE -- '-o, --out FILE +write the report to FILE' <<<"$a" \
	&& grep -qE -- '--challenge NAME +the challenge' <<<"$a"; then
	ok "help grade, grade --help and grade -h show the options with their descriptions"
else
	notok "help grade, grade --help and grade -h show the options with their descriptions" "$a"
fi
# Every long option getopt accepts for grade is in its help (from one table).
missing=""
for o in challenge ref format out db no-db python fetch-timeout env-timeout boot-timeout request-timeout \
	run-timeout sandbox-profile unsafe-no-sandbox keep-workspace quiet verbose color help; do
	grep -q -- "--$o" <<<"$a" || missing="$missing --$o"
done
[ -z "$missing" ] && ok "grade's help lists all its options" || notok "grade's help lists all its options" "missing:$missing"
expect "help lists the commands" 0 "^  grade +grade one submission" "$GRADER" help
expect "--help lists the commands" 0 "^  prove " "$GRADER" --help
expect "help of an unknown command names it" 2 "no command 'frobnicate'" "$GRADER" help frobnicate
expect "an unknown command is named" 2 "'frobnicate' is not a grader command" "$GRADER" frobnicate
expect "no command at all is a usage error" 2 "^usage: grader" "$GRADER"

# Usage errors name the offending option or value, and exit 2 before any work.
expect "an unknown option is named" 2 "unknown option '--bogus'" "$GRADER" grade x --challenge ecommerce-api --bogus
expect "a missing argument names its option" 2 "option '--out' needs an argument \\(FILE\\)" \
	"$GRADER" grade x --challenge ecommerce-api --out
expect "a bad --format value is named" 2 "--format takes text or json, not 'yaml'" \
	"$GRADER" grade x --challenge ecommerce-api --format yaml
expect "a bad number of seconds names the option" 2 "--boot-timeout takes a number of seconds.*not 'soon'" \
	"$GRADER" grade x --challenge ecommerce-api --boot-timeout soon
expect "a flag given a value is named" 2 "'--no-db' takes no value" "$GRADER" grade x --challenge ecommerce-api --no-db=1
expect "grade without --challenge says so" 2 "no --challenge given" "$GRADER" grade x
expect "a second SOURCE is named" 2 "found 'y' after SOURCE 'x'" "$GRADER" grade x y --challenge ecommerce-api
expect "a bad --color value is named" 2 "--color takes auto, always or never, not 'pink'" "$GRADER" --color=pink help
expect "env: an unknown subcommand is named" 2 "unknown subcommand 'purge'" "$GRADER" env purge
expect "env: --days only with prune" 2 "--days is for env prune" "$GRADER" env list --days 3

# Bash completion: the script asks the grader, which reads the same tables.
mkdir -p "$WORK/bin" && ln -sf "$GRADER" "$WORK/bin/grader"
complete_line() {   # complete_line "grader gr" -> the candidates, one a line
	PATH="$WORK/bin:$PATH" bash -c '
		source "$2/completions/grader.bash"
		read -ra COMP_WORDS <<<"$1"
		case $1 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_grader
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" "$ROOT" 2>&1
}
r=$(complete_line "grader gr")
[ "$r" = "grade" ] && ok "completion: grader gr<TAB> gives grade" || notok "completion: grader gr<TAB> gives grade" "$r"
r=$(complete_line "grader grade --ch")
[ "$r" = "--challenge" ] && ok "completion: grader grade --ch<TAB> gives --challenge" \
	|| notok "completion: grader grade --ch<TAB> gives --challenge" "$r"
mkdir -p "$WORK/empty"
r=$(cd "$WORK/empty" && complete_line "grader grade repo --challenge ")
want=$(ls challenges | sort)
got=$(grep -v '^$' <<<"$r" | sort)
[ "$got" = "$want" ] && ok "completion: --challenge <TAB> gives the challenge names" \
	|| notok "completion: --challenge <TAB> gives the challenge names" "got: $got; want: $want"
r=$(complete_line "grader grade x --format ")
[ "$(sort <<<"$r" | tr '\n' ' ')" = "json text " ] && ok "completion: --format <TAB> gives its values" \
	|| notok "completion: --format <TAB> gives its values" "$r"
