#!/usr/bin/env node
import { whatToBackup } from '../backup/adapters/what-to-backup-main.js';

process.exitCode = await whatToBackup(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
