#!/bin/sh
# ApplicationStop runs the previous revision's copy of this script.
set -e
if [ -f /opt/hello-service/pid ]; then
  kill "$(cat /opt/hello-service/pid)" 2>/dev/null || true
  rm -f /opt/hello-service/pid
fi
echo "stopped"
