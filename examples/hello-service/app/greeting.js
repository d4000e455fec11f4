// What the service answers; kept apart from the server so it can be unit tested.
export function greeting(version, host) {
  return `hello-service ${version} on ${host}\n`;
}

// The service is healthy when it knows its version.
export function healthy(version) {
  return typeof version === 'string' && version.trim() !== '';
}
