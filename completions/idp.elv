
use builtin;
use str;

set edit:completion:arg-completer[idp] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'idp'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'idp'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml'
            cand update 'Update a project made by `idp init` (or copier) to a newer version of its template'
            cand templates 'List the templates `idp init` can use: built in and from the platform''s `[catalog]`'
            cand check 'Validate idp.toml and evaluate the platform''s guardrails for every environment (or `--env`)'
            cand plan 'Show what `idp provision` would create, change or leave alone in an environment'
            cand provision 'Create or update the resources idp.toml declares, in dependency order'
            cand up 'Create or update the resources idp.toml declares, in dependency order'
            cand status 'Show each resource of an environment: recorded state, outputs, and drift made outside idp'
            cand env 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)'
            cand run 'Run a program with the environment''s connection settings (`DATABASE_URL`, …) in its environment'
            cand destroy 'Delete the resources of an environment (or the named ones), taking a final backup of databases'
            cand backup 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)'
            cand restore 'Restore a database from a backup made by `idp backup` or `idp destroy`'
            cand unlock 'Remove the lock of an environment whose state is in S3, left by an idp that is gone'
            cand schema 'Print the JSON Schema of idp.toml, for editor validation and completion'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'idp;init'= {
            cand -t 'The template: a catalog name, a local folder, or a git URL with an optional `#REF`'
            cand --template 'The template: a catalog name, a local folder, or a git URL with an optional `#REF`'
            cand --set 'Answer a template question (can be repeated)'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --defaults 'Take the default answer of every question not given with `--set`'
            cand --force 'Write into a non-empty directory, replacing the files the template makes (each is listed)'
            cand --git 'Make the directory a git repository with a first commit (default: when git is installed and the directory is not inside a repository)'
            cand --no-git 'Do not create a git repository'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;update'= {
            cand --to 'The version to update to: a tag, branch or commit (default: the newest version tag)'
            cand --set 'Answer a question the new version asks, or change an answer (can be repeated)'
            cand --conflict 'How to write lines both you and the template changed: markers in the file, or the template''s change in `FILE.rej` beside it'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --defaults 'Take the default answer of every new question not given with `--set`'
            cand --pretend 'Print a diff of what would change and write nothing (exit code 1 if it would conflict)'
            cand --force 'Update even though the git work tree has uncommitted changes'
            cand --prereleases 'Count pre-release tags (`v2.0.0-rc.1`) as versions'
            cand --check 'Compare with the newest version and list managed files that drifted; write nothing (exit code 4 when behind)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;templates'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the catalog: name, description and source of each template'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'idp;templates;list'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;templates;help'= {
            cand list 'List the catalog: name, description and source of each template'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'idp;templates;help;list'= {
        }
        &'idp;templates;help;help'= {
        }
        &'idp;check'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --rules 'List the guardrails (ID, what each refuses, why) instead of checking'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;plan'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;provision'= {
            cand --lock-timeout 'How long to wait for another idp working on the same environment, in seconds'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --allow-replace 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;up'= {
            cand --lock-timeout 'How long to wait for another idp working on the same environment, in seconds'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --allow-replace 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;status'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;env'= {
            cand --format 'How to print them'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --show-secrets 'Print secrets in clear instead of `****`'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;run'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;destroy'= {
            cand --lock-timeout 'How long to wait for another idp working on the same environment, in seconds'
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand --skip-final-backup 'Do not back up databases before dropping them'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;backup'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;restore'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;unlock'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;schema'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;completions'= {
            cand --manifest 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents'
            cand --env 'Act on this environment only (default: every environment the command concerns)'
            cand --platform 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)'
            cand -v 'Print more detail, such as the causes of an error (can be repeated)'
            cand --verbose 'Print more detail, such as the causes of an error (can be repeated)'
            cand -q 'Print nothing but data and errors'
            cand --quiet 'Print nothing but data and errors'
            cand --yes 'Answer yes to confirmations'
            cand --no-input 'Never prompt; fail where an answer is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'idp;help'= {
            cand init 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml'
            cand update 'Update a project made by `idp init` (or copier) to a newer version of its template'
            cand templates 'List the templates `idp init` can use: built in and from the platform''s `[catalog]`'
            cand check 'Validate idp.toml and evaluate the platform''s guardrails for every environment (or `--env`)'
            cand plan 'Show what `idp provision` would create, change or leave alone in an environment'
            cand provision 'Create or update the resources idp.toml declares, in dependency order'
            cand status 'Show each resource of an environment: recorded state, outputs, and drift made outside idp'
            cand env 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)'
            cand run 'Run a program with the environment''s connection settings (`DATABASE_URL`, …) in its environment'
            cand destroy 'Delete the resources of an environment (or the named ones), taking a final backup of databases'
            cand backup 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)'
            cand restore 'Restore a database from a backup made by `idp backup` or `idp destroy`'
            cand unlock 'Remove the lock of an environment whose state is in S3, left by an idp that is gone'
            cand schema 'Print the JSON Schema of idp.toml, for editor validation and completion'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'idp;help;init'= {
        }
        &'idp;help;update'= {
        }
        &'idp;help;templates'= {
            cand list 'List the catalog: name, description and source of each template'
        }
        &'idp;help;templates;list'= {
        }
        &'idp;help;check'= {
        }
        &'idp;help;plan'= {
        }
        &'idp;help;provision'= {
        }
        &'idp;help;status'= {
        }
        &'idp;help;env'= {
        }
        &'idp;help;run'= {
        }
        &'idp;help;destroy'= {
        }
        &'idp;help;backup'= {
        }
        &'idp;help;restore'= {
        }
        &'idp;help;unlock'= {
        }
        &'idp;help;schema'= {
        }
        &'idp;help;completions'= {
        }
        &'idp;help;help'= {
        }
    ]
    $completions[$command]
}
