#!/usr/bin/env bash
# Build and run the Go reference benchmarks (chanscope_ref_test.go).
#
# Usage: run.sh [BENCHTIME] [extra go test flags...]
#   BENCHTIME   -benchtime value (default: $BENCHTIME or 1s), e.g. 3s, 100000x
#   GOMAXPROCS  env, default 2 (the 2 cores the C++ bench is run on)
#   BENCH       env, -bench regexp (default: .)
# Example: GOMAXPROCS=1 ./run.sh 2s -count=3
set -euo pipefail

GO=/usr/lib/go-1.19/bin/go
if [[ ! -x "$GO" ]]; then
	echo "error: $GO not found." >&2
	echo "install it with: apt-get install golang-1.19-go golang-golang-x-sync-dev golang-golang-x-time-dev golang-github-patrickmn-go-cache-dev golang-github-dgraph-io-ristretto-dev" >&2
	exit 1
fi
DEBIAN_GOPATH=/usr/share/gocode
for pkg in golang.org/x/sync/semaphore golang.org/x/time/rate github.com/patrickmn/go-cache github.com/dgraph-io/ristretto; do
	if [[ ! -d "$DEBIAN_GOPATH/src/$pkg" ]]; then
		echo "error: $DEBIAN_GOPATH/src/$pkg not found." >&2
		echo "install it with: apt-get install golang-1.19-go golang-golang-x-sync-dev golang-golang-x-time-dev golang-github-patrickmn-go-cache-dev golang-github-dgraph-io-ristretto-dev" >&2
		exit 1
	fi
done

benchtime=${BENCHTIME:-1s}
if [[ $# -gt 0 ]]; then
	benchtime=$1
	shift
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# No network and no module proxy: build in GOPATH mode. The test file is
# copied into a throw-away GOPATH that sits in front of the Debian one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pkgdir=$tmp/gopath/src/chanscope_ref
mkdir -p "$pkgdir"
cp "$here"/*_test.go "$pkgdir/"

export GO111MODULE=off
export GOPATH=$tmp/gopath:$DEBIAN_GOPATH
export GOFLAGS=
export GOMAXPROCS=${GOMAXPROCS:-2}
export GOCACHE=${GOCACHE:-$tmp/gocache}

echo "go: $("$GO" version | cut -d' ' -f3-)  GOMAXPROCS=$GOMAXPROCS  benchtime=$benchtime"
cd "$pkgdir"
"$GO" test -run '^$' -bench "${BENCH:-.}" -benchtime "$benchtime" "$@" .
