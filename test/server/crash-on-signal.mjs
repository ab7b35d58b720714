// Loaded into a test server with --import before src/server.ts: SIGUSR2 makes the process crash, by an uncaught
// exception or, with CRASH_WITH=rejection, an unhandled promise rejection. A way to crash the real server from a
// test with nothing in src/ that production could reach.
process.on('SIGUSR2', () => {
  const error = new Error('crash asked for by the test');
  if (process.env.CRASH_WITH === 'rejection') void Promise.reject(error);
  else throw error;
});
