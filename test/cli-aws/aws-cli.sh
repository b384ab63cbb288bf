#!/usr/bin/env bash
# Drives `ebb emulator` with the real AWS CLI over HTTP: Auto Scaling and ELBv2 (query protocol),
# CloudWatch (whatever protocol this CLI picks: JSON 1.0 or query), an error case, and an
# instance refresh that is cancelled.
# Exits non-zero on the first mismatch. Run from anywhere; needs `aws`, `curl` and `python3`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

work_dir="$(mktemp -d)"
server_log="$work_dir/emulator.log"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work_dir"
}
trap cleanup EXIT INT TERM

fail() {
  echo "FAIL: $*" >&2
  if [[ -s "$server_log" ]]; then
    echo "--- emulator log ---" >&2
    tail -n 40 "$server_log" >&2
  fi
  exit 1
}

expect_equal() {
  local what="$1" expected="$2" actual="$3"
  [[ "$actual" == "$expected" ]] || fail "$what: expected '$expected', got '$actual'"
  echo "ok - $what = $actual"
}

# No clients (so a deregistered target holds no connection) and virtual time that moves only
# through POST /_ebb/advance, so the deregistration check sees the delay exactly.
config_file="$work_dir/scenario.json"
echo '{ "clients": { "sessions": 0 } }' >"$config_file"

# Its own process group, so cleanup stops npx and the node process under it.
set -m
npx --no-install ebb emulator --port 0 --config "$config_file" --speed 0 >"$server_log" 2>&1 &
server_pid=$!
set +m

url=""
for _ in $(seq 1 600); do
  kill -0 "$server_pid" 2>/dev/null || fail "the emulator exited before it was listening"
  url="$(grep -m1 'listening' "$server_log" 2>/dev/null | grep -oE 'http://127\.0\.0\.1:[0-9]+' | head -n1 || true)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || fail "no 'listening' line from the emulator within 60 s"
echo "emulator at $url"

export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
aws_local() {
  timeout 60 aws --endpoint-url "$url" --region us-east-1 "$@"
}

# Auto Scaling: the scenario's group with every instance in it.
group_json="$(aws_local autoscaling describe-auto-scaling-groups --auto-scaling-group-names ebb-demo-asg --output json)" ||
  fail "describe-auto-scaling-groups failed"
desired="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AutoScalingGroups"][0]["DesiredCapacity"])' <<<"$group_json")"
instance_count="$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["AutoScalingGroups"][0]["Instances"]))' <<<"$group_json")"
expect_equal "desired capacity of ebb-demo-asg" 12 "$desired"
expect_equal "instances in ebb-demo-asg" "$desired" "$instance_count"
first_instance="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AutoScalingGroups"][0]["Instances"][0]["InstanceId"])' <<<"$group_json")"

# ELBv2: the target group's ARN, then the health of its targets.
target_group_arn="$(aws_local elbv2 describe-target-groups --query 'TargetGroups[0].TargetGroupArn' --output text)" ||
  fail "describe-target-groups failed"
[[ "$target_group_arn" == arn:aws:elasticloadbalancing:* ]] || fail "unexpected target group ARN '$target_group_arn'"
healthy="$(aws_local elbv2 describe-target-health --target-group-arn "$target_group_arn" \
  --query "length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])" --output text)" ||
  fail "describe-target-health failed"
expect_equal "healthy targets" "$desired" "$healthy"

# A deregistered target without connections completes deregistration at once, but shows draining
# until the deregistration delay (300 s) has elapsed (ALB guide, "Deregistration delay").
last_instance="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AutoScalingGroups"][0]["Instances"][-1]["InstanceId"])' <<<"$group_json")"
# Ebb's reconciler, installed with the emulator, leaves a deregistration by hand alone when the ASG
# owns registration (the emulator's default); where Ebb owns it, it would put the instance back within
# a minute unless AddToLoadBalancer is suspended. Suspended here, the check holds in either mode.
aws_local autoscaling suspend-processes --auto-scaling-group-name ebb-demo-asg --scaling-processes AddToLoadBalancer ||
  fail "suspend-processes failed"
aws_local elbv2 deregister-targets --target-group-arn "$target_group_arn" --targets "Id=$last_instance" ||
  fail "deregister-targets failed"
target_state() {
  aws_local elbv2 describe-target-health --target-group-arn "$target_group_arn" --targets "Id=$last_instance" \
    --query 'TargetHealthDescriptions[0].TargetHealth.[State,Reason]' --output text | tr '\t' ' '
}
expect_equal "deregistered target without connections" "draining Target.DeregistrationInProgress" "$(target_state)"
# Installed Ebb's scheduled functions spend virtual time of their own (API and task latency), so the
# checks keep a few seconds from the 300 s boundary.
curl -fsS --max-time 10 -X POST "$url/_ebb/advance?seconds=290" >/dev/null || fail "POST /_ebb/advance failed"
expect_equal "the same target 290 s later" "draining Target.DeregistrationInProgress" "$(target_state)"
curl -fsS --max-time 10 -X POST "$url/_ebb/advance?seconds=15" >/dev/null || fail "POST /_ebb/advance failed"
expect_equal "the same target once the delay is over" "unused Target.NotRegistered" "$(target_state)"

# CloudWatch: write a datapoint at the emulator's virtual time and read it back.
virtual_now="$(curl -fsS --max-time 10 "$url/_ebb/state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtualTime"])')" ||
  fail "GET /_ebb/state failed"
window="$(python3 - "$virtual_now" <<'PY'
import sys
from datetime import datetime, timedelta
now = datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
fmt = "%Y-%m-%dT%H:%M:%SZ"
print((now - timedelta(minutes=10)).strftime(fmt), (now + timedelta(minutes=10)).strftime(fmt))
PY
)"
read -r start_time end_time <<<"$window"
aws_local cloudwatch put-metric-data --namespace Ebb/CliCheck --metric-name Probe --unit Count --value 42 \
  --timestamp "$virtual_now" --dimensions Check=aws-cli || fail "put-metric-data failed"
# Datapoints are readable only after CloudWatch's ingestion delay (cloudwatch.ingestionDelaySeconds, 60 s).
curl -fsS --max-time 10 -X POST "$url/_ebb/advance?seconds=60" >/dev/null || fail "POST /_ebb/advance failed"
sum="$(aws_local cloudwatch get-metric-statistics --namespace Ebb/CliCheck --metric-name Probe --dimensions Name=Check,Value=aws-cli \
  --start-time "$start_time" --end-time "$end_time" --period 60 --statistics Sum --query 'Datapoints[0].Sum' --output text)" ||
  fail "get-metric-statistics failed"
# The CLI prints 42 or 42.0 depending on the protocol it picked (JSON or query).
expect_equal "Sum read back from CloudWatch" 42 "$(python3 -c 'import sys; v = sys.argv[1]; print(int(float(v)) if v.replace(".", "", 1).isdigit() else v)' "$sum")"

# A lifecycle action that does not exist: ValidationError, and the CLI exits non-zero.
set +e
error_output="$(aws_local autoscaling complete-lifecycle-action --auto-scaling-group-name ebb-demo-asg \
  --lifecycle-hook-name no-such-hook --lifecycle-action-result CONTINUE --instance-id "$first_instance" 2>&1)"
status=$?
set -e
[[ $status -ne 0 ]] || fail "complete-lifecycle-action on a missing action succeeded"
[[ "$error_output" == *"(ValidationError)"* ]] || fail "complete-lifecycle-action: expected ValidationError, got: $error_output"
echo "ok - complete-lifecycle-action failed with ValidationError (exit $status)"

# Instance Refresh: start one, cancel it, and let virtual time pass until it reads Cancelled
# (Cancelling lasts while the round in flight finishes terminating and launching).
refresh_id="$(aws_local autoscaling start-instance-refresh --auto-scaling-group-name ebb-demo-asg \
  --desired-configuration '{"LaunchTemplate":{"LaunchTemplateName":"ebb-app","Version":"2"}}' \
  --preferences '{"MinHealthyPercentage":50,"InstanceWarmup":0}' --query InstanceRefreshId --output text)" ||
  fail "start-instance-refresh failed"
[[ "$refresh_id" =~ ^[0-9a-f-]{36}$ ]] || fail "unexpected instance refresh id '$refresh_id'"
cancelled_id="$(aws_local autoscaling cancel-instance-refresh --auto-scaling-group-name ebb-demo-asg --query InstanceRefreshId --output text)" ||
  fail "cancel-instance-refresh failed"
expect_equal "cancel-instance-refresh id" "$refresh_id" "$cancelled_id"
refresh_status=""
for _ in $(seq 1 30); do
  refresh_status="$(aws_local autoscaling describe-instance-refreshes --auto-scaling-group-name ebb-demo-asg \
    --instance-refresh-ids "$refresh_id" --query 'InstanceRefreshes[0].Status' --output text)" ||
    fail "describe-instance-refreshes failed"
  [[ "$refresh_status" == "Cancelled" ]] && break
  curl -fsS --max-time 30 -X POST "$url/_ebb/advance?seconds=60" >/dev/null || fail "POST /_ebb/advance failed"
done
expect_equal "instance refresh status after cancel-instance-refresh" Cancelled "$refresh_status"

echo "all AWS CLI checks passed"
