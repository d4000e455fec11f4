/**
 * The appspec `permissions` section: owner, group, mode and ACLs the agent sets on installed
 * files and directories after the copy (Linux only). `object` is a host path like a
 * destination; `mode` is chmod's octal form, read as written so `0644` means 0644.
 */
import {
  permissionObjectTypes,
  type PermissionObjectType,
  type PermissionSpec,
  type SelinuxContext,
} from './appspec.model.ts';
import { hostPath } from './bundle-paths.ts';
import {
  fieldsOf,
  found,
  readMap,
  readRequiredString,
  readSeq,
  readString,
  readStringList,
} from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YNode } from './yaml-view.ts';

const permissionKeys = [
  'object',
  'pattern',
  'except',
  'owner',
  'group',
  'mode',
  'acls',
  'context',
  'type',
];
const contextKeys = ['user', 'name', 'type', 'range'];

/** A user or group name as useradd and groupadd accept it, or a numeric id. */
const principal = /^(?:\d{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?)$/;
/** setfacl's short and long forms: `[d[efault]:]u[ser]|g[roup]|m[ask]|o[ther]:[name]:perms`. */
const aclEntry =
  /^(?:d(?:efault)?:)?(?:u(?:ser)?|g(?:roup)?|m(?:ask)?|o(?:ther)?):[^:\s]*:[rwx-]{1,3}$/;

/** `s#[-s#][:c#[.c#](,c#[.c#])*]`, the agent's RangeInfo format. */
const selinuxRange = /^s\d+(?:-s\d+)?(?::c\d+(?:\.c\d+)?(?:,c\d+(?:\.c\d+)?)*)?$/;

export function parsePermissions(node: YNode, problems: Problems): PermissionSpec[] {
  const seq = readSeq(node, ['permissions'], problems);
  if (seq === undefined) return [];
  const out: PermissionSpec[] = [];
  seq.items.forEach((item, i) => {
    const permission = parsePermission(item, ['permissions', i], problems);
    if (permission !== undefined) out.push(permission);
  });
  return out;
}

function parsePermission(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): PermissionSpec | undefined {
  if (node.kind === 'scalar') {
    problems.error(node.line, path, `expected a mapping with an object, ${found(node)}`);
    return undefined;
  }
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, permissionKeys, path, problems);
  const at = (key: string): FieldPath => [...path, key];

  const objectNode = fields.get('object');
  const objectText = readRequiredString(
    objectNode,
    { line: map.line, path: at('object'), what: 'object' },
    problems,
  );
  let object: string | undefined;
  if (objectText !== undefined) {
    const checked = hostPath(objectText);
    if (checked.ok) object = checked.path;
    else problems.error(objectNode?.line, at('object'), checked.reason);
  }

  const patternNode = fields.get('pattern');
  const pattern = (patternNode && readString(patternNode, at('pattern'), problems)) || '**';
  const exceptNode = fields.get('except');
  const except = (exceptNode && readStringList(exceptNode, at('except'), problems)) ?? [];
  const owner = readPrincipal(fields.get('owner'), at('owner'), problems);
  const group = readPrincipal(fields.get('group'), at('group'), problems);
  const modeNode = fields.get('mode');
  const mode = modeNode && readMode(modeNode, at('mode'), problems);
  const aclsNode = fields.get('acls');
  const acls = (aclsNode && readAcls(aclsNode, at('acls'), problems)) ?? [];
  const contextNode = fields.get('context');
  const context = contextNode && readContext(contextNode, at('context'), problems);
  const typeNode = fields.get('type');
  const type = (typeNode && readTypes(typeNode, at('type'), problems)) ?? permissionObjectTypes;

  if (object === undefined) return undefined;
  return { object, pattern, except, owner, group, mode, acls, context, type };
}

function readPrincipal(
  node: YNode | undefined,
  path: FieldPath,
  problems: Problems,
): string | undefined {
  const text = node && readString(node, path, problems);
  if (node === undefined || text === undefined || text === '') return undefined;
  if (principal.test(text)) return text;
  problems.error(node.line, path, `'${text}' is not a Linux user or group name`);
  return undefined;
}

/** One to four octal digits, left-padded to three as the agent does (`44` is `044`). */
function readMode(node: YNode, path: FieldPath, problems: Problems): string | undefined {
  const text = readString(node, path, problems);
  if (text === undefined || text === '') return undefined;
  if (!/^[0-7]{1,4}$/.test(text)) {
    problems.error(
      node.line,
      path,
      `'${text}' is not a mode: use one to four octal digits, e.g. 644 or 4755`,
    );
    return undefined;
  }
  return text.padStart(3, '0');
}

function readAcls(node: YNode, path: FieldPath, problems: Problems): string[] | undefined {
  const seq = readSeq(node, path, problems);
  if (seq === undefined) return undefined;
  const out: string[] = [];
  seq.items.forEach((item, i) => {
    const text = readString(item, [...path, i], problems);
    if (text === undefined) return;
    if (aclEntry.test(text)) out.push(text);
    else
      problems.error(
        item.line,
        [...path, i],
        `'${text}' is not an ACL entry such as u:bob:rw or d:g::r-x`,
      );
  });
  return out;
}

function readContext(node: YNode, path: FieldPath, problems: Problems): SelinuxContext | undefined {
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, contextKeys, path, problems);
  const type = readRequiredString(
    fields.get('type'),
    { line: map.line, path: [...path, 'type'], what: 'type' },
    problems,
  );
  const userNode = fields.get('user') ?? fields.get('name');
  const user =
    userNode && readString(userNode, [...path, fields.has('user') ? 'user' : 'name'], problems);
  const rangeNode = fields.get('range');
  let range = rangeNode && readString(rangeNode, [...path, 'range'], problems);
  if (rangeNode !== undefined && range !== undefined && range !== '' && !selinuxRange.test(range)) {
    problems.error(
      rangeNode.line,
      [...path, 'range'],
      `'${range}' is not an SELinux range such as s0 or s0-s15:c0.c1023`,
    );
    range = undefined;
  }
  problems.warn(map.line, path, "SELinux contexts are accepted but not applied by Slipway's agent");
  if (type === undefined) return undefined;
  return { user: user || undefined, type, range: range || undefined };
}

function readTypes(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): PermissionObjectType[] | undefined {
  const seq = readSeq(node, path, problems);
  if (seq === undefined) return undefined;
  const out: PermissionObjectType[] = [];
  seq.items.forEach((item, i) => {
    const text = readString(item, [...path, i], problems);
    if (text === undefined) return;
    const type = permissionObjectTypes.find((t) => t === text);
    if (type === undefined)
      problems.error(item.line, [...path, i], `unknown type '${text}': expected file or directory`);
    else if (!out.includes(type)) out.push(type);
  });
  return out;
}
