// A stand-in for child.ts in runner.test.ts: each case id says how it ends (ok, a typed or untyped error, a crash,
// a hang, a memory blow-up), so the runner's detection of each failure is tested.
const ids = JSON.parse(process.argv[2]) as string[];
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const hold: Uint8Array[] = [];
for (const id of ids) {
  say({ start: id });
  const what = id.split('/')[1];
  if (what === 'crash') process.exit(3);
  if (what === 'hang') for (;;);
  if (what === 'memory') for (let i = 0; i < 64; i++) hold.push(new Uint8Array(32 << 20).fill(1)); // 2 GB, touched
  say({ done: id, family: 'image', outcome: what === 'typed' ? 'typed' : what === 'untyped' ? 'untyped' : 'ok', ...(what === 'typed' ? { code: 'IMAGE_DECODE_FAILED' } : {}), maxRssMB: 50 });
}
say({ finished: true });
