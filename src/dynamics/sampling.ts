/**
 * How minibatch SGD on P fixed samples draws each step's B indices (THEORY E28b):
 * 'replacement' (uniform with replacement, independently every step; the default)
 * or 'epochs' (random permutations of the P samples read B at a time).
 */
export type ReuseSampling = 'replacement' | 'epochs';
/** The sampling rules, for validation and messages. */
export const REUSE_SAMPLINGS: readonly ReuseSampling[] = ['replacement', 'epochs'];
