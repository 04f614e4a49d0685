// The soak's message stream: realistic simulator events re-stamped with fresh ids, the current
// time and per-cycle contact ids, plus a known share of exact duplicates (redelivered by a
// producer retry, say) and poison payloads. Every message is counted, so the store can be
// checked for exactness afterwards.
import { simulateHistory } from '../../pipelines/simulate/generator.js';
import { eventKey } from '../../pipelines/simulate/sinks.js';

export interface SoakMessage {
  key: string;
  value: string;
}

export interface StreamCounts {
  /** Messages sent to Kafka, duplicates and poison included. */
  messages: number;
  /** Distinct valid events: what the raw tables must hold after FINAL. */
  distinctValid: number;
  /** Re-sent copies of an earlier valid message. */
  duplicates: number;
  /** Invalid payloads: each must end as exactly one dead letter. */
  poison: number;
}

const ID = '~ID~';
const AT = '~AT~';
const CYCLE = '~CY~';

/** A valid UUID v4 from a sequence number (prefix keeps soak ids apart from probes). */
export function soakId(prefix: number, n: number): string {
  return `00000000-${prefix.toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export class MessageStream {
  private readonly templates: { key: string; value: string; hasContact: boolean }[] = [];
  private readonly recent: SoakMessage[] = [];
  readonly counts: StreamCounts = { messages: 0, distinctValid: 0, duplicates: 0, poison: 0 };
  private next = 0;

  /**
   * `duplicateEvery`/`poisonEvery`: one in N messages is a duplicate / poison (0 = none).
   * `eventTime`: 'now' stamps every event with the time it is produced (all of it lands in
   * today's wallboard and metrics: the heaviest case for reads); 'history' keeps the simulator's
   * times, 30 days back (today's figures stay small: reads measure contention, not volume).
   */
  constructor(
    private readonly options: {
      duplicateEvery: number;
      poisonEvery: number;
      eventTime?: 'now' | 'history';
      templateEvents?: number;
    },
  ) {
    for (const event of simulateHistory({ days: 30, queues: 5, seed: 11 })) {
      const record = { ...event } as Record<string, unknown>;
      const hasContact = typeof record.contact_id === 'string';
      record.event_id = ID;
      if ((options.eventTime ?? 'now') === 'now') record.occurred_at = AT;
      if (hasContact) record.contact_id = `${String(record.contact_id)}${CYCLE}`;
      this.templates.push({ key: eventKey(event), value: JSON.stringify(record), hasContact });
      if (this.templates.length >= (options.templateEvents ?? 20_000)) break;
    }
  }

  /** The next `count` messages, stamped with `nowMs`. */
  take(count: number, nowMs: number): SoakMessage[] {
    const at = new Date(nowMs).toISOString();
    const out: SoakMessage[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.counts.messages++;
      if (this.options.poisonEvery > 0 && n % this.options.poisonEvery === this.options.poisonEvery - 1) {
        this.counts.poison++;
        // Half are not JSON at all, half are events missing required fields.
        out.push(
          n % 2 === 0
            ? { key: 'poison', value: `{"event_id":"${soakId(2, n)}","type":"contact.queued"` }
            : {
                key: 'poison',
                value: JSON.stringify({ event_id: soakId(2, n), type: 'contact.queued', occurred_at: at }),
              },
        );
        continue;
      }
      const copy = this.recent[n % Math.max(1, this.recent.length)];
      if (this.options.duplicateEvery > 0 && copy && n % this.options.duplicateEvery === 0) {
        this.counts.duplicates++;
        out.push(copy);
        continue;
      }
      const seq = this.next++;
      const template = this.templates[seq % this.templates.length]!;
      const cycle = Math.floor(seq / this.templates.length);
      let value = template.value.replace(ID, soakId(1, seq)).replace(AT, at);
      if (template.hasContact) value = value.replace(CYCLE, `-${cycle}`);
      const message = { key: template.hasContact ? `${template.key}-${cycle}` : template.key, value };
      this.counts.distinctValid++;
      out.push(message);
      if (this.recent.length < 1000) this.recent.push(message);
      else this.recent[seq % 1000] = message;
    }
    return out;
  }
}
