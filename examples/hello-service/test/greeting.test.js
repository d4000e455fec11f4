import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greeting, healthy } from '../app/greeting.js';

test('greets with the version and the host', () => {
  assert.equal(greeting('1.0.0', 'web-1'), 'hello-service 1.0.0 on web-1\n');
});

test('is healthy only with a version', () => {
  assert.equal(healthy('1.0.0'), true);
  assert.equal(healthy(''), false);
});
