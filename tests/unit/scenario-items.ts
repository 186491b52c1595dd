// Items and a seeded generator shared by the grading, presentation and item-rules tests. Items are
// built by parsing plain objects with the content schema, so its defaults (correct: false,
// unsafe: false, critical: false, distractors: []) apply exactly as they do when content is loaded.
import { branchingItem, matchingItem, multipleItem, orderingItem, singleItem, writtenItem } from '~/content/scenario-schema';

const base = { prompt: 'The seller says the return never arrived. What now?', policies: ['5.1'] };

/** Texts a learner must never see before submitting contain this marker. */
export const SECRET = 'SECRET';

export const single = () =>
  singleItem.parse({
    ...base,
    id: 'first-move',
    type: 'single',
    points: 2,
    critical: true,
    explanation: `${SECRET} explanation: POD outranks a statement`,
    options: [
      { id: 'a', text: 'Acknowledge and ask for evidence within 48 hours', correct: true, feedback: `${SECRET} feedback a` },
      { id: 'b', text: 'Stop the refund while the seller investigates', feedback: `${SECRET} feedback b` },
      { id: 'c', text: 'Close the case: the signature proves delivery', feedback: `${SECRET} feedback c` },
      { id: 'd', text: "Give the seller the buyer's phone number", unsafe: true, feedback: `${SECRET} feedback d` },
    ],
  });

/** Three correct options (a, b, c) and two wrong ones (d, e); e is unsafe. */
export const multiple = (points = 3) =>
  multipleItem.parse({
    ...base,
    id: 'what-to-collect',
    type: 'multiple',
    points,
    critical: true,
    explanation: `${SECRET} explanation: evidence that could show the POD is wrong`,
    options: [
      { id: 'a', text: 'The warehouse intake log', correct: true, feedback: `${SECRET} feedback a` },
      { id: 'b', text: 'CCTV of the warehouse door', correct: true, feedback: `${SECRET} feedback b` },
      { id: 'c', text: 'A statement from the carrier', correct: true, feedback: `${SECRET} feedback c` },
      { id: 'd', text: 'The seller’s view of the buyer', feedback: `${SECRET} feedback d` },
      { id: 'e', text: 'The buyer’s home address', unsafe: true, feedback: `${SECRET} feedback e` },
    ],
  });

/** Five steps, correct order s1…s5; 4 points, so each of the 4 adjacent pairs is worth 1. */
export const ordering = (points = 4, count = 5) =>
  orderingItem.parse({
    ...base,
    id: 'evidence-strength',
    type: 'ordering',
    points,
    explanation: `${SECRET} explanation: §5.2 ranks evidence`,
    steps: Array.from({ length: count }, (_, i) => ({ id: `s${i + 1}`, text: `Step number ${i + 1}` })),
  });

/** Three pairs (e1→C1, e2→C2, e3→C3) and two distractors; 6 points, 2 per pair. */
export const matching = () =>
  matchingItem.parse({
    ...base,
    id: 'evidence-to-conclusion',
    type: 'matching',
    points: 6,
    explanation: `${SECRET} explanation: each piece of evidence supports one conclusion`,
    pairs: [
      { id: 'e1', evidence: 'Signed for by W. ZHAO', conclusion: 'Delivered to the return address' },
      { id: 'e2', evidence: 'Drop-off weight 1.12 kg', conclusion: 'Something of the right weight was sent' },
      { id: 'e3', evidence: 'No photos attached to the dispute', conclusion: 'The seller has not shown evidence yet' },
    ],
    distractors: ['The buyer kept the speaker', 'The carrier lost the parcel'],
  });

export const written = () =>
  writtenItem.parse({
    ...base,
    id: 'reply-to-seller',
    type: 'written',
    points: 4,
    explanation: `${SECRET} explanation: own the case`,
    modelReply: `${SECRET} model reply: I understand how frustrating this is`,
    rubric: [
      {
        criterion: `${SECRET} criterion: acknowledges the seller`,
        levels: [
          { points: 0, description: `${SECRET} level: ignores the frustration` },
          { points: 1, description: `${SECRET} level: acknowledges it` },
        ],
      },
    ],
  });

/**
 * greet → verify → close, with weaker choices along the way and an unsafe choice that ends the
 * conversation at once. Best path: calm (2) + ask-order (3) + summarise (2) = 7 of 14 points.
 */
export const branching = () =>
  branchingItem.parse({
    ...base,
    id: 'angry-seller-chat',
    type: 'branching',
    points: 14,
    critical: true,
    explanation: `${SECRET} explanation: calm, verify, summarise`,
    start: 'greet',
    steps: [
      {
        id: 'greet',
        prompt: 'Fang: Stop the refund NOW.',
        options: [
          { id: 'calm', text: 'I understand, let me look at this with you.', points: 2, feedback: `${SECRET} feedback calm`, next: 'verify' },
          { id: 'blunt', text: 'The tracking says delivered.', points: 0, feedback: `${SECRET} feedback blunt`, next: 'verify' },
          { id: 'password', text: 'Send me your account password.', points: 0, unsafe: true, feedback: `${SECRET} feedback password` },
        ],
      },
      {
        id: 'verify',
        prompt: 'Fang: So what are you going to do about it?',
        options: [
          { id: 'ask-order', text: 'Could you upload your intake log for 11 November?', points: 3, feedback: `${SECRET} feedback ask`, next: 'close' },
          { id: 'skip', text: 'I will pass it on.', points: 1, feedback: `${SECRET} feedback skip`, next: 'close' },
        ],
      },
      {
        id: 'close',
        prompt: 'Fang: Fine. And then?',
        options: [
          { id: 'summarise', text: 'The Dispute Team decides within 5 business days.', points: 2, feedback: `${SECRET} feedback summarise` },
          { id: 'hangup', text: 'Anything else?', points: 0, feedback: `${SECRET} feedback hangup` },
        ],
      },
    ],
  });

/**
 * top → (l | r) → bottom: the greedy first choice (right, 2 points) is not on the best path
 * (left 1 + x 5 + z 3 = 9).
 */
export const diamond = () =>
  branchingItem.parse({
    ...base,
    id: 'diamond',
    type: 'branching',
    points: 9,
    explanation: 'Take the long way round.',
    start: 'top',
    steps: [
      {
        id: 'top',
        prompt: 'Top',
        options: [
          { id: 'left', text: 'Left', points: 1, feedback: 'f', next: 'l' },
          { id: 'right', text: 'Right', points: 2, feedback: 'f', next: 'r' },
        ],
      },
      {
        id: 'l',
        prompt: 'Left side',
        options: [
          { id: 'x', text: 'X', points: 5, feedback: 'f', next: 'bottom' },
          { id: 'x0', text: 'X0', points: 0, feedback: 'f', next: 'bottom' },
        ],
      },
      {
        id: 'r',
        prompt: 'Right side',
        options: [
          { id: 'y', text: 'Y', points: 1, feedback: 'f', next: 'bottom' },
          { id: 'y0', text: 'Y0', points: 0, feedback: 'f' },
        ],
      },
      {
        id: 'bottom',
        prompt: 'Bottom',
        options: [
          { id: 'z', text: 'Z', points: 3, feedback: 'f' },
          { id: 'w', text: 'W', points: 0, feedback: 'f' },
        ],
      },
    ],
  });

/** mulberry32, kept separate from the code under test so the tests do not lean on it. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)] as T;
  const shuffle = <T>(values: readonly T[]): T[] => {
    const result = [...values];
    for (let i = result.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [result[i], result[j]] = [result[j] as T, result[i] as T];
    }
    return result;
  };
  return { next, int, pick, shuffle };
}
