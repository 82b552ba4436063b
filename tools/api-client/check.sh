#!/usr/bin/env bash
# The typed-client check: writes the OpenAPI document of the app as it is (scripts/dump-openapi.ts,
# no server needed), generates schema.d.ts from it with openapi-typescript, and compiles example.ts
# against it with TypeScript 5. A route whose schema no longer fits the example fails here.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x "$here/node_modules/.bin/openapi-typescript" ] || [ ! -x "$here/node_modules/.bin/tsc" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi

node "$root/scripts/dump-openapi.ts" "$here/openapi.json"
"$here/node_modules/.bin/openapi-typescript" "$here/openapi.json" --output "$here/schema.d.ts"
"$here/node_modules/.bin/tsc" --noEmit -p "$here/tsconfig.json"
echo "Typed client: schema.d.ts generated from the OpenAPI document; example.ts compiles."

# Then as an ERP on another machine would: a portal started on its own (embedded database, demo data),
# a token created by the demo customer on their profile, and example.ts run against it with that token.
port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
data="$(mktemp -d)"
url="http://127.0.0.1:$port"
PORT="$port" DATA_DIR="$data" DEMO_DATA=true BASE_URL="$url" LOG_LEVEL=warn node "$root/src/server/main.ts" >"$data/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  curl -fsS "$url/api/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.5
done
jar="$data/cookies"
curl -fsS -c "$jar" -H "Origin: $url" -H 'Content-Type: application/json' \
  -d '{"email":"claire.dubois@alpina-industrie.ch","password":"Demo-password-2026"}' "$url/api/auth/sign-in/email" >/dev/null
token="$(curl -fsS -b "$jar" -H "Origin: $url" -H 'Content-Type: application/json' \
  -d '{"name":"ERP check","scopes":["requests:read","requests:write"]}' "$url/api/me/api-tokens" |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).secret))')"
GUICHET_URL="$url" GUICHET_TOKEN="$token" node "$here/example.ts"
echo "Typed client: example.ts opened, answered and read a request on a running portal with an API token."
