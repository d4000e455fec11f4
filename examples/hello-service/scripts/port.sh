# Sourced by the hooks: the port this host's service listens on. Slipway's local agents share
# one machine, so each takes its own (HELLO_PORT_BASE + SLIPWAY_INSTANCE_INDEX).
PORT=$(( ${HELLO_PORT_BASE:-18080} + ${SLIPWAY_INSTANCE_INDEX:-0} ))
export PORT
