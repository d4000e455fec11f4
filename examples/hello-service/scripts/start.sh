#!/bin/sh
set -e
. "$(dirname "$0")/port.sh"
cd /opt/hello-service/app
# In the background, with its output redirected: the hook ends, the service keeps running.
setsid node server.js > /opt/hello-service/server.log 2>&1 < /dev/null &
echo $! > /opt/hello-service/pid
echo "started version $(cat VERSION) on port $PORT"
