// V8 flags radiusd runs with; whoever starts it (the server, the bench) passes them.
//
// A small young generation: radiusd allocates ~20 KB per request and keeps almost none of it,
// so a scavenge costs in proportion to what is still alive — a few requests in flight. With
// Node's default (a young generation that grows to tens of MB) scavenges ran every ~2 s and
// paused 8–10 ms (median; worst 60–80 ms), which set the p99 login latency. With 2 MB
// semi-spaces they run ~20×/s and pause under 1 ms (median; worst under 10 ms), at the same
// CPU per request (bench/README.md, 2026-11-22).
export const RADIUSD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
