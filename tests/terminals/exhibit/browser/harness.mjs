// What the browser tests share: `hakto exhibit` started on a free loopback port (its address
// read from the line it prints when ready), and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', '..', '..', 'package.json'));
const { chromium } = require('playwright-core');

/// Starts `hakto exhibit` with `args` after the address; resolves when it listens.
export async function startExhibit(hakto, args, env = process.env) {
  const server = spawn(hakto, ['exhibit', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('hakto exhibit did not print its port')), 15000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    server.on('exit', (code) => reject(new Error(`hakto exhibit exited (${code})`)));
  });
  return { server, port, url: `http://127.0.0.1:${port}/` };
}

/// Debian's Chromium, headless; playwright's own browser download is never used.
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run'],
  });
}

// What the visitor's page must never read: an option, a file, a command, an operator's instruction.
export const OPERATOR_TALK = /--[a-z]|\.xml|\bTEI\b|hakto (frus|replay|exhibit)\b|NOT SUPPLIED|GIVE ITS/i;
