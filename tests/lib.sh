# Shared helpers for the shell test suites: source it, call tcase for each
# case, assert with expect_* (each failure is printed with the case name),
# and end with tsummary, which prints "N passed, N failed, N skipped".
T_PASS=0 T_FAIL=0 T_SKIP=0 T_NAME="" T_BAD=0

tcase() { tend; T_NAME=$1 T_BAD=0 T_OPEN=1; }

# tend: close the open case (counted as passed unless an expectation failed)
tend() {
	[[ ${T_OPEN:-0} == 1 ]] || return 0
	T_OPEN=0
	if ((T_BAD)); then
		T_FAIL=$((T_FAIL + 1)); echo "FAIL $T_NAME"
	else
		T_PASS=$((T_PASS + 1)); echo "ok   $T_NAME"
	fi
}

tskip() { T_OPEN=0; T_SKIP=$((T_SKIP + 1)); echo "skip $T_NAME: $*"; }

tfail() { T_BAD=1; echo "  $T_NAME: $*"; }

# expect_grep FILE ERE [what]: FILE has a line matching ERE
expect_grep() { grep -Eq -- "$2" "$1" || tfail "no line matching /$2/ in $1"; }
# expect_no_grep FILE ERE: no line matches
expect_no_grep() { ! grep -Eq -- "$2" "$1" || tfail "unexpected line matching /$2/ in $1"; }
# expect_eq GOT WANT WHAT
expect_eq() { [[ $1 == "$2" ]] || tfail "$3: got '$1', want '$2'"; }

tsummary() {
	tend
	echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	((T_FAIL == 0))
}
