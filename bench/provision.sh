#!/usr/bin/env bash
# Times `idp provision` on the local provider, end to end (process start to exit), and prints each
# figure against its target:
#
#   cold        the rust-service template's manifest (database, registry, identity, network rule)
#               with no cluster yet: initdb, PostgreSQL and registry start, then the resources.
#               Each run gets a brand-new IDP_DATA_DIR.                          target < 5 s
#   warm        a new project's manifest while the cluster and registry already run (started by
#               an earlier project in the same IDP_DATA_DIR), so its database and roles are new:
#               the template's manifest, and a manifest with one postgres resource only.
#                                                                                target < 300 ms
#   no change   `idp provision` again on a provisioned project, and `idp plan` on it.
#                                                                                target < 50 ms
#
#   bench/provision.sh                  build idp in release mode, 5 cold and 5 warm runs each
#   RUNS=3 RERUNS=50 IDP=path bench/provision.sh
#
# A figure passes when its mean is under the target. The no-change runs use hyperfine when
# installed (`apt-get install hyperfine`; --warmup 3), else a loop of `date +%s%N`; the cold and warm
# runs each need fresh state, so they are always a `date +%s%N` loop. Peak RSS comes from GNU time
# (`apt-get install time`), skipped when it is missing.
#
# Needs PostgreSQL (`/usr/lib/postgresql/*/bin`) and `docker-registry`, as `idp provision` does.
# Everything happens under one temporary directory, on 127.0.0.1 only; the servers idp starts
# there are stopped, and the directory removed, when the script ends. When run as root, idp runs
# PostgreSQL as the `postgres` user, so the temporary directory is made mode 0755.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-5}"
reruns="${RERUNS:-30}"
if ! [[ "$runs" =~ ^[1-9][0-9]?$ && "$reruns" =~ ^[1-9][0-9]{0,2}$ ]]; then
    echo "RUNS must be 1-99 and RERUNS 1-999" >&2
    exit 2
fi
if [[ -z "${IDP:-}" ]]; then
    echo "building idp (release)" >&2
    cargo build --release --quiet
    IDP="$PWD/target/release/idp"
fi

work="$(mktemp -d)"
chmod 0755 "$work"
log="$work/log"

# Returns whether process `$1` is the registry of the IDP_DATA_DIR `$2` (a zombie has no cmdline).
serves_registry() {
    tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF -- "$2/registry/"
}

# Stops the servers idp started under the IDP_DATA_DIR `$1`: the registry by its pid file (only
# when that pid still runs this registry), PostgreSQL with `pg_ctl stop -m fast`, as the
# `postgres` user when root.
stop_servers() {
    local data="$1" pid bin_dir i
    if [[ -f "$data/registry/registry.pid" ]]; then
        pid="$(cat -- "$data/registry/registry.pid" 2>/dev/null || true)"
        if [[ "$pid" =~ ^[0-9]+$ ]] && serves_registry "$pid" "$data"; then
            kill -- "$pid" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                serves_registry "$pid" "$data" || break
                sleep 0.1
            done
        fi
    fi
    if [[ -f "$data/postgres/data/postmaster.pid" ]]; then
        bin_dir="$(sed -n 's/^bin_dir = "\(.*\)"$/\1/p' "$data/postgres/cluster.toml" 2>/dev/null || true)"
        if [[ ! -x "$bin_dir/pg_ctl" ]]; then
            bin_dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
        fi
        if ((EUID == 0)); then
            runuser -u postgres -- "$bin_dir/pg_ctl" -D "$data/postgres/data" stop -m fast -s >/dev/null 2>&1 || true
        else
            "$bin_dir/pg_ctl" -D "$data/postgres/data" stop -m fast -s >/dev/null 2>&1 || true
        fi
    fi
}

cleanup() {
    local data
    for data in "$work"/*/data; do
        if [[ -d "$data" ]]; then
            stop_servers "$data"
        fi
    done
    rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep the caller's settings out: the built-in guardrail policy, the credential file, no prompts.
unset IDP_MANIFEST IDP_ENV IDP_PLATFORM IDP_OUTPUT IDP_NO_INPUT
export XDG_CONFIG_HOME="$work/config" IDP_CREDENTIAL_STORE=file NO_COLOR=1

# Runs idp in the current directory with its output in $log; shows the log and stops on failure.
idp() {
    if ! "$IDP" "$@" >"$log" 2>&1; then
        echo "failed: idp $* (in $PWD, IDP_DATA_DIR=$IDP_DATA_DIR)" >&2
        cat -- "$log" >&2
        exit 1
    fi
}

# Makes the rust-service project `$1` in the current directory.
new_project() {
    idp init "$1" --template rust-service --defaults --no-git --set "project_name=$1"
}

# Makes the project `$1` whose manifest declares one postgres database and nothing else.
new_database_project() {
    mkdir -- "$1"
    cat >"$1/idp.toml" <<EOF
[project]
name = "$1"
team = "bench-team"
owner = "bench@example.com"

[environments.dev]
provider = "local"

[resources.db]
type = "postgres"
version = "16"
size = "small"
backup_retention_days = 7
EOF
}

# Times one `idp provision` in the current directory and appends its wall time in ns to file `$1`.
time_provision() {
    local start end
    start="$(date +%s%N)"
    idp provision
    end="$(date +%s%N)"
    echo "$((end - start))" >>"$1"
}

# Prints "min mean max" in ms of the ns figures in file `$1`.
stats() {
    awk '{ v = $1 / 1e6; s += v; if (NR == 1 || v < lo) lo = v; if (NR == 1 || v > hi) hi = v }
         END { printf "%.1f %.1f %.1f\n", lo, s / NR, hi }' "$1"
}

# Times `idp ARGS...` in the current directory (no change to make), $reruns runs after 3 warmup
# runs, and prints "min mean max" in ms.
rerun_stats() {
    if command -v hyperfine >/dev/null 2>&1; then
        local command
        command="$(printf '%q ' "$IDP" "$@")"
        hyperfine --style none --shell none --warmup 3 --runs "$reruns" \
            --export-csv "$work/times.csv" "$command" >/dev/null
        # command,mean,stddev,median,user,system,min,max (seconds)
        awk -F, 'NR == 2 { printf "%.1f %.1f %.1f\n", $7 * 1000, $2 * 1000, $8 * 1000 }' "$work/times.csv"
    else
        local i start end
        : >"$work/times"
        for ((i = 0; i < reruns + 3; i++)); do
            start="$(date +%s%N)"
            "$IDP" "$@" >/dev/null 2>&1
            end="$(date +%s%N)"
            # The first three runs warm the caches, as hyperfine's --warmup 3.
            ((i < 3)) || echo "$((end - start))" >>"$work/times"
        done
        stats "$work/times"
    fi
}

rows=()
# Adds a row to the table: figure, runs, "min mean max", target in ms (or -).
row() {
    rows+=("$1|$2|$3|$4")
}

# Cold: a brand-new IDP_DATA_DIR each run; its servers are stopped right after, so the next run
# does not compete with them.
echo "cold: $runs runs of idp provision, each with a new IDP_DATA_DIR" >&2
for ((i = 1; i <= runs; i++)); do
    mkdir -m 0755 -- "$work/cold$i"
    cd -- "$work/cold$i"
    export IDP_DATA_DIR="$work/cold$i/data"
    new_project demo
    cd demo
    time_provision "$work/cold.ns"
    [[ $i -lt $runs ]] || cp -- "$log" "$work/cold.log"
    stop_servers "$IDP_DATA_DIR"
done
row "cold, rust-service manifest (4 resources)" "$runs" "$(stats "$work/cold.ns")" 5000

# Warm: one IDP_DATA_DIR whose servers an earlier project started; every timed run is a new
# project, so its database and roles are new. One extra run of each kind first, not counted.
echo "warm: $runs runs each of idp provision of a new project, cluster and registry running" >&2
mkdir -m 0755 -- "$work/warm"
cd -- "$work/warm"
export IDP_DATA_DIR="$work/warm/data"
new_project base
(cd base && idp provision)
for ((i = 0; i <= runs; i++)); do
    cd -- "$work/warm"
    new_project "demo$i"
    cd "demo$i"
    time_provision "$work/warm-full.raw"
    cd -- "$work/warm"
    new_database_project "db$i"
    cd "db$i"
    time_provision "$work/warm-db.raw"
done
tail -n +2 "$work/warm-full.raw" >"$work/warm-full.ns"
tail -n +2 "$work/warm-db.raw" >"$work/warm-db.ns"
row "warm, rust-service manifest (4 resources)" "$runs" "$(stats "$work/warm-full.ns")" 300
row "warm, one postgres database" "$runs" "$(stats "$work/warm-db.ns")" 300

# No change: the projects provisioned above, servers still running.
echo "no change: $reruns runs each of idp provision and idp plan on a provisioned project" >&2
cd -- "$work/warm/demo1"
row "no-change re-run, rust-service manifest" "$reruns" "$(rerun_stats provision)" 50
row "idp plan, no change, rust-service manifest" "$reruns" "$(rerun_stats plan)" -
cd -- "$work/warm/db1"
row "no-change re-run, one postgres database" "$reruns" "$(rerun_stats provision)" 50

echo
echo "idp provision on the local provider; wall time in ms; a figure passes when its mean is under the target"
printf '%-44s %5s %9s %9s %9s %9s  %s\n' figure runs min mean max target result
for r in "${rows[@]}"; do
    IFS='|' read -r name count figures target <<<"$r"
    read -r lo mean hi <<<"$figures"
    if [[ "$target" == - ]]; then
        result="-"
    elif awk -v m="$mean" -v t="$target" 'BEGIN { exit !(m < t) }'; then
        result=PASS
    else
        result="MISS (+$(awk -v m="$mean" -v t="$target" 'BEGIN { printf "%.1f ms, %.2fx", m - t, m / t }'))"
    fi
    printf '%-44s %5s %9s %9s %9s %9s  %s\n' "$name" "$count" "$lo" "$mean" "$hi" "$target" "$result"
done

echo
echo "per-resource times of the last cold run (idp's progress lines):"
grep -E ': (created|updated) \(' "$work/cold.log" | sed 's/^/  /' || true

echo
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    echo "peak RSS (GNU time %M: the largest of idp and the programs it waited for, e.g. initdb, psql)"
    mkdir -m 0755 -- "$work/rss"
    cd -- "$work/rss"
    export IDP_DATA_DIR="$work/rss/data"
    new_project demo
    cd demo
    /usr/bin/time -o "$work/rss.cold" -f %M "$IDP" provision >/dev/null 2>&1
    /usr/bin/time -o "$work/rss.rerun" -f %M "$IDP" provision >/dev/null 2>&1
    printf '  %-42s %7s KiB\n' "cold idp provision" "$(tail -n 1 "$work/rss.cold")"
    printf '  %-42s %7s KiB\n' "no-change idp provision" "$(tail -n 1 "$work/rss.rerun")"
    stop_servers "$IDP_DATA_DIR"
else
    echo "skipping peak RSS: GNU time is not installed (apt-get install time)"
fi
