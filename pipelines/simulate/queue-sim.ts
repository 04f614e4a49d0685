// The discrete-event engine: one FIFO per queue, a pool of agents per queue whose size follows
// a half-hourly staffing target, abandonment when a caller's patience runs out, breaks, shift
// ends, surveys and repeat contacts. Every event is emitted at the simulation clock, and the
// clock only moves forward (one binary heap orders everything, including future events such
// as surveys and callbacks), so output is in occurred_at order by construction.
import type { AgentStateEvent, CallcastEvent, ContactQueuedEvent } from '../../src/events/schemas.js';
import { CHANNELS } from '../../src/events/schemas.js';
import {
  type Contact,
  ContactState,
  type Surge,
  SurgePlan,
  drawContactNeeds,
  generateDayArrivals,
  newContact,
} from './arrivals.js';
import { Prng } from './prng.js';
import { CompiledQueue, DAY_MS, HALF_HOUR_MS, type QueueProfile, dayStart } from './profiles.js';
import { drawSurvey } from './surveys.js';

// ---------------------------------------------------------------------------------------------
// Event heap: parallel typed arrays, ordered by (time, insertion sequence).

const K_DAY = 0;
const K_TICK = 1;
const K_ARRIVAL = 2;
const K_ABANDON = 3;
const K_TALK_END = 4;
const K_WRAP_END = 5;
const K_BREAK = 6;
const K_BREAK_END = 7;
const K_SURVEY = 8;

class EventHeap {
  time = new Float64Array(1024);
  seq = new Float64Array(1024);
  kind = new Uint8Array(1024);
  ref = new Int32Array(1024);
  aux = new Int32Array(1024);
  size = 0;
  private counter = 0;

  private less(i: number, j: number): boolean {
    const ti = this.time[i]!;
    const tj = this.time[j]!;
    return ti < tj || (ti === tj && this.seq[i]! < this.seq[j]!);
  }

  private swap(i: number, j: number): void {
    const { time, seq, kind, ref, aux } = this;
    let x = time[i]!;
    time[i] = time[j]!;
    time[j] = x;
    x = seq[i]!;
    seq[i] = seq[j]!;
    seq[j] = x;
    x = kind[i]!;
    kind[i] = kind[j]!;
    kind[j] = x;
    x = ref[i]!;
    ref[i] = ref[j]!;
    ref[j] = x;
    x = aux[i]!;
    aux[i] = aux[j]!;
    aux[j] = x;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const r = new Int32Array(n);
    r.set(this.ref);
    this.ref = r;
    const a = new Int32Array(n);
    a.set(this.aux);
    this.aux = a;
  }

  push(time: number, kind: number, ref: number, aux: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    this.time[i] = time;
    this.seq[i] = this.counter++;
    this.kind[i] = kind;
    this.ref[i] = ref;
    this.aux[i] = aux;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTime(): number {
    return this.size === 0 ? Infinity : this.time[0]!;
  }

  /** Removes the top; read time/kind/ref/aux at index 0 before calling. */
  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.time[0] = this.time[last]!;
    this.seq[0] = this.seq[last]!;
    this.kind[0] = this.kind[last]!;
    this.ref[0] = this.ref[last]!;
    this.aux[0] = this.aux[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && this.less(r, l) ? r : l;
      if (!this.less(m, i)) break;
      this.swap(m, i);
      i = m;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Agents and queues.

const A_OFFLINE = 0;
const A_AVAILABLE = 1;
const A_ON_CONTACT = 2;
const A_WRAP = 3;
const A_BREAK = 4;

interface Agent {
  index: number;
  id: string;
  queue: number;
  state: number;
  /** Incremented at each login; stale break events carry an older value. */
  shift: number;
  /** Incremented each time the agent becomes available; stale idle-list entries carry older values. */
  availability: number;
  pendingLogout: boolean;
  pendingBreak: boolean;
  contact: Contact | null;
}

interface QueueRuntime {
  q: CompiledQueue;
  surges: SurgePlan;
  arrivalsRng: Prng;
  /** Agents ever created for this queue. */
  agents: Agent[];
  /** Offline agents, next to log in first. */
  offline: Agent[];
  /** Logged-in agents in login order (earliest first leave first). */
  onShift: Agent[];
  /** On shift and not leaving. */
  active: number;
  /** Idle agents, longest idle first (lazy deletion by availability token). */
  idleAgent: Agent[];
  idleToken: number[];
  idleHead: number;
  /** Waiting contacts in FIFO order (lazy deletion by state/serial). */
  waiting: Contact[];
  waitingSerial: number[];
  waitingHead: number;
  /** Staffing this half-hour, and the day's random planning error. */
  target: number;
  dayNoise: number;
  dayNoiseFor: number;
  wasOpen: boolean;
  /** Fresh (first-attempt) contacts so far: names them independently of what happens to others. */
  fresh: number;
  /** Today's offered contacts and profile-expected contacts, and the learnt ratio (retries, callbacks). */
  offeredToday: number;
  expectedToday: number;
  inflation: number;
}

export interface EngineOptions {
  seed: number | string;
  /** Epoch ms; the simulation starts empty at this instant. */
  start: number;
  profiles: readonly QueueProfile[];
  surges: readonly Surge[];
  /** Multiplies every staffing target (1 = as planned). */
  staffingFactor: number;
  /** Multiplies every queue's volume. */
  volumeScale: number;
  overdispersion: boolean;
  /** Scales the chances of callbacks and retries (0 = none). */
  repeatFactor: number;
  /** Share of planned agents lost to breaks, grossed up when staffing. */
  shrinkage: number;
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Short abandons (hung up within this many seconds) retry less often. */
const SHORT_ABANDON_S = 5;

export class ContactCentreEngine {
  readonly queues: QueueRuntime[];
  private readonly heap = new EventHeap();
  private readonly ids: Prng;
  private readonly outcomes: Prng;
  private readonly staffing: Prng;
  private readonly opts: EngineOptions;
  private readonly runTag: string;
  private slots: (Contact | undefined)[] = [];
  private freeSlots: number[] = [];
  private serial = 0;
  private repeatCount = 0;
  private agentCount = 0;
  private allAgents: Agent[] = [];
  private dayBuffer: Contact[] = [];
  private out: CallcastEvent[] = [];
  private clock: number;
  private isoCacheT = NaN;
  private isoCache = '';
  private isoDay = NaN;
  private isoPrefix = '';

  constructor(opts: EngineOptions) {
    this.opts = opts;
    const root = new Prng(opts.seed);
    this.runTag = (root.fork('tag').uint32() >>> 8).toString(36).padStart(5, '0');
    this.ids = root.fork('event-ids');
    this.outcomes = root.fork('outcomes');
    this.staffing = root.fork('staffing');
    this.queues = opts.profiles.map((profile, i) => {
      const q = new CompiledQueue(profile, i);
      return {
        q,
        surges: new SurgePlan(q, opts.surges),
        arrivalsRng: root.fork(`arrivals:${profile.name}`),
        agents: [],
        offline: [],
        onShift: [],
        active: 0,
        idleAgent: [],
        idleToken: [],
        idleHead: 0,
        waiting: [],
        waitingSerial: [],
        waitingHead: 0,
        target: 0,
        dayNoise: 1,
        dayNoiseFor: NaN,
        wasOpen: false,
        fresh: 0,
        offeredToday: 0,
        expectedToday: 0,
        inflation: 1.1,
      };
    });
    this.clock = opts.start;
    this.heap.push(opts.start, K_DAY, 0, 0);
  }

  /** Time of the next thing that will happen (Infinity if nothing will). */
  nextTime(): number {
    return this.heap.peekTime();
  }

  /**
   * Runs every happening with time < until, appending the events they emit to `into`
   * (in occurred_at order). Returns `into`.
   */
  runUntil(until: number, into: CallcastEvent[]): CallcastEvent[] {
    this.out = into;
    const heap = this.heap;
    while (heap.size > 0 && heap.time[0]! < until) {
      const t = heap.time[0]!;
      const kind = heap.kind[0]!;
      const ref = heap.ref[0]!;
      const aux = heap.aux[0]!;
      heap.pop();
      this.clock = t;
      switch (kind) {
        case K_DAY:
          this.onDay(t);
          break;
        case K_TICK:
          this.onTick(t);
          break;
        case K_ARRIVAL:
          this.onArrival(ref, aux, t);
          break;
        case K_ABANDON:
          this.onAbandon(ref, aux, t);
          break;
        case K_TALK_END:
          this.onTalkEnd(ref, t);
          break;
        case K_WRAP_END:
          this.onWrapEnd(ref, t);
          break;
        case K_BREAK:
          this.onBreakDue(ref, aux, t);
          break;
        case K_BREAK_END:
          this.onBreakEnd(ref, aux, t);
          break;
        case K_SURVEY:
          this.onSurvey(ref, aux, t);
          break;
      }
    }
    return into;
  }

  // --- contacts' storage -----------------------------------------------------------------------

  private allocContact(): Contact {
    const c = newContact();
    c.serial = ++this.serial;
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
    c.slot = slot;
    this.slots[slot] = c;
    return c;
  }

  private release(c: Contact): void {
    c.state = ContactState.Done;
    this.slots[c.slot] = undefined;
    this.freeSlots.push(c.slot);
  }

  private live(slot: number, serial: number): Contact | undefined {
    const c = this.slots[slot];
    return c !== undefined && c.serial === serial ? c : undefined;
  }

  // --- emitting ----------------------------------------------------------------------------------

  /** ISO-8601 UTC with milliseconds and 'Z' (what toISOString gives), without a Date per call. */
  private iso(t: number): string {
    if (t !== this.isoCacheT) {
      this.isoCacheT = t;
      const ms = Math.floor(t);
      const day = Math.floor(ms / DAY_MS);
      if (day !== this.isoDay) {
        this.isoDay = day;
        this.isoPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      }
      let r = ms - day * DAY_MS;
      const h = Math.floor(r / 3_600_000);
      r -= h * 3_600_000;
      const m = Math.floor(r / 60_000);
      r -= m * 60_000;
      const sec = Math.floor(r / 1000);
      this.isoCache = `${this.isoPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[r - sec * 1000]}Z`;
    }
    return this.isoCache;
  }

  private agentState(a: Agent, state: AgentStateEvent['state'], t: number): void {
    this.out.push({
      event_id: this.ids.uuid(),
      type: 'agent.state',
      occurred_at: this.iso(t),
      agent_id: a.id,
      state,
      queues: this.queues[a.queue]!.q.agentQueues,
    });
  }

  // --- days and staffing -------------------------------------------------------------------------

  private onDay(t: number): void {
    const day = dayStart(t);
    const next = day + DAY_MS;
    // Half-hour staffing ticks first (lower sequence numbers win ties with arrivals).
    this.heap.push(t, K_TICK, 0, 0);
    for (let s = Math.ceil(t / HALF_HOUR_MS) * HALF_HOUR_MS; s < next; s += HALF_HOUR_MS) {
      if (s > t) this.heap.push(s, K_TICK, 0, 0);
    }
    const buffer = this.dayBuffer;
    for (const qr of this.queues) {
      // Planners learn from recent history how much retries and callbacks add to the profile.
      if (qr.expectedToday > 50) {
        qr.inflation = 0.7 * qr.inflation + 0.3 * Math.min(2, qr.offeredToday / qr.expectedToday);
      }
      qr.offeredToday = 0;
      qr.expectedToday = 0;
      buffer.length = 0;
      generateDayArrivals(qr.q, t, next, qr.surges, qr.arrivalsRng, this.opts, () => this.allocContact(), buffer);
      for (const c of buffer) {
        c.id = `ct-${this.runTag}-${qr.q.index}-${(++qr.fresh).toString(36)}`;
        this.heap.push(c.t, K_ARRIVAL, c.slot, c.serial);
      }
    }
    buffer.length = 0;
    this.heap.push(next, K_DAY, 0, 0);
  }

  private onTick(t: number): void {
    const slotStart = Math.floor(t / HALF_HOUR_MS) * HALF_HOUR_MS;
    for (const qr of this.queues) {
      const q = qr.q;
      const day = dayStart(t);
      if (qr.dayNoiseFor !== day) {
        qr.dayNoiseFor = day;
        // Planning error of the day: forecasts and rosters are never exact.
        qr.dayNoise = Math.exp(0.08 * this.staffing.normal());
      }
      const expected = q.expectedArrivals(slotStart) * this.opts.volumeScale;
      if (t === slotStart) qr.expectedToday += expected;
      let target: number;
      if (expected > 0) {
        const a = (expected * qr.inflation * q.expectedAht) / (HALF_HOUR_MS / 1000);
        const planned = (a + q.profile.safety * Math.sqrt(a)) / (1 - this.opts.shrinkage);
        const jitter = this.staffing.chance(0.25) ? (this.staffing.chance(0.5) ? 1 : -1) : 0;
        target = Math.max(2, Math.round(planned * q.profile.staffingBias * qr.dayNoise) + jitter);
        target = Math.max(1, Math.round(target * this.opts.staffingFactor));
        qr.wasOpen = true;
      } else if (qr.wasOpen) {
        // Clear-down half-hour after closing: half the agents stay to finish the queue.
        target = Math.ceil(qr.target / 2);
        qr.wasOpen = false;
      } else target = 0;
      this.setStaffing(qr, target, t);
    }
  }

  private setStaffing(qr: QueueRuntime, target: number, t: number): void {
    qr.target = target;
    if (target > qr.active) {
      let need = target - qr.active;
      // Agents who were about to leave stay on instead.
      for (let i = qr.onShift.length - 1; i >= 0 && need > 0; i--) {
        const a = qr.onShift[i]!;
        if (a.pendingLogout) {
          a.pendingLogout = false;
          qr.active++;
          need--;
        }
      }
      for (; need > 0; need--) this.login(qr, t);
      this.dispatch(qr, t);
    } else if (target < qr.active) {
      let excess = qr.active - target;
      const leaving: Agent[] = [];
      for (const a of qr.onShift) {
        if (excess === 0) break;
        if (a.pendingLogout) continue;
        excess--;
        qr.active--;
        if (a.state === A_AVAILABLE || a.state === A_BREAK) leaving.push(a);
        else a.pendingLogout = true;
      }
      for (const a of leaving) this.logout(qr, a, t);
    }
  }

  private login(qr: QueueRuntime, t: number): void {
    let a = qr.offline.shift();
    if (!a) {
      a = {
        index: this.agentCount++,
        id: `agt-${qr.q.name}-${String(qr.agents.length + 1).padStart(3, '0')}`,
        queue: qr.q.index,
        state: A_OFFLINE,
        shift: 0,
        availability: 0,
        pendingLogout: false,
        pendingBreak: false,
        contact: null,
      };
      qr.agents.push(a);
      this.allAgents.push(a);
    }
    a.shift++;
    a.pendingLogout = false;
    a.pendingBreak = false;
    qr.onShift.push(a);
    qr.active++;
    this.becomeAvailable(qr, a, t);
    this.heap.push(t + Math.round(this.staffing.uniform(90, 150) * 60_000), K_BREAK, a.index, a.shift);
  }

  private logout(qr: QueueRuntime, a: Agent, t: number): void {
    a.state = A_OFFLINE;
    a.pendingLogout = false;
    a.pendingBreak = false;
    a.shift++;
    const i = qr.onShift.indexOf(a);
    if (i >= 0) qr.onShift.splice(i, 1);
    qr.offline.push(a);
    this.agentState(a, 'offline', t);
  }

  private becomeAvailable(qr: QueueRuntime, a: Agent, t: number): void {
    a.state = A_AVAILABLE;
    a.contact = null;
    a.availability++;
    qr.idleAgent.push(a);
    qr.idleToken.push(a.availability);
    this.agentState(a, 'available', t);
  }

  // --- contacts ----------------------------------------------------------------------------------

  private onArrival(slot: number, serial: number, t: number): void {
    const c = this.live(slot, serial);
    if (!c) return;
    const qr = this.queues[c.queue]!;
    c.state = ContactState.Waiting;
    qr.offeredToday++;
    const e: ContactQueuedEvent = {
      event_id: this.ids.uuid(),
      type: 'contact.queued',
      occurred_at: this.iso(t),
      contact_id: c.id,
      queue: qr.q.name,
      channel: CHANNELS[c.channel]!,
      reason: qr.q.reasonNames[c.reason]!,
    };
    if (c.customer !== undefined) e.customer_id = c.customer;
    this.out.push(e);
    qr.waiting.push(c);
    qr.waitingSerial.push(c.serial);
    if (c.patienceMs !== Infinity) this.heap.push(t + c.patienceMs, K_ABANDON, c.slot, c.serial);
    this.dispatch(qr, t);
  }

  /** Pairs waiting contacts (FIFO) with idle agents (longest idle first). */
  private dispatch(qr: QueueRuntime, t: number): void {
    for (;;) {
      // Front waiting contact.
      while (qr.waitingHead < qr.waiting.length) {
        const c = qr.waiting[qr.waitingHead]!;
        if (c.serial === qr.waitingSerial[qr.waitingHead] && c.state === ContactState.Waiting) break;
        qr.waitingHead++;
      }
      if (qr.waitingHead >= qr.waiting.length) {
        qr.waiting.length = 0;
        qr.waitingSerial.length = 0;
        qr.waitingHead = 0;
        return;
      }
      while (qr.idleHead < qr.idleAgent.length) {
        const a = qr.idleAgent[qr.idleHead]!;
        if (a.state === A_AVAILABLE && a.availability === qr.idleToken[qr.idleHead]) break;
        qr.idleHead++;
      }
      if (qr.idleHead >= qr.idleAgent.length) {
        qr.idleAgent.length = 0;
        qr.idleToken.length = 0;
        qr.idleHead = 0;
        return;
      }
      const c = qr.waiting[qr.waitingHead++]!;
      const a = qr.idleAgent[qr.idleHead++]!;
      this.answer(qr, c, a, t);
      this.compact(qr);
    }
  }

  private compact(qr: QueueRuntime): void {
    if (qr.waitingHead > 4096 && qr.waitingHead * 2 > qr.waiting.length) {
      qr.waiting.splice(0, qr.waitingHead);
      qr.waitingSerial.splice(0, qr.waitingHead);
      qr.waitingHead = 0;
    }
    if (qr.idleHead > 4096 && qr.idleHead * 2 > qr.idleAgent.length) {
      qr.idleAgent.splice(0, qr.idleHead);
      qr.idleToken.splice(0, qr.idleHead);
      qr.idleHead = 0;
    }
  }

  private answer(qr: QueueRuntime, c: Contact, a: Agent, t: number): void {
    c.state = ContactState.Answered;
    c.answeredAt = t;
    c.agent = a.index;
    a.state = A_ON_CONTACT;
    a.contact = c;
    const iso = this.iso(t);
    this.out.push({
      event_id: this.ids.uuid(),
      type: 'contact.answered',
      occurred_at: iso,
      contact_id: c.id,
      agent_id: a.id,
    });
    this.agentState(a, 'on_contact', t);
    this.heap.push(t + (c.talk + c.hold) * 1000, K_TALK_END, a.index, 0);
    void qr;
  }

  private onAbandon(slot: number, serial: number, t: number): void {
    const c = this.live(slot, serial);
    if (!c || c.state !== ContactState.Waiting) return;
    c.state = ContactState.Abandoned;
    this.out.push({ event_id: this.ids.uuid(), type: 'contact.abandoned', occurred_at: this.iso(t), contact_id: c.id });
    const waitedS = (t - c.t) / 1000;
    const rng = this.outcomes;
    const short = waitedS < SHORT_ABANDON_S;
    const p = (short ? 0.25 : 0.55) * this.opts.repeatFactor;
    if (c.attempt < 5 && rng.chance(p)) {
      const delayMs = rng.lognormal(short ? 180_000 : 720_000, 0.8);
      this.scheduleRepeat(c, t + delayMs);
    }
    this.release(c);
  }

  private onTalkEnd(agentIndex: number, t: number): void {
    const a = this.allAgents[agentIndex]!;
    a.state = A_WRAP;
    this.agentState(a, 'wrap_up', t);
    this.heap.push(t + a.contact!.wrap * 1000, K_WRAP_END, agentIndex, 0);
  }

  private onWrapEnd(agentIndex: number, t: number): void {
    const a = this.allAgents[agentIndex]!;
    const qr = this.queues[a.queue]!;
    const c = a.contact!;
    this.out.push({
      event_id: this.ids.uuid(),
      type: 'contact.completed',
      occurred_at: this.iso(t),
      contact_id: c.id,
      agent_id: a.id,
      talk_s: c.talk,
      hold_s: c.hold,
      wrap_s: c.wrap,
      transferred: c.transferred,
      reason: qr.q.reasonNames[c.reason]!,
      resolved: c.resolved,
    });
    const rng = this.outcomes;
    if (!c.resolved && c.attempt < 5 && rng.chance(0.5 * this.opts.repeatFactor)) {
      // Unresolved: the customer calls back within days (median ~20 h, mostly within a week).
      this.scheduleRepeat(c, t + Math.min(9 * DAY_MS, rng.lognormal(20 * 3_600_000, 0.9)));
    }
    if (rng.chance(qr.q.profile.surveyP)) {
      const delay = Math.min(2 * DAY_MS, rng.lognormal(15 * 60_000, 1.1));
      this.heap.push(t + Math.max(1000, Math.round(delay)), K_SURVEY, c.slot, c.serial);
    } else this.release(c);
    // The agent's next state.
    a.contact = null;
    if (a.pendingLogout) this.logout(qr, a, t);
    else if (a.pendingBreak) this.startBreak(a, t);
    else {
      this.becomeAvailable(qr, a, t);
      this.dispatch(qr, t);
    }
  }

  private scheduleRepeat(prev: Contact, at: number): void {
    const qr = this.queues[prev.queue]!;
    const q = qr.q;
    let when = Math.round(at);
    if (!q.isOpen(when)) {
      when = q.nextOpen(when);
      const later = when + Math.round(this.outcomes.uniform(0, 90) * 60_000);
      if (q.isOpen(later)) when = later;
    }
    const c = this.allocContact();
    c.id = `ct-${this.runTag}-r${(++this.repeatCount).toString(36)}`;
    c.queue = prev.queue;
    c.t = when;
    c.reason = prev.reason;
    c.customer = prev.customer;
    c.channel = this.outcomes.chance(0.8) ? prev.channel : this.outcomes.pickCumulative(q.channelCum);
    c.attempt = prev.attempt + 1;
    drawContactNeeds(q, c, this.outcomes);
    this.heap.push(when, K_ARRIVAL, c.slot, c.serial);
  }

  private onSurvey(slot: number, serial: number, t: number): void {
    const c = this.live(slot, serial);
    if (!c) return;
    const q = this.queues[c.queue]!.q;
    const answers = drawSurvey(q, c, (c.answeredAt - c.t) / 1000, this.outcomes);
    this.out.push({
      event_id: this.ids.uuid(),
      type: 'survey.submitted',
      occurred_at: this.iso(t),
      contact_id: c.id,
      ...answers,
    });
    this.release(c);
  }

  // --- breaks ------------------------------------------------------------------------------------

  private onBreakDue(agentIndex: number, shift: number, t: number): void {
    const a = this.allAgents[agentIndex]!;
    if (a.shift !== shift || a.state === A_OFFLINE) return;
    if (a.state === A_AVAILABLE) this.startBreak(a, t);
    else a.pendingBreak = true;
  }

  private startBreak(a: Agent, t: number): void {
    a.pendingBreak = false;
    a.state = A_BREAK;
    this.agentState(a, 'break', t);
    const minutes = this.staffing.chance(0.25) ? 30 : 15;
    this.heap.push(t + Math.round(this.staffing.lognormal(minutes, 0.12) * 60_000), K_BREAK_END, a.index, a.shift);
  }

  private onBreakEnd(agentIndex: number, shift: number, t: number): void {
    const a = this.allAgents[agentIndex]!;
    if (a.shift !== shift || a.state !== A_BREAK) return;
    const qr = this.queues[a.queue]!;
    this.becomeAvailable(qr, a, t);
    this.heap.push(t + Math.round(this.staffing.uniform(100, 150) * 60_000), K_BREAK, a.index, a.shift);
    this.dispatch(qr, t);
  }
}
