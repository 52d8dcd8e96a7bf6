// The official Node SDK (npm "stytch") verifying the same session JWTs
// locally with sessions.authenticateJwtLocal, for comparison with stytch-cpp.
// Usage: node node_jwt_bench.js BASE_URL DIR distinct|repeated COUNT
// Prints one line: "node-MODE COUNT SECONDS PER_SECOND FAILURES", SECONDS
// being the CPU time of the process over the loop (user and system, as
// `openssl speed` counts), so that other load on the machine does not skew it.
const fs = require("fs");
const stytch = require(process.env.STYTCH_NODE_SDK || "stytch");

async function main() {
  const [baseUrl, dir, mode, countText] = process.argv.slice(2);
  const tokens = fs.readFileSync(`${dir}/tokens.txt`, "utf8").split("\n").filter((t) => t.length > 0);
  const warmUp = tokens.pop();
  const client = new stytch.Client({
    project_id: "project-test-00000000-0000-4000-8000-000000000000",
    secret: "secret-test-mock-0000000000000000000000000000",
    custom_base_url: baseUrl,
  });
  await client.sessions.authenticateJwtLocal({ session_jwt: warmUp });
  const distinct = mode === "distinct";
  const n = distinct ? tokens.length : Number(countText);
  let failures = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 1) {
    try {
      await client.sessions.authenticateJwtLocal({ session_jwt: tokens[distinct ? i : 0] });
    } catch (e) {
      failures += 1;
      if (failures === 1) console.error(String(e));
    }
  }
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  console.log(`node-${mode} ${n} ${seconds.toFixed(3)} ${Math.round(n / seconds)} ${failures}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
