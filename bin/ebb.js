#!/usr/bin/env node
// The CLI is TypeScript run by Node 22's type stripping (the `node` devDependency provides Node 22).
await import("../cli/main.ts");
