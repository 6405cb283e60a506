#!/usr/bin/env bash
# shellcheck disable=SC2016  # eventually()'s conditions: single-quoted, expanded at each try
# packaging/hakto-kiosk against a real exhibit, with a stand-in for Chromium
# (HAKTO_KIOSK_BROWSER) that writes down how it was run: the launcher waits for /healthz before
# the first start, passes the kiosk flags and the page of the config file's port, starts the
# browser again when it exits, stops it and itself on SIGTERM, returns the browser's status with
# --once, and with --autostart does nothing for a user outside the group hakto-kiosk.
#
#   tests/packaging/hakto_kiosk_test.sh HAKTO_BINARY WORK_DIR
set -euo pipefail
hakto="$1"
work="$2/test-hakto-kiosk"
kiosk="$(cd "$(dirname "$0")/../.." && pwd)/packaging/hakto-kiosk"
rm -rf "$work"
mkdir -p "$work"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
fail() {
    echo "hakto-kiosk test: FAILED: $*" >&2
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done
    exit 1
}
# Polls for up to $2 tenths of a second until the command $1 succeeds (given in single quotes,
# expanded at each try).
eventually() {
    for _ in $(seq 1 "$2"); do
        if eval "$1"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# The stand-in browser: each run appends its arguments as one line, then does what
# $work/behaviour says (exit N, or sleep).
cat >"$work/browser" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$work/runs"
read -r what <"$work/behaviour"
case "\$what" in
    sleep) exec -a hakto-kiosk-test-browser sleep 30 ;;
    *) exit "\$what" ;;
esac
EOF
chmod +x "$work/browser"
export HAKTO_KIOSK_BROWSER="$work/browser"

# A free port, known before the server starts (the launcher must wait for it).
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$work/exhibit.conf" <<EOF
# the exhibit's options
#listen = 127.0.0.1:1
listen = 0.0.0.0:$port   # served everywhere: the kiosk uses the loopback address
EOF
export HAKTO_KIOSK_CONFIG="$work/exhibit.conf"

# 1. Before the server is up, no browser; once /healthz answers, the browser, with the kiosk
# flags and the page. It exits at once (status 1) and is started again, a moment later.
echo 1 >"$work/behaviour"
"$kiosk" >"$work/kiosk.log" 2>&1 &
launcher=$!
pids+=("$launcher")
sleep 1.5
[ ! -e "$work/runs" ] || fail "the browser ran before the exhibit answered /healthz"
"$hakto" exhibit --listen "127.0.0.1:$port" >"$work/exhibit.log" 2>&1 &
pids+=("$!")
eventually '[ -s "$work/runs" ]' 100 || fail "the browser did not start once the exhibit was up"
first="$(head -n 1 "$work/runs")"
for flag in --kiosk --noerrdialogs --disable-infobars --no-first-run \
    --disable-session-crashed-bubble --overscroll-history-navigation=0 \
    --check-for-update-interval=31536000 "http://127.0.0.1:$port/"; do
    grep -q -- " $flag\( \|$\)\|^$flag " <<<"$first" || fail "the browser was run without $flag: $first"
done
eventually '[ "$(wc -l <"$work/runs")" -ge 2 ]' 60 || fail "the browser was not started again"

# 2. SIGTERM while the browser runs: both end, status 0.
echo sleep >"$work/behaviour"
eventually 'pgrep -f hakto-kiosk-test-browser >/dev/null' 80 || fail "the long-running browser did not start"
kill -TERM "$launcher"
status=0
wait "$launcher" || status=$?
[ "$status" -eq 0 ] || fail "the launcher exited $status on SIGTERM"
! pgrep -f hakto-kiosk-test-browser >/dev/null || fail "the browser outlived the launcher"
grep -q "hakto-kiosk: stopped" "$work/kiosk.log" || fail "no 'stopped' line"

# 3. --once: one run, the browser's status; --url instead of the config file.
: >"$work/runs"
echo 3 >"$work/behaviour"
status=0
"$kiosk" --once --url "http://127.0.0.1:$port/operator.html" >"$work/once.log" 2>&1 || status=$?
[ "$status" -eq 3 ] || fail "--once returned $status, not the browser's 3"
[ "$(wc -l <"$work/runs")" -eq 1 ] || fail "--once ran the browser $(wc -l <"$work/runs") times"
grep -q "http://127.0.0.1:$port/operator.html" "$work/runs" || fail "--url was not the page"

# 4. --autostart for a user outside hakto-kiosk: nothing at all.
if ! id -nG | tr ' ' '\n' | grep -qx hakto-kiosk; then
    : >"$work/runs"
    timeout 5 "$kiosk" --autostart --once || fail "--autostart did not return at once"
    [ ! -s "$work/runs" ] || fail "--autostart ran the browser for a user outside hakto-kiosk"
fi

# 5. Usage errors.
status=0
"$kiosk" --bogus 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "an unknown option returned $status"
status=0
HAKTO_KIOSK_URL="file:///etc/passwd" "$kiosk" --once 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "a page that is not http:// returned $status"

echo "hakto-kiosk test: ok"
