/**
 * The YAML reader appspec shares with buildspec: a small tree that keeps each node's line and
 * each scalar's text as written, so `mode: 0644` stays "0644" (Ruby's YAML 1.1 reader in
 * CodeDeploy's agent turns it into the integer 420, a well-known trap) and `version: 0.0` can be
 * checked as written; aliases and merge keys expanded under a node budget and a depth limit.
 */
export {
  readYaml,
  type YamlLimits,
  type YMap,
  type YNode,
  type YScalar,
  type YSeq,
} from '@slipway/buildspec/yaml-view';
