#!/bin/sh
# Probes the service's port until /health answers 200 (10 s at most).
. "$(dirname "$0")/port.sh"
i=0
while [ $i -lt 40 ]; do
  if node -e "fetch('http://127.0.0.1:$PORT/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(2))"; then
    echo "healthy on port $PORT"
    exit 0
  fi
  i=$((i + 1))
  sleep 0.25
done
echo "not healthy on port $PORT" >&2
exit 1
