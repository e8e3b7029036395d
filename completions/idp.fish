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
complete -c idp -n "__fish_idp_needs_command" -f -a "check" -d 'Validate idp.toml and evaluate the platform\'s guardrails for every environment (or `--env`)'
complete -c idp -n "__fish_idp_needs_command" -f -a "schema" -d 'Print the JSON Schema of idp.toml, for editor validation and completion'
complete -c idp -n "__fish_idp_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c idp -n "__fish_idp_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from check schema completions help" -f -a "check" -d 'Validate idp.toml and evaluate the platform\'s guardrails for every environment (or `--env`)'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from check schema completions help" -f -a "schema" -d 'Print the JSON Schema of idp.toml, for editor validation and completion'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from check schema completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c idp -n "__fish_idp_using_subcommand help; and not __fish_seen_subcommand_from check schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
