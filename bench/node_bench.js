// The official Node SDK (npm "stytch") sending the same OTP request, for
// comparison with stytch-cpp on the same server.
// Usage: node node_bench.js BASE_URL COUNT CONCURRENCY   (1 = sequential)
// Prints one line: "node-CONCURRENCY COUNT SECONDS SENDS_PER_SECOND FAILURES".
const stytch = require(process.env.STYTCH_NODE_SDK || "stytch");

async function main() {
  const [baseUrl, countText, concurrencyText] = process.argv.slice(2);
  const count = Number(countText);
  const concurrency = Number(concurrencyText);
  const client = new stytch.Client({
    project_id: "project-test-00000000-0000-4000-8000-000000000000",
    secret: "secret-test-mock-0000000000000000000000000000",
    custom_base_url: baseUrl,
  });
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      try {
        await client.otps.sms.send({ phone_number: "+10000000000" });
      } catch (e) {
        failures += 1;
        if (failures === 1) console.error(String(e));
      }
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const mode = concurrency === 1 ? "node-seq" : `node-${concurrency}`;
  console.log(`${mode} ${count} ${seconds.toFixed(3)} ${Math.round(count / seconds)} ${failures}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
