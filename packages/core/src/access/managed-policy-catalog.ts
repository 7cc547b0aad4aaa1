import { managedPolicies, managedPolicyNames as names } from './policy/index.js';
import type { PolicyDocument } from './policy/policy-document.js';

/** Managed policies are addressed by name wherever a customer policy id may appear. */
export function managedPolicyDocument(ref: string): PolicyDocument | undefined {
  return Object.hasOwn(managedPolicies, ref) ? managedPolicies[ref as keyof typeof managedPolicies] : undefined;
}

export function managedPolicyNames(): readonly string[] {
  return names;
}
