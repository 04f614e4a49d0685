// What the API needs from the running evaluator: open alerts now, and their changes as they happen.
import type { AlertChange } from './evaluator.js';
import type { Episode } from './episodes.js';

export interface AlertFeed {
  active(): Episode[];
  subscribe(listener: (change: AlertChange) => void): () => void;
}
