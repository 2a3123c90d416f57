/**
 * Whether the fleet's MQTT link is up, as a value both sides share. The outbox (whose HTTP heartbeat is the
 * fallback while the link is down) is built before the fleet agent, because the agent's port reads the outbox;
 * the composition root creates this first and the agent sets it on connect and close, so neither side needs a
 * late-bound reference to the other.
 */
export interface BrokerLink {
  readonly up: boolean;
}

export interface BrokerLinkControl extends BrokerLink {
  set(up: boolean): void;
}

export function createBrokerLink(): BrokerLinkControl {
  let up = false;
  return {
    get up() {
      return up;
    },
    set(next) {
      up = next;
    },
  };
}
