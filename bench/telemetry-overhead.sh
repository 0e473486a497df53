#!/bin/bash
# Rough telemetry overhead (ADR 51): run from the repository root after a Release build of src/Kedja.Web.
# Rough overhead: demo scorecard reads with wrk, telemetry off vs collected (no export). Port 5820.
set -u
run() {
  local label=$1; shift
  rm -f /tmp/h182-bench.db*
  env "$@" ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Kedja="Data Source=/tmp/h182-bench.db" \
    Kedja__Admin__Email=load@kedja.test Kedja__Admin__Password=Bench-password-1 Kedja__Kolada__RunScheduler=false \
    Logging__LogLevel__Default=Warning \
    dotnet src/Kedja.Web/bin/Release/net10.0/Kedja.Web.dll --urls http://127.0.0.1:5820 > /tmp/h182-bench-$label.log 2>&1 &
  local pid=$!
  for i in $(seq 120); do curl -sf http://127.0.0.1:5820/health >/dev/null && break; sleep 1; done
  TOKEN=$(curl -s -X POST http://127.0.0.1:5820/api/v1/auth/tokens -H 'content-type: application/json' -d '{"email":"load@kedja.test","password":"Bench-password-1"}' | jq -r .token)
  UNIT=$(curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:5820/api/v1/tenants/exempelkommun/units | jq -r '.[0].id')
  URL="http://127.0.0.1:5820/api/v1/tenants/exempelkommun/units/$UNIT/scorecard"
  wrk -t2 -c8 -d5s -H "Authorization: Bearer $TOKEN" "$URL" > /dev/null 2>&1
  echo "== $label"; wrk -t2 -c8 -d15s -H "Authorization: Bearer $TOKEN" "$URL" | grep -E "Requests/sec|Latency"
  kill $pid; wait $pid 2>/dev/null
}
run off Kedja__Telemetry__Enabled=false
run on Kedja__Telemetry__Enabled=true
run off2 Kedja__Telemetry__Enabled=false
run on2 Kedja__Telemetry__Enabled=true
