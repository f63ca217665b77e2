#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ERR_MAX 1024

static _Thread_local char err_msg[ERR_MAX];

int err_setv(const char *fmt, va_list ap)
{
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	return -1;
}

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(fmt, ap);
	va_end(ap);
	return -1;
}

int err_set_errno(const char *fmt, ...)
{
	int saved = errno;
	char head[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	return err_set("%s: %s", head, strerror(saved));
}

int err_wrap(const char *fmt, ...)
{
	char head[ERR_MAX];
	char old[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err_msg, sizeof(old));
	return err_set("%s: %s", head, old);
}

const char *err_last(void)
{
	return err_msg;
}

void err_clear(void)
{
	err_msg[0] = '\0';
}
