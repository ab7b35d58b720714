// Fails when the folders of src/ import each other in a cycle (src/a → src/b → src/a), type-only imports included.
// madge --circular (npm run cycles) finds cycles between files; this collapses the same graph to folders, where a
// cycle means two capabilities cannot be understood, tested or moved apart. Run: npx tsx test/tools/folder-cycles.ts
// Entry points are nodes of their own, like src/server.ts: nothing imports a command-line tool (src/*/*-cli.ts), so
// it may take the services (src/services.ts) without tying its folder to every other one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** An edge between two folders, with one import that makes it (for the message). */
type FolderEdge = { readonly from: string; readonly to: string; readonly example: string };

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The node a file belongs to: its first folder under src/; the file itself at the top of src/ or for an entry point. */
export function folderOf(file: string, srcDir = SRC): string {
  const path = relative(srcDir, file).split(sep).join('/');
  const [first] = path.split('/');
  return path.endsWith('-cli.ts') || first === undefined ? path : first;
}

/** Every import between two different folders of src/, relative imports only (packages are not ours). */
export function collectFolderEdges(srcDir = SRC): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const file of listSourceFiles(srcDir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), imported.fileName.replace(/\.js$/, '.ts'));
      const from = folderOf(file, srcDir);
      const to = folderOf(target, srcDir);
      const key = `${from}\n${to}`;
      if (from === to || edges.has(key)) continue;
      edges.set(key, { from, to, example: `${relative(srcDir, file)} → ${imported.fileName}` });
    }
  }
  return [...edges.values()];
}

/** The strongly connected groups of more than one folder (Tarjan): each is a set of folders that import each other. */
export function findFolderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const nodes = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups;
}

function main(): void {
  const edges = collectFolderEdges();
  const cycles = findFolderCycles(edges);
  if (cycles.length === 0) {
    console.log(`No folder-level import cycles in src/ (${edges.length} imports between folders).`);
    return;
  }
  console.error(`${cycles.length} group(s) of folders in src/ import each other:`);
  for (const group of cycles) {
    console.error(`- ${group.join(', ')}`);
    for (const edge of edges) {
      if (group.includes(edge.from) && group.includes(edge.to)) console.error(`    ${edge.from} → ${edge.to}: ${edge.example}`);
    }
  }
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
