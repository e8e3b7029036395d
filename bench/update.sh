#!/usr/bin/env bash
# Times `idp update` against `copier update`, end to end (process start to files written), and
# prints the mean per tool and how many times faster idp is. Both update the same project from
# v1.0.0 to v2.0.0 of the same copier-format template: the fixture under
# tests/fixtures/templates/copier-service in a throwaway git repository, whose v2 changes the
# Dockerfile, asks a new question, adds a Makefile and removes a file. The project is made at v1
# by idp, edited (a Dockerfile line, a README line) and committed; every run starts from a fresh
# copy of it. The target is idp at least 20x faster than copier.
#
#   bench/update.sh             build idp in release mode, then time 20 runs of each
#   RUNS=50 IDP=path bench/update.sh
#
# hyperfine is used when installed (`apt-get install hyperfine`), else a loop of `date +%s%N`.
# A missing copier (`pip install copier`) is skipped, and said so.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-20}"
if [[ -z "${IDP:-}" ]]; then
    echo "building idp (release)" >&2
    cargo build --release --quiet
    IDP="$PWD/target/release/idp"
elif [[ "$IDP" == */* ]]; then
    IDP="$(realpath -- "$IDP")"
fi
fixture="$PWD/tests/fixtures/templates/copier-service"

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
# Keep the tools' own files (idp's clone cache, copier's settings) out of the real home; copier
# commits in scratch repositories, so git needs a name.
export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
cd "$work"

commit() {
    git -C "$1" add --all
    git -C "$1" commit --quiet -m "$2"
}

# The template: v1.0.0 is the fixture; v2.0.0 as described above.
template="$work/template"
cp -R "$fixture" "$template"
git -C "$template" init --quiet
commit "$template" v1
git -C "$template" tag v1.0.0
dockerfile="$template/template/{% if use_docker %}Dockerfile{% endif %}.jinja"
sed -i 's/-slim$/-slim-bookworm/' "$dockerfile"
printf '\nhealth_path:\n  type: str\n  default: /health\n' >>"$template/copier.yml"
printf 'check:\n\tcurl -f http://localhost:{{ port }}{{ health_path }}\n' >"$template/template/Makefile.jinja"
rm "$template/template/src/{{ package_name }}/static/index.html"
commit "$template" v2
git -C "$template" tag v2.0.0

# The project at v1, with its team's edits, committed (both tools need a clean work tree).
"$IDP" init "$work/base" --defaults --git --template "$template#v1.0.0" >/dev/null 2>&1
sed -i 's/^CMD \[/HEALTHCHECK CMD ["true"]\nCMD [/' "$work/base/Dockerfile"
printf '\nOn call: #shop-oncall.\n' >>"$work/base/README.md"
commit "$work/base" "our edits"

project="$work/project"
# Prints the mean wall time of a command in milliseconds, each run on a fresh copy of the project.
mean_ms() {
    if command -v hyperfine >/dev/null 2>&1; then
        local command
        command="$(printf '%q ' "$@")"
        hyperfine --style none --shell none --warmup 2 --runs "$runs" \
            --prepare "bash -c 'rm -rf $(printf '%q' "$project") && cp -a $(printf '%q' "$work/base") $(printf '%q' "$project")'" \
            --export-csv "$work/times.csv" "$command" >/dev/null
        awk -F, 'NR == 2 { printf "%.1f\n", $2 * 1000 }' "$work/times.csv"
    else
        local i start total=0
        for ((i = 0; i < runs + 2; i++)); do
            rm -rf -- "$project"
            cp -a "$work/base" "$project"
            start="$(date +%s%N)"
            "$@" >/dev/null 2>&1
            # The first two runs warm the caches, as hyperfine's --warmup 2.
            ((i < 2)) || total=$((total + $(date +%s%N) - start))
        done
        awk -v total="$total" -v runs="$runs" 'BEGIN { printf "%.1f\n", total / runs / 1e6 }'
    fi
}

# Checks that one update of a fresh copy succeeds and brings the template's change, so a
# failing command is never timed.
verify() {
    rm -rf -- "$project"
    cp -a "$work/base" "$project"
    if ! "$@" >"$work/verify.log" 2>&1 || ! grep -q 'slim-bookworm' "$project/Dockerfile" ||
        ! grep -q 'shop-oncall' "$project/README.md"; then
        cat "$work/verify.log" >&2
        echo "$1 did not update the project" >&2
        exit 1
    fi
}

echo "mean of $runs runs each ($(command -v hyperfine >/dev/null 2>&1 && echo hyperfine || echo 'date loop'))"
verify "$IDP" update "$project" --to v2.0.0 --defaults
idp="$(mean_ms "$IDP" update "$project" --to v2.0.0 --defaults)"
printf '%-44s %9s ms\n' "idp update (copier-service v1 -> v2)" "$idp"
if command -v copier >/dev/null 2>&1; then
    # Tasks are skipped, as idp does not run them; copier 9 wants `--trust` for a template that
    # has any, even skipped.
    copier_update=(copier update --quiet --defaults --skip-tasks --trust --vcs-ref v2.0.0 "$project")
    verify "${copier_update[@]}"
    copier="$(mean_ms "${copier_update[@]}")"
    printf '%-44s %9s ms   idp is %sx faster\n' "copier update (copier-service v1 -> v2)" "$copier" \
        "$(awk -v a="$copier" -v b="$idp" 'BEGIN { printf "%.0f", a / b }')"
else
    echo "skipping copier: it is not installed (pip install copier)" >&2
fi
