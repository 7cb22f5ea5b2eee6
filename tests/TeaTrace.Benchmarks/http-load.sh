#!/usr/bin/env bash
# HTTP load through Kestrel with wrk: a consumer scan and a farmer's harvest against /health measured in the same run.
# Usage: tests/TeaTrace.Benchmarks/http-load.sh [seconds]   (needs wrk, jq, sqlite3; uses port 5090)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-10}
WORK=$(mktemp -d)
trap 'kill $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT

dotnet publish src/TeaTrace.Api -c Release -o "$WORK/app" >/dev/null
ASPNETCORE_URLS=http://127.0.0.1:5090 TeaTrace__PublicBaseUrl=http://127.0.0.1:5090 TeaTrace__Seed=demo TeaTrace__RateLimit__Enabled=false TeaTrace__Jobs__Server=false \
  ConnectionStrings__TeaTrace="Data Source=$WORK/tt.db" TeaTrace__Ledger__SigningKeyPath="$WORK/ledger.key" \
  Logging__LogLevel__Default=Warning dotnet "$WORK/app/TeaTrace.Api.dll" >"$WORK/service.log" 2>&1 &
SERVICE=$!
B=http://127.0.0.1:5090
for _ in $(seq 60); do curl -sf "$B/health" >/dev/null && break; sleep 0.5; done

read -r SERIAL CODE < <(sqlite3 "$WORK/tt.db" "SELECT u.serial || ' ' || l.code FROM units u JOIN lots l ON l.id = u.lot_id WHERE l.gtin = '06901234560015' LIMIT 1")
PLOT=$(curl -s "$B/api/plots" -H "Authorization: Bearer tt_demo_farmer_yinghong_coop" | jq -r '.[0].id')
cat >"$WORK/json.lua" <<LUA
wrk.headers["Accept"] = "application/json"
LUA
cat >"$WORK/harvest.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer tt_demo_farmer_yinghong_coop"
wrk.body = '{"plotId":"$PLOT","pickedOn":"2026-05-02","pluckingStandard":"bud1leaf","freshLeafKg":12.5}'
LUA

run() { # name, wrk args…
  local name=$1; shift
  local out; out=$(wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$@")
  local rps p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p99" "${bad:-0}"
  echo "$rps" >"$WORK/$name.rps"
}

# Warm up (JIT, connection pools, caches) so the first measured run is not the cold start; not counted.
for path in "$B/health" "$B/01/06901234560015/10/$CODE/21/$SERIAL"; do wrk -t2 -c64 -d3s "$path" >/dev/null; done
wrk -t2 -c64 -d3s -s "$WORK/harvest.lua" "$B/api/harvests" >/dev/null

echo "| endpoint | requests/s | p99 | non-2xx |"
echo "|---|---|---|---|"
run health "$B/health"
run scan -s "$WORK/json.lua" "$B/01/06901234560015/10/$CODE/21/$SERIAL"
run harvest -s "$WORK/harvest.lua" "$B/api/harvests"
run health2 "$B/health"
awk -v h1="$(cat "$WORK/health.rps")" -v h2="$(cat "$WORK/health2.rps")" -v s="$(cat "$WORK/scan.rps")" -v w="$(cat "$WORK/harvest.rps")" \
  'BEGIN { h = (h1 + h2) / 2; printf "\nscan / health = %.2f, harvest / health = %.2f (health averaged over the runs before and after)\n", s / h, w / h }'
echo "scans recorded: $(sqlite3 "$WORK/tt.db" 'SELECT count(*) FROM scans'); ledger audit: $(curl -s "$B/api/ledger/audit" -H 'Authorization: Bearer tt_demo_regulator_yingde_amr' | jq -c '{ok, entries}')"
