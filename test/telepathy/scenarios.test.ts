import { describe, expect, it } from 'vitest';
import { scenarios } from '#spec/telepathy/scenarios.js';
import { startSimScenarioHarness } from '#sim/telepathy/sim-scenario-client.js';

describe('contract scenarios on the in-memory bus', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const harness = await startSimScenarioHarness();
    await scenario.run(harness);
    expect(harness.manager.liveConnections).toBe(0);
  });

  it('can all share one manager, one after another, as they do against a running daemon', async () => {
    const harness = await startSimScenarioHarness();
    for (const scenario of scenarios) await scenario.run(harness);
    expect(harness.manager.liveConnections).toBe(0);
  });

  it('waits for nothing that never comes', async () => {
    const harness = await startSimScenarioHarness();
    const client = await harness.newClient();
    await expect(client.waitFor(() => false)).rejects.toThrow(/never arrived/);
  });
});
