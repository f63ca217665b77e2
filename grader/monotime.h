/*
 * monotime.h - the clock for durations and deadlines: CLOCK_MONOTONIC, in
 * milliseconds, so a timeout neither fires early nor never fires when
 * someone sets the wall clock (NTP, a VM resumed). Dates (started_at, a due
 * date) come from time(2), never from here. Nothing to free; thread-safe.
 *
 * Async-signal-safe, and safe in a child made by a raw clone or fork() of
 * the multi-threaded grader (the sandbox's PID 1 and its target): each
 * function is clock_gettime(2) (on POSIX's async-signal-safe list) plus
 * arithmetic, with no lock, no allocation, no stdio and no global state.
 * Keep it so: sandbox_linux.c's PID 1 keeps its wall clock with it.
 */
#ifndef GRADER_MONOTIME_H
#define GRADER_MONOTIME_H

/* Milliseconds since an arbitrary fixed point (boot). */
long long monotime_now_ms(void);

/* The same in microseconds (the split of an HTTP exchange's time). */
long long monotime_now_us(void);

/* The same in seconds, with sub-millisecond precision (rate limits). */
double monotime_now_s(void);

/* The deadline `ms` from now (ms <= 0: now). */
long long monotime_deadline(long ms);

/*
 * Milliseconds left until `deadline`: 0 once it has passed, at most INT_MAX,
 * so the result can be poll()'s timeout as it is.
 */
int monotime_left_ms(long long deadline);

#endif
