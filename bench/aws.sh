#!/usr/bin/env bash
# Times idp on the `aws` provider against moto, and the same footprint with Terraform and with a
# serial AWS CLI script where they are installed, and prints wall times, ratios and idp's targets:
#
#   W1         one service: a postgres database (RDS, its password in a Secrets Manager secret),
#              a registry (ECR + lifecycle policy), an identity (IAM role + inline policy) and a
#              network rule (security group + one ingress rule).             target < 1 s
#   W10        ten such services. For idp this is one manifest with 40 resources, provisioned in
#              one `idp provision` (idp runs independent resources concurrently); for Terraform one
#              configuration with `count = 10`; for the AWS CLI the W1 calls ten times, one by one.
#                                                                                target < 3 s
#   no change  `idp provision` again on the provisioned W1 (and W10), against `terraform plan`.
#                                                                                target < 0.3 s
#   destroy    `idp destroy --yes --skip-final-backup` of W1 (and W10), against
#              `terraform destroy`.                                             target < 1 s (W1)
#   peak RSS   GNU time's %M of each command: the largest resident set of the command and of
#              each program it waited for (for Terraform, usually its AWS provider plugin); not a
#              sum over processes.                                              target < 50 MB
#
#   bench/aws.sh                        build idp in release mode, one run of each figure
#   RERUNS=20 IDP=path bench/aws.sh
#   SKIP_TF=1 / SKIP_TF_W10=1 / SKIP_CLI=1 bench/aws.sh
#
# Every tool run (idp W1, idp W10, Terraform W1, ...) gets its own fresh `moto_server` on a free
# 127.0.0.1 port, so no run sees another's resources, warmed by one untimed read-only call per
# service through botocore (moto loads each backend on first use; WARM_MOTO=0 turns this off);
# each moto is stopped when its run ends, and everything else lives in one temporary directory
# removed at exit. Apply and destroy figures are one run each (each needs fresh state); the idp
# no-change figure is the mean of RERUNS runs after one warm-up run.
#
# Needs `moto_server` (PyPI `moto[server]`). Terraform runs where `terraform` is installed and its
# AWS provider is found in TF_PLUGIN_MIRROR (default /opt/tf-plugins, a filesystem mirror; the
# script writes the CLI config and the configuration itself; `terraform init` is not timed). The
# AWS CLI script runs where `aws` is installed (v1 ignores AWS_ENDPOINT_URL for some services, so
# every call gets --endpoint-url). Peak RSS needs GNU time (`apt-get install time`). A missing tool
# is skipped with a message.
#
# About moto: it reports RDS instances `available` at once, so every wait is the tool's own;
# Terraform's RDS waiters sleep regardless (about 80 s of its W1 apply). moto 5.2 gives every RDS
# instance the same DbiResourceId.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
reruns="${RERUNS:-10}"
if ! [[ "$reruns" =~ ^[1-9][0-9]{0,2}$ ]]; then
    echo "RERUNS must be 1-999" >&2
    exit 2
fi
if ! command -v moto_server >/dev/null 2>&1; then
    echo "moto_server is not installed (pip install 'moto[server]')" >&2
    exit 2
fi
if [[ -z "${IDP:-}" ]]; then
    echo "building idp (release)" >&2
    cargo build --release --quiet
    IDP="$PWD/target/release/idp"
fi
tf_mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

work="$(mktemp -d)"
log="$work/log"
moto_pid=""

stop_moto() {
    if [[ -n "$moto_pid" ]]; then
        kill -- "$moto_pid" 2>/dev/null || true
        wait -- "$moto_pid" 2>/dev/null || true
        moto_pid=""
    fi
}
cleanup() {
    stop_moto
    rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep the caller's settings and credentials out; moto takes any key.
unset IDP_MANIFEST IDP_ENV IDP_PLATFORM IDP_OUTPUT IDP_NO_INPUT AWS_PROFILE AWS_SESSION_TOKEN \
    AWS_ENDPOINT_URL AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
export XDG_CONFIG_HOME="$work/config" IDP_DATA_DIR="$work/data" IDP_CREDENTIAL_STORE=file NO_COLOR=1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
region=us-east-1

# Starts a fresh moto_server on a free loopback port and sets $endpoint.
start_moto() {
    stop_moto
    local port i
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
    moto_pid=$!
    endpoint="http://127.0.0.1:$port"
    for ((i = 0; i < 200; i++)); do
        if curl -s -o /dev/null "$endpoint/moto-api/"; then
            break
        fi
        sleep 0.05
    done
    if ((i == 200)); then
        echo "moto_server did not start on $endpoint" >&2
        cat -- "$work/moto.log" >&2
        exit 1
    fi
    # moto loads a service's backend on its first request (about 0.3-0.5 s for RDS and EC2): one
    # read-only call per service, not timed, so that no tool pays for moto's own start-up.
    if [[ "${WARM_MOTO:-1}" == 1 ]]; then
        python3 - "$endpoint" "$region" <<'PY' >>"$work/moto.log" 2>&1 || true
import sys
import botocore.session
session = botocore.session.get_session()
for service, call in [("ec2", "describe_vpcs"), ("rds", "describe_db_instances"),
                      ("ecr", "describe_repositories"), ("iam", "list_roles"),
                      ("secretsmanager", "list_secrets"), ("sts", "get_caller_identity")]:
    client = session.create_client(service, region_name=sys.argv[2], endpoint_url=sys.argv[1])
    getattr(client, call)()
PY
    fi
}

have_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    have_time=1
else
    echo "peak RSS skipped: GNU time is not installed (apt-get install time)" >&2
fi

# Runs `CMD...` once with its output in $log, stores its wall time in ms as $work/fig/KEY.ms and its
# peak RSS in KiB as $work/fig/KEY.kib; shows the log and stops on failure.
measure() {
    local key="$1" start end status=0
    shift
    mkdir -p -- "$work/fig"
    start="$(date +%s%N)"
    if ((have_time)); then
        /usr/bin/time -o "$work/fig/$key.kib" -f %M "$@" >"$log" 2>&1 || status=$?
    else
        "$@" >"$log" 2>&1 || status=$?
    fi
    end="$(date +%s%N)"
    if ((status != 0)); then
        echo "failed ($status): $* (in $PWD)" >&2
        cat -- "$log" >&2
        exit 1
    fi
    if ((have_time)); then
        tail -n 1 -- "$work/fig/$key.kib" >"$work/fig/$key.kib.tmp"
        mv -- "$work/fig/$key.kib.tmp" "$work/fig/$key.kib"
    fi
    awk -v ns="$((end - start))" 'BEGIN { printf "%.0f\n", ns / 1e6 }' >"$work/fig/$key.ms"
}

# Runs `CMD...` $reruns times after one warm-up run; stores the mean wall time as KEY.ms and the
# largest peak RSS as KEY.kib.
measure_mean() {
    local key="$1" i
    shift
    "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; cat -- "$log" >&2; exit 1; }
    : >"$work/$key.all"
    : >"$work/$key.allkib"
    for ((i = 0; i < reruns; i++)); do
        measure "$key" "$@"
        cat -- "$work/fig/$key.ms" >>"$work/$key.all"
        [[ ! -f "$work/fig/$key.kib" ]] || cat -- "$work/fig/$key.kib" >>"$work/$key.allkib"
    done
    awk '{ s += $1 } END { printf "%.0f\n", s / NR }' "$work/$key.all" >"$work/fig/$key.ms"
    if [[ -s "$work/$key.allkib" ]]; then
        sort -n -- "$work/$key.allkib" | tail -n 1 >"$work/fig/$key.kib"
    fi
}

# ---------------------------------------------------------------------------------------------
# idp

# Writes idp.toml for `$1` services into directory `$2` (resources db, images, app, db-access;
# numbered 1..N when N > 1). Environment `bench` is not prod-like, so the databases need no
# deletion protection and destroy deletes them.
idp_manifest() {
    local n="$1" dir="$2" i s
    mkdir -p -- "$dir"
    cat >"$dir/idp.toml" <<EOF
[project]
name = "bench$n"
team = "bench-team"
owner = "bench@example.com"

[environments.bench]
provider = "aws"
region = "$region"
endpoint_url = "$endpoint"
EOF
    for ((i = 1; i <= n; i++)); do
        s=""
        ((n == 1)) || s="$i"
        cat >>"$dir/idp.toml" <<EOF

[resources.db$s]
type = "postgres"
version = "16"
backup_retention_days = 7

[resources.images$s]
type = "registry"

[resources.app$s]
type = "identity"
grants = ["db$s:connect", "images$s:pull"]

[resources.db$s-access]
type = "network"
allow = [{ from = "10.0.0.0/16", to = "db$s", port = 5432 }]
EOF
    done
}

bench_idp() {
    local n
    for n in 1 10; do
        start_moto
        echo "idp W$n: provision, $reruns no-change re-runs, destroy (moto at $endpoint)" >&2
        idp_manifest "$n" "$work/idp$n"
        cd -- "$work/idp$n"
        measure "idp.w$n.apply" "$IDP" provision --env bench
        measure_mean "idp.w$n.rerun" "$IDP" provision --env bench
        measure "idp.w$n.destroy" "$IDP" destroy --env bench --yes --skip-final-backup
        cd -- "$work"
        stop_moto
    done
}

# ---------------------------------------------------------------------------------------------
# Terraform

tf_ok=0
tf_started=0
if [[ -n "${SKIP_TF:-}" ]]; then
    echo "Terraform skipped: SKIP_TF is set" >&2
elif ! command -v terraform >/dev/null 2>&1; then
    echo "Terraform skipped: terraform is not installed" >&2
elif ! compgen -G "$tf_mirror/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*" >/dev/null; then
    echo "Terraform skipped: no AWS provider plugin under $tf_mirror (a filesystem mirror)" >&2
else
    tf_ok=1
fi

# Writes the Terraform configuration of `$1` services into directory `$2`: the same resources and
# settings as idp's. moto's password is a fixed string (no `random` provider in the mirror).
tf_config() {
    local n="$1" dir="$2"
    mkdir -p -- "$dir"
    cat >"$dir/main.tf" <<EOF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "$region"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
  endpoints {
    ec2            = "$endpoint"
    ecr            = "$endpoint"
    iam            = "$endpoint"
    rds            = "$endpoint"
    secretsmanager = "$endpoint"
    sts            = "$endpoint"
  }
}

locals {
  n    = $n
  tags = { project = "bench$n", team = "bench-team", owner = "bench@example.com", environment = "bench" }
}

resource "aws_security_group" "db_access" {
  count       = local.n
  name        = "bench$n-bench-db\${count.index}-access"
  description = "db\${count.index} access"
  tags        = local.tags
}

resource "aws_security_group_rule" "db_access" {
  count             = local.n
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/16"]
  security_group_id = aws_security_group.db_access[count.index].id
}

resource "aws_secretsmanager_secret" "db" {
  count                   = local.n
  name                    = "bench$n/bench/db\${count.index}"
  recovery_window_in_days = 0
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "db" {
  count         = local.n
  secret_id     = aws_secretsmanager_secret.db[count.index].id
  secret_string = jsonencode({ username = "app", password = "bench-password-0123456789" })
}

resource "aws_db_instance" "db" {
  count                   = local.n
  identifier              = "bench$n-bench-db\${count.index}"
  engine                  = "postgres"
  engine_version          = "16"
  instance_class          = "db.t4g.micro"
  allocated_storage       = 20
  username                = "app"
  password                = "bench-password-0123456789"
  storage_encrypted       = true
  publicly_accessible     = false
  backup_retention_period = 7
  deletion_protection     = false
  skip_final_snapshot     = true
  vpc_security_group_ids  = [aws_security_group.db_access[count.index].id]
  tags                    = local.tags
}

resource "aws_ecr_repository" "images" {
  count                = local.n
  name                 = "bench$n/images\${count.index}"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = true
  image_scanning_configuration {
    scan_on_push = true
  }
  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "images" {
  count      = local.n
  repository = aws_ecr_repository.images[count.index].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 30 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_iam_role" "app" {
  count = local.n
  name  = "bench$n-bench-app\${count.index}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "app" {
  count = local.n
  name  = "idp"
  role  = aws_iam_role.app[count.index].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["rds-db:connect"]
        Resource = ["arn:aws:rds-db:$region:123456789012:dbuser:\${aws_db_instance.db[count.index].resource_id}/app"]
      },
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.db[count.index].arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [aws_ecr_repository.images[count.index].arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
    ]
  })
}
EOF
}

# As `measure`, but a failure is a figure ("fail") and a message, not the end of the script:
# against moto 5.2, Terraform's AWS provider reads new RDS instances back by DbiResourceId, which
# moto gives to every instance alike, so from the second instance on it fails ("couldn't find
# resource"), which is why W10 usually fails.
measure_tf() {
    local key="$1"
    if (measure "$@" 2>/dev/null); then
        return 0
    fi
    echo fail >"$work/fig/$key.ms"
    rm -f -- "$work/fig/$key.kib"
    echo "  $key failed after $(($(date +%s) - tf_started)) s; its errors:" >&2
    grep -E -A 1 '^Error' "$log" | head -n 8 | sed 's/^/    /' >&2 || true
    return 1
}

bench_tf() {
    local n
    cat >"$work/terraformrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$tf_mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
EOF
    export TF_CLI_CONFIG_FILE="$work/terraformrc"
    for n in 1 10; do
        if ((n == 10)) && [[ -n "${SKIP_TF_W10:-}" ]]; then
            echo "Terraform W10 skipped: SKIP_TF_W10 is set" >&2
            continue
        fi
        start_moto
        echo "terraform W$n: init (not timed), apply, plan (no change), destroy (moto at $endpoint)" >&2
        tf_started="$(date +%s)"
        tf_config "$n" "$work/tf$n"
        cd -- "$work/tf$n"
        if ! terraform init -input=false -no-color >"$log" 2>&1; then
            echo "Terraform skipped: terraform init failed:" >&2
            sed 's/^/  /' "$log" >&2
            cd -- "$work"
            stop_moto
            return
        fi
        if measure_tf "tf.w$n.apply" terraform apply -auto-approve -input=false -no-color; then
            if measure_tf "tf.w$n.rerun" terraform plan -input=false -no-color -detailed-exitcode; then
                measure_tf "tf.w$n.destroy" terraform destroy -auto-approve -input=false -no-color || true
            fi
        fi
        cd -- "$work"
        stop_moto
    done
}

# ---------------------------------------------------------------------------------------------
# AWS CLI, one call after another

cli_ok=0
if [[ -n "${SKIP_CLI:-}" ]]; then
    echo "AWS CLI skipped: SKIP_CLI is set" >&2
elif ! command -v aws >/dev/null 2>&1; then
    echo "AWS CLI skipped: aws is not installed" >&2
else
    cli_ok=1
fi

# Creates service `$2` of workload `$1` with the AWS CLI, one call at a time (10 calls).
cli_service() {
    local w="$1" i="$2" sg repo_arn secret_arn
    local -a a=(aws --endpoint-url "$endpoint" --region "$region" --output text)
    sg="$("${a[@]}" ec2 create-security-group --group-name "cli$w-bench-db$i-access" \
        --description "db$i access" --query GroupId)"
    "${a[@]}" ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 5432 \
        --cidr 10.0.0.0/16 >/dev/null
    secret_arn="$("${a[@]}" secretsmanager create-secret --name "cli$w/bench/db$i" \
        --secret-string '{"username":"app","password":"bench-password-0123456789"}' --query ARN)"
    "${a[@]}" rds create-db-instance --db-instance-identifier "cli$w-bench-db$i" --engine postgres \
        --engine-version 16 --db-instance-class db.t4g.micro --allocated-storage 20 \
        --master-username app --master-user-password bench-password-0123456789 --storage-encrypted \
        --no-publicly-accessible --backup-retention-period 7 --vpc-security-group-ids "$sg" \
        --no-deletion-protection >/dev/null
    "${a[@]}" rds wait db-instance-available --db-instance-identifier "cli$w-bench-db$i"
    repo_arn="$("${a[@]}" ecr create-repository --repository-name "cli$w/images$i" \
        --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true \
        --query repository.repositoryArn)"
    "${a[@]}" ecr put-lifecycle-policy --repository-name "cli$w/images$i" --lifecycle-policy-text \
        '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}}]}' \
        >/dev/null
    "${a[@]}" iam create-role --role-name "cli$w-bench-app$i" --assume-role-policy-document \
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
        >/dev/null
    "${a[@]}" iam put-role-policy --role-name "cli$w-bench-app$i" --policy-name idp --policy-document \
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"secretsmanager:GetSecretValue\"],\"Resource\":[\"$secret_arn\"]},{\"Effect\":\"Allow\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],\"Resource\":[\"$repo_arn\"]},{\"Effect\":\"Allow\",\"Action\":[\"ecr:GetAuthorizationToken\"],\"Resource\":[\"*\"]}]}"
    "${a[@]}" iam tag-role --role-name "cli$w-bench-app$i" --tags Key=project,Value="cli$w" >/dev/null
}

# Creates `$1` services one after another.
cli_workload() {
    local n="$1" i
    for ((i = 1; i <= n; i++)); do
        cli_service "$n" "$i"
    done
}

bench_cli() {
    local n
    for n in 1 10; do
        start_moto
        echo "aws cli W$n: $((n * 10)) calls one after another (moto at $endpoint)" >&2
        # A child bash, so that GNU time can wrap it: the functions and settings go with it.
        measure "cli.w$n.apply" env endpoint="$endpoint" region="$region" \
            bash -c "set -euo pipefail; $(declare -f cli_service cli_workload); cli_workload $n"
        stop_moto
    done
}

# ---------------------------------------------------------------------------------------------

bench_idp
if ((tf_ok)); then bench_tf; fi
if ((cli_ok)); then bench_cli; fi

# Prints figure KEY's value ("-" when it was not measured).
fig() {
    if [[ -f "$work/fig/$1" ]]; then cat -- "$work/fig/$1"; else echo -; fi
}
# Prints "A/B" as a ratio like 93.1x, or "-".
ratio() {
    if ! [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]]; then
        echo -
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 1; printf "%.1fx\n", a / b }'
    fi
}
# Prints PASS or MISS for value `$1` against target `$2`.
verdict() {
    if ! [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]]; then
        echo -
    elif awk -v v="$1" -v t="$2" 'BEGIN { exit !(v < t) }'; then
        echo PASS
    else
        echo "MISS ($(awk -v v="$1" -v t="$2" 'BEGIN { printf "%.2fx", v / t }'))"
    fi
}

echo
echo "idp (aws provider) vs Terraform $(terraform version 2>/dev/null | head -n 1 | sed 's/^Terraform //' || true) vs a serial AWS CLI script, against moto $(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || true)"
echo "wall time in ms (one run; idp no-change: mean of $reruns runs); ratio = other tool / idp"
fmt='%-34s %9s %11s %9s %9s %9s %8s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" figure idp terraform aws-cli tf/idp cli/idp target "idp result"
row() {
    local name="$1" key="$2" target="$3" i t c
    i="$(fig "idp.$key.ms")"
    t="$(fig "tf.$key.ms")"
    c="$(fig "cli.$key.ms")"
    # shellcheck disable=SC2059
    printf "$fmt" "$name" "$i" "$t" "$c" "$(ratio "$t" "$i")" "$(ratio "$c" "$i")" "$target" "$(verdict "$i" "$target")"
}
row "W1 apply" w1.apply 1000
row "W10 apply" w10.apply 3000
row "W1 no change (tf: plan)" w1.rerun 300
row "W10 no change (tf: plan)" w10.rerun 300
row "W1 destroy" w1.destroy 1000
row "W10 destroy" w10.destroy -

if ((have_time)); then
    echo
    echo "peak RSS in MiB (GNU time %M: the largest single process, e.g. Terraform's provider plugin)"
    mfmt='%-34s %9s %11s %9s %9s %9s %8s  %s\n'
    # shellcheck disable=SC2059
    printf "$mfmt" figure idp terraform aws-cli tf/idp cli/idp target "idp result"
    mib() {
        local k
        k="$(fig "$1")"
        if ! [[ "$k" =~ ^[0-9]+$ ]]; then echo -; else awk -v k="$k" 'BEGIN { printf "%.1f\n", k / 1024 }'; fi
    }
    peak_idp=0
    for f in "$work"/fig/idp.*.kib; do
        v="$(cat -- "$f")"
        ((v <= peak_idp)) || peak_idp="$v"
    done
    for key in w1.apply w10.apply w1.rerun w10.rerun w1.destroy w10.destroy; do
        i="$(mib "idp.$key.kib")"
        t="$(mib "tf.$key.kib")"
        c="$(mib "cli.$key.kib")"
        # shellcheck disable=SC2059
        printf "$mfmt" "$key" "$i" "$t" "$c" "$(ratio "$t" "$i")" "$(ratio "$c" "$i")" 50 "$(verdict "$i" 50)"
    done
    printf '%-34s %9s\n' "idp, largest of all its runs" "$(awk -v k="$peak_idp" 'BEGIN { printf "%.1f\n", k / 1024 }')"
fi
