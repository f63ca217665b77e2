#!/usr/bin/env bash
# deploy/slurm/grade-class.sbatch under a real Slurm (Debian's 22.05, from
# scripts/setup): a one-node cluster of this test's own, with a private
# slurm.conf, munged key and socket, state, spool and logs under $WORK, its
# daemons on free loopback ports (nothing else on the machine is touched:
# SLURM_CONF points every Slurm command here). The shipped script is
# submitted unchanged as the docs say (an array of 4), the merge as a
# dependent job, and the merged gradebook must be the one a single unsharded
# `grader batch` of the same roster gives. The roster: one real submission
# (the reference solution, pushed two days late: 100, -20) and five
# repositories that do not exist (fetch-failed, fast), one student or more in
# each of the 4 shards. The unsharded batch runs while Slurm does. Needs
# root (slurmd runs jobs as their submitter; the suite runs as root).
source "$(dirname "$0")/lib.sh"

SBATCH_SCRIPT=$ROOT/deploy/slurm/grade-class.sbatch
DEADLINE=2025-03-02T00:00:00Z
LATE_POLICY=per-day:10,cap:50
EXPECTED="alice,100,100,20,80,graded
bob,0,100,0,0,fetch-failed
cat,0,100,0,0,fetch-failed
dan,0,100,0,0,fetch-failed
eva,0,100,0,0,fetch-failed
gus,0,100,0,0,fetch-failed"

# --- cleanup: only what this test started, by pid --------------------------
SL=$WORK/slurm
daemons=()
declare -A names
jobs_submitted=()
cleanup() {
	local p i
	# Jobs still queued or running (a failed run) are cancelled while the
	# controller is up; once it is stopped, scancel would only retry.
	if [ ${#jobs_submitted[@]} -gt 0 ] && [ -n "${ctld_pid:-}" ] && kill -0 "$ctld_pid" 2>/dev/null; then
		timeout 10 scancel "${jobs_submitted[@]}" >/dev/null 2>&1
	fi
	for p in "${daemons[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${daemons[@]}"; do
		for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# --- the class --------------------------------------------------------------
mkclass() {   # DIR DATE
	local S=$ROOT/challenges/ecommerce-api/solution
	mkdir -p "$1" && cp -a "$S/." "$1/" && git -C "$1" init -q -b main . || return 1
	git -C "$1" add -A . && GIT_COMMITTER_DATE=$2 GIT_AUTHOR_DATE=$2 \
		git -C "$1" -c user.name=s -c user.email=s@example.invalid commit -q -m "work $2"
}
mkclass "$WORK/class/alice" 2025-03-03T12:00:00Z
{ echo "student,repo"; for s in alice bob cat dan eva gus; do echo "$s,$WORK/class/$s"; done; } \
	>"$WORK/class/roster.csv"
# `grader` on PATH, as the docs' merge command and a cluster's nodes have it.
mkdir -p "$WORK/bin" && ln -s "$GRADER" "$WORK/bin/grader"
export PATH=$WORK/bin:$PATH

# --- the cluster ------------------------------------------------------------
# munged checks that every folder above its socket is searchable by all.
chmod 711 "$WORK"
mkdir -p "$SL/munge" "$SL/state" "$SL/spool" "$SL/log"
chmod 711 "$SL" "$SL/munge"
read -r ctld_port slurmd_port < <(python3 -c "
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(('127.0.0.1', 0))
print(*[s.getsockname()[1] for s in ss])")
# The node as slurmd sees this machine (CPUs, sockets, cores, memory).
hw=$(slurmd -C 2>/dev/null | head -1 | sed 's/^NodeName=[^ ]* //')
cat >"$SL/slurm.conf" <<EOF
ClusterName=gradertest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SL/munge/socket
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool
SlurmctldPidFile=$SL/slurmctld.pid
SlurmdPidFile=$SL/slurmd.pid
SlurmctldLogFile=$SL/log/slurmctld.log
SlurmdLogFile=$SL/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
PropagateResourceLimits=NONE
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=grader Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$SL/slurm.conf

mungekey --create --keyfile="$SL/munge/munge.key" >"$SL/log/mungekey.out" 2>&1
munged --foreground --socket="$SL/munge/socket" --key-file="$SL/munge/munge.key" \
	--pid-file="$SL/munge/munged.pid" --seed-file="$SL/munge/seed" --origin=127.0.0.1 \
	>"$SL/log/munged.out" 2>&1 &
munged_pid=$!
daemons+=("$munged_pid")
names[$munged_pid]=munged
for i in $(seq 100); do [ -S "$SL/munge/socket" ] && break; sleep 0.1; done
slurmctld -D >"$SL/log/slurmctld.out" 2>&1 &
ctld_pid=$!
daemons+=($!); names[$!]=slurmctld
slurmd -D -N localhost >"$SL/log/slurmd.out" 2>&1 &
daemons+=($!); names[$!]=slurmd
# Until the node registers (a few seconds), or a daemon dies.
state= dead=
for i in $(seq 150); do
	state=$(timeout 5 sinfo -h -n localhost -o %t 2>/dev/null)
	[ "$state" = idle ] && break
	for p in "${daemons[@]}"; do kill -0 "$p" 2>/dev/null || dead="$dead ${names[$p]}"; done
	[ -n "$dead" ] && break
	sleep 0.2
done
version=$(sinfo --version 2>&1)
T_UP="a private one-node Slurm ($version) is up on loopback, the node idle"
T_LISTEN="slurmctld and slurmd listen on loopback only"
T_ARRAY="sbatch --array=0-3 of the shipped script: 4 tasks complete, each grading its shard into its own file"
T_MERGE="the dependent merge job's gradebook is the unsharded batch's (late penalty included)"
T_STOP="the cluster's daemons stop on SIGTERM, no job process left behind"
if [ "$state" != idle ]; then
	# Nothing below can run without the cluster: each says so, fast.
	why="node state '$state', exited:${dead:- none}; $(tail -n 5 "$SL"/log/*.out "$SL"/log/*.log 2>&1)"
	for t in "$T_UP" "$T_LISTEN" "$T_ARRAY" "$T_MERGE" "$T_STOP"; do notok "$t" "$why"; done
	exit 1
fi
ok "$T_UP"
listen=$(ss -Hltn "( sport = :$ctld_port or sport = :$slurmd_port )" | awk '{print $4}' | sort | tr '\n' ' ')
[ "$listen" = "$(printf '127.0.0.1:%s\n' "$ctld_port" "$slurmd_port" | sort | tr '\n' ' ')" ] \
	&& ok "$T_LISTEN" \
	|| notok "$T_LISTEN" "listening: $listen"

# --- the docs' two commands (docs/cluster.md), the script unchanged ---------
# Meanwhile, the same roster in one unsharded batch, compared below.
"$GRADER" batch "$WORK/class/roster.csv" --challenge ecommerce-api --deadline "$DEADLINE" \
	--late-policy "$LATE_POLICY" --jobs 2 --db "$WORK/one.sqlite3" >"$WORK/one.out" 2>&1 &
one_pid=$!
mkdir -p "$WORK/cluster"
cd "$WORK/cluster" || exit 1
# sbatch --wait: until every task has ended; its status is the worst task's.
array=$(ROSTER=$WORK/class/roster.csv CHALLENGE=ecommerce-api DEADLINE=$DEADLINE LATE_POLICY=$LATE_POLICY \
	timeout 120 sbatch --parsable --wait --array=0-3 "$SBATCH_SCRIPT" 2>"$WORK/sbatch.err")
array_rc=$?
array=${array%%;*}
[ -n "$array" ] && jobs_submitted+=("$array")
merge= merge_rc="not submitted: the array failed"
if [ "$array_rc" = 0 ]; then
	merge=$(timeout 60 sbatch --parsable --wait --dependency=afterok:"$array" \
		--wrap 'grader merge grades-shard-*-of-4.sqlite3 --into class.sqlite3' 2>>"$WORK/sbatch.err")
	merge_rc=$?
	merge=${merge%%;*}
	[ -n "$merge" ] && jobs_submitted+=("$merge")
fi
cd "$ROOT" || exit 1

# Every array task ran the script to its end (exit 0) in the submit folder,
# its shard taken from Slurm's variables (the script passes no --shard).
tasks=$(timeout 10 scontrol -o show job "$array" 2>&1 | grep -oE 'ArrayTaskId=[0-9]+ .*JobState=[A-Z]+|ExitCode=[0-9:]+' | \
	sed -E 's/ArrayTaskId=([0-9]+) .*JobState=([A-Z]+)/\1 \2/' | paste -d' ' - - | sort | tr '\n' ';')
want_tasks="0 COMPLETED ExitCode=0:0;1 COMPLETED ExitCode=0:0;2 COMPLETED ExitCode=0:0;3 COMPLETED ExitCode=0:0;"
shards=$(python3 - "$WORK/cluster" 2>&1 <<'PY'
import sqlite3, sys
out = []
for i in range(4):
    db = sqlite3.connect(f"file:{sys.argv[1]}/grades-shard-{i}-of-4.sqlite3?mode=ro", uri=True)
    out.append(",".join(r[0] for r in db.execute(
        "select s.name from runs r join students s on s.id = r.student_id order by s.name")))
print(";".join(out))
PY
)
logs=$(ls "$WORK"/cluster/grade-class-"$array"_[0-3].log 2>/dev/null | wc -l)
[ -n "$array" ] && [ "$array_rc" = 0 ] && [ "$tasks" = "$want_tasks" ] && [ "$logs" = 4 ] && [ "$shards" = "bob,dan;eva;gus;alice,cat" ] \
	&& ok "$T_ARRAY" \
	|| notok "$T_ARRAY" \
		"job '$array' exit $array_rc, tasks: $tasks; logs $logs; shards: $shards; $(cat "$WORK/sbatch.err"; tail -n 5 "$WORK"/cluster/*.log)"

# The merge job's gradebook and the unsharded batch's: the same.
"$GRADER" export --challenge ecommerce-api --format csv --db "$WORK/cluster/class.sqlite3" \
	>"$WORK/merged.csv" 2>"$WORK/merged.err"
wait "$one_pid"
one_rc=$?
"$GRADER" export --challenge ecommerce-api --format csv --db "$WORK/one.sqlite3" >"$WORK/one.csv" 2>>"$WORK/one.out"
source "$ROOT/tests/e2e/class_lib.sh"
merged=$(gradebook_core "$WORK/merged.csv" 2>&1)
one=$(gradebook_core "$WORK/one.csv" 2>&1)
[ "$merge_rc" = 0 ] && [ "$one_rc" = 0 ] && [ "$merged" = "$one" ] && [ "$one" = "$EXPECTED" ] \
	&& ok "$T_MERGE" \
	|| notok "$T_MERGE" \
		"merge job '$merge' exit $merge_rc, batch exit $one_rc
merged:
$merged
unsharded:
$one
$(cat "$WORK/sbatch.err" "$WORK/merged.err"; tail -n 5 "$WORK"/cluster/slurm-*.out "$WORK/one.out")"

# Stopping the cluster leaves nothing of it running.
pids=("${daemons[@]}")
cleanup_daemons_only() {
	local p i
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
}
cleanup_daemons_only
alive=
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive="$alive ${names[$p]}"; done
left=$(left_running | tr '\n' ' ')
[ -z "$alive" ] && [ -z "$left" ] \
	&& ok "$T_STOP" \
	|| notok "$T_STOP" "alive:$alive; under \$WORK: $left"
