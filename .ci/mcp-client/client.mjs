// A thin driver around the reference MCP TypeScript SDK's stdio client (not ours: McpServerIT needs a
// client this project did not write). It starts `vault mcp` through the launcher given as argv[2],
// with argv[3..] as its arguments, then reads one command per stdin line and writes one JSON line
// per answer: {"op":"list"} lists the tools, {"op":"call","tool":T,"args":A} calls one,
// {"op":"quit"} ends. A failed request is reported as {"error": "..."}, and the client goes on.
import readline from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [launcher, ...args] = process.argv.slice(2);
const transport = new StdioClientTransport({ command: launcher, args, env: { ...process.env }, stderr: "inherit" });
const client = new Client({ name: "memory-vault-it", version: "1.0.0" });
await client.connect(transport);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
out({ ready: true, server: client.getServerVersion() });

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const cmd = JSON.parse(line);
  try {
    if (cmd.op === "list") {
      const t = await client.listTools();
      out({ tools: t.tools.map((x) => x.name).sort() });
    } else if (cmd.op === "call") {
      out({ result: await client.callTool({ name: cmd.tool, arguments: cmd.args }) });
    } else if (cmd.op === "quit") {
      break;
    }
  } catch (e) {
    out({ error: String(e && e.message ? e.message : e) });
  }
}
await client.close();
process.exit(0);
