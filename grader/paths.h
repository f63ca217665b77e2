/*
 * paths.h - the grader's own folders, for every module that needs one
 * (env.c keeps its environments there, store.c its default database), so
 * none has to ask another module for them.
 */
#ifndef GRADER_PATHS_H
#define GRADER_PATHS_H

/* The cache folder: $GRADER_CACHE_DIR (made absolute against the current
 * folder, "." and ".." resolved lexically), else $XDG_CACHE_HOME/grader (an
 * absolute XDG_CACHE_HOME only, as XDG says), else ~/.cache/grader (the
 * passwd entry's home when $HOME is unset or relative; /tmp when there is
 * none). malloc'd; NULL on out of memory. */
char *paths_cache_dir(void);

#endif
