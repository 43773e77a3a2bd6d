#!/usr/bin/env bash
# Runs the whole test suite: the training code's unit tests, then every .NET test project.
# Ends with one line "Tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

for suite in training/tests training/data/tests; do
    echo "== $suite (python unittest)"
    /usr/bin/python3 -m unittest discover -s "$suite" -t training 2>&1 | tee -a "$log" || status=1
done

echo "== .NET tests"
dotnet test SpeechServe.slnx --nologo 2>&1 | tee -a "$log" || status=1

echo "== browser (headless Chromium drives the streaming page)"
browser_shot=$(mktemp --suffix=.png)
if (cd tests/e2e && SCREENSHOT="$browser_shot" node stream-page.mjs) 2>&1 | tee -a "$log"; then
    echo "browser: 1 passed" >>"$log"
else
    echo "browser: 1 failed" >>"$log"
    status=1
fi
rm -f "$browser_shot"

read -r passed failed skipped < <(awk '
    /(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
        match($0, /Failed: +[0-9]+/); f += substr($0, RSTART + 8, RLENGTH - 8) + 0
        match($0, /Passed: +[0-9]+/); p += substr($0, RSTART + 8, RLENGTH - 8) + 0
        if (match($0, /Skipped: +[0-9]+/)) s += substr($0, RSTART + 9, RLENGTH - 9) + 0
    }
    /^Ran [0-9]+ test/ { ran += $2 }
    /^browser: 1 passed$/ { p += 1 }
    /^browser: 1 failed$/ { f += 1 }
    /^(OK|FAILED) \(/ {
        rest = $0
        while (match(rest, /(failures|errors|skipped)=[0-9]+/)) {
            split(substr(rest, RSTART, RLENGTH), kv, "=")
            if (kv[1] == "skipped") pys += kv[2]; else pyf += kv[2]
            rest = substr(rest, RSTART + RLENGTH)
        }
    }
    END { print p + ran - pyf - pys, f + pyf, s + pys }' "$log")
[ "$failed" -eq 0 ] || status=1
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
