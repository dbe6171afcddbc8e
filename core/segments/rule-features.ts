import { ruleChildren, type RuleNode } from './rule-ast.js';

/**
 * The features a rule reads, each once, in order of first appearance, so a
 * segment can declare what it depends on and be rebuilt when one changes.
 */
export function ruleFeatures(ast: RuleNode): string[] {
  const seen = new Set<string>();
  // An explicit stack: a long `a or b or …` chain is a deep left spine.
  const pending: RuleNode[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop() as RuleNode;
    if (node.kind === 'feature') seen.add(node.name);
    pending.push(...[...ruleChildren(node)].reverse());
  }
  return [...seen];
}
