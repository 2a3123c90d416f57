/**
 * One remote help call relayed through a real coturn (Debian's `turnserver`) on loopback, with
 * `iceTransportPolicy: 'relay'` handed out by the platform: the officer's real hall page (signed
 * in, its bundled script) and a minimal terminal page (the test signs the terminal's signalling,
 * as the kiosk would) in Chromium with fake camera and microphone. getStats on both sides shows the
 * selected candidate pair is a relay and that audio and video bytes arrive and keep arriving. The
 * TURN credentials are the platform's own, computed from the shared secret coturn checks them
 * against. The mirror crosses the data channel as text, pointing comes back, hang-up ends both.
 * (The resident's full journey with remote help is test/e2e/remote-help.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtcSignal } from '../../platform/contract/remote-help';
import { launchChromium, saveScreens } from '../support/browser';
import { startCoturn, type Coturn } from '../support/coturn';
import { signedInHallPage } from '../support/hall-page';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { RemoteHelpTerminal } from '../support/remote-help-terminal';

/** The terminal's media side only: a peer connection that answers, and a data channel it is given. */
const terminalPage = `<!doctype html><html><head><meta charset="utf-8"><title>terminal</title></head><body>
<video id="remote" autoplay playsinline muted></video>
<script>
window.received = [];
window.terminal = {
  async setup(iceServers, iceTransportPolicy) {
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    window.pc = pc;
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { height: 240 } });
    for (const track of media.getTracks()) pc.addTrack(track, media);
    pc.onicecandidate = (e) => { if (e.candidate && e.candidate.candidate) window.sendCandidate({ candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex }); };
    pc.ontrack = (e) => { document.getElementById('remote').srcObject = e.streams[0]; };
    pc.ondatachannel = (e) => { window.channel = e.channel; e.channel.onmessage = (m) => window.received.push(JSON.parse(m.data)); };
  },
  early: [],
  async answer(sdp) {
    await window.pc.setRemoteDescription({ type: 'offer', sdp });
    for (const c of this.early.splice(0)) await window.pc.addIceCandidate(c);
    const answer = await window.pc.createAnswer();
    await window.pc.setLocalDescription(answer);
    return answer.sdp;
  },
  addCandidate(c) { if (!window.pc.remoteDescription) { this.early.push(c); return; } return window.pc.addIceCandidate(c); },
  channelOpen() { return window.channel !== undefined && window.channel.readyState === 'open'; },
  send(message) { window.channel.send(JSON.stringify(message)); },
  async stats() {
    const stats = await window.pc.getStats();
    let pairId; const bytes = { audio: 0, video: 0 }; let frameHeight = 0;
    stats.forEach((s) => {
      if (s.type === 'transport') pairId = s.selectedCandidatePairId;
      if (s.type === 'inbound-rtp') { bytes[s.kind] += s.bytesReceived || 0; if (s.kind === 'video') frameHeight = s.frameHeight || 0; }
    });
    const pair = pairId && stats.get(pairId);
    const local = pair && stats.get(pair.localCandidateId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    return { local: local ? local.candidateType : null, remote: remote ? remote.candidateType : null, state: window.pc.connectionState, bytes, frameHeight };
  },
};
</script></body></html>`;

let coturn: Coturn;
let hall: HallFixture;
let chromium: { browser: Browser; close(): Promise<void> };
let pageServer: Server;
let pageUrl: string;

beforeAll(async () => {
  coturn = await startCoturn();
  hall = await startHallFixture({
    remoteHelp: { ice: { turnUrls: [coturn.turnUrl], turnSecret: coturn.secret, transportPolicy: 'relay' } },
  });
  chromium = await launchChromium();
  pageServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(terminalPage);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const address = pageServer.address();
  pageUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
});

afterAll(async () => {
  await chromium?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await hall?.close();
  await coturn?.stop();
});

describe('remote help through a TURN relay (coturn on loopback, relay only)', () => {
  it('connects the hall page and a terminal through coturn: relay pair, audio and video bytes flowing both ways', async () => {
    const officerContext = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    const hallPage = await signedInHallPage(officerContext, hall.fx.platform.url);
    await expect.poll(() => hallPage.locator('#rh-queue-status').textContent()).toBe('现在没有等待的呼叫。');

    const terminalContext = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    const terminalPageHandle = await terminalContext.newPage();
    await terminalPageHandle.goto(pageUrl);
    const terminal = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const pending: Array<Promise<unknown>> = [];
    await terminalPageHandle.exposeFunction('sendCandidate', (candidate: RtcSignal & object) => {
      pending.push(terminal.signal(callId, { candidate } as unknown as RtcSignal));
    });

    const call = await terminal.call('柳溪村便民服务点');
    const callId = call.callId;
    // The platform hands out its TURN server with a credential from the shared secret, relay only.
    expect(call.iceTransportPolicy).toBe('relay');
    expect(call.iceServers.map((s) => s.urls)).toEqual([[coturn.turnUrl]]);
    expect(call.iceServers[0]?.username).toMatch(/^\d+:QS-LX-0001$/);
    expect(call.iceServers[0]?.credential).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    await terminalPageHandle.evaluate(
      ([servers, policy]) =>
        (window as unknown as { terminal: { setup(s: unknown, p: unknown): Promise<void> } }).terminal.setup(
          servers,
          policy,
        ),
      [call.iceServers, call.iceTransportPolicy] as const,
    );

    // The officer sees the call (service point, terminal) and takes it.
    const row = hallPage.locator(`#rh-queue-list li[data-call-id="${callId}"]`);
    await expect.poll(() => row.textContent()).toContain('柳溪村便民服务点 · 终端 QS-LX-0001');
    await saveScreens(hallPage, 'hall-remote-help-queue');
    await row.locator('button').click();
    expect((await terminal.until(callId, 'accepted')).officer.id).toBe('li.na');

    // The terminal's signalling: the offer is answered, candidates cross both ways.
    let signalling = true;
    const relayLoop = (async () => {
      while (signalling) {
        for (const event of await terminal.events(callId)) {
          if (event.type === 'ended') return event;
          if (event.type !== 'signal') continue;
          const { signal } = event;
          if ('description' in signal) {
            const sdp = await terminalPageHandle.evaluate(
              (offer) =>
                (window as unknown as { terminal: { answer(s: string): Promise<string> } }).terminal.answer(offer),
              signal.description.sdp,
            );
            pending.push(terminal.signal(callId, { description: { type: 'answer', sdp } }));
          } else {
            await terminalPageHandle.evaluate(
              (c) =>
                (window as unknown as { terminal: { addCandidate(c: unknown): Promise<void> } }).terminal.addCandidate(
                  c,
                ),
              signal.candidate,
            );
          }
        }
      }
      return null;
    })();

    type Stats = {
      local: string | null;
      remote: string | null;
      state: string;
      bytes: { audio: number; video: number };
      frameHeight: number;
    };
    const terminalStats = () =>
      terminalPageHandle.evaluate(() =>
        (window as unknown as { terminal: { stats(): Promise<Stats> } }).terminal.stats(),
      );
    await expect.poll(async () => (await terminalStats()).state, { timeout: 30_000 }).toBe('connected');
    const first = await terminalStats();
    expect([first.local, first.remote]).toEqual(['relay', 'relay']);
    // Bytes arrive and keep arriving (audio and video, officer → terminal).
    await expect
      .poll(async () => (await terminalStats()).bytes.video, { timeout: 30_000 })
      .toBeGreaterThan(first.bytes.video + 10_000);
    await expect.poll(async () => (await terminalStats()).bytes.audio).toBeGreaterThan(first.bytes.audio);
    // The officer's video is scaled to 320 lines at most (the fake camera gives 480).
    await expect.poll(async () => (await terminalStats()).frameHeight).toBeGreaterThan(0);
    expect((await terminalStats()).frameHeight).toBeLessThanOrEqual(320);
    // Terminal → officer: the hall page's own getStats says relay, and its received bytes rise.
    const callSection = hallPage.locator('#rh-call');
    await expect.poll(() => callSection.getAttribute('data-path'), { timeout: 30_000 }).toBe('relay');
    const officerBytes = async () => Number((await callSection.getAttribute('data-bytes-received')) ?? 0);
    const seen = await officerBytes();
    await expect.poll(officerBytes, { timeout: 30_000 }).toBeGreaterThan(seen + 10_000);
    await expect
      .poll(() => hallPage.locator('#rh-remote').evaluate((v: HTMLVideoElement) => v.videoWidth))
      .toBeGreaterThan(0);

    // The mirror crosses the relayed data channel and is shown as text, markup and all.
    await expect
      .poll(() =>
        terminalPageHandle.evaluate(() =>
          (window as unknown as { terminal: { channelOpen(): boolean } }).terminal.channelOpen(),
        ),
      )
      .toBe(true);
    await terminalPageHandle.evaluate(
      (m) => (window as unknown as { terminal: { send(m: unknown): void } }).terminal.send(m),
      {
        t: 'mirror',
        seq: 1,
        mirror: {
          screen: 'answer',
          language: 'zh',
          items: [
            { id: 'q-heading', role: 'heading', label: '您的手机号码' },
            { id: 'phone', role: 'field', label: '<img src=x onerror=alert(1)>手机号', value: '138****5678' },
            { id: 'answer:living', role: 'field', label: '是否住在户籍地址', value: '是' },
            { id: 'choice-yes', role: 'choice', label: '是', selected: true },
            { id: 'choice-no', role: 'choice', label: '否', selected: false },
            { id: 'next', role: 'button', label: '下一步' },
          ],
        },
      },
    );
    const field = hallPage.locator('#rh-mirror li[data-item-id="phone"] button');
    await expect.poll(() => field.textContent()).toBe('<img src=x onerror=alert(1)>手机号：138****5678');
    expect(await hallPage.locator('#rh-mirror img').count()).toBe(0);
    // Pointing and proposing reach the terminal.
    await field.click();
    await hallPage.locator('#rh-propose-value').fill('13812345678');
    await hallPage.locator('#rh-propose-send').click();
    const received = () =>
      terminalPageHandle.evaluate(
        () => (window as unknown as { received: Array<{ t: string; proposalId?: string }> }).received,
      );
    await expect.poll(async () => (await received()).length).toBe(2);
    const [pointed, proposed] = await received();
    expect(pointed).toEqual({ t: 'point', itemId: 'phone' });
    expect(proposed).toMatchObject({ t: 'propose', itemId: 'phone', value: '13812345678' });
    await terminalPageHandle.evaluate(
      (m) => (window as unknown as { terminal: { send(m: unknown): void } }).terminal.send(m),
      { t: 'proposal-answered', proposalId: proposed?.proposalId ?? '', accepted: true },
    );
    await expect.poll(() => hallPage.locator('#rh-proposal-status').textContent()).toBe('村民已接受您填写的内容。');
    // A choice prepares a proposal for its question's field, with the choice's words.
    await hallPage.locator('#rh-mirror li[data-item-id="choice-no"] button').click();
    expect(await hallPage.locator('#rh-propose-value').inputValue()).toBe('否');
    expect(await hallPage.locator('#rh-propose-target').textContent()).toBe('是否住在户籍地址');
    await hallPage.locator('#rh-propose-send').click();
    await expect
      .poll(async () => (await received()).at(-1))
      .toMatchObject({ t: 'propose', itemId: 'answer:living', value: '否' });
    await saveScreens(hallPage, 'hall-remote-help-call');

    // The officer hangs up: the terminal hears it, the hall page drops the call.
    await hallPage.locator('#rh-hangup').click();
    expect(await relayLoop).toEqual({ type: 'ended', by: 'officer', reason: 'hung-up' });
    signalling = false;
    await Promise.all(pending);
    expect(await callSection.isHidden()).toBe(true);
    expect(await hallPage.locator('#rh-mirror li').count()).toBe(0);
    // coturn saw the allocations it relayed through (it logs usernames, never the secret).
    expect(coturn.output()).toMatch(/ALLOCATE/);
    expect(coturn.output()).not.toContain(coturn.secret);
    await officerContext.close();
    await terminalContext.close();
  });
});
