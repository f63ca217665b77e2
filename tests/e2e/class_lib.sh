# A class for the batch tests: seven students, correct, broken and
# ungradable submissions mixed, with commit times around a deadline of
# 2025-03-02T00:00:00Z. Sourced after lib.sh; makes $WORK/class/*.
#   alice  reference solution, on time                      -> 100
#   bob    mutant order-accepted-at-zero-stock, on time  -> 80
#   carol  reference on 03-01, a broken push on 03-05 after
#          the cutoff: the 03-01 commit is graded            -> 100
#   dave   no manage.py                                      -> setup-failed
#   eve    no repository at all                              -> fetch-failed
#   frank  reference pushed 03-03T12:00Z: 2 started days late,
#          10 % a day                                        -> 100, -20, 80
#   hana   reference pushed 03-04T08:00Z with an extension
#          until 03-10                                       -> 100, on time
CLASS_DEADLINE=2025-03-02T00:00:00Z
CLASS_POLICY=per-day:10,cap:50,cutoff:2025-03-04T00:00:00Z
class_commit() {   # DIR DATE
	git -C "$1" add -A . && GIT_COMMITTER_DATE=$2 GIT_AUTHOR_DATE=$2 \
		git -C "$1" -c user.name=s -c user.email=s@example.invalid commit -q -m "work $2"
}
class_make() {
	local S=$ROOT/challenges/ecommerce-api/solution M=$ROOT/challenges/ecommerce-api/mutants d
	mkdir -p "$WORK/class"
	for d in alice bob carol dave frank hana; do
		mkdir -p "$WORK/class/$d" && cp -a "$S/." "$WORK/class/$d/" && git -C "$WORK/class/$d" init -q -b main .
	done
	git -C "$WORK/class/bob" apply -p1 "$M/order-accepted-at-zero-stock.patch"
	rm "$WORK/class/dave/manage.py"
	class_commit "$WORK/class/alice" 2025-03-01T10:00:00Z
	class_commit "$WORK/class/bob" 2025-03-01T11:00:00Z
	class_commit "$WORK/class/carol" 2025-03-01T12:00:00Z
	git -C "$WORK/class/carol" apply -p1 "$M/orders-list-all-users.patch"
	class_commit "$WORK/class/carol" 2025-03-05T12:00:00Z
	class_commit "$WORK/class/dave" 2025-03-01T13:00:00Z
	class_commit "$WORK/class/frank" 2025-03-03T12:00:00Z
	class_commit "$WORK/class/hana" 2025-03-04T08:00:00Z
	{
		echo "student,repo,ref,extension_until"
		echo "alice,$WORK/class/alice,,"
		echo "bob,$WORK/class/bob/,main,"
		echo "carol,file://$WORK/class/carol,,"
		echo "dave,$WORK/class/dave,,"
		echo "eve,$WORK/class/eve,,"
		echo "frank,$WORK/class/frank,,"
		echo "hana,\"$WORK/class/hana\",,2025-03-10T00:00:00Z"
	} >"$WORK/class/roster.csv"
}
# The gradebook each test expects: student,score,max,penalty,final,status.
CLASS_EXPECTED="alice,100,100,0,100,graded
bob,80,100,0,80,graded
carol,100,100,0,100,graded
dave,0,100,0,0,setup-failed
eve,0,100,0,0,fetch-failed
frank,100,100,20,80,graded
hana,100,100,0,100,graded"
# gradebook_core CSV: the first six columns of a gradebook, header dropped.
gradebook_core() {
	python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
for r in rows:
    print(','.join(r[k] for k in ['student', 'score', 'max_score', 'late_penalty', 'final_score', 'status']))
" "$1"
}
