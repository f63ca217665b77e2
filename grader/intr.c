/*
 * intr.c - see intr.h. The handler touches only this table (lock-free
 * atomics) and makes async-signal-safe system calls.
 */
#include "intr.h"
#include "err.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define INTR_SLOTS 256

struct watch {
	int pidfd;      /* -1 = free; claimed with a CAS from -1 to -2, then set */
	pid_t pgid;     /* > 0: also kill(-pgid, SIGKILL) */
	int sig;
};

static struct watch table[INTR_SLOTS] = {[0 ... INTR_SLOTS - 1] = {-1, 0, 0}};
static volatile sig_atomic_t got;

static void intr_handler(int sig)
{
	int saved = errno, i;

	if (!got)
		got = sig;
	for (i = 0; i < INTR_SLOTS; i++) {
		int fd = __atomic_load_n(&table[i].pidfd, __ATOMIC_ACQUIRE);
		pid_t pg = __atomic_load_n(&table[i].pgid, __ATOMIC_ACQUIRE);

		if (fd < 0)
			continue;
		if (pg > 0)
			kill(-pg, SIGKILL);
		syscall(SYS_pidfd_send_signal, fd, __atomic_load_n(&table[i].sig, __ATOMIC_ACQUIRE), NULL, 0);
	}
	errno = saved;
}

int intr_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = intr_handler;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return err_set_errno("sigaction");
	return 0;
}

int intr_signal(void)
{
	return got;
}

int intr_watch(pid_t pid, int sig, bool group)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), i;

	if (fd < 0)
		return -1;
	for (i = 0; i < INTR_SLOTS; i++) {
		int expect = -1;

		if (__atomic_compare_exchange_n(&table[i].pidfd, &expect, -2, false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			__atomic_store_n(&table[i].pgid, group ? pid : 0, __ATOMIC_RELEASE);
			__atomic_store_n(&table[i].sig, sig, __ATOMIC_RELEASE);
			__atomic_store_n(&table[i].pidfd, fd, __ATOMIC_RELEASE);
			/* A signal that came before we were listed still ends us. */
			if (got) {
				if (group)
					kill(-pid, SIGKILL);
				syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
			}
			return i;
		}
	}
	close(fd);
	return -1;
}

void intr_child_reset(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

void intr_unwatch(int slot)
{
	int fd;

	if (slot < 0 || slot >= INTR_SLOTS)
		return;
	__atomic_store_n(&table[slot].pgid, 0, __ATOMIC_RELEASE);
	fd = __atomic_exchange_n(&table[slot].pidfd, -2, __ATOMIC_ACQ_REL);
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&table[slot].pidfd, -1, __ATOMIC_RELEASE);
}
