/* monotime.c - the monotonic clock (monotime.h). */
#include "monotime.h"

#include <limits.h>
#include <time.h>

long long monotime_now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long monotime_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

double monotime_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long long monotime_deadline(long ms)
{
	return monotime_now_ms() + (ms > 0 ? ms : 0);
}

int monotime_left_ms(long long deadline)
{
	long long left = deadline - monotime_now_ms();

	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}
