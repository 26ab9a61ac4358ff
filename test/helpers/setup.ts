// Tests run offline: any attempt to reach the network is a bug in the test or the code under test.
globalThis.fetch = (() => {
  throw new Error('network access is disabled in tests');
}) as typeof fetch;
