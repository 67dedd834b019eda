#!/usr/bin/env bash
# What action.yml runs: the command line with the action's inputs, given as INPUT_* variables.
# The command line itself writes the step outputs (GITHUB_OUTPUT) and the job summary
# (GITHUB_STEP_SUMMARY). Run it locally the same way, with those variables set.
set -euo pipefail

root="${GITHUB_ACTION_PATH:?must be the folder of the action}"
args=()

# Each non-blank line of $2, trimmed, as a value of flag $1.
each_line() {
  local flag="$1" line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ]; then args+=("$flag" "$line"); fi
  done <<<"$2"
}
# "true" or "false" (any case); anything else is a mistake worth stopping for.
is_true() {
  case "${1,,}" in
    true) return 0 ;;
    false | "") return 1 ;;
    *) echo "error: input $2 must be true or false, got \"$1\"" >&2; exit 2 ;;
  esac
}

each_line --file "${INPUT_FILE:-}"
each_line --sitemap "${INPUT_SITEMAP:-}"
if [ -n "${INPUT_REMAINING:-}" ]; then
  # Read what an earlier run left (a missing file is an empty one), then rewrite it.
  args+=(--file "$INPUT_REMAINING" --remaining "$INPUT_REMAINING")
fi
if [ -n "${INPUT_DIR:-}" ]; then args+=(--dir "$INPUT_DIR"); fi
if [ -n "${INPUT_BASE:-}" ]; then args+=(--base "$INPUT_BASE"); fi
if [ -n "${INPUT_AREA:-}" ]; then args+=(--area "$INPUT_AREA"); fi
if [ -n "${INPUT_ORDER:-}" ]; then args+=(--order "$INPUT_ORDER"); fi
if [ -n "${INPUT_CHANGED_SINCE:-}" ]; then args+=(--changed-since "$INPUT_CHANGED_SINCE"); fi
if [ -n "${INPUT_CHANGED_MANIFEST:-}" ]; then
  args+=(--changed-manifest "$INPUT_CHANGED_MANIFEST")
fi
if is_true "${INPUT_DRY_RUN:-}" dry-run; then args+=(--dry-run); fi
if is_true "${INPUT_WAIT:-}" wait; then args+=(--wait); fi

# One report file per run and step, so two prewarm steps of a job keep both.
step="${GITHUB_ACTION:-prewarm}"
args+=(--report "${RUNNER_TEMP:-/tmp}/qcdn-prewarm-${GITHUB_RUN_ID:-local}-${step//[^A-Za-z0-9._-]/_}.json")

# Extra options, split on whitespace; glob characters stay literal.
set -f
read -r -a extra <<<"${INPUT_ARGS:-}"
set +f
args+=("${extra[@]}")

read -r -a urls <<<"$(printf '%s' "${INPUT_URLS:-}" | tr '\r\n\t' '   ')"
args+=(--)
args+=("${urls[@]}")

exec deno run --allow-net --allow-env --allow-read --allow-write --allow-run=git \
  --config "$root/deno.json" "$root/src/cli/main.ts" "${args[@]}"
