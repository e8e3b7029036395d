# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_idp_global_optspecs
    string join \n manifest= env= platform= output= color= v/verbose q/quiet yes no-input h/help V/version
end

function __fish_idp_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_idp_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_idp_using_subcommand
    set -l cmd (__fish_idp_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c idp -n "__fish_idp_needs_command" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_needs_command" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_needs_command" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_needs_command" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_needs_command" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_needs_command" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_needs_command" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_needs_command" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_needs_command" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_needs_command" -s h -l help -d 'Print help'
complete -c idp -n "__fish_idp_needs_command" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_needs_command" -f -a "init" -d 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml'
complete -c idp -n "__fish_idp_needs_command" -f -a "update" -d 'Update a project made by `idp init` (or copier) to a newer version of its template'
complete -c idp -n "__fish_idp_needs_command" -f -a "templates" -d 'List the templates `idp init` can use: built in and from the platform\'s `[catalog]`'
complete -c idp -n "__fish_idp_needs_command" -f -a "check" -d 'Validate idp.toml and evaluate the platform\'s guardrails for every environment (or `--env`)'
complete -c idp -n "__fish_idp_needs_command" -f -a "plan" -d 'Show what `idp provision` would create, change or leave alone in an environment'
complete -c idp -n "__fish_idp_needs_command" -f -a "provision" -d 'Create or update the resources idp.toml declares, in dependency order'
complete -c idp -n "__fish_idp_needs_command" -f -a "up" -d 'Create or update the resources idp.toml declares, in dependency order'
complete -c idp -n "__fish_idp_needs_command" -f -a "status" -d 'Show each resource of an environment: recorded state, outputs, and drift made outside idp'
complete -c idp -n "__fish_idp_needs_command" -f -a "env" -d 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)'
complete -c idp -n "__fish_idp_needs_command" -f -a "run" -d 'Run a program with the environment\'s connection settings (`DATABASE_URL`, …) in its environment'
complete -c idp -n "__fish_idp_needs_command" -f -a "destroy" -d 'Delete the resources of an environment (or the named ones), taking a final backup of databases'
complete -c idp -n "__fish_idp_needs_command" -f -a "backup" -d 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)'
complete -c idp -n "__fish_idp_needs_command" -f -a "restore" -d 'Restore a database from a backup made by `idp backup` or `idp destroy`'
complete -c idp -n "__fish_idp_needs_command" -f -a "unlock" -d 'Remove the lock of an environment whose state is in S3, left by an idp that is gone'
complete -c idp -n "__fish_idp_needs_command" -f -a "schema" -d 'Print the JSON Schema of idp.toml, for editor validation and completion'
complete -c idp -n "__fish_idp_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c idp -n "__fish_idp_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c idp -n "__fish_idp_using_subcommand init" -s t -l template -d 'The template: a catalog name, a local folder, or a git URL with an optional `#REF`' -r
complete -c idp -n "__fish_idp_using_subcommand init" -l set -d 'Answer a template question (can be repeated)' -r
complete -c idp -n "__fish_idp_using_subcommand init" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand init" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand init" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand init" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand init" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand init" -l defaults -d 'Take the default answer of every question not given with `--set`'
complete -c idp -n "__fish_idp_using_subcommand init" -l force -d 'Write into a non-empty directory, replacing the files the template makes (each is listed)'
complete -c idp -n "__fish_idp_using_subcommand init" -l git -d 'Make the directory a git repository with a first commit (default: when git is installed and the directory is not inside a repository)'
complete -c idp -n "__fish_idp_using_subcommand init" -l no-git -d 'Do not create a git repository'
complete -c idp -n "__fish_idp_using_subcommand init" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand init" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand init" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand init" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand init" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand update" -l to -d 'The version to update to: a tag, branch or commit (default: the newest version tag)' -r
complete -c idp -n "__fish_idp_using_subcommand update" -l set -d 'Answer a question the new version asks, or change an answer (can be repeated)' -r
complete -c idp -n "__fish_idp_using_subcommand update" -l conflict -d 'How to write lines both you and the template changed: markers in the file, or the template\'s change in `FILE.rej` beside it' -r -f -a "inline\t''
rej\t''"
complete -c idp -n "__fish_idp_using_subcommand update" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand update" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand update" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand update" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand update" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand update" -l defaults -d 'Take the default answer of every new question not given with `--set`'
complete -c idp -n "__fish_idp_using_subcommand update" -l pretend -d 'Print a diff of what would change and write nothing (exit code 1 if it would conflict)'
complete -c idp -n "__fish_idp_using_subcommand update" -l force -d 'Update even though the git work tree has uncommitted changes'
complete -c idp -n "__fish_idp_using_subcommand update" -l prereleases -d 'Count pre-release tags (`v2.0.0-rc.1`) as versions'
complete -c idp -n "__fish_idp_using_subcommand update" -l check -d 'Compare with the newest version and list managed files that drifted; write nothing (exit code 4 when behind)'
complete -c idp -n "__fish_idp_using_subcommand update" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand update" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand update" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand update" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand update" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the catalog: name, description and source of each template'
complete -c idp -n "__fish_idp_using_subcommand templates; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the catalog: name, description and source of each template'
complete -c idp -n "__fish_idp_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c idp -n "__fish_idp_using_subcommand check" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand check" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand check" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand check" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand check" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand check" -l rules -d 'List the guardrails (ID, what each refuses, why) instead of checking'
complete -c idp -n "__fish_idp_using_subcommand check" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand check" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand check" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand check" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand check" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand plan" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand plan" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand plan" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand plan" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand plan" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand plan" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand plan" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand plan" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand plan" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand plan" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand provision" -l lock-timeout -d 'How long to wait for another idp working on the same environment, in seconds' -r
complete -c idp -n "__fish_idp_using_subcommand provision" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand provision" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand provision" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand provision" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand provision" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand provision" -l allow-replace -d 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`'
complete -c idp -n "__fish_idp_using_subcommand provision" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand provision" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand provision" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand provision" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand provision" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand provision" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand up" -l lock-timeout -d 'How long to wait for another idp working on the same environment, in seconds' -r
complete -c idp -n "__fish_idp_using_subcommand up" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand up" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand up" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand up" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand up" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand up" -l allow-replace -d 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`'
complete -c idp -n "__fish_idp_using_subcommand up" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand up" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand up" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand up" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand up" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand status" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand status" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand status" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand status" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand status" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand status" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand status" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand status" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand status" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand status" -s h -l help -d 'Print help'
complete -c idp -n "__fish_idp_using_subcommand status" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand env" -l format -d 'How to print them' -r -f -a "dotenv\t'`NAME=value` lines, as `.env` files have them'
shell\t'`export NAME=\'value\'` lines, for `eval "$(idp env --format shell --show-secrets)"`'
json\t'One JSON object'"
complete -c idp -n "__fish_idp_using_subcommand env" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand env" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand env" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand env" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand env" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand env" -l show-secrets -d 'Print secrets in clear instead of `****`'
complete -c idp -n "__fish_idp_using_subcommand env" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand env" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand env" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand env" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand env" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand run" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand run" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand run" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand run" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand run" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand run" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand run" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand run" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand run" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand run" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand destroy" -l lock-timeout -d 'How long to wait for another idp working on the same environment, in seconds' -r
complete -c idp -n "__fish_idp_using_subcommand destroy" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand destroy" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand destroy" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand destroy" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand destroy" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand destroy" -l skip-final-backup -d 'Do not back up databases before dropping them'
complete -c idp -n "__fish_idp_using_subcommand destroy" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand destroy" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand destroy" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand destroy" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand destroy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand backup" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand backup" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand backup" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand backup" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand backup" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand backup" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand backup" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand backup" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand backup" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand backup" -s h -l help -d 'Print help'
complete -c idp -n "__fish_idp_using_subcommand backup" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand restore" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand restore" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand restore" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand restore" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand restore" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand restore" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand restore" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand restore" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand restore" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand restore" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand unlock" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand unlock" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand unlock" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand unlock" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand unlock" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand unlock" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand unlock" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand unlock" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand unlock" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand unlock" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand schema" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand schema" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand schema" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand schema" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand schema" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand schema" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand schema" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand schema" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand schema" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand schema" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand completions" -l manifest -d 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents' -r -F
complete -c idp -n "__fish_idp_using_subcommand completions" -l env -d 'Act on this environment only (default: every environment the command concerns)' -r
complete -c idp -n "__fish_idp_using_subcommand completions" -l platform -d 'Use this platform policy file (default: the manifest\'s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)' -r -F
complete -c idp -n "__fish_idp_using_subcommand completions" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t''
json\t''"
complete -c idp -n "__fish_idp_using_subcommand completions" -l color -d 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c idp -n "__fish_idp_using_subcommand completions" -s v -l verbose -d 'Print more detail, such as the causes of an error (can be repeated)'
complete -c idp -n "__fish_idp_using_subcommand completions" -s q -l quiet -d 'Print nothing but data and errors'
complete -c idp -n "__fish_idp_using_subcommand completions" -l yes -d 'Answer yes to confirmations'
complete -c idp -n "__fish_idp_using_subcommand completions" -l no-input -d 'Never prompt; fail where an answer is missing'
complete -c idp -n "__fish_idp_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c idp -n "__fish_idp_using_subcommand completions" -s V -l version -d 'Print version'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "init" -d 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "update" -d 'Update a project made by `idp init` (or copier) to a newer version of its template'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "templates" -d 'List the templates `idp init` can use: built in and from the platform\'s `[catalog]`'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "check" -d 'Validate idp.toml and evaluate the platform\'s guardrails for every environment (or `--env`)'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "plan" -d 'Show what `idp provision` would create, change or leave alone in an environment'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "provision" -d 'Create or update the resources idp.toml declares, in dependency order'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "status" -d 'Show each resource of an environment: recorded state, outputs, and drift made outside idp'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "env" -d 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "run" -d 'Run a program with the environment\'s connection settings (`DATABASE_URL`, …) in its environment'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "destroy" -d 'Delete the resources of an environment (or the named ones), taking a final backup of databases'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "backup" -d 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "restore" -d 'Restore a database from a backup made by `idp backup` or `idp destroy`'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "unlock" -d 'Remove the lock of an environment whose state is in S3, left by an idp that is gone'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "schema" -d 'Print the JSON Schema of idp.toml, for editor validation and completion'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from init update templates check plan provision status env run destroy backup restore unlock schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c idp -n "__fish_idp_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "list" -d 'List the catalog: name, description and source of each template'
