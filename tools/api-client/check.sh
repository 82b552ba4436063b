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
