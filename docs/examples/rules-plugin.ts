// A what-to-backup rules plugin: load it with `what-to-backup --rules-plugin rules-plugin.ts`.
import type { PluginContext, PluginRule } from '../../src/backup/domain/rules/plugin.js';

export default function rules(context: PluginContext): PluginRule[] {
  return [
    // A glob, as in a rules file.
    { name: 'vm-images', action: 'skip', pattern: '*.qcow2', note: 'rebuilt from the recipe' },
    // Code decides too: any node_modules folder at least two levels down (not /node_modules).
    {
      name: 'node-modules',
      action: 'skip',
      pattern: 'node_modules/',
      match: (target) => target.path.split('/').length > 3,
      note: 'npm ci brings it back',
    },
    // Redis keeps its data in one file; redis-cli makes a consistent copy.
    { name: 'redis', action: 'dump', pattern: '/var/lib/redis/', tool: 'redis-cli --rdb /backup/dump.rdb' },
    // Only the homes this system really has (context.homes: what ~ stands for).
    ...context.homes.map((home): PluginRule => ({ name: 'mail', action: 'save', pattern: `${home}/Maildir/`, when: 'logged-out' })),
  ];
}
