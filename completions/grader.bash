# bash completion for grader(1).
#
# The candidates come from the grader itself (`grader __complete CWORD
# WORDS...`), which reads the same command and option tables as its help, so
# this file never needs to change when a command or an option is added.
# A line "@files" or "@dirs" asks for file or folder names.
_grader() {
	local cur=${COMP_WORDS[COMP_CWORD]} line
	local -a words=()
	COMPREPLY=()
	while IFS= read -r line; do
		case $line in
		@files) compopt -o filenames 2>/dev/null; mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur") ;;
		@dirs) compopt -o filenames 2>/dev/null; mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur") ;;
		?*) words+=("$line") ;;
		esac
	done < <("${COMP_WORDS[0]}" __complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null)
	COMPREPLY+=("${words[@]}")
	# An option that takes a value in the same word (--color=) needs no space.
	if [ "${#COMPREPLY[@]}" = 1 ] && [ "${COMPREPLY[0]: -1}" = "=" ]; then
		compopt -o nospace 2>/dev/null
	fi
}
complete -F _grader grader
