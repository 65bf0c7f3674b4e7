#!/usr/bin/env bash
# chanscope's command line: help and bad values need no display; bad values exit 2 with a clear
# message; --quit-after ends a real run; an unsavable screenshot exits 1; the headless
# subcommands (run, validate, list, cachesim) work with no display; a password in a redis URL is
# hidden from the process's arguments.
# Usage: app_cli_test.sh PATH/TO/chanscope
set -u
app=${1:?usage: app_cli_test.sh PATH/TO/chanscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect CODE PATTERN ARGS...: exit status CODE, and PATTERN (grep -E) in stdout+stderr.
expect() {
    local want=$1 pattern=$2
    shift 2
    "$@" >"$tmp/out" 2>&1
    local got=$?
    if [[ $got -ne $want ]]; then
        fail "'${*:2}' exited $got, expected $want; output:"
        sed 's/^/    /' "$tmp/out" >&2
    elif ! grep -Eq -- "$pattern" "$tmp/out"; then
        fail "'${*:2}' output lacks /$pattern/:"
        sed 's/^/    /' "$tmp/out" >&2
    fi
}

# No display at all, and a platform that would need one: only works if Qt is not started.
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb)
expect 0 '--speed <X>' "${nodisplay[@]}" "$app" --help
expect 0 '--quit-after <DURATION>' "${nodisplay[@]}" "$app" --help
expect 0 '--screenshot <FILE>' "${nodisplay[@]}" "$app" --help
expect 0 '--scenario <FILE\|NAME>' "${nodisplay[@]}" "$app" --help
expect 0 '^chanscope [0-9]' "${nodisplay[@]}" "$app" --version
expect 2 "--speed: 'abc' is not a number" "${nodisplay[@]}" "$app" --speed abc
expect 2 "--speed: '20'" "${nodisplay[@]}" "$app" --speed 20
expect 2 "--speed: '0.01'" "${nodisplay[@]}" "$app" --speed 0.01
expect 2 "--speed: 'nan'" "${nodisplay[@]}" "$app" --speed nan
expect 2 'Missing value' "${nodisplay[@]}" "$app" --speed
expect 2 "--scenario: .*no built-in scenario of that name" "${nodisplay[@]}" "$app" --scenario no_such_lesson
printf '{"name": "x", "description": "d",\n "nodes": 3}' >"$tmp/bad_gui.json"
expect 2 "--scenario: .*bad_gui.json:2:" "${nodisplay[@]}" "$app" --scenario "$tmp/bad_gui.json"
expect 2 "--quit-after: '5x'" "${nodisplay[@]}" "$app" --quit-after 5x
expect 2 "--quit-after: '0s'" "${nodisplay[@]}" "$app" --quit-after 0s
expect 2 '--screenshot needs --quit-after' "${nodisplay[@]}" "$app" --screenshot "$tmp/x.png"

# Headless subcommands: no display, and never Qt.
expect 0 'worker_pool' "${nodisplay[@]}" "$app" list
expect 0 'ok \(4 nodes' "${nodisplay[@]}" "$app" validate select_nil_channel
expect 0 '"scenario":"select_nil_channel"' "${nodisplay[@]}" "$app" run select_nil_channel --speed 10 --report json
expect 0 'results \(sink\)' "${nodisplay[@]}" "$app" run worker_pool --duration 500ms --speed 10
expect 2 'no built-in scenario of that name' "${nodisplay[@]}" "$app" run no_such_scenario
expect 2 'unknown option --bogus' "${nodisplay[@]}" "$app" run worker_pool --bogus 1
printf '{"name": "x",\n "description": "d", "nodes": [{"kind": "pool", "name": "p"}]}' >"$tmp/bad.json"
expect 2 "bad.json:2:32: \\$.nodes\\[0\\]: the pool \"p\" needs at least 1 input" "${nodisplay[@]}" "$app" validate "$tmp/bad.json"
# a, b, blocks 100..102, a: with 2 entries only the second a can hit (OPT: 1 of 6).
printf '# keys and an ARC line\na\nb\n100 3 0 0\na\n' >"$tmp/trace.txt"
expect 0 '^\{"policies":\{"lru":[0-9.]+,"lfu":[0-9.]+,"wtinylfu":[0-9.]+,"s3fifo":[0-9.]+,"opt":[0-9.]+\},"requests":6\}$' \
    "${nodisplay[@]}" "$app" cachesim --trace "$tmp/trace.txt" --capacity 2 --report json
expect 0 '^opt +1 +16\.67%$' "${nodisplay[@]}" "$app" cachesim --trace "$tmp/trace.txt" --capacity 2
printf 'a\n100 -3 0 0\n' >"$tmp/bad_trace.txt"
expect 2 "bad_trace.txt:2: count \"-3\" is not a positive integer" \
    "${nodisplay[@]}" "$app" cachesim --trace "$tmp/bad_trace.txt" --capacity 2
expect 2 '--capacity: "0" is out of range \(allowed: 1 \.\. 2\^32\)' \
    "${nodisplay[@]}" "$app" cachesim --trace "$tmp/trace.txt" --capacity 0

# These start Qt (offscreen) and run a real scenario briefly.
offscreen=(env QT_QPA_PLATFORM=offscreen)
expect 2 "Unknown option 'bogus'" "${offscreen[@]}" "$app" --bogus
expect 2 "unexpected argument 'extra'" "${offscreen[@]}" "$app" extra --quit-after 100ms
expect 0 '' "${offscreen[@]}" "$app" --quit-after 300ms --speed 0.5 --scenario pipeline
expect 0 '' env QT_QPA_PLATFORM=xcb "$app" -platform offscreen -reverse --quit-after 200ms
expect 1 'could not save the screenshot' "${offscreen[@]}" "$app" \
    --quit-after 200ms --screenshot "$tmp/no/such/dir/shot.png"
expect 0 '' "${offscreen[@]}" "$app" --quit-after 200ms --screenshot "$tmp/ok.png"
[[ -s $tmp/ok.png ]] || fail "no screenshot written to $tmp/ok.png"

# A password in a redis URL is not left in the process's arguments for ps to show: the headless
# monitor (nothing listens on port 1, so it only retries) and the GUI.
cmdline_hides_password() {
    "$@" >/dev/null 2>&1 &
    local pid=$! shown=""
    for _ in $(seq 50); do
        sleep 0.1
        shown=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
        [[ $shown == *redis://* && $shown == *'@'* && $shown != *hunter2* ]] && break
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [[ $shown == *'redis://:*******@127.0.0.1:1'* ]] || fail "the password shows in ps as: $shown"
}
cmdline_hides_password "${nodisplay[@]}" "$app" redis stat --url redis://:hunter2@127.0.0.1:1 --interval 100ms --count 50
cmdline_hides_password "${offscreen[@]}" "$app" --redis redis://:hunter2@127.0.0.1:1 --quit-after 5s

if ((failures)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all command-line checks passed"
