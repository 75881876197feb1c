// Lists the packages of a node_modules directory for closure.nix: [{ name, dir, deps }] in dependency order, deps
// being the top-level packages each one needs (cycles, which npm allows, are cut where the walk meets them).
// Usage: node npm-packages.js PROJECT_DIR > packages.json
const fs = require("fs");
const path = require("path");
const root = path.resolve(process.argv[2], "node_modules");
const dirs = new Map();
for (const entry of fs.readdirSync(root)) {
  if (entry.startsWith(".")) continue;
  const full = path.join(root, entry);
  if (entry.startsWith("@")) {
    for (const scoped of fs.readdirSync(full)) dirs.set(`${entry}/${scoped}`, path.join(full, scoped));
  } else {
    dirs.set(entry, full);
  }
}
const manifest = (dir) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
const order = [];
const state = new Map(); // name -> "visiting" | "done"
function visit(name) {
  if (state.has(name)) return;
  state.set(name, "visiting");
  const m = manifest(dirs.get(name));
  const deps = Object.keys({ ...m.dependencies, ...m.optionalDependencies })
    .filter((d) => dirs.has(d) && state.get(d) !== "visiting");
  deps.forEach(visit);
  state.set(name, "done");
  order.push({ name, dir: dirs.get(name), deps: deps.filter((d) => state.get(d) === "done") });
}
[...dirs.keys()].sort().forEach(visit);
process.stdout.write(JSON.stringify(order, null, 1));
