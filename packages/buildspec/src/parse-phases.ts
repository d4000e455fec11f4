/**
 * The buildspec `phases` section: commands, `finally` blocks, `run-as`, `on-failure` (with the
 * RETRY forms of the current CodeBuild docs) and the install phase's `runtime-versions`.
 */
import { phaseNames, type OnFailure, type PhaseName, type PhaseSpec } from './buildspec.model.ts';
import { fieldsOf, readCommands, readMap, readNameValues, readString } from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YNode } from './yaml-view.ts';

const phaseKeys = ['run-as', 'on-failure', 'commands', 'finally'];
const installKeys = [...phaseKeys, 'runtime-versions'];

export function parsePhases(
  node: YNode,
  problems: Problems,
): Partial<Record<PhaseName, PhaseSpec>> {
  const map = readMap(node, ['phases'], problems);
  const phases: Partial<Record<PhaseName, PhaseSpec>> = {};
  if (map === undefined) return phases;
  const fields = fieldsOf(map, phaseNames, ['phases'], problems);
  for (const name of phaseNames) {
    const phaseNode = fields.get(name);
    if (phaseNode === undefined) continue;
    const phase = parsePhase(name, phaseNode, problems);
    if (phase !== undefined) phases[name] = phase;
  }
  return phases;
}

function parsePhase(name: PhaseName, node: YNode, problems: Problems): PhaseSpec | undefined {
  const path: FieldPath = ['phases', name];
  const map = readMap(node, path, problems);
  if (map === undefined) {
    if (name !== 'install') problems.error(node.line, path, 'commands are required');
    return undefined;
  }
  const fields = fieldsOf(map, name === 'install' ? installKeys : phaseKeys, path, problems);

  const runAsNode = fields.get('run-as');
  const runAs = runAsNode && readString(runAsNode, [...path, 'run-as'], problems);

  const onFailureNode = fields.get('on-failure');
  let onFailure: OnFailure | undefined;
  if (onFailureNode !== undefined) {
    const text = readString(onFailureNode, [...path, 'on-failure'], problems);
    if (text !== undefined) {
      const parsed = parseOnFailure(text);
      if (typeof parsed === 'string')
        problems.error(onFailureNode.line, [...path, 'on-failure'], parsed);
      else onFailure = parsed;
    }
  }

  const runtimeNode = fields.get('runtime-versions');
  const runtimeVersions =
    runtimeNode === undefined
      ? []
      : readNameValues(runtimeNode, [...path, 'runtime-versions'], problems);
  if (runtimeNode !== undefined && isEmpty(runtimeNode)) {
    problems.error(runtimeNode.line, [...path, 'runtime-versions'], 'name at least one runtime');
  }

  const commandsNode = fields.get('commands');
  const commands = commandsNode && readCommands(commandsNode, [...path, 'commands'], problems);
  // The docs make `commands` optional only in install, where runtime-versions may stand alone.
  if (commandsNode === undefined && name !== 'install') {
    problems.error(map.line, path, 'commands are required');
  }
  const finallyNode = fields.get('finally');
  const finallyCommands = finallyNode && readCommands(finallyNode, [...path, 'finally'], problems);

  return {
    runAs,
    onFailure,
    runtimeVersions: runtimeVersions.map(({ name: n, value }) => ({ name: n, value })),
    commands: commands ?? [],
    finally: finallyCommands ?? [],
  };
}

function isEmpty(node: YNode): boolean {
  return (
    (node.kind === 'scalar' && node.isNull) || (node.kind === 'map' && node.entries.length === 0)
  );
}

const defaultRetryCount = 3;
const maxRetryCount = 100;

/**
 * ABORT | CONTINUE | RETRY | RETRY-<count> | RETRY-<regex> | RETRY-<count>-<regex>, keywords in
 * any case. Returns a message when the text is none of them. The regex is checked with
 * JavaScript's engine, close to but not the same as the RE2 syntax CodeBuild uses.
 */
export function parseOnFailure(text: string): OnFailure | string {
  const upper = text.toUpperCase();
  if (upper === 'ABORT') return { action: 'ABORT' };
  if (upper === 'CONTINUE') return { action: 'CONTINUE' };
  if (upper === 'RETRY') return { action: 'RETRY', count: defaultRetryCount, pattern: '.*' };
  if (!upper.startsWith('RETRY-')) {
    return `unknown on-failure '${text}': expected ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>`;
  }
  const rest = text.slice('RETRY-'.length);
  const counted = /^(\d+)(?:-(.*))?$/s.exec(rest);
  const count = counted === null ? defaultRetryCount : Number(counted[1]);
  const pattern = counted === null ? rest : (counted[2] ?? '.*');
  if (count > maxRetryCount) return `retry count ${count} is over ${maxRetryCount}`;
  if (pattern === '') return `on-failure '${text}' has an empty retry pattern`;
  try {
    new RegExp(pattern);
  } catch {
    return `on-failure '${text}': '${pattern}' is not a valid regular expression`;
  }
  return { action: 'RETRY', count, pattern };
}
