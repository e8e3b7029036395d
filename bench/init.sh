#!/usr/bin/env bash
# Times `idp init` against `cookiecutter` and `copier copy`, end to end (process start to files
# written), and prints the mean per tool and how many times faster idp is. All three render the
# same templates: the cookiecutter- and copier-format fixtures under tests/fixtures/templates,
# which idp renders too. idp's built-in python-service template is timed as well. The target is
# idp at least 20x faster than either tool.
#
#   bench/init.sh               build idp in release mode, then time 20 runs of each
#   RUNS=50 IDP=path bench/init.sh
#
# hyperfine is used when installed (`apt-get install hyperfine`), else a loop of `date +%s%N`.
# A missing tool (`pip install cookiecutter copier`) is skipped, and said so.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-20}"
if [[ -z "${IDP:-}" ]]; then
    echo "building idp (release)" >&2
    cargo build --release --quiet
    IDP="$PWD/target/release/idp"
fi
cookiecutter_template="$PWD/tests/fixtures/templates/cookiecutter-service"
copier_template="$PWD/tests/fixtures/templates/copier-service"

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
out="$work/out"
# Keep the tools' own files (cookiecutter's replay files, copier's settings) out of the real home.
printf 'cookiecutters_dir: %s\nreplay_dir: %s\n' "$work/cookiecutters" "$work/replay" >"$work/cookiecutter.yml"
export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
cd "$work"

# Prints the mean wall time of a command in milliseconds, each run into a fresh, absent `$out`.
mean_ms() {
    if command -v hyperfine >/dev/null 2>&1; then
        local command
        command="$(printf '%q ' "$@")"
        hyperfine --style none --shell none --warmup 2 --runs "$runs" --prepare "rm -rf $(printf '%q' "$out")" \
            --export-csv "$work/times.csv" "$command" >/dev/null
        awk -F, 'NR == 2 { printf "%.1f\n", $2 * 1000 }' "$work/times.csv"
    else
        local i start total=0
        for ((i = 0; i < runs + 2; i++)); do
            rm -rf -- "$out"
            start="$(date +%s%N)"
            "$@" >/dev/null 2>&1
            # The first two runs warm the caches, as hyperfine's --warmup 2.
            ((i < 2)) || total=$((total + $(date +%s%N) - start))
        done
        awk -v total="$total" -v runs="$runs" 'BEGIN { printf "%.1f\n", total / runs / 1e6 }'
    fi
}

have() {
    if command -v "$1" >/dev/null 2>&1; then
        return 0
    fi
    echo "skipping $1: it is not installed (pip install $1)" >&2
    return 1
}

echo "mean of $runs runs each ($(command -v hyperfine >/dev/null 2>&1 && echo hyperfine || echo 'date loop'))"
idp_builtin="$(mean_ms "$IDP" init "$out" --defaults --no-git --template python-service)"
printf '%-44s %9s ms\n' "idp init (built-in python-service)" "$idp_builtin"

idp_cookiecutter="$(mean_ms "$IDP" init "$out" --defaults --no-git --template "$cookiecutter_template")"
printf '%-44s %9s ms\n' "idp init (cookiecutter-service)" "$idp_cookiecutter"
if have cookiecutter; then
    cookiecutter="$(mean_ms cookiecutter --no-input --accept-hooks no --config-file "$work/cookiecutter.yml" \
        --output-dir "$out" "$cookiecutter_template")"
    printf '%-44s %9s ms   idp is %sx faster\n' "cookiecutter (cookiecutter-service)" "$cookiecutter" \
        "$(awk -v a="$cookiecutter" -v b="$idp_cookiecutter" 'BEGIN { printf "%.0f", a / b }')"
fi

idp_copier="$(mean_ms "$IDP" init "$out" --defaults --no-git --template "$copier_template")"
printf '%-44s %9s ms\n' "idp init (copier-service)" "$idp_copier"
if have copier; then
    copier="$(mean_ms copier copy --quiet --defaults --skip-tasks "$copier_template" "$out")"
    printf '%-44s %9s ms   idp is %sx faster\n' "copier copy (copier-service)" "$copier" \
        "$(awk -v a="$copier" -v b="$idp_copier" 'BEGIN { printf "%.0f", a / b }')"
fi
