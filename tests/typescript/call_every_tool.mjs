// The TypeScript SDK's own client against mcp-kubectl: list the tools, make each call it is given,
// and report what came back. `client.callTool` validates structuredContent against the tool's
// outputSchema (errors included), so a schema the answer does not fit is a thrown error here.
//
//   node call_every_tool.mjs < plan.json > report.json
//
// plan: {"nodeModules": DIR, "command": ..., "args": [...], "env": {...}, "calls": [{"tool", "arguments"}]}
// report: {"tools": [{name, inputSchema, outputSchema}], "calls": [{tool, isError, reason, thrown, code}]}
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const plan = JSON.parse(readFileSync(0, "utf8"));
const sdk = (path) => import(pathToFileURL(join(plan.nodeModules, "@modelcontextprotocol/sdk/dist/esm", path)).href);
const { Client } = await sdk("client/index.js");
const { StdioClientTransport } = await sdk("client/stdio.js");

const client = new Client({ name: "mcp-kubectl-tests", version: "0" });
await client.connect(new StdioClientTransport({ command: plan.command, args: plan.args, env: plan.env, stderr: "inherit" }));
const { tools } = await client.listTools();
const report = { protocolVersion: client.transport?.protocolVersion ?? null, tools, calls: [] };
for (const call of plan.calls) {
    try {
        const result = await client.callTool({ name: call.tool, arguments: call.arguments });
        report.calls.push({
            tool: call.tool,
            isError: Boolean(result.isError),
            reason: result.structuredContent?.error?.reason ?? null,
            keys: Object.keys(result.structuredContent ?? {}),
        });
    } catch (error) {
        report.calls.push({ tool: call.tool, thrown: String(error?.message ?? error), code: error?.code ?? null });
    }
}
await client.close();
process.stdout.write(JSON.stringify(report));
