#!/usr/bin/env bash
# Installs idp for the current user: the release binary in `$PREFIX/bin` and completions for bash,
# zsh and fish in their per-user places, recorded in a receipt so that `--uninstall` removes exactly
# those files. Also installs the Debian packages the local provider needs, when they are missing.
# Downloads nothing itself; only `cargo build` may fetch crates.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: ./install.sh [--prefix DIR] [--uninstall] [--no-system-packages] [--binary PATH]

Build idp in release mode with cargo and install it for the current user.

Options:
  --prefix DIR          install the binary in DIR/bin (default: $PREFIX, else ~/.local)
  --binary PATH         install this already-built idp binary instead of running cargo
  --no-system-packages  do not install the Debian packages the local provider needs
                        (postgresql, docker-registry)
  --uninstall           remove exactly the files an earlier install recorded in its receipt
  -h, --help            print this help

Installs:
  $PREFIX/bin/idp
  ${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions/idp
  ${XDG_DATA_HOME:-~/.local/share}/zsh/site-functions/_idp
  ${XDG_CONFIG_HOME:-~/.config}/fish/completions/idp.fish
and lists them in ${XDG_DATA_HOME:-~/.local/share}/idp/install-receipt.
EOF
}

say() {
    printf 'install.sh: %s\n' "$*" >&2
}

die() {
    say "error: $*"
    exit 1
}

usage_error() {
    say "error: $*"
    say "run \`./install.sh --help\` for usage"
    exit 2
}

# Returns an XDG base directory: the variable's value when it is an absolute path (the XDG spec
# says to ignore relative ones), else the default.
xdg_dir() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$2" ;;
    esac
}

absolute() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$PWD/$1" ;;
    esac
}

prefix="${PREFIX:-}"
binary=""
uninstall=false
system_packages=true

while (($# > 0)); do
    case "$1" in
        --prefix)
            (($# > 1)) || usage_error "\`--prefix\` needs a directory"
            prefix="$2"
            shift 2
            ;;
        --prefix=*)
            prefix="${1#--prefix=}"
            shift
            ;;
        --binary)
            (($# > 1)) || usage_error "\`--binary\` needs a path"
            binary="$2"
            shift 2
            ;;
        --binary=*)
            binary="${1#--binary=}"
            shift
            ;;
        --uninstall)
            uninstall=true
            shift
            ;;
        --no-system-packages)
            system_packages=false
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            usage_error "unexpected argument \`$1\`"
            ;;
    esac
done

[[ -n "${HOME:-}" ]] || die "HOME is not set, so there is no per-user place to install to"

[[ -n "$prefix" ]] || prefix="$HOME/.local"
prefix="$(absolute "$prefix")"
data_home="$(xdg_dir "${XDG_DATA_HOME:-}" "$HOME/.local/share")"
config_home="$(xdg_dir "${XDG_CONFIG_HOME:-}" "$HOME/.config")"

bin_path="$prefix/bin/idp"
bash_completion="$data_home/bash-completion/completions/idp"
zsh_dir="$data_home/zsh/site-functions"
zsh_completion="$zsh_dir/_idp"
fish_completion="$config_home/fish/completions/idp.fish"
receipt_dir="$data_home/idp"
receipt="$receipt_dir/install-receipt"

# The repository this script lives in, found without external tools so that the missing-cargo
# message comes first even on a bare PATH.
case "${BASH_SOURCE[0]}" in
    */*) repo="${BASH_SOURCE[0]%/*}" ;;
    *) repo="." ;;
esac
repo="$(cd -- "$repo" && pwd)"

# Returns success when a receipt line names a file this script could have installed, so that a
# damaged or edited receipt can never make `--uninstall` delete anything else.
is_ours() {
    case "$1" in
        /*/bin/idp | /*/bash-completion/completions/idp | /*/site-functions/_idp | /*/fish/completions/idp.fish)
            case "$1" in
                */../* | */./*) return 1 ;;
            esac
            return 0
            ;;
    esac
    return 1
}

run_uninstall() {
    if [[ ! -f "$receipt" ]]; then
        say "nothing to uninstall: no receipt at $receipt"
        return 0
    fi
    local path
    while IFS= read -r path || [[ -n "$path" ]]; do
        [[ -n "$path" ]] || continue
        if ! is_ours "$path"; then
            say "warning: left \`$path\` alone: the receipt lists it, but install.sh never installs such a file"
        elif [[ -e "$path" || -L "$path" ]]; then
            rm -f -- "$path"
            say "removed $path"
        else
            say "already gone: $path"
        fi
    done <"$receipt"
    rm -f -- "$receipt"
    say "removed $receipt"
    if rmdir -- "$receipt_dir" 2>/dev/null; then
        say "removed the empty directory $receipt_dir"
    fi
    say "system packages are left as they are; remove postgresql or docker-registry with apt-get if nothing else needs them"
}

# Prints the path of a release build of idp, building it with cargo.
build_release() {
    if ! command -v cargo >/dev/null 2>&1; then
        say "error: cargo was not found on PATH, so idp cannot be built"
        say "hint: install the Rust toolchain (rustup, or your distribution's cargo package) and run install.sh again,"
        say "      or pass \`--binary PATH\` to install an idp binary you have already built"
        exit 1
    fi
    say "building idp in release mode with cargo (the first build takes a few minutes)"
    # cargo reports where it put the binary, which may be outside `target/` (CARGO_TARGET_DIR,
    # build.target-dir); diagnostics still go to stderr.
    local built
    built="$(cargo build --release --locked --bin idp --manifest-path "$repo/Cargo.toml" \
        --message-format=json-render-diagnostics |
        sed -n 's|.*"executable":"\([^"]*/idp\)".*|\1|p' | tail -n 1)" ||
        die "\`cargo build --release\` failed; nothing was installed"
    [[ -n "$built" && -x "$built" ]] || die "cargo build succeeded but did not report where the idp binary is"
    printf '%s\n' "$built"
}

# Runs a command into a temporary file next to `destination`, then renames it into place, so a
# failed or interrupted run never leaves a half-written file and a re-run never fails on a running
# binary ("text file busy").
install_output() {
    local destination="$1" mode="$2" temporary
    shift 2
    mkdir -p -- "${destination%/*}"
    temporary="$(mktemp "${destination%/*}/.${destination##*/}.XXXXXX")"
    if ! "$@" >"$temporary"; then
        rm -f -- "$temporary"
        return 1
    fi
    chmod "$mode" -- "$temporary"
    mv -f -- "$temporary" "$destination"
}

install_completion() {
    local shell="$1" destination="$2"
    install_output "$destination" 644 "$bin_path" completions "$shell" ||
        die "\`$bin_path completions $shell\` failed; is the binary an idp with the \`completions\` command?"
    say "installed $shell completions to $destination"
}

# Returns the Debian packages the local provider needs that are not installed.
missing_system_packages() {
    local initdb postgresql=false
    for initdb in /usr/lib/postgresql/*/bin/initdb; do
        if [[ -x "$initdb" ]]; then
            postgresql=true
        fi
    done
    $postgresql || printf '%s\n' postgresql
    command -v docker-registry >/dev/null 2>&1 || printf '%s\n' docker-registry
}

install_system_packages() {
    local packages
    mapfile -t packages < <(missing_system_packages)
    ((${#packages[@]} > 0)) || return 0
    local command=(apt-get install -y --no-install-recommends "${packages[@]}")
    say "the local provider runs PostgreSQL and a container registry on this machine; missing Debian packages: ${packages[*]}"
    if ! command -v apt-get >/dev/null 2>&1; then
        say "warning: apt-get was not found; install ${packages[*]} with your system's package manager"
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            say "warning: not root and sudo was not found; as root, run:"
            say "  apt-get update && ${command[*]}"
            return 0
        fi
    fi
    say "installing Debian packages ${packages[*]}: ${sudo[*]:+${sudo[*]} }apt-get update, then ${sudo[*]:+${sudo[*]} }${command[*]}"
    if ! "${sudo[@]}" apt-get update >&2 || ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${command[@]}" >&2; then
        say "warning: installing ${packages[*]} failed; idp is installed, but the local provider needs them. Run:"
        say "  ${sudo[*]:+${sudo[*]} }apt-get update && ${sudo[*]:+${sudo[*]} }${command[*]}"
        return 0
    fi
    say "installed ${packages[*]}"
}

sorted_unique() {
    printf '%s\n' "$@" | LC_ALL=C sort -u
}

# Writes the receipt: the files this run installed plus any earlier install's files that still
# exist (say, a binary under a different prefix), one absolute path a line, sorted, no duplicates.
write_receipt() {
    local lines=("$@") path
    if [[ -f "$receipt" ]]; then
        while IFS= read -r path || [[ -n "$path" ]]; do
            if [[ -n "$path" ]] && is_ours "$path" && [[ -e "$path" ]]; then
                lines+=("$path")
            fi
        done <"$receipt"
    fi
    install_output "$receipt" 644 sorted_unique "${lines[@]}"
    say "recorded the installed files in $receipt"
}

warn_if_not_on_path() {
    case ":${PATH:-}:" in
        *":$prefix/bin:"* | *":$prefix/bin/:"*) ;;
        *)
            say "warning: $prefix/bin is not on PATH; add this line to your shell's startup file:"
            # shellcheck disable=SC2016 # `$PATH` is meant literally, for the user to paste.
            say "$(printf '  export PATH="%s:$PATH"' "$prefix/bin")"
            ;;
    esac
}

hint_zsh_fpath() {
    local zshrc="${ZDOTDIR:-$HOME}/.zshrc"
    case ":${FPATH:-}:" in
        *":$zsh_dir:"*) return 0 ;;
    esac
    if [[ -f "$zshrc" ]] && grep -q 'zsh/site-functions' -- "$zshrc"; then
        return 0
    fi
    say "zsh: add \`fpath+=($zsh_dir)\` before \`compinit\` in $zshrc, if it is not there"
}

run_install() {
    local source
    if [[ -n "$binary" ]]; then
        [[ -f "$binary" && -x "$binary" ]] || die "\`--binary $binary\` is not an executable file"
        source="$(absolute "$binary")"
    else
        source="$(build_release)"
    fi

    install_output "$bin_path" 755 cat -- "$source"
    say "installed idp to $bin_path"
    "$bin_path" --version >/dev/null || die "the installed \`$bin_path\` does not run"

    install_completion bash "$bash_completion"
    install_completion zsh "$zsh_completion"
    install_completion fish "$fish_completion"
    write_receipt "$bin_path" "$bash_completion" "$zsh_completion" "$fish_completion"

    if $system_packages; then
        install_system_packages
    fi

    hint_zsh_fpath
    warn_if_not_on_path
    say "done: $("$bin_path" --version); \`./install.sh --uninstall\` removes it"
}

if $uninstall; then
    run_uninstall
else
    run_install
fi
