
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'idp' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'idp'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'idp' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update a project made by `idp init` (or copier) to a newer version of its template')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the templates `idp init` can use: built in and from the platform''s `[catalog]`')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate idp.toml and evaluate the platform''s guardrails for every environment (or `--env`)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `idp provision` would create, change or leave alone in an environment')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Create or update the resources idp.toml declares, in dependency order')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Create or update the resources idp.toml declares, in dependency order')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each resource of an environment: recorded state, outputs, and drift made outside idp')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a program with the environment''s connection settings (`DATABASE_URL`, …) in its environment')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete the resources of an environment (or the named ones), taking a final backup of databases')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a database from a backup made by `idp backup` or `idp destroy`')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Remove the lock of an environment whose state is in S3, left by an idp that is gone')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of idp.toml, for editor validation and completion')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'idp;init' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The template: a catalog name, a local folder, or a git URL with an optional `#REF`')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template: a catalog name, a local folder, or a git URL with an optional `#REF`')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Answer a template question (can be repeated)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--defaults', '--defaults', [CompletionResultType]::ParameterName, 'Take the default answer of every question not given with `--set`')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a non-empty directory, replacing the files the template makes (each is listed)')
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Make the directory a git repository with a first commit (default: when git is installed and the directory is not inside a repository)')
            [CompletionResult]::new('--no-git', '--no-git', [CompletionResultType]::ParameterName, 'Do not create a git repository')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;update' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The version to update to: a tag, branch or commit (default: the newest version tag)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Answer a question the new version asks, or change an answer (can be repeated)')
            [CompletionResult]::new('--conflict', '--conflict', [CompletionResultType]::ParameterName, 'How to write lines both you and the template changed: markers in the file, or the template''s change in `FILE.rej` beside it')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--defaults', '--defaults', [CompletionResultType]::ParameterName, 'Take the default answer of every new question not given with `--set`')
            [CompletionResult]::new('--pretend', '--pretend', [CompletionResultType]::ParameterName, 'Print a diff of what would change and write nothing (exit code 1 if it would conflict)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Update even though the git work tree has uncommitted changes')
            [CompletionResult]::new('--prereleases', '--prereleases', [CompletionResultType]::ParameterName, 'Count pre-release tags (`v2.0.0-rc.1`) as versions')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Compare with the newest version and list managed files that drifted; write nothing (exit code 4 when behind)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;templates' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the catalog: name, description and source of each template')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'idp;templates;list' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;templates;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the catalog: name, description and source of each template')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'idp;templates;help;list' {
            break
        }
        'idp;templates;help;help' {
            break
        }
        'idp;check' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'List the guardrails (ID, what each refuses, why) instead of checking')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;plan' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;provision' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another idp working on the same environment, in seconds')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--allow-replace', '--allow-replace', [CompletionResultType]::ParameterName, 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;up' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another idp working on the same environment, in seconds')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--allow-replace', '--allow-replace', [CompletionResultType]::ParameterName, 'Delete and make again the resources whose changes cannot be made in place (a database after a final backup); `idp plan` shows them as `-/+`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;status' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;env' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print them')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print secrets in clear instead of `****`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;run' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;destroy' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another idp working on the same environment, in seconds')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('--skip-final-backup', '--skip-final-backup', [CompletionResultType]::ParameterName, 'Do not back up databases before dropping them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;backup' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;restore' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;unlock' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;schema' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;completions' {
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Use this manifest instead of the nearest `idp.toml` in this directory or its parents')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Act on this environment only (default: every environment the command concerns)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Use this platform policy file (default: the manifest''s `platform`, then `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail, such as the causes of an error (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but data and errors')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where an answer is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'idp;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update a project made by `idp init` (or copier) to a newer version of its template')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the templates `idp init` can use: built in and from the platform''s `[catalog]`')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate idp.toml and evaluate the platform''s guardrails for every environment (or `--env`)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `idp provision` would create, change or leave alone in an environment')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Create or update the resources idp.toml declares, in dependency order')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each resource of an environment: recorded state, outputs, and drift made outside idp')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a program with the environment''s connection settings (`DATABASE_URL`, …) in its environment')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete the resources of an environment (or the named ones), taking a final backup of databases')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up a database of an environment; backups older than its `backup_retention_days` are removed (the newest is always kept)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a database from a backup made by `idp backup` or `idp destroy`')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Remove the lock of an environment whose state is in S3, left by an idp that is gone')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of idp.toml, for editor validation and completion')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'idp;help;init' {
            break
        }
        'idp;help;update' {
            break
        }
        'idp;help;templates' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the catalog: name, description and source of each template')
            break
        }
        'idp;help;templates;list' {
            break
        }
        'idp;help;check' {
            break
        }
        'idp;help;plan' {
            break
        }
        'idp;help;provision' {
            break
        }
        'idp;help;status' {
            break
        }
        'idp;help;env' {
            break
        }
        'idp;help;run' {
            break
        }
        'idp;help;destroy' {
            break
        }
        'idp;help;backup' {
            break
        }
        'idp;help;restore' {
            break
        }
        'idp;help;unlock' {
            break
        }
        'idp;help;schema' {
            break
        }
        'idp;help;completions' {
            break
        }
        'idp;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
